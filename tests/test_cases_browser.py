"""A secretary handles demands on a phone; staff see the list at the desk (Playwright)."""

import pytest
from django.urls import reverse

from jiequ.cases.models import Case
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

from .factories_cases import build_cases_world, category, photo_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases_world(world, users, party):
    return build_cases_world(world, party)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_secretary_resolves_a_case_on_a_phone(cases_world, users, page_as, live_server):  # noqa: F811
    page = page_as(users.secretary, viewport=PHONE)
    page.goto(live_server.url + reverse("cases:case_list"))
    assert page.locator("h1").inner_text() == "诉求"
    assert fits(page)
    assert page.locator("table.cases tbody tr").count() == 2
    shot(page, "cases-list-phone")
    page.click("details.filter-box > summary")
    page.select_option("select[name=level]", "branch")
    page.wait_for_url("**level=branch**")
    assert fits(page)
    shot(page, "cases-list-filters-phone")
    page.click("text=康定路店门口乱堆物")
    page.wait_for_selector("details.act")
    assert fits(page)
    # The buttons are as big as a thumb.
    box = page.locator("details.act > summary").first.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300
    assert page.locator("details.act > summary").first.inner_text() == "派单"
    shot(page, "cases-detail-phone")
    page.click("details[data-action=resolve] > summary")
    page.fill("details[data-action=resolve] textarea[name=resolution]", "走访时协调商户当场清理")
    shot(page, "cases-resolve-phone")
    page.click("details[data-action=resolve] button[type=submit]")
    page.wait_for_selector(".messages")
    assert "已办结" in page.locator(".chips").inner_text()
    assert page.locator("details[data-action=close] > summary").inner_text() == "核实结案"
    assert Case.objects.get(pk=cases_world.west.pk).state == "resolved"


def test_an_invalid_escalation_is_explained_on_a_phone(cases_world, users, page_as, live_server):  # noqa: F811
    page = page_as(users.secretary, viewport=PHONE)
    page.goto(live_server.url + reverse("cases:case_detail", args=[cases_world.west.pk]))
    page.click("details[data-action=escalate] > summary")
    page.select_option("details[data-action=escalate] select[name=to_level]", "grid")
    page.fill("details[data-action=escalate] textarea[name=reason]", "商户不配合")
    page.fill("details[data-action=escalate] textarea[name=tried]", "上门沟通两次")
    page.click("details[data-action=escalate] button[type=submit]")
    page.wait_for_selector("#case-error")
    assert "一级一级" in page.locator("#case-error").inner_text()
    assert page.locator("details[data-action=escalate]").get_attribute("open") is not None
    shot(page, "cases-escalate-refused-phone")


def test_secretary_records_a_demand_on_a_phone(cases_world, users, page_as, live_server, tmp_path):  # noqa: F811
    page = page_as(users.secretary, viewport=PHONE)
    page.goto(live_server.url + reverse("cases:case_add"))
    assert fits(page)
    page.select_option("#id_category", str(category("S0201").pk))
    page.fill("#id_title", "希望晚间错峰停车")
    page.fill("#id_description", "商户希望晚上在附近单位停车场错峰停车。")
    page.fill("#entity-q", "小吃")
    page.wait_for_selector("#entity-results input[type=radio]")
    page.check(f"#entity-results input[value='{cases_world.west_shop.pk}']")
    photo = tmp_path / "shop.jpg"
    photo.write_bytes(photo_file().read())
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_reporter_name", "张老板")
    page.fill("#id_phone", "13812345678")
    page.check("#id_consent")
    shot(page, "cases-add-phone")
    page.click("button.submit-big")
    page.wait_for_selector(".messages")
    case = Case.objects.get(title="希望晚间错峰停车")
    assert case.entity == cases_world.west_shop and case.photos.count() == 1
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    shot(page, "cases-added-phone")


def test_staff_list_and_overdue_at_the_desk(cases_world, users, page_as, live_server):  # noqa: F811
    Case.objects.filter(pk=cases_world.east.pk).update(due_on="2026-10-08")
    page = page_as(users.staff, viewport=DESKTOP)
    page.goto(live_server.url + reverse("cases:case_list"))
    assert page.locator("table.cases tbody tr").count() == 3
    page.fill("input[name=q]", "油烟")
    page.wait_for_function("document.querySelectorAll('table.cases tbody tr').length === 1")
    shot(page, "cases-list-desktop")
    page.goto(live_server.url + reverse("cases:overdue"))
    assert "大田路油烟扰民" in page.locator("#late ~ ul").first.inner_text()
    shot(page, "cases-overdue-desktop")
    page.goto(live_server.url + reverse("cases:case_detail", args=[cases_world.east.pk]))
    shot(page, "cases-detail-desktop")
