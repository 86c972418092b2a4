"""The demo's road surveys: 110 shops on the busiest road (topped up from the neighbouring
roads), all visited, with answers, demands and recommendations, so the PDF report is full; and a
survey under way on the demo grid worker's road.

The demo is built once for the module (rolled back at the end); councils, cases and surveys are
built here in the contract's order if the demo builder does not build them yet.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Count, F, Q

from jiequ.accounts.models import User
from jiequ.areas.models import Region, Road
from jiequ.cases.models import Source
from jiequ.demo import geography
from jiequ.demo.builder import build_demo
from jiequ.ledger.models import Entity
from jiequ.surveys import pdf, report
from jiequ.surveys.models import Survey, SurveyDemand, SurveyState

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_demo()
            subdistrict = Region.objects.get(code=geography.SUBDISTRICT["code"])
            yield subdistrict
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def done(demo):
    return Survey.objects.get(state=SurveyState.DONE)


def test_110_shops_on_the_busiest_road_all_visited(done, demo):
    shops = Entity.objects.filter(region__path__startswith=demo.path, is_street_shop=True)
    live = shops.exclude(state__in=["closed", "moved"])
    busiest = (
        Road.objects.filter(subdistrict=demo)
        .annotate(n=Count("entities", filter=Q(entities__in=live)))
        .order_by("-n", "name")
        .first()
    )
    assert done.road == busiest
    visits = done.visits.select_related("entity")
    assert visits.count() == 110
    assert not visits.filter(visited_on__isnull=True).exists()
    on_road = visits.filter(entity__road=busiest).count()
    assert on_road == live.filter(road=busiest).count()
    assert f"另走访相邻道路最近的{110 - on_road}家" in done.purpose  # the top-up is said
    assert all(v.entity.is_street_shop for v in visits)


def test_answers_demands_and_recommendations(done):
    data = report.build(done)
    assert data.visited == 110 and data.visitors >= 3
    assert {r.label for r in data.states} >= {"在营", "已关停"}
    assert len(data.industry) >= 4
    assert all(q.answered >= (20 if q.kind == "text" else 80) for q in data.questions)
    assert data.demand_count >= 40 and len(data.demands) >= 5
    linked = SurveyDemand.objects.filter(visit__survey=done, case__isnull=False)
    assert linked.count() == data.cases_opened >= 10
    assert set(linked.values_list("case__source", flat=True)) == {Source.VISIT}
    assert not linked.exclude(case__entity=F("visit__entity")).exists()
    assert done.findings and "110" in done.findings
    assert done.recommendations.count("\n") >= 4 and done.road.name in done.recommendations


def test_the_pdf_report_is_full(done):
    from .test_surveys_report import pdf_text

    shops = list(done.visits.select_related("entity").prefetch_related("demands"))
    data = pdf.render(report.build(done), shops, "石门二路街道")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert done.road.name in text and "五、改进建议" in text and "附：走访商铺名单" in text
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 8


def test_a_survey_under_way_for_the_demo_grid_worker(demo):
    survey = Survey.objects.get(state=SurveyState.IN_PROGRESS)
    visits = survey.visits
    share = visits.filter(visited_on__isnull=False).count() / visits.count()
    assert 0.3 <= share <= 0.5
    grid = User.objects.get(username="grid")
    assert visits.filter(visitor=grid, visited_on__isnull=True).exists()
