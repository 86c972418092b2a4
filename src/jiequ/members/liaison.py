"""Mobile members (流动党员): reports to the home organisation, when the next one is due, and
mobile-member certificates that are about to run out.

A mobile member's record stays with an organisation elsewhere; the organisation here reports on
them to it at least every `liaison_interval_days` (a rule, see jiequ.party.rules). The next
report is due that many days after the last one, or, before the first, after the member's
check-in (报到) or their entry into the system.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.party import rules

from .models import LiaisonReport, Member, RecordLocation

# How far ahead a report or a certificate is flagged as coming due.
WARNING_DAYS = 30


class LiaisonError(ValueError):
    """A report that cannot be recorded; the message says why."""


def interval_days(member: Member) -> int:
    region = member.organisation.region if member.organisation_id else None
    return int(rules.value("liaison_interval_days", region))


def _last_report(member: Member) -> date | None:
    if hasattr(member, "last_report_on"):
        return member.last_report_on
    return member.liaison_reports.aggregate(last=Max("reported_on"))["last"]


def next_due(member: Member, interval: int | None = None) -> date:
    """When the next report on this member to their home organisation is due."""
    entered = timezone.localdate(member.created_at) if member.created_at else timezone.localdate()
    base = _last_report(member) or member.checked_in_on or entered
    return base + timedelta(days=interval if interval is not None else interval_days(member))


@dataclass
class Due:
    member: Member
    due_on: date
    last_report_on: date | None
    today: date

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today


def mobile_members(queryset: models.QuerySet) -> models.QuerySet:
    """The mobile members (record elsewhere) of `queryset` who are still members here."""
    return queryset.filter(record_location=RecordLocation.ELSEWHERE, left_on__isnull=True)


def due_list(
    queryset: models.QuerySet, today: date | None = None, within_days: int = WARNING_DAYS
) -> list[Due]:
    """Mobile members of `queryset` whose report is overdue or due within `within_days`,
    the most overdue first."""
    today = today or timezone.localdate()
    members = (
        mobile_members(queryset)
        .select_related("organisation__region")
        .annotate(last_report_on=Max("liaison_reports__reported_on"))
    )
    values = rules.RuleValues()  # every subdistrict's interval from one query
    dues = []
    for member in members:
        region = member.organisation.region if member.organisation_id else None
        due_on = next_due(member, int(values("liaison_interval_days", region)))
        if due_on <= today + timedelta(days=within_days):
            dues.append(Due(member, due_on, member.last_report_on, today))
    dues.sort(key=lambda d: (d.due_on, d.member.name))
    return dues


def certificate_state(member: Member, today: date | None = None) -> str:
    """ "expired", "expiring" (within WARNING_DAYS) or "" for a mobile-member certificate."""
    until = member.mobile_certificate_valid_until
    if until is None:
        return ""
    today = today or timezone.localdate()
    if until < today:
        return "expired"
    if until <= today + timedelta(days=WARNING_DAYS):
        return "expiring"
    return ""


def certificates_to_renew(queryset: models.QuerySet, today: date | None = None) -> list[Member]:
    """Active members whose mobile-member certificate has run out or runs out soon."""
    today = today or timezone.localdate()
    return list(
        queryset.filter(
            left_on__isnull=True,
            mobile_certificate_valid_until__lte=today + timedelta(days=WARNING_DAYS),
        )
        .select_related("organisation")
        .order_by("mobile_certificate_valid_until", "name")
    )


def add_report(
    member: Member,
    *,
    reported_on: date,
    channel: str,
    summary: str,
    by: Any = None,
) -> LiaisonReport:
    """Record a report to a mobile member's home organisation."""
    if not member.is_mobile:
        raise LiaisonError(
            _(
                "Reports to a home organisation are kept for mobile members only: this "
                "member's record is held here."
            )
        )
    if reported_on > timezone.localdate():
        raise LiaisonError(_("A report cannot be dated in the future."))
    report = LiaisonReport(
        member=member, reported_on=reported_on, channel=channel, summary=summary, recorded_by=by
    )
    if by is not None:
        report._history_user = by
    report.save()
    return report


def reminders(today: date | None = None, within_days: int = WARNING_DAYS) -> dict[Any, list[Due]]:
    """The daily reminder: every organisation's mobile members whose report is coming due."""
    grouped: dict[Any, list[Due]] = defaultdict(list)
    for due in due_list(Member.objects.all(), today, within_days):
        grouped[due.member.organisation].append(due)
    return dict(sorted(grouped.items(), key=lambda item: item[0].name))
