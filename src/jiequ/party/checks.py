"""The organisational rules checked against an organisation: findings shown, not assumed.

`check_organisation(org)` lists what is wrong or due (a branch with too few full members, a
committee too small or too large, no secretary, a term ending or overdue). Every number comes
from `jiequ.party.rules`; every message names the rule, its number, and carries its source.

Lists check many organisations at once: `annotate_facts(queryset)` adds the member, unit and
officer counts as subqueries (one query for the whole list) and `RuleValues` reads every
subdistrict's own rule values in one more query, so checking a page of 100 organisations takes
two queries however many organisations and regions it holds.

The write-time rules (an entity has one own organisation, a joint branch's number of units) are
here as well, so forms, the API and commands refuse the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import (
    Category,
    CoverageKind,
    CoverageLink,
    Level,
    Officer,
    OfficerRole,
    Organisation,
    RuleOverride,
)

if TYPE_CHECKING:
    from jiequ.areas.models import Region

ERROR, WARNING = "error", "warning"

# Levels the member-count and committee rules apply to.
BRANCH_LEVELS = frozenset({Level.BRANCH, Level.JOINT_BRANCH})
# Levels that elect a secretary for a term (a Party group has a leader, not a term).
TERM_LEVELS = frozenset({Level.COMMITTEE, Level.GENERAL_BRANCH, Level.BRANCH, Level.JOINT_BRANCH})


@dataclass(frozen=True)
class Finding:
    severity: str  # ERROR or WARNING
    rule: str  # a key of rules.RULES
    message: str  # Chinese (active language) text naming the rule and its number

    @property
    def source(self) -> str:
        return rules.RULES[self.rule].source

    @property
    def label(self) -> str:
        return str(rules.RULES[self.rule].label)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class Facts:
    """The counts the rules are checked against."""

    full_members: int
    probationary_members: int
    covered_units: int
    officers: int  # current committee posts
    secretaries: int  # current secretaries

    @property
    def members(self) -> int:
        return self.full_members + self.probationary_members


ValueGetter = Callable[[str, "Region | None"], Any]


def _count(queryset: models.QuerySet) -> Coalesce:
    """A subquery counting `queryset`'s rows per organisation (0 when there are none)."""
    counted = (
        queryset.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _current_officers(today: date) -> models.QuerySet:
    return Officer.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))


def annotate_facts(queryset: models.QuerySet) -> models.QuerySet:
    """Organisations with the counts the rules need, each a subquery: no query per row."""
    from jiequ.members.models import Member

    if "full_member_count" in queryset.query.annotations:
        return queryset
    today = timezone.localdate()
    active = Member.objects.filter(left_on__isnull=True)
    return queryset.annotate(
        full_member_count=_count(active.filter(membership="full")),
        probationary_member_count=_count(active.filter(membership="probationary")),
        covered_unit_count=_count(CoverageLink.objects.all()),
        officer_count=_count(_current_officers(today)),
        secretary_count=_count(_current_officers(today).filter(role=OfficerRole.SECRETARY)),
    )


def facts_of(org: Organisation) -> Facts:
    """The counts of one organisation: from `annotate_facts` if it was used, else queried."""
    if hasattr(org, "full_member_count"):
        return Facts(
            full_members=org.full_member_count,
            probationary_members=org.probationary_member_count,
            covered_units=org.covered_unit_count,
            officers=org.officer_count,
            secretaries=org.secretary_count,
        )
    annotated = annotate_facts(Organisation.objects.filter(pk=org.pk)).get()
    return facts_of(annotated)


def _n(value: Any) -> int:
    return int(value)


def _rule_ref(key: str, number: Any) -> str:
    """“(rule “…”: 3 members)”: how every message names its rule and number."""
    rule = rules.RULES[key]
    return _("(rule “%(label)s”: %(number)s %(unit)s)") % {
        "label": rule.label,
        "number": number,
        "unit": rule.unit,
    }


def check_organisation(
    org: Organisation, facts: Facts | None = None, values: ValueGetter | None = None
) -> list[Finding]:
    """What the rules find about `org`: errors first, then warnings.

    `facts` and `values` let a list pass counts it annotated and rule values it read once;
    left out, they are queried (`rules.value` for the organisation's region).
    """
    if not org.is_active:
        return []
    facts = facts or facts_of(org)
    get = values or rules.value
    region = org.region if org.region_id else None

    def v(key: str) -> int:
        try:
            return _n(get(key, region))
        except (TypeError, ValueError):  # a value stored by hand in the admin: the default
            return _n(rules.RULES[key].default)

    findings: list[Finding] = []
    if org.level in BRANCH_LEVELS:
        findings += _member_findings(org, facts, v)
        findings += _committee_findings(org, facts, v)
    if org.level in TERM_LEVELS:
        if facts.secretaries == 0:
            findings.append(
                Finding(
                    ERROR,
                    _term_key(org),
                    _(
                        "There is no current secretary: an organisation elects a secretary "
                        "for each term %(rule)s. Record the secretary on the committee."
                    )
                    % {"rule": _rule_ref(_term_key(org), org.term_years or v(_term_key(org)))},
                )
            )
        findings += _term_findings(org, v)
    findings.sort(key=lambda f: f.severity != ERROR)
    return findings


