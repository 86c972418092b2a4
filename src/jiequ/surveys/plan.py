"""Planning a road survey: which shops, in which walk order, by whom; progress and state.

Walk order (the visit plan): the main road first, then any other roads by name; on each road
the odd-numbered side up (1, 3, 5 …) and the even side back down (… 6, 4, 2), so one visitor
walks a loop; entities without a number come last on their road. Visitors take contiguous
stretches of that walk, shared out evenly.

Views, the demo and tests call these functions; nothing here knows about requests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiequ.areas.models import Region, Road
from jiequ.core.scoping import region_in_scope, restrict
from jiequ.ledger.models import Entity, EntityState

from .models import Survey, SurveyState, SurveyVisit
from .questions import default_questions

# Entities known to be gone are not put on a survey (the ledger's survey rounds do the same).
GONE_STATES = (EntityState.CLOSED, EntityState.MOVED)
MAX_ENTITIES = 600
ODD, EVEN, NO_NUMBER = "odd", "even", ""


def street_number(entity: Entity) -> int | None:
    digits = re.match(r"\d+", entity.number or "")
    return int(digits.group()) if digits else None


def side(entity: Entity) -> str:
    number = street_number(entity)
    if number is None:
        return NO_NUMBER
    return ODD if number % 2 else EVEN


def walk_key(entity: Entity, main_road_id: int | None = None) -> tuple:
    number = street_number(entity)
    road_name = entity.road.name if entity.road_id else entity.address
    if number is None:
        position: tuple = (2, 0)
    elif number % 2:
        position = (0, number)  # odd side, walking up
    else:
        position = (1, -number)  # even side, walking back
    return (entity.road_id != main_road_id, road_name, *position, entity.pk)


def shops_on_roads(user: Any, roads: Iterable[Road], *, street_shops_only: bool = True) -> QuerySet:
    """The entities on these roads that `user` may see, not known to be gone."""
    qs = restrict(Entity.objects.all(), user, "view").filter(road__in=list(roads))
    if street_shops_only:
        qs = qs.filter(is_street_shop=True)
    return qs.exclude(state__in=GONE_STATES)


def common_region(user: Any, entities: Sequence[Entity]) -> Region | None:
    """The smallest region holding every entity, kept inside the user's scope."""
    paths = [e.region.path for e in entities]
    if not paths:
        return getattr(user, "scope_region", None)
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
    region = Region.objects.filter(path=prefix).first()
    if region is None or not region_in_scope(user, region):
        return getattr(user, "scope_region", None)
    return region


def walk_order(entities: Iterable[Entity], main_road: Road | None) -> list[Entity]:
    main_id = main_road.pk if main_road else None
    return sorted(entities, key=lambda e: walk_key(e, main_id))


