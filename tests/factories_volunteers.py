"""Factories for service points, volunteer codes, volunteers, tasks and sign-ups."""

import datetime as dt
import secrets
from decimal import Decimal
from types import SimpleNamespace

import factory
import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory

from jiequ.areas import geo

from .factories import _crypto

ALL_WEEK = {str(d): [["07:00", "21:00"]] for d in range(7)}


def _centre(region, index):
    return Decimal(str(round(geo.centroid(region.boundary)[index], 6)))


class ServicePointFactory(DjangoModelFactory):
    """Pass `region` (a grid); the point defaults to the grid's centre, open 07:00–21:00."""

    class Meta:
        model = "volunteers.ServicePoint"

    kind = "meal_point"
    name = factory.Sequence(lambda n: f"暖新餐点{n}号")
    address = factory.Sequence(lambda n: f"上海市静安区康定路{n + 1}号")
    lat = factory.LazyAttribute(lambda o: _centre(o.region, 0))
    lon = factory.LazyAttribute(lambda o: _centre(o.region, 1))
    host_name = "街道党群服务中心"
    offers = factory.LazyFunction(lambda: ["hot_meal", "water", "charging"])
    hours = factory.LazyFunction(lambda: dict(ALL_WEEK))
    is_active = True


class VolunteerCodeFactory(DjangoModelFactory):
    """Pass `region` (and a `point`, whose grid it should be)."""

    class Meta:
        model = "volunteers.VolunteerCode"

    token = factory.LazyFunction(lambda: secrets.token_urlsafe(12))
    point = None


def phone_no(n: int) -> str:
    """Numbers of the 1380013xxxx test range, never a real person's."""
    return f"+861380013{n % 10000:04d}"


class VolunteerFactory(DjangoModelFactory):
    """Pass `region`; an active volunteer confirmed 30 days ago, who signed up themselves."""

    class Meta:
        model = "volunteers.Volunteer"
        exclude = ("phone",)

    name = factory.Faker("name")
    phone = factory.Sequence(phone_no)
    phone_encrypted = factory.LazyAttribute(lambda o: _crypto().encrypt(o.phone))
    phone_hash = factory.LazyAttribute(lambda o: _crypto().lookup_hash(o.phone))
    occupation = "rider"
    platform = "meituan"
    skills = factory.LazyFunction(lambda: ["first_aid", "traffic"])
    availability = factory.LazyFunction(lambda: ["5am", "5pm", "6am"])
    consent_text = "我同意"
    consent_at = factory.LazyFunction(timezone.now)
    state = "active"
    signed_up_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=40))
    confirmed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))


def in_days(days: float, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=int(days))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class VolunteerTaskFactory(DjangoModelFactory):
    """Pass `region`; a three-hour task next week with 3 places."""

    class Meta:
        model = "volunteers.VolunteerTask"

    title = factory.Sequence(lambda n: f"路口交通劝导第{n}班")
    kind = "road_safety"
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    place = "石门二路新闸路路口"
    skills_wanted = factory.LazyFunction(lambda: ["traffic"])
    places = 3
    organiser = "石门二路街道"


class TaskSignupFactory(DjangoModelFactory):
    class Meta:
        model = "volunteers.TaskSignup"

    state = "assigned"
    source = "staff"


@pytest.fixture
def vol(world, users):
    """Points, codes, volunteers and tasks in both of our areas and in the neighbour's.

    west (江宁片区, grid 康定 0101): point 康定餐点, volunteers 王小骑 (active) and 李待审 (pending)
    east (成都片区, grid 大田 0201): point 大田加油站, volunteer 赵东 (active)
    neighbour (威海网格): point 威海餐点, volunteer 孙邻 (active)
    """
    sw = ServicePointFactory(name="康定餐点", region=world.grid_sw)
    east = ServicePointFactory(name="大田加油站", kind="rider_station", region=world.grid_e)
    other = ServicePointFactory(name="威海餐点", region=world.other_grid)
    codes = SimpleNamespace(
        sw=VolunteerCodeFactory(point=sw, region=world.grid_sw),
        east=VolunteerCodeFactory(point=east, region=world.grid_e),
        other=VolunteerCodeFactory(point=other, region=world.other_grid),
    )
    return SimpleNamespace(
        sw=sw,
        east=east,
        other=other,
        codes=codes,
        rider=VolunteerFactory(name="王小骑", region=world.grid_sw, point=sw, code=codes.sw),
        pending=VolunteerFactory(
            name="李待审", region=world.grid_sw, point=sw, state="pending", confirmed_on=None
        ),
        east_rider=VolunteerFactory(name="赵东", region=world.grid_e, point=east),
        neighbour=VolunteerFactory(name="孙邻", region=world.other_grid, point=other),
        task=VolunteerTaskFactory(title="康定路交通劝导", region=world.grid_sw, point=sw),
        east_task=VolunteerTaskFactory(title="大田路清洁", region=world.grid_e, kind="environment"),
        other_task=VolunteerTaskFactory(title="威海路巡防", region=world.other_grid),
    )
