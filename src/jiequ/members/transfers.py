"""Transfers of membership records (组织关系转接) with an introduction letter, as a state machine.

    issued ──complete──▶ completed   (out: the return slip is back, the member leaves;
       │                              in: the record is now held here by our organisation)
       ├──cancel────▶ cancelled      (with a reason)
       └──expire────▶ expired        (past issued_on + valid_days without completion;
                        │              `expire_overdue(today)`, run daily and by the list)
                        └──cancel──▶ cancelled (the matter closed, with a reason)

Every transition saves through the model with a change reason, so it is in the history.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Member, RecordLocation, Transfer, TransferDirection, TransferState

# Which states a transfer may move to from each state.
ALLOWED: dict[str, set[str]] = {
    TransferState.ISSUED: {TransferState.COMPLETED, TransferState.CANCELLED, TransferState.EXPIRED},
    TransferState.EXPIRED: {TransferState.CANCELLED},
}


class TransferError(ValueError):
    """A transfer or transition that is refused; the message says why."""


def valid_until(transfer: Transfer) -> date:
    """The last day the introduction letter is valid."""
    return transfer.valid_until


def past_validity(transfer: Transfer, today: date | None = None) -> bool:
    return valid_until(transfer) < (today or timezone.localdate())


def can_move(transfer: Transfer, target: str) -> bool:
    return target in ALLOWED.get(transfer.state, set())


def _check(transfer: Transfer, target: str) -> None:
    if not can_move(transfer, target):
        raise TransferError(
            _("A transfer that is “%(state)s” cannot be marked “%(target)s”.")
            % {
                "state": transfer.get_state_display(),
                "target": TransferState(target).label,
            }
        )


def check_new(member: Member, direction: str, *, exclude_pk: int | None = None) -> None:
    """Refuse a transfer that cannot start: a member who left, a record already where the
    transfer would take it, or a letter already open for the member."""
    if not member.is_active:
        raise TransferError(_("%(name)s has left; a transfer cannot be issued.") % {"name": member})
    if direction == TransferDirection.OUT and member.record_location != RecordLocation.HERE:
        raise TransferError(
            _(
                "%(name)s's membership record is held elsewhere; only a record held here can "
                "be transferred out."
            )
            % {"name": member}
        )
    if direction == TransferDirection.IN and member.record_location == RecordLocation.HERE:
        raise TransferError(
            _("%(name)s's membership record is already held here.") % {"name": member}
        )
    open_transfers = Transfer.objects.filter(member=member, state=TransferState.ISSUED)
    if exclude_pk:
        open_transfers = open_transfers.exclude(pk=exclude_pk)
    existing = open_transfers.first()
    if existing is not None:
        raise TransferError(
            _(
                "%(name)s already has an open transfer (letter %(letter)s); complete or cancel "
                "it first."
            )
            % {"name": member, "letter": existing.letter_number}
        )


def letter_taken(direction: str, letter_number: str, exclude_pk: int | None = None) -> bool:
    others = Transfer.objects.filter(direction=direction, letter_number=letter_number.strip())
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _save(obj: models.Model, reason: str, by: Any) -> None:
    obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.save()


def complete(
    transfer: Transfer,
    *,
    on: date,
    by: Any = None,
    returned_on: date | None = None,
    left_reason: str = "",
    reason: str = "",
) -> Transfer:
    """Complete a transfer on `on`.

    Out: the return slip's date is required; the member leaves on `on`.
    In: the member's record is from now on held here by our organisation.
    """
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().select_related("member").get(pk=transfer.pk)
        _check(transfer, TransferState.COMPLETED)
        if on > timezone.localdate():
            raise TransferError(_("A transfer cannot be completed on a date in the future."))
        if on < transfer.issued_on:
            raise TransferError(_("A transfer cannot be completed before its letter was issued."))
        member = transfer.member
        if transfer.direction == TransferDirection.OUT:
            if returned_on is None:
                raise TransferError(
                    _("Give the date the return slip came back to complete a transfer out.")
                )
            if returned_on < transfer.issued_on:
                raise TransferError(
                    _("The return slip cannot be dated before the letter was issued.")
                )
            member.left_on = on
            member.left_reason = (left_reason or "").strip() or _(
                "Membership record transferred out to %(org)s"
            ) % {"org": transfer.counterpart}
            _save(
                member,
                _("Transferred out with letter %(letter)s") % {"letter": transfer.letter_number},
                by,
            )
        else:
            member.record_location = RecordLocation.HERE
            member.record_organisation = transfer.organisation
            member.record_elsewhere_name = ""
            member.record_province = ""
            member.record_city = ""
            _save(
                member,
                _("Membership record transferred in with letter %(letter)s")
                % {"letter": transfer.letter_number},
                by,
            )
        transfer.state = TransferState.COMPLETED
        transfer.closed_on = on
        transfer.returned_on = returned_on
        transfer.closing_reason = reason.strip()
        _save(transfer, reason.strip() or _("Completed"), by)
    return transfer


def cancel(transfer: Transfer, *, reason: str, by: Any = None, on: date | None = None) -> Transfer:
    """Cancel an open (or close an expired) transfer; a reason is required."""
    reason = (reason or "").strip()
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        _check(transfer, TransferState.CANCELLED)
        if not reason:
            raise TransferError(_("Give the reason for cancelling the transfer."))
        transfer.state = TransferState.CANCELLED
        transfer.closed_on = on or timezone.localdate()
        transfer.closing_reason = reason
        _save(transfer, reason, by)
    return transfer


def expire_overdue(today: date | None = None) -> int:
    """Mark every issued letter past its validity as expired; returns how many."""
    today = today or timezone.localdate()
    count = 0
    for transfer in Transfer.objects.filter(state=TransferState.ISSUED):
        if not past_validity(transfer, today):
            continue
        with transaction.atomic():
            fresh = Transfer.objects.select_for_update().get(pk=transfer.pk)
            if fresh.state != TransferState.ISSUED:
                continue
            fresh.state = TransferState.EXPIRED
            fresh.closed_on = valid_until(fresh) + timedelta(days=1)
            fresh.closing_reason = _(
                "Not completed within the letter's %(days)d days of validity"
            ) % {"days": fresh.valid_days}
            _save(fresh, fresh.closing_reason, None)
            count += 1
    return count


def overdue(queryset: models.QuerySet, today: date | None = None) -> models.QuerySet:
    """Transfers that need someone to act:

    - letters still open past their validity (before the daily expiry marks them),
    - expired letters the member has no newer transfer for (re-issue, or close with a reason),
    - transfers out completed without the return slip.
    """
    today = today or timezone.localdate()
    open_past = [
        pk
        for pk, issued_on, valid_days in queryset.filter(state=TransferState.ISSUED).values_list(
            "pk", "issued_on", "valid_days"
        )
        if issued_on + timedelta(days=valid_days) < today
    ]
    newer = Transfer.objects.filter(
        member=OuterRef("member"),
        direction=OuterRef("direction"),
        created_at__gt=OuterRef("created_at"),
    )
    return (
        queryset.annotate(reissued=Exists(newer))
        .filter(
            Q(pk__in=open_past)
            | Q(state=TransferState.EXPIRED, reissued=False)
            | Q(
                direction=TransferDirection.OUT,
                state=TransferState.COMPLETED,
                returned_on__isnull=True,
            )
        )
        .order_by("issued_on")
    )
