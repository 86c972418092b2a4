"""Positions and rooms: lists, exports, details, edits and history; the week view and the
day list of a position's bookings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from jiequ.core import views as generic
from jiequ.core.exports import rows_response, table
from jiequ.core.scoping import permission_name, restrict

from . import hours, rota
from .filtersets import PositionFilterSet, RoomFilterSet
from .forms import PositionForm, RoomForm
from .menu import week_start, with_counts
from .models import HOLDING_STATES, Activity, Booking, Duty, Position, Room

POSITION_COLUMNS = ["name", "address", "region", "floor_area", "room_count", "hours_text"]
POSITION_EXPORT = [
    "name",
    "address",
    "region",
    "lat",
    "lon",
    "floor_area",
    "room_count",
    "hours_text",
    "closed_on_public_holidays",
    "organisation",
    "is_active",
    "notes",
]
ROOM_COLUMNS = ["name", "position", "kind", "capacity", "needs_approval", "equipment_text"]
ROOM_EXPORT = [
    "position",
    "name",
    "kind",
    "capacity",
    "floor_area",
    "equipment_text",
    "needs_approval",
    "min_minutes",
    "max_minutes",
    "is_active",
    "notes",
]


def _local(value: Any) -> Any:
    # Excel cells take no time zone: aware times become Shanghai wall-clock times.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


class LocalTimeExportMixin:
    """An export whose date-times are written in local time (core.exports passes aware
    date-times through, which Excel refuses)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.get_queryset()
        filterset = self.filterset_class(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        headers, rows = table(qs, self.columns)
        rows = [[_local(cell) for cell in row] for row in rows]
        return rows_response(headers, rows, request.GET.get("format", "csv"), self.basename)


class VisibleExportMixin:
    """Exports what the user may read: positions, rooms, the rota and the menu are read from
    the subdistrict above a secretary's or grid worker's own region (the export right itself
    is checked first, by the view's action)."""

    def get_queryset(self) -> Any:
        return restrict(self.model._default_manager.all(), self.request.user, "view")


class PositionMixin:
    model = Position
    url_prefix = "positions:position"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("region", "organisation")
            .annotate(n_rooms=Count("rooms", filter=Q(rooms__is_active=True)))
            .order_by("name")
        )


class PositionListView(PositionMixin, generic.ObjectListView):
    filterset_class = PositionFilterSet
    columns = POSITION_COLUMNS


class PositionExportView(PositionMixin, VisibleExportMixin, generic.ObjectExportView):
    filterset_class = PositionFilterSet
    columns = POSITION_EXPORT
    basename = "positions"


class PositionEditView(PositionMixin, generic.ObjectEditView):
    form_class = PositionForm


class PositionHistoryView(PositionMixin, generic.ObjectHistoryView):
    pass


