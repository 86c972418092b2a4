"""Factories for positions, rooms, bookings, the rota and the weekly menu.

Times are built from `at(days_ahead, hour)`: an aware Asia/Shanghai datetime that many days
from today, so tests do not depend on the day they run (every weekday is open by default).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

EVERY_DAY = {str(d): ["08:00", "21:00"] for d in range(7)}


def at(days_ahead: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class PositionFactory(DjangoModelFactory):
    """Pass `region`."""

    class Meta:
        model = "positions.Position"

    name = factory.Sequence(lambda n: f"测试党群服务阵地{n}")
    address = factory.Sequence(lambda n: f"上海市静安区江宁路{n + 1}号")
    floor_area = 800
    opening_hours = factory.LazyFunction(lambda: dict(EVERY_DAY))


class RoomFactory(DjangoModelFactory):
    """Pass `position`."""

    class Meta:
        model = "positions.Room"

    name = factory.Sequence(lambda n: f"组织生活室{n}")
    kind = "organisation_life"
    capacity = 20
    equipment = factory.LazyFunction(lambda: ["投影仪", "音响"])
    needs_approval = False
    min_minutes = 30
    max_minutes = 240


class BookingFactory(DjangoModelFactory):
    """Pass `room` and `organisation` (or `council`); written directly, without the rules."""

    class Meta:
        model = "positions.Booking"

    starts_at = factory.LazyFunction(lambda: at(1, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    purpose = "支部主题党日"
    attendees = 10
    state = "confirmed"
    region = factory.LazyAttribute(
        lambda o: o.organisation.region if o.organisation else o.council.region
    )
    organisation = None
    council = None


class CouncilFactory(DjangoModelFactory):
    """Pass `region`."""

    class Meta:
        model = "councils.Council"

    name = factory.Sequence(lambda n: f"康定路街委会{n}")
    kind = "street"


class ActivityFactory(DjangoModelFactory):
    """Pass `organiser`; held at a free-text place unless `room` is given (no booking made)."""

    class Meta:
        model = "positions.Activity"

    title = factory.Sequence(lambda n: f"书记讲党课第{n}讲")
    kind = "organisation_life"
    starts_at = factory.LazyFunction(lambda: at(2, 19))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1, minutes=30))
    capacity = 3
    audience = "all_members"
    place = "江宁路党群服务站"
    subdistrict = factory.LazyAttribute(
        lambda o: o.organiser.region.subdistrict or o.organiser.region
    )


def positions_world(world, party):
    """A position in the west area with a free room and a hall that needs approval, a second
    position in the east area, the neighbour's position, and a council in the west grid."""
    west = PositionFactory(name="江宁片区党群服务阵地", region=world.west, organisation=party.west)
    room = RoomFactory(position=west, name="组织生活室", capacity=20)
    hall = RoomFactory(
        position=west,
        name="网格议事厅",
        kind="council_hall",
        capacity=30,
        needs_approval=True,
    )
    east = PositionFactory(name="成都片区党群服务阵地", region=world.east)
    east_room = RoomFactory(position=east, name="书记工作室", kind="secretary_studio", capacity=8)
    other = PositionFactory(name="威海党群服务站", region=world.other_area)
    other_room = RoomFactory(position=other, name="威海会议室", kind="meeting")
    council = CouncilFactory(name="康定路街委会", region=world.grid_sw)
    other_council = CouncilFactory(name="威海路街委会", region=world.other_grid)
    return SimpleNamespace(
        west=west,
        room=room,
        hall=hall,
        east=east,
        east_room=east_room,
        other=other,
        other_room=other_room,
        council=council,
        other_council=other_council,
    )
