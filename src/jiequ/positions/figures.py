"""Home-page figures of the positions; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict

from . import rota
from .menu import week_bounds, week_start
from .models import Activity, Booking, BookingState, Position, Room


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    if user.has_perm("positions.change_room"):
        rooms = restrict(Room.objects.all(), user, "change")
        pending = Booking.objects.filter(room__in=rooms, state=BookingState.REQUESTED)
        figures.append(
            (
                _("bookings waiting for approval"),
                pending.count(),
                reverse("positions:booking_pending"),
            )
        )
    if user.has_perm("positions.view_duty"):
        positions = restrict(Position.objects.all(), user)
        figures.append(
            (
                _("rota gaps in the next 14 days"),
                len(rota.gaps(positions)),
                reverse("positions:gap_list"),
            )
        )
    if user.has_perm("positions.view_activity"):
        start, end = week_bounds(week_start(timezone.localdate()))
        activities = restrict(Activity.objects.all(), user).filter(
            starts_at__gte=start, starts_at__lt=end
        )
        figures.append(
            (_("activities on this week's menu"), activities.count(), reverse("positions:menu"))
        )
    return figures
