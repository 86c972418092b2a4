from django.urls import path

from . import views_figures, views_people, views_points, views_tasks

app_name = "volunteers"

urlpatterns = [
    path("points/", views_points.PointListView.as_view(), name="point_list"),
    path("points/add/", views_points.PointEditView.as_view(), name="point_add"),
    path("points/export/", views_points.PointExportView.as_view(), name="point_export"),
    path("points/map/", views_points.map_page, name="point_map"),
    path("points/map/data/", views_points.map_data, name="point_map_data"),
    path("points/<int:pk>/", views_points.PointDetailView.as_view(), name="point_detail"),
    path("points/<int:pk>/edit/", views_points.PointEditView.as_view(), name="point_edit"),
    path("points/<int:pk>/history/", views_points.PointHistoryView.as_view(), name="point_history"),
    path("points/<int:pk>/delete/", views_points.PointDeleteView.as_view(), name="point_delete"),
    path("codes/add/", views_points.code_create, name="code_create"),
    path("codes/<int:pk>/poster/", views_points.code_poster, name="code_poster"),
    path("people/", views_people.VolunteerListView.as_view(), name="volunteer_list"),
    path("people/export/", views_people.VolunteerExportView.as_view(), name="volunteer_export"),
    path("people/<int:pk>/", views_people.VolunteerDetailView.as_view(), name="volunteer_detail"),
    path(
        "people/<int:pk>/history/",
        views_people.VolunteerHistoryView.as_view(),
        name="volunteer_history",
    ),
    path("people/<int:pk>/review/", views_people.review, name="volunteer_review"),
    path("people/<int:pk>/withdraw/", views_people.withdraw, name="volunteer_withdraw"),
    path("people/<int:pk>/link/", views_people.new_link, name="volunteer_link"),
    path("tasks/", views_tasks.TaskListView.as_view(), name="task_list"),
    path("tasks/add/", views_tasks.TaskEditView.as_view(), name="task_add"),
    path("tasks/export/", views_tasks.TaskExportView.as_view(), name="task_export"),
    path("tasks/<int:pk>/", views_tasks.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views_tasks.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/history/", views_tasks.TaskHistoryView.as_view(), name="task_history"),
    path("tasks/<int:pk>/delete/", views_tasks.TaskDeleteView.as_view(), name="task_delete"),
    path("tasks/<int:pk>/assign/", views_tasks.assign, name="task_assign"),
    path("signups/<int:pk>/", views_tasks.signup_update, name="signup_update"),
    path("hours/", views_figures.hours_page, name="hours"),
    path("hours/export/", views_figures.hours_export, name="hours_export"),
    path("pool/", views_figures.pool_page, name="pool"),
    path("pool/export/", views_figures.pool_export, name="pool_export"),
]
