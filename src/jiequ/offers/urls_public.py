from django.urls import path  # noqa: F401

app_name = "offers_public"

urlpatterns: list = []
