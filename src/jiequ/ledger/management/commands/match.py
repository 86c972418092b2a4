"""`jiequ match LEDGER.csv REGISTRY.csv --out PAIRS.csv`: link the ledger to a registry extract.

LEDGER.csv has the columns id,name,sign_name,credit_code,address (name or credit code may be
empty); REGISTRY.csv id,name,credit_code,address. Both are UTF-8, with or without BOM. PAIRS.csv
gets ledger_id,registry_id,score,decision with decision "match" or "review".
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiequ.ledger.matching import (
    MATCH_THRESHOLD,
    REVIEW_THRESHOLD,
    CsvFormatError,
    match_records,
    read_ledger_csv,
    read_registry_csv,
    write_pairs_csv,
)


def _fraction(text: str) -> float:
    """A threshold argument: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise CommandError(f"阈值须在 0 到 1 之间 / a threshold must be between 0 and 1: {text}")
    return value


class Command(BaseCommand):
    help = (
        "将底账与部门登记数据比对，输出匹配与待核对 / Match the ledger (LEDGER.csv) to a "
        "registry extract (REGISTRY.csv) and write the pairs to PAIRS.csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledger", help="LEDGER.csv: id,name,sign_name,credit_code,address")
        parser.add_argument("registry", help="REGISTRY.csv: id,name,credit_code,address")
        parser.add_argument(
            "--out", required=True, help="PAIRS.csv: ledger_id,registry_id,score,decision"
        )
        parser.add_argument(
            "--match-threshold",
            default=str(MATCH_THRESHOLD),
            help=f"score from which a pair is a match (default {MATCH_THRESHOLD})",
        )
        parser.add_argument(
            "--review-threshold",
            default=str(REVIEW_THRESHOLD),
            help=f"score from which a pair is shown for review (default {REVIEW_THRESHOLD})",
        )
        parser.add_argument(
            "--roads",
            help="optional text file with the subdistrict's road names, one per line "
            "(used first when reading addresses)",
        )

    def handle(self, *args, **options) -> None:
        match_at = _fraction(options["match_threshold"])
        review_at = _fraction(options["review_threshold"])
        if review_at > match_at:
            raise CommandError(
                "待核阈值不能高于匹配阈值 / the review threshold cannot exceed the match "
                f"threshold ({review_at} > {match_at})"
            )
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"输出目录不存在 / output folder does not exist: {out.parent}")
        roads: list[str] = []
        if options["roads"]:
            try:
                text = Path(options["roads"]).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(
                    f"无法读取道路清单 / cannot read the road list: {options['roads']} ({exc})"
                ) from exc
            roads = [line.strip() for line in text.splitlines() if line.strip()]

        start = time.perf_counter()
        try:
            ledger = read_ledger_csv(options["ledger"])
            registry = read_registry_csv(options["registry"])
        except CsvFormatError as exc:
            raise CommandError(str(exc)) from exc
        pairs = match_records(
            ledger, registry, match_threshold=match_at, review_threshold=review_at, roads=roads
        )
        try:
            write_pairs_csv(out, pairs)
        except OSError as exc:
            raise CommandError(f"无法写入 / cannot write {out}: {exc.strerror}") from exc
        matches = sum(p.decision == "match" for p in pairs)
        reviews = len(pairs) - matches
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"读取底账 {len(ledger)} 条、登记 {len(registry)} 条；匹配 {matches} 对，"
            f"待核 {reviews} 对；用时 {seconds:.1f} 秒 / read {len(ledger)} ledger and "
            f"{len(registry)} registry records: {matches} matches, {reviews} reviews "
            f"in {seconds:.1f} s"
        )
