"""The case state machine: every change of a case's state or level goes through `apply()`.

States and the actions that move between them (the table TRANSITIONS below is the only place
that says which action is possible from which state)::

    received ─assign─▶ assigned ─start─▶ in progress ─resolve─▶ resolved ─close─▶ closed
       │  (also start, resolve straight away: "solved on the visit")        │        │
       │                                                              reopen ◀──────┘
       ├─escalate─▶ received at the next level (reason + what was tried)     ▼
       ├─return───▶ returned at the level below (a reason)               reopened ─▶ …
       └─suspend──▶ suspended ─resume─▶ the state it was suspended from
                                  (the working days suspended extend the due date)
    closed ─rate─▶ closed (the reporter's 1–5 rating, once)

Open states (received, assigned, in progress, returned, reopened) allow assign, resolve,
escalate and suspend; return needs a level to go back to. Levels go branch → council → grid
consultation → district platform, one at a time unless the case is marked urgent with a reason.

Every transition runs in one transaction on the case row locked with SELECT … FOR UPDATE, so two
people acting at the same moment are serialised and neither change is lost; an action taken on a
page opened before the other change (`loaded_at` older than the case) is refused instead of
applied blindly. Each writes one CaseEvent (the timeline) and saves the case with a change
reason (the change log), both naming who and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from jiequ.accounts.roles import Role
from jiequ.core.scoping import can, restrict

from . import deadlines
from .models import LEVEL_ORDER, OPEN_STATES, Case, CaseEvent, Level, State


class Action:
    RECEIVE = "receive"  # written by services.create_case, not an action of apply()
    ASSIGN = "assign"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    RETURN = "return"
    REOPEN = "reopen"
    SUSPEND = "suspend"
    RESUME = "resume"
    ESCALATE = "escalate"
    RATE = "rate"


ACTION_LABELS = {
    Action.RECEIVE: pgettext_lazy("case action", "Receive"),
    Action.ASSIGN: pgettext_lazy("case action", "Assign"),
    Action.START: pgettext_lazy("case action", "Start handling"),
    Action.RESOLVE: pgettext_lazy("case action", "Mark resolved"),
    Action.CLOSE: pgettext_lazy("case action", "Verify and close"),
    Action.RETURN: pgettext_lazy("case action", "Return to the level below"),
    Action.REOPEN: pgettext_lazy("case action", "Reopen"),
    Action.SUSPEND: pgettext_lazy("case action", "Suspend"),
    Action.RESUME: pgettext_lazy("case action", "Resume"),
    Action.ESCALATE: pgettext_lazy("case action", "Escalate"),
    Action.RATE: pgettext_lazy("case action", "Rate the result"),
}

# Which state each action leads to from each state it is allowed in. RESUME's target is the
# state the case was suspended from (None here).
_OPEN = [State(s) for s in OPEN_STATES]
TRANSITIONS: dict[str, dict[str, str | None]] = {
    Action.ASSIGN: {s: State.ASSIGNED for s in _OPEN},
    Action.START: {
        State.RECEIVED: State.IN_PROGRESS,
        State.ASSIGNED: State.IN_PROGRESS,
        State.RETURNED: State.IN_PROGRESS,
        State.REOPENED: State.IN_PROGRESS,
    },
    Action.RESOLVE: {s: State.RESOLVED for s in _OPEN},
    Action.CLOSE: {State.RESOLVED: State.CLOSED},
    Action.RETURN: {
        State.RECEIVED: State.RETURNED,
        State.ASSIGNED: State.RETURNED,
        State.IN_PROGRESS: State.RETURNED,
        State.REOPENED: State.RETURNED,
    },
    Action.REOPEN: {State.RESOLVED: State.REOPENED, State.CLOSED: State.REOPENED},
    Action.SUSPEND: {s: State.SUSPENDED for s in _OPEN},
    Action.RESUME: {State.SUSPENDED: None},
    Action.ESCALATE: {s: State.RECEIVED for s in _OPEN},
    Action.RATE: {State.CLOSED: State.CLOSED},
}
# The order buttons appear in.
ACTIONS = list(TRANSITIONS)

# Who works a case at each level. The district viewer reads cases but acts on none; the
# district platform acts through its API (no user: actor_label).
LEVEL_ROLES: dict[str, frozenset[str]] = {
    Level.BRANCH: frozenset(
        {
            Role.BRANCH_SECRETARY,
            Role.GRID_WORKER,
            Role.SUBDISTRICT_STAFF,
            Role.SUBDISTRICT_ADMIN,
        }
    ),
    Level.COUNCIL: frozenset(
        {
            Role.BRANCH_SECRETARY,
            Role.GRID_WORKER,
            Role.SUBDISTRICT_STAFF,
            Role.SUBDISTRICT_ADMIN,
        }
    ),
    Level.GRID: frozenset({Role.GRID_WORKER, Role.SUBDISTRICT_STAFF, Role.SUBDISTRICT_ADMIN}),
    Level.DISTRICT: frozenset({Role.SUBDISTRICT_STAFF, Role.SUBDISTRICT_ADMIN}),
}


class TransitionRefused(Exception):
    """An action that cannot be applied; `message` says why (in the active language)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StaleCase(TransitionRefused):
    """The action was chosen on a page showing an older version of the case."""


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def table_actions(state: str) -> list[str]:
    """The actions the transition table allows from `state`."""
    return [a for a in ACTIONS if state in TRANSITIONS[a]]


