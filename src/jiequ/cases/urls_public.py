"""Public demand pages, mounted at /p/d/: no account, unguessable tokens."""

from django.urls import path

from . import views_public

app_name = "cases_public"

urlpatterns = [
    # The follow link first: "follow" is not a code token, but keep the order obvious.
    path("follow/<slug:token>/", views_public.follow, name="follow"),
    path("follow/<slug:token>/rate/", views_public.rate, name="rate"),
    path("<slug:token>/", views_public.demand, name="demand"),
]
