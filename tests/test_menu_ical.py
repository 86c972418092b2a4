"""Each organisation's calendar feed of the menu: a secret link, Shanghai times, stable UIDs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from jiequ.positions import ical
from jiequ.positions.models import MenuFeed

from .factories_positions import ActivityFactory, at


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def events(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_what_the_organisations_members_may_join(party, client):
    for_all = ActivityFactory(organiser=party.committee, title="全体党员活动", starts_at=at(2, 19))
    for_west = ActivityFactory(
        organiser=party.committee,
        title="江宁支部活动",
        audience="organisation",
        audience_organisation=party.west,
    )
    for_east = ActivityFactory(
        organiser=party.committee,
        title="成都支部活动",
        audience="organisation",
        audience_organisation=party.east,
    )
    feed = ical.feed_for(party.group)  # a Party group under the west branch
    url = reverse("positions:feed", args=[party.group.pk, feed.token])
    assert url.endswith(".ics") and "/positions/menu/" in url
    response = client.get(url)  # no login
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    assert set(found) == {ical.uid(for_all), ical.uid(for_west)}
    assert ical.uid(for_east) not in found
    event = found[ical.uid(for_all)]
    start = event.decoded("dtstart")
    assert start.astimezone(ZoneInfo("Asia/Shanghai")).hour == 19
    assert start == for_all.starts_at
    body = response.content.decode()
    assert "BEGIN:VTIMEZONE" in body and "TZID:Asia/Shanghai" in body
    assert "DTSTART;TZID=Asia/Shanghai:" in body
    assert "全体党员活动" in body


def test_uid_is_stable_when_the_activity_moves(party, client):
    activity = ActivityFactory(organiser=party.committee, starts_at=at(3, 9))
    feed = ical.feed_for(party.west)
    url = reverse("positions:feed", args=[party.west.pk, feed.token])
    before = events(client.get(url).content)[ical.uid(activity)]
    activity.starts_at = at(4, 14)
    activity.ends_at = activity.starts_at + dt.timedelta(hours=1)
    activity.save()
    after = events(client.get(url).content)
    assert list(after) == [ical.uid(activity)]
    assert after[ical.uid(activity)].decoded("dtstart") == at(4, 14)
    assert int(after[ical.uid(activity)]["sequence"]) >= int(before["sequence"])


def test_a_wrong_token_or_organisation_is_not_found(party, client):
    feed = ical.feed_for(party.west)
    other = ical.feed_for(party.east)
    assert client.get(reverse("positions:feed", args=[party.west.pk, "guess"])).status_code == 404
    wrong_org = client.get(reverse("positions:feed", args=[party.west.pk, other.token]))
    assert wrong_org.status_code == 404
    assert (
        client.get(reverse("positions:feed", args=[party.west.pk, feed.token])).status_code == 200
    )


def test_guessing_is_throttled(party, client, settings):
    ical.feed_for(party.west)
    codes = [
        client.get(reverse("positions:feed", args=[party.west.pk, f"guess{i}"])).status_code
        for i in range(25)
    ]
    assert codes[:20] == [404] * 20 and 429 in codes[20:]


def test_rotating_the_token_kills_the_old_link(party, users, login, client):
    feed = ical.feed_for(party.west)
    old = feed.token
    staff = login(users.staff)
    staff.post(reverse("positions:feed_make", args=[party.west.pk]), {"rotate": "1"})
    feed.refresh_from_db()
    assert feed.token != old
    assert client.get(reverse("positions:feed", args=[party.west.pk, old])).status_code == 404


def test_feed_links_page_is_scoped(party, users, login):
    page = login(users.secretary).get(reverse("positions:feed_list"))
    names = {row["organisation"] for row in page.context["rows"]}
    assert names == {party.west, party.group}
    response = login(users.secretary).post(reverse("positions:feed_make", args=[party.east.pk]))
    assert response.status_code == 404
    login(users.secretary).post(reverse("positions:feed_make", args=[party.west.pk]))
    assert MenuFeed.objects.filter(organisation=party.west).exists()
    assert login(users.member).get(reverse("positions:feed_list")).status_code == 403