def _level_index(level: str) -> int:
    return LEVEL_ORDER.index(Level(level))


def next_level(level: str) -> str | None:
    i = _level_index(level)
    return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None


def level_below(case: Case) -> str | None:
    """Where a returned case goes: the level it was escalated from (an urgent case may have
    skipped one), else the level just below."""
    if case.level == Level.BRANCH:
        return None
    last = (
        CaseEvent.objects.filter(case=case, action=Action.ESCALATE, to_level=case.level)
        .exclude(from_level="")
        .order_by("-at", "-pk")
        .values_list("from_level", flat=True)
        .first()
    )
    if last and _level_index(last) < _level_index(case.level):
        return last
    return LEVEL_ORDER[_level_index(case.level) - 1]


def may_work_level(user: Any, level: str) -> bool:
    return bool(user.is_superuser or user.role in LEVEL_ROLES.get(level, ()))


def refusal_for_user(case: Case, user: Any) -> str | None:
    """Why `user` may not act on this case at all (None: they may)."""
    if not user.is_authenticated or not user.is_active:
        return _("Log in to handle cases.")
    if not user.has_perm("cases.change_case") or not can(user, "change", case):
        return _("You may read this case but not handle it.")
    if not may_work_level(user, case.level):
        return _(
            "This case is at the level “%(level)s”: your role (%(role)s) does not handle cases "
            "at that level."
        ) % {"level": case.get_level_display(), "role": user.get_role_display()}
    return None


def allowed_actions(case: Case, user: Any = None) -> list[str]:
    """The actions to offer on the case's page: the table's, narrowed to what `user` may do
    and to what makes sense for this case (no return at the branch, no escalation past the
    district platform, rating only by the reporter)."""
    actions = table_actions(case.state)
    if case.level == Level.BRANCH:
        actions = [a for a in actions if a != Action.RETURN]
    if next_level(case.level) is None:
        actions = [a for a in actions if a != Action.ESCALATE]
    if case.state == State.CLOSED and case.rated_at is not None:
        actions = [a for a in actions if a != Action.RATE]
    if user is None:
        return actions
    if refusal_for_user(case, user) is not None:
        return []
    return [a for a in actions if a != Action.RATE]


# ---- the action handlers: each checks its own fields, changes the case and fills in the
# ---- event's fields (step.event). They run inside apply()'s transaction on the locked case.


@dataclass
class _Step:
    case: Case
    user: Any
    reason: str
    tried: str
    fields: dict[str, Any]
    now: datetime
    today: date
    event: dict[str, Any] = field(default_factory=dict)
    after: list[Callable[[CaseEvent], None]] = field(default_factory=list)


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(message)
    return text


