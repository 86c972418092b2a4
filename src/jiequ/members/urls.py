from django.urls import path

from . import views, views_dues, views_transfers

app_name = "members"

urlpatterns = [
    path("", views.MemberListView.as_view(), name="member_list"),
    path("add/", views.MemberEditView.as_view(), name="member_add"),
    path("export/", views.MemberExportView.as_view(), name="member_export"),
    path("liaison-due/", views.liaison_due, name="liaison_due"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("<int:pk>/history/", views.MemberHistoryView.as_view(), name="member_history"),
    path("<int:pk>/check-in/", views.member_check_in, name="member_check_in"),
    path("<int:pk>/liaison/", views.liaison_add, name="liaison_add"),
    path("<int:pk>/dues/", views.member_pay, name="member_pay"),
    path("transfers/", views_transfers.TransferListView.as_view(), name="transfer_list"),
    path("transfers/add/", views_transfers.TransferAddView.as_view(), name="transfer_add"),
    path(
        "transfers/overdue/",
        views_transfers.TransferOverdueView.as_view(),
        name="transfer_overdue",
    ),
    path("transfers/export/", views_transfers.TransferExportView.as_view(), name="transfer_export"),
    path("transfers/<int:pk>/", views_transfers.transfer_detail, name="transfer_detail"),
    path(
        "transfers/<int:pk>/complete/",
        views_transfers.transfer_complete,
        name="transfer_complete",
    ),
    path("transfers/<int:pk>/cancel/", views_transfers.transfer_cancel, name="transfer_cancel"),
    path(
        "transfers/<int:pk>/history/",
        views_transfers.TransferHistoryView.as_view(),
        name="transfer_history",
    ),
    path("dues/", views_dues.dues_page, name="dues"),
]
