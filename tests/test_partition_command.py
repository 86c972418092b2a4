"""Tests for `jiequ partition POINTS.csv --k K --out ASSIGN.csv` (no DB needed)."""

from __future__ import annotations

import csv
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

M = 111_195.0


def points_text(n_roads: int = 3, per_road: int = 10, weight: bool = False) -> str:
    rows = ["id,lat,lon,road" + (",weight" if weight else "")]
    for r in range(n_roads):
        for i in range(per_road):
            lat = 31.23 + r * 300 / M
            lon = 121.45 + i * 10 / (M * math.cos(math.radians(31.23)))
            rows.append(f"s{r}-{i},{lat:.7f},{lon:.7f},路{r}" + (f",{1 + i % 3}" if weight else ""))
    return "\n".join(rows) + "\n"


@pytest.fixture
def points(tmp_path: Path) -> Path:
    p = tmp_path / "POINTS.csv"
    p.write_text(points_text(), encoding="utf-8-sig")  # spreadsheet exports carry a BOM
    return p


def run(*args: str) -> str:
    out = StringIO()
    call_command("partition", *args, stdout=out)
    return out.getvalue()


def test_happy_path_with_bom(points: Path, tmp_path: Path) -> None:
    out = tmp_path / "ASSIGN.csv"
    run(str(points), "--k", "3", "--out", str(out))
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows][:2] == ["s0-0", "s0-1"]
    assert len(rows) == 30
    groups = [int(r["group"]) for r in rows]
    assert sorted(set(groups)) == [0, 1, 2]
    assert all(groups.count(g) == 10 for g in range(3))


def test_report_output(points: Path, tmp_path: Path) -> None:
    out = tmp_path / "ASSIGN.csv"
    text = run(str(points), "--k", "3", "--out", str(out), "--report", "--seed", "4")
    assert "balance: 1.000" in text
    assert "road fragments:" in text and "/ 3 roads" in text
    assert "compactness:" in text and "runtime:" in text
    again = run(str(points), "--report", "--assignment", str(out))
    assert "balance: 1.000" in again and "runtime" not in again


def test_by_weight(tmp_path: Path) -> None:
    p = tmp_path / "P.csv"
    p.write_text(points_text(3, 20, weight=True), encoding="utf-8")
    out = tmp_path / "A.csv"
    text = run(str(p), "--k", "2", "--out", str(out), "--by-weight", "--report")
    assert "sizes (weight)" in text
    balance = float(text.split("balance: ")[1].split()[0])
    assert balance <= 1.02


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("id,lat,road\n1,31.2,A\n", ["--k", "1"], "缺少列 / missing columns: lon"),
        ("id,lat,lon,road\n1,abc,121.4,A\n", ["--k", "1"], "lat/lon is not a number"),
        ("id,lat,lon,road\n1,31.2,121.4,A\n1,31.3,121.4,A\n", ["--k", "1"], "duplicate id: 1"),
        ("id,lat,lon,road\n1,31.2,121.4,A\n", ["--k", "0"], "K must be between 1"),
        ("id,lat,lon,road\n1,31.2,121.4,A\n", ["--k", "2"], "K must be between 1"),
        ("id,lat,lon,road\n1,31.2,121.4,A\n", ["--k", "x"], "K must be an integer"),
        ("id,lat,lon,road\n", ["--k", "1"], "no shops"),
    ],
)
def test_bad_input(tmp_path: Path, content: str, args: list[str], message: str) -> None:
    p = tmp_path / "P.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(str(p), *args, "--out", str(tmp_path / "A.csv"))
    assert message in str(exc.value)
    assert str(exc.value)[0] > "\u2e80"  # the Chinese text comes first


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取文件 / cannot read file"):
        run(str(tmp_path / "nope.csv"), "--k", "2", "--out", str(tmp_path / "A.csv"))
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"\xff\xfe\x00\x81id")
    with pytest.raises(CommandError, match="cannot read file"):
        run(str(bad), "--k", "2", "--out", str(tmp_path / "A.csv"))


def test_missing_out_folder(points: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="output folder does not exist"):
        run(str(points), "--k", "2", "--out", str(tmp_path / "no" / "A.csv"))


def test_assignment_missing_shops(points: Path, tmp_path: Path) -> None:
    a = tmp_path / "A.csv"
    a.write_text("id,group\ns0-0,0\n", encoding="utf-8")
    with pytest.raises(CommandError, match="assignment lacks shops"):
        run(str(points), "--report", "--assignment", str(a))


def test_cli_exit_code(points: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    jiequ = Path(sys.executable).with_name("jiequ")
    proc = subprocess.run(
        [str(jiequ), "partition", str(points), "--k", "0", "--out", str(tmp_path / "A.csv")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "K must be between 1" in proc.stderr
    assert "Traceback" not in proc.stderr
