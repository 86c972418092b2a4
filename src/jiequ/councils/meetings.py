"""Council meetings: plan one (its agenda pre-filled with the cases the council holds), put
topics, cases and free text on the agenda, record decisions, and close it.

Closing is one transaction on the locked meeting: every decision is applied (a new case through
`jiequ.cases.services.create_case`, a change of an agenda case through `jiequ.cases.workflow`,
a task), the street-pulse topics on the agenda learn their outcome, and the meeting is marked
closed. If one decision cannot be applied, nothing is: the person is told which decision and
why. A closed meeting is never closed again, so its decisions are applied exactly once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import can, restrict

from .models import (
    AgendaItem,
    Council,
    CouncilKind,
    CouncilMeeting,
    Decision,
    DecisionKind,
    MeetingState,
    PulseTopic,
    Task,
    TopicState,
)


class MeetingError(Exception):
    """Something that cannot be done with a meeting; `message` says why (active language)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _open_states() -> tuple[str, ...]:
    from jiequ.cases.models import OPEN_STATES

    return OPEN_STATES


def backlog(council: Council) -> QuerySet:
    """The open cases waiting for this council: for the grid consultation, the cases escalated
    to the grid level in its grid (or area); for the others, the cases the council holds."""
    from jiequ.cases.models import Case, Level

    cases = Case.objects.filter(state__in=_open_states())
    if council.kind == CouncilKind.GRID:
        cases = cases.filter(level=Level.GRID, region__path__startswith=council.region.path)
    else:
        cases = cases.filter(level=Level.COUNCIL, council=council)
    return cases.order_by("due_on", "received_at", "pk")


def _require_open(meeting: CouncilMeeting) -> None:
    if meeting.state == MeetingState.CLOSED:
        raise MeetingError(
            _("The meeting of %(day)s is closed: its agenda and decisions can no longer change.")
            % {"day": meeting.held_on.isoformat()}
        )


@transaction.atomic
def plan_meeting(
    council: Council,
    held_on: dt.date,
    *,
    user: Any = None,
    prefill: bool = True,
    **fields: Any,
) -> CouncilMeeting:
    """A new meeting of `council`, its agenda pre-filled with the council's open cases."""
    if not council.is_active:
        raise MeetingError(_("“%(council)s” is no longer active.") % {"council": council})
    meeting = CouncilMeeting(council=council, held_on=held_on, created_by=user, **fields)
    meeting._change_reason = _("Planned")
    meeting.save()
    if prefill:
        cases = backlog(council)
        if user is not None:
            cases = restrict(cases, user)
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, case=case, position=i)
                for i, case in enumerate(cases[:50], start=1)
            ]
        )
    return meeting


def _next_position(meeting: CouncilMeeting) -> int:
    return (meeting.agenda.aggregate(n=Max("position"))["n"] or 0) + 1


def add_agenda_item(
    meeting: CouncilMeeting,
    *,
    case: Any = None,
    topic: PulseTopic | None = None,
    title: str = "",
    notes: str = "",
    user: Any = None,
) -> AgendaItem:
    """Put a case, a street-pulse topic or a free-text point at the end of the agenda."""
    title = (title or "").strip()
    if case is None and topic is None and not title:
        raise MeetingError(_("Say what the agenda item is: choose a case or a topic, or type it."))
    with transaction.atomic():
        meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
        _require_open(meeting)
        if case is not None and user is not None and not can(user, "view", case):
            raise MeetingError(_("This case is outside your area of work."))
        if topic is not None:
            topic = PulseTopic.objects.select_for_update().get(pk=topic.pk)
            if topic.is_hidden:
                raise MeetingError(_("A hidden topic cannot go on an agenda; show it again first."))
        if case is not None and meeting.agenda.filter(case=case).exists():
            raise MeetingError(
                _("Case %(number)s is already on this agenda.") % {"number": case.number}
            )
        if topic is not None and meeting.agenda.filter(topic=topic).exists():
            raise MeetingError(_("“%(topic)s” is already on this agenda.") % {"topic": topic.title})
        try:
            with transaction.atomic():
                item = AgendaItem.objects.create(
                    meeting=meeting,
                    case=case,
                    topic=topic,
                    title=title[:200],
                    notes=notes,
                    position=_next_position(meeting),
                )
        except IntegrityError as exc:  # a concurrent add of the same case or topic
            raise MeetingError(_("This item is already on the agenda.")) from exc
        if topic is not None and topic.state == TopicState.OPEN:
            topic.state = TopicState.ON_AGENDA
            topic._change_reason = _("Put on the agenda of %(meeting)s") % {"meeting": meeting}
            topic.save(update_fields=["state", "updated_at"])
    return item


