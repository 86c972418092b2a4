from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.MessageListView.as_view(), name="message_list"),
    path("<int:pk>/", views.MessageDetailView.as_view(), name="message_detail"),
    path("<int:pk>/history/", views.MessageHistoryView.as_view(), name="message_history"),
    path("<int:pk>/retry/", views.message_retry, name="message_retry"),
]
