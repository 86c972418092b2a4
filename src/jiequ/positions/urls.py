from django.urls import path

from . import views, views_bookings, views_menu, views_rota

app_name = "positions"

urlpatterns = [
    # Positions and rooms.
    path("", views.PositionListView.as_view(), name="position_list"),
    path("add/", views.PositionEditView.as_view(), name="position_add"),
    path("export/", views.PositionExportView.as_view(), name="position_export"),
    path("<int:pk>/", views.PositionDetailView.as_view(), name="position_detail"),
    path("<int:pk>/edit/", views.PositionEditView.as_view(), name="position_edit"),
    path("<int:pk>/history/", views.PositionHistoryView.as_view(), name="position_history"),
    path("<int:pk>/week/", views.position_week, name="position_week"),
    path("<int:pk>/day/", views.position_day, name="position_day"),
    path("rooms/", views.RoomListView.as_view(), name="room_list"),
    path("rooms/add/", views.RoomEditView.as_view(), name="room_add"),
    path("rooms/export/", views.RoomExportView.as_view(), name="room_export"),
    path("rooms/<int:pk>/", views.RoomDetailView.as_view(), name="room_detail"),
    path("rooms/<int:pk>/edit/", views.RoomEditView.as_view(), name="room_edit"),
    path("rooms/<int:pk>/history/", views.RoomHistoryView.as_view(), name="room_history"),
    # Bookings.
    path("bookings/", views_bookings.BookingListView.as_view(), name="booking_list"),
    path("bookings/add/", views_bookings.booking_add, name="booking_add"),
    path("bookings/pending/", views_bookings.booking_pending, name="booking_pending"),
    path("bookings/export/", views_bookings.BookingExportView.as_view(), name="booking_export"),
    path("bookings/<int:pk>/", views_bookings.BookingDetailView.as_view(), name="booking_detail"),
    path(
        "bookings/<int:pk>/history/",
        views_bookings.BookingHistoryView.as_view(),
        name="booking_history",
    ),
    path("bookings/<int:pk>/<slug:action>/", views_bookings.booking_decide, name="booking_decide"),
    # The duty rota.
    path("rota/", views_rota.DutyListView.as_view(), name="duty_list"),
    path("rota/export/", views_rota.DutyExportView.as_view(), name="duty_export"),
    path("rota/gaps/", views_rota.gap_list, name="gap_list"),
    path("rota/<int:pk>/", views_rota.rota_page, name="rota"),
    path("rota/<int:pk>/generate/", views_rota.rota_generate, name="rota_generate"),
    path("rota/<int:pk>/assign/", views_rota.rota_assign, name="rota_assign"),
    path("rota/<int:pk>/pool/", views_rota.pool_add, name="pool_add"),
    path("rota/<int:pk>/pool/<int:entry>/", views_rota.pool_toggle, name="pool_toggle"),
    path("swaps/", views_rota.SwapListView.as_view(), name="swap_list"),
    path("swaps/export/", views_rota.SwapExportView.as_view(), name="swap_export"),
    path("swaps/propose/", views_rota.swap_propose, name="swap_propose"),
    path("swaps/<int:pk>/<slug:action>/", views_rota.swap_answer, name="swap_answer"),
    # The weekly menu.
    path("menu/", views_menu.menu_week, name="menu"),
    path("menu/activities/", views_menu.ActivityListView.as_view(), name="activity_list"),
    path("menu/activities/add/", views_menu.ActivityEditView.as_view(), name="activity_add"),
    path(
        "menu/activities/export/",
        views_menu.ActivityExportView.as_view(),
        name="activity_export",
    ),
    path(
        "menu/activities/<int:pk>/",
        views_menu.ActivityDetailView.as_view(),
        name="activity_detail",
    ),
    path(
        "menu/activities/<int:pk>/edit/",
        views_menu.ActivityEditView.as_view(),
        name="activity_edit",
    ),
    path(
        "menu/activities/<int:pk>/delete/",
        views_menu.ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path(
        "menu/activities/<int:pk>/history/",
        views_menu.ActivityHistoryView.as_view(),
        name="activity_history",
    ),
    path("menu/activities/<int:pk>/sign-up/", views_menu.signup_self, name="signup_self"),
    path(
        "menu/activities/<int:pk>/sign-up-member/",
        views_menu.signup_member,
        name="signup_member",
    ),
    path("menu/activities/<int:pk>/attendance/", views_menu.attendance, name="attendance"),
    path("menu/sign-ups/", views_menu.SignUpListView.as_view(), name="signup_list"),
    path("menu/sign-ups/export/", views_menu.SignUpExportView.as_view(), name="signup_export"),
    path("menu/sign-ups/<int:pk>/cancel/", views_menu.signup_cancel, name="signup_cancel"),
    path("menu/feeds/", views_menu.feed_list, name="feed_list"),
    path("menu/feeds/<int:organisation_id>/", views_menu.feed_make, name="feed_make"),
    path("menu/<int:organisation_id>/<str:token>.ics", views_menu.feed, name="feed"),
]
