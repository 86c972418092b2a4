from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="application_list"),
    path("add/", views.application_add, name="application_add"),
    path("export/", views.ApplicationExportView.as_view(), name="application_export"),
    path("board/", views.board_view, name="board"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/steps/", views.application_step, name="application_step"),
    path("<int:pk>/stop/", views.application_stop, name="application_stop"),
    path("<int:pk>/extend/", views.application_extend, name="application_extend"),
    path("<int:pk>/history/", views.ApplicationHistoryView.as_view(), name="application_history"),
]
