"""The cases API: scoped reads, creation through the service, transitions through the workflow."""

import pytest
from rest_framework.test import APIClient

from jiequ.cases.models import Case

from .factories_cases import build_cases_world, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_world(world, users, party):
    return build_cases_world(world, party)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def numbers(response):
    return {row["number"] for row in response.json()["results"]}


def test_the_list_is_scoped_and_phones_are_masked(cases_world, users):
    w = cases_world
    Case.objects.filter(pk=w.west.pk).update(reporter_name="王")
    w.west.set_phone("+8613912345678")
    w.west.save()
    assert numbers(api(users.secretary).get("/api/cases/")) == {w.west.number, w.group.number}
    assert numbers(api(users.grid).get("/api/cases/")) == {w.west.number}
    assert numbers(api(users.other_admin).get("/api/cases/")) == {w.other.number}
    assert len(numbers(api(users.district).get("/api/cases/"))) == 4
    assert api(users.member).get("/api/cases/").status_code == 403
    detail = api(users.staff).get(f"/api/cases/{w.west.pk}/").json()
    assert detail["phone_masked"] == "139****5678"
    assert "13912345678" not in str(detail)
    assert detail["events"][0]["action"] == "receive"
    assert "start" in detail["allowed_actions"]
    assert api(users.secretary).get(f"/api/cases/{w.east.pk}/").status_code == 404


def test_list_filters_use_the_same_parameters(cases_world, users):
    response = api(users.staff).get("/api/cases/", {"category": category("E01").pk})
    assert numbers(response) == {cases_world.west.number, cases_world.east.number}


def test_create(cases_world, users):
    body = {
        "source": "visit",
        "category": category("E0202").pk,
        "title": "非机动车乱停放",
        "description": "门口电动车堵住消防通道",
        "entity": cases_world.west_shop.pk,
        "submission_key": "k1",
    }
    response = api(users.secretary).post("/api/cases/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == cases_world.west.organisation_id
    again = api(users.secretary).post("/api/cases/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    outside = dict(body, entity=cases_world.east_shop.pk, submission_key="k2")
    refused = api(users.secretary).post("/api/cases/", outside, format="json")
    assert refused.status_code == 400 and "工作范围" in str(refused.json())
    nowhere = dict(body, entity=None, submission_key="k3")
    refused = api(users.secretary).post("/api/cases/", nowhere, format="json")
    assert refused.status_code == 400 and "地图" in str(refused.json())
    assert api(users.district).post("/api/cases/", body, format="json").status_code == 403


def test_transition(cases_world, users):
    case = cases_world.west
    url = f"/api/cases/{case.pk}/transition/"
    client = api(users.secretary)
    response = client.post(url, {"action": "close"}, format="json")
    assert response.status_code == 400
    assert "已受理" in response.json()["detail"] and "当前可以" in response.json()["detail"]
    response = client.post(url, {"action": "assign", "assignee": users.grid.pk}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "assigned"
    loaded = response.json()["updated_at"]
    response = api(users.grid).post(
        url, {"action": "resolve", "resolution": "已清理", "loaded_at": loaded}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "resolved"
    # The same stale version again: someone acted in between.
    response = client.post(
        url, {"action": "reopen", "reason": "未解决", "loaded_at": loaded}, format="json"
    )
    assert response.status_code == 409 and "其他人" in response.json()["detail"]
    assert api(users.district).post(url, {"action": "close"}, format="json").status_code == 403
    other = f"/api/cases/{cases_world.east.pk}/transition/"
    assert client.post(other, {"action": "start"}, format="json").status_code == 404
    response = client.post(url, {"action": "fly"}, format="json")
    assert response.status_code == 400
