"""The planner's domain functions: propose, move, lock, re-run, apply (once, all or nothing)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import translation

from jiequ.coverage import planner
from jiequ.coverage.models import Plan, PlanGroup, PlanShop
from jiequ.coverage.planner import PlanError
from jiequ.party.models import CoverageLink, Organisation

from .factories import CoverageLinkFactory, EntityFactory, OrganisationFactory
from .factories_planner import shops_along, street_layout


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def layout(world):
    return street_layout(world)


def _sizes(plan: Plan) -> list[int]:
    counts = Counter(PlanShop.objects.filter(plan=plan).values_list("group", flat=True))
    return [counts.get(g, 0) for g in range(plan.k)]


def _propose(world, users, k=3, **kwargs):
    return planner.propose(world.ours, None, k, "shops", users.staff, "测试方案", **kwargs)


def test_default_set_is_the_uncovered_operating_street_shops(world, users, party, layout):
    covered = layout.nanjing[0]
    CoverageLinkFactory(organisation=party.west, entity=covered, kind="area")
    closed = layout.beijing[0]
    closed.state = "closed"
    closed.save()
    not_a_shop = EntityFactory(region=world.grid_e, is_street_shop=False)
    elsewhere = shops_along(
        world.other_grid, world.other_road, 2, (31.225, 121.452), (31.225, 121.46)
    )
    # A dissolved street-block branch covers nothing any more.
    dissolved = OrganisationFactory(
        name="旧街区党支部", region=world.west, dissolved_on="2020-01-01"
    )
    CoverageLinkFactory(organisation=dissolved, entity=layout.nanjing[1], kind="area")
    # A building branch's link does not count as street-block coverage.
    building = OrganisationFactory(name="楼宇党支部", category="building", region=world.west)
    CoverageLinkFactory(organisation=building, entity=layout.nanjing[2], kind="own")

    ids = set(planner.uncovered_street_shops(world.ours).values_list("pk", flat=True))
    assert covered.pk not in ids and closed.pk not in ids and not_a_shop.pk not in ids
    assert not ids & {s.pk for s in elsewhere}
    assert layout.nanjing[1].pk in ids and layout.nanjing[2].pk in ids
    assert len(ids) == len(layout.all) - 2

    plan = _propose(world, users)
    assert plan.state == "draft" and plan.kind == "branches" and plan.author == users.staff
    assert plan.region == world.ours and plan.subdistrict == world.ours
    assert PlanShop.objects.filter(plan=plan).count() == len(ids)
    assert PlanGroup.objects.filter(plan=plan).count() == 3
    assert "未被街区党支部覆盖" in plan.selection


def test_groups_are_balanced_compact_and_keep_roads(world, users, layout):
    plan = _propose(world, users, k=4)
    sizes = _sizes(plan)
    assert sorted(sizes) == [8, 8, 8, 8]
    m = plan.measures
    assert m["shops"] == 32 and m["balance"] == 1.0
    # Four roads of eight shops, four groups: one road each is the natural answer.
    assert m["roads"] == 4 and m["road_fragments"] == 4
    for g in m["groups"]:
        assert g["size"] == 8 and g["spread_m"] > 0 and len(g["roads"]) == 1
        assert g["roads"][0][1] == 8
    assert m["workers"] == sum(s.worker_count for s in layout.all)
    # Group 1 is the westernmost.
    first = PlanShop.objects.filter(plan=plan, group=0).select_related("entity")
    assert {r.entity.road.name for r in first} <= {"南京西路", "北京西路"}


def test_balance_by_workers(world, users, layout):
    plan = planner.propose(world.ours, layout.all, 2, "workers", users.staff, "按从业人员")
    workers = [g["workers"] for g in plan.measures["groups"]]
    total = sum(workers)
    assert all(abs(w - total / 2) <= total * 0.02 + 9 for w in workers)
    assert plan.measures["by_weight"] is True


@pytest.mark.parametrize("k", [0, -1, 33, "三"])
def test_bad_k_is_refused_in_chinese(world, users, layout, k):
    with pytest.raises(PlanError, match="分组数"):
        _propose(world, users, k=k)
    assert not Plan.objects.exists()


def test_no_shops_is_refused(world, users):
    with pytest.raises(PlanError, match="没有"):
        _propose(world, users)


def test_shops_without_location_are_left_out(world, users, layout):
    nowhere = EntityFactory(region=world.grid_e, is_street_shop=True, lat=None, lon=None)
    plan = _propose(world, users)
    assert not PlanShop.objects.filter(plan=plan, entity=nowhere).exists()
    assert plan.measures["shops"] == 32


def test_move_locks_and_updates_the_measures(world, users, layout):
    plan = _propose(world, users, k=4)
    shop = layout.datian[0]
    row = PlanShop.objects.get(plan=plan, entity=shop)
    target = (row.group + 1) % 4
    before = plan.measures["road_fragments"]
    assert planner.move(plan, [shop.pk], target) == 1
    row.refresh_from_db()
    plan.refresh_from_db()
    assert row.group == target and row.locked
    assert plan.measures["road_fragments"] == before + 1
    assert sorted(g["size"] for g in plan.measures["groups"]) == [7, 8, 8, 9]
    assert plan.history.first().history_change_reason.startswith("moved 1 shop")


def test_move_bad_input_changes_nothing(world, users, layout):
    plan = _propose(world, users, k=3)
    before = list(PlanShop.objects.filter(plan=plan).values_list("entity_id", "group", "locked"))
    other = EntityFactory(region=world.grid_e, is_street_shop=True)
    for ids, group, message in [
        ([layout.all[0].pk], 3, "分组不存在"),
        ([layout.all[0].pk], "x", "分组不存在"),
        ([], 0, "请先选择"),
        (["abc"], 0, "无效"),
        ([layout.all[0].pk, other.pk], 0, "不在此方案"),
    ]:
        with pytest.raises(PlanError, match=message):
            planner.move(plan, ids, group)
    after = list(PlanShop.objects.filter(plan=plan).values_list("entity_id", "group", "locked"))
    assert after == before


def test_lock_unlock_and_rerun_keeps_locked_shops(world, users, layout):
    plan = _propose(world, users, k=2)
    # Pull half of 大田路 into the west group and lock them; the rest is re-planned around.
    west_group = PlanShop.objects.get(plan=plan, entity=layout.nanjing[0]).group
    pulled = [s.pk for s in layout.datian[:4]]
    planner.move(plan, pulled, west_group)
    planner.lock(plan, [layout.chengdu[0].pk])
    chengdu_group = PlanShop.objects.get(plan=plan, entity=layout.chengdu[0]).group
    planner.rerun(plan)
    rows = {r.entity_id: r for r in PlanShop.objects.filter(plan=plan)}
    assert all(rows[pk].group == west_group and rows[pk].locked for pk in pulled)
    assert rows[layout.chengdu[0].pk].group == chengdu_group
    assert sorted(_sizes(plan)) == [16, 16]
    planner.unlock(plan, pulled)
    assert not PlanShop.objects.filter(plan=plan, entity_id__in=pulled, locked=True).exists()
    plan.refresh_from_db()
    assert plan.history.filter(history_change_reason__startswith="re-run").exists()


def test_rename_refuses_duplicates(world, users, layout):
    plan = _propose(world, users, k=2)
    planner.rename(plan, 0, "  南京西路街区党支部 ")
    assert PlanGroup.objects.get(plan=plan, number=0).name == "南京西路街区党支部"
    with pytest.raises(PlanError, match="同名"):
        planner.rename(plan, 1, "南京西路街区党支部")
    with pytest.raises(PlanError, match="分组不存在"):
        planner.rename(plan, 5, "x")


def test_apply_creates_branches_and_area_links(world, users, party, layout):
    plan = _propose(world, users, k=2)
    planner.rename(plan, 1, "成都北路街区党支部")
    before = Organisation.objects.count()
    created = planner.apply(plan, users.admin)
    assert len(created) == 2 and Organisation.objects.count() == before + 2
    plan.refresh_from_db()
    assert plan.state == "applied" and plan.applied_by == users.admin and plan.applied_at
    west, east = created
    assert west.name == "街区第1党支部" and east.name == "成都北路街区党支部"
    for org, area in ((west, world.west), (east, world.east)):
        assert org.parent == party.committee and org.region == area
        assert org.level == "branch" and org.category == "street_block" and org.founded_on
        assert org.history.count() == 1
    groups = {g.number: g.organisation for g in PlanGroup.objects.filter(plan=plan)}
    for row in PlanShop.objects.filter(plan=plan):
        link = CoverageLink.objects.get(entity_id=row.entity_id, organisation=groups[row.group])
        assert link.kind == "area" and link.since
    assert CoverageLink.objects.filter(organisation__in=created).count() == 32
    # Now covered: nothing is left for a new default plan.
    assert not planner.uncovered_street_shops(world.ours).exists()


def test_apply_twice_never_creates_two_branches(world, users, party, layout):
    plan = _propose(world, users, k=2)
    planner.apply(plan, users.admin)
    count = Organisation.objects.count()
    with pytest.raises(PlanError, match="已应用"):
        planner.apply(plan, users.admin)
    with pytest.raises(PlanError, match="已应用"):
        planner.move(plan, [layout.all[0].pk], 0)
    with pytest.raises(PlanError, match="已应用"):
        planner.delete_draft(plan)
    assert Organisation.objects.count() == count


def test_apply_is_all_or_nothing(world, users, party, layout, monkeypatch):
    plan = _propose(world, users, k=2)
    orgs, links = Organisation.objects.count(), CoverageLink.objects.count()
    real_save = CoverageLink.save
    calls = {"n": 0}

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 20:  # in the second branch's links
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(CoverageLink, "save", failing_save)
    with pytest.raises(RuntimeError):
        planner.apply(plan, users.admin)
    plan.refresh_from_db()
    assert plan.state == "draft" and plan.applied_at is None
    assert Organisation.objects.count() == orgs and CoverageLink.objects.count() == links
    assert not PlanGroup.objects.filter(plan=plan, organisation__isnull=False).exists()
    monkeypatch.setattr(CoverageLink, "save", real_save)
    assert len(planner.apply(plan, users.admin)) == 2


@pytest.mark.django_db(transaction=True)
def test_two_applies_at_the_same_moment_make_one_set_of_branches(world, users, party, layout):
    """Two staff pressing apply together (PostgreSQL: real concurrent transactions)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    plan = _propose(world, users, k=2)
    before = Organisation.objects.count()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def press():
        try:
            barrier.wait()
            results.append(planner.apply(Plan.objects.get(pk=plan.pk), users.admin))
        except PlanError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1 and len(errors) == 1
    assert Organisation.objects.count() == before + 2
    assert CoverageLink.objects.filter(kind="area").count() == 32


