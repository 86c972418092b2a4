from django.urls import path
from django.views.generic import RedirectView

from . import views, views_committee, views_rules

app_name = "party"

urlpatterns = [
    # /party/ is where people type to find the organisations.
    path("", RedirectView.as_view(pattern_name="party:organisation_list"), name="index"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/add/", views.OrganisationEditView.as_view(), name="organisation_add"),
    path(
        "organisations/export/",
        views.OrganisationExportView.as_view(),
        name="organisation_export",
    ),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        "organisations/<int:pk>/delete/",
        views.OrganisationDeleteView.as_view(),
        name="organisation_delete",
    ),
    path(
        "organisations/<int:pk>/history/",
        views.OrganisationHistoryView.as_view(),
        name="organisation_history",
    ),
    path(
        "organisations/<int:pk>/coverage/add/",
        views_committee.coverage_add,
        name="coverage_add",
    ),
    path("coverage/<int:pk>/remove/", views_committee.coverage_delete, name="coverage_delete"),
    path(
        "organisations/<int:pk>/officers/add/",
        views_committee.officer_add,
        name="officer_add",
    ),
    path("officers/<int:pk>/edit/", views_committee.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/end/", views_committee.officer_end, name="officer_end"),
    path("terms/", views.terms, name="terms"),
    path("cadres/", views_committee.CadreListView.as_view(), name="cadre_list"),
    path("cadres/add/", views_committee.CadreEditView.as_view(), name="cadre_add"),
    path("cadres/<int:pk>/", views_committee.CadreDetailView.as_view(), name="cadre_detail"),
    path("cadres/<int:pk>/edit/", views_committee.CadreEditView.as_view(), name="cadre_edit"),
    path("cadres/<int:pk>/delete/", views_committee.CadreDeleteView.as_view(), name="cadre_delete"),
    path(
        "cadres/<int:pk>/history/",
        views_committee.CadreHistoryView.as_view(),
        name="cadre_history",
    ),
    path("members/<int:pk>/posts/", views_committee.member_posts, name="member_posts"),
    path("cross-postings/", views_committee.crossposting_list, name="crossposting_list"),
    path("rules/", views_rules.rule_list, name="rules"),
    path("rules/<slug:key>/", views_rules.rule_edit, name="rule_edit"),
]
