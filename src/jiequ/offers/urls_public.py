"""Public phone pages under /p/o/: no account, unguessable tokens, rate-limited."""

from django.urls import path

from . import views_public

app_name = "offers_public"

urlpatterns = [
    path("", views_public.offers, name="offers"),
    path("claim/<slug:token>/", views_public.claim, name="claim"),
    path("r/<str:code>/", views_public.coupon, name="coupon"),
    path("counter/<slug:token>/", views_public.counter, name="counter"),
]