def remove_agenda_item(item: AgendaItem) -> None:
    with transaction.atomic():
        meeting = CouncilMeeting.objects.select_for_update().get(pk=item.meeting_id)
        _require_open(meeting)
        topic = item.topic
        item.delete()
        if (
            topic is not None
            and topic.state == TopicState.ON_AGENDA
            and not topic.agenda_items.exists()
        ):
            topic.state = TopicState.OPEN
            topic.save(update_fields=["state", "updated_at"])


def move_agenda_item(item: AgendaItem, step: int) -> None:
    """Move an item up (-1) or down (+1) the agenda."""
    with transaction.atomic():
        meeting = CouncilMeeting.objects.select_for_update().get(pk=item.meeting_id)
        _require_open(meeting)
        items = list(meeting.agenda.order_by("position", "pk"))
        index = next(i for i, x in enumerate(items) if x.pk == item.pk)
        other = index + (1 if step > 0 else -1)
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, x in enumerate(items, start=1):
            if x.position != position:
                x.position = position
                x.save(update_fields=["position", "updated_at"])


def check_decision(decision: Decision) -> None:
    """Refuse a decision that could not be applied, before it is saved (ValidationError)."""
    errors: dict[str, str] = {}
    kind = decision.kind
    item = decision.agenda_item
    agenda_case = item.case if item is not None else None
    if kind in (DecisionKind.RESOLVE, DecisionKind.ESCALATE) and agenda_case is None:
        errors["agenda_item"] = _("Only a case on the agenda can be resolved or escalated.")
    if kind == DecisionKind.ESCALATE and not (decision.tried or "").strip():
        errors["tried"] = _(
            "Say what this council tried before escalating: the next level needs it."
        )
    if kind == DecisionKind.NEW_CASE:
        if decision.category_id is None:
            errors["category"] = _("Choose the category of the new case.")
        if not (decision.title or "").strip():
            errors["title"] = _("Give the new case a short title.")
        if decision.region_id is None and decision.entity_id is None:
            errors["region"] = _("Say where the new case is: choose the shop or the grid.")
    if kind == DecisionKind.TASK:
        if not (decision.title or "").strip():
            errors["title"] = _("Say what the task is in a short title.")
        if decision.due_on is None:
            errors["due_on"] = _("Give the task a due date.")
        if not (decision.owner_member_id or decision.owner_user_id or decision.owner_department):
            errors["owner_member"] = _("Say who does it: a council member, a user or a department.")
    if errors:
        raise ValidationError(errors)


def escalation_target(case: Any, council: Council, user: Any = None) -> tuple[str, Any]:
    """Where an escalation from this council sends the case: (level, council or None)."""
    from jiequ.cases.models import Level
    from jiequ.cases.workflow import eligible_councils, next_level

    level = next_level(case.level)
    if level is None:
        raise MeetingError(
            _("Case %(number)s is at the last level already.") % {"number": case.number}
        )
    if level == Level.COUNCIL:
        # A branch case brought to this council: the council takes it.
        return level, council if council.kind != CouncilKind.GRID else None
    if level == Level.GRID:
        grids = eligible_councils(case, user, Level.GRID)
        grids.sort(key=lambda c: -len(c.region.path))  # the nearest grid consultation first
        return level, grids[0] if grids else None
    return level, None


def _apply(decision: Decision, meeting: CouncilMeeting, user: Any, now: dt.datetime) -> None:
    from jiequ.cases import workflow
    from jiequ.cases.models import Source
    from jiequ.cases.services import create_case

    council = meeting.council
    said = _("%(council)s, meeting of %(day)s: %(text)s") % {
        "council": council.name,
        "day": meeting.held_on.isoformat(),
        "text": decision.text,
    }
    item = decision.agenda_item
    agenda_case = item.case if item is not None else None
    if decision.kind == DecisionKind.NEW_CASE:
        organisation = council.organisation
        if organisation is not None and user is not None and not can(user, "view", organisation):
            organisation = None
        case, _created = create_case(
            source=Source.COUNCIL,
            category=decision.category,
            title=decision.title,
            description=decision.text,
            entity=decision.entity,
            region=decision.region,
            organisation=organisation,
            council=council,
            level=council.case_level,
            user=user,
            submission_key=f"council-decision-{decision.pk}",
        )
        decision.case = case
    elif decision.kind == DecisionKind.RESOLVE:
        workflow.apply(
            agenda_case, "resolve", user=user, resolution=decision.text, reason=decision.text
        )
        decision.case = agenda_case
    elif decision.kind == DecisionKind.ESCALATE:
        level, target = escalation_target(agenda_case, council, user)
        workflow.apply(
            agenda_case,
            "escalate",
            user=user,
            reason=said,
            tried=decision.tried,
            to_level=level,
            council=target,
        )
        decision.case = agenda_case
    elif decision.kind == DecisionKind.TASK:
        Task.objects.create(
            council=council,
            meeting=meeting,
            decision=decision,
            case=agenda_case,
            title=decision.title,
            details=decision.text,
            owner_member=decision.owner_member,
            owner_user=decision.owner_user,
            owner_department=decision.owner_department,
            due_on=decision.due_on,
        )
        decision.case = agenda_case
    decision.applied_at = now
    decision._change_reason = _("Applied when the meeting closed")
    decision.save()


