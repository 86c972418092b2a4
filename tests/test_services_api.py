"""The supply lists' JSON API: read-only, scoped like the pages, with suggestions."""

import pytest
from django.urls import reverse

from tests.factories_services import supply_world


@pytest.fixture
def supply(world, party):
    return supply_world(world, party)


def titles(response):
    body = response.json()
    return {row.get("title") or row.get("what") for row in body.get("results", body)}


def test_needs_are_scoped(supply, users, login):
    url = "/api/services/needs/"
    assert titles(login(users.secretary).get(url)) == {"西片支部需要会议室"}
    assert titles(login(users.other_admin).get(url)) == {"威海支部需要会议室"}
    # The district reads the supply figures, not the lists.
    assert login(users.district).get(url).status_code == 403


def test_resources_show_what_remains_and_groups_as_a_list(supply, users, login):
    body = login(users.staff).get("/api/services/resources/").json()
    rows = {r["title"]: r for r in body.get("results", body)}
    assert rows["江宁楼宇会议室共享"]["remaining"] == 10
    assert rows["江宁楼宇会议室共享"]["target_groups"] == ["members"]
    assert "威海会议室" not in rows


def test_need_suggestions_endpoint(supply, users, login):
    client = login(users.staff)
    response = client.get(f"/api/services/needs/{supply.needs.east.pk}/suggestions/")
    assert response.status_code == 200
    best = response.json()[0]
    assert best["title"] == "成都路律师公益法律咨询" and best["score"] > 50
    assert any("类别相同" in r for r in best["reasons"])
    other = login(users.other_admin)
    assert other.get(f"/api/services/needs/{supply.needs.east.pk}/suggestions/").status_code == 404


def test_the_api_is_read_only(supply, users, login):
    client = login(users.admin)
    response = client.post("/api/services/needs/", {"title": "x"})
    assert response.status_code == 405
    deliveries = client.get("/api/services/deliveries/")
    assert deliveries.status_code == 200 and len(titles(deliveries)) == 1
    assert reverse("api-schema")
