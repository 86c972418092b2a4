"""Which regular meetings (三会一课) and themed Party days an organisation owes, month by month.

The rules (all numbers from `jiequ.party.rules`, a subdistrict may override them):

- a branch (branch, joint branch, general branch) holds a general meeting of its members every
  `general_meeting_every_months` months, a Party lecture every `lecture_every_months` months and
  a themed Party day every `themed_day_every_months` months;
- an organisation with a committee — at least `committee_min_size` current committee posts
  (party.Officer) — holds a committee meeting every `committee_meeting_every_months` months;
- a Party group holds a group meeting every `group_meeting_every_months` months.

"Every N months" is counted in calendar periods of N months from January (3 → the quarters):
one meeting anywhere in the period satisfies it. A period is owed when the organisation owes the
kind in the period's last month (or in the current month, for the period under way); months
before the organisation was founded, and from the month it was dissolved, owe nothing.

A general meeting counts only when it is quorate: the members present who belong to the
organisation (or to the organisations under it) must be more than `quorum_share_percent` of
those expected. Guests from other organisations are recorded but have no vote. An inquorate
general meeting is flagged and does not count as held.

`compliance(organisations, months)` answers for many organisations at once with a fixed number
of queries (meetings, their voting attendance, committee posts, rule overrides), however many
organisations and months it is asked about.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiequ.party import rules
from jiequ.party.models import Level, Officer, Organisation
from jiequ.party.rules import RuleValues

from .models import Meeting, MeetingKind

HELD, MISSING, NOT_DUE, DUE = "held", "missing", "not_due", "due"

STATUS_LABELS = {
    HELD: _("held"),
    MISSING: _("missing"),
    NOT_DUE: _("not due"),
    DUE: _("due later in the period"),
}

# The rule that sets how often each kind of meeting is held.
RULE_KEYS = {
    MeetingKind.GENERAL: "general_meeting_every_months",
    MeetingKind.COMMITTEE: "committee_meeting_every_months",
    MeetingKind.GROUP: "group_meeting_every_months",
    MeetingKind.LECTURE: "lecture_every_months",
    MeetingKind.THEMED_DAY: "themed_day_every_months",
}
KIND_ORDER = list(RULE_KEYS)

# Short names for the compliance grid.
SHORT_LABELS = {
    MeetingKind.GENERAL: _("General"),
    MeetingKind.COMMITTEE: _("Committee"),
    MeetingKind.GROUP: _("Group"),
    MeetingKind.LECTURE: _("Lecture"),
    MeetingKind.THEMED_DAY: _("Themed day"),
}

BRANCH_LEVELS = frozenset({Level.GENERAL_BRANCH, Level.BRANCH, Level.JOINT_BRANCH})
COMMITTEE_LEVELS = frozenset({Level.COMMITTEE, *BRANCH_LEVELS})
# Which kinds each level holds (the committee meeting only while it has a committee).
KINDS_BY_LEVEL = {
    Level.COMMITTEE: (MeetingKind.COMMITTEE,),
    Level.GENERAL_BRANCH: (
        MeetingKind.GENERAL,
        MeetingKind.COMMITTEE,
        MeetingKind.LECTURE,
        MeetingKind.THEMED_DAY,
    ),
    Level.BRANCH: (
        MeetingKind.GENERAL,
        MeetingKind.COMMITTEE,
        MeetingKind.LECTURE,
        MeetingKind.THEMED_DAY,
    ),
    Level.JOINT_BRANCH: (
        MeetingKind.GENERAL,
        MeetingKind.COMMITTEE,
        MeetingKind.LECTURE,
        MeetingKind.THEMED_DAY,
    ),
    Level.GROUP: (MeetingKind.GROUP,),
}


def kinds_for_level(level: str) -> tuple[str, ...]:
    """The kinds of meeting an organisation of `level` may hold."""
    return KINDS_BY_LEVEL.get(level, ())


def frequency_text(every: int) -> str:
    """ "monthly", "quarterly", "every 2 months"."""
    every = int(every)
    if every == 1:
        return str(_("monthly"))
    if every == 3:
        return str(_("quarterly"))
    if every == 12:
        return str(_("yearly"))
    return str(_("every %(n)d months") % {"n": every})


# --- months ---------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def last_months(count: int = 12, end: date | None = None) -> list[date]:
    """The first days of the `count` months up to and including `end`'s month (default: now)."""
    last = month_start(end or timezone.localdate())
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]


