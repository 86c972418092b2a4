"""Browser tests: Playwright driving Debian's Chromium against the live server.

Screenshots at phone and desktop widths go to test-artifacts/ for a person to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from jiequ.areas.models import Building

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("JIEQU_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (JIEQU_REQUIRE_BROWSER) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while it is open;
    # the ORM calls these tests make are still synchronous and safe. Only for this module.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page_as(browser, live_server, _fast_password_hasher):
    contexts = []

    def _page_as(user, viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", user.username)
        page.fill("#id_password", "pw-for-tests")
        page.click("#login-form button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        return page

    yield _page_as
    for context in contexts:
        context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_staff_filters_creates_and_sees_chinese_errors(world, users, page_as, live_server):
    page = page_as(users.staff)
    page.goto(live_server.url + reverse("areas:building_list"))
    assert page.locator("h1").inner_text() == "楼宇"
    rows = page.locator("table.objects tbody tr")
    assert rows.count() == 3
    # htmx: typing in the search box narrows the table without a page load.
    page.fill("input[name=q]", "康定")
    page.wait_for_function("document.querySelectorAll('table.objects tbody tr').length === 1")
    assert "q=" in page.url
    shot(page, "buildings-desktop")

    page.goto(live_server.url + reverse("areas:building_add"))
    page.fill("#id_name", "浏览器大厦")
    page.fill("#id_floors", "0")
    page.fill("#id_lat", "31.233000")
    page.fill("#id_lon", "121.452000")
    page.fill("#id_address", "江宁路5号")
    page.click("form.object-form button[type=submit]")
    assert "确保该值大于或等于1" in page.locator(".has-error").inner_text()
    assert not Building.objects.filter(name="浏览器大厦").exists()
    page.fill("#id_floors", "12")
    page.click("form.object-form button[type=submit]")
    page.wait_for_selector("h1:has-text('浏览器大厦')")
    assert Building.objects.get(name="浏览器大厦").region == world.grid_sw


def test_map_draws_without_tiles_and_shows_only_scope(world, users, page_as, live_server):
    page = page_as(users.secretary)
    page.goto(live_server.url + reverse("areas:map"))
    page.wait_for_selector("#map[data-ready='1']")
    # Two grids and two buildings of the secretary's area; nothing of the other subdistrict.
    assert page.locator("path.leaflet-interactive").count() >= 3
    summary = page.locator("#map-summary").inner_text()
    assert "网格 2" in summary and "楼宇 2" in summary
    assert page.locator(".leaflet-tile").count() == 0
    shot(page, "map-desktop")


def test_phone_width_menu_and_card_table(world, users, page_as, live_server):
    page = page_as(users.grid, viewport=PHONE)
    page.goto(live_server.url + reverse("areas:building_list"))
    nav = page.locator("nav.mainnav")
    assert not nav.is_visible()
    page.click("label.nav-toggle-label")
    assert nav.is_visible()
    # No horizontal scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("table.objects td").first.is_visible()
    shot(page, "buildings-phone")
    from .factories import EntityFactory

    long_names = EntityFactory(
        name="上海金桥商贸有限公司山海关路第一分店",
        sign_name="金桥药房",
        credit_code="91350100M000100Y43",
        region=world.grid_sw,
        is_street_shop=True,
        sector="non_public_enterprise",
        small_business="small",
    )
    page.goto(live_server.url + reverse("ledger:entity_detail", args=[long_names.pk]))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "entity-phone")
    page.goto(live_server.url + reverse("areas:map"))
    page.wait_for_selector("#map[data-ready='1']")
    shot(page, "map-phone")


def test_language_switch_in_the_browser(world, users, page_as, live_server):
    page = page_as(users.staff)
    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "Log out" in page.locator("nav.mainnav").inner_text()


def test_grid_worker_records_a_visit_on_a_phone(world, users, page_as, live_server):
    import datetime as dt

    from django.utils import timezone

    from jiequ.ledger import rounds
    from jiequ.ledger.models import Visit

    from .factories import EntityFactory

    EntityFactory(name="", sign_name="康定面馆", region=world.grid_sw, worker_count=4)
    rounds.open_round(world.ours, timezone.localdate() + dt.timedelta(days=14))
    page = page_as(users.grid, viewport=PHONE)
    page.goto(live_server.url + reverse("ledger:walk_list"))
    page.click("text=康定面馆")
    page.fill("#id_worker_count", "6")
    page.fill("#id_contact_name", "王老板")
    page.fill("#id_contact_phone", "13812345678")
    page.click("#visit-form button[type=submit]")
    assert "同意" in page.locator(".consent .error").inner_text()  # consent is needed
    shot(page, "visit-form-phone")
    page.check("#id_consent")
    page.click("#visit-form button[type=submit]")
    page.wait_for_selector("text=已记录")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    visit = Visit.objects.get()
    assert visit.worker_count == 6 and visit.contact_phone == "+8613812345678"


def test_member_signs_up_through_the_qr_page_on_a_phone(world, browser, live_server):
    from jiequ.ledger import signup
    from jiequ.ledger.models import MemberRegistration

    from .factories import EntityFactory

    shop = EntityFactory(name="", sign_name="安徽宠物店", region=world.grid_sw)
    code = signup.code_for(shop)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("join", args=[code.token]))
    assert page.input_value("#id_workplace") == "安徽宠物店"
    page.fill("#id_name", "张三")
    page.fill("#id_phone", "13812345678")
    page.check("input[name=membership][value=full]")
    page.fill("#id_record_organisation", "中共安徽省合肥市某某社区委员会")
    page.select_option("#id_record_province", "安徽")
    page.fill("#id_record_city", "合肥")
    page.check("#id_consent")
    shot(page, "join-phone")
    page.click("#join-form button[type=submit]")
    page.wait_for_selector("text=提交成功")
    # Scanning again and submitting the same phone updates the one record.
    page.goto(live_server.url + reverse("join", args=[code.token]))
    page.fill("#id_name", "张三")
    page.fill("#id_phone", "138-1234-5678")
    page.check("input[name=membership][value=probationary]")
    page.fill("#id_record_organisation", "中共安徽省合肥市某某社区委员会")
    page.select_option("#id_record_province", "安徽")
    page.fill("#id_record_city", "芜湖")
    page.check("#id_consent")
    page.click("#join-form button[type=submit]")
    page.wait_for_selector("text=提交成功")
    registration = MemberRegistration.objects.get()
    assert registration.submissions == 2 and registration.record_city == "芜湖"
    context.close()
