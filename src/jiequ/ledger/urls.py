from django.urls import path

from . import views

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
]
