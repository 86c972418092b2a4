"""Public pages of the community talents' register (mounted under /p/t/)."""

from django.urls import path

from . import views_public

app_name = "services_public"

urlpatterns = [
    path("join/<slug:token>/", views_public.talent_join, name="talent_join"),
    path("me/<slug:token>/", views_public.talent_me, name="talent_me"),
]
