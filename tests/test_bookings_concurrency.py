"""Two requests for one slot at the same moment (PostgreSQL: real concurrent transactions).

The room's row lock makes the second wait and see the first's booking; the exclusion
constraint of the initial migration would refuse an overlap written past the lock.
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import translation

from jiequ.positions import bookings
from jiequ.positions.models import Booking

from .factories_positions import BookingFactory, at, positions_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


def _race(n, make):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def press(i):
        try:
            with translation.override("zh-hans"):
                barrier.wait()
                results.append(make(i))
        except bookings.BookingError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_requests_for_one_slot_make_one_booking(world, users, party):
    pw = positions_world(world, party)
    organisations = [party.west, party.group]

    def make(i):
        return bookings.request_booking(
            room=pw.room,
            starts_at=at(2, 10),
            ends_at=at(2, 12),
            purpose=f"第{i}个请求",
            attendees=6,
            organisation=organisations[i],
            user=users.staff,
        )

    results, errors = _race(2, make)
    assert len(results) == 1 and len(errors) == 1
    assert "已被预订" in errors[0].message or "刚刚被别人预订" in errors[0].message
    assert Booking.objects.filter(room=pw.room, state="confirmed").count() == 1


def test_eight_overlapping_requests_make_one_booking(world, users, party):
    pw = positions_world(world, party)

    def make(i):
        # Overlapping but different windows, on the room that needs approval (requested).
        return bookings.request_booking(
            room=pw.hall,
            starts_at=at(3, 9 + i % 3),
            ends_at=at(3, 12),
            purpose="议事",
            attendees=10,
            council=pw.council,
            user=users.staff,
        )

    results, errors = _race(8, make)
    assert len(results) == 1 and len(errors) == 7
    assert Booking.objects.filter(room=pw.hall).count() == 1


def test_the_exclusion_constraint_refuses_an_overlap_written_past_the_lock(world, party):
    pw = positions_world(world, party)
    BookingFactory(room=pw.room, organisation=party.west, starts_at=at(2, 10))
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        BookingFactory(room=pw.room, organisation=party.east, starts_at=at(2, 11))
    # Cancelled and denied bookings do not hold the slot.
    BookingFactory(room=pw.room, organisation=party.east, starts_at=at(2, 11), state="cancelled")
    assert Booking.objects.filter(room=pw.room).count() == 2
