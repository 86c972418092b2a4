"""Booking rules: hours, lengths, capacity, approval, no overlap, cancellation, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from jiequ.positions import bookings
from jiequ.positions.bookings import BookingError
from jiequ.positions.models import Booking

from .factories_positions import BookingFactory, at, positions_world


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def pw(world, party):
    return positions_world(world, party)


def book(pw, party, users, starts_at, ends_at, room=None, **kw):
    values = dict(
        room=room or pw.room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose="支部委员会",
        attendees=8,
        organisation=party.west,
        user=users.secretary,
    )
    values.update(kw)
    return bookings.request_booking(**values)


def test_a_room_without_approval_is_confirmed_at_once(pw, party, users):
    booking = book(pw, party, users, at(1, 10), at(1, 12))
    assert booking.state == "confirmed" and booking.region == party.west.region
    assert booking.booked_by == users.secretary
    assert booking.history.count() == 1


def test_a_room_needing_approval_starts_as_requested(pw, party, users):
    booking = book(pw, party, users, at(1, 10), at(1, 12), room=pw.hall)
    assert booking.state == "requested" and booking.decided_by is None
    confirmed = bookings.confirm(booking, users.staff)
    assert confirmed.state == "confirmed" and confirmed.decided_by == users.staff
    with pytest.raises(BookingError, match="已是"):
        bookings.confirm(confirmed, users.staff)


def test_only_the_positions_staff_decide(pw, party, users):
    booking = book(pw, party, users, at(1, 10), at(1, 12), room=pw.hall)
    with pytest.raises(BookingError, match="工作人员"):
        bookings.confirm(booking, users.secretary)
    with pytest.raises(BookingError, match="工作人员"):
        bookings.deny(booking, users.other_admin, "不行")
    with pytest.raises(BookingError, match="原因"):
        bookings.deny(booking, users.staff, "  ")
    denied = bookings.deny(booking, users.staff, "当天阵地布展")
    assert denied.state == "denied" and denied.reason == "当天阵地布展"
    # A denied booking frees its slot.
    assert book(pw, party, users, at(1, 10), at(1, 12), room=pw.hall).state == "requested"


@pytest.mark.parametrize(
    "start,end,words",
    [
        ((1, 7), (1, 9), "开放时间"),  # opens at 08:00
        ((1, 20), (1, 22), "开放时间"),  # closes at 21:00
        ((1, 10), (1, 10, 15), "至少"),  # 15 minutes < 30
        ((1, 8), (1, 13), "最多"),  # 5 hours > 4
        ((1, 12), (1, 10), "结束时间"),
        ((-1, 10), (-1, 12), "过去"),
    ],
)
def test_times_outside_the_rules_are_refused(pw, party, users, start, end, words):
    with pytest.raises(BookingError, match=words):
        book(pw, party, users, at(*start), at(*end))
    assert not Booking.objects.exists()


def test_closed_days_are_refused(pw, party, users):
    day = at(2, 10)
    pw.west.opening_hours.pop(str(day.weekday()))
    pw.west.save()
    with pytest.raises(BookingError, match="不开放"):
        book(pw, party, users, day, day + dt.timedelta(hours=1))


def test_more_people_than_the_room_holds_are_refused(pw, party, users):
    with pytest.raises(BookingError, match="最多容纳20人"):
        book(pw, party, users, at(1, 10), at(1, 12), attendees=21)


def test_no_overlap_with_a_held_slot_but_touching_is_fine(pw, party, users):
    book(pw, party, users, at(1, 10), at(1, 12))
    with pytest.raises(BookingError, match="已被预订") as info:
        book(pw, party, users, at(1, 11), at(1, 13), organisation=party.group)
    assert "10:00" in info.value.message and "12:00" in info.value.message
    # Back to back is not an overlap; another room is free.
    assert book(pw, party, users, at(1, 12), at(1, 13)).state == "confirmed"
    assert book(pw, party, users, at(1, 11), at(1, 13), room=pw.hall).state == "requested"
    # A requested booking holds its slot too.
    with pytest.raises(BookingError, match="已被预订"):
        book(pw, party, users, at(1, 12, 30), at(1, 14), room=pw.hall)


def test_cancellation_frees_the_slot(pw, party, users):
    booking = book(pw, party, users, at(1, 10), at(1, 12))
    with pytest.raises(BookingError, match="原因"):
        bookings.cancel(booking, users.secretary, "")
    cancelled = bookings.cancel(booking, users.secretary, "活动改期")
    assert cancelled.state == "cancelled" and cancelled.reason == "活动改期"
    with pytest.raises(BookingError, match="已是"):
        bookings.cancel(cancelled, users.secretary, "再取消")
    assert book(pw, party, users, at(1, 10), at(1, 12)).state == "confirmed"


def test_a_booking_that_is_over_cannot_be_cancelled(pw, party, users):
    past = BookingFactory(room=pw.room, organisation=party.west, starts_at=at(-2, 10))
    with pytest.raises(BookingError, match="已结束"):
        bookings.cancel(past, users.staff, "补录")


def test_secretary_books_for_their_branch_only(pw, party, users):
    assert book(pw, party, users, at(1, 10), at(1, 11), organisation=party.group)
    with pytest.raises(BookingError, match="只能为本组织"):
        book(pw, party, users, at(1, 14), at(1, 15), organisation=party.east)
    with pytest.raises(BookingError, match="只能为本组织"):
        book(pw, party, users, at(1, 14), at(1, 15), organisation=None, council=pw.council)


def test_councils_book_through_staff_or_their_grid_worker(pw, party, users):
    booking = book(
        pw,
        party,
        users,
        at(3, 14),
        at(3, 16),
        room=pw.hall,
        organisation=None,
        council=pw.council,
        user=users.grid,
    )
    assert booking.council == pw.council and booking.region == pw.council.region
    assert booking.state == "requested"
    # The staff of the position book and confirm at once when they say so.
    staff_booking = book(
        pw,
        party,
        users,
        at(4, 14),
        at(4, 16),
        room=pw.hall,
        organisation=None,
        council=pw.council,
        user=users.staff,
        confirm=True,
    )
    assert staff_booking.state == "confirmed"


def test_the_neighbour_cannot_book_our_rooms(pw, party, users):
    with pytest.raises(BookingError):
        book(
            pw, party, users, at(1, 10), at(1, 11), organisation=party.other, user=users.other_admin
        )
    with pytest.raises(BookingError, match="本街道"):
        book(pw, party, users, at(1, 10), at(1, 11), organisation=party.other, user=None)


def test_a_room_out_of_service_takes_no_bookings(pw, party, users):
    pw.room.is_active = False
    pw.room.save()
    with pytest.raises(BookingError, match="停用"):
        book(pw, party, users, at(1, 10), at(1, 11))


def test_a_booker_is_one_organisation_or_one_council(pw, party, users):
    with pytest.raises(BookingError, match="一个组织"):
        book(pw, party, users, at(1, 10), at(1, 11), council=pw.council, user=users.staff)
    with pytest.raises(BookingError, match="人数"):
        book(pw, party, users, at(1, 10), at(1, 11), attendees=0)
    with pytest.raises(BookingError, match="用途"):
        book(pw, party, users, at(1, 10), at(1, 11), purpose="  ")
