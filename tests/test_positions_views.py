"""Positions and rooms: who sees which, forms with Chinese refusals, the week view and the day
list, exports that open as Excel, the API."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jiequ.positions.models import Position, Room

from .factories_positions import BookingFactory, at, positions_world


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def pw(world, party):
    return positions_world(world, party)


OURS = {"江宁片区党群服务阵地", "成都片区党群服务阵地"}
THEIRS = {"威海党群服务站"}

# Every user of the subdistrict reads all its positions (a secretary of one area included);
# the district reads all; the neighbour's admin only theirs.
VISIBLE = {
    "district": OURS | THEIRS,
    "admin": OURS,
    "staff": OURS,
    "secretary": OURS,
    "grid": OURS,
    "member": OURS,
    "other_admin": THEIRS,
    "unscoped": set(),
}


@pytest.mark.parametrize("role", VISIBLE)
def test_position_list_shows_the_subdistricts_positions(pw, users, login, role):
    response = login(getattr(users, role)).get(reverse("positions:position_list"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in OURS | THEIRS:
        assert (name in page) == (name in VISIBLE[role]), name


@pytest.mark.parametrize("role", ["district", "staff", "secretary", "other_admin"])
def test_position_export_is_excel_and_scoped(pw, users, login, role):
    response = login(getattr(users, role)).get(
        reverse("positions:position_export") + "?format=xlsx"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert names == VISIBLE[role]
    assert sheet["A1"].value == "名称"


def test_grid_worker_and_member_cannot_export(pw, users, login):
    for user in (users.grid, users.member):
        assert login(user).get(reverse("positions:position_export")).status_code == 403


def test_the_neighbours_position_answers_404(pw, users, login):
    client = login(users.other_admin)
    assert client.get(reverse("positions:position_detail", args=[pw.west.pk])).status_code == 404
    assert client.get(reverse("positions:room_detail", args=[pw.room.pk])).status_code == 404
    assert client.get(reverse("positions:position_week", args=[pw.west.pk])).status_code == 404
    assert client.get(reverse("positions:position_day", args=[pw.west.pk])).status_code == 404
    assert client.get(reverse("positions:rota", args=[pw.west.pk])).status_code == 404
    rooms = client.get(reverse("positions:room_list")).content.decode()
    assert "江宁片区党群服务阵地" not in rooms and "威海会议室" in rooms


def test_position_page_shows_rooms_week_and_gaps(pw, users, login, party):
    BookingFactory(room=pw.room, organisation=party.west, purpose="支部委员会")
    response = login(users.staff).get(pw.west.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "组织生活室" in page and "网格议事厅" in page
    assert 'class="week"' in page and "江宁街区党支部" in page
    # No rota yet: every open day of the next two weeks is a gap.
    assert "没有轮值站长" in page
    assert len(response.context["gaps"]) == 14


def test_week_view_switches_weeks_with_htmx(pw, users, login, party):
    BookingFactory(room=pw.room, organisation=party.west, starts_at=at(8, 10))
    client = login(users.staff)
    url = reverse("positions:position_week", args=[pw.west.pk])
    monday = at(8, 10).date()
    monday = monday.fromordinal(monday.toordinal() - monday.weekday())
    response = client.get(url, {"week": monday.isoformat()}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div id="week">') and "<html" not in page
    assert "江宁街区党支部" in page and "10:00–12:00" in page
    assert response.context["week_monday"] == monday
    full = client.get(url, {"week": monday.isoformat()}).content.decode()
    assert "<html" in full and 'hx-target="#week"' in full
    # A bad date falls back to this week rather than failing.
    assert client.get(url, {"week": "2026-13-45"}).status_code == 200


def test_others_bookings_show_as_booked_without_details(pw, users, login, party):
    BookingFactory(room=pw.room, organisation=party.east, purpose="成都支部的秘密会议")
    page = login(users.secretary).get(pw.west.get_absolute_url()).content.decode()
    assert "成都街区党支部" not in page and "秘密会议" not in page
    assert "已预订" in page
    mine = BookingFactory(room=pw.room, organisation=party.west, starts_at=at(1, 14))
    page = login(users.secretary).get(pw.west.get_absolute_url()).content.decode()
    assert mine.get_absolute_url() in page


def test_day_list_is_a_list_per_room(pw, users, login, party):
    BookingFactory(room=pw.hall, council=pw.council, starts_at=at(1, 15), purpose="议事会")
    client = login(users.staff)
    url = reverse("positions:position_day", args=[pw.west.pk])
    day = at(1, 15).date().isoformat()
    response = client.get(url, {"date": day})
    page = response.content.decode()
    assert "网格议事厅" in page and "康定路街委会" in page and "15:00–17:00" in page
    assert "全天空闲" in page  # the other room
    partial = client.get(url, {"date": day}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="day-list")
    assert partial.content.decode().startswith('<div id="day-list">')


def test_staff_adds_a_position_with_opening_hours(world, party, users, login):
    client = login(users.staff)
    data = {
        "name": "石门一路党群服务站",
        "address": "上海市静安区石门一路1号",
        "region": world.east.pk,
        "floor_area": "600",
        "organisation": party.east.pk,
        "is_active": "on",
        "hours_0": "9:00-21:00",
        "hours_1": "09:00～21:00",
        "hours_5": "09:00-17:00",
    }
    response = client.post(reverse("positions:position_add"), data)
    position = Position.objects.get(name="石门一路党群服务站")
    assert response.status_code == 302
    assert position.opening_hours == {
        "0": ["09:00", "21:00"],
        "1": ["09:00", "21:00"],
        "5": ["09:00", "17:00"],
    }
    assert position.subdistrict == world.ours
    assert "周一–周二 09:00–21:00" in position.hours_text


@pytest.mark.parametrize(
    "hours,words",
    [("早上九点", "例如 09:00-21:00"), ("21:00-09:00", "晚于"), ("25:00-26:00", "不是有效")],
)
def test_bad_opening_hours_are_refused_in_chinese(world, users, login, hours, words):
    data = {
        "name": "新阵地",
        "address": "江宁路1号",
        "region": world.west.pk,
        "is_active": "on",
        "hours_2": hours,
    }
    response = login(users.staff).post(reverse("positions:position_add"), data)
    assert response.status_code == 200
    assert words in str(response.context["form"].errors["hours_2"])
    assert not Position.objects.filter(name="新阵地").exists()


def test_staff_cannot_place_a_position_outside_their_scope(world, users, login):
    data = {"name": "越界阵地", "address": "威海路1号", "region": world.other_area.pk}
    response = login(users.staff).post(reverse("positions:position_add"), data)
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Position.objects.filter(name="越界阵地").exists()


def test_secretary_and_member_cannot_add_positions_or_rooms(pw, users, login):
    for user in (users.secretary, users.member, users.grid):
        client = login(user)
        assert client.get(reverse("positions:position_add")).status_code == 403
        assert client.get(reverse("positions:room_add")).status_code == 403


def test_room_form_splits_equipment_and_checks_lengths(pw, users, login):
    client = login(users.staff)
    data = {
        "position": pw.west.pk,
        "name": "直播间",
        "kind": "livestream",
        "capacity": "6",
        "equipment_text": "补光灯、声卡，手机支架",
        "min_minutes": "60",
        "max_minutes": "30",
        "is_active": "on",
    }
    response = client.post(reverse("positions:room_add"), data)
    assert response.status_code == 200
    assert "不能短于" in str(response.context["form"].errors["max_minutes"])
    data["max_minutes"] = "180"
    response = client.post(reverse("positions:room_add"), data)
    room = Room.objects.get(name="直播间")
    assert response.status_code == 302 and room.equipment == ["补光灯", "声卡", "手机支架"]
    page = client.get(room.get_absolute_url()).content.decode()
    assert "补光灯、声卡、手机支架" in page


def test_room_list_filters_and_exports(pw, users, login):
    client = login(users.staff)
    response = client.get(reverse("positions:room_list"), {"kind": "council_hall"})
    assert [room for room, _cells in response.context["rows"]] == [pw.hall]
    response = client.get(reverse("positions:room_export") + "?format=xlsx&needs_approval=true")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == ["网格议事厅"]


def test_api_lists_positions_and_rooms_in_scope(pw, users, client):
    client.force_login(users.secretary)
    names = {p["name"] for p in client.get("/api/positions/positions/").json()["results"]}
    assert names == OURS
    client.force_login(users.other_admin)
    rooms = {r["name"] for r in client.get("/api/positions/rooms/").json()["results"]}
    assert rooms == {"威海会议室"}


def test_position_history_records_changes(pw, users, login):
    client = login(users.staff)
    response = client.get(reverse("positions:position_history", args=[pw.west.pk]))
    assert response.status_code == 200


def test_home_figures_count_and_link(pw, party, users):
    from jiequ.positions.figures import home_figures

    BookingFactory(room=pw.hall, council=pw.council, state="requested")
    staff = {label: (n, url) for label, n, url in home_figures(users.staff)}
    assert staff["待审批的场地预订"][0] == 1
    assert staff["未来14天轮值缺岗"][0] == 28  # two positions of ours, no rota yet
    assert staff["本周菜单活动"][1] == reverse("positions:menu")
    secretary = {label for label, _n, _url in home_figures(users.secretary)}
    assert "待审批的场地预订" not in secretary
    assert home_figures(users.other_admin)[1][1] == 14  # the neighbour's one position


@pytest.mark.parametrize("model", ["position", "room", "booking", "duty", "activity", "signup"])
def test_admin_pages_open(pw, client, model):
    from .factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get(reverse(f"admin:positions_{model}_changelist")).status_code == 200
