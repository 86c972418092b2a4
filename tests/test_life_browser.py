"""Browser checks of organisational life at phone width (Playwright, Debian's Chromium)."""

import pytest
from django.urls import reverse

from jiequ.life.models import Meeting
from tests.test_browser import PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compliance_grid_scrolls_inside_itself_on_a_phone(party, users, page_as, live_server):  # noqa: F811
    page = page_as(users.staff, viewport=PHONE)
    page.goto(live_server.url + reverse("life:compliance"))
    assert page.locator("h1").inner_text() == "“三会一课”落实情况"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(
        "(() => { const w = document.querySelector('.grid-wrap');"
        " return w.scrollWidth > w.clientWidth; })()"
    )
    assert page.locator("table.compliance .chip.missing").first.is_visible()
    shot(page, "life-compliance-phone")


def test_secretary_records_a_meeting_on_a_phone(party, users, page_as, live_server):  # noqa: F811
    page = page_as(users.secretary, viewport=PHONE)
    page.goto(live_server.url + reverse("life:meeting_add"))
    # The secretary's own branch is chosen, its members listed to tick.
    assert page.input_value("#id_organisation") == str(party.west.pk)
    assert page.locator("#meeting-people input[type=checkbox]").count() == 4
    # Picking the Party group reloads the list (htmx): the group has no members of its own.
    page.select_option("#id_organisation", str(party.group.pk))
    page.wait_for_selector("#meeting-people input[type=checkbox]", state="detached")
    assert page.input_value("#id_expected") == "0"
    page.select_option("#id_organisation", str(party.west.pk))
    page.wait_for_selector("#meeting-people input[type=checkbox]")
    assert page.input_value("#id_expected") == "4"
    page.select_option("#id_kind", "themed_day")
    page.fill("#id_held_on", "2026-01-10")
    page.fill("#id_topic", "主题党日：学习党章")
    boxes = page.locator("#meeting-people input[type=checkbox]")
    assert boxes.count() == 4
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "life-meeting-form-phone")
    page.click("form.object-form button[type=submit]")
    page.wait_for_selector("h2:has-text('实到人员')")
    meeting = Meeting.objects.get()
    assert meeting.attendees.count() == 2 and meeting.expected == 4
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "life-meeting-detail-phone")
    page.goto(live_server.url + reverse("life:compliance"))
    page.wait_for_selector("h3:has-text('缺失的会议')")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "life-branch-compliance-phone")
