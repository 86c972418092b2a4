"""Council pages: each role sees the councils of its region (lists, detail, export, API), the
neighbour's admin sees none of ours, and adding councils and seats is checked with reasons."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.councils.models import Council, CouncilMember, MemberKind

from .factories_councils import councils_world  # noqa: F401 (fixture)

OURS = {"康定路街委会", "康定网格会商", "大田路街委会"}
VISIBLE = {
    "district": OURS | {"威海路街委会"},
    "admin": OURS,
    "staff": OURS,
    "secretary": {"康定路街委会", "康定网格会商"},  # area 江宁
    "grid": {"康定网格会商"},  # grid 康定
    "member": OURS,
    "other_admin": {"威海路街委会"},
    "unscoped": set(),
}
ALL = OURS | {"威海路街委会"}


@pytest.mark.parametrize("role", VISIBLE)
def test_council_list_shows_only_the_scope(councils_world, users, login, role):  # noqa: F811
    page = login(getattr(users, role)).get(reverse("councils:council_list")).content.decode()
    for name in ALL:
        assert (name in page) == (name in VISIBLE[role]), (role, name)


@pytest.mark.parametrize("role", VISIBLE)
def test_council_detail_outside_scope_is_not_found(councils_world, users, login, role):  # noqa: F811
    client = login(getattr(users, role))
    for council in Council.objects.all():
        response = client.get(council.get_absolute_url())
        expected = 200 if council.name in VISIBLE[role] else 404
        assert response.status_code == expected, (role, council.name)


@pytest.mark.parametrize("role", VISIBLE)
def test_api_holds_only_the_scope(councils_world, users, client, role):  # noqa: F811
    client.force_login(getattr(users, role))
    response = client.get("/api/councils/councils/")
    names = {c["name"] for c in response.json()["results"]}
    assert names == VISIBLE[role]


def test_export_opens_as_excel_with_our_councils(councils_world, users, login):  # noqa: F811
    response = login(users.staff).get(reverse("councils:council_export") + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    assert {r[0] for r in rows[1:]} == OURS


def test_secretary_and_grid_worker_cannot_export(councils_world, users, login):  # noqa: F811
    for role in ("secretary", "grid", "other_admin"):
        response = login(getattr(users, role)).get(reverse("councils:council_export"))
        assert response.status_code == (200 if role == "other_admin" else 403)
    text = (
        login(users.other_admin).get(reverse("councils:council_export")).content.decode("utf-8-sig")
    )
    assert "康定路街委会" not in text and "威海路街委会" in text


def test_detail_shows_members_meetings_cases_and_tasks(councils_world, users, login):  # noqa: F811
    w = councils_world
    page = login(users.staff).get(w.street.get_absolute_url()).content.decode()
    assert "王老板" in page and "康定路小吃店" in page  # an entity's owner: name + shop
    assert "江宁街区党支部" in page and w.branch_seat.member.name in page
    assert "石门二路派出所" in page
    assert w.held.number in page  # the case held at this council
    assert w.escalated.number not in page  # at the grid, not here


def test_grid_council_shows_its_backlog(councils_world, users, login):  # noqa: F811
    w = councils_world
    page = login(users.grid).get(w.grid.get_absolute_url()).content.decode()
    assert "已上报本网格、尚未办理的诉求" in page
    assert w.escalated.number in page


def test_district_and_members_read_councils_but_not_who_sits(councils_world, users, login):  # noqa: F811
    for role in ("district", "member"):
        page = login(getattr(users, role)).get(councils_world.street.get_absolute_url())
        assert page.status_code == 200
        assert "王老板" not in page.content.decode()


def test_staff_adds_a_street_council_and_refusals_name_the_reason(world, users, login, party):
    client = login(users.staff)
    response = client.post(
        reverse("councils:council_add"),
        {"name": "昌平路街委会", "kind": "street", "region": world.west.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "街委会对应一条道路：请选择道路。" in response.content.decode()
    response = client.post(
        reverse("councils:council_add"),
        {
            "name": "昌平路街委会",
            "kind": "street",
            "region": world.west.pk,
            "road": world.road.pk,
            "organisation": party.west.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Council.objects.get(name="昌平路街委会").region == world.west


def test_grid_consultation_defaults_to_fourteen_days(world, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("councils:council_add"),
        {"name": "昌平网格会商", "kind": "grid", "region": world.grid_nw.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    assert Council.objects.get(name="昌平网格会商").meets_every_days == 14


def test_a_region_outside_the_scope_is_refused(world, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("councils:council_add"),
        {"name": "威海网格会商", "kind": "grid", "region": world.other_grid.pk},
    )
    assert response.status_code == 200
    assert not Council.objects.filter(name="威海网格会商").exists()


def test_seat_needs_what_it_sits_for(councils_world, users, login):  # noqa: F811
    w = councils_world
    client = login(users.staff)
    url = reverse("councils:seat_add", args=[w.street.pk])
    response = client.post(url, {"kind": "entity", "post": "member", "name": "李老板"})
    assert response.status_code == 400
    assert "请选择此人所代表的商铺或企业。" in response.content.decode()
    response = client.post(
        url, {"kind": "entity", "post": "member", "name": "李老板", "entity": w.west_shop.pk}
    )
    assert response.status_code == 302
    seat = CouncilMember.objects.get(name="李老板")
    assert seat.kind == MemberKind.ENTITY and seat.council == w.street
    # Ending a seat: the day they left, never before they joined.
    response = client.post(
        reverse("councils:seat_edit", args=[w.street.pk, seat.pk]),
        {
            "kind": "entity",
            "post": "member",
            "name": "李老板",
            "entity": w.west_shop.pk,
            "joined_on": "2026-01-10",
            "left_on": "2026-01-01",
            "loaded_at": seat.updated_at.isoformat(),
        },
    )
    assert "退出日期不能早于加入日期。" in response.content.decode()


def test_secretary_may_not_add_seats_and_neighbour_cannot_reach_ours(councils_world, users, login):  # noqa: F811
    w = councils_world
    assert (
        login(users.secretary).get(reverse("councils:seat_add", args=[w.street.pk])).status_code
        == 403
    )
    assert (
        login(users.other_admin).get(reverse("councils:seat_add", args=[w.street.pk])).status_code
        == 404
    )


def test_list_filters_by_kind_and_missed_meetings(councils_world, users, login):  # noqa: F811
    client = login(users.staff)
    page = client.get(reverse("councils:council_list") + "?kind=grid").content.decode()
    assert "康定网格会商" in page and "康定路街委会" not in page
    # The grid consultation was founded 60 days ago and has never met: it is late.
    page = client.get(reverse("councils:council_list") + "?missed=true").content.decode()
    assert "康定网格会商" in page and "大田路街委会" not in page
