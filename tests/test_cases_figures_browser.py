"""The figures page in the browser: the charts draw, a bar opens its list, phone width holds."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.cases.models import Case
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

from .factories_cases import make_case, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def some_cases(world, party) -> None:
    entity = shop(world.grid_sw, party.west)
    now = timezone.now()
    for i in range(12):
        case = make_case(entity=entity, received_at=now - dt.timedelta(days=20 * i + 1))
        if i % 4 == 0:
            Case.objects.filter(pk=case.pk).update(escalated_to_district_at=case.received_at)


def test_figures_page_draws_its_charts(world, users, party, page_as, live_server):  # noqa: F811
    some_cases(world, party)
    page = page_as(users.admin, viewport=DESKTOP)
    page.goto(live_server.url + reverse("cases:figures"))
    page.wait_for_selector("html[data-charts-ready='1']")
    for chart in ("chart-months", "chart-source", "chart-level", "chart-category"):
        assert page.locator(f"#{chart} svg").count() == 1
    assert page.locator("h1").inner_text().startswith("诉求统计")
    shot(page, "case-figures-desktop")
    # The number in a table opens the list with as many rows.
    page.click("#source-table a >> nth=0")
    page.wait_for_selector("table.objects, p.empty")
    assert "/cases/?" in page.url


def test_figures_page_on_a_phone(world, users, party, page_as, live_server):  # noqa: F811
    some_cases(world, party)
    page = page_as(users.secretary, viewport=PHONE)
    page.goto(live_server.url + reverse("cases:figures"))
    page.wait_for_selector("html[data-charts-ready='1']")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "case-figures-phone")
