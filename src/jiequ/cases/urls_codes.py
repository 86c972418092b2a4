"""Demand codes (the QR code on a shop's contact card): staff pages under /cases/codes/."""

from django.urls import path

from . import views_codes

urlpatterns = [
    path("codes/", views_codes.code_list, name="code_list"),
    path("codes/add/", views_codes.code_add, name="code_add"),
    path("codes/<int:pk>/", views_codes.code_detail, name="code_detail"),
    path("codes/<int:pk>/qr.<str:fmt>", views_codes.code_qr, name="code_qr"),
    path("codes/<int:pk>/change/", views_codes.code_change, name="code_change"),
]
