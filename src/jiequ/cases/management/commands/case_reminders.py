"""`jiequ case_reminders [--date YYYY-MM-DD]`: the daily reminder of overdue and due cases.

One message per person through the outbox ("notice" channel): their overdue cases and those
due today or on the next working day. Assigned cases go to the assignee; unassigned ones to the
branch secretaries (branch or council level) or the grid workers (grid consultation). The
outbox's idempotency key is per person and day, so running the command twice a day sends once.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiequ.cases import deadlines, services


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD / a date is YYYY-MM-DD: {text}") from exc


def _item(case, today: date) -> dict:
    return {
        "number": case.number,
        "title": case.title,
        "level": case.get_level_display(),
        "state": case.get_state_display(),
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "working_days_late": deadlines.working_days_between(case.due_on, today)
        if case.due_on
        else 0,
        "url": reverse("cases:case_detail", args=[case.pk]),
    }


class Command(BaseCommand):
    help = (
        "每日提醒：逾期和即将到期的诉求，每人一条消息 / Daily reminder of overdue cases and "
        "cases due by the next working day, one message per person through the outbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_date, help="the day to remind for (default: today)")

    def handle(self, *args, **options) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self._run(options["date"] or timezone.localdate())

    def _run(self, today: date) -> str:
        enqueue = import_module("jiequ.outbox.services").enqueue
        next_day = deadlines.next_working_day(today)
        lines = [_("%(date)s case reminders") % {"date": today.isoformat()}]
        for username, entry in sorted(services.reminders(today).items()):
            late, soon = entry["overdue"], entry["due_soon"]
            subject = _("Cases: %(late)d overdue, %(soon)d due by %(next)s") % {
                "late": len(late),
                "soon": len(soon),
                "next": next_day.isoformat(),
            }
            payload = {
                "date": today.isoformat(),
                "next_working_day": next_day.isoformat(),
                "overdue": [_item(c, today) for c in late],
                "due_soon": [_item(c, today) for c in soon],
                "list_url": reverse("cases:overdue"),
            }
            with transaction.atomic():
                enqueue(
                    "notice",
                    username,
                    subject,
                    payload,
                    idempotency_key=f"case-reminder-{username}-{today.isoformat()}",
                )
            lines.append(f"{entry['user']} ({username}): {subject}")
        if len(lines) == 1:
            lines.append(_("No case is overdue or due by the next working day."))
        return "\n".join(lines)
