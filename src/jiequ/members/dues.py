"""Party dues (党费): the monthly amount from the official brackets, payments, the paid-up month.

The brackets and the flat amount come from `jiequ.party.rules` (dues_employed_brackets,
dues_retired_brackets, dues_flat_yuan): a member in work pays a percentage of the whole monthly
after-tax pay, the percentage chosen by the bracket the pay falls in (not a progressive tax);
retirees likewise on their pension; students, members without work or on low income pay a flat
amount. Amounts are rounded to the fen (0.01 yuan), half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.party import rules

from .models import DuesCategory, DuesPayment, Member

if TYPE_CHECKING:
    from jiequ.areas.models import Region

CENT = Decimal("0.01")

MISSING_BASE = gettext_lazy(
    "Enter the member's monthly after-tax pay (or pension) on their record to work out the dues."
)


class DuesError(ValueError):
    """A payment that cannot be recorded; the message says why, in the user's language."""


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str | None) -> date | None:
    """ "2025-03" → date(2025, 3, 1); anything else → None."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def _region(member: Member, region: Region | None) -> Region | None:
    if region is not None:
        return region
    return member.organisation.region if member.organisation_id else None


def monthly_dues(member: Member, region: Region | None = None) -> Decimal | None:
    """The member's monthly dues in yuan, or None if their pay (or pension) is not entered."""
    region = _region(member, region)
    if member.dues_category == DuesCategory.FLAT:
        return rules.decimal_value("dues_flat_yuan", region).quantize(CENT, ROUND_HALF_UP)
    if member.dues_base is None:
        return None
    key = (
        "dues_retired_brackets"
        if member.dues_category == DuesCategory.RETIRED
        else "dues_employed_brackets"
    )
    base = Decimal(member.dues_base)
    table = rules.value(key, region)
    percent = Decimal(str(table[-1][1]))
    for limit, bracket_percent in table:
        if limit is None or base <= Decimal(str(limit)):
            percent = Decimal(str(bracket_percent))
            break
    return (base * percent / 100).quantize(CENT, ROUND_HALF_UP)


def dues_note(member: Member) -> str:
    """Why the dues cannot be worked out ("" when they can)."""
    if member.dues_category != DuesCategory.FLAT and member.dues_base is None:
        return str(MISSING_BASE)
    return ""


def paid_up_to(member: Member) -> date | None:
    """The last month of the unbroken run of payments from the first one (None: never paid)."""
    months = sorted(set(DuesPayment.objects.filter(member=member).values_list("month", flat=True)))
    if not months:
        return None
    last = months[0]
    for month in months[1:]:
        if month != add_months(last, 1):
            break
        last = month
    return last


def record_payment(
    member: Member,
    month: date,
    *,
    by: Any = None,
    amount: Decimal | None = None,
    paid_on: date | None = None,
) -> DuesPayment:
    """Record that `member` paid the dues of `month` (once per month; the amount defaults to
    the monthly dues)."""
    month = month_start(month)
    if amount is None:
        amount = monthly_dues(member)
        if amount is None:
            raise DuesError(f"{member}: {MISSING_BASE}")
    if amount <= 0:
        raise DuesError(_("The amount must be more than zero."))
    payment = DuesPayment(
        member=member,
        month=month,
        amount=amount,
        paid_on=paid_on or timezone.localdate(),
        recorded_by=by,
    )
    if by is not None:
        payment._history_user = by
    try:
        with transaction.atomic():
            if DuesPayment.objects.filter(member=member, month=month).exists():
                raise IntegrityError
            payment.save()
    except IntegrityError:
        raise DuesError(
            _("%(name)s has already paid the dues for %(month)s.")
            % {"name": member, "month": f"{month:%Y-%m}"}
        ) from None
    return payment


@dataclass
class DuesRow:
    member: Member
    dues: Decimal | None
    payment: DuesPayment | None

    @property
    def paid(self) -> bool:
        return self.payment is not None


@dataclass
class DuesSheet:
    month: date
    rows: list[DuesRow]

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.paid)

    @property
    def unpaid_count(self) -> int:
        return len(self.rows) - self.paid_count

    @property
    def paid_total(self) -> Decimal:
        return sum((r.payment.amount for r in self.rows if r.payment), Decimal("0.00"))

    @property
    def due_total(self) -> Decimal:
        return sum((r.dues for r in self.rows if r.dues is not None), Decimal("0.00"))

    @property
    def unpaid_total(self) -> Decimal:
        return sum(
            (r.dues for r in self.rows if not r.paid and r.dues is not None), Decimal("0.00")
        )

    @property
    def unknown_count(self) -> int:
        """Members whose dues cannot be worked out (no pay entered)."""
        return sum(1 for r in self.rows if r.dues is None)


def dues_sheet(members: Any, month: date, region: Region | None = None) -> DuesSheet:
    """Every member of `members` with their monthly dues and their payment for `month`."""
    month = month_start(month)
    members = list(members)
    payments = {
        p.member_id: p
        for p in DuesPayment.objects.filter(member__in=[m.pk for m in members], month=month)
    }
    rows = [DuesRow(m, monthly_dues(m, region), payments.get(m.pk)) for m in members]
    return DuesSheet(month=month, rows=rows)
