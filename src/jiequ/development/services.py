"""Changing an application: adding one, recording a step, stopping it, extending probation.

Each function works in one transaction and either does everything or nothing: a step the rules
refuse raises `procedure.Refused` with the refusals and leaves no trace. Every change is saved
through the models with a reason, so it lands in the change history with who made it.
Step 17 (approval by the higher committee) creates the probationary member record; step 24
(approval of full membership) makes that member full.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core import crypto
from jiequ.ledger.models import Membership
from jiequ.members.models import ConsentSource, Member, RecordLocation

from . import procedure
from .models import Application, ApplicationStep, Stage
from .procedure import Refusal, Refused, RuleBook

REASON_LENGTH = 100  # django-simple-history keeps change reasons of up to 100 characters


def _stamp(obj: models.Model, by: Any, reason: str) -> None:
    """Who made the change and why, for the change history."""
    obj._change_reason = reason[:REASON_LENGTH]
    if by is not None and getattr(by, "pk", None):
        obj._history_user = by


def _forget(application: Application) -> None:
    """Drop what the caller's instance cached, so it reads the new state."""
    application.refresh_from_db()
    application.__dict__.pop("progress", None)
    getattr(application, "_prefetched_objects_cache", {}).pop("steps", None)


def _concurrent() -> Refused:
    return Refused(
        [
            Refusal(
                _("Someone recorded this at the same moment. Reload the page and check."),
                procedure.rule("steps_in_order"),
            )
        ]
    )


def create_application(
    *,
    organisation: Any,
    name: str,
    birth_date: date,
    phone: str,
    applied_on: date,
    by: Any = None,
    workplace: Any = None,
    consent_text: str = "",
    note: str = "",
    today: date | None = None,
) -> Application:
    """A new application with its step 1 (the letter handed in on `applied_on`).

    `phone` is already normalised (E.164). Refused when the applicant is too young, the date is
    in the future, or the person already is a member or has an open application.
    """
    phone_hash = crypto.lookup_hash(phone)
    refusals: list[Refusal] = []
    if (
        Application.objects.filter(phone_hash=phone_hash)
        .exclude(stage__in=[Stage.STOPPED, Stage.FULL])
        .exists()
    ):
        refusals.append(
            Refusal(
                _("An open application with this phone number already exists."),
                procedure.rule("one_member_record"),
            )
        )
    if Member.objects.filter(phone_hash=phone_hash).exists():
        refusals.append(
            Refusal(
                _("A Party member record with this phone number already exists."),
                procedure.rule("one_member_record"),
            )
        )
    if refusals:
        raise Refused(refusals)
    with transaction.atomic():
        application = Application(
            organisation=organisation,
            name=name.strip(),
            birth_date=birth_date,
            phone_encrypted=crypto.encrypt(phone),
            phone_hash=phone_hash,
            workplace=workplace,
            consent_at=timezone.now(),
            consent_text=consent_text,
        )
        _stamp(application, by, _("Application added"))
        application.save()
        record_step(application, 1, applied_on, note=note, by=by, today=today)
    return application


def record_step(
    application: Application,
    number: int,
    done_on: date,
    people: str | Iterable[str] | None = (),
    note: str = "",
    by: Any = None,
    *,
    today: date | None = None,
) -> ApplicationStep:
    """Record step `number` as done on `done_on`, or raise Refused (and save nothing)."""
    today = today or timezone.localdate()
    names = procedure.parse_people(people)
    step_info = procedure.STEP_BY_NUMBER.get(number)
    try:
        with transaction.atomic():
            app = (
                Application.objects.select_for_update(of=("self",))
                .select_related("organisation__region", "member")
                .get(pk=application.pk)
            )
            book = RuleBook()
            refusals = procedure.check_step(app, number, done_on, today, people=names, book=book)
            if refusals:
                raise Refused(refusals)
            reason = _("Step %(n)d recorded: %(name)s, %(date)s") % {
                "n": number,
                "name": step_info.name,
                "date": done_on.isoformat(),
            }
            step = ApplicationStep(
                application=app,
                number=number,
                done_on=done_on,
                people="、".join(names),
                note=(note or "").strip(),
                recorded_by=by if getattr(by, "pk", None) else None,
            )
            _stamp(step, by, reason)
            step.save()
            getattr(app, "_prefetched_objects_cache", {}).pop("steps", None)
            if step_info.opens:
                app.stage = step_info.opens
            if number == 17:
                app.member = _admit(app, by)
            if number == 24:
                _make_full(app, book, by)
            _stamp(app, by, reason)
            app.save()
    except IntegrityError as exc:
        raise _concurrent() from exc
    _forget(application)
    return step


def _admit(app: Application, by: Any) -> Member:
    """The probationary member record the approval creates (step 17)."""
    meeting = procedure.done_steps(app)[15]
    member = Member(
        name=app.name,
        phone_encrypted=app.phone_encrypted,
        phone_hash=app.phone_hash,
        membership=Membership.PROBATIONARY,
        joined_on=meeting.done_on,
        organisation=app.organisation,
        record_location=RecordLocation.HERE,
        record_organisation=app.organisation,
        workplace=app.workplace,
        consent_source=ConsentSource.APPLICATION,
        consent_at=app.consent_at,
        consent_text=app.consent_text,
    )
    _stamp(member, by, _("Admitted as a probationary member through an application"))
    member.save()
    return member


def _make_full(app: Application, book: RuleBook, by: Any) -> None:
    """Step 24: the member becomes full on the day probation ended."""
    member = app.member
    member.membership = Membership.FULL
    member.full_on = procedure.probation_end(app, book)
    _stamp(member, by, _("Full membership approved"))
    member.save()


def stop(application: Application, reason: str, by: Any = None, on: date | None = None) -> None:
    """Stop an application (the person withdrew, was not chosen, or lost probationary status).

    A probationary member's record is closed as well (their probationary status is cancelled).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required")
    on = on or timezone.localdate()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=application.pk)
        )
        if app.stage in (Stage.STOPPED, Stage.FULL):
            raise Refused(
                [
                    Refusal(
                        _("This application is already stopped.")
                        if app.stage == Stage.STOPPED
                        else _("This applicant is already a full member."),
                        procedure.rule("application_open"),
                    )
                ]
            )
        member = app.member
        if member is not None and member.left_on is None:
            member.left_on = on
            member.left_reason = _("Probationary status cancelled: %(reason)s") % {"reason": reason}
            member.left_reason = member.left_reason[:100]
            _stamp(member, by, member.left_reason)
            member.save()
        app.stopped_stage = app.stage
        app.stage = Stage.STOPPED
        app.stopped_reason = reason[:200]
        app.stopped_on = on
        _stamp(app, by, _("Stopped: %(reason)s") % {"reason": reason})
        app.save()
    _forget(application)


def extend_probation(application: Application, months: int, reason: str, by: Any = None) -> None:
    """Extend probation once, by at least half a year and at most the rule's months."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required")
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation__region")
            .get(pk=application.pk)
        )
        refusals = procedure.check_extension(app, months)
        if refusals:
            raise Refused(refusals)
        app.probation_extension_months = months
        app.probation_extension_reason = reason[:200]
        _stamp(
            app,
            by,
            _("Probation extended by %(n)d months: %(reason)s") % {"n": months, "reason": reason},
        )
        app.save()
    _forget(application)
