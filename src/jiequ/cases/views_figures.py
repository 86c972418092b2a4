"""The figures page of the demands: one page of charts and tables over the user's scope.

The numbers come from jiequ.cases.figures; this module reads the form and arranges them. Each
number links to the case list that shows exactly those cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jiequ.areas.models import Region, RegionLevel

from . import figures as f

MONTH_INPUT = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker sends that)."""

    widget = MONTH_INPUT
    default_error_messages = {"invalid": gettext_lazy("Enter a month as YYYY-MM, e.g. 2026-05.")}

    def to_python(self, value: Any) -> dt.date | None:
        text = super().to_python(value)
        if not text:
            return None
        month = f.parse_month(text)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class FiguresForm(forms.Form):
    month = forms.TypedChoiceField(label=gettext_lazy("Period"), required=False, choices=())
    baseline_from = MonthField(label=gettext_lazy("Baseline from"), required=False)
    baseline_to = MonthField(label=gettext_lazy("Baseline to"), required=False)
    recent_from = MonthField(label=gettext_lazy("Compare from"), required=False)
    recent_to = MonthField(label=gettext_lazy("Compare to"), required=False)

    def __init__(self, *args: Any, months: list[dt.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", _("All months"))] + [
            (f.month_key(m), f.month_key(m)) for m in months
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for start, end, label in (
            ("baseline_from", "baseline_to", _("baseline")),
            ("recent_from", "recent_to", _("comparison period")),
        ):
            first, last = cleaned.get(start), cleaned.get(end)
            if bool(first) != bool(last):
                self.add_error(
                    end if first else start,
                    _("Give both months of the %(period)s, or neither.") % {"period": label},
                )
            elif first and last and first > last:
                self.add_error(
                    end,
                    _("The %(period)s ends before it starts.") % {"period": label},
                )
        return cleaned


def _periods(form: FiguresForm, defaults: f.Periods) -> f.Periods:
    # Fields that passed keep their value even when another field has an error.
    data = getattr(form, "cleaned_data", {}) if form.is_bound else {}
    baseline = defaults.baseline
    recent = defaults.recent
    if data.get("baseline_from") and data.get("baseline_to"):
        baseline = (data["baseline_from"], data["baseline_to"])
    if data.get("recent_from") and data.get("recent_to"):
        recent = (data["recent_from"], data["recent_to"])
    return f.Periods(baseline, recent, defaults.pilot)


def _scope_is_district(user: Any) -> bool:
    scope = getattr(user, "scope_region", None)
    return scope is None or scope.level == RegionLevel.DISTRICT


def _subdistricts(user: Any) -> list[Region]:
    scope = getattr(user, "scope_region", None)
    qs = Region.objects.restrict(user).filter(level=RegionLevel.SUBDISTRICT)
    if scope is not None:
        qs = qs.filter(path__startswith=scope.path)
    return list(qs.order_by("path"))


def _chart(figures: list[f.Figure]) -> list[dict[str, Any]]:
    return [{"name": x.label, "value": x.n, "url": x.url} for x in figures]


def _initial(periods: f.Periods) -> dict[str, str]:
    return {
        "baseline_from": f.month_key(periods.baseline[0]),
        "baseline_to": f.month_key(periods.baseline[1]),
        "recent_from": f.month_key(periods.recent[0]),
        "recent_to": f.month_key(periods.recent[1]),
    }


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("cases.view_case"):
        raise PermissionDenied
    cases = f.scoped_cases(user)
    defaults = f.default_periods(cases)
    form = FiguresForm(
        request.GET or None, months=f.months_with_cases(cases), initial=_initial(defaults)
    )
    month = (
        f.parse_month(form.cleaned_data.get("month"))
        if form.is_bound and (form.is_valid() or "month" in form.cleaned_data)
        else None
    )
    periods = _periods(form, defaults)
    narrowed, base = f.narrow_to_month(cases, month)
    summary = f.summarise(narrowed, base)
    comparison = f.compare(cases, periods)
    context: dict[str, Any] = {
        "form": form,
        "month": month,
        "summary": summary,
        "level_rows": list(zip(summary.by_level, summary.solved_at, strict=True)),
        "comparison": comparison,
        "periods": periods,
        "scope": getattr(user, "scope_region", None),
        "district_wide": _scope_is_district(user),
        "source_header": pgettext("case", "Source"),
    }
    if context["district_wide"]:
        rows = []
        for sub in _subdistricts(user):
            region_base = {**base, "region": sub.pk}
            inside = narrowed.filter(region__path__startswith=sub.path)
            row = f.summarise(inside, region_base)
            sub_comparison = f.compare(
                cases.filter(region__path__startswith=sub.path), periods, {"region": sub.pk}
            )
            rows.append({"region": sub, "summary": row, "comparison": sub_comparison})
        context["subdistrict_rows"] = rows
    context["charts"] = {
        "source": _chart(summary.by_source),
        "level": _chart(summary.by_level),
        "solved": _chart(summary.solved_at),
        "category": _chart(summary.by_category[:12]),
        "months": [
            {
                "month": row.key,
                "received": row.received,
                "sent": row.sent,
                "share": None if row.share is None else round(row.share * 100, 1),
                "receivedUrl": row.received_url,
                "sentUrl": row.sent_url,
            }
            for row in comparison.months
        ],
        "baseline": [f.month_key(periods.baseline[0]), f.month_key(periods.baseline[1])],
        "recent": [f.month_key(periods.recent[0]), f.month_key(periods.recent[1])],
        "labels": {
            "now": _("Held now"),
            "solved": _("Solved here"),
            "received": _("Received"),
            "sent": _("Sent to the district"),
            "share": _("Share sent to the district (%)"),
            "baseline": _("Baseline"),
            "recent": _("Compared"),
        },
    }
    context["today"] = timezone.localdate()
    return render(request, "cases/figures.html", context)
