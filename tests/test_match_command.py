"""Tests for `jiequ match LEDGER.csv REGISTRY.csv --out PAIRS.csv` (no DB needed)."""

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

LEDGER = """id,name,sign_name,credit_code,address
L1,上海鸿睿餐饮管理有限公司,鸿睿小馆,,上海市静安区石门二路一百二十三号
L2,,鸿瑞餐厅,,石门二路125号
L3,,全家便利店,,江宁路520号
L4,上海金鼎贸易有限公司,,９１３５０１００ｍ０００１００ｙ４３,
L5,,,,新闸路1号
L6,上海市静安区王记面馆（个体工商户）,王记面馆,,奉贤路45号
"""

REGISTRY = """id,name,credit_code,address
R1,上海鸿睿餐饮管理有限公司,,上海市静安区石门二路123号
R2,上海鸿睿餐饮管理有限公司石门二路分公司,,上海市静安区石门二路125号
R3,全家便利店（上海）有限公司江宁路店,,上海市静安区江宁路520号
R4,全家便利店（上海）有限公司石门二路店,,上海市静安区石门二路200号
R5,上海金鼎实业有限公司,91350100M000100Y43,上海市静安区康定路8号
R6,上海市静安区李师傅生煎馆（个体工商户）,91110000600037341L,上海市静安区奉贤路45号
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    ledger = tmp_path / "LEDGER.csv"
    registry = tmp_path / "REGISTRY.csv"
    # Spreadsheet exports carry a BOM; one file with, one without.
    ledger.write_text(LEDGER, encoding="utf-8-sig")
    registry.write_text(REGISTRY, encoding="utf-8")
    return ledger, registry, tmp_path / "PAIRS.csv"


def run(*args: str) -> str:
    out = StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


def read_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["ledger_id", "registry_id", "score", "decision"]
        return list(reader)


def test_happy_path(files) -> None:
    ledger, registry, out = files
    summary = run(str(ledger), str(registry), "--out", str(out))
    rows = read_pairs(out)
    found = {(r["ledger_id"], r["registry_id"]) for r in rows if r["decision"] == "match"}
    # L2 is the 石门二路 branch (homophone sign, next door); L4 by its code, typed full-width;
    # L5 has nothing but an address; L6 closed and a new business took its premises.
    assert found == {("L1", "R1"), ("L2", "R2"), ("L3", "R3"), ("L4", "R5")}
    for r in rows:
        assert r["decision"] in ("match", "review")
        assert len(r["score"].split(".")[1]) == 4
        assert 0.0 <= float(r["score"]) <= 1.0
    assert next(r for r in rows if r["ledger_id"] == "L4")["score"] == "1.0000"
    assert not any(r["ledger_id"] in ("L5", "L6") and r["decision"] == "match" for r in rows)
    assert "6" in summary and "4" in summary and "matches" in summary
    assert summary.count("\n") == 1


def test_thresholds(files) -> None:
    ledger, registry, out = files
    run(
        str(ledger),
        str(registry),
        "--out",
        str(out),
        "--match-threshold",
        "1",
        "--review-threshold",
        "1",
    )
    rows = read_pairs(out)
    assert [(r["ledger_id"], r["registry_id"], r["decision"]) for r in rows] == [
        ("L4", "R5", "match")
    ]


def test_invalid_threshold(files) -> None:
    ledger, registry, out = files
    with pytest.raises(CommandError, match="阈值"):
        run(str(ledger), str(registry), "--out", str(out), "--match-threshold", "abc")
    with pytest.raises(CommandError, match="阈值"):
        run(
            str(ledger),
            str(registry),
            "--out",
            str(out),
            "--review-threshold",
            "0.9",
            "--match-threshold",
            "0.8",
        )


def test_missing_column(files) -> None:
    ledger, registry, out = files
    ledger.write_text("id,name,credit_code,address\nL1,鸿睿,,石门二路1号\n", encoding="utf-8-sig")
    with pytest.raises(CommandError, match="缺少列 / missing columns: sign_name"):
        run(str(ledger), str(registry), "--out", str(out))
    assert not out.exists()


def test_unreadable_file(files, tmp_path) -> None:
    _, registry, out = files
    with pytest.raises(CommandError, match="无法读取文件"):
        run(str(tmp_path / "absent.csv"), str(registry), "--out", str(out))


def test_empty_name_rows(files) -> None:
    ledger, registry, out = files
    ledger.write_text(
        "id,name,sign_name,credit_code,address\nL1,,,,\nL2,,鸿睿小馆,,石门二路123号\nL3,,,,\n",
        encoding="utf-8-sig",
    )
    summary = run(str(ledger), str(registry), "--out", str(out))
    rows = read_pairs(out)
    assert [(r["ledger_id"], r["registry_id"], r["decision"]) for r in rows] == [
        ("L2", "R1", "match")
    ]
    assert "3" in summary


def test_roads_file(files, tmp_path) -> None:
    ledger, registry, out = files
    roads = tmp_path / "roads.txt"
    roads.write_text("石门二路\n江宁路\n\n奉贤路\n", encoding="utf-8")
    run(str(ledger), str(registry), "--out", str(out), "--roads", str(roads))
    found = {
        (r["ledger_id"], r["registry_id"]) for r in read_pairs(out) if r["decision"] == "match"
    }
    assert ("L3", "R3") in found


def test_console_script_exits_non_zero_without_traceback(files) -> None:
    ledger, registry, out = files
    ledger.write_text("id,name\nL1,鸿睿\n", encoding="utf-8")
    jiequ = Path(sys.executable).with_name("jiequ")
    command = [str(jiequ)] if jiequ.exists() else [sys.executable, "-m", "jiequ"]
    done = subprocess.run(
        [*command, "match", str(ledger), str(registry), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "缺少列 / missing columns" in done.stderr
    assert "Traceback" not in done.stderr