def _member_findings(org: Organisation, facts: Facts, v: Callable[[str], int]) -> list[Finding]:
    findings = []
    minimum = v("branch_min_full_members")
    if facts.full_members < minimum and org.level != Level.JOINT_BRANCH:
        findings.append(
            Finding(
                ERROR,
                "branch_min_full_members",
                _(
                    "Only %(count)d full members: a branch of its own needs at least %(n)d "
                    "%(rule)s. Set up a joint branch with neighbouring units instead."
                )
                % {
                    "count": facts.full_members,
                    "n": minimum,
                    "rule": _rule_ref("branch_min_full_members", minimum),
                },
            )
        )
    max_units = v("joint_branch_max_units")
    if org.level == Level.JOINT_BRANCH and facts.covered_units > max_units:
        findings.append(
            Finding(
                WARNING,
                "joint_branch_max_units",
                _(
                    "This joint branch covers %(count)d units, more than %(n)d "
                    "%(rule)s. Consider dividing it."
                )
                % {
                    "count": facts.covered_units,
                    "n": max_units,
                    "rule": _rule_ref("joint_branch_max_units", max_units),
                },
            )
        )
    committee_level = v("committee_level_min_members")
    usual_max = v("branch_usual_max_members")
    if facts.members >= committee_level:
        findings.append(
            Finding(
                WARNING,
                "committee_level_min_members",
                _(
                    "%(count)d members: from %(n)d members a primary Party committee is set up "
                    "%(rule)s."
                )
                % {
                    "count": facts.members,
                    "n": committee_level,
                    "rule": _rule_ref("committee_level_min_members", committee_level),
                },
            )
        )
    elif facts.members > usual_max:
        findings.append(
            Finding(
                WARNING,
                "branch_usual_max_members",
                _(
                    "%(count)d members, more than the %(n)d a branch normally has %(rule)s. "
                    "Consider a general branch."
                )
                % {
                    "count": facts.members,
                    "n": usual_max,
                    "rule": _rule_ref("branch_usual_max_members", usual_max),
                },
            )
        )
    return findings


def _committee_findings(org: Organisation, facts: Facts, v: Callable[[str], int]) -> list[Finding]:
    findings = []
    needs_committee = v("committee_min_full_members")
    min_size = v("committee_min_size")
    if facts.full_members >= needs_committee and facts.officers < min_size:
        findings.append(
            Finding(
                WARNING,
                "committee_min_full_members",
                _(
                    "%(count)d full members but only %(posts)d committee posts: with %(n)d or "
                    "more full members a branch elects a committee of at least %(size)d %(rule)s."
                )
                % {
                    "count": facts.full_members,
                    "posts": facts.officers,
                    "n": needs_committee,
                    "size": min_size,
                    "rule": _rule_ref("committee_min_full_members", needs_committee),
                },
            )
        )
    max_size = v("committee_max_size")
    usual_max = v("committee_usual_max_size")
    if facts.officers > max_size:
        findings.append(
            Finding(
                ERROR,
                "committee_max_size",
                _("The committee has %(count)d posts, more than %(n)d %(rule)s.")
                % {
                    "count": facts.officers,
                    "n": max_size,
                    "rule": _rule_ref("committee_max_size", max_size),
                },
            )
        )
    elif facts.officers > usual_max:
        findings.append(
            Finding(
                WARNING,
                "committee_usual_max_size",
                _("The committee has %(count)d posts, more than the usual %(n)d %(rule)s.")
                % {
                    "count": facts.officers,
                    "n": usual_max,
                    "rule": _rule_ref("committee_usual_max_size", usual_max),
                },
            )
        )
    return findings


def _term_key(org: Organisation) -> str:
    return (
        "community_branch_term_years" if org.category == Category.COMMUNITY else "branch_term_years"
    )


