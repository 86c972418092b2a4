"""Booking pages and API: the form with its refusals, deciding and cancelling, who sees which
booking, the list's Excel export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.positions.models import Booking

from .factories_positions import BookingFactory, at, positions_world


@pytest.fixture
def pw(world, party):
    return positions_world(world, party)


def form_data(room, organisation=None, council=None, **overrides):
    values = {
        "room": room.pk,
        "organisation": organisation.pk if organisation else "",
        "council": council.pk if council else "",
        "day": at(1, 10).date().isoformat(),
        "start": "10:00",
        "end": "11:30",
        "purpose": "支部党员大会",
        "attendees": "15",
    }
    values.update(overrides)
    return values


def test_secretary_books_through_the_form(pw, party, users, login):
    client = login(users.secretary)
    page = client.get(reverse("positions:booking_add"), {"room": pw.room.pk, "day": "2026-02-30"})
    form = page.context["form"]
    assert page.status_code == 200 and "council" not in form.fields
    assert form.initial["organisation"] == party.west.pk
    response = client.post(reverse("positions:booking_add"), form_data(pw.room, party.west))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    assert booking.state == "confirmed" and booking.booked_by == users.secretary


@pytest.mark.parametrize(
    "overrides,field,words",
    [
        ({"start": "07:00"}, "start", "开放时间"),
        ({"end": "10:10"}, "end", "至少30分钟"),
        ({"attendees": "50"}, "attendees", "最多容纳20人"),
        ({"purpose": ""}, "purpose", "必填项"),
        ({"day": "明天"}, "day", "有效的日期"),
    ],
)
def test_refusals_stand_beside_their_field(pw, party, users, login, overrides, field, words):
    response = login(users.secretary).post(
        reverse("positions:booking_add"), form_data(pw.room, party.west, **overrides)
    )
    assert response.status_code == 400
    assert words in str(response.context["form"].errors[field])
    assert not Booking.objects.exists()


def test_the_taken_slot_is_refused_with_its_times(pw, party, users, login):
    BookingFactory(room=pw.room, organisation=party.east, starts_at=at(1, 9))
    response = login(users.secretary).post(
        reverse("positions:booking_add"), form_data(pw.room, party.west)
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "已被预订" in text and "09:00" in text and "11:00" in text
    assert Booking.objects.count() == 1


def test_a_secretary_cannot_book_for_another_branch_or_a_council(pw, party, users, login):
    client = login(users.secretary)
    response = client.post(reverse("positions:booking_add"), form_data(pw.room, party.east))
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    response = client.post(reverse("positions:booking_add"), form_data(pw.hall, council=pw.council))
    assert response.status_code == 400 and not Booking.objects.exists()


def test_staff_picks_one_of_organisation_or_council(pw, party, users, login):
    client = login(users.staff)
    both = client.post(reverse("positions:booking_add"), form_data(pw.hall, party.west, pw.council))
    assert "只能选择其一" in str(both.context["form"].errors)
    neither = client.post(reverse("positions:booking_add"), form_data(pw.hall))
    assert "请选择组织或议事载体" in str(neither.context["form"].errors)
    done = client.post(reverse("positions:booking_add"), form_data(pw.hall, council=pw.council))
    assert done.status_code == 302
    assert Booking.objects.get().state == "requested"


def test_staff_confirm_and_deny_from_the_booking_page(pw, party, users, login):
    request = BookingFactory(room=pw.hall, council=pw.council, state="requested")
    client = login(users.staff)
    page = client.get(request.get_absolute_url())
    assert page.context["can_decide"] and page.context["can_cancel"]
    pending = client.get(reverse("positions:booking_pending")).content.decode()
    assert "康定路街委会" in pending
    no_reason = client.post(
        reverse("positions:booking_decide", args=[request.pk, "deny"]), {"reason": ""}, follow=True
    )
    assert "请填写驳回原因" in no_reason.content.decode()
    client.post(reverse("positions:booking_decide", args=[request.pk, "confirm"]))
    request.refresh_from_db()
    assert request.state == "confirmed" and request.decided_by == users.staff


def test_the_booker_cancels_and_the_grid_worker_too(pw, party, users, login):
    mine = BookingFactory(room=pw.room, organisation=party.west)
    client = login(users.secretary)
    page = client.get(mine.get_absolute_url())
    assert page.context["can_cancel"] and not page.context["can_decide"]
    client.post(reverse("positions:booking_decide", args=[mine.pk, "cancel"]), {"reason": "改期"})
    mine.refresh_from_db()
    assert mine.state == "cancelled" and mine.reason == "改期"
    council = BookingFactory(
        room=pw.hall, council=pw.council, starts_at=at(2, 14), state="requested"
    )
    grid = login(users.grid)
    refused = grid.post(
        reverse("positions:booking_decide", args=[council.pk, "confirm"]), follow=True
    )
    council.refresh_from_db()
    assert council.state == "requested"  # a grid worker books for councils, staff decide
    assert "只有阵地工作人员可以确认预订" in refused.content.decode()
    grid.post(
        reverse("positions:booking_decide", args=[council.pk, "cancel"]), {"reason": "改线上"}
    )
    council.refresh_from_db()
    assert council.state == "cancelled"


# who sees which booking: (west branch's, east branch's, the council's, the neighbour's)
VISIBLE = {
    "admin": {"west", "east", "council"},
    "staff": {"west", "east", "council"},
    "secretary": {"west"},
    "grid": {"council"},
    "other_admin": {"other"},
}


@pytest.fixture
def four(pw, party):
    return {
        "west": BookingFactory(room=pw.room, organisation=party.west, purpose="west"),
        "east": BookingFactory(room=pw.east_room, organisation=party.east, purpose="east"),
        "council": BookingFactory(room=pw.hall, council=pw.council, purpose="council"),
        "other": BookingFactory(room=pw.other_room, organisation=party.other, purpose="other"),
    }


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_sees_its_bookings(four, users, login, role):
    client = login(getattr(users, role))
    rows = client.get(reverse("positions:booking_list")).context["rows"]
    assert {b.purpose for b, _cells in rows} == VISIBLE[role]
    for key, booking in four.items():
        code = client.get(booking.get_absolute_url()).status_code
        assert code == (200 if key in VISIBLE[role] else 404), key


@pytest.mark.parametrize("role", ["district", "member"])
def test_district_and_members_have_no_booking_records(four, users, login, role):
    assert login(getattr(users, role)).get(reverse("positions:booking_list")).status_code == 403


def test_booking_export_is_excel_in_local_time(four, users, login):
    response = login(users.staff).get(reverse("positions:booking_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "开始时间" and sheet.max_row == 4
    starts = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert at(1, 10).replace(tzinfo=None) in starts


def test_api_books_with_the_same_rules(pw, party, users, client):
    client.force_login(users.secretary)
    body = {
        "room": pw.room.pk,
        "organisation": party.west.pk,
        "starts_at": at(3, 10).isoformat(),
        "ends_at": at(3, 11).isoformat(),
        "purpose": "接口预订",
        "attendees": 5,
    }
    created = client.post("/api/positions/bookings/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "confirmed"
    again = client.post("/api/positions/bookings/", body, content_type="application/json")
    assert again.status_code == 400 and "已被预订" in str(again.json())
    other = dict(body, organisation=party.east.pk, starts_at=at(4, 10).isoformat())
    refused = client.post("/api/positions/bookings/", other, content_type="application/json")
    assert refused.status_code == 400
    client.force_login(users.other_admin)
    foreign = client.post(
        "/api/positions/bookings/",
        dict(body, organisation=party.other.pk),
        content_type="application/json",
    )
    assert foreign.status_code == 400 and "room" in foreign.json()
    assert Booking.objects.count() == 1
