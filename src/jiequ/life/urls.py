from django.urls import path

from . import views, views_compliance, views_training

app_name = "life"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingEditView.as_view(), name="meeting_add"),
    path("meetings/export/", views.MeetingExportView.as_view(), name="meeting_export"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/history/", views.MeetingHistoryView.as_view(), name="meeting_history"),
    path("compliance/", views_compliance.compliance_grid, name="compliance"),
    path(
        "compliance/<int:pk>/",
        views_compliance.compliance_organisation,
        name="compliance_organisation",
    ),
    path("courses/", views_training.CourseListView.as_view(), name="course_list"),
    path("courses/add/", views_training.CourseEditView.as_view(), name="course_add"),
    path("courses/export/", views_training.CourseExportView.as_view(), name="course_export"),
    path("courses/<int:pk>/", views_training.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<int:pk>/edit/", views_training.CourseEditView.as_view(), name="course_edit"),
    path(
        "courses/<int:pk>/history/",
        views_training.CourseHistoryView.as_view(),
        name="course_history",
    ),
    path(
        "courses/<int:pk>/attendance/",
        views_training.course_attendance,
        name="course_attendance",
    ),
    path("handbook/", views_training.handbook, name="handbook"),
    path("mentors/", views_training.MentorshipListView.as_view(), name="mentorship_list"),
    path("mentors/add/", views_training.MentorshipEditView.as_view(), name="mentorship_add"),
    path("mentors/<int:pk>/end/", views_training.mentorship_end, name="mentorship_end"),
    path(
        "mentors/<int:pk>/history/",
        views_training.MentorshipHistoryView.as_view(),
        name="mentorship_history",
    ),
]