def _restart_clock(step: _Step) -> None:
    """The level (re)takes the case today: a new due date in working days from today."""
    case = step.case
    case.level_since = step.now
    case.due_on = deadlines.due_date(step.today, case.request_type, case.level, case.category)


def assignable_users(case: Case):
    """Active users who may work this case at its level and whose scope holds it."""
    from jiequ.accounts.models import User
    from jiequ.core.scoping import ancestor_paths

    path = case.region.path
    candidates = (
        User.objects.filter(
            is_active=True,
            role__in=LEVEL_ROLES.get(case.level, ()),
            scope_region__path__in=[*ancestor_paths(path), path],
        )
        .select_related("scope_region", "scope_organisation")
        .order_by("role", "display_name", "username")
    )
    result = []
    for candidate in candidates:
        ids = candidate.organisation_scope_ids()
        if ids is not None and case.organisation_id not in ids:
            continue
        result.append(candidate)
    return result


def _assign(step: _Step) -> None:
    assignee = step.fields.get("assignee")
    if assignee is None:
        raise TransitionRefused(_("Choose the person to assign the case to."))
    if assignee.pk not in {u.pk for u in assignable_users(step.case)}:
        raise TransitionRefused(
            _("%(name)s cannot handle this case: it is outside their role or area of work.")
            % {"name": assignee}
        )
    step.case.assignee = assignee
    step.event["reason"] = step.reason or _("Assigned to %(name)s") % {"name": assignee}


def _start(step: _Step) -> None:
    if step.case.assignee_id is None and step.user is not None:
        step.case.assignee = step.user


def _resolve(step: _Step) -> None:
    resolution = _require(
        step.fields.get("resolution", "") or step.reason,
        _("Say how the case was resolved."),
    )
    step.case.resolution = resolution
    step.case.resolved_at = step.now
    step.event["reason"] = resolution


def _close(step: _Step) -> None:
    case = step.case
    case.closed_at = step.now
    case.solved_level = case.level


def _return(step: _Step) -> None:
    case = step.case
    reason = _require(step.reason, _("Give the reason for returning the case."))
    below = level_below(case)
    if below is None:
        raise TransitionRefused(
            _("The case is at the branch, the first level: there is no level to return it to.")
        )
    if below == Level.COUNCIL:
        # Back to the council that deliberated on it (a grid consultation may have been named
        # since, in the same field).
        council_id = (
            case.history.filter(level=Level.COUNCIL, council__isnull=False)
            .order_by("-history_id")
            .values_list("council_id", flat=True)
            .first()
        )
        if council_id is None:
            below = Level.BRANCH
        else:
            case.council_id = council_id
    case.level = below
    case.assignee = None
    _restart_clock(step)
    step.event["reason"] = reason


def _reopen(step: _Step) -> None:
    case = step.case
    _require(step.reason, _("Give the reason for reopening the case."))
    case.resolved_at = None
    case.closed_at = None
    case.solved_level = ""
    # A new result will be rated anew.
    case.rating = None
    case.rating_comment = ""
    case.rated_at = None
    _restart_clock(step)


def _suspend(step: _Step) -> None:
    case = step.case
    reason = _require(step.reason, _("Give the reason for suspending the case."))
    case.state_before_suspension = case.state
    case.suspension_reason = reason[:200]
    case.suspended_at = step.now


def _resume(step: _Step) -> None:
    case = step.case
    since = timezone.localdate(case.suspended_at) if case.suspended_at else step.today
    suspended_days = deadlines.working_days_between(since, step.today)
    if case.due_on is not None and suspended_days:
        case.due_on = deadlines.add_working_days(case.due_on, suspended_days)
    note = _("Suspended for %(days)d working days; due date moved to %(due)s.") % {
        "days": suspended_days,
        "due": case.due_on.isoformat() if case.due_on else "—",
    }
    step.event["reason"] = f"{step.reason}\n{note}".strip() if step.reason else note
    case.suspended_at = None
    case.suspension_reason = ""


