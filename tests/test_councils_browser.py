"""Browser checks (Playwright, Debian's Chromium): a grid worker runs the biweekly grid meeting
on a phone; a shop owner posts and votes on the public street-pulse page on a phone; staff read
a council at desktop width. Screenshots go to test-artifacts/."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jiequ.cases.models import State
from jiequ.councils import meetings as service
from jiequ.councils.models import MeetingState, PulseTopic
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

from .factories_councils import councils_world, topic  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_grid_worker_runs_the_grid_meeting_on_a_phone(councils_world, users, page_as, live_server):  # noqa: F811
    w = councils_world
    planned = service.plan_meeting(w.grid, timezone.localdate(), user=users.grid)
    page = page_as(users.grid, viewport=PHONE)
    page.goto(live_server.url + reverse("councils:grid_overview"))
    assert "康定网格会商" in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    shot(page, "councils-grid-overview-phone")
    page.click("text=进入")
    page.wait_for_selector("#agenda")
    assert w.escalated.number in page.locator("#agenda").inner_text()
    assert no_sideways_scroll(page)
    shot(page, "councils-grid-meeting-open-phone")

    # Attendance and minutes.
    page.click("text=出席与纪要")
    boxes = page.locator("#id_present input[type=checkbox]")
    assert boxes.count() == 5
    for i in range(4):
        boxes.nth(i).check()
    page.fill("#id_guests", "2")
    page.fill("#id_minutes", "派出所、城管中队、城运中心参加，逐件会商上报网格的诉求。")
    assert no_sideways_scroll(page)
    page.click("form.object-form button[type=submit]")
    page.wait_for_selector("#agenda")

    # A decision on the escalated case: the form shows the fields its kind needs.
    page.click("#agenda >> text=记录决定")
    # The form's script is deferred: choose the kind once the page has loaded it.
    page.wait_for_load_state("load")
    page.select_option("#id_kind", "escalate")
    expect(page.locator("#field-tried")).to_be_visible()
    expect(page.locator("#field-owner_member")).to_be_hidden()
    page.fill("#id_text", "需区级部门审批")
    page.click("form.object-form button[type=submit]")
    assert "请说明本议事载体上报前已做的工作" in page.locator(".has-error").inner_text()
    page.select_option("#id_kind", "resolve")
    page.fill("#id_text", "城管中队现场劝离，设置隔离栏，商户承诺不再占道。")
    assert no_sideways_scroll(page)
    shot(page, "councils-decision-form-phone")
    page.click("form.object-form button[type=submit]")
    page.wait_for_selector("#agenda .decision")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#close-meeting")
    page.wait_for_selector(".chip.state-closed")
    assert "执行了1项决定" in page.locator(".messages").inner_text()
    assert no_sideways_scroll(page)
    shot(page, "councils-grid-meeting-closed-phone")
    planned.refresh_from_db()
    w.escalated.refresh_from_db()
    assert planned.state == MeetingState.CLOSED and planned.present.count() == 4
    assert w.escalated.state == State.RESOLVED


def test_shop_owner_posts_and_votes_on_the_street_pulse(councils_world, browser, live_server):  # noqa: F811
    cache.clear()
    w = councils_world
    topic(w.board, "晚上顾客停车难", votes=12)
    topic(w.board, "共享单车堆门口", votes=3)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    url = live_server.url + reverse("pulse:board", args=[w.board.token])
    page.goto(url)
    assert page.locator("h1").inner_text() == "江宁片区街情气象站"
    titles = page.locator("article.topic h3").all_inner_texts()
    assert titles == ["晚上顾客停车难", "共享单车堆门口"]
    # Vote (htmx): the count goes up, the button becomes "voted"; a reload keeps it.
    first = page.locator("article.topic").first
    first.locator("button.vote-button").click()
    page.wait_for_selector("article.topic >> nth=0 >> .voted")
    assert first.locator(".votes").inner_text() == "13"
    page.reload()
    assert page.locator("article.topic").first.locator(".voted").count() == 1
    # Post: the phone needs consent.
    page.fill("#id_title", "装卸货临时停靠点")
    page.fill("#id_text", "每天上午进货，货车停门口就被贴条，希望划个临时装卸点。")
    page.fill("#id_author_name", "康定路小吃店")
    page.fill("#id_phone", "13912345678")
    page.click("#post button[type=submit]")
    assert "只有在您同意时才保存手机号" in page.locator("#post").inner_text()
    page.check("#id_consent")
    page.click("#post button[type=submit]")
    page.wait_for_selector("article.topic.posted")
    assert "谢谢" in page.locator("main").inner_text()
    assert "13912345678" not in page.content()
    assert no_sideways_scroll(page)
    shot(page, "pulse-board-phone")
    saved = PulseTopic.objects.get(title="装卸货临时停靠点")
    assert saved.phone_masked == "139****5678"
    context.close()


def test_staff_read_a_council_at_desktop_width(councils_world, users, page_as, live_server):  # noqa: F811
    w = councils_world
    page = page_as(users.staff, viewport=DESKTOP)
    page.goto(live_server.url + w.street.get_absolute_url())
    assert page.locator("h1").inner_text() == "康定路街委会"
    assert "王老板" in page.locator("#members").inner_text()
    assert w.held.number in page.locator("#cases").inner_text()
    shot(page, "councils-street-council-desktop")
    page.goto(live_server.url + reverse("councils:council_list"))
    assert page.locator("table.objects tbody tr").count() == 3
    shot(page, "councils-list-desktop")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + w.street.get_absolute_url())
    assert no_sideways_scroll(page)
    shot(page, "councils-street-council-phone")
