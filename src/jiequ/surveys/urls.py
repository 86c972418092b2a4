from django.urls import path

from . import views, views_report, views_visits

app_name = "surveys"

urlpatterns = [
    path("", views.SurveyListView.as_view(), name="survey_list"),
    path("add/", views.survey_add, name="survey_add"),
    path("mine/", views_visits.my_visits, name="my_visits"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/edit/", views.SurveyEditView.as_view(), name="survey_edit"),
    path("<int:pk>/history/", views.SurveyHistoryView.as_view(), name="survey_history"),
    path("<int:pk>/state/", views.survey_state, name="survey_state"),
    path("<int:pk>/plan/", views_visits.survey_plan, name="survey_plan"),
    path("<int:pk>/visits/<int:visit_pk>/", views_visits.visit, name="visit"),
    path(
        "<int:pk>/visits/<int:visit_pk>/remove/",
        views_visits.visit_remove,
        name="visit_remove",
    ),
    path("<int:pk>/report/", views_report.survey_report, name="survey_report"),
    path("<int:pk>/report.pdf", views_report.survey_report_pdf, name="survey_report_pdf"),
    path("<int:pk>/export/", views_report.survey_export, name="survey_export"),
]
