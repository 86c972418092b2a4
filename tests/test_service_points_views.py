"""Service points for staff: list, detail, edit (the grid from the point), map, posters, export."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.volunteers.models import ServicePoint, VolunteerCode

from .factories_volunteers import vol  # noqa: F401 (fixture)

VISIBLE = {
    "district": {"康定餐点", "大田加油站", "威海餐点"},
    "admin": {"康定餐点", "大田加油站"},
    "staff": {"康定餐点", "大田加油站"},
    "secretary": {"康定餐点"},
    "grid": {"康定餐点"},
    "other_admin": {"威海餐点"},
}


@pytest.mark.parametrize("role", [*VISIBLE, "member", "unscoped"])
def test_each_role_sees_its_points(vol, users, login, role):  # noqa: F811
    client = login(getattr(users, role))
    response = client.get(reverse("volunteers:point_list"))
    if role == "member":
        assert response.status_code == 403
        return
    names = {obj.name for obj, _cells in response.context["rows"]}
    assert names == VISIBLE.get(role, set())
    data = client.get(reverse("volunteers:point_map_data")).json()
    assert {f["properties"]["name"] for f in data["points"]["features"]} == VISIBLE.get(role, set())
    api = client.get("/api/volunteers/points/")
    assert {p["name"] for p in api.json()["results"]} == VISIBLE.get(role, set())


def test_detail_outside_scope_is_not_found(vol, users, login):  # noqa: F811
    assert login(users.grid).get(vol.east.get_absolute_url()).status_code == 404
    assert login(users.other_admin).get(vol.sw.get_absolute_url()).status_code == 404
    page = login(users.grid).get(vol.sw.get_absolute_url())
    text = page.content.decode()
    assert (
        page.status_code == 200
        and "开放时间" in text
        and "正在开放" in text
        or "当前未开放" in text
    )
    assert "优惠热餐" in text and "饮用水" in text


def point_form(**overrides):
    data = {
        "kind": "rider_station",
        "name": "康定路小哥加油站",
        "address": "上海市静安区康定路100号",
        "lat": "31.233000",
        "lon": "121.455000",
        "host_name": "康定路党群服务站",
        "offers": ["water", "charging", "toilet"],
        "offer_note": "",
        "hours_0": "07:00-21:00",
        "hours_1": "07:00-21:00",
        "hours_5": "24h",
        "hours_6": "",
        "hours_note": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_staff_add_a_point_the_grid_comes_from_the_position(vol, users, login, world):  # noqa: F811
    client = login(users.staff)
    response = client.post(reverse("volunteers:point_add"), point_form())
    point = ServicePoint.objects.get(name="康定路小哥加油站")
    assert response.status_code == 302
    assert point.region == world.grid_sw
    assert point.hours == {
        "0": [["07:00", "21:00"]],
        "1": [["07:00", "21:00"]],
        "5": [["00:00", "24:00"]],
    }
    assert list(point.offers) == ["water", "charging", "toilet"]


def test_bad_hours_and_points_outside_scope_are_refused_in_chinese(vol, users, login):  # noqa: F811
    client = login(users.staff)
    page = client.post(reverse("volunteers:point_add"), point_form(hours_2="早上七点到晚上"))
    assert "请按 07:00-21:00" in page.content.decode()
    outside = client.post(reverse("volunteers:point_add"), point_form(lat="31.225000"))
    assert "不在您的管辖范围" in outside.content.decode() or "之外" in outside.content.decode()
    assert not ServicePoint.objects.filter(name="康定路小哥加油站").exists()


def test_grid_worker_keeps_their_points_hours_but_cannot_add(vol, users, login):  # noqa: F811
    client = login(users.grid)
    assert client.get(reverse("volunteers:point_add")).status_code == 403
    form = client.get(reverse("volunteers:point_edit", args=[vol.sw.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update(
        offers=["water"], hours_3="09:00-17:00", is_active="on", lat="31.233", lon="121.455"
    )
    data["host_entity"] = ""
    response = client.post(reverse("volunteers:point_edit", args=[vol.sw.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    vol.sw.refresh_from_db()
    assert vol.sw.hours["3"] == [["09:00", "17:00"]] and list(vol.sw.offers) == ["water"]
    # Moving it into another grid is refused.
    data.update(lat="31.240000")
    client.post(reverse("volunteers:point_edit", args=[vol.sw.pk]), data)
    vol.sw.refresh_from_db()
    assert str(vol.sw.lat) == "31.233000"
    assert client.get(reverse("volunteers:point_edit", args=[vol.east.pk])).status_code == 404


def test_poster_for_a_point_and_an_area(vol, users, login, world):  # noqa: F811
    client = login(users.staff)
    response = client.post(reverse("volunteers:code_create"), {"point": vol.sw.pk})
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert VolunteerCode.objects.filter(point=vol.sw).count() == 1  # the fixture's code again
    client.post(reverse("volunteers:code_create"), {"region": world.east.pk})
    assert VolunteerCode.objects.filter(point=None, region=world.east).count() == 1
    other = client.post(reverse("volunteers:code_create"), {"region": world.other_area.pk})
    assert other.status_code == 404
    assert (
        client.post(reverse("volunteers:code_create"), {"point": vol.other.pk}).status_code == 404
    )
    assert (
        login(users.grid).post(reverse("volunteers:code_create"), {"point": vol.sw.pk}).status_code
        == 403
    )


def test_map_page_and_export(vol, users, login):  # noqa: F811
    client = login(users.staff)
    page = client.get(reverse("volunteers:point_map"))
    assert page.status_code == 200 and "vendor/leaflet/leaflet.js" in page.content.decode()
    data = client.get(reverse("volunteers:point_map_data") + "?kind=rider_station").json()
    assert [f["properties"]["name"] for f in data["points"]["features"]] == ["大田加油站"]
    export = client.get(reverse("volunteers:point_export") + "?format=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("类型", "名称")
    assert {r[1] for r in rows[1:]} == {"康定餐点", "大田加油站"}
    assert "周一–周日 07:00-21:00" in rows[1]


def test_list_filters(vol, users, login):  # noqa: F811
    vol.east.hours = {}
    vol.east.offers = ["water"]
    vol.east.save()
    client = login(users.staff)

    def names(query):
        response = client.get(reverse("volunteers:point_list") + query)
        return {obj.name for obj, _cells in response.context["rows"]}

    assert names("?offer=hot_meal") == {"康定餐点"}
    assert names("?kind=rider_station") == {"大田加油站"}
    assert names("?open_now=false") >= {"大田加油站"}
    assert "大田加油站" not in names("?open_now=true")
    assert names("?q=大田") == {"大田加油站"}
