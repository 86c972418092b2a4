"""Coverage status: own > joint > attached > area > work (instructor only) > none."""

import datetime

import pytest
from django.urls import reverse

from jiequ.coverage.status import Status, annotate_status, status_of, with_status
from jiequ.ledger.models import Entity

from .factories import (
    CadreFactory,
    CoverageLinkFactory,
    EntityFactory,
    OrganisationFactory,
)
from .factories_coverage import InstructorPostFactory

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def statuses(**filters):
    return dict(
        annotate_status(Entity.objects.filter(**filters)).values_list("name", "coverage_status")
    )


@pytest.fixture
def orgs(world):
    return {
        kind: OrganisationFactory(name=f"{kind}支部", region=world.west, category="non_public")
        for kind in ("own", "joint", "attached", "area")
    }


def link(org, entity, kind):
    return CoverageLinkFactory(organisation=org, entity=entity, kind=kind)


def test_each_kind_on_its_own(world, orgs):
    for kind in ("own", "joint", "attached", "area"):
        link(orgs[kind], EntityFactory(name=kind, region=world.grid_sw), kind)
    EntityFactory(name="bare", region=world.grid_sw)
    assert statuses() == {
        "own": "own",
        "joint": "joint",
        "attached": "attached",
        "area": "area",
        "bare": "none",
    }


def test_precedence_strongest_link_wins(world, orgs):
    e = EntityFactory(name="all", region=world.grid_sw)
    for kind in ("area", "attached", "joint"):
        link(orgs[kind], e, kind)
    assert status_of(e) == Status.JOINT
    link(orgs["own"], e, "own")
    assert status_of(e) == Status.OWN


def test_area_beats_instructor(world, orgs, party):
    e = EntityFactory(name="x", region=world.grid_sw)
    InstructorPostFactory(entity=e, member=party.west_members[0])
    assert status_of(e) == Status.WORK
    link(orgs["area"], e, "area")
    assert status_of(e) == Status.AREA


def test_instructor_alone_is_work_coverage_member_or_cadre(world, party):
    a = EntityFactory(name="a", region=world.grid_sw)
    b = EntityFactory(name="b", region=world.grid_sw)
    InstructorPostFactory(entity=a, member=party.west_members[0])
    InstructorPostFactory(entity=b, cadre=CadreFactory(subdistrict=world.ours))
    assert statuses() == {"a": "work", "b": "work"}


def test_dissolved_organisation_covers_nothing(world, orgs):
    e = EntityFactory(name="x", region=world.grid_sw)
    link(orgs["own"], e, "own")
    link(orgs["area"], e, "area")
    orgs["own"].dissolved_on = TODAY - DAY
    orgs["own"].save()
    assert status_of(e) == Status.AREA
    orgs["area"].dissolved_on = TODAY
    orgs["area"].save()
    assert status_of(e) == Status.NONE


def test_dissolution_later_than_today_still_covers(world, orgs):
    e = EntityFactory(name="x", region=world.grid_sw)
    link(orgs["own"], e, "own")
    orgs["own"].dissolved_on = TODAY + DAY
    orgs["own"].save()
    assert status_of(e) == Status.OWN


def test_link_from_a_future_date_does_not_count_yet(world, orgs):
    e = EntityFactory(name="x", region=world.grid_sw)
    CoverageLinkFactory(organisation=orgs["own"], entity=e, kind="own", since=TODAY + DAY)
    assert status_of(e) == Status.NONE


def test_ended_instructor_post(world, party):
    e = EntityFactory(name="x", region=world.grid_sw)
    post = InstructorPostFactory(entity=e, member=party.west_members[0], ended_on=TODAY - DAY)
    assert status_of(e) == Status.NONE
    post.ended_on = TODAY  # the last day still counts
    post.save()
    assert status_of(e) == Status.WORK
    post.started_on, post.ended_on = TODAY + DAY, None  # not begun yet
    post.save()
    assert status_of(e) == Status.NONE


def test_links_from_any_organisation_count_whoever_looks(world, users):
    """The status is a fact about the entity, not about the viewer's scope."""
    district_org = OrganisationFactory(region=world.district, category="non_public")
    e = EntityFactory(name="x", region=world.grid_sw)
    link(district_org, e, "own")
    seen = annotate_status(Entity.objects.restrict(users.grid)).get()
    assert seen.coverage_status == Status.OWN


def test_filter_by_status_in_sql(world, orgs, django_assert_num_queries):
    for i in range(5):
        link(orgs["joint"], EntityFactory(name=f"j{i}", region=world.grid_sw), "joint")
    for i in range(3):
        EntityFactory(name=f"n{i}", region=world.grid_sw)
    with django_assert_num_queries(1):
        assert with_status(Entity.objects.all(), "joint").count() == 5
    with django_assert_num_queries(1):
        names = sorted(with_status(Entity.objects.all(), ["none"]).values_list("name", flat=True))
    assert names == ["n0", "n1", "n2"]


@pytest.fixture
def many(world, orgs, party):
    """200 entities with every status."""
    kinds = ["own", "joint", "attached", "area"]
    for i in range(200):
        e = EntityFactory(name=f"e{i:03d}", region=world.grid_sw, is_street_shop=i % 2 == 0)
        if i % 6 < 4:
            link(orgs[kinds[i % 6]], e, kinds[i % 6])
        elif i % 6 == 4:
            InstructorPostFactory(entity=e, member=party.west_members[0])


def test_entity_list_queries_stay_bounded(many, users, login, django_assert_max_num_queries):
    client = login(users.staff)
    url = reverse("coverage:entity_list")
    with django_assert_max_num_queries(12):
        response = client.get(url + "?coverage=covered")
    assert response.context["paginator"].count == 167  # 200 less the 33 with nothing
    with django_assert_max_num_queries(12):
        response = client.get(url + "?page=8")
    assert len(response.context["rows"]) == 25


def test_export_of_200_entities_queries_stay_bounded(
    many, users, login, django_assert_max_num_queries
):
    client = login(users.staff)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("coverage:entity_export") + "?format=csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 201
    assert "覆盖状态" in lines[0]


def test_overview_and_blind_spots_queries_stay_bounded(
    many, users, login, django_assert_max_num_queries
):
    client = login(users.staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("coverage:overview")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("coverage:blindspot_list")).status_code == 200


def test_entity_list_shows_status_and_organisation(world, orgs, users, login):
    e = EntityFactory(name="x", region=world.grid_sw)
    link(orgs["joint"], e, "joint")
    response = login(users.staff).get(reverse("coverage:entity_list"))
    [(obj, cells)] = response.context["rows"]
    assert cells[-2:] == ["联合组建", "joint支部"]


def test_entity_list_is_scoped(world, orgs, users, login):
    EntityFactory(name="mine", region=world.grid_sw)
    EntityFactory(name="theirs", region=world.other_grid)
    for user, expected in (
        (users.grid, {"mine"}),
        (users.staff, {"mine"}),
        (users.other_admin, {"theirs"}),
        (users.district, {"mine", "theirs"}),
    ):
        response = login(user).get(reverse("coverage:entity_list"))
        assert {o.name for o, _c in response.context["rows"]} == expected
    # A region outside one's scope as a filter matches nothing rather than leaking.
    response = login(users.grid).get(reverse("coverage:entity_list") + f"?region={world.grid_e.pk}")
    assert response.context["paginator"].count == 0
