from django.urls import path

from . import views, views_coverage, views_deliveries, views_projects, views_talents

app_name = "services"


def _crud(prefix: str, name: str, module, model: str) -> list:
    """List, add, export, detail, edit and history of one resource."""
    return [
        path(f"{prefix}/", getattr(module, f"{model}ListView").as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", getattr(module, f"{model}EditView").as_view(), name=f"{name}_add"),
        path(
            f"{prefix}/export/",
            getattr(module, f"{model}ExportView").as_view(),
            name=f"{name}_export",
        ),
        path(
            f"{prefix}/<int:pk>/",
            getattr(module, f"{model}DetailView").as_view(),
            name=f"{name}_detail",
        ),
        path(
            f"{prefix}/<int:pk>/edit/",
            getattr(module, f"{model}EditView").as_view(),
            name=f"{name}_edit",
        ),
        path(
            f"{prefix}/<int:pk>/history/",
            getattr(module, f"{model}HistoryView").as_view(),
            name=f"{name}_history",
        ),
    ]


urlpatterns = [
    path("", views_coverage.coverage_view, name="coverage"),
    path("coverage/export/", views_coverage.coverage_export, name="coverage_export"),
    *_crud("needs", "need", views, "Need"),
    *_crud("resources", "resource", views, "Resource"),
    *_crud("projects", "project", views_projects, "Project"),
    path("projects/bundle/", views_projects.project_bundle, name="project_bundle"),
    path(
        "projects/<int:pk>/resources/",
        views_projects.project_allocate,
        name="project_allocate",
    ),
    path(
        "projects/<int:pk>/resources/<int:allocation>/release/",
        views_projects.project_release,
        name="project_release",
    ),
    *_crud("deliveries", "delivery", views_deliveries, "Delivery"),
    *_crud("talents", "talent", views_talents, "Talent"),
    path("talents/invite/", views_talents.talent_invite, name="talent_invite"),
    path("talents/<int:pk>/withdraw/", views_talents.talent_withdraw, name="talent_withdraw"),
]
