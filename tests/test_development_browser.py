"""The board and the timeline on a phone (390 px): Playwright driving Debian's Chromium.

Screenshots go to test-artifacts/ for a person to look at.
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from jiequ.development import services

from .factories_development import ApplicationFactory, walk

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("JIEQU_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (JIEQU_REQUIRE_BROWSER) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def phone_page(browser, live_server, user):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-for-tests")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return context, page


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_secretary_works_the_board_and_records_a_step_on_a_phone(
    browser, live_server, party, users
):
    applicant = ApplicationFactory(organisation=party.west, name="手机申请人")
    services.record_step(applicant, 1, dt.date.today() - dt.timedelta(days=40))
    walk(ApplicationFactory(organisation=party.west, name="手机积极分子"), 8)
    walk(ApplicationFactory(organisation=party.west, name="手机预备党员"), 19)
    context, page = phone_page(browser, live_server, users.secretary)
    try:
        page.goto(live_server.url + reverse("development:board"))
        assert "江宁街区党支部" in page.locator("h1").inner_text()
        assert page.locator(".board-card").count() == 3
        assert page.locator(".board-card.is-overdue").count() == 1
        assert no_sideways_scroll(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "development-board-phone.png"), full_page=True)

        page.click("text=手机积极分子")
        assert page.locator("#next h2").inner_text().startswith("下一步骤")
        page.fill("#id_people", "赵介绍")
        page.click("text=登记此步骤")
        assert "发展对象的入党介绍人" in page.locator(".refusals").inner_text()
        assert no_sideways_scroll(page)
        page.fill("#id_people", "赵介绍、钱介绍")
        page.click("text=登记此步骤")
        assert "已登记步骤9" in page.locator(".messages").inner_text()
        page.screenshot(path=str(ARTIFACTS / "development-timeline-phone.png"), full_page=True)
    finally:
        context.close()
