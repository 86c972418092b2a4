"""Factories for tests: regions with square boundaries, roads, buildings, users by role."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas import geo
from jiequ.areas.models import Building, BuildingKind, Region, RegionLevel, Road

factory.Faker._DEFAULT_LOCALE = "zh_CN"


def square(west: float, south: float, east: float, north: float) -> dict:
    return geo.polygon([[west, south], [east, south], [east, north], [west, north], [west, south]])


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Faker("street_name")
    code = factory.Sequence(lambda n: f"{n:04d}")
    level = RegionLevel.DISTRICT
    parent = None
    boundary = None


class RoadFactory(DjangoModelFactory):
    class Meta:
        model = Road

    name = factory.Sequence(lambda n: f"测试{n}路")
    subdistrict = None
    line = None


class BuildingFactory(DjangoModelFactory):
    """Pass `region` (a grid with a boundary); the point defaults to the grid's centre."""

    class Meta:
        model = Building

    name = factory.Sequence(lambda n: f"测试大厦{n}号楼")
    kind = BuildingKind.OFFICE
    road = None
    number = factory.Sequence(lambda n: f"{n + 1}号")
    address = factory.Faker("street_address")
    floors = factory.Faker("pyint", min_value=3, max_value=40)
    lat = factory.LazyAttribute(
        lambda o: Decimal(str(round(geo.centroid(o.region.boundary)[0], 6)))
    )
    lon = factory.LazyAttribute(
        lambda o: Decimal(str(round(geo.centroid(o.region.boundary)[1], 6)))
    )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    role = Role.SUBDISTRICT_STAFF
    scope_region = None
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EntityFactory(DjangoModelFactory):
    """Pass `region` (a grid); the point defaults to the grid's centre."""

    class Meta:
        model = "ledger.Entity"

    name = factory.Sequence(lambda n: f"上海测试{n}信息科技有限公司")
    sign_name = ""
    credit_code = ""
    kind = "enterprise"
    ownership = "non_public"
    industry = "I"
    address = factory.Faker("street_address")
    state = "operating"
    worker_count = factory.Faker("pyint", min_value=5, max_value=80)
    member_count = 1
    lat = factory.LazyAttribute(
        lambda o: Decimal(str(round(geo.centroid(o.region.boundary)[0], 6)))
    )
    lon = factory.LazyAttribute(
        lambda o: Decimal(str(round(geo.centroid(o.region.boundary)[1], 6)))
    )
