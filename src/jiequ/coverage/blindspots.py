"""Blind spots (盲区): where the organisation system does not reach, each with its reason and a
suggested action. docs/coverage.md lists the same rules for users.

Only operating entities are blind spots (a closed shop needs no branch). The lists:

- ``branch_due``: entities with at least `branch_min_full_members` Party members (the rule in
  jiequ.party.rules, 3 by default, a subdistrict may set its own) and no organisation of their
  own → found a branch. The ledger counts members without telling full from probationary
  members, so the list is where to check and act.
- ``join_or_joint``: entities with 1 to (that number − 1) members and neither an own nor a joint
  organisation → the members join a branch nearby, or the entity forms a joint branch.
- ``buildings``: buildings with at least BUILDING_MIN_ENTITIES operating entities and no active
  building-category organisation covering any entity in them → set up a building branch.
- ``street_shops``: street shops that no active street-block organisation covers (no link of
  any kind from an organisation of category "street-block") → add them to a street-block branch.
- ``no_instructor``: entities with members, no organisation at all and no current instructor →
  post an instructor.
- ``new_employment``: new-employment stations (see jiequ.coverage.rates) covered in no way →
  reach them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Building
from jiequ.party import rules
from jiequ.party.models import Category as OrgCategory
from jiequ.party.models import CoverageKind, RuleOverride

from .rates import OPERATING_Q, building_branch_q, new_employment_q
from .status import link_exists, post_exists

# A building with this many operating entities or more should have a building branch.
BUILDING_MIN_ENTITIES = 10

BRANCH_RULE = "branch_min_full_members"
JOINT_RULE = "joint_branch_max_units"


@dataclass(frozen=True)
class BlindSpot:
    key: str
    title: Any  # lazy text
    unit: str  # "entities" or "buildings"


SPOTS: list[BlindSpot] = [
    BlindSpot("branch_due", gettext_lazy("Enough members for a branch, no own branch"), "entities"),
    BlindSpot("join_or_joint", gettext_lazy("A few members, no own or joint branch"), "entities"),
    BlindSpot("buildings", gettext_lazy("Large buildings without a building branch"), "buildings"),
    BlindSpot(
        "street_shops", gettext_lazy("Street shops outside every street-block branch"), "entities"
    ),
    BlindSpot(
        "no_instructor", gettext_lazy("Members but no organisation and no instructor"), "entities"
    ),
    BlindSpot("new_employment", gettext_lazy("New-employment groups not reached"), "entities"),
]
SPOT_BY_KEY: dict[str, BlindSpot] = {s.key: s for s in SPOTS}
ENTITY_SPOTS: list[BlindSpot] = [s for s in SPOTS if s.unit == "entities"]


def rule_value(key: str, region: Any = None) -> int:
    return int(rules.value(key, region))


def threshold_expression(key: str = BRANCH_RULE) -> Case | Value:
    """The rule's number for each entity's region: the nearest override above it, else the
    default. One small query for the overrides; then it is plain SQL."""
    overrides = list(RuleOverride.objects.filter(key=key).values_list("region__path", "value"))
    default = int(rules.RULES[key].default)
    if not overrides:
        return Value(default, output_field=IntegerField())
    overrides.sort(key=lambda o: len(o[0]), reverse=True)  # the nearest region first
    return Case(
        *[When(region__path__startswith=path, then=Value(int(v))) for path, v in overrides],
        default=Value(default),
        output_field=IntegerField(),
    )


def entities_in(key: str, entities: QuerySet, today: date | None = None) -> QuerySet:
    """The entities of `entities` (already scoped) on blind-spot list `key`."""
    operating = entities.filter(OPERATING_Q)
    no_link = ~link_exists(today)
    if key == "branch_due":
        return operating.annotate(branch_min=threshold_expression()).filter(
            ~link_exists(today, kind=CoverageKind.OWN), member_count__gte=F("branch_min")
        )
    if key == "join_or_joint":
        return operating.annotate(branch_min=threshold_expression()).filter(
            ~link_exists(today, kind__in=[CoverageKind.OWN, CoverageKind.JOINT]),
            member_count__gte=1,
            member_count__lt=F("branch_min"),
        )
    if key == "street_shops":
        return operating.filter(
            ~link_exists(today, organisation__category=OrgCategory.STREET_BLOCK),
            is_street_shop=True,
        )
    if key == "no_instructor":
        return operating.filter(no_link, ~post_exists(today), member_count__gt=0)
    if key == "new_employment":
        return operating.filter(new_employment_q()).filter(no_link, ~post_exists(today))
    return entities.none()


def buildings_without_branch(entities: QuerySet, today: date | None = None) -> QuerySet:
    """Buildings holding at least BUILDING_MIN_ENTITIES operating entities of `entities` (already
    scoped) that no building-category organisation reaches; `operating` is annotated."""
    counts = Q(entities__pk__in=entities.filter(OPERATING_Q).values("pk"))
    return (
        Building.objects.annotate(operating=Count("entities", filter=counts, distinct=True))
        .filter(operating__gte=BUILDING_MIN_ENTITIES)
        .filter(~building_branch_q(today))
        .select_related("region", "road")
        .order_by("-operating", "name")
    )


def count(key: str, entities: QuerySet, today: date | None = None) -> int:
    if SPOT_BY_KEY[key].unit == "buildings":
        return buildings_without_branch(entities, today).count()
    return entities_in(key, entities, today).count()


def rule_numbers(region: Any = None) -> dict[str, int]:
    """The numbers the reasons and actions quote, as in force for `region`."""
    return {
        BRANCH_RULE: rule_value(BRANCH_RULE, region),
        JOINT_RULE: rule_value(JOINT_RULE, region),
    }


def reason(key: str, region: Any = None, numbers: dict[str, int] | None = None) -> str:
    """Why the list matters, with the rule's number in force for `region`."""
    n = (numbers or rule_numbers(region))[BRANCH_RULE]
    texts = {
        "branch_due": _(
            "%(n)d or more Party members work here, and it has no Party organisation of its own."
        )
        % {"n": n},
        "join_or_joint": _(
            "1 to %(m)d Party members work here: too few for a branch of its own, and no own or "
            "joint organisation covers it."
        )
        % {"m": n - 1},
        "buildings": _(
            "%(n)d or more operating entities in the building, and no building organisation "
            "covers any of them."
        )
        % {"n": BUILDING_MIN_ENTITIES},
        "street_shops": _("A street shop that no street-block branch covers."),
        "no_instructor": _(
            "Party members work here, but no organisation covers it and no instructor is posted."
        ),
        "new_employment": _(
            "A station of new-employment workers (couriers, delivery riders, drivers, online "
            "creators) that no organisation and no instructor reaches."
        ),
    }
    return texts[key]


