from django.urls import path

from . import views, views_meetings, views_pulse, views_tasks

app_name = "councils"

urlpatterns = [
    path("", views.CouncilListView.as_view(), name="council_list"),
    path("add/", views.CouncilEditView.as_view(), name="council_add"),
    path("export/", views.CouncilExportView.as_view(), name="council_export"),
    path("grid/", views.grid_overview, name="grid_overview"),
    path("<int:pk>/", views.CouncilDetailView.as_view(), name="council_detail"),
    path("<int:pk>/edit/", views.CouncilEditView.as_view(), name="council_edit"),
    path("<int:pk>/history/", views.CouncilHistoryView.as_view(), name="council_history"),
    path("<int:council_pk>/seats/add/", views.seat_edit, name="seat_add"),
    path("<int:council_pk>/seats/<int:pk>/", views.seat_edit, name="seat_edit"),
    path("<int:council_pk>/meetings/add/", views.meeting_plan, name="meeting_add"),
    path("meetings/", views_meetings.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/export/", views_meetings.MeetingExportView.as_view(), name="meeting_export"),
    path("meetings/<int:pk>/", views_meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/record/", views_meetings.meeting_record, name="meeting_edit"),
    path(
        "meetings/<int:pk>/history/",
        views_meetings.MeetingHistoryView.as_view(),
        name="meeting_history",
    ),
    path("meetings/<int:pk>/agenda/", views_meetings.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/", views_meetings.agenda_change, name="agenda_change"),
    path("meetings/<int:pk>/decisions/add/", views_meetings.decision_edit, name="decision_add"),
    path(
        "meetings/<int:pk>/decisions/<int:decision_pk>/",
        views_meetings.decision_edit,
        name="decision_edit",
    ),
    path("meetings/<int:pk>/close/", views_meetings.meeting_close, name="meeting_close"),
    path("tasks/", views_tasks.TaskListView.as_view(), name="task_list"),
    path("tasks/export/", views_tasks.TaskExportView.as_view(), name="task_export"),
    path("tasks/<int:pk>/", views_tasks.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views_tasks.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/history/", views_tasks.TaskHistoryView.as_view(), name="task_history"),
    path("tasks/<int:pk>/mark/", views_tasks.task_mark, name="task_mark"),
    path("pulse/", views_pulse.TopicListView.as_view(), name="topic_list"),
    path("pulse/export/", views_pulse.TopicExportView.as_view(), name="topic_export"),
    path("pulse/<int:pk>/", views_pulse.TopicDetailView.as_view(), name="topic_detail"),
    path("pulse/<int:pk>/history/", views_pulse.TopicHistoryView.as_view(), name="topic_history"),
    path("pulse/<int:pk>/moderate/", views_pulse.topic_moderate, name="topic_moderate"),
    path("pulse/<int:pk>/agenda/", views_pulse.topic_to_agenda, name="topic_agenda"),
    path("pulse/boards/", views_pulse.BoardListView.as_view(), name="board_list"),
    path("pulse/boards/add/", views_pulse.BoardEditView.as_view(), name="board_add"),
    path("pulse/boards/<int:pk>/", views_pulse.BoardDetailView.as_view(), name="board_detail"),
    path("pulse/boards/<int:pk>/edit/", views_pulse.BoardEditView.as_view(), name="board_edit"),
    path(
        "pulse/boards/<int:pk>/history/",
        views_pulse.BoardHistoryView.as_view(),
        name="board_history",
    ),
]
