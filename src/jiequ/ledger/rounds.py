"""Survey rounds: open a round, share the entities out by grid, record visits, track progress.

Views, the demo and tests call these functions; nothing here knows about requests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Region, RegionLevel
from jiequ.core import crypto

from .models import Entity, EntityState, SurveyRound, Visit, VisitAssignment

# Entities known to be gone are not visited again; everything else is.
NOT_VISITED_STATES = (EntityState.CLOSED, EntityState.MOVED)


def _walk_key(entity: Entity) -> tuple:
    """Walk-list order: by road, odd numbers then even (one side of the street at a time)."""
    digits = re.match(r"\d+", entity.number or "")
    number = int(digits.group()) if digits else 0
    road = entity.road.name if entity.road_id else entity.address
    return (road, number % 2 == 0, number, entity.pk)


def round_grids(survey_round: SurveyRound) -> QuerySet:
    chosen = survey_round.grids.all()
    if chosen.exists():
        return chosen
    return Region.objects.filter(
        level=RegionLevel.GRID, path__startswith=survey_round.subdistrict.path
    )


@transaction.atomic
def open_round(
    subdistrict: Region,
    due_on: dt.date,
    *,
    grids: list[Region] | None = None,
    opened_by: User | None = None,
    opened_on: dt.date | None = None,
) -> SurveyRound:
    """Open the next round and put every entity still there on a visitor's walk list.

    Each grid's entities go to the grid workers of that grid, shared out evenly in walk order;
    a grid with no grid worker leaves its entities unassigned (shown as a gap in progress).
    """
    number = (subdistrict.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    survey_round = SurveyRound.objects.create(
        subdistrict=subdistrict,
        number=number,
        opened_on=opened_on or timezone.localdate(),
        due_on=due_on,
        opened_by=opened_by,
    )
    if grids:
        survey_round.grids.set(grids)
    team = defaultdict(list)
    for worker in User.objects.filter(
        role=Role.GRID_WORKER, is_active=True, scope_region__level=RegionLevel.GRID
    ).order_by("username"):
        team[worker.scope_region_id].append(worker)
    assignments = []
    for grid in round_grids(survey_round):
        entities = sorted(
            Entity.objects.filter(region=grid)
            .exclude(state__in=NOT_VISITED_STATES)
            .select_related("road"),
            key=_walk_key,
        )
        visitors = team.get(grid.pk, [])
        for i, entity in enumerate(entities):
            visitor = visitors[i * len(visitors) // len(entities)] if visitors else None
            assignments.append(VisitAssignment(round=survey_round, entity=entity, visitor=visitor))
    VisitAssignment.objects.bulk_create(assignments, batch_size=1000)
    return survey_round


@transaction.atomic
def record_visit(
    entity: Entity,
    visitor: User,
    *,
    visited_on: dt.date,
    state_found: str,
    worker_count: int,
    members_met: int = 0,
    contact_name: str = "",
    contact_phone: str = "",
    consent: bool = False,
    demands: str = "",
    notes: str = "",
    survey_round: SurveyRound | None = None,
) -> Visit:
    """Save a visit, tick it off the round's walk list and refresh the ledger from it."""
    if survey_round is None:
        survey_round = (
            SurveyRound.objects.filter(assignments__entity=entity, closed_on__isnull=True)
            .order_by("-number")
            .first()
        )
    visit = Visit.objects.create(
        entity=entity,
        round=survey_round,
        visitor=visitor,
        visited_on=visited_on,
        state_found=state_found,
        worker_count=worker_count,
        members_met=members_met,
        contact_name=contact_name if consent else "",
        contact_phone_encrypted=crypto.encrypt(contact_phone) if consent else "",
        contact_phone_hash=crypto.lookup_hash(contact_phone) if consent else "",
        contact_consent_at=timezone.now() if consent and (contact_name or contact_phone) else None,
        demands=demands,
        notes=notes,
    )
    if survey_round is not None:
        VisitAssignment.objects.filter(
            round=survey_round, entity=entity, visit__isnull=True
        ).update(visit=visit)
    changed = entity.state != state_found or entity.worker_count != worker_count
    if changed:
        entity.state = state_found
        entity.worker_count = worker_count
        entity.member_count = min(entity.member_count, worker_count)
        entity._change_reason = "visit"
        entity.save()
    return visit


@dataclass
class ProgressRow:
    label: str
    due: int = 0
    visited: int = 0
    overdue: int = 0
    unassigned: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.visited / self.due) if self.due else 100


def round_progress(
    survey_round: SurveyRound, assignments: QuerySet | None = None, today: dt.date | None = None
) -> tuple[ProgressRow, list[ProgressRow], list[ProgressRow]]:
    """Totals, then one row per grid and one per visitor: visited / due / overdue."""
    today = today or timezone.localdate()
    late = survey_round.is_open and today > survey_round.due_on
    qs = assignments if assignments is not None else survey_round.assignments.all()
    rows = qs.values_list(
        "entity__region__name", "visitor__display_name", "visitor__username", "visit_id"
    )
    total = ProgressRow("total")
    by_grid: dict[str, ProgressRow] = {}
    by_visitor: dict[str, ProgressRow] = {}
    for grid, display, username, visit_id in rows:
        who = display or username or ""
        for row in (
            total,
            by_grid.setdefault(grid, ProgressRow(grid)),
            by_visitor.setdefault(who, ProgressRow(who)),
        ):
            row.due += 1
            if visit_id:
                row.visited += 1
            elif late:
                row.overdue += 1
            if not username:
                row.unassigned += 1
    by_visitor.pop("", None)
    return (
        total,
        sorted(by_grid.values(), key=lambda r: r.label),
        sorted(by_visitor.values(), key=lambda r: r.label),
    )


def not_visited_recently(entities: QuerySet, rounds: int = 2) -> QuerySet:
    """Entities still in business with no visit in their subdistrict's last `rounds` rounds."""
    numbers = SurveyRound.objects.values_list("pk", "subdistrict_id", "number")
    latest: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, subdistrict_id, number in numbers:
        latest[subdistrict_id].append((number, pk))
    recent = [pk for pairs in latest.values() for _n, pk in sorted(pairs)[-rounds:]]
    return entities.exclude(state__in=NOT_VISITED_STATES).exclude(visits__round__in=recent)