def test_default_names_skip_existing_branches(world, users, party, layout):
    OrganisationFactory(name="街区第1党支部", parent=party.committee, region=world.west)
    plan = _propose(world, users, k=2)
    names = [o.name for o in planner.apply(plan, users.admin)]
    assert names == ["街区第2党支部", "街区第3党支部"]


def test_a_group_named_like_an_existing_organisation_is_refused(world, users, party, layout):
    plan = _propose(world, users, k=2)
    planner.rename(plan, 0, party.west.name)
    with pytest.raises(PlanError, match="已存在"):
        planner.apply(plan, users.admin)
    plan.refresh_from_db()
    assert plan.state == "draft"


def test_without_a_committee_the_parent_must_be_given(world, users, layout):
    plan = _propose(world, users, k=2)
    with pytest.raises(PlanError, match="上级"):
        planner.apply(plan, users.admin)
    general = OrganisationFactory(
        name="石门二路街道街区党总支", level="general_branch", region=world.ours
    )
    created = planner.apply(plan, users.admin, parent_organisation=general)
    assert all(o.parent == general for o in created)


def test_an_empty_group_cannot_be_applied(world, users, party, layout):
    plan = planner.propose(world.ours, layout.nanjing[:3], 3, "shops", users.staff, "小方案")
    planner.move(plan, [layout.nanjing[0].pk, layout.nanjing[1].pk, layout.nanjing[2].pk], 0)
    with pytest.raises(PlanError, match="没有商铺"):
        planner.apply(plan, users.admin)
    assert plan.measures  # still a draft with its measures
    assert Organisation.objects.count() == 5


def test_delete_draft_is_the_undo(world, users, layout):
    plan = _propose(world, users)
    planner.delete_draft(plan)
    assert not Plan.objects.exists() and not PlanShop.objects.exists()
    assert Plan.history.filter(history_type="-").count() == 1
