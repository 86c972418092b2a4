"""The figures of a road survey's report: business mix, states found, demands by category,
the answers summarised per question, progress. The HTML page and the PDF both read `build()`.

Definitions (docs/road-surveys.md):

- business mix: the surveyed entities by industry section (GB/T 4754), by kind (enterprise,
  individual business…) and by "two enterprises, three new" sector, as shares of all entities on
  the survey;
- states found: visited shops by what the visitor found; shops not visited yet are a row of
  their own;
- demands by category: demands raised, by top-level case category, with how many went to the
  demands desk as cases;
- answers: per question, over the visits that answered it — counts and shares of each option
  (for several choices, the share of respondents naming it), the yes share, numbers' mean,
  median, smallest and largest, and the text answers.

The report's figures cover the whole survey; the list of shops is limited to those the reader
may see (see views).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiequ.ledger.models import EntityKind, Industry, Sector

from .models import QuestionKind, StateFound, Survey, SurveyDemand, SurveyVisit
from .questions import YES, display_answer


@dataclass
class Row:
    label: str
    n: int
    share: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f}%"


def _rows(counter: Counter, labels: dict[str, str], total: int, order: list[str]) -> list[Row]:
    keys = [k for k in order if counter.get(k)] + sorted(
        (k for k in counter if k not in order), key=str
    )
    return [
        Row(
            labels.get(k, str(k) or _("Not given")),
            counter[k],
            counter[k] / total if total else None,
        )
        for k in keys
    ]


@dataclass
class QuestionSummary:
    question: dict[str, Any]
    answered: int
    rows: list[Row] = field(default_factory=list)  # choice, multi, yes/no
    stats: dict[str, Any] = field(default_factory=dict)  # number
    texts: list[str] = field(default_factory=list)  # text

    @property
    def kind(self) -> str:
        return self.question["kind"]


def summarise_question(question: dict[str, Any], answers: list[dict[str, Any]]) -> QuestionSummary:
    key, kind = question["key"], question["kind"]
    values = [a[key] for a in answers if a.get(key) not in (None, "", [])]
    summary = QuestionSummary(question, len(values))
    n = len(values)
    if kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
        counter: Counter = Counter()
        for value in values:
            counter.update(value if isinstance(value, list) else [value])
        options = question.get("options") or []
        summary.rows = [
            Row(o, counter.get(o, 0), counter.get(o, 0) / n if n else None) for o in options
        ]
    elif kind == QuestionKind.YESNO:
        yes = sum(1 for v in values if v == YES)
        summary.rows = [
            Row(_("yes"), yes, yes / n if n else None),
            Row(_("no"), n - yes, (n - yes) / n if n else None),
        ]
    elif kind == QuestionKind.NUMBER:
        numbers = sorted(int(v) for v in values)
        if numbers:
            middle = len(numbers) // 2
            median = (
                numbers[middle] if len(numbers) % 2 else (numbers[middle - 1] + numbers[middle]) / 2
            )
            summary.stats = {
                "mean": sum(numbers) / len(numbers),
                "median": median,
                "min": numbers[0],
                "max": numbers[-1],
                "sum": sum(numbers),
            }
    else:
        summary.texts = [display_answer(question, v) for v in values]
    return summary


@dataclass
class Report:
    survey: Survey
    total: int
    visited: int
    industry: list[Row]
    kind: list[Row]
    sector: list[Row]
    states: list[Row]
    demands: list[Row]
    demand_count: int
    cases_opened: int
    questions: list[QuestionSummary]
    visitors: int

    @property
    def visited_share(self) -> float | None:
        return self.visited / self.total if self.total else None

    @property
    def visited_percent(self) -> str:
        share = self.visited_share
        return "—" if share is None else f"{share * 100:.0f}%"


def build(survey: Survey) -> Report:
    visits = list(
        SurveyVisit.objects.filter(survey=survey)
        .select_related("entity")
        .only(
            "pk",
            "visited_on",
            "state_found",
            "answers",
            "visitor_id",
            "entity__industry",
            "entity__kind",
            "entity__sector",
        )
    )
    total = len(visits)
    visited = [v for v in visits if v.visited_on is not None]
    industry = Counter(v.entity.industry for v in visits)
    kinds = Counter(v.entity.kind for v in visits)
    sectors = Counter(v.entity.sector for v in visits)
    industry_labels = {k: v for k, v in Industry.choices}
    industry_labels[""] = _("Industry not recorded")
    sector_labels = {k: str(v) for k, v in Sector.choices}
    sector_labels[""] = _("None of these")
    states = Counter(v.state_found for v in visited)
    state_rows = _rows(
        states, {k: str(v) for k, v in StateFound.choices}, total, list(StateFound.values)
    )
    if total - len(visited):
        state_rows.append(
            Row(_("Not visited yet"), total - len(visited), (total - len(visited)) / total)
        )
    demands, demand_count, cases = demands_by_category(
        SurveyDemand.objects.filter(visit__survey=survey)
    )
    answers = [v.answers or {} for v in visited]
    return Report(
        survey=survey,
        total=total,
        visited=len(visited),
        industry=sorted(
            _rows(industry, {k: str(v) for k, v in industry_labels.items()}, total, []),
            key=lambda r: (-r.n, r.label),
        ),
        kind=_rows(
            kinds, {k: str(v) for k, v in EntityKind.choices}, total, list(EntityKind.values)
        ),
        sector=sorted(_rows(sectors, sector_labels, total, []), key=lambda r: (-r.n, r.label)),
        states=state_rows,
        demands=demands,
        demand_count=demand_count,
        cases_opened=cases,
        questions=[summarise_question(q, answers) for q in survey.questions],
        visitors=len({v.visitor_id for v in visited if v.visitor_id}),
    )


def demands_by_category(demands: QuerySet) -> tuple[list[Row], int, int]:
    """Rows per top-level category (most first), the number of demands, how many became cases."""
    from jiequ.cases.figures import root_categories

    roots = root_categories()
    counter: Counter = Counter()
    with_case: Counter = Counter()
    for category_id, case_id in demands.values_list("category_id", "case_id"):
        root = roots[category_id].name
        counter[root] += 1
        if case_id:
            with_case[root] += 1
    total = sum(counter.values())
    rows = [
        Row(name, n, n / total if total else None, {"cases": with_case.get(name, 0)})
        for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return rows, total, sum(with_case.values())
