"""The duty rota: a position's days with their masters, generating from the pool, the pool
itself, swaps with the consent of both, and the gaps of the next two weeks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.exports import FORMATS, rows_response
from jiequ.core.scoping import restrict

from . import hours, rota
from .filtersets import DutyFilterSet, SwapFilterSet
from .forms import AssignForm, PeriodForm, PoolForm, SwapForm
from .menu import own_member, week_start
from .models import Duty, DutySwap, Position, RotaMember, SwapState
from .views import LocalTimeExportMixin, VisibleExportMixin

ROTA_DAYS = 28


class DutyMixin:
    model = Duty
    url_prefix = "positions:duty"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("position", "member", "cadre")


class DutyListView(DutyMixin, generic.ObjectListView):
    filterset_class = DutyFilterSet
    columns = ["day", "weekday", "position", "master", "note"]

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if not self.request.GET.get("start"):
            qs = qs.filter(day__gte=timezone.localdate())
        return qs


class DutyExportView(DutyMixin, VisibleExportMixin, generic.ObjectExportView):
    filterset_class = DutyFilterSet
    columns = ["day", "weekday", "position", "master", "note"]
    basename = "duty-rota"


def _position(request: HttpRequest, pk: int, action: str = "view") -> Position:
    if not request.user.has_perm(f"positions.{action}_duty"):
        raise PermissionDenied
    return get_object_or_404(restrict(Position.objects.all(), request.user), pk=pk)


def _can_manage(user: Any, position: Position) -> bool:
    return (
        user.has_perm("positions.change_duty")
        and restrict(Position.objects.filter(pk=position.pk), user, "change").exists()
    )


@login_required
def rota_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Four weeks of a position's rota: each open day's master, gaps marked."""
    position = _position(request, pk)
    user = request.user
    today = timezone.localdate()
    start = hours.parse_day(request.GET.get("start", "")) or week_start(today)
    start = week_start(start)
    end = start + dt.timedelta(days=ROTA_DAYS - 1)
    duties = {
        d.day: d
        for d in Duty.objects.filter(
            position=position, day__gte=start, day__lte=end
        ).select_related("member__organisation", "cadre")
    }
    me = own_member(user)
    horizon = today + dt.timedelta(days=rota.GAP_HORIZON_DAYS - 1)
    days = []
    for day in rota.days_between(start, end):
        opening = position.hours_on(day)
        duty = duties.get(day)
        days.append(
            {
                "day": day,
                "weekday": hours.weekday_name(day.weekday()),
                "open": opening is not None,
                "duty": duty,
                "mine": duty is not None and me is not None and duty.member_id == me.pk,
                "gap": opening is not None and duty is None and day >= today,
                "soon": today <= day <= horizon,
                "past": day < today,
                "holiday": hours.public_holiday(day)
                if position.closed_on_public_holidays
                else None,
            }
        )
    manage = _can_manage(user, position)
    pool = position.pool.select_related("member__organisation", "cadre").order_by("order", "pk")
    context = {
        "object": position,
        "days": days,
        "start": start,
        "prev": start - dt.timedelta(days=ROTA_DAYS),
        "next": start + dt.timedelta(days=ROTA_DAYS),
        "today_start": week_start(today),
        "manage": manage,
        "pool": pool,
        "gaps": [g for g in rota.gaps(Position.objects.filter(pk=position.pk))],
        "gap_days": rota.GAP_HORIZON_DAYS,
        "can_swap": user.has_perm("positions.add_dutyswap"),
    }
    if manage:
        context.update(
            period_form=PeriodForm(initial={"start": max(start, today), "end": end}),
            assign_form=AssignForm(position=position, initial={"day": today}),
            pool_form=PoolForm(user=user, position=position),
        )
    return render(request, "positions/rota.html", context)


def _back(position: Position, request: HttpRequest) -> HttpResponse:
    url = reverse("positions:rota", args=[position.pk])
    start = request.POST.get("back_start", "")
    return redirect(f"{url}?start={start}" if hours.parse_day(start) else url)


@login_required
@require_POST
def rota_generate(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk, "add")
    if not _can_manage(request.user, position):
        raise PermissionDenied
    form = PeriodForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(position, request)
    try:
        made = rota.generate(
            position, form.cleaned_data["start"], form.cleaned_data["end"], request.user
        )
    except rota.RotaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(n)d days given a duty master from the pool.") % {"n": len(made)}
        )
    return _back(position, request)


@login_required
@require_POST
def rota_assign(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk, "change")
    if not _can_manage(request.user, position):
        raise PermissionDenied
    form = AssignForm(request.POST, position=position)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(position, request)
    member, cadre = form.cleaned_data["person"]
    day = form.cleaned_data["day"]
    if day < timezone.localdate():
        messages.error(request, _("Days that are past cannot be changed."))
        return _back(position, request)
    try:
        duty = rota.assign(position, day, member=member, cadre=cadre)
    except rota.RotaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(day)s: %(name)s is on duty.") % {"day": day, "name": duty.master}
        )
    return _back(position, request)


@login_required
@require_POST
def pool_add(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk)
    if not (
        request.user.has_perm("positions.add_rotamember") and _can_manage(request.user, position)
    ):
        raise PermissionDenied
    form = PoolForm(request.POST, user=request.user, position=position)
    if form.is_valid():
        member, cadre = form.cleaned_data["person"]
        last = position.pool.order_by("-order").first()
        RotaMember.objects.create(
            position=position, member=member, cadre=cadre, order=(last.order + 1) if last else 0
        )
        messages.success(request, _("Added to the pool: %(name)s.") % {"name": member or cadre})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back(position, request)


