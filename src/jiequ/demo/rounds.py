"""The demo's visit team and survey rounds: 7 completed rounds, the 8th under way.

Rounds run every two weeks; dates count back from the day the demo is loaded so the current
round is always in progress.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Region, RegionLevel
from jiequ.ledger import rounds
from jiequ.ledger.models import Visit, VisitAssignment

COMPLETED_ROUNDS = 7
GIVEN_NAMES = [
    "晓东",
    "丽华",
    "建军",
    "秀英",
    "志强",
    "海燕",
    "国平",
    "桂兰",
    "文杰",
    "春梅",
    "永刚",
    "玉珍",
]


def build_visit_team(subdistrict: Region, password: str, rng: random.Random) -> list[User]:
    """One grid worker per grid (the demo's `grid` login already covers grid 0201)."""
    team = []
    for grid in Region.objects.filter(
        level=RegionLevel.GRID, path__startswith=subdistrict.path
    ).order_by("path"):
        if User.objects.filter(role=Role.GRID_WORKER, scope_region=grid).exists():
            continue
        team.append(
            User.objects.create_user(
                username=f"grid{grid.code}",
                password=password,
                display_name=rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(GIVEN_NAMES),
                role=Role.GRID_WORKER,
                scope_region=grid,
            )
        )
    return team


def build_rounds(subdistrict: Region, rng: random.Random) -> int:
    today = timezone.localdate()
    staff = User.objects.filter(role=Role.SUBDISTRICT_STAFF, scope_region=subdistrict).first()
    first_day = today - dt.timedelta(days=14 * COMPLETED_ROUNDS + 8)
    for k in range(COMPLETED_ROUNDS + 1):
        opened = first_day + dt.timedelta(days=14 * k)
        survey_round = rounds.open_round(
            subdistrict, opened + dt.timedelta(days=13), opened_by=staff, opened_on=opened
        )
        current = k == COMPLETED_ROUNDS
        # A few entities are missed each round; in the current round about half are done.
        share = 0.45 if current else rng.uniform(0.95, 0.99)
        _visit(
            survey_round, share, opened, today if current else opened + dt.timedelta(days=13), rng
        )
        if not current:
            survey_round.closed_on = opened + dt.timedelta(days=14)
            survey_round.save()
    return COMPLETED_ROUNDS + 1


def _visit(survey_round, share: float, start: dt.date, end: dt.date, rng: random.Random) -> None:
    assignments = list(
        VisitAssignment.objects.filter(round=survey_round).select_related("entity").order_by("pk")
    )
    chosen = [a for a in assignments if a.visitor_id and rng.random() < share]
    span = max(0, (end - start).days)
    visits = [
        Visit(
            entity=a.entity,
            round=survey_round,
            visitor_id=a.visitor_id,
            visited_on=start + dt.timedelta(days=rng.randint(0, span)),
            state_found=a.entity.state,
            worker_count=a.entity.worker_count,
            members_met=min(a.entity.member_count, rng.randint(0, 2)),
        )
        for a in chosen
    ]
    Visit.objects.bulk_create(visits, batch_size=2000)
    # Tick the walk lists off in one statement (bulk_update would write 2,000 CASE branches).
    VisitAssignment.objects.filter(round=survey_round).update(
        visit=Subquery(
            Visit.objects.filter(round=survey_round, entity=OuterRef("entity")).values("pk")[:1]
        )
    )
