"""The pool's size over time and the service hours, with their exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiequ.core.exports import rows_response
from jiequ.core.scoping import restrict

from . import hours, pool
from .models import TaskSignup, Volunteer, VolunteerTask
from .views_tasks import needs_hours

MONTH_CHOICES = (12, 24, 36)


def _volunteers(request: HttpRequest, action: str = "view") -> Any:
    user = request.user
    if not user.has_perm(f"volunteers.{action}_volunteer"):
        raise PermissionDenied
    return restrict(Volunteer.objects.all(), user, action)


def _pool_rows(request: HttpRequest, action: str) -> tuple[list[pool.MonthFigures], int]:
    count = request.GET.get("months", "12")
    count = int(count) if count.isdigit() and int(count) in MONTH_CHOICES else 12
    return pool.pool_months(_volunteers(request, action), count), count


def _link(name: str, **params: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode(params)}"


@login_required
def pool_page(request: HttpRequest) -> HttpResponse:
    rows, count = _pool_rows(request, "view")
    table = [
        {
            "month": f"{row.month:%Y-%m}",
            "pool": row.pool,
            "joined": row.joined,
            "left": row.left,
            "served": row.served,
            "hours": row.hours,
            "pool_url": _link("volunteers:volunteer_list", pool_month=f"{row.month:%Y-%m}"),
            "joined_url": _link("volunteers:volunteer_list", confirmed_month=f"{row.month:%Y-%m}"),
            "left_url": _link("volunteers:volunteer_list", left_month=f"{row.month:%Y-%m}"),
            "tasks_url": _link("volunteers:task_list", month=f"{row.month:%Y-%m}"),
        }
        for row in rows
    ]
    chart = {
        "months": [r["month"] for r in table],
        "pool": [r["pool"] for r in table],
        "joined": [r["joined"] for r in table],
        "left": [r["left"] for r in table],
        "links": [r["pool_url"] for r in table],
        "labels": {
            "pool": _("Standing pool"),
            "joined": _("Newly confirmed"),
            "left": _("Left"),
        },
    }
    return render(
        request,
        "volunteers/pool.html",
        {
            "table": list(reversed(table)),
            "chart": chart,
            "current": table[-1] if table else None,
            "window": pool.POOL_WINDOW_MONTHS,
            "months": count,
            "month_choices": MONTH_CHOICES,
            "can_export": request.user.has_perm("volunteers.export_volunteer"),
        },
    )


@login_required
def pool_export(request: HttpRequest) -> HttpResponse:
    rows, _count = _pool_rows(request, "export")
    headers = [
        _("month"),
        _("Standing pool"),
        _("Newly confirmed"),
        _("Left"),
        _("Volunteers who served"),
        _("service hours"),
    ]
    data = [[f"{r.month:%Y-%m}", r.pool, r.joined, r.left, r.served, r.hours] for r in rows]
    return rows_response(headers, data, request.GET.get("format", "xlsx"), "volunteer-pool")


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period comes before its start."))
        return cleaned


def _period(request: HttpRequest) -> tuple[PeriodForm, hours.Period]:
    today = timezone.localdate()
    data = request.GET if ("start" in request.GET or "end" in request.GET) else None
    form = PeriodForm(data, initial={"start": dt.date(today.year, 1, 1), "end": today})
    if data is None:
        return form, hours.Period(dt.date(today.year, 1, 1), today)
    if not form.is_valid():
        return form, hours.Period(dt.date(9999, 1, 1), dt.date(9999, 1, 1))  # matches nothing
    return form, hours.Period(form.cleaned_data["start"], form.cleaned_data["end"])


@login_required
def hours_page(request: HttpRequest) -> HttpResponse:
    volunteers = _volunteers(request)
    form, period = _period(request)
    signups = restrict(TaskSignup.objects.all(), request.user)
    totals = hours.totals(signups, period)
    page = Paginator(hours.table(volunteers, period), 50).get_page(request.GET.get("page"))
    waiting_tasks = (
        restrict(VolunteerTask.objects.all(), request.user)
        .filter(pk__in=needs_hours(signups).values("task_id"))
        .annotate(waiting=Count("signups"))
        .order_by("-starts_at")[:20]
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "volunteers/hours.html",
        {
            "form": form,
            "totals": totals,
            "page_obj": page,
            "querystring": params.urlencode(),
            "waiting_tasks": waiting_tasks,
            "can_export": request.user.has_perm("volunteers.export_volunteer"),
        },
    )


@login_required
def hours_export(request: HttpRequest) -> HttpResponse:
    """Hours per volunteer (default) or every confirmed service (?rows=services)."""
    volunteers = _volunteers(request, "export")
    _form, period = _period(request)
    fmt = request.GET.get("format", "xlsx")
    if request.GET.get("rows") == "services":
        if not request.user.has_perm("volunteers.export_tasksignup"):
            raise PermissionDenied
        signups = (
            hours.served_signups(restrict(TaskSignup.objects.all(), request.user, "export"), period)
            .select_related("task", "volunteer", "confirmed_by")
            .order_by("task__starts_at", "pk")
        )
        headers = [
            _("date"),
            _("task"),
            _("place"),
            _("volunteer"),
            _("service hours"),
            _("hours confirmed by"),
        ]
        rows = [
            [
                timezone.localtime(s.task.starts_at).date(),
                s.task.title,
                s.task.place,
                str(s.volunteer),
                s.hours,
                str(s.confirmed_by or ""),
            ]
            for s in signups
        ]
        return rows_response(headers, rows, fmt, "volunteer-services")
    headers = [
        _("full name"),
        _("mobile phone"),
        _("work"),
        _("platform"),
        _("tasks served"),
        _("service hours"),
        _("hours reported, waiting"),
    ]
    rows = [
        [
            str(v),
            v.phone_masked,
            v.get_occupation_display(),
            v.get_platform_display(),
            v.served_count,
            v.confirmed_hours,
            v.reported_waiting,
        ]
        for v in hours.table(volunteers, period)
    ]
    return rows_response(headers, rows, fmt, "volunteer-hours")
