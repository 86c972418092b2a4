from types import SimpleNamespace

import pytest

from jiequ.accounts.roles import Role
from jiequ.areas.models import RegionLevel

from .factories import BuildingFactory, RegionFactory, RoadFactory, UserFactory, square

PASSWORD = "pw-for-tests"


@pytest.fixture
def world(db):
    """Two subdistricts of one district, with areas, grids, roads and a building per grid.

    石门二路街道 (310106011): area 01 (grids 0101 south, 0102 north) and area 02 (grid 0201).
    南京西路街道 (310106012), to the south: area 01 with grid 0101.
    """
    district = RegionFactory(name="静安区", code="310106", level=RegionLevel.DISTRICT)
    ours = RegionFactory(
        name="石门二路街道",
        code="310106011",
        level=RegionLevel.SUBDISTRICT,
        parent=district,
        boundary=square(121.450, 31.230, 121.470, 31.245),
    )
    west = RegionFactory(
        name="江宁片区",
        code="01",
        level=RegionLevel.AREA,
        parent=ours,
        boundary=square(121.450, 31.230, 121.460, 31.245),
    )
    east = RegionFactory(
        name="成都片区",
        code="02",
        level=RegionLevel.AREA,
        parent=ours,
        boundary=square(121.460, 31.230, 121.470, 31.245),
    )
    grid_sw = RegionFactory(
        name="康定网格",
        code="0101",
        level=RegionLevel.GRID,
        parent=west,
        boundary=square(121.450, 31.230, 121.460, 31.2375),
    )
    grid_nw = RegionFactory(
        name="昌平网格",
        code="0102",
        level=RegionLevel.GRID,
        parent=west,
        boundary=square(121.450, 31.2375, 121.460, 31.245),
    )
    grid_e = RegionFactory(
        name="大田网格",
        code="0201",
        level=RegionLevel.GRID,
        parent=east,
        boundary=square(121.460, 31.230, 121.470, 31.245),
    )
    other = RegionFactory(
        name="南京西路街道",
        code="310106012",
        level=RegionLevel.SUBDISTRICT,
        parent=district,
        boundary=square(121.450, 31.220, 121.470, 31.230),
    )
    other_area = RegionFactory(
        name="威海片区",
        code="01",
        level=RegionLevel.AREA,
        parent=other,
        boundary=square(121.450, 31.220, 121.470, 31.230),
    )
    other_grid = RegionFactory(
        name="威海网格",
        code="0101",
        level=RegionLevel.GRID,
        parent=other_area,
        boundary=square(121.450, 31.220, 121.470, 31.230),
    )
    road = RoadFactory(
        name="石门二路",
        subdistrict=ours,
        line=geo_line([[121.4600, 31.2310], [121.4601, 31.2440]]),
    )
    other_road = RoadFactory(
        name="威海路", subdistrict=other, line=geo_line([[121.451, 31.225], [121.469, 31.225]])
    )
    return SimpleNamespace(
        district=district,
        ours=ours,
        west=west,
        east=east,
        grid_sw=grid_sw,
        grid_nw=grid_nw,
        grid_e=grid_e,
        other=other,
        other_area=other_area,
        other_grid=other_grid,
        road=road,
        other_road=other_road,
        b_sw=BuildingFactory(name="康定大厦", region=grid_sw, road=road),
        b_nw=BuildingFactory(name="昌平大厦", region=grid_nw),
        b_e=BuildingFactory(name="大田大厦", region=grid_e),
        b_other=BuildingFactory(name="威海大厦", region=other_grid, road=other_road),
    )


def geo_line(points):
    from jiequ.areas.geo import line

    return line(points)


@pytest.fixture
def users(world):
    """One user per role, scoped as in the demo, plus the neighbouring subdistrict's admin."""
    return SimpleNamespace(
        district=UserFactory(role=Role.DISTRICT_VIEWER, scope_region=world.district),
        admin=UserFactory(role=Role.SUBDISTRICT_ADMIN, scope_region=world.ours),
        staff=UserFactory(role=Role.SUBDISTRICT_STAFF, scope_region=world.ours),
        secretary=UserFactory(role=Role.BRANCH_SECRETARY, scope_region=world.west),
        grid=UserFactory(role=Role.GRID_WORKER, scope_region=world.grid_sw),
        member=UserFactory(role=Role.MEMBER, scope_region=world.ours),
        other_admin=UserFactory(role=Role.SUBDISTRICT_ADMIN, scope_region=world.other),
        unscoped=UserFactory(role=Role.SUBDISTRICT_STAFF, scope_region=None),
    )


@pytest.fixture
def party(world, users):
    """The subdistrict's working committee with a branch in each area (the secretary's is the
    west one, with a Party group under it) and a branch of the neighbouring subdistrict."""
    from tests.factories import MemberFactory, OrganisationFactory

    committee = OrganisationFactory(
        name="石门二路街道两新工委",
        level="committee",
        category="emerging_area",
        region=world.ours,
    )
    west = OrganisationFactory(name="江宁街区党支部", parent=committee, region=world.west)
    group = OrganisationFactory(
        name="康定路党小组", level="group", parent=west, region=world.grid_sw
    )
    east = OrganisationFactory(name="成都街区党支部", parent=committee, region=world.east)
    other = OrganisationFactory(name="威海街区党支部", region=world.other_area)
    users.secretary.scope_organisation = west
    users.secretary.save()
    return SimpleNamespace(
        committee=committee,
        west=west,
        group=group,
        east=east,
        other=other,
        west_members=MemberFactory.create_batch(4, organisation=west),
        east_members=MemberFactory.create_batch(2, organisation=east),
        other_members=MemberFactory.create_batch(1, organisation=other),
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The real hasher is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
