"""The synthetic ledger ↔ registry generator used by bench/match_bench.py."""

import csv
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "bench" / "ledger_data.py"
_spec = importlib.util.spec_from_file_location("bench_ledger_data", _PATH)
ld = importlib.util.module_from_spec(_spec)
sys.modules["bench_ledger_data"] = ld
_spec.loader.exec_module(ld)


@pytest.fixture(scope="module")
def data():
    return ld.generate_detailed(2000, 2500, seed=1)


def test_deterministic_for_a_seed():
    assert ld.generate(300, 350, seed=7) == ld.generate(300, 350, seed=7)
    assert ld.generate(300, 350, seed=7) != ld.generate(300, 350, seed=8)


@pytest.mark.parametrize(("n_ledger", "n_registry"), [(0, 0), (1, 1), (100, 50), (2000, 2500)])
def test_sizes(n_ledger, n_registry):
    ledger, registry, truth = ld.generate(n_ledger, n_registry, seed=3)
    assert len(ledger) == n_ledger
    assert len(registry) == n_registry
    assert len({r.id for r in ledger}) == n_ledger
    assert len({r.id for r in registry}) == n_registry
    assert len(truth) <= min(n_ledger, n_registry)


def test_truth_refers_to_existing_ids_one_to_one(data):
    ledger_ids = {r.id for r in data.ledger}
    registry_ids = {r.id for r in data.registry}
    assert all(lid in ledger_ids and rid in registry_ids for lid, rid in data.truth)
    assert len({lid for lid, _ in data.truth}) == len(data.truth)
    assert len({rid for _, rid in data.truth}) == len(data.truth)
    closed = len(data.ledger) - len(data.truth)
    assert closed == round(0.05 * len(data.ledger))  # ~5% closed
    assert all("closed" in data.tags[lid] for lid in ledger_ids - {lid for lid, _ in data.truth})


def test_records_are_the_matchers_classes(data):
    from jiequ.ledger.matching import LedgerRecord, RegistryRecord

    assert type(data.ledger[0]) is LedgerRecord
    assert type(data.registry[0]) is RegistryRecord


def test_credit_codes():
    assert ld.credit_code_valid("91350100M000100Y43")
    assert ld.credit_code_valid("91110000600037341L")
    assert not ld.credit_code_valid("91110000600037341M")
    _, registry, _ = ld.generate(500, 500, seed=2)
    assert all(ld.credit_code_valid(r.credit_code) for r in registry)
    assert len({r.credit_code for r in registry}) == len(registry)


def test_chinese_numerals():
    assert [ld.cn_number(n) for n in (7, 10, 15, 20, 101, 123, 1005, 1010)] == [
        "七", "十", "十五", "二十", "一百零一", "一百二十三", "一千零五", "一千零一十",
    ]  # fmt: skip


def test_kinds_of_differences_are_present(data):
    ledger = {r.id: r for r in data.ledger}
    registry = {r.id: r for r in data.registry}
    pairs = [(ledger[lid], registry[rid]) for lid, rid in data.truth]
    n = len(pairs)
    sign_only = sum(1 for led, _ in pairs if not led.name and led.sign_name)
    assert 0.1 * n < sign_only < 0.35 * n
    no_code = sum(1 for led, _ in pairs if not led.credit_code)
    assert 0.3 * n < no_code < 0.5 * n
    assert sum(1 for led, reg in pairs if led.name and led.name != reg.name) > 0.1 * n
    assert any("（" in reg.name and "(" in led.name for led, reg in pairs)  # bracket widths
    assert sum(1 for led, _ in pairs if not led.address.startswith("上海市静安区")) > 0.3 * n
    assert any(re.search("[一二三四五六七八九十百千]+号", led.address) for led, _ in pairs)
    assert any("近" in led.address for led, _ in pairs)
    assert any(re.search("[０-９]", led.address) for led, _ in pairs)
    # homophones: same length, exactly one character replaced by a homophone
    homophone = 0
    for led, reg in pairs:
        if led.name and len(led.name) == len(reg.name) and led.name != reg.name:
            diff = [(a, b) for a, b in zip(reg.name, led.name, strict=True) if a != b]
            if len(diff) == 1 and diff[0][1] in ld.HOMOPHONES.get(diff[0][0], ""):
                homophone += 1
    assert homophone > 0
    tags = Counter(t for ts in data.tags.values() for t in ts)
    for kind in ("abbreviated", "addr_floor_dropped", "addr_room_dropped", "addr_floor_added"):
        assert tags[kind] > 0, kind


def test_chains_twins_and_new_businesses(data):
    # chains: one corporate name, several branches at different addresses
    branch = re.compile(f"({'|'.join(ld.ROADS)})[一二三四五六七八九十]*(分店|门店|店)$")
    corp = Counter(branch.sub("", r.name) for r in data.registry if branch.search(r.name))
    assert sum(1 for c in corp.values() if c >= 3) >= 5
    # ledger rows carrying only a chain's sign (no branch marker) exist
    assert any("chain" in t and "sign_only" in t for t in data.tags.values())
    # near-duplicates: the same sign in two ledger rows at different roads
    signs = Counter(r.sign_name for r in data.ledger if r.sign_name)
    assert any("twin" in t for t in data.tags.values())
    assert any(c >= 2 for c in signs.values())
    # new businesses: registry rows with no ledger counterpart
    matched = {rid for _, rid in data.truth}
    assert len(data.registry) - len(matched) >= 500


def test_write_csvs(tmp_path):
    ledger, registry, truth = ld.generate(50, 60, seed=5)
    paths = ld.write_csvs(tmp_path, ledger, registry, truth)
    assert [p.name for p in paths] == ["LEDGER.csv", "REGISTRY.csv", "TRUTH.csv"]
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in paths)
    with paths[0].open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "name", "sign_name", "credit_code", "address"]
    assert [r["id"] for r in rows] == [r.id for r in ledger]
    with paths[1].open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f)) == ["id", "name", "credit_code", "address"]
    with paths[2].open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["ledger_id", "registry_id"] and len(rows) == len(truth) + 1
