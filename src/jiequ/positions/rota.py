"""The duty rota (轮值站长): who is station master of each position on each day it is open.

- `generate` fills a period from the position's pool, in turn, continuing after whoever was
  on duty last; days already assigned and days the position is closed are left alone.
- Swaps need the consent of both: A proposes (A's consent), B accepts (B's); then both duties
  change hands in one transaction. Staff may record either consent on a person's behalf (a
  department cadre has no account). A rota changed in the meantime voids the swap.
- Gaps: days the position is open without a master, flagged `GAP_HORIZON_DAYS` ahead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict

from .models import Duty, DutySwap, Position, RotaMember, SwapState

GAP_HORIZON_DAYS = 14
MAX_PERIOD_DAYS = 366


class RotaError(ValueError):
    """Refused: the message (already translated) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def open_days(position: Position, start: dt.date, end: dt.date) -> list[dt.date]:
    return [d for d in days_between(start, end) if position.hours_on(d) is not None]


def person_key(member_id: int | None, cadre_id: int | None) -> tuple[str, int]:
    return ("m", member_id) if member_id else ("c", cadre_id)


def generate(position: Position, start: dt.date, end: dt.date, user: Any = None) -> list[Duty]:
    """Masters for the open days of [start, end] that have none yet, from the pool in turn."""
    if end < start:
        raise RotaError(_("The period ends before it starts."))
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise RotaError(_("Generate at most a year at a time."))
    if start < timezone.localdate():
        raise RotaError(_("The rota can only be generated from today on."))
    with transaction.atomic():
        # One generation at a time per position: a second waits and then skips filled days.
        Position.objects.select_for_update().get(pk=position.pk)
        pool = list(
            RotaMember.objects.filter(position=position, is_active=True).order_by("order", "pk")
        )
        if not pool:
            raise RotaError(_("Put people into the position's pool of duty masters first."))
        keys = [person_key(p.member_id, p.cadre_id) for p in pool]
        last = Duty.objects.filter(position=position, day__lt=start).order_by("-day").first()
        turn = 0
        if last is not None:
            key = person_key(last.member_id, last.cadre_id)
            turn = keys.index(key) + 1 if key in keys else 0
        taken = set(
            Duty.objects.filter(position=position, day__gte=start, day__lte=end).values_list(
                "day", flat=True
            )
        )
        made = []
        for day in open_days(position, start, end):
            if day in taken:
                continue
            person = pool[turn % len(pool)]
            turn += 1
            duty = Duty(position=position, day=day, member=person.member, cadre=person.cadre)
            duty._change_reason = _("Generated from the pool")
            duty.save()
            made.append(duty)
    return made


def is_manager(user: Any, duty: Duty) -> bool:
    """May `user` change this duty (the position's staff)?"""
    return restrict(Duty.objects.filter(pk=duty.pk), user, "change").exists()


def assign(position: Position, day: dt.date, member: Any = None, cadre: Any = None) -> Duty:
    """Put one person on duty for `day` (replacing whoever was); the day must be open."""
    if (member is None) == (cadre is None):
        raise RotaError(_("Choose one member or one department cadre."))
    if position.hours_on(day) is None:
        raise RotaError(
            _("%(position)s is closed on %(day)s.") % {"position": position, "day": day}
        )
    with transaction.atomic():
        duty, _created = Duty.objects.select_for_update().get_or_create(
            position=position, day=day, defaults={"member": member, "cadre": cadre}
        )
        if not _created:
            duty.member, duty.cadre = member, cadre
            duty.save()
            _void_pending(duty, _("The rota was changed"))
    return duty


def _is_person(user: Any, member: Any) -> bool:
    return member is not None and user is not None and member.user_id == user.pk


