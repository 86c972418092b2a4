"""Organisations and members in the browser, as a branch secretary and as staff."""

import re

import pytest
from django.urls import reverse

from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_PHONE = re.compile(r"1\d{10}")


def test_secretary_sees_only_their_branch_on_a_phone(party, users, page_as, live_server):  # noqa: F811
    page = page_as(users.secretary, viewport=PHONE)
    page.goto(live_server.url + reverse("party:organisation_list"))
    text = page.locator("main").inner_text()
    assert "江宁街区党支部" in text and "康定路党小组" in text
    assert "成都街区党支部" not in text and "威海街区党支部" not in text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "party-organisations-phone")

    page.goto(live_server.url + reverse("members:member_list"))
    text = page.locator("main").inner_text()
    assert all(m.name in text for m in party.west_members)
    assert not any(m.name in text for m in party.east_members)
    assert not FULL_PHONE.search(text)  # phones are masked
    shot(page, "party-members-phone")

    # Another branch's page is not there for them.
    response = page.goto(
        live_server.url + reverse("party:organisation_detail", args=[party.east.pk])
    )
    assert response.status == 404


def test_staff_open_a_branch_with_its_rule_findings(party, users, page_as, live_server):  # noqa: F811
    page = page_as(users.staff, viewport=DESKTOP)
    page.goto(live_server.url + reverse("party:organisation_detail", args=[party.east.pk]))
    text = page.locator("main").inner_text()
    # Two full members: fewer than the three a branch of its own needs, said with the rule.
    assert "成都街区党支部" in text and "3" in text and "支部工作条例" in text
    shot(page, "party-organisation-desktop")

    member = party.west_members[0]
    page.goto(live_server.url + reverse("members:member_detail", args=[member.pk]))
    text = page.locator("main").inner_text()
    assert member.name in text and not FULL_PHONE.search(text)
    shot(page, "party-member-desktop")

    # The menu groups the pages in sections that open on a click.
    page.click("details.navgroup:has-text('组织') summary")
    page.click("text=党组织")
    assert page.url.endswith(reverse("party:organisation_list"))
