"""Browser checks of the supply system at desktop and phone widths (Playwright, Chromium)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.services import talents
from jiequ.services.models import Delivery, Project, Talent
from tests.factories_services import supply_world
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The site's URLs with the talents' public pages mounted (see test_talents_public).
    pytest.mark.urls("tests.test_talents_public"),
]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def supply(world, party):
    return supply_world(world, party)


def test_staff_bundles_a_suggestion_into_a_project_and_records_a_delivery(
    supply,
    party,
    users,
    page_as,  # noqa: F811
    live_server,
):
    page = page_as(users.staff, viewport=DESKTOP)
    page.goto(live_server.url + supply.needs.east.get_absolute_url())
    rows = page.locator("#suggestions tbody tr")
    assert rows.first.locator("a").first.inner_text() == "成都路律师公益法律咨询"
    assert "类别相同" in rows.first.inner_text()
    shot(page, "services-need-desktop")
    page.fill("#suggestions input[name^=quantity_]", "3")
    page.click("#suggestions button[type=submit]")
    page.wait_for_selector("h2:has-text('使用的资源')")
    project = Project.objects.latest("pk")
    assert project.allocations.get().quantity == 3
    page.click("a:has-text('登记服务')")
    page.select_option("#id_organisation", str(party.east.pk))
    page.fill("#id_delivered_on", timezone.localdate().isoformat())
    page.fill("#id_what", "律师现场法律咨询")
    page.fill("#id_participants", "15")
    page.click("form.object-form button[type=submit]")
    page.wait_for_selector(".messages .msg-success")
    assert Delivery.objects.filter(project=project, what="律师现场法律咨询").exists()
    page.goto(live_server.url + project.get_absolute_url())
    assert "律师现场法律咨询" in page.locator("#deliveries").inner_text()
    shot(page, "services-project-desktop")
    page.goto(live_server.url + reverse("services:coverage"))
    assert page.locator("h1").inner_text().startswith("兜网式供给")
    shot(page, "services-coverage-desktop")


def test_owner_fields_follow_the_owner_kind_on_a_phone(supply, users, page_as, live_server):  # noqa: F811
    page = page_as(users.staff, viewport=PHONE)
    page.goto(live_server.url + reverse("services:need_add"))
    assert page.locator("#id_organisation").is_visible()
    assert not page.locator("#id_department_name").is_visible()
    page.check("input[name=owner_kind][value=department]")
    assert page.locator("#id_department_name").is_visible()
    assert not page.locator("#id_organisation").is_visible()
    page.click("form.object-form button[type=submit]")
    assert "请选择部门" in page.locator("form.object-form").inner_text()
    assert fits(page)
    shot(page, "services-need-form-phone")
    page.goto(live_server.url + reverse("services:coverage"))
    assert fits(page)
    shot(page, "services-coverage-phone")
    page.goto(live_server.url + supply.projects.west_east.get_absolute_url())
    assert fits(page)
    shot(page, "services-project-phone")


def test_a_person_signs_up_as_a_talent_on_a_phone(world, browser, live_server):  # noqa: F811
    invite = talents.invite_for(world.ours)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + reverse("services_public:talent_join", args=[invite.token]))
    page.fill("#id_name", "陈师傅")
    page.fill("#id_phone", "139 1234 5678")
    page.fill("#id_skills", "家电维修")
    page.click("#join-form button[type=submit]")
    assert "请阅读并勾选同意" in page.locator("#join-form").inner_text()
    assert fits(page)
    shot(page, "talents-join-phone")
    page.check("#id_consent")
    page.click("#join-form button[type=submit]")
    page.wait_for_selector("h1:has-text('我的登记信息')")
    assert "139****5678" in page.content()
    assert fits(page)
    shot(page, "talents-me-phone")
    assert Talent.objects.get().name == "陈师傅"
    context.close()
