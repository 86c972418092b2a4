"""Volunteer tasks: sign-ups and assignment within the places, cancellations, service hours.

Every change runs in one transaction that first locks the task row, so two people taking the
last place at the same moment cannot both have it: the second is refused with a message.
Hours are confirmed by staff; a volunteer may report their hours, which staff then confirm or
correct. Only confirmed hours count in the figures.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .fields import contains
from .models import (
    HOLDING_STATES,
    SignupSource,
    SignupState,
    TaskSignup,
    Volunteer,
    VolunteerState,
    VolunteerTask,
)
from .signup import VolunteerError

MAX_HOURS = Decimal("24")


def _lock(task: VolunteerTask) -> VolunteerTask:
    return VolunteerTask.objects.select_for_update().get(pk=task.pk)


def sign_up(task: VolunteerTask, volunteer: Volunteer, *, by: Any = None) -> TaskSignup:
    """Put `volunteer` on `task`: by themselves (by=None) or assigned by staff (by=user)."""
    with transaction.atomic():
        task = _lock(task)
        volunteer = Volunteer.objects.get(pk=volunteer.pk)
        if task.is_cancelled:
            raise VolunteerError(_("This task has been cancelled."))
        if by is None and task.starts_at <= timezone.now():
            raise VolunteerError(_("This task has already started; sign-up is closed."))
        if volunteer.state != VolunteerState.ACTIVE:
            raise VolunteerError(
                _("Only confirmed volunteers can take tasks; “%(name)s” is %(state)s.")
                % {"name": volunteer, "state": volunteer.get_state_display()}
            )
        existing = TaskSignup.objects.filter(task=task, volunteer=volunteer).first()
        if existing is not None and existing.state in HOLDING_STATES:
            if by is not None and existing.state == SignupState.SIGNED_UP:
                existing.state = SignupState.ASSIGNED
                existing._change_reason = pgettext("volunteer task", "Assigned")
                existing.save()
                return existing
            raise VolunteerError(_("%(name)s is already on this task.") % {"name": volunteer})
        taken = task.signups.filter(state__in=HOLDING_STATES).count()
        if taken >= task.places:
            raise VolunteerError(
                _("This task is full: all %(n)d places are taken.") % {"n": task.places}
            )
        state = SignupState.SIGNED_UP if by is None else SignupState.ASSIGNED
        source = SignupSource.SELF if by is None else SignupSource.STAFF
        if existing is not None:  # cancelled or absent before: the same row comes back
            existing.state, existing.source = state, source
            existing.hours = existing.reported_hours = None
            existing.confirmed_by = existing.confirmed_at = None
            existing._change_reason = _("Signed up again")
            existing.save()
            return existing
        return TaskSignup.objects.create(task=task, volunteer=volunteer, state=state, source=source)


def cancel(signup: TaskSignup, *, by: Any = None) -> TaskSignup:
    """Take a volunteer off a task, freeing the place. A volunteer cannot once it started."""
    with transaction.atomic():
        _lock(signup.task)
        signup = TaskSignup.objects.select_related("task").get(pk=signup.pk)
        if signup.state not in (SignupState.SIGNED_UP, SignupState.ASSIGNED):
            raise VolunteerError(_("This sign-up cannot be cancelled any more."))
        if by is None and signup.task.starts_at <= timezone.now():
            raise VolunteerError(_("The task has started; ask the organiser if you cannot come."))
        signup.state = SignupState.CANCELLED
        signup._change_reason = _("Cancelled by staff") if by else _("Cancelled by the volunteer")
        signup.save()
        return signup


def parse_hours(value: Any) -> Decimal:
    """Hours as typed ("2", "2.5", "２．５") → Decimal, or VolunteerError with the reason."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    try:
        hours = Decimal(text).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise VolunteerError(_("Write the hours as a number, e.g. 2 or 2.5.")) from None
    if hours <= 0 or hours > MAX_HOURS:
        raise VolunteerError(_("Hours must be more than 0 and at most 24."))
    return hours


