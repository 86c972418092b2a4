from django.urls import path

from . import views_chiefs, views_coverage, views_instructors, views_plans, views_zones

app_name = "coverage"

urlpatterns = [
    # The planner, responsibility zones and street chiefs.
    path("plans/", views_plans.plan_list, name="plan_list"),
    path("plans/new/", views_plans.plan_add, name="plan_add"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/move/", views_plans.plan_move, name="plan_move"),
    path("plans/<int:pk>/lock/", views_plans.plan_lock, name="plan_lock"),
    path("plans/<int:pk>/unlock/", views_plans.plan_unlock, name="plan_unlock"),
    path("plans/<int:pk>/rerun/", views_plans.plan_rerun, name="plan_rerun"),
    path("plans/<int:pk>/groups/<int:number>/name/", views_plans.plan_rename, name="plan_rename"),
    path("plans/<int:pk>/apply/", views_plans.plan_apply, name="plan_apply"),
    path("plans/<int:pk>/delete/", views_plans.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/history/", views_plans.PlanHistoryView.as_view(), name="plan_history"),
    path("zones/", views_zones.zone_index, name="zone_index"),
    path("zones/<int:pk>/", views_zones.zone_branch, name="zone_branch"),
    path("zones/<int:pk>/plan/", views_zones.zone_plan_add, name="zone_plan_add"),
    path("chiefs/", views_chiefs.chief_index, name="chief_index"),
    path("chiefs/<int:pk>/", views_chiefs.chief_list, name="chief_list"),
    path("chiefs/roads/<int:pk>/", views_chiefs.chief_road, name="chief_road"),
    path("chiefs/posts/<int:pk>/end/", views_chiefs.chief_end, name="chief_end"),
    # Coverage status, rates, blind spots, the map and instructors.
    path("", views_coverage.overview, name="overview"),
    path("entities/", views_coverage.CoverageEntityListView.as_view(), name="entity_list"),
    path(
        "entities/export/", views_coverage.CoverageEntityExportView.as_view(), name="entity_export"
    ),
    path("blind-spots/", views_coverage.blind_spot_list, name="blindspot_list"),
    path(
        "blind-spots/buildings/",
        views_coverage.blind_spot_buildings,
        name="blindspot_buildings",
    ),
    path(
        "blind-spots/<slug:key>/export/",
        views_coverage.blind_spot_export,
        name="blindspot_export",
    ),
    path("map/", views_coverage.map_page, name="map"),
    path("map/data/", views_coverage.map_data, name="map_data"),
    path("instructors/", views_instructors.InstructorListView.as_view(), name="instructor_list"),
    path("instructors/add/", views_instructors.InstructorAddView.as_view(), name="instructor_add"),
    path("instructors/<int:pk>/end/", views_instructors.instructor_end, name="instructor_end"),
]
