"""The demo's year of demands: every source, level and state, 250+ matters solved by councils,
50+ hard cases solved by the street-block branches, and a share sent to the district that fell
about 60% after the pilot started.

The demo is built once for the module (inside a transaction rolled back at the end).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jiequ.areas.models import Region
from jiequ.cases import figures
from jiequ.cases.models import LEVEL_ORDER, Case, CaseEvent, Level, RequestType, Source, State
from jiequ.councils.models import CouncilKind
from jiequ.demo import geography
from jiequ.demo.builder import build_demo
from jiequ.party.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_demo()
            yield Region.objects.get(code=geography.SUBDISTRICT["code"])
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def cases(demo):
    return Case.objects.filter(region__path__startswith=demo.path)


def test_a_year_of_cases_from_every_source_at_every_level_in_every_state(cases):
    assert cases.count() >= 1000
    assert set(cases.values_list("source", flat=True)) == set(Source.values)
    assert set(cases.values_list("level", flat=True)) == set(Level.values)
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    today = timezone.localdate()
    first = timezone.localdate(cases.order_by("received_at").first().received_at)
    assert 330 <= (today - first).days <= 400  # about a year back


def test_councils_solved_250_matters(cases, demo):
    solved = cases.filter(state=State.CLOSED, solved_level=Level.COUNCIL)
    assert solved.count() >= 250
    assert not solved.filter(council__isnull=True).exists()
    kinds = set(solved.values_list("council__kind", flat=True))
    assert {CouncilKind.STREET, CouncilKind.BUILDING} <= kinds
    # Off-peak parking among them.
    assert solved.filter(category__code="S0201").count() >= 10


def test_the_street_block_branches_solved_50_hard_cases(cases):
    hard = cases.filter(
        state=State.CLOSED,
        solved_level=Level.BRANCH,
        source=Source.VISIT,
        request_type=RequestType.COMPLEX,
        organisation__category=Category.STREET_BLOCK,
        title__startswith="老大难",  # long-standing problems
    )
    assert hard.count() >= 50
    per_branch = hard.values("organisation").annotate(n=Count("pk"))
    assert len(per_branch) == 3 and all(row["n"] >= 5 for row in per_branch)


def test_the_chain_and_its_events(cases):
    assert cases.filter(state=State.CLOSED, solved_level=Level.GRID).count() >= 50
    sent = cases.filter(escalated_to_district_at__isnull=False)
    assert sent.filter(state=State.CLOSED, solved_level=Level.DISTRICT).exists()
    assert sent.filter(level=Level.DISTRICT).exclude(state=State.CLOSED).exists()  # still there
    assert sent.filter(level=Level.GRID).exists()  # returned by the platform
    assert cases.filter(is_urgent=True).exclude(urgent_reason="").exists()
    events = defaultdict(list)
    for event in CaseEvent.objects.filter(case__in=cases).order_by("case", "at", "pk"):
        events[event.case_id].append(event)
    now = timezone.now()
    for case in cases.only("pk", "state", "level", "received_at", "solved_level"):
        timeline = events[case.pk]
        assert timeline[0].action == "receive" and timeline[0].at == case.received_at
        assert all(a.at <= b.at for a, b in zip(timeline, timeline[1:], strict=False))
        assert timeline[-1].at <= now
        assert timeline[-1].to_state == case.state or timeline[-1].action == "rate"
        ups = [e for e in timeline if e.action == "escalate"]
        for e in ups:
            assert e.reason and e.tried
            # One level at a time, unless urgent.
            step = LEVEL_ORDER.index(e.to_level) - LEVEL_ORDER.index(e.from_level)
            assert step == 1 or (step == 2 and case.is_urgent is not None)
        if case.state == State.CLOSED:
            assert any(e.action == "close" for e in timeline)
            assert case.solved_level
        else:
            assert not case.solved_level


def test_open_overdue_suspended_and_rated(cases):
    assert figures.overdue(cases).count() >= 10
    assert not cases.filter(state=State.SUSPENDED, suspension_reason="").exists()
    rated = cases.filter(rating__isnull=False)
    assert rated.count() >= 300
    assert not rated.exclude(state=State.CLOSED).exists()
    assert not cases.filter(Q(reporter_name="") & ~Q(phone_hash="")).exists()
    assert not cases.exclude(reporter_name="").filter(consent_at__isnull=True).exists()


def test_the_share_sent_to_the_district_fell_about_60_percent(cases):
    periods = figures.default_periods(cases)
    today = timezone.localdate()
    months_ago = (today.year - periods.pilot.year) * 12 + today.month - periods.pilot.month
    assert 6 <= months_ago <= 7
    comparison = figures.compare(cases, periods)
    assert comparison.baseline.share == pytest.approx(0.25, abs=0.02)
    assert -0.68 <= comparison.change <= -0.52
    # Month by month it falls after the pilot starts.
    shares = {row.month: row.share for row in comparison.months}
    assert shares[periods.pilot] < comparison.baseline.share


def test_sources_before_and_after_the_pilot(cases):
    pilot = figures.default_periods(cases).pilot
    start, _end = figures.month_bounds(pilot)
    before = Counter(cases.filter(received_at__lt=start).values_list("source", flat=True))
    after = Counter(cases.filter(received_at__gte=start).values_list("source", flat=True))
    assert before[Source.VISIT] == 0 and before[Source.COUNCIL] == 0
    assert after[Source.VISIT] > after[Source.HOTLINE]