def parse_month(text: str) -> date | None:
    """ "2026-03" → 1 March 2026; anything else → None."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return None


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


def period_of(month: date, every: int) -> tuple[date, date]:
    """The first months of the period of `every` months holding `month`, and of its last month."""
    every = max(1, int(every))
    start = (_index(month) // every) * every
    first = date(start // 12, start % 12 + 1, 1)
    return first, add_months(first, every - 1)


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldMeeting:
    pk: int
    organisation_id: int
    kind: str
    held_on: date
    topic: str
    expected: int
    present: int  # members of the organisation present (guests not counted)
    quorate: bool


@dataclass
class Cell:
    """One kind of meeting for one organisation in one month."""

    kind: str
    month: date
    status: str
    rule_key: str
    every: int  # months, as in force for the organisation
    period: tuple[date, date]
    meetings: list[HeldMeeting] = field(default_factory=list)  # counted, held this month
    inquorate: list[HeldMeeting] = field(default_factory=list)  # held this month, not counted
    satisfied_by: HeldMeeting | None = None  # the meeting that satisfied the period

    @property
    def label(self) -> str:
        return str(MeetingKind(self.kind).label)

    @property
    def short_label(self) -> str:
        return str(SHORT_LABELS[self.kind])

    @property
    def frequency(self) -> str:
        return frequency_text(self.every)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def rule(self) -> rules.Rule:
        return rules.RULES[self.rule_key]

    @property
    def is_missing(self) -> bool:
        return self.status == MISSING


@dataclass
class MonthCells:
    month: date
    cells: list[Cell]

    @property
    def missing(self) -> list[Cell]:
        return [c for c in self.cells if c.status == MISSING]

    @property
    def inquorate(self) -> list[HeldMeeting]:
        return [m for c in self.cells for m in c.inquorate]

    @property
    def due(self) -> list[Cell]:
        return [c for c in self.cells if c.status == DUE]

    @property
    def held(self) -> list[Cell]:
        return [c for c in self.cells if c.status == HELD]

    @property
    def owes_anything(self) -> bool:
        return any(c.status != NOT_DUE for c in self.cells)


@dataclass
class OrganisationRow:
    organisation: Organisation
    kinds: list[str]
    months: list[MonthCells]

    @property
    def missing(self) -> list[Cell]:
        return [c for m in self.months for c in m.missing]

    @property
    def missing_count(self) -> int:
        return len(self.missing)

    @property
    def inquorate(self) -> list[HeldMeeting]:
        return [h for m in self.months for h in m.inquorate]

    @property
    def owes_anything(self) -> bool:
        return any(m.owes_anything for m in self.months)

    def month(self, month: date) -> MonthCells | None:
        for cells in self.months:
            if cells.month == month:
                return cells
        return None

    def by_kind(self) -> list[tuple[str, list[Cell]]]:
        """The row turned round: for each kind, its cell in every month (for one branch)."""
        table = []
        for kind in self.kinds:
            table.append((kind, [next(c for c in m.cells if c.kind == kind) for m in self.months]))
        return table


@dataclass
class ComplianceTable:
    months: list[date]
    rows: list[OrganisationRow]
    today: date

    @property
    def month_totals(self) -> list[int]:
        """Missing meetings per month, over every organisation."""
        return [
            sum(len(row.months[i].missing) for row in self.rows) for i in range(len(self.months))
        ]

    @property
    def month_inquorate(self) -> list[int]:
        return [
            sum(len(row.months[i].inquorate) for row in self.rows) for i in range(len(self.months))
        ]

    @property
    def total_missing(self) -> int:
        return sum(self.month_totals)

    def row(self, organisation: Organisation | int) -> OrganisationRow | None:
        pk = getattr(organisation, "pk", organisation)
        return next((r for r in self.rows if r.organisation.pk == pk), None)

    def with_missing_in(self, month: date) -> list[OrganisationRow]:
        """The organisations with a meeting missing in `month`."""
        return [r for r in self.rows if (m := r.month(month)) is not None and m.missing]


# --- the computation ------------------------------------------------------------------------


def compliance(
    organisations: Iterable[Organisation],
    months: Sequence[date],
    today: date | None = None,
) -> ComplianceTable:
    """For each organisation and month, each kind it holds: held / missing / not due / due.

    `organisations` may be a queryset (it is read once, with its regions); `months` are any
    dates in the months wanted, in order. `today` fixes "now" (tests); by default the local date.
    """
    today = today or timezone.localdate()
    months = [month_start(m) for m in months]
    if hasattr(organisations, "select_related"):
        organisations = organisations.select_related("region")
    orgs = list(organisations)
    if not orgs or not months:
        return ComplianceTable(months=list(months), rows=[], today=today)
    _load_regions(orgs)
    values = RuleValues()

    def every(org: Organisation, kind: str) -> int:
        return max(1, int(values(RULE_KEYS[kind], org.region)))

    # The meetings of every period that touches the months asked about.
    spans = [
        period_of(m, every(org, kind))
        for org in orgs
        for kind in kinds_for_level(org.level) or KIND_ORDER
        for m in (months[0], months[-1])
    ]
    first = min(s[0] for s in spans)
    last = month_end(max(s[1] for s in spans))
    ids = [org.pk for org in orgs]
    held = _meetings(ids, first, last)
    posts = _committee_posts(ids, first, last)

    rows = [
        _Row(org, values, held.get(org.pk, []), posts.get(org.pk, []), today).build(months)
        for org in orgs
    ]
    return ComplianceTable(months=list(months), rows=rows, today=today)


class _Row:
    """The cells of one organisation, from its meetings, committee posts and rule values."""

    def __init__(
        self,
        org: Organisation,
        values: RuleValues,
        meetings: list[HeldMeeting],
        posts: list[tuple[date, date | None]],
        today: date,
    ) -> None:
        self.org, self.values, self.posts, self.today = org, values, posts, today
        self.current = month_start(today)
        self.committee_min = int(values("committee_min_size", org.region))
        quorum = int(values("quorum_share_percent", org.region))
        self.by_kind_month: dict[tuple[str, date], list[HeldMeeting]] = defaultdict(list)
        for h in meetings:
            quorate = h.kind != MeetingKind.GENERAL or h.present * 100 > quorum * h.expected
            self.by_kind_month[(h.kind, month_start(h.held_on))].append(replace(h, quorate=quorate))
        self.recorded_kinds = {h.kind for h in meetings}

    def every(self, kind: str) -> int:
        return max(1, int(self.values(RULE_KEYS[kind], self.org.region)))

    def has_committee(self, month: date) -> bool:
        day = _deciding_day(month, self.today)
        return _posts_at(self.posts, day) >= self.committee_min

    def owes(self, kind: str, month: date) -> bool:
        if not _exists(self.org, month) or kind not in kinds_for_level(self.org.level):
            return False
        return kind != MeetingKind.COMMITTEE or self.has_committee(month)

    def kinds(self, months: Sequence[date]) -> list[str]:
        """The kinds it holds, or has records of; the committee meeting only with a committee."""
        own = kinds_for_level(self.org.level)
        kinds = [k for k in KIND_ORDER if k in own or k in self.recorded_kinds]
        if (
            MeetingKind.COMMITTEE in kinds
            and MeetingKind.COMMITTEE not in self.recorded_kinds
            and not any(self.has_committee(m) for m in months)
        ):
            kinds.remove(MeetingKind.COMMITTEE)
        return kinds

    def cell(self, kind: str, month: date) -> Cell:
        n = self.every(kind)
        period = period_of(month, n)
        here = self.by_kind_month.get((kind, month), [])
        counted = [h for h in here if h.quorate]
        cell = Cell(
            kind=kind,
            month=month,
            status=NOT_DUE,
            rule_key=RULE_KEYS[kind],
            every=n,
            period=period,
            meetings=counted,
            inquorate=[h for h in here if not h.quorate],
        )
        if counted:
            cell.status = HELD
            return cell
        # The period is owed if the kind is owed in its last month (or now, if under way).
        deciding = max(min(period[1], self.current), month)
        if not self.owes(kind, month) or not self.owes(kind, deciding):
            return cell
        satisfied = [
            h
            for m in _months_between(period[0], period[1])
            for h in self.by_kind_month.get((kind, m), [])
            if h.quorate
        ]
        if satisfied:
            cell.satisfied_by = satisfied[0]
        elif month == period[1] and month < self.current:
            cell.status = MISSING
        else:
            cell.status = DUE
        return cell

    def build(self, months: Sequence[date]) -> OrganisationRow:
        kinds = self.kinds(months)
        return OrganisationRow(
            organisation=self.org,
            kinds=kinds,
            months=[MonthCells(month=m, cells=[self.cell(k, m) for k in kinds]) for m in months],
        )


def _load_regions(orgs: list[Organisation]) -> None:
    """Give every organisation its region with one query (a plain list may come without)."""
    from jiequ.areas.models import Region

    missing = {o.region_id for o in orgs if not Organisation.region.is_cached(o)}
    if missing:
        regions = Region.objects.in_bulk(missing)
        for org in orgs:
            if not Organisation.region.is_cached(org):
                org.region = regions[org.region_id]


def _months_between(first: date, last: date) -> list[date]:
    out, month = [], first
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


def _deciding_day(month: date, today: date) -> date:
    """The day a month's facts are read on: its last day, or today for the month under way."""
    return min(month_end(month), today) if month <= today else month_end(month)


