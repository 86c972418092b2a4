"""Tests for jiequ.coverage.partition (plain module, no DB)."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from jiequ.coverage import partition as partition_module
from jiequ.coverage.kernels import road_cut
from jiequ.coverage.partition import (
    Shop,
    partition,
    read_points_csv,
    report,
    write_assignment_csv,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from partition_data import demo_layout, layout  # noqa: E402

M = 111_195.0


def straight_roads(n_roads: int, per_road: int) -> list[Shop]:
    """Parallel east-west roads 300 m apart, shops every 10 m on each."""
    shops = []
    for r in range(n_roads):
        for i in range(per_road):
            lat = 31.23 + (r * 300) / M
            lon = 121.45 + (i * 10) / (M * math.cos(math.radians(31.23)))
            shops.append(Shop(f"r{r}-{i}", lat, lon, f"road{r}"))
    return shops


@pytest.fixture(scope="module")
def shops400() -> list[Shop]:
    return layout(400, 15, 400)


@pytest.mark.parametrize("k", [2, 3, 7, 13])
def test_balance_within_one(shops400: list[Shop], k: int) -> None:
    a = partition(shops400, k)
    sizes = report(shops400, a).sizes
    ideal = len(shops400) / k
    assert len(sizes) == k
    assert all(abs(s - ideal) < 1 for s in sizes), sizes


def test_balance_on_demo_layout() -> None:
    shops = demo_layout()
    a = partition(shops, 3)
    assert all(abs(s - len(shops) / 3) < 1 for s in report(shops, a).sizes)


def test_every_shop_assigned_all_groups_used(shops400: list[Shop]) -> None:
    a = partition(shops400, 9)
    assert set(a) == {s.id for s in shops400}
    assert set(a.values()) == set(range(9))


def test_deterministic_for_seed(shops400: list[Shop]) -> None:
    assert partition(shops400, 5, seed=3) == partition(list(shops400), 5, seed=3)


def test_locked_shops_stay(shops400: list[Shop]) -> None:
    rng = random.Random(1)
    locked = {s.id: rng.randrange(4) for s in rng.sample(shops400, 30)}
    a = partition(shops400, 4, locked=locked)
    assert all(a[sid] == g for sid, g in locked.items())
    assert all(abs(s - 100) < 1 for s in report(shops400, a).sizes)


def test_straight_roads_keep_together() -> None:
    shops = straight_roads(4, 30)
    a = partition(shops, 4)
    r = report(shops, a)
    assert r.roads == 4
    assert r.road_fragments <= r.roads + 4 - 1
    assert all(s == 30 for s in r.sizes)


def test_more_compact_than_random_balanced(shops400: list[Shop]) -> None:
    k = 4
    a = partition(shops400, k)
    rng = random.Random(0)
    labels = [i % k for i in range(len(shops400))]
    rng.shuffle(labels)
    rand = {s.id: g for s, g in zip(shops400, labels, strict=True)}
    ours, theirs = report(shops400, a), report(shops400, rand)
    assert ours.compactness_m < 0.7 * theirs.compactness_m
    assert ours.road_fragments < theirs.road_fragments


def test_by_weight_within_two_percent(shops400: list[Shop]) -> None:
    a = partition(shops400, 3, by_weight=True)
    r = report(shops400, a, by_weight=True)
    assert r.balance <= 1.02
    assert min(r.sizes) >= 0.98 * sum(s.weight for s in shops400) / 3


def test_road_dp_cuts_each_road_at_least_cost() -> None:
    """The ladder's road cut is exact: it matches trying every grouping of small roads."""
    import itertools

    rng = np.random.default_rng(5)
    lengths, k, lam = [6, 4, 1], 3, 40.0
    order = np.arange(sum(lengths))
    road_o = np.repeat(np.arange(len(lengths)), lengths)
    table, lengths_ = partition_module._road_table(order, road_o)
    for _ in range(20):
        cost = rng.uniform(0, 100, size=(len(order), k))
        cut = road_cut(table, lengths_, cost, lam)
        start = 0
        for length in lengths:
            rows = np.arange(start, start + length)
            start += length

            def total(
                groups: tuple[int, ...], rows: np.ndarray = rows, cost: np.ndarray = cost
            ) -> float:
                runs = 1 + sum(a != b for a, b in itertools.pairwise(groups))
                return float(cost[rows, list(groups)].sum()) + lam * runs

            best = min(total(g) for g in itertools.product(range(k), repeat=length))
            assert total(tuple(cut[rows])) == pytest.approx(best)