def eligible_councils(case: Case, user: Any = None, level: str = Level.COUNCIL):
    """The active councils that may take this case at `level`: their area holds the case's
    grid (or lies inside it) and, when a user picks, they are in the user's scope."""
    from jiequ.councils.models import Council, CouncilKind

    path = case.region.path
    councils = Council.objects.filter(is_active=True).select_related("region")
    if user is not None and not user.is_superuser:
        councils = restrict(councils, user, "view")
    if level == Level.GRID:
        councils = councils.filter(kind=CouncilKind.GRID)
    else:
        councils = councils.exclude(kind=CouncilKind.GRID)
    return [c for c in councils if path.startswith(c.region.path) or c.region.path.startswith(path)]


def _escalate(step: _Step) -> None:
    case, fields = step.case, step.fields
    reason = _require(step.reason, _("Give the reason for escalating the case."))
    tried = _require(
        step.tried,
        _("Say what this level tried before escalating: the next level needs to know."),
    )
    to_level = fields.get("to_level") or next_level(case.level)
    if to_level is None:
        raise TransitionRefused(_("The case is already at the district platform, the last level."))
    try:
        target, current = _level_index(to_level), _level_index(case.level)
    except ValueError as exc:
        raise TransitionRefused(_("“%(level)s” is not a level.") % {"level": to_level}) from exc
    if target <= current:
        raise TransitionRefused(
            _("Escalation goes up: the case is at “%(level)s” already.")
            % {"level": case.get_level_display()}
        )
    urgent = bool(fields.get("urgent"))
    urgent_reason = (fields.get("urgent_reason") or "").strip()
    if target > current + 1:
        if not urgent or not urgent_reason:
            raise TransitionRefused(
                _(
                    "A case goes up one level at a time (next: “%(next)s”). Only an urgent case "
                    "may skip a level, and the reason it is urgent must be given."
                )
                % {"next": Level(next_level(case.level)).label}
            )
    elif urgent and not urgent_reason:
        raise TransitionRefused(_("Say why the case is urgent."))
    to_level = LEVEL_ORDER[target]
    council = fields.get("council")
    if to_level == Level.COUNCIL and council is None:
        raise TransitionRefused(_("Choose the council that will deliberate on the case."))
    if council is not None:
        if to_level not in (Level.COUNCIL, Level.GRID):
            council = None
        elif council.pk not in {c.pk for c in eligible_councils(case, step.user, to_level)}:
            raise TransitionRefused(
                _("“%(council)s” cannot take this case: it does not serve the case's area.")
                % {"council": council}
            )
    if urgent:
        case.is_urgent = True
        case.urgent_reason = urgent_reason[:200]
    from_level = case.level
    case.level = to_level
    if council is not None:
        case.council = council
    case.assignee = None
    _restart_clock(step)
    step.event.update(reason=reason, tried=tried, from_level=from_level, to_level=to_level)
    if urgent and target > current + 1:
        step.event["reason"] = f"{reason}\n{_('Urgent')}: {urgent_reason}"
    if to_level == Level.DISTRICT:
        case.escalated_to_district_at = step.now

        def send(event: CaseEvent) -> None:
            # The outbox module sends it, with retries, after the transaction commits; here it
            # only records the message in the same transaction as the escalation.
            import_module("jiequ.cases.handoff").send_to_district(case, event)

        step.after.append(send)


def _rate(step: _Step) -> None:
    case, fields = step.case, step.fields
    if step.user is not None:
        raise TransitionRefused(_("Only the person who reported the case rates its result."))
    if case.rated_at is not None:
        raise TransitionRefused(_("The result of this case has already been rated."))
    try:
        rating = int(fields.get("rating"))
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise TransitionRefused(_("A rating is 1 to 5 stars."))
    case.rating = rating
    case.rating_comment = (fields.get("rating_comment") or "").strip()[:200]
    case.rated_at = step.now
    step.event["reason"] = case.rating_comment


