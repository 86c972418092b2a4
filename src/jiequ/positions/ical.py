"""An organisation's menu as an iCalendar feed that calendar apps subscribe to.

The link carries the organisation's secret token (MenuFeed), so a phone's calendar can fetch
it without logging in. Times are Asia/Shanghai with the VTIMEZONE included; each activity keeps
one UID, so a moved activity updates the same calendar entry instead of adding a second.
"""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from jiequ.party.models import Organisation

from .models import Activity, Audience, MenuFeed

PAST_DAYS = 30
AHEAD_DAYS = 120


def new_token() -> str:
    return secrets.token_urlsafe(24)


def feed_for(organisation: Organisation) -> MenuFeed:
    """The organisation's feed, made on first use."""
    feed = MenuFeed.objects.filter(organisation=organisation).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return MenuFeed.objects.create(organisation=organisation, token=new_token())
    except IntegrityError:  # made at the same moment by someone else
        return MenuFeed.objects.get(organisation=organisation)


def rotate(feed: MenuFeed) -> MenuFeed:
    """A new token: the old link stops working (when it has been passed around too widely)."""
    feed.token = new_token()
    feed.save(update_fields=["token", "updated_at"])
    return feed


def find_feed(organisation_id: int, token: str) -> MenuFeed | None:
    feed = (
        MenuFeed.objects.select_related("organisation__region")
        .filter(organisation_id=organisation_id)
        .first()
    )
    if feed is None or not secrets.compare_digest(feed.token.encode(), (token or "").encode()):
        return None
    return feed


def activities_for(organisation: Organisation, now: dt.datetime | None = None) -> QuerySet:
    """What the organisation's members may sign up for: the subdistrict's activities open to
    all members or to everyone, those for this organisation or one above it, and its own."""
    now = now or timezone.now()
    region = organisation.region
    subdistrict = region.subdistrict or region
    above = _ancestor_ids(organisation)
    return (
        Activity.objects.filter(
            subdistrict=subdistrict,
            starts_at__gte=now - dt.timedelta(days=PAST_DAYS),
            starts_at__lt=now + dt.timedelta(days=AHEAD_DAYS),
        )
        .filter(
            Q(audience__in=[Audience.ALL_MEMBERS, Audience.OPEN])
            | Q(audience_organisation_id__in=above)
            | Q(organiser=organisation)
        )
        .select_related("room__position", "organiser")
        .order_by("starts_at", "pk")
    )


def _ancestor_ids(organisation: Organisation) -> list[int]:
    ids, current = [], organisation
    while current is not None and len(ids) < 20:
        ids.append(current.pk)
        current = current.parent
    return ids


def uid(activity: Activity) -> str:
    """The same for an activity whatever changes in it (time, room, title)."""
    return f"menu-activity-{activity.pk}-{activity.subdistrict_id}@jiequ"


def summary(activity: Activity) -> str:
    kind = str(activity.get_kind_display())
    return activity.title if activity.title.startswith(kind) else f"【{kind}】{activity.title}"


def calendar_bytes(organisation: Organisation, activities: QuerySet | None = None) -> bytes:
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//Jiequ//Weekly menu//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{organisation.name} · {_('Weekly menu')}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for activity in activities if activities is not None else activities_for(organisation):
        event = Event()
        event.add("uid", uid(activity))
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.starts_at.astimezone(tz))
        event.add("dtend", activity.ends_at.astimezone(tz))
        event.add("summary", summary(activity))
        event.add("location", activity.place_text)
        facts = _("Organiser: %(organiser)s; places: %(n)d") % {
            "organiser": activity.organiser,
            "n": activity.capacity,
        }
        event.add("description", f"{activity.description}\n{facts}".strip())
        event.add("last-modified", activity.updated_at)
        # Calendar apps take a higher sequence as "this entry changed".
        event.add("sequence", int(activity.updated_at.timestamp()) // 60 % 2_000_000_000)
        event.add("categories", [activity.get_kind_display()])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
