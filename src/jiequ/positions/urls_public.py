from django.urls import path  # noqa: F401

app_name = "menu_public"

urlpatterns: list = []
