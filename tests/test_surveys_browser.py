"""Road surveys in the browser: a grid worker records a visit on a phone; staff read the report
with its charts on a desktop (Playwright, Debian's Chromium)."""

import pytest
from django.urls import reverse

from jiequ.cases import taxonomy
from jiequ.cases.models import CaseCategory
from jiequ.surveys.models import SurveyVisit
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

from .factories_surveys import build_survey_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_grid_worker_visits_a_shop_on_a_phone(world, users, party, page_as, live_server):  # noqa: F811
    # Transactional tests empty the tables the migration filled: load the taxonomy again.
    taxonomy.load_default(CaseCategory)
    w = build_survey_world(world, users, party)
    page = page_as(users.grid, viewport=PHONE)
    page.goto(live_server.url + reverse("surveys:my_visits"))
    assert page.locator("h1").inner_text() == "我的调研走访"
    page.click("text=石门二路1号小店")
    page.wait_for_selector("#visit-form")
    assert no_sideways_scroll(page)
    page.check("input[name=q_q1][value='5年以上']")
    page.check("input[name=q_q4][value='停车难']")
    page.check("input[name=q_q5][value=yes]")
    page.fill("input[name=q_q6]", "-1")
    page.click("#visit-form button[name=next]")
    assert "确保该值大于或等于0" in page.locator("#visit-form").inner_text()
    shot(page, "survey-visit-phone")
    page.fill("input[name=q_q6]", "5")
    page.select_option("select[name=demands-0-category]", label="错峰停车")
    page.fill("input[name=demands-0-text]", "顾客停车难")
    page.click("#visit-form button[name=next]")
    page.wait_for_selector("text=走访已保存")
    # The next shop of the walk opens.
    assert "石门二路3号小店" in page.locator("h1").inner_text()
    visit = SurveyVisit.objects.get(survey=w.survey, entity=w.west[0])
    assert visit.answers["q4"] == ["停车难"] and visit.demands.count() == 1
    page.goto(live_server.url + reverse("surveys:survey_plan", args=[w.survey.pk]))
    assert no_sideways_scroll(page)
    shot(page, "survey-plan-phone")


def test_staff_read_the_report_with_charts(world, users, party, page_as, live_server):  # noqa: F811
    from django.utils import timezone

    from jiequ.surveys.visits import record_visit

    w = build_survey_world(world, users, party)
    for visit in w.survey.visits.all():
        record_visit(
            visit,
            users.staff,
            visited_on=timezone.localdate(),
            state_found="operating",
            answers={"q1": "1–3年", "q4": ["停车难"], "q5": "yes", "q6": 3},
        )
    page = page_as(users.staff, viewport=DESKTOP)
    page.goto(live_server.url + reverse("surveys:survey_report", args=[w.survey.pk]))
    page.wait_for_selector("#chart-industry svg")
    assert "一、总体情况" in page.locator(".report").inner_text()
    shot(page, "survey-report-desktop")
    page.goto(live_server.url + reverse("surveys:survey_detail", args=[w.survey.pk]))
    assert "5 / 5" in page.locator("#progress").inner_text()
    shot(page, "survey-detail-desktop")