def close_meeting(meeting: CouncilMeeting | int, *, user: Any = None) -> CouncilMeeting:
    """Apply every decision of the meeting and close it, all or nothing, exactly once."""
    from jiequ.cases.workflow import TransitionRefused

    pk = meeting.pk if isinstance(meeting, CouncilMeeting) else int(meeting)
    with transaction.atomic():
        locked = (
            CouncilMeeting.objects.select_for_update(of=("self",))
            .select_related("council", "council__region")
            .get(pk=pk)
        )
        if locked.state == MeetingState.CLOSED:
            raise MeetingError(
                _(
                    "This meeting was already closed (%(when)s, by %(who)s); its decisions were "
                    "applied then and are not applied again."
                )
                % {
                    "when": timezone.localtime(locked.closed_at).strftime("%Y-%m-%d %H:%M")
                    if locked.closed_at
                    else "—",
                    "who": locked.closed_by or "—",
                }
            )
        if locked.held_on > timezone.localdate():
            raise MeetingError(
                _("The meeting is planned for %(day)s: it can be closed once it has been held.")
                % {"day": locked.held_on.isoformat()}
            )
        if not locked.minutes.strip():
            raise MeetingError(_("Write the minutes before closing the meeting."))
        if not locked.present.exists():
            raise MeetingError(_("Tick the members present before closing the meeting."))
        now = timezone.now()
        decisions = list(
            locked.decisions.filter(applied_at__isnull=True)
            .select_related("agenda_item__case", "agenda_item__topic", "category", "entity")
            .order_by("position", "pk")
        )
        for number, decision in enumerate(decisions, start=1):
            try:
                check_decision(decision)
                _apply(decision, locked, user, now)
            except TransitionRefused as exc:
                raise MeetingError(_decision_refused(number, decision, exc.message)) from exc
            except ValidationError as exc:
                raise MeetingError(
                    _decision_refused(number, decision, "；".join(exc.messages))
                ) from exc
            except MeetingError as exc:
                raise MeetingError(_decision_refused(number, decision, exc.message)) from exc
        decided = set(
            locked.decisions.exclude(agenda_item=None).values_list("agenda_item", flat=True)
        )
        for item in locked.agenda.exclude(topic=None).select_related("topic"):
            topic = PulseTopic.objects.select_for_update().get(pk=item.topic_id)
            state = TopicState.DECIDED if item.pk in decided else TopicState.OPEN
            if topic.state != state and topic.state != TopicState.DECIDED:
                topic.state = state
                topic._change_reason = _("Discussed at %(meeting)s") % {"meeting": locked}
                topic.save(update_fields=["state", "updated_at"])
        locked.state = MeetingState.CLOSED
        locked.closed_at = now
        locked.closed_by = user if user is not None and user.is_authenticated else None
        locked._change_reason = _("Closed: %(n)d decisions applied") % {"n": len(decisions)}
        locked.save()
    return locked


def _decision_refused(number: int, decision: Decision, message: str) -> str:
    return _(
        "Nothing was applied and the meeting is still open. Decision %(n)d (“%(decision)s”) "
        "cannot be applied: %(why)s"
    ) % {"n": number, "decision": str(decision)[:60], "why": message}


def decision_for_topic(topic: PulseTopic) -> Decision | None:
    """The latest applied decision on a topic (what the public page shows)."""
    return (
        Decision.objects.filter(agenda_item__topic=topic, applied_at__isnull=False)
        .select_related("meeting__council")
        .order_by("-meeting__held_on", "-pk")
        .first()
    )


def mark_task(task: Task, *, done: bool, user: Any = None, note: str = "") -> Task:
    """Mark a task done (with how) or not done again; concurrent marks are serialised."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if done:
            if locked.done_on is None:
                locked.done_on = timezone.localdate()
                locked.done_by = user if user is not None and user.is_authenticated else None
            locked.done_note = (note or locked.done_note).strip()[:200]
            locked._change_reason = _("Done")
        else:
            locked.done_on = None
            locked.done_by = None
            locked._change_reason = (
                _("Not done after all: %(why)s") % {"why": note}
                if note
                else _("Not done after all")
            )
        locked.save()
    return locked
