"""Scoring a need against a resource: plain Python (no Django), so it can be tested and timed
on its own.

The score (0–100) adds six parts, each with its reason:

- category  35  same category 35; a related one (training ↔ employment…) 14
- words     30  the square root of: the share of one title's character bigrams found in the
                other's text (60%) plus the overlap of the two texts' bigrams (40%); jieba
                splits unseen names into single characters, so bigrams are used (see
                jiequ.ledger.normalise)
- distance  15  15 at the same place, falling to 0 at 2 km; half when a point is unknown
- period    10  the share of the need's period the resource covers
- capacity   5  the share of the need's quantity the resource's remainder covers
                (half when the units differ)
- groups     5  the share of the need's target groups the resource also serves

A resource whose period does not overlap the need's, that has ended, or that has nothing left
is no candidate at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from jiequ.core.coords import haversine_m
from jiequ.ledger.normalise import bigrams, halfwidth

WEIGHTS = {"category": 35, "words": 30, "distance": 15, "period": 10, "capacity": 5, "groups": 5}
DISTANCE_ZERO_M = 2000.0
OPEN_PERIOD_DAYS = 365  # an open-ended need is weighed over its first year
MIN_SCORE = 15

RELATED = frozenset(
    frozenset(pair)
    for pair in [
        ("training", "employment"),
        ("health", "care"),
        ("culture_sport", "volunteering"),
        ("venue", "culture_sport"),
        ("venue", "training"),
        ("publicity", "culture_sport"),
        ("advice", "employment"),
        ("funding", "other"),
    ]
)

# Bigrams that say nothing about what is needed or offered.
STOP_BIGRAMS = frozenset(
    {
        "需要",
        "需求",
        "提供",
        "服务",
        "资源",
        "项目",
        "希望",
        "可以",
        "开展",
        "活动",
        "我们",
        "一次",
        "每月",
        "每周",
        "支部",
        "党支",
        "有限",
        "公司",
        "街道",
        "社区",
        "组织",
        "相关",
        "进行",
        "能够",
        "为主",
    }
)
_RUNS = re.compile(r"[0-9a-z\u3400-\u9fff]+")


@dataclass(frozen=True)
class Item:
    """A need or a resource as the scorer sees it. For a resource, `quantity` is what remains."""

    key: int
    category: str
    title: str
    description: str = ""
    lat: float | None = None
    lon: float | None = None
    starts: date | None = None
    ends: date | None = None
    quantity: int = 1
    unit: str = ""
    groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """One part of a score: which (`kind`), how many points, and what to say (`detail`)."""

    kind: str
    points: float
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    key: int
    score: int
    reasons: tuple[Reason, ...]


def runs(text: str) -> list[str]:
    """Letters, digits and Chinese characters, in runs split at punctuation and spaces."""
    return _RUNS.findall(halfwidth(text or "").lower())


def grams(text: str) -> set[str]:
    found: set[str] = set()
    for run in runs(text):
        found |= bigrams(run) if len(run) > 1 else set()
    return found - STOP_BIGRAMS


def _meaningful(term: str) -> bool:
    """Something of two characters or more is left once the stop words are taken out."""
    rest = term
    for word in STOP_BIGRAMS:
        rest = rest.replace(word, " ")
    return any(len(piece) > 1 for piece in rest.split())


def shared_terms(a: str, b: str, limit: int = 5) -> list[str]:
    """The longest pieces (two characters or more) of `a` that also occur in `b`, longest first.

    >>> shared_terms("骑手法律咨询", "律师事务所提供免费法律咨询")
    ['法律咨询']
    """
    other = " ".join(runs(b))
    found: list[str] = []
    for run in runs(a):
        i = 0
        while i < len(run) - 1:
            j = i + 2
            if run[i:j] not in other:
                i += 1
                continue
            while j < len(run) and run[i : j + 1] in other:
                j += 1
            term = run[i:j]
            # Numbers ("40人") and stop words say nothing about what is needed.
            if not any(c.isdigit() for c in term) and _meaningful(term) and term not in found:
                found.append(term)
            i = j
    return sorted(found, key=len, reverse=True)[:limit]


def _words(need: Item, resource: Item) -> tuple[float, list[str]]:
    need_text, resource_text = (
        grams(need.title + " " + need.description),
        grams(resource.title + " " + resource.description),
    )
    need_title, resource_title = grams(need.title), grams(resource.title)
    covers = [
        len(need_title & resource_text) / len(need_title) if need_title else 0.0,
        len(resource_title & need_text) / len(resource_title) if resource_title else 0.0,
    ]
    smaller = min(len(need_text), len(resource_text))
    overlap = len(need_text & resource_text) / smaller if smaller else 0.0
    # The square root lifts partial overlaps: half the words shared is already a good sign.
    share = math.sqrt(0.6 * max(covers) + 0.4 * overlap)
    terms = shared_terms(
        need.title + "，" + need.description, resource.title + " " + resource.description
    )
    return min(1.0, share), terms


def _period(need: Item, resource: Item, today: date) -> float | None:
    """The share of the need's period the resource covers; None when they do not meet."""
    need_start = max(need.starts or today, today)
    need_end = need.ends or (need_start + timedelta(days=OPEN_PERIOD_DAYS))
    if need_end < need_start:  # the need's period is over; weigh what is left of today
        need_end = need_start
    res_start = resource.starts or need_start
    res_end = resource.ends or date.max
    if res_end < today or res_end < need_start or res_start > need_end:
        return None
    overlap = (min(need_end, res_end) - max(need_start, res_start)).days + 1
    return max(0.0, min(1.0, overlap / ((need_end - need_start).days + 1)))


