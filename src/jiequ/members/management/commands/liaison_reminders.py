"""`jiequ liaison_reminders [--date YYYY-MM-DD]`: the daily reminder of mobile-member reports.

Marks introduction letters past their validity as expired, then prints, per organisation, the
mobile members whose report to their home organisation is overdue or due within 30 days, and
the transfers that are overdue. The text is also the command's return value (call_command),
for the outbox that will send it (a later issue); until then it goes to the console.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jiequ.members import liaison, transfers
from jiequ.members.models import Transfer


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD / a date is YYYY-MM-DD: {text}") from exc


class Command(BaseCommand):
    help = (
        "每日提醒：流动党员情况通报到期、组织关系转接逾期 / Daily reminder: mobile-member "
        "reports coming due and overdue transfers, per organisation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_date, help="the day to remind for (default: today)")
        parser.add_argument(
            "--within",
            type=int,
            default=liaison.WARNING_DAYS,
            help=f"days ahead a report counts as due (default {liaison.WARNING_DAYS})",
        )

    def handle(self, *args, **options) -> str:
        today = options["date"] or timezone.localdate()
        expired = transfers.expire_overdue(today)
        lines = [f"{today:%Y-%m-%d} 流动党员情况通报提醒"]
        grouped = liaison.reminders(today, options["within"])
        for organisation, dues in grouped.items():
            lines.append(f"【{organisation}】{len(dues)} 人")
            for due in dues:
                if due.overdue:
                    when = f"已逾期 {due.days_overdue} 天"
                else:
                    when = f"{due.days_left} 天后到期"
                last = due.last_report_on.isoformat() if due.last_report_on else "尚无通报"
                lines.append(
                    f"  {due.member.name}：应于 {due.due_on:%Y-%m-%d} 前向"
                    f"{due.member.record_held_by}通报（{when}；上次 {last}）"
                )
        if not grouped:
            lines.append("没有到期的流动党员情况通报。")
        overdue = transfers.overdue(
            Transfer.objects.select_related("member", "organisation"), today
        )
        if expired:
            lines.append(f"今日有 {expired} 份介绍信超过有效期，已标记为过期。")
        if overdue:
            lines.append(f"逾期的组织关系转接 {len(overdue)} 件：")
            for t in overdue:
                lines.append(
                    f"  【{t.organisation}】{t.member.name} {t.get_direction_display()} "
                    f"介绍信 {t.letter_number}（{t.get_state_display()}）"
                )
        return "\n".join(lines)