@login_required
@require_POST
def pool_toggle(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    position = _position(request, pk)
    if not (
        request.user.has_perm("positions.change_rotamember") and _can_manage(request.user, position)
    ):
        raise PermissionDenied
    item = get_object_or_404(RotaMember, pk=entry, position=position)
    item.is_active = not item.is_active
    item.save()
    return _back(position, request)


# --- gaps -----------------------------------------------------------------------------------


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    """Open days of the next two weeks without a duty master, for every position in scope."""
    if not request.user.has_perm("positions.view_duty"):
        raise PermissionDenied
    positions = restrict(Position.objects.all(), request.user)
    found = rota.gaps(positions)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        headers = [_("day"), _("weekday"), _("service position"), _("days ahead")]
        rows = [
            [g.day, hours.weekday_name(g.day.weekday()), str(g.position), g.days_ahead]
            for g in found
        ]
        return rows_response(headers, rows, fmt, "rota-gaps")
    return render(
        request,
        "positions/gap_list.html",
        {
            "gaps": found,
            "gap_days": rota.GAP_HORIZON_DAYS,
            "export_formats": FORMATS if request.user.has_perm("positions.export_duty") else (),
        },
    )


# --- swaps ----------------------------------------------------------------------------------


class SwapMixin:
    model = DutySwap
    url_prefix = "positions:swap"

    def get_queryset(self) -> Any:
        qs = (
            super()
            .get_queryset()
            .select_related(
                "duty_a__position", "duty_b", "a_member", "a_cadre", "b_member", "b_cadre"
            )
        )
        user = self.request.user
        if not user.has_perm("positions.change_duty"):
            # Duty masters see their own swaps.
            qs = qs.filter(Q(a_member__user=user) | Q(b_member__user=user))
        return qs


class SwapListView(SwapMixin, generic.ObjectListView):
    filterset_class = SwapFilterSet
    columns = ["position_name", "person_a", "day_a", "person_b", "day_b", "state"]
    template_name = "positions/swap_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["swap_rows"] = [
            {
                "swap": swap,
                "can_answer": swap.state == SwapState.PROPOSED and rota.can_answer(user, swap),
                "can_withdraw": swap.state == SwapState.PROPOSED and rota.can_withdraw(user, swap),
            }
            for swap in context["object_list"]
        ]
        context["propose_url"] = reverse("positions:swap_propose")
        return context


class SwapExportView(SwapMixin, LocalTimeExportMixin, generic.ObjectExportView):
    filterset_class = SwapFilterSet
    columns = [
        "position_name",
        "person_a",
        "day_a",
        "person_b",
        "day_b",
        "state",
        "note",
        "proposed_by",
        "answered_by",
        "answered_at",
        "created_at",
    ]
    basename = "duty-swaps"


def _swap_choices(user: Any) -> tuple[Any, Any]:
    today = timezone.localdate()
    upcoming = (
        restrict(Duty.objects.all(), user)
        .filter(day__gte=today)
        .select_related("position", "member", "cadre")
        .order_by("day", "position__name")
    )
    managed = (
        upcoming.filter(position__in=restrict(Position.objects.all(), user, "change"))
        if user.has_perm("positions.change_duty")
        else upcoming.none()
    )
    me = own_member(user)
    mine = upcoming.filter(member=me) if me is not None else upcoming.none()
    mine = (mine | managed).distinct()
    others = upcoming.exclude(member=me) if me is not None else upcoming
    return mine, others


@login_required
def swap_propose(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("positions.add_dutyswap"):
        raise PermissionDenied
    mine, others = _swap_choices(request.user)
    if request.method == "POST":
        form = SwapForm(request.POST, mine=mine, others=others)
        if form.is_valid():
            try:
                swap = rota.propose_swap(
                    form.cleaned_data["duty_a"],
                    form.cleaned_data["duty_b"],
                    request.user,
                    form.cleaned_data["note"],
                )
            except rota.RotaError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Swap proposed: %(name)s must accept it before the rota changes.")
                    % {"name": swap.person_b},
                )
                return redirect("positions:swap_list")
        status = 400
    else:
        initial = {}
        if request.GET.get("duty", "").isdigit():
            initial["duty_a"] = request.GET["duty"]
        form = SwapForm(initial=initial, mine=mine, others=others)
        status = 200
    return render(
        request,
        "positions/swap_form.html",
        {"form": form, "has_duties": mine.exists()},
        status=status,
    )


@login_required
@require_POST
def swap_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not request.user.has_perm("positions.view_dutyswap"):
        raise PermissionDenied
    swap = get_object_or_404(restrict(DutySwap.objects.all(), request.user), pk=pk)
    try:
        if action == "accept":
            result = rota.accept_swap(swap, request.user)
            messages.success(
                request,
                _("Swap done: %(a)s is on duty on %(day_b)s, %(b)s on %(day_a)s.")
                % {
                    "a": result.swap.person_a,
                    "b": result.swap.person_b,
                    "day_a": result.duty_a.day,
                    "day_b": result.duty_b.day,
                },
            )
        elif action == "decline":
            rota.decline_swap(swap, request.user)
            messages.success(request, _("Swap declined; the rota stays as it was."))
        elif action == "withdraw":
            rota.withdraw_swap(swap, request.user)
            messages.success(request, _("Swap withdrawn."))
        else:
            raise PermissionDenied
    except rota.RotaError as exc:
        messages.error(request, exc.message)
    return redirect("positions:swap_list")
