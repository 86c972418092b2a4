"""The demo's coverage work: the street shops planned into the 3 street-block branches and
applied, a draft re-plan, members' responsibility zones, street chiefs on the roads, instructors
and the blind spots the seed describes.

The demo is built once for the module (inside a transaction rolled back at the end); each test
runs in its own savepoint, so a test may change the data (apply the draft, say).
"""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from jiequ.accounts.models import User
from jiequ.areas.models import Region
from jiequ.core.scoping import restrict
from jiequ.coverage import blindspots, chiefs, planner, zones
from jiequ.coverage.models import (
    BalanceBy,
    InstructorPost,
    Plan,
    PlanKind,
    PlanShop,
    PlanState,
    StreetChief,
    Zone,
)
from jiequ.coverage.status import Status, annotate_status
from jiequ.demo.builder import build_demo
from jiequ.demo.coverage import PLAN_NAME
from jiequ.demo.party import emerging_sector_organisations
from jiequ.ledger.models import Entity, EntityState
from jiequ.party.models import (
    Category,
    CoverageKind,
    CoverageLink,
    DepartmentKind,
    Level,
    Officer,
    Organisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def sub(demo, db):
    return Region.objects.get(code="310106011")


@pytest.fixture
def entities(sub):
    return Entity.objects.filter(region__path__startswith=sub.path)


@pytest.fixture
def street_shops(entities):
    return entities.filter(is_street_shop=True, state=EntityState.OPERATING)


@pytest.fixture
def branches(sub):
    return list(
        emerging_sector_organisations(sub)
        .filter(category=Category.STREET_BLOCK, level=Level.BRANCH)
        .order_by("name")
    )


@pytest.fixture
def applied(sub):
    return Plan.objects.get(subdistrict=sub, kind=PlanKind.BRANCHES, state=PlanState.APPLIED)


def test_the_street_shops_were_planned_into_the_three_street_block_branches(
    demo, sub, street_shops, branches, applied
):
    assert demo.street_blocks == 3 and len(branches) == 3
    # The plan is kept: its author, who applied it and when, its shops and measures.
    staff = User.objects.get(username="staff")
    assert applied.name == PLAN_NAME
    assert applied.author == staff and applied.applied_by == staff
    assert applied.k == 3 and applied.balance_by == BalanceBy.SHOPS
    assert applied.applied_at.date() >= applied.created_at.date()
    assert applied.history.filter(history_change_reason__startswith="applied").exists()
    planned = set(PlanShop.objects.filter(plan=applied).values_list("entity", flat=True))
    assert planned == set(street_shops.values_list("pk", flat=True))
    n = len(planned)
    sizes = Counter(PlanShop.objects.filter(plan=applied).values_list("group", flat=True))
    assert sorted(sizes) == [0, 1, 2]
    assert all(abs(size - n / 3) <= 1 for size in sizes.values()), sizes
    assert applied.measures["balance"] <= 1.01
    assert applied.measures["road_fragments"] < 2 * applied.measures["roads"]
    # Its three groups became the street-block branches, each covering the group's shops.
    groups = list(applied.groups.select_related("organisation").order_by("number"))
    assert {g.organisation for g in groups} == set(branches)
    for group in groups:
        branch = group.organisation
        assert group.name == branch.name
        assert branch.parent.level == Level.COMMITTEE and branch.parent.parent is None
        assert branch.founded_on == applied.applied_at.date()
        shops = set(
            PlanShop.objects.filter(plan=applied, group=group.number).values_list(
                "entity", flat=True
            )
        )
        links = CoverageLink.objects.filter(organisation=branch)
        assert set(links.values_list("entity", flat=True)) == shops
        assert set(links.values_list("kind", flat=True)) == {CoverageKind.AREA}
        assert set(links.values_list("since", flat=True)) == {branch.founded_on}
    # Applying it again is refused and creates nothing.
    with pytest.raises(planner.PlanError):
        planner.apply(applied, staff)
    street = Organisation.objects.filter(category=Category.STREET_BLOCK, level=Level.BRANCH)
    assert street.filter(region__path__startswith=sub.path).count() == 3


def test_every_operating_street_shop_is_in_a_street_block_branch(entities, street_shops):
    assert blindspots.count("street_shops", entities) == 0
    covered = CoverageLink.objects.filter(
        organisation__category=Category.STREET_BLOCK, entity__in=street_shops
    )
    assert set(covered.values_list("entity", flat=True)) == set(
        street_shops.values_list("pk", flat=True)
    )
    statuses = Counter(annotate_status(street_shops).values_list("coverage_status", flat=True))
    assert set(statuses) == {Status.AREA}


def test_the_secretary_keeps_his_street_block_branch_with_his_members(branches):
    secretary = User.objects.get(username="secretary")
    branch = secretary.scope_organisation
    assert branch in branches and branch.name == "石门街区党支部"
    post = branch.officers.get(role="secretary", ended_on__isnull=True)
    assert post.member.name == "张建国"
    shops = set(zones.branch_shops(branch).values_list("pk", flat=True))
    members = zones.active_members(branch)
    assert members.count() > 20
    # Members work in the shops their branch covers; the seed's pet-shop worker and
    # restaurant owner are among them.
    assert all(x.workplace_id in shops for x in members if x.workplace_id)
    assert members.filter(workplace__sign_name__endswith="宠物店", record_province="安徽省")
    assert members.filter(record_city="盐城市", workplace__sign_name__regex=r"(餐厅|面馆|小吃)$")
    # Its zones and zone plan are his to see; the subdistrict's branch plans are not.
    assert (
        restrict(Zone.objects.all(), secretary).count()
        == Zone.objects.filter(organisation=branch).count()
    )
    seen = restrict(Plan.objects.all(), secretary)
    assert seen.exists() and not seen.exclude(organisation=branch).exists()


def test_a_draft_plan_to_adjust_apply_or_delete(sub, applied, branches):
    draft = Plan.objects.get(subdistrict=sub, state=PlanState.DRAFT, kind=PlanKind.BRANCHES)
    assert draft.k == 2 and draft.author.username == "staff"
    assert not draft.groups.filter(organisation__isnull=False).exists()
    rows = PlanShop.objects.filter(plan=draft).select_related("entity__region")
    assert rows.count() > 50
    assert len({r.entity.region.path.split("/")[3] for r in rows}) == 1  # one area's shops
    applied_shops = list(PlanShop.objects.filter(plan=applied).values_list("entity", "group"))
    # Adjust: move two shops, lock them, re-run; the applied plan does not change.
    two = [r.entity_id for r in rows.filter(group=0)[:2]]
    planner.move(draft, two, 1)
    planner.rerun(draft)
    assert set(
        PlanShop.objects.filter(plan=draft, entity__in=two).values_list("group", flat=True)
    ) == {1}
    assert list(PlanShop.objects.filter(plan=applied).values_list("entity", "group")) == (
        applied_shops
    )
    # Apply it: two more branches, once only.
    made = planner.apply(draft, User.objects.get(username="staff"))
    assert len(made) == 2 and all(b.category == Category.STREET_BLOCK for b in made)
    with pytest.raises(planner.PlanError):
        planner.apply(draft, User.objects.get(username="staff"))
    assert set(branches) <= set(Organisation.objects.filter(category=Category.STREET_BLOCK))


def test_the_draft_can_be_deleted_and_the_applied_plan_cannot(sub, applied):
    draft = Plan.objects.get(subdistrict=sub, state=PlanState.DRAFT, kind=PlanKind.BRANCHES)
    planner.delete_draft(draft)
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert not PlanShop.objects.filter(plan_id=draft.pk).exists()
    with pytest.raises(planner.PlanError):
        planner.delete_draft(applied)


def test_each_street_block_branch_has_its_shops_in_members_zones(demo, branches):
    assert demo.zones == Zone.objects.filter(organisation__in=branches).count()
    for branch in branches:
        shops = set(zones.branch_shops(branch).values_list("pk", flat=True))
        branch_zones = list(Zone.objects.filter(organisation=branch).select_related("member"))
        assert 8 <= len(branch_zones) <= 12, branch
        seen: list[int] = []
        officers = set(
            Officer.objects.filter(
                organisation=branch, ended_on__isnull=True, member__isnull=False
            ).values_list("member", flat=True)
        )
        sizes = []
        for zone in branch_zones:
            mine = set(zone.entities.values_list("pk", flat=True))
            seen += mine
            sizes.append(len(mine))
            member = zone.member
            assert member.organisation == branch and member.left_on is None
            assert member.pk not in officers
            if member.workplace_id in shops:
                assert member.workplace_id in mine, (branch, member)
            assert zone.duties == zones.default_duties()
            assert zone.plan.state == PlanState.APPLIED and zone.plan.kind == PlanKind.ZONES
        assert sorted(seen) == sorted(shops)  # every shop in exactly one zone
        assert min(sizes) >= 5 and max(sizes) - min(sizes) <= 3, sizes


def test_every_road_with_street_shops_has_a_current_chief(demo, sub, branches):
    rows = [row for row in chiefs.roads_of(sub) if row.shops > 0]
    assert len(rows) >= 10 and demo.street_chiefs == len(rows)
    for row in rows:
        current = StreetChief.objects.filter(road=row.road, ended_on__isnull=True)
        assert current.count() == 1, row.road
        chief = current.get()
        if chief.cadre_id:
            assert chief.cadre.department_kind == DepartmentKind.PARTY_MASS
            continue
        # A member of the street-block branch covering most of the road's shops.
        counts = Counter(
            CoverageLink.objects.filter(
                organisation__in=branches,
                entity__road=row.road,
                entity__state=EntityState.OPERATING,
            ).values_list("organisation", flat=True)
        )
        top = max(counts.values())
        assert chief.member.organisation_id in {pk for pk, n in counts.items() if n == top}
        assert chief.member.left_on is None
    # On a few roads a chief took over from an earlier one: the road keeps its history.
    changed = StreetChief.objects.filter(road__subdistrict=sub, ended_on__isnull=False)
    assert changed.exists()
    for old in changed:
        new = StreetChief.objects.get(road=old.road, ended_on__isnull=True)
        assert (new.started_on - old.ended_on).days == 1


def test_the_blind_spots_show_the_seeds_building_and_enterprise_gaps(entities):
    # Large buildings with no building branch (the demo has one building branch).
    assert blindspots.count("buildings", entities) >= 5
    # Enterprises with enough members for a branch of their own and none yet.
    due = blindspots.entities_in("branch_due", entities)
    assert due.exists() and due.filter(is_street_shop=False).count() >= 10
    # Street shops outside every street-block branch: none, all were planned.
    assert blindspots.count("street_shops", entities) == 0
    # Instructors reach a few entities (work coverage); most with members still have none.
    statuses = Counter(annotate_status(entities).values_list("coverage_status", flat=True))
    assert 3 <= statuses[Status.WORK] <= 15
    assert blindspots.count("no_instructor", entities) > 100


def test_instructors_are_party_mass_cadres_posted_where_no_organisation_is(entities):
    posts = InstructorPost.objects.filter(entity__in=entities).select_related("cadre", "entity")
    assert posts.count() >= 5
    for post in posts:
        assert post.cadre.department_kind == DepartmentKind.PARTY_MASS and not post.member_id
        assert not CoverageLink.objects.filter(entity=post.entity).exists()
        assert post.entity.member_count >= 1
    assert posts.filter(ended_on__isnull=False).exists()  # an earlier post has ended


def test_the_demo_command_reports_the_organisations_and_the_plan(demo, monkeypatch):
    from jiequ.demo.management.commands import demo as command

    monkeypatch.setattr(command, "is_empty", lambda: True)
    monkeypatch.setattr(command, "build_demo", lambda seed: demo)
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert demo.organisations == 87 and 500 <= demo.members <= 1000
    for number in (demo.organisations, demo.members, demo.street_blocks, demo.zones):
        assert str(number) in text