def _term_findings(org: Organisation, v: Callable[[str], int]) -> list[Finding]:
    end = org.term_ends_on
    if end is None:
        return []
    today = timezone.localdate()
    years = org.term_years or v(_term_key(org))
    if end < today:
        return [
            Finding(
                ERROR,
                _term_key(org),
                _(
                    "Term overdue: the term ended on %(date)s, %(days)d days ago; hold the "
                    "election for a new term %(rule)s."
                )
                % {
                    "date": end.isoformat(),
                    "days": (today - end).days,
                    "rule": _rule_ref(_term_key(org), years),
                },
            )
        ]
    warning_days = v("term_warning_days")
    if end <= today + timedelta(days=warning_days):
        return [
            Finding(
                WARNING,
                "term_warning_days",
                _("The term ends on %(date)s, in %(days)d days: prepare the election %(rule)s.")
                % {
                    "date": end.isoformat(),
                    "days": (end - today).days,
                    "rule": _rule_ref("term_warning_days", warning_days),
                },
            )
        ]
    return []


def worst(findings: Iterable[Finding]) -> str:
    """ERROR, WARNING or "" for no finding: the flag a list shows."""
    severities = {f.severity for f in findings}
    return ERROR if ERROR in severities else WARNING if WARNING in severities else ""


def check_many(organisations: Iterable[Organisation]) -> dict[int, list[Finding]]:
    """Findings of organisations from `annotate_facts` (with their regions selected).

    One query for the rule overrides, none per organisation.
    """
    values = rules.RuleValues()
    return {org.pk: check_organisation(org, facts_of(org), values) for org in organisations}


def flags(queryset: models.QuerySet) -> dict[int, str]:
    """Each organisation of `queryset` → its worst finding (ERROR, WARNING or "")."""
    organisations = annotate_facts(queryset.select_related("region"))
    return {pk: worst(findings) for pk, findings in check_many(organisations).items()}


def flagged_ids(queryset: models.QuerySet, severity: str = "") -> list[int]:
    """Ids of the organisations in `queryset` with a finding; with `severity`, those whose
    worst finding is of that severity."""
    return [
        pk for pk, flag in flags(queryset).items() if flag and (not severity or flag == severity)
    ]


# Term states a list filters by. The warning window is each subdistrict's own.


def annotate_term_warning(queryset: models.QuerySet) -> models.QuerySet:
    """Adds `term_warn_from`: the date from which the organisation's term end is flagged."""
    today = timezone.localdate()
    default = rules.RULES["term_warning_days"].default
    overrides = sorted(
        RuleOverride.objects.filter(key="term_warning_days").values_list("region__path", "value"),
        key=lambda e: len(e[0]),
        reverse=True,
    )
    whens = [
        When(region__path__startswith=path, then=Value(today + timedelta(days=int(days))))
        for path, days in overrides
    ]
    return queryset.annotate(
        term_warn_until=Case(
            *whens,
            default=Value(today + timedelta(days=int(default))),
            output_field=DateField(),
        )
    )


def ending_soon(queryset: models.QuerySet) -> models.QuerySet:
    """Active organisations whose term ends within their subdistrict's warning window."""
    today = timezone.localdate()
    return (
        annotate_term_warning(queryset)
        .filter(dissolved_on__isnull=True, term_ends_on__gte=today)
        .filter(term_ends_on__lte=models.F("term_warn_until"))
    )


def overdue(queryset: models.QuerySet) -> models.QuerySet:
    """Active organisations whose term has ended without a new one being recorded."""
    return queryset.filter(dissolved_on__isnull=True, term_ends_on__lt=timezone.localdate())


# Write-time rules for coverage links.


def coverage_refusal(organisation: Organisation, entity: Any, kind: str) -> str | None:
    """Why `organisation` may not cover `entity` as `kind`, or None if it may."""
    links = CoverageLink.objects.filter(entity=entity)
    if links.filter(organisation=organisation).exists():
        return _("“%(entity)s” is already covered by this organisation.") % {"entity": entity}
    if kind == CoverageKind.OWN:
        other = links.filter(kind=CoverageKind.OWN).select_related("organisation").first()
        if other is not None:
            return _(
                "“%(entity)s” already has its own organisation, “%(other)s”; an entity has "
                "only one. Link it as joint, attached or area coverage, or remove the other "
                "link first."
            ) % {"entity": entity, "other": other.organisation}
    if organisation.level == Level.JOINT_BRANCH:
        limit = _n(rules.value("joint_branch_max_units", organisation.region))
        count = organisation.coverage_links.count()
        if count >= limit:
            return _(
                "This joint branch already covers %(count)d units; it may cover at most "
                "%(n)d %(rule)s. %(source)s"
            ) % {
                "count": count,
                "n": limit,
                "rule": _rule_ref("joint_branch_max_units", limit),
                "source": rules.RULES["joint_branch_max_units"].source,
            }
    return None
