from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/data/", views.map_data, name="map_data"),
    path("buildings/", views.BuildingListView.as_view(), name="building_list"),
    path("buildings/add/", views.BuildingEditView.as_view(), name="building_add"),
    path("buildings/export/", views.BuildingExportView.as_view(), name="building_export"),
    path("buildings/import/", views.BuildingImportView.as_view(), name="building_import"),
    path("buildings/<int:pk>/", views.BuildingDetailView.as_view(), name="building_detail"),
    path("buildings/<int:pk>/edit/", views.BuildingEditView.as_view(), name="building_edit"),
    path("buildings/<int:pk>/delete/", views.BuildingDeleteView.as_view(), name="building_delete"),
    path(
        "buildings/<int:pk>/history/", views.BuildingHistoryView.as_view(), name="building_history"
    ),
]
