"""Browser checks at phone width: the QR sign-up, the private page; staff's map and pool."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from jiequ.volunteers.models import TaskSignup, Volunteer
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

from .factories_volunteers import TaskSignupFactory, VolunteerTaskFactory, vol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):  # noqa: F811
    """A phone with no account (a worker scanning the QR code)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context.new_page()
    context.close()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sign_up_by_qr_on_a_phone_then_the_private_page(vol, phone, live_server):  # noqa: F811
    cache.clear()
    phone.goto(live_server.url + reverse("volunteers_public:join", args=[vol.codes.sw.token]))
    assert phone.locator("h1").inner_text() == "加入志愿者队伍"
    assert no_sideways_scroll(phone)
    shot(phone, "volunteers-join-phone")
    # Submitting empty shows the errors in Chinese and saves nothing.
    phone.click("#join-form button[type=submit]")
    assert "请阅读并同意后再提交" in phone.locator("#field-consent").inner_text()
    phone.fill("#id_name", "周快递")
    phone.fill("#id_phone", "13800136666")
    phone.check("input[name=occupation][value=courier]")
    phone.select_option("#id_platform", "sf")
    phone.check("input[name=skills][value=errands]")
    phone.check("input[name=skills][value=first_aid]")
    for slot in ("2pm", "5am", "6am"):
        phone.check(f"input[name=availability][value='{slot}']")
    phone.check("#id_consent")
    shot(phone, "volunteers-join-filled-phone")
    phone.click("#join-form button[type=submit]")
    phone.wait_for_selector("#welcome")
    volunteer = Volunteer.objects.get(name="周快递")
    assert volunteer.token in phone.url and volunteer.state == "pending"
    assert volunteer.token in phone.locator("#private-link").inner_text()
    assert "138****6666" in phone.locator("#record").inner_text()
    assert no_sideways_scroll(phone)
    shot(phone, "volunteers-private-new-phone")


def test_the_private_page_on_a_phone(vol, phone, live_server):  # noqa: F811
    cache.clear()
    past = timezone.now() - dt.timedelta(days=6)
    done = VolunteerTaskFactory(
        title="北京西路独居老人送餐",
        region=vol.sw.region,
        starts_at=past,
        ends_at=past + dt.timedelta(hours=3),
    )
    TaskSignupFactory(task=done, volunteer=vol.rider, state="served", hours=Decimal("3"))
    yesterday = timezone.now() - dt.timedelta(days=1)
    report = VolunteerTaskFactory(
        title="新闸路夜间巡防", region=vol.sw.region, starts_at=yesterday,
        ends_at=yesterday + dt.timedelta(hours=2),
    )  # fmt: skip
    TaskSignupFactory(task=report, volunteer=vol.rider)
    url = live_server.url + reverse("volunteers_public:me", args=[vol.rider.token])
    phone.goto(url)
    assert "王小骑的志愿服务" in phone.locator("#record").inner_text()
    assert phone.locator("#total-hours").inner_text() == "3.0"
    assert "赵东" not in phone.content()
    assert no_sideways_scroll(phone)
    shot(phone, "volunteers-private-phone")
    # Take an open task.
    card = phone.locator("#open-tasks .task-card", has_text="大田路清洁")
    card.locator("button").click()
    phone.wait_for_selector("text=您已报名“大田路清洁”")
    assert "大田路清洁" in phone.locator("#upcoming").inner_text()
    # Report hours of yesterday's patrol.
    phone.fill(f"#hours-{TaskSignup.objects.get(task=report).pk}", "2")
    phone.locator("#report button").click()
    phone.wait_for_selector("text=工作人员将核实您的服务时长")
    # Change the free times: Sunday evening too.
    phone.check("#availability input[value='6ev']")
    phone.locator("#availability button[type=submit]").click()
    phone.wait_for_selector("text=已保存")
    vol.rider.refresh_from_db()
    assert "6ev" in vol.rider.availability
    shot(phone, "volunteers-private-after-phone")
    # Withdraw.
    phone.click("#withdraw-link")
    phone.check("#confirm-withdraw")
    shot(phone, "volunteers-withdraw-phone")
    phone.click("form button.danger")
    phone.wait_for_selector("#withdrawn")
    vol.rider.refresh_from_db()
    assert vol.rider.state == "withdrawn" and vol.rider.name == ""
    shot(phone, "volunteers-withdrawn-phone")


def test_public_points_on_a_phone(vol, phone, live_server):  # noqa: F811
    phone.goto(live_server.url + reverse("volunteers_public:points"))
    assert phone.locator(".point-card").count() == 3
    phone.locator(".point-card details summary").first.click()
    assert no_sideways_scroll(phone)
    shot(phone, "volunteers-points-public-phone")


def test_staff_map_pool_and_lists(vol, users, page_as, live_server):  # noqa: F811
    page = page_as(users.staff)
    page.goto(live_server.url + reverse("volunteers:point_map"))
    page.wait_for_selector("#points-map[data-ready='1']")
    assert page.locator("path.leaflet-interactive").count() >= 2
    assert "2 个服务点" in page.locator("#map-summary").inner_text()
    shot(page, "volunteers-map-desktop")
    page.goto(live_server.url + reverse("volunteers:pool"))
    page.wait_for_selector("#pool-chart[data-ready='1']")
    assert page.locator("#pool-chart svg").count() >= 1
    shot(page, "volunteers-pool-desktop")
    page.goto(live_server.url + reverse("volunteers:task_detail", args=[vol.task.pk]))
    page.check(f"#assign input[value='{vol.rider.pk}']")
    page.click("#assign button[type=submit]")
    page.wait_for_selector("text=已安排：王小骑")
    shot(page, "volunteers-task-desktop")
    mobile = page_as(users.staff, viewport=PHONE)
    mobile.goto(live_server.url + reverse("volunteers:volunteer_list"))
    assert no_sideways_scroll(mobile)
    assert "****" in mobile.locator("#review").inner_text()
    shot(mobile, "volunteers-list-phone")
    mobile.goto(live_server.url + reverse("volunteers:point_map"))
    mobile.wait_for_selector("#points-map[data-ready='1']")
    shot(mobile, "volunteers-map-phone")