def action(key: str, region: Any = None, numbers: dict[str, int] | None = None) -> str:
    """What to do about it (names the rule and its source where one applies)."""
    numbers = numbers or rule_numbers(region)
    if key == "branch_due":
        rule = rules.RULES[BRANCH_RULE]
        return _("Found a branch of its own (rule “%(label)s”: %(n)d %(unit)s). %(source)s") % {
            "label": rule.label,
            "n": numbers[BRANCH_RULE],
            "unit": rule.unit,
            "source": rule.source,
        }
    if key == "join_or_joint":
        rule = rules.RULES[JOINT_RULE]
        return _(
            "Bring its members into a branch nearby, or form a joint branch with neighbouring "
            "units (rule “%(label)s”: %(n)d %(unit)s). %(source)s"
        ) % {
            "label": rule.label,
            "n": numbers[JOINT_RULE],
            "unit": rule.unit,
            "source": rule.source,
        }
    texts = {
        "buildings": _(
            "Set up a building branch (or a joint branch for the building) and link the "
            "building's entities to it."
        ),
        "street_shops": _(
            "Add it to the nearest street-block branch; the planner proposes balanced, nearby "
            "groups of shops."
        ),
        "no_instructor": _(
            "Post a Party-building instructor now, then bring the members into an organisation."
        ),
        "new_employment": _(
            "Reach it through the area or street-block branch, post an instructor, and bring "
            "its workers to the nearest rider station or service position."
        ),
    }
    return texts[key]


@dataclass
class SpotSummary:
    spot: BlindSpot
    count: int
    reason: str
    action: str


def summaries(
    entities: QuerySet, region: Any = None, today: date | None = None
) -> list[SpotSummary]:
    """Every list with its count, reason and action, over `entities` (already scoped)."""
    numbers = rule_numbers(region)
    return [
        SpotSummary(
            s,
            count(s.key, entities, today),
            reason(s.key, region, numbers),
            action(s.key, region, numbers),
        )
        for s in SPOTS
    ]