def record_hours(signup: TaskSignup, hours: Any, *, by: Any) -> TaskSignup:
    """Staff confirm that the volunteer served, with their hours."""
    value = parse_hours(hours)
    with transaction.atomic():
        _lock(signup.task)
        signup = TaskSignup.objects.select_related("task").get(pk=signup.pk)
        if signup.state == SignupState.CANCELLED:
            raise VolunteerError(_("This sign-up was cancelled; assign the volunteer again."))
        if signup.task.starts_at > timezone.now():
            raise VolunteerError(_("Hours can be recorded once the task has started."))
        signup.state = SignupState.SERVED
        signup.hours = value
        signup.confirmed_by = by
        signup.confirmed_at = timezone.now()
        signup._change_reason = _("Hours confirmed")
        signup.save()
        return signup


def mark_absent(signup: TaskSignup, *, by: Any) -> TaskSignup:
    with transaction.atomic():
        _lock(signup.task)
        signup = TaskSignup.objects.select_related("task").get(pk=signup.pk)
        if signup.task.starts_at > timezone.now():
            raise VolunteerError(_("The task has not started yet."))
        if signup.state == SignupState.CANCELLED:
            raise VolunteerError(_("This sign-up was cancelled."))
        signup.state = SignupState.ABSENT
        signup.hours = None
        signup.confirmed_by = by
        signup.confirmed_at = timezone.now()
        signup._change_reason = _("Did not come")
        signup.save()
        return signup


def report_hours(signup: TaskSignup, hours: Any) -> TaskSignup:
    """The volunteer reports the hours they served; staff confirm them later."""
    value = parse_hours(hours)
    with transaction.atomic():
        signup = TaskSignup.objects.select_for_update().select_related("task").get(pk=signup.pk)
        if signup.state not in (SignupState.SIGNED_UP, SignupState.ASSIGNED):
            raise VolunteerError(_("These hours have already been settled."))
        if signup.task.starts_at > timezone.now():
            raise VolunteerError(_("You can report hours once the task has started."))
        signup.reported_hours = value
        signup._change_reason = _("Hours reported by the volunteer")
        signup.save()
        return signup


HOURS = DecimalField(max_digits=7, decimal_places=1)


def with_counts(tasks: QuerySet) -> QuerySet:
    """Tasks annotated with the places taken and the hours confirmed (for lists)."""
    return tasks.annotate(
        taken_count=Count("signups", filter=Q(signups__state__in=HOLDING_STATES)),
        # 0, not None, for a task without hours: the model reads None as "not annotated".
        confirmed_hours=Coalesce(Sum("signups__hours"), Value(Decimal("0")), output_field=HOURS),
    )


def open_tasks(tasks: QuerySet) -> QuerySet:
    """Tasks still to come, not cancelled, with a free place."""
    return (
        with_counts(tasks.filter(is_cancelled=False, starts_at__gt=timezone.now()))
        .filter(taken_count__lt=F("places"))
        .order_by("starts_at")
    )


def slot_of(task: VolunteerTask) -> str:
    """The availability slot a task starts in, e.g. "5am" (Saturday morning)."""
    start = timezone.localtime(task.starts_at)
    part = "am" if start.hour < 12 else "pm" if start.hour < 18 else "ev"
    return f"{start.weekday()}{part}"


def suggestions(task: VolunteerTask, volunteers: QuerySet, limit: int = 30) -> list[Volunteer]:
    """Active volunteers not yet on the task, best first: free at that time, with the skills
    wanted, near the task's point, fewest hours served so far (spreading the work)."""
    on_task = task.signups.filter(state__in=HOLDING_STATES).values("volunteer_id")
    candidates = volunteers.filter(state=VolunteerState.ACTIVE).exclude(pk__in=on_task)
    slot = slot_of(task)
    wanted = list(task.skills_wanted)
    skill_q = Q()
    for key in wanted:
        skill_q |= contains("skills", key)
    scored = candidates.annotate(
        free=Case(
            When(contains("availability", slot), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        skilled=Case(When(skill_q, then=Value(1)), default=Value(0), output_field=IntegerField())
        if wanted
        else Value(0, output_field=IntegerField()),
        near=Case(
            When(point_id=task.point_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if task.point_id
        else Value(0, output_field=IntegerField()),
        # 0, not None, for a task without hours: the model reads None as "not annotated".
        confirmed_hours=Coalesce(Sum("signups__hours"), Value(Decimal("0")), output_field=HOURS),
    )
    return list(scored.order_by("-free", "-skilled", "-near", "confirmed_hours", "pk")[:limit])
