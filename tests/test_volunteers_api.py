"""The JSON API of service points, volunteers and tasks (read-only, scoped, phones masked);
the admin pages for the superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from jiequ.volunteers.models import (
    ServicePoint,
    TaskSignup,
    Volunteer,
    VolunteerCode,
    VolunteerTask,
)

from .factories import UserFactory
from .factories_volunteers import TaskSignupFactory, vol  # noqa: F401 (vol is a fixture)


def test_volunteers_api_is_scoped_and_masked(vol, users, client):  # noqa: F811
    client.force_login(users.staff)
    data = client.get("/api/volunteers/volunteers/").json()["results"]
    assert {v["name"] for v in data} == {"王小骑", "李待审", "赵东"}
    rider = next(v for v in data if v["name"] == "王小骑")
    assert rider["phone_masked"] == vol.rider.phone_masked
    assert rider["skills"] == ["first_aid", "traffic"]
    assert client.get(f"/api/volunteers/volunteers/{vol.neighbour.pk}/").status_code == 404
    client.force_login(users.grid)
    assert client.get("/api/volunteers/volunteers/").status_code == 403


def test_tasks_api_counts_places_and_refuses_writes(vol, users, client):  # noqa: F811
    TaskSignupFactory(task=vol.task, volunteer=vol.rider)
    client.force_login(users.staff)
    tasks = {t["title"]: t for t in client.get("/api/volunteers/tasks/").json()["results"]}
    assert set(tasks) == {"康定路交通劝导", "大田路清洁"}
    assert tasks["康定路交通劝导"]["taken"] == 1 and tasks["康定路交通劝导"]["places"] == 3
    assert client.post("/api/volunteers/tasks/", {"title": "x"}).status_code == 405
    assert client.delete(f"/api/volunteers/points/{vol.sw.pk}/").status_code in (403, 405)


def test_the_schema_describes_the_new_endpoints(db, client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/volunteers/points/" in schema and "/api/volunteers/tasks/" in schema


@pytest.mark.parametrize(
    "model", [ServicePoint, VolunteerCode, Volunteer, VolunteerTask, TaskSignup]
)
def test_admin_pages_open_without_phones(vol, client, model):  # noqa: F811
    assert model in admin.site._registry
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    meta = model._meta
    page = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert page.status_code == 200
    if model is Volunteer:
        detail = client.get(reverse("admin:volunteers_volunteer_change", args=[vol.rider.pk]))
        text = detail.content.decode()
        assert detail.status_code == 200 and vol.rider.phone_masked in text
        assert vol.rider.phone_encrypted not in text and vol.rider.token not in text
