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


def _phone(n: int) -> str:
    return f"+86139{n:08d}"


class OrganisationFactory(DjangoModelFactory):
    """Pass `region`; a street-block branch unless told otherwise."""

    class Meta:
        model = "party.Organisation"

    name = factory.Sequence(lambda n: f"测试街区第{n}党支部")
    level = "branch"
    category = "street_block"
    parent = None
    founded_on = factory.Faker("date_between", start_date="-6y", end_date="-2y")
    term_started_on = factory.Faker("date_between", start_date="-2y", end_date="-1y")


class CoverageLinkFactory(DjangoModelFactory):
    class Meta:
        model = "party.CoverageLink"

    kind = "own"


class MemberFactory(DjangoModelFactory):
    """Pass `organisation`; a full member whose record is held here, entered by staff."""

    class Meta:
        model = "members.Member"
        exclude = ("phone",)

    name = factory.Faker("name")
    phone = factory.Sequence(_phone)
    phone_encrypted = factory.LazyAttribute(lambda o: _crypto().encrypt(o.phone))
    phone_hash = factory.LazyAttribute(lambda o: _crypto().lookup_hash(o.phone))
    membership = "full"
    joined_on = factory.Faker("date_between", start_date="-30y", end_date="-2y")
    record_location = "here"
    record_organisation = factory.SelfAttribute("organisation")
    consent_source = "staff"
    consent_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class MobileMemberFactory(MemberFactory):
    record_location = "elsewhere"
    record_organisation = None
    record_elsewhere_name = "安徽省宿州市埇桥区某村党支部"
    record_province = "安徽省"
    record_city = "宿州市"


class CadreFactory(DjangoModelFactory):
    """Pass `subdistrict`."""

    class Meta:
        model = "party.Cadre"

    name = factory.Faker("name")
    department_kind = "market_supervision"
    department = "静安区市场监督管理局石门二路所"


class OfficerFactory(DjangoModelFactory):
    """Pass `organisation` and a `member` (inside) or a `cadre` (outside, with its origin)."""

    class Meta:
        model = "party.Officer"

    role = "secretary"
    origin = "owner"
    started_on = factory.Faker("date_between", start_date="-2y", end_date="-1y")


def _crypto():
    from jiequ.core import crypto

    return crypto