def _exists(org: Organisation, month: date) -> bool:
    """Did the organisation exist in `month` (founded by its end, not dissolved by then)?"""
    if org.founded_on and org.founded_on > month_end(month):
        return False
    return not (org.dissolved_on and org.dissolved_on <= month_end(month))


def _posts_at(posts: Iterable[tuple[date, date | None]], day: date) -> int:
    return sum(1 for start, end in posts if start <= day and (end is None or end >= day))


def _meetings(ids: list[int], first: date, last: date) -> dict[int, list[HeldMeeting]]:
    """The meetings of these organisations between two days, with the members present who
    belong to the organisation (or to one under it): two queries and the organisation tree."""
    rows = list(
        Meeting.objects.filter(organisation_id__in=ids, held_on__range=(first, last))
        .order_by("held_on", "pk")
        .values_list("pk", "organisation_id", "kind", "held_on", "topic", "expected")
    )
    general = [r[0] for r in rows if r[2] == MeetingKind.GENERAL]
    present: dict[int, int] = defaultdict(int)
    if general:
        through = Meeting.attendees.through
        pairs = list(
            through.objects.filter(meeting_id__in=general).values_list(
                "meeting_id", "member__organisation_id"
            )
        )
        parents = dict(Organisation.objects.values_list("pk", "parent_id"))
        meeting_org = {r[0]: r[1] for r in rows}
        for meeting_id, member_org in pairs:
            if _is_within(member_org, meeting_org[meeting_id], parents):
                present[meeting_id] += 1
    out: dict[int, list[HeldMeeting]] = defaultdict(list)
    for pk, org_id, kind, held_on, topic, expected in rows:
        out[org_id].append(
            HeldMeeting(
                pk=pk,
                organisation_id=org_id,
                kind=kind,
                held_on=held_on,
                topic=topic,
                expected=expected,
                present=present.get(pk, 0),
                quorate=True,
            )
        )
    return out


