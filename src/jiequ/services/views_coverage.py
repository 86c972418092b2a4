"""The "兜网式供给" page: organisations × what they received in a period, those that received
nothing, and needs still open by age; every figure links to the list behind it. The district
reads counts per subdistrict."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jiequ.accounts.roles import Role
from jiequ.core.exports import rows_response

from . import coverage as cov

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("from"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("until"), required=False, widget=DATE_INPUT)
    reached = forms.ChoiceField(
        label=gettext_lazy("show"),
        required=False,
        choices=[
            ("", gettext_lazy("all organisations")),
            ("no", gettext_lazy("received nothing")),
            ("yes", gettext_lazy("received something")),
        ],
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cov.default_period()
        cleaned["start"] = cleaned.get("start") or start
        cleaned["end"] = cleaned.get("end") or end
        if cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return cleaned


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date, str]:
    form = PeriodForm(request.GET or None)
    start, end = cov.default_period()
    reached = ""
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        reached = form.cleaned_data["reached"]
    elif not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end, reached


def _url(name: str, **params: object) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})


@login_required
@permission_required("services.view_coverage", raise_exception=True)
def coverage_view(request: HttpRequest) -> HttpResponse:
    form, start, end, reached = _period(request)
    user = request.user
    if user.role == Role.DISTRICT_VIEWER and not user.is_superuser:
        return render(
            request,
            "services/coverage_district.html",
            {
                "form": form,
                "figures": cov.district_figures(user, start, end),
                "start": start,
                "end": end,
            },
        )
    table = cov.coverage(user, start, end)
    period = {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    rows = table.rows
    if reached == "no":
        rows = [r for r in rows if not r.reached]
    elif reached == "yes":
        rows = [r for r in rows if r.reached]
    can_deliveries = user.has_perm("services.view_delivery")
    can_needs = user.has_perm("services.view_need")
    context = {
        "form": form,
        "table": table,
        "rows": [
            (
                r,
                _url("services:delivery_list", organisation=r.organisation.pk, **period)
                if can_deliveries
                else "",
                _url("services:need_list", organisation=r.organisation.pk, state="open")
                if can_needs
                else "",
            )
            for r in rows
        ],
        "links": {
            "not_reached": _url("services:coverage", reached="no", **period),
            "reached": _url("services:coverage", reached="yes", **period),
            "deliveries": _url("services:delivery_list", **period) if can_deliveries else "",
            "open_needs": _url("services:need_list", state="open") if can_needs else "",
        },
        "buckets": [
            (b, _url("services:need_list", state="open", age=b.key) if can_needs else "")
            for b in table.open_needs
        ],
        "categories": [
            (
                c,
                _url("services:delivery_list", category=c.category, **period)
                if can_deliveries
                else "",
            )
            for c in table.by_category
        ],
        "export_url": _url("services:coverage_export", reached=reached, **period),
    }
    return render(request, "services/coverage.html", context)


@login_required
@permission_required("services.view_coverage", raise_exception=True)
def coverage_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.DISTRICT_VIEWER and not user.is_superuser:
        _form, start, end, _reached = _period(request)
        headers = [
            _("subdistrict"),
            _("organisations"),
            _("received something"),
            _("received nothing"),
            _("deliveries"),
            pgettext("delivery", "participants"),
            _("open needs"),
        ]
        rows = [
            [
                f.subdistrict,
                f.organisations,
                f.reached,
                f.not_reached,
                f.deliveries,
                f.participants,
                f.open_needs,
            ]
            for f in cov.district_figures(user, start, end)
        ]
        return rows_response(headers, rows, "xlsx", "supply-coverage")
    _form, start, end, reached = _period(request)
    table = cov.coverage(user, start, end)
    headers = [
        _("organisation"),
        _("level"),
        _("category"),
        _("higher organisation"),
        _("deliveries"),
        _("projects"),
        pgettext("delivery", "participants"),
        _("last delivered on"),
        _("average rating"),
        _("open needs"),
        _("received nothing"),
    ]
    rows = [
        [
            r.organisation.name,
            r.organisation.get_level_display(),
            r.organisation.get_category_display(),
            r.organisation.parent.name if r.organisation.parent else "",
            r.deliveries,
            r.projects,
            r.participants,
            r.last_delivered,
            r.rating,
            r.open_needs,
            _("yes") if not r.reached else "",
        ]
        for r in table.rows
        if reached == "" or (reached == "no") != r.reached
    ]
    return rows_response(headers, rows, request.GET.get("format", "xlsx"), "supply-coverage")
