from django.urls import path

from . import views, views_registry, views_rounds, views_signup

app_name = "ledger"

urlpatterns = [
    path("entities/", views.EntityListView.as_view(), name="entity_list"),
    path("entities/add/", views.EntityEditView.as_view(), name="entity_add"),
    path("entities/export/", views.EntityExportView.as_view(), name="entity_export"),
    path("entities/import/", views.EntityImportView.as_view(), name="entity_import"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity_detail"),
    path("entities/<int:pk>/edit/", views.EntityEditView.as_view(), name="entity_edit"),
    path("entities/<int:pk>/delete/", views.EntityDeleteView.as_view(), name="entity_delete"),
    path("entities/<int:pk>/history/", views.EntityHistoryView.as_view(), name="entity_history"),
    path("entities/<int:pk>/visit/", views_rounds.visit_entity, name="entity_visit"),
    path("rounds/", views_rounds.RoundListView.as_view(), name="round_list"),
    path("rounds/open/", views_rounds.round_open, name="round_add"),
    path("rounds/<int:pk>/", views_rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", views_rounds.round_close, name="round_close"),
    path("visits/mine/", views_rounds.my_walk_list, name="walk_list"),
    path("codes/new/", views_signup.code_create, name="code_create"),
    path("codes/<int:pk>/poster.pdf", views_signup.code_poster, name="code_poster"),
    path("registry/", views_registry.SourceListView.as_view(), name="registry_source_list"),
    path("registry/add/", views_registry.SourceEditView.as_view(), name="registry_source_add"),
    path("registry/<int:pk>/", views_registry.source_detail, name="registry_source"),
    path(
        "registry/<int:pk>/edit/",
        views_registry.SourceEditView.as_view(),
        name="registry_source_edit",
    ),
    path("registry/<int:pk>/import/", views_registry.source_import, name="registry_source_import"),
    path("registry/<int:pk>/review/", views_registry.review_queue, name="registry_review"),
    path("registry/imports/<int:pk>/", views_registry.import_detail, name="registry_import"),
    path("registry/records/<int:pk>/decide/", views_registry.review_decide, name="registry_decide"),
    path("registrations/", views_signup.RegistrationListView.as_view(), name="registration_list"),
    path(
        "registrations/<int:pk>/review/",
        views_signup.registration_review,
        name="registration_review",
    ),
]