def test_fragment_ladder_keeps_roads_whole_within_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a layout with about one group per road, the ladder cuts fewer roads than the compact
    reference alone, and pays at most COMPACTNESS_BUDGET in mean distance for it."""
    shops = layout(1400, 27, 1400)
    with_ladder = report(shops, partition(shops, 27))
    monkeypatch.setattr(partition_module, "FRAGMENT_LADDER", ())
    reference = report(shops, partition(shops, 27))
    assert with_ladder.road_fragments < reference.road_fragments - 5
    budget = 1 + partition_module.COMPACTNESS_BUDGET
    assert with_ladder.compactness_m <= reference.compactness_m * budget
    assert max(with_ladder.sizes) - min(with_ladder.sizes) <= 1


def test_by_weight_within_two_percent_with_many_groups() -> None:
    """Heavy shops (up to 12 workers, groups of about 340) with k = 27: the ladder's road cuts
    must still come back within ±2%, or not be chosen."""
    shops = layout(1400, 27, 1400)
    r = report(shops, partition(shops, 27, by_weight=True), by_weight=True)
    ideal = sum(s.weight for s in shops) / 27
    assert max(r.sizes) <= 1.02 * ideal
    assert min(r.sizes) >= 0.98 * ideal


def test_k_one_and_bad_k(shops400: list[Shop]) -> None:
    assert set(partition(shops400, 1).values()) == {0}
    with pytest.raises(ValueError):
        partition(shops400, 0)
    with pytest.raises(ValueError):
        partition(shops400[:3], 4)


def test_report_by_hand() -> None:
    # Road A: four shops 10 m apart west→east, groups 0,0,1,1 → 2 runs.
    # Road B: three shops 10 m apart south→north, groups 0,1,0 → 3 runs.
    cos = math.cos(math.radians(31.0))
    shops = [Shop(f"a{i}", 31.0, 121.0 + i * 10 / (M * cos), "A") for i in range(4)]
    shops += [Shop(f"b{i}", 31.001 + i * 10 / M, 121.0, "B") for i in range(3)]
    a = {"a0": 0, "a1": 0, "a2": 1, "a3": 1, "b0": 0, "b1": 1, "b2": 0}
    r = report(shops, a)
    assert r.roads == 2
    assert r.road_fragments == 5
    assert r.sizes == [4.0, 3.0]
    assert r.balance == pytest.approx(4 / 3.5)


def test_report_compactness_by_hand() -> None:
    # Three shops 0, 10, 20 m along a road in one group: medoid is the middle → (10+0+10)/3.
    cos = math.cos(math.radians(31.0))
    shops = [Shop(str(i), 31.0, 121.0 + i * 10 / (M * cos), "A") for i in range(3)]
    r = report(shops, dict.fromkeys(["0", "1", "2"], 0))
    assert r.compactness_m == pytest.approx(20 / 3, rel=1e-3)
    assert r.road_fragments == 1


def test_csv_round_trip(tmp_path: Path) -> None:
    p = tmp_path / "p.csv"
    p.write_text(
        "\ufeffid,lat,lon,road,weight\nx,31.2,121.4,石门二路,3\ny,31.3,121.5,新闸路,\n", "utf-8"
    )
    shops = read_points_csv(p)
    assert shops[0] == Shop("x", 31.2, 121.4, "石门二路", 3.0)
    assert shops[1].weight == 1.0
    out = tmp_path / "a.csv"
    write_assignment_csv(out, {"x": 0, "y": 1})
    assert out.read_text("utf-8").splitlines() == ["id,group", "x,0", "y,1"]