def my_duties(user: Any) -> QuerySet[Duty]:
    """The duties of the member linked to `user`, from today on."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is None:
        return Duty.objects.none()
    return restrict(Duty.objects.all(), user).filter(member=member, day__gte=timezone.localdate())


def propose_swap(duty_a: Duty, duty_b: Duty, user: Any, note: str = "") -> DutySwap:
    """A (the holder of `duty_a`, or staff for them) asks B to swap days."""
    if duty_a.pk == duty_b.pk:
        raise RotaError(_("Choose two different duties."))
    if duty_a.position_id != duty_b.position_id:
        raise RotaError(_("Swaps are between duties of the same position."))
    if person_key(duty_a.member_id, duty_a.cadre_id) == person_key(
        duty_b.member_id, duty_b.cadre_id
    ):
        raise RotaError(_("Both duties are held by the same person."))
    today = timezone.localdate()
    if duty_a.day < today or duty_b.day < today:
        raise RotaError(_("Days that are past cannot be swapped."))
    if not (_is_person(user, duty_a.member) or is_manager(user, duty_a)):
        raise RotaError(
            _("Only the duty master themselves or the position's staff propose a swap.")
        )
    with transaction.atomic():
        locked = list(Duty.objects.select_for_update().filter(pk__in=[duty_a.pk, duty_b.pk]))
        if len(locked) != 2:
            raise RotaError(_("The rota has changed; reload the page."))
        pending = DutySwap.objects.filter(state=SwapState.PROPOSED).filter(
            Q(duty_a__in=locked) | Q(duty_b__in=locked)
        )
        if pending.exists():
            raise RotaError(_("One of these duties already has a swap waiting for an answer."))
        swap = DutySwap.objects.create(
            duty_a=duty_a,
            duty_b=duty_b,
            a_member=duty_a.member,
            a_cadre=duty_a.cadre,
            b_member=duty_b.member,
            b_cadre=duty_b.cadre,
            note=(note or "").strip()[:200],
            proposed_by=user,
        )
    return swap


def can_answer(user: Any, swap: DutySwap) -> bool:
    return _is_person(user, swap.b_member) or is_manager(user, swap.duty_b)


def can_withdraw(user: Any, swap: DutySwap) -> bool:
    return _is_person(user, swap.a_member) or is_manager(user, swap.duty_a)


@dataclass
class SwapResult:
    swap: DutySwap
    duty_a: Duty
    duty_b: Duty


def _unchanged(swap: DutySwap, a: Duty | None, b: Duty | None) -> bool:
    """Do both duties still have the holders they had when the swap was proposed?"""
    return (
        a is not None
        and b is not None
        and person_key(a.member_id, a.cadre_id) == person_key(swap.a_member_id, swap.a_cadre_id)
        and person_key(b.member_id, b.cadre_id) == person_key(swap.b_member_id, swap.b_cadre_id)
    )


def accept_swap(swap: DutySwap, user: Any) -> SwapResult:
    """B's consent: both duties change hands together, or nothing changes."""
    if not can_answer(user, swap):
        raise RotaError(_("Only the person asked (or the position's staff) can accept this swap."))
    refusal = None
    with transaction.atomic():
        locked = DutySwap.objects.select_for_update().get(pk=swap.pk)
        if locked.state != SwapState.PROPOSED:
            raise RotaError(
                _("This swap is already answered: %(state)s.")
                % {"state": locked.get_state_display()}
            )
        duties = {
            d.pk: d
            for d in Duty.objects.select_for_update()
            .filter(pk__in=[locked.duty_a_id, locked.duty_b_id])
            .order_by("pk")
        }
        a, b = duties.get(locked.duty_a_id), duties.get(locked.duty_b_id)
        if not _unchanged(locked, a, b):
            # Kept as void (this transaction commits); the refusal is raised after it.
            locked.state = SwapState.VOID
            locked.save()
            refusal = _("The rota changed since the swap was proposed; it no longer applies.")
        elif min(a.day, b.day) < timezone.localdate():
            raise RotaError(_("Days that are past cannot be swapped."))
        else:
            a.member, a.cadre = locked.b_member, locked.b_cadre
            b.member, b.cadre = locked.a_member, locked.a_cadre
            reason = _("Swap accepted by both")
            for duty in (a, b):
                duty._change_reason = reason
                duty.save()
            locked.state = SwapState.ACCEPTED
            locked.answered_by, locked.answered_at = user, timezone.now()
            locked.save()
            _void_pending(a, reason, keep=locked.pk)
            _void_pending(b, reason, keep=locked.pk)
    if refusal:
        raise RotaError(refusal)
    return SwapResult(locked, a, b)


def _void_pending(duty: Duty, reason: str, keep: int | None = None) -> None:
    for other in (
        DutySwap.objects.filter(state=SwapState.PROPOSED)
        .filter(Q(duty_a=duty) | Q(duty_b=duty))
        .exclude(pk=keep)
    ):
        other.state = SwapState.VOID
        other._change_reason = reason
        other.save()


def _answer(swap: DutySwap, user: Any, state: str) -> DutySwap:
    with transaction.atomic():
        locked = DutySwap.objects.select_for_update().get(pk=swap.pk)
        if locked.state != SwapState.PROPOSED:
            raise RotaError(
                _("This swap is already answered: %(state)s.")
                % {"state": locked.get_state_display()}
            )
        locked.state = state
        locked.answered_by, locked.answered_at = user, timezone.now()
        locked.save()
    return locked


def decline_swap(swap: DutySwap, user: Any) -> DutySwap:
    if not can_answer(user, swap):
        raise RotaError(_("Only the person asked (or the position's staff) can decline this swap."))
    return _answer(swap, user, SwapState.DECLINED)


def withdraw_swap(swap: DutySwap, user: Any) -> DutySwap:
    if not can_withdraw(user, swap):
        raise RotaError(_("Only who proposed the swap (or the position's staff) can withdraw it."))
    return _answer(swap, user, SwapState.WITHDRAWN)


@dataclass
class Gap:
    position: Position
    day: dt.date

    @property
    def days_ahead(self) -> int:
        return (self.day - timezone.localdate()).days


def gaps(
    positions: QuerySet[Position], start: dt.date | None = None, horizon: int = GAP_HORIZON_DAYS
) -> list[Gap]:
    """Open days from `start` (today) over the next `horizon` days with no master."""
    start = start or timezone.localdate()
    end = start + dt.timedelta(days=horizon - 1)
    positions = list(positions.filter(is_active=True).order_by("name"))
    filled = set(
        Duty.objects.filter(position__in=positions, day__gte=start, day__lte=end).values_list(
            "position_id", "day"
        )
    )
    return [
        Gap(p, day)
        for day in days_between(start, end)
        for p in positions
        if (p.pk, day) not in filled and p.hours_on(day) is not None
    ]
