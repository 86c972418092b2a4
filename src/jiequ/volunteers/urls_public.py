from django.urls import path  # noqa: F401

app_name = "volunteers_public"

urlpatterns: list = []