HANDLERS: dict[str, Callable[[_Step], None]] = {
    Action.ASSIGN: _assign,
    Action.START: _start,
    Action.RESOLVE: _resolve,
    Action.CLOSE: _close,
    Action.RETURN: _return,
    Action.REOPEN: _reopen,
    Action.SUSPEND: _suspend,
    Action.RESUME: _resume,
    Action.ESCALATE: _escalate,
    Action.RATE: _rate,
}


def _parse_loaded_at(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def refusal_for_state(case: Case, action: str, user: Any = None) -> str:
    """ "A case that is ‘received’ cannot be ‘verified and closed’. Possible now: …" """
    possible = allowed_actions(case, user) if user is not None else table_actions(case.state)
    if possible:
        listing = pgettext("list separator", ", ").join(action_label(a) for a in possible)
        return _(
            "A case that is “%(state)s” cannot be “%(action)s”. Possible now: %(actions)s."
        ) % {"state": case.get_state_display(), "action": action_label(action), "actions": listing}
    return _(
        "A case that is “%(state)s” cannot be “%(action)s”, and nothing else can be done with it "
        "now."
    ) % {"state": case.get_state_display(), "action": action_label(action)}


def apply(
    case: Case | int,
    action: str,
    *,
    user: Any = None,
    actor_label: str = "",
    reason: str = "",
    tried: str = "",
    public: bool = True,
    **fields: Any,
) -> Case:
    """Apply one action to a case, or raise TransitionRefused saying why not.

    `user` None means a caller without an account acting through trusted code (the reporter on
    the follow-up page, the district platform through its API); name it in `actor_label`.
    `loaded_at` (in fields): the case's `updated_at` as the acting person saw it; if the case
    changed since, the action is refused (StaleCase) rather than applied to a state the person
    did not see.
    """
    if action not in TRANSITIONS:
        raise TransitionRefused(_("“%(action)s” is not an action on cases.") % {"action": action})
    pk = case.pk if isinstance(case, Case) else int(case)
    loaded_at = _parse_loaded_at(fields.pop("loaded_at", None))
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise TransitionRefused(_("This case does not exist (any more)."))
        if loaded_at is not None and locked.updated_at != loaded_at:
            last = locked.events.order_by("-at", "-pk").first()
            who = (str(last.actor) if last and last.actor_id else last.actor_label) if last else ""
            raise StaleCase(
                _(
                    "Someone else acted on this case after you opened it (%(who)s: "
                    "“%(action)s”; it is now “%(state)s”). Nothing was changed: look at the "
                    "case again and choose what to do."
                )
                % {
                    "who": who or "—",
                    "action": action_label(last.action) if last else "—",
                    "state": locked.get_state_display(),
                }
            )
        if user is not None:
            refusal = refusal_for_user(locked, user)
            if refusal:
                raise TransitionRefused(refusal)
        if locked.state not in TRANSITIONS[action]:
            raise TransitionRefused(refusal_for_state(locked, action, user))
        now = timezone.now()
        step = _Step(
            case=locked,
            user=user,
            reason=(reason or "").strip(),
            tried=(tried or "").strip(),
            fields=fields,
            now=now,
            today=timezone.localdate(now),
        )
        from_state, from_level = locked.state, locked.level
        HANDLERS[action](step)
        target = TRANSITIONS[action][from_state]
        if action == Action.RESUME:
            target = locked.state_before_suspension or State.IN_PROGRESS
            locked.state_before_suspension = ""
        locked.state = target
        event = CaseEvent.objects.create(
            case=locked,
            at=now,
            actor=user if user is not None and user.is_authenticated else None,
            actor_label=(actor_label or "")[:50],
            action=action,
            from_state=from_state,
            to_state=locked.state,
            from_level=step.event.pop("from_level", from_level),
            to_level=step.event.pop("to_level", locked.level),
            reason=step.event.pop("reason", step.reason),
            tried=step.event.pop("tried", ""),
            is_public=public,
        )
        change = action_label(action)
        if event.reason:
            change = f"{change}: {event.reason}"
        locked._change_reason = change[:100]
        if user is not None:
            locked._history_user = user
        locked.save()
        for callback in step.after:
            callback(event)
    return locked
