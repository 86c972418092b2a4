"""The demo's positions: the seed's three positions (about 4,000 m²) with their rooms, a term of
bookings by organisations and councils, a rota with gaps and swaps, and the weekly menu of
this week and next with sign-ups and a waiting list.

The demo is built once for the module (inside a transaction rolled back at the end). Until the
lead wires build_positions (and the councils' demo) into build_demo, they are called here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jiequ.accounts.models import User
from jiequ.core.scoping import restrict
from jiequ.demo.builder import build_demo
from jiequ.positions import bookings, ical, menu, rota
from jiequ.positions.models import (
    Activity,
    ActivityKind,
    Audience,
    Booking,
    BookingState,
    Duty,
    DutySwap,
    MenuFeed,
    Position,
    Room,
    SignUp,
    SignUpState,
    SwapState,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_demo()
            from jiequ.areas.models import Region

            yield {"ours": Region.objects.get(code="310106011")}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_three_positions_of_about_4000_square_metres(demo):
    positions = Position.objects.filter(subdistrict=demo["ours"])
    assert positions.count() == 3
    assert positions.aggregate(m2=Sum("floor_area"))["m2"] == 4000
    kinds = set(Room.objects.filter(position__in=positions).values_list("kind", flat=True))
    assert {
        "organisation_life",
        "secretary_studio",
        "council_hall",
        "livestream",
        "rider_station",
    } <= kinds
    assert Room.objects.filter(position__in=positions, kind="organisation_life").count() >= 3
    assert all(p.lat and p.lon and p.region.level == "grid" for p in positions)


def test_a_term_of_bookings_by_organisations_and_councils(demo):
    today = timezone.localdate()
    qs = Booking.objects.filter(room__position__subdistrict=demo["ours"])
    first = timezone.localtime(qs.order_by("starts_at").first().starts_at).date()
    last = timezone.localtime(qs.order_by("-starts_at").first().starts_at).date()
    assert (today - first).days >= 55 and (last - today).days >= 55  # about four months
    assert qs.count() > 800
    assert qs.filter(council__isnull=False).count() > 50
    assert qs.filter(organisation__isnull=False).values("organisation").distinct().count() > 40
    for state in BookingState.values:
        assert qs.filter(state=state).exists(), state
    assert qs.filter(state=BookingState.REQUESTED, ends_at__lt=timezone.now()).count() == 0
    # No two bookings holding a slot overlap in any room.
    held = list(
        qs.filter(state__in=["requested", "confirmed"])
        .order_by("room", "starts_at")
        .values_list("room", "starts_at", "ends_at")
    )
    for (room_a, _s, end_a), (room_b, start_b, _e) in zip(held, held[1:], strict=False):
        assert room_a != room_b or start_b >= end_a
    # Every booking lies inside its position's opening hours.
    for b in qs.select_related("room__position")[:400]:
        opens, closes = b.room.position.hours_on(timezone.localtime(b.starts_at).date())
        assert timezone.localtime(b.starts_at).time() >= opens
        assert timezone.localtime(b.ends_at).time() <= closes


def test_secretary_sees_their_branchs_bookings_only(demo):
    secretary = User.objects.get(username="secretary")
    visible = restrict(Booking.objects.all(), secretary)
    assert visible.exists()
    assert set(visible.values_list("organisation", flat=True)) <= set(
        secretary.scope_organisation.subtree_ids()
    )
    assert not visible.filter(council__isnull=False).exists()
    assert restrict(Position.objects.all(), secretary).count() == 3
    assert not restrict(Position.objects.all(), User.objects.get(username="njxl")).exists()


def test_a_new_booking_finds_a_free_slot_and_is_refused_on_a_held_one(demo):
    staff = User.objects.get(username="staff")
    held = (
        Booking.objects.filter(state="confirmed", starts_at__gt=timezone.now())
        .select_related("room", "organisation")
        .exclude(organisation=None)
        .first()
    )
    with pytest.raises(bookings.BookingError):
        bookings.request_booking(
            room=held.room,
            starts_at=held.starts_at,
            ends_at=held.ends_at,
            purpose="重复预订",
            attendees=1,
            organisation=held.organisation,
            user=staff,
        )


def test_the_rota_has_two_gaps_ahead_and_swaps(demo):
    positions = Position.objects.filter(subdistrict=demo["ours"])
    gaps = rota.gaps(positions)
    assert 1 <= len(gaps) <= 2
    assert len({g.position for g in gaps}) == len(gaps)
    today = timezone.localdate()
    assert Duty.objects.filter(day__gte=today + dt.timedelta(days=20)).exists()
    assert Duty.objects.filter(day__lt=today).exists()
    assert DutySwap.objects.filter(state=SwapState.ACCEPTED).count() == 1
    pending = DutySwap.objects.get(state=SwapState.PROPOSED)
    # The demo secretary is asked to swap and may accept.
    secretary = User.objects.get(username="secretary")
    assert pending.b_member.user == secretary
    assert rota.can_answer(secretary, pending)
    for position in positions:
        assert position.pool.count() >= 4
        masters = set(
            Duty.objects.filter(position=position).values_list("member", "cadre").distinct()
        )
        assert len(masters) >= 3  # a rotation, not one person
    # The demo member account has a coming duty to swap.
    assert rota.my_duties(User.objects.get(username="member")).exists()


def test_the_weekly_menu_of_this_week_and_next(demo):
    today = timezone.localdate()
    monday = menu.week_start(today)
    staff = User.objects.get(username="staff")
    this_week = list(menu.week_menu(staff, monday))
    next_week = list(menu.week_menu(staff, monday + dt.timedelta(days=7)))
    assert len(this_week) >= 7 and len(next_week) >= 7
    kinds = {a.kind for a in this_week}
    assert kinds == set(ActivityKind.values)
    assert {a.audience for a in this_week} == set(Audience.values)
    in_rooms = [a for a in this_week + next_week if a.room_id]
    assert in_rooms and all(a.booking and a.booking.state == "confirmed" for a in in_rooms)
    for activity in this_week + next_week:
        assert activity.taken <= activity.capacity
    full = [a for a in this_week if a.waiting]
    assert full and all(a.taken == a.capacity for a in full)
    assert SignUp.objects.filter(state=SignUpState.WAITING).count() >= 6
    started = [a for a in this_week if a.starts_at <= timezone.now()]
    for activity in started:
        assert not activity.signups.filter(state="confirmed", attended=None).exists()
    member = User.objects.get(username="member")
    mine = SignUp.objects.filter(member__user=member)
    assert mine.filter(state=SignUpState.CONFIRMED).exists()
    assert mine.filter(state=SignUpState.WAITING).exists()


def test_cancelling_in_the_demo_moves_the_waiting_list_up(demo):
    activity = (
        Activity.objects.filter(signups__state="waiting", starts_at__gt=timezone.now())
        .distinct()
        .first()
    )
    oldest = activity.signups.filter(state="waiting").order_by("queued_at", "pk").first()
    confirmed = activity.signups.filter(state="confirmed").first()
    staff = User.objects.get(username="staff")
    promoted = menu.cancel(confirmed, staff)
    assert promoted == oldest
    oldest.refresh_from_db()
    assert oldest.state == "confirmed" and "候补" in oldest.notice


def test_calendar_feeds_exist_and_render(demo):
    feed = MenuFeed.objects.select_related("organisation").first()
    assert feed is not None and len(feed.token) >= 30
    body = ical.calendar_bytes(feed.organisation).decode()
    assert "BEGIN:VEVENT" in body and "TZID=Asia/Shanghai" in body