class PositionDetailView(PositionMixin, generic.ObjectDetailView):
    template_name = "positions/position_detail.html"
    fields = [
        "address",
        "region",
        "floor_area",
        "hours_text",
        "closed_on_public_holidays",
        "organisation",
        "is_active",
        "notes",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        position, user = self.object, self.request.user
        today = timezone.localdate()
        context.update(week_context(position, user, week_start(today)))
        rooms = position.rooms.filter(is_active=True).order_by("name")
        can_rota = user.has_perm("positions.view_duty")
        context.update(
            rooms=rooms,
            can_add_room=user.has_perm("positions.add_room") and context["can_change"],
            today_duty=Duty.objects.filter(position=position, day=today)
            .select_related("member", "cadre")
            .first()
            if can_rota
            else None,
            can_rota=can_rota,
            gaps=rota.gaps(Position.objects.filter(pk=position.pk)) if can_rota else [],
            gap_days=rota.GAP_HORIZON_DAYS,
            activities=with_counts(
                restrict(Activity.objects.all(), user).filter(
                    room__position=position, ends_at__gte=timezone.now()
                )
            ).order_by("starts_at")[:6],
        )
        return context


class RoomMixin:
    model = Room
    url_prefix = "positions:room"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("position")


class RoomListView(RoomMixin, generic.ObjectListView):
    filterset_class = RoomFilterSet
    columns = ROOM_COLUMNS


class RoomExportView(RoomMixin, VisibleExportMixin, generic.ObjectExportView):
    filterset_class = RoomFilterSet
    columns = ROOM_EXPORT
    basename = "rooms"


class RoomDetailView(RoomMixin, generic.ObjectDetailView):
    template_name = "positions/room_detail.html"
    fields = ROOM_EXPORT[1:]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        room, user = self.object, self.request.user
        visible = restrict(Booking.objects.all(), user).filter(
            room=room, state__in=HOLDING_STATES, ends_at__gte=timezone.now()
        )
        context.update(
            position_url=room.position.get_absolute_url(),
            upcoming=visible.select_related("organisation", "council").order_by("starts_at")[:20],
            book_url=reverse("positions:booking_add") + f"?room={room.pk}"
            if user.has_perm("positions.add_booking")
            else None,
        )
        return context


class RoomEditView(RoomMixin, generic.ObjectEditView):
    form_class = RoomForm

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.object is None and self.request.GET.get("position", "").isdigit():
            initial["position"] = self.request.GET["position"]
        return initial


class RoomHistoryView(RoomMixin, generic.ObjectHistoryView):
    pass


# --- the week view and the day list ---------------------------------------------------------


def _position_or_404(request: HttpRequest, pk: int) -> Position:
    if not request.user.has_perm(permission_name(Position, "view")):
        raise PermissionDenied
    return get_object_or_404(restrict(Position.objects.all(), request.user), pk=pk)


def _day_param(value: str | None, default: dt.date) -> dt.date:
    day = hours.parse_day(value) if value else None
    return day or default


def week_context(position: Position, user: Any, monday: dt.date) -> dict[str, Any]:
    """Rooms × days of one week: each cell's bookings (details only where the user may see
    them; otherwise just "booked"), whether the position is open, and where to book."""
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    end = start + dt.timedelta(days=7)
    rooms = list(position.rooms.filter(is_active=True).order_by("name"))
    held = list(
        Booking.objects.filter(
            room__in=rooms, state__in=HOLDING_STATES, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("organisation", "council")
        .order_by("starts_at")
    )
    visible = set(
        restrict(Booking.objects.filter(pk__in=[b.pk for b in held]), user).values_list(
            "pk", flat=True
        )
    )
    by_cell: dict[tuple[int, dt.date], list] = {}
    for booking in held:
        day = timezone.localtime(booking.starts_at).date()
        booking.visible = booking.pk in visible
        by_cell.setdefault((booking.room_id, day), []).append(booking)
    today = timezone.localdate()
    can_book = user.has_perm("positions.add_booking")
    open_hours = {d: position.hours_on(d) for d in days}
    book_url = reverse("positions:booking_add")
    grid = []
    for room in rooms:
        cells = []
        for day in days:
            is_open = open_hours[day] is not None
            cells.append(
                {
                    "day": day,
                    "open": is_open,
                    "bookings": by_cell.get((room.pk, day), []),
                    "book_url": f"{book_url}?room={room.pk}&day={day:%Y-%m-%d}"
                    if can_book and is_open and day >= today
                    else None,
                }
            )
        grid.append({"room": room, "cells": cells})
    return {
        "week_monday": monday,
        "week_days": [
            {
                "day": d,
                "name": hours.weekday_name(d.weekday()),
                "today": d == today,
                "hours": open_hours[d],
                "holiday": hours.public_holiday(d) if position.closed_on_public_holidays else None,
            }
            for d in days
        ],
        "week_grid": grid,
        "week_prev": monday - dt.timedelta(days=7),
        "week_next": monday + dt.timedelta(days=7),
        "week_this": week_start(today),
        "week_url": reverse("positions:position_week", args=[position.pk]),
        "day_url": reverse("positions:position_day", args=[position.pk]),
    }


@login_required
def position_week(request: HttpRequest, pk: int) -> HttpResponse:
    """The week view on its own (htmx swaps it in when the week changes)."""
    position = _position_or_404(request, pk)
    today = timezone.localdate()
    monday = week_start(_day_param(request.GET.get("week"), today))
    context = {"object": position, **week_context(position, request.user, monday)}
    if request.headers.get("HX-Request"):
        return render(request, "positions/_week.html", context)
    return render(request, "positions/position_week.html", context)


@login_required
def position_day(request: HttpRequest, pk: int) -> HttpResponse:
    """One day's bookings of a position, room by room, as a list (the phone's view)."""
    position = _position_or_404(request, pk)
    today = timezone.localdate()
    day = _day_param(request.GET.get("date"), today)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    user = request.user
    rooms = list(position.rooms.filter(is_active=True).order_by("name"))
    held = list(
        Booking.objects.filter(
            room__in=rooms,
            state__in=HOLDING_STATES,
            starts_at__lt=start + dt.timedelta(days=1),
            ends_at__gt=start,
        )
        .select_related("organisation", "council")
        .order_by("starts_at")
    )
    visible = set(
        restrict(Booking.objects.filter(pk__in=[b.pk for b in held]), user).values_list(
            "pk", flat=True
        )
    )
    for booking in held:
        booking.visible = booking.pk in visible
    open_hours = position.hours_on(day)
    can_book = user.has_perm("positions.add_booking") and open_hours and day >= today
    book_url = reverse("positions:booking_add")
    context = {
        "object": position,
        "day": day,
        "weekday": hours.weekday_name(day.weekday()),
        "hours": open_hours,
        "prev_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "today": today,
        "rooms": [
            {
                "room": room,
                "bookings": [b for b in held if b.room_id == room.pk],
                "book_url": f"{book_url}?room={room.pk}&day={day:%Y-%m-%d}" if can_book else None,
            }
            for room in rooms
        ],
        "day_url": reverse("positions:position_day", args=[position.pk]),
        "week_url": reverse("positions:position_week", args=[position.pk]),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "day-list":
        return render(request, "positions/_day.html", context)
    return render(request, "positions/position_day.html", context)
