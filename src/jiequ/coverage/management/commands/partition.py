"""`jiequ partition POINTS.csv --k K --out ASSIGN.csv`: split shops into K balanced groups.

POINTS.csv: id,lat,lon,road (WGS-84) and an optional weight column; UTF-8 with or without BOM.
ASSIGN.csv: id,group with groups 0..K-1. `--report` prints the measures (docs/partition.md);
`jiequ partition POINTS.csv --report --assignment ASSIGN.csv` measures an existing assignment
instead of computing one.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiequ.coverage.partition import (
    CsvFormatError,
    Report,
    partition,
    read_assignment_csv,
    read_points_csv,
    report,
    write_assignment_csv,
)


def format_report(r: Report, by_weight: bool) -> str:
    unit = "weight" if by_weight else "shops"
    sizes = ", ".join(f"{s:g}" for s in r.sizes)
    lines = [
        f"均衡 / balance: {r.balance:.3f} (largest group / ideal)",
        f"紧凑度 / compactness: {r.compactness_m:.1f} m (mean distance to group medoid)",
        f"道路分段 / road fragments: {r.road_fragments} / {r.roads} roads",
        f"各组规模 / sizes ({unit}): {sizes}",
    ]
    if r.seconds is not None:
        lines.append(f"用时 / runtime: {r.seconds:.3f} s")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "将商铺划分为 K 个均衡、紧凑、顺路的组 / Split shops (POINTS.csv) into K balanced, "
        "compact groups that keep road stretches together, and write ASSIGN.csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("points", help="POINTS.csv: id,lat,lon,road[,weight]")
        parser.add_argument("--k", type=str, help="number of groups K (1 ≤ K ≤ number of shops)")
        parser.add_argument("--out", help="ASSIGN.csv to write: id,group (0..K-1)")
        parser.add_argument(
            "--by-weight", action="store_true", help="balance total weight instead of counts"
        )
        parser.add_argument("--seed", type=str, default="0", help="random seed (default 0)")
        parser.add_argument("--report", action="store_true", help="print the measures")
        parser.add_argument(
            "--assignment",
            help="with --report: measure this existing ASSIGN.csv instead of partitioning",
        )

    def handle(self, *args, **options) -> None:
        try:
            shops = read_points_csv(options["points"])
        except CsvFormatError as exc:
            raise CommandError(str(exc)) from None
        if not shops:
            raise CommandError("文件中没有商铺 / no shops in the file")
        by_weight = options["by_weight"]

        if options["assignment"]:
            if not options["report"]:
                raise CommandError("--assignment 需与 --report 同用 / --assignment needs --report")
            try:
                assignment = read_assignment_csv(options["assignment"])
            except CsvFormatError as exc:
                raise CommandError(str(exc)) from None
            missing = [s.id for s in shops if s.id not in assignment]
            if missing:
                raise CommandError(
                    f"分配文件缺少商铺 / assignment lacks shops: {', '.join(missing[:5])}"
                    + (" …" if len(missing) > 5 else "")
                )
            if any(g < 0 for g in assignment.values()):
                raise CommandError("分组须为 0..K-1 / groups must be 0..K-1")
            self.stdout.write(
                format_report(report(shops, assignment, by_weight=by_weight), by_weight)
            )
            return

        if options["k"] is None or options["out"] is None:
            raise CommandError("需要 --k 与 --out / --k and --out are required")
        try:
            k = int(options["k"])
        except ValueError:
            raise CommandError(f"组数须为整数 / K must be an integer: {options['k']}") from None
        if not 1 <= k <= len(shops):
            raise CommandError(
                f"组数 K 须在 1 到商铺数 {len(shops)} 之间 / K must be between 1 and the number of "
                f"shops ({len(shops)}): {k}"
            )
        try:
            seed = int(options["seed"])
        except ValueError:
            raise CommandError(
                f"种子须为整数 / seed must be an integer: {options['seed']}"
            ) from None
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"输出目录不存在 / output folder does not exist: {out.parent}")
        if by_weight and sum(s.weight for s in shops) <= 0:
            raise CommandError("权重总和须大于 0 / total weight must be positive")

        start = time.perf_counter()
        assignment = partition(shops, k, by_weight=by_weight, seed=seed)
        seconds = time.perf_counter() - start
        try:
            write_assignment_csv(out, assignment)
        except OSError as exc:
            raise CommandError(f"无法写入 / cannot write: {out} ({exc})") from None
        if options["report"]:
            r = report(shops, assignment, by_weight=by_weight)
            r.seconds = seconds
            self.stdout.write(format_report(r, by_weight))
        else:
            self.stdout.write(f"已写入 / wrote {len(assignment)} rows, {k} groups → {out}")
