"""Case handling pages (the list's parameters are in filtersets.py)."""

from django.urls import path

from . import views, views_create, views_taxonomy

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("add/", views_create.case_add, name="case_add"),
    path("export/", views.CaseExportView.as_view(), name="case_export"),
    path("overdue/", views.overdue, name="overdue"),
    path("entities/", views.entity_search, name="entity_search"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/act/<slug:action>/", views.case_act, name="case_act"),
    path("<int:pk>/photos/", views.case_add_photos, name="case_add_photos"),
    path("<int:pk>/history/", views.CaseHistoryView.as_view(), name="case_history"),
    path("photos/<int:pk>/", views.case_photo, name="case_photo"),
    path("categories/", views_taxonomy.category_list, name="category_list"),
    path("categories/add/", views_taxonomy.category_edit, name="category_add"),
    path("categories/<int:pk>/edit/", views_taxonomy.category_edit, name="category_edit"),
    path("time-limits/", views_taxonomy.deadline_list, name="deadline_list"),
    path("time-limits/add/", views_taxonomy.deadline_edit, name="deadline_add"),
    path("time-limits/<int:pk>/edit/", views_taxonomy.deadline_edit, name="deadline_edit"),
    path("time-limits/<int:pk>/delete/", views_taxonomy.deadline_delete, name="deadline_delete"),
]
