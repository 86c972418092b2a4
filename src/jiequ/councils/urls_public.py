from django.urls import path

from . import views_public

app_name = "pulse"

urlpatterns = [
    path("<slug:token>/", views_public.board, name="board"),
    path("<slug:token>/post/", views_public.post, name="post"),
    path("<slug:token>/t/<int:pk>/", views_public.topic, name="topic"),
    path("<slug:token>/t/<int:pk>/vote/", views_public.vote, name="vote"),
]
