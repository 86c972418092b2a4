"""Public pages at /p/v/: nearby points, the sign-up behind the QR code, the private link."""

from django.urls import path

from . import views_public

app_name = "volunteers_public"

urlpatterns = [
    path("points/", views_public.points, name="points"),
    path("join/<slug:token>/", views_public.join, name="join"),
    path("join/<slug:token>/done/", views_public.join_done, name="join_done"),
    path("me/<slug:token>/", views_public.me, name="me"),
    path("me/<slug:token>/update/", views_public.me_update, name="me_update"),
    path("me/<slug:token>/withdraw/", views_public.me_withdraw, name="me_withdraw"),
    path("me/<slug:token>/tasks/<int:task_pk>/", views_public.me_signup, name="me_signup"),
    path("me/<slug:token>/signups/<int:pk>/cancel/", views_public.me_cancel, name="me_cancel"),
    path("me/<slug:token>/signups/<int:pk>/hours/", views_public.me_hours, name="me_hours"),
]
