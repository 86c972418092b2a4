"""The weekly menu's sign-ups: places, the waiting list that moves up on cancellation (oldest
first, with a notice line), eligibility by audience, attendance, activities that book rooms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from jiequ.positions import menu
from jiequ.positions.menu import MenuError
from jiequ.positions.models import Activity, Booking, SignUp

from .factories import MemberFactory, UserFactory
from .factories_positions import ActivityFactory, BookingFactory, at, positions_world


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def pw(world, party):
    return positions_world(world, party)


@pytest.fixture
def activity(party):
    return ActivityFactory(organiser=party.committee, capacity=2)


def test_places_then_the_waiting_list(activity, party, users):
    a, b, c, d = party.west_members
    states = [menu.sign_up(activity, m, users.staff).state for m in (a, b, c, d)]
    assert states == ["confirmed", "confirmed", "waiting", "waiting"]
    with pytest.raises(MenuError, match="已在本活动名单中"):
        menu.sign_up(activity, c, users.staff)


def test_cancelling_a_place_moves_the_oldest_waiting_up(activity, party, users):
    a, b, c, d = party.west_members
    first = menu.sign_up(activity, a, users.staff)
    menu.sign_up(activity, b, users.staff)
    older = menu.sign_up(activity, c, users.staff)
    newer = menu.sign_up(activity, d, users.staff)
    # Make the order unambiguous even when the clock gives equal times.
    SignUp.objects.filter(pk=older.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=5))
    promoted = menu.cancel(first, users.staff)
    assert promoted.pk == older.pk
    older.refresh_from_db()
    newer.refresh_from_db()
    first.refresh_from_db()
    assert first.state == "cancelled" and first.cancelled_at is not None
    assert older.state == "confirmed" and "由候补递补成功" in older.notice
    assert newer.state == "waiting" and newer.notice == ""
    assert older.history.first().history_change_reason == "由候补递补"
    # Cancelling a waiting place moves nobody.
    assert menu.cancel(newer, users.staff) is None
    with pytest.raises(MenuError, match="已取消"):
        menu.cancel(newer, users.staff)


def test_a_cancelled_member_may_sign_up_again_at_the_end_of_the_line(activity, party, users):
    a, b, c, d = party.west_members
    signup = menu.sign_up(activity, a, users.staff)
    menu.cancel(signup, users.staff)
    menu.sign_up(activity, b, users.staff)
    menu.sign_up(activity, c, users.staff)
    again = menu.sign_up(activity, a, users.staff)
    assert again.pk == signup.pk and again.state == "waiting"


def test_a_member_signs_up_only_themselves(activity, party, users, world):
    a, b = party.west_members[:2]
    a.user = users.member
    a.save()
    assert menu.sign_up(activity, a, users.member).signed_up_by == users.member
    with pytest.raises(MenuError, match="只能为本人报名"):
        menu.sign_up(activity, b, users.member)
    # And cancels only their own sign-up.
    theirs = menu.sign_up(activity, b, users.staff)
    with pytest.raises(MenuError, match="无权取消"):
        menu.cancel(theirs, users.member)


def test_secretary_signs_up_the_members_of_their_branch(activity, party, users):
    assert menu.sign_up(activity, party.west_members[0], users.secretary).state == "confirmed"
    with pytest.raises(MenuError, match="管理范围"):
        menu.sign_up(activity, party.east_members[0], users.secretary)


def test_audience_rules(party, users, world):
    only_west = ActivityFactory(
        organiser=party.west, audience="organisation", audience_organisation=party.west
    )
    in_group = MemberFactory(organisation=party.group)
    assert menu.sign_up(only_west, in_group, users.staff).state == "confirmed"
    with pytest.raises(MenuError, match="仅面向江宁街区党支部"):
        menu.sign_up(only_west, party.east_members[0], users.staff)
    # A guest member of the branch may come.
    guest = party.east_members[1]
    guest.other_organisations.add(party.west)
    assert menu.sign_up(only_west, guest, users.staff)
    members_only = ActivityFactory(organiser=party.committee)
    with pytest.raises(MenuError, match="本街道党员"):
        menu.sign_up(members_only, party.other_members[0], UserFactory(is_superuser=True))
    left = party.west_members[3]
    left.left_on = timezone.localdate()
    left.save()
    with pytest.raises(MenuError, match="已不是"):
        menu.sign_up(members_only, left, users.staff)


def test_no_sign_up_or_cancel_once_started(party, users):
    running = ActivityFactory(
        organiser=party.committee, starts_at=at(0, 0, 1) - dt.timedelta(days=1)
    )
    with pytest.raises(MenuError, match="报名已截止"):
        menu.sign_up(running, party.west_members[0], users.staff)
    signup = SignUp.objects.create(
        activity=running, member=party.west_members[1], state="confirmed", queued_at=timezone.now()
    )
    with pytest.raises(MenuError, match="不能再变更"):
        menu.cancel(signup, users.staff)


def test_attendance_is_marked_for_confirmed_places_after_the_start(party, users):
    upcoming = ActivityFactory(organiser=party.committee)
    with pytest.raises(MenuError, match="开始后"):
        menu.mark_attendance(upcoming, [], users.staff)
    held = ActivityFactory(
        organiser=party.committee, starts_at=timezone.now() - dt.timedelta(hours=2), capacity=2
    )
    rows = [
        SignUp.objects.create(activity=held, member=m, state=s, queued_at=timezone.now())
        for m, s in zip(party.west_members[:3], ["confirmed", "confirmed", "waiting"], strict=True)
    ]
    assert menu.mark_attendance(held, [rows[0].pk, rows[2].pk], users.staff) == 2
    states = {s.pk: s.attended for s in SignUp.objects.filter(activity=held)}
    assert states == {rows[0].pk: True, rows[1].pk: False, rows[2].pk: None}
    # The secretary marks only their scope's members; the east branch is untouched.
    east = SignUp.objects.create(
        activity=held, member=party.east_members[0], state="confirmed", queued_at=timezone.now()
    )
    menu.mark_attendance(held, [], users.secretary)
    east.refresh_from_db()
    assert east.attended is None


def test_an_activity_in_a_room_books_it_and_moves_the_booking(pw, party, users):
    activity = Activity(
        title="书记讲党课",
        kind="organisation_life",
        room=pw.room,
        starts_at=at(2, 19),
        ends_at=at(2, 20, 30),
        capacity=30,
        audience="all_members",
        organiser=party.committee,
    )
    menu.save_activity(activity, users.staff)
    booking = activity.booking
    assert booking.state == "confirmed" and booking.room == pw.room
    assert booking.attendees == 20  # the room's capacity
    assert "每周菜单" in booking.purpose
    activity.starts_at, activity.ends_at = at(3, 19), at(3, 20)
    menu.save_activity(activity, users.staff)
    booking.refresh_from_db()
    assert booking.state == "cancelled" and activity.booking.starts_at == at(3, 19)
    # A room already held refuses the activity, and nothing is saved.
    BookingFactory(room=pw.hall, organisation=party.east, starts_at=at(4, 9))
    activity.room, activity.starts_at, activity.ends_at = pw.hall, at(4, 10), at(4, 11)
    with pytest.raises(MenuError, match="已被预订"):
        menu.save_activity(activity, users.staff)
    activity.refresh_from_db()
    assert activity.room == pw.room and activity.booking.state == "confirmed"
    assert Booking.objects.filter(room=pw.hall).count() == 1


def test_capacity_cannot_drop_below_places_taken_and_a_rise_moves_the_line(party, users):
    activity = ActivityFactory(organiser=party.committee, capacity=1)
    a, b, c = party.west_members[:3]
    for m in (a, b, c):
        menu.sign_up(activity, m, users.staff)
    activity.capacity = 0
    with pytest.raises(MenuError, match="不能少于"):
        menu.save_activity(activity, users.staff)
    activity.capacity = 2
    menu.save_activity(activity, users.staff)
    assert SignUp.objects.filter(activity=activity, state="confirmed").count() == 2