def share_out(count: int, visitors: Sequence[Any]) -> list[Any]:
    """The visitor of each position 0…count−1: contiguous, even stretches of the walk."""
    if not visitors:
        return [None] * count
    return [visitors[i * len(visitors) // count] for i in range(count)]


def _reaches(visitor: Any, entity: Entity) -> bool:
    return region_in_scope(visitor, entity.region)


def assign_walk(entities: Sequence[Entity], visitors: Sequence[Any]) -> list[Any]:
    """Each entity's visitor: even, contiguous stretches, but only to a visitor whose area of
    work holds the shop (else the reachable visitor with the fewest shops; else nobody)."""
    chosen = share_out(len(entities), visitors)
    load: dict[int, int] = {v.pk: 0 for v in visitors}
    result = []
    for entity, visitor in zip(entities, chosen, strict=True):
        if visitor is not None and not _reaches(visitor, entity):
            able = [v for v in visitors if _reaches(v, entity)]
            visitor = min(able, key=lambda v: load[v.pk]) if able else None
        if visitor is not None:
            load[visitor.pk] += 1
        result.append(visitor)
    return result


@transaction.atomic
def create_survey(
    *,
    user: Any,
    title: str,
    entities: Sequence[Entity],
    starts_on: dt.date,
    ends_on: dt.date,
    road: Road | None = None,
    visitors: Sequence[Any] = (),
    questions: list[dict[str, Any]] | None = None,
    purpose: str = "",
    region: Region | None = None,
) -> Survey:
    """A planned survey with one visit per entity, in walk order, shared among `visitors`."""
    entities = list({e.pk: e for e in entities}.values())
    if not entities:
        raise ValidationError(_("There is no shop to visit: choose a road with shops or shops."))
    if len(entities) > MAX_ENTITIES:
        raise ValidationError(
            _("At most %(n)d shops in one survey; split the road into several surveys.")
            % {"n": MAX_ENTITIES}
        )
    if ends_on < starts_on:
        raise ValidationError(_("The survey ends before it starts."))
    region = region or common_region(user, entities)
    if region is None:
        raise ValidationError(_("Your account has no area of work."))
    survey = Survey.objects.create(
        title=title,
        region=region,
        road=road,
        purpose=purpose,
        starts_on=starts_on,
        ends_on=ends_on,
        questions=questions if questions is not None else default_questions(),
        author=user if getattr(user, "pk", None) else None,
    )
    ordered = walk_order(entities, road)
    SurveyVisit.objects.bulk_create(
        SurveyVisit(survey=survey, entity=entity, order=i + 1, visitor=visitor)
        for i, (entity, visitor) in enumerate(
            zip(ordered, assign_walk(ordered, list(visitors)), strict=True)
        )
    )
    return survey


def possible_visitors(user: Any) -> QuerySet:
    """Accounts who may record visits inside `user`'s region (grid workers, secretaries,
    staff)."""
    from jiequ.accounts.models import User
    from jiequ.accounts.roles import Role

    scope = getattr(user, "scope_region", None)
    qs = User.objects.filter(
        is_active=True,
        role__in=[
            Role.GRID_WORKER,
            Role.BRANCH_SECRETARY,
            Role.SUBDISTRICT_STAFF,
            Role.SUBDISTRICT_ADMIN,
        ],
    )
    if scope is not None:
        qs = qs.filter(scope_region__path__startswith=scope.path)
    elif not user.is_superuser:
        return qs.none()
    return qs.order_by("role", "username")


@transaction.atomic
def assign(survey: Survey, visit_ids: Iterable[int], visitor: Any) -> tuple[int, int]:
    """Give these visits of the survey to `visitor` (None: unassigned). Shops outside the
    visitor's area of work stay with whoever had them. Returns (handed over, left)."""
    visits = list(
        SurveyVisit.objects.filter(survey=survey, pk__in=list(visit_ids)).select_related(
            "entity__region"
        )
    )
    ids = [v.pk for v in visits if visitor is None or _reaches(visitor, v.entity)]
    SurveyVisit.objects.filter(pk__in=ids).update(visitor=visitor)
    return len(ids), len(visits) - len(ids)


@transaction.atomic
def remove(survey: Survey, visit: SurveyVisit) -> None:
    """Take a shop off a survey; a visited shop stays (its answers are in the report)."""
    locked = SurveyVisit.objects.select_for_update().get(pk=visit.pk, survey=survey)
    if locked.visited_on is not None:
        raise ValidationError(_("This shop has been visited; its answers stay in the survey."))
    locked.delete()


@transaction.atomic
def set_state(survey: Survey, state: str) -> Survey:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if state not in SurveyState.values:
        raise ValidationError(_("Unknown state."))
    locked.state = state
    locked.save(update_fields=["state", "updated_at"])
    return locked


@dataclass
class VisitorProgress:
    visitor: Any
    total: int
    visited: int

    @property
    def share(self) -> float | None:
        return self.visited / self.total if self.total else None


@dataclass
class Progress:
    total: int
    visited: int
    by_visitor: list[VisitorProgress]
    states: Counter

    @property
    def share(self) -> float | None:
        return self.visited / self.total if self.total else None

    @property
    def percent(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.0f}%"


def progress(visits: QuerySet) -> Progress:
    """Visited of total, per visitor and by state found, over `visits` (one survey's, scoped)."""
    from jiequ.accounts.models import User

    rows = list(visits.values_list("visitor_id", "visited_on", "state_found"))
    per: dict[int | None, list[int]] = {}
    states: Counter = Counter()
    for visitor_id, visited_on, state_found in rows:
        counts = per.setdefault(visitor_id, [0, 0])
        counts[0] += 1
        if visited_on is not None:
            counts[1] += 1
            states[state_found] += 1
    users = User.objects.in_bulk([pk for pk in per if pk is not None])
    by_visitor = [
        VisitorProgress(users.get(pk) if pk is not None else None, total, done)
        for pk, (total, done) in per.items()
    ]
    by_visitor.sort(key=lambda v: (v.visitor is None, str(v.visitor or "")))
    return Progress(len(rows), sum(1 for r in rows if r[1] is not None), by_visitor, states)


def next_visit(survey: Survey, user: Any, after: SurveyVisit | None = None) -> SurveyVisit | None:
    """The user's next shop not yet visited, in walk order after `after` (wrapping round)."""
    mine = (
        restrict(SurveyVisit.objects.filter(survey=survey), user, "change")
        .filter(visited_on__isnull=True)
        .order_by("order", "pk")
    )
    own = mine.filter(visitor=user)
    pool = own if own.exists() else mine
    if after is not None:
        later = pool.filter(order__gt=after.order).first()
        if later is not None:
            return later
    return pool.exclude(pk=after.pk if after else None).first()