def _is_within(org_id: int | None, ancestor_id: int, parents: dict[int, Any]) -> bool:
    seen = set()
    while org_id is not None and org_id not in seen:
        if org_id == ancestor_id:
            return True
        seen.add(org_id)
        org_id = parents.get(org_id)
    return False


def _committee_posts(
    ids: list[int], first: date, last: date
) -> dict[int, list[tuple[date, date | None]]]:
    posts: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    rows = (
        Officer.objects.filter(organisation_id__in=ids, started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values_list("organisation_id", "started_on", "ended_on")
    )
    for org_id, start, end in rows:
        posts[org_id].append((start, end))
    return posts


# --- one meeting ----------------------------------------------------------------------------


def voting_present(meeting: Meeting) -> int:
    """Members present who belong to the meeting's organisation or to one under it."""
    subtree = set(meeting.organisation.subtree_ids())
    return sum(1 for m in meeting.attendees.all() if m.organisation_id in subtree)


def quorum_of(meeting: Meeting) -> dict[str, Any] | None:
    """For a general meeting: present, expected, the share needed and whether it was quorate."""
    if meeting.kind != MeetingKind.GENERAL:
        return None
    share = int(rules.value("quorum_share_percent", meeting.organisation.region))
    present = voting_present(meeting)
    return {
        "present": present,
        "expected": meeting.expected,
        "share": share,
        "quorate": present * 100 > share * meeting.expected,
        "rule": rules.RULES["quorum_share_percent"],
    }


def rule_summary(organisation: Organisation) -> list[dict[str, Any]]:
    """The rules that apply to `organisation`'s meetings, with the numbers in force there."""
    out = []
    for kind in kinds_for_level(organisation.level):
        key = RULE_KEYS[kind]
        out.append(
            {
                "kind": kind,
                "label": MeetingKind(kind).label,
                "rule": rules.RULES[key],
                "every": rules.value(key, organisation.region),
                "frequency": frequency_text(rules.value(key, organisation.region)),
            }
        )
    return out