def score(need: Item, resource: Item, today: date) -> Suggestion | None:
    """How well `resource` meets `need`, with the reasons; None if it cannot meet it."""
    if resource.quantity <= 0:
        return None
    period = _period(need, resource, today)
    if period is None:
        return None
    reasons: list[Reason] = []

    if need.category == resource.category:
        reasons.append(Reason("category", WEIGHTS["category"], {"same": True}))
    elif frozenset((need.category, resource.category)) in RELATED:
        reasons.append(Reason("category", WEIGHTS["category"] * 0.4, {"same": False}))

    share, terms = _words(need, resource)
    if share > 0:
        reasons.append(Reason("words", WEIGHTS["words"] * share, {"terms": terms}))

    if None in (need.lat, need.lon, resource.lat, resource.lon):
        reasons.append(Reason("distance", WEIGHTS["distance"] * 0.5, {"metres": None}))
    else:
        metres = haversine_m(need.lat, need.lon, resource.lat, resource.lon)
        near = max(0.0, 1.0 - metres / DISTANCE_ZERO_M)
        reasons.append(Reason("distance", WEIGHTS["distance"] * near, {"metres": round(metres)}))

    reasons.append(Reason("period", WEIGHTS["period"] * period, {"share": round(period, 2)}))

    same_unit = not need.unit or not resource.unit or need.unit == resource.unit
    covered = min(1.0, resource.quantity / max(1, need.quantity))
    reasons.append(
        Reason(
            "capacity",
            WEIGHTS["capacity"] * (covered if same_unit else 0.5),
            {"remaining": resource.quantity, "unit": resource.unit, "same_unit": same_unit},
        )
    )

    if need.groups:
        common = need.groups & resource.groups
        if common:
            reasons.append(
                Reason(
                    "groups",
                    WEIGHTS["groups"] * len(common) / len(need.groups),
                    {"groups": sorted(common)},
                )
            )
    total = round(sum(r.points for r in reasons))
    return Suggestion(resource.key, min(100, total), tuple(reasons))


def best(
    item: Item,
    candidates: Iterable[Item],
    today: date,
    *,
    item_is_need: bool = True,
    limit: int = 5,
    min_score: int = MIN_SCORE,
) -> list[Suggestion]:
    """The best candidates for `item`: resources for a need, or needs for a resource.

    Each suggestion's key is the candidate's key; ties go to the lower key (older records).
    """
    found: list[Suggestion] = []
    for candidate in candidates:
        if item_is_need:
            result = score(item, candidate, today)
        else:
            scored = score(candidate, item, today)
            result = Suggestion(candidate.key, scored.score, scored.reasons) if scored else None
        if result is not None and result.score >= min_score:
            found.append(result)
    found.sort(key=lambda s: (-s.score, s.key))
    return found[:limit]
