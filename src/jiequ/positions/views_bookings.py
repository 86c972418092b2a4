"""Bookings: book a room, the list and export, a booking's page with confirm / deny / cancel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from . import bookings, hours
from .filtersets import BookingFilterSet
from .forms import BookingForm, ReasonForm
from .models import Booking, BookingState, Room
from .views import LocalTimeExportMixin

BOOKING_COLUMNS = ["time_text", "room", "booker", "purpose", "attendees", "state"]
BOOKING_EXPORT = [
    "starts_at",
    "ends_at",
    "room",
    "booker",
    "purpose",
    "attendees",
    "state",
    "reason",
    "booked_by",
    "decided_by",
    "decided_at",
    "created_at",
]


class BookingMixin:
    model = Booking
    url_prefix = "positions:booking"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("room__position", "organisation", "council", "booked_by", "decided_by")
        )


class BookingListView(BookingMixin, generic.ObjectListView):
    filterset_class = BookingFilterSet
    columns = BOOKING_COLUMNS


class BookingExportView(BookingMixin, LocalTimeExportMixin, generic.ObjectExportView):
    filterset_class = BookingFilterSet
    columns = BOOKING_EXPORT
    basename = "bookings"


class BookingHistoryView(BookingMixin, generic.ObjectHistoryView):
    pass


class BookingDetailView(BookingMixin, generic.ObjectDetailView):
    template_name = "positions/booking_detail.html"
    fields = [
        "room",
        "time_text",
        "organisation",
        "council",
        "purpose",
        "attendees",
        "state",
        "reason",
        "booked_by",
        "decided_by",
        "decided_at",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        booking, user = self.object, self.request.user
        pending = booking.state == BookingState.REQUESTED
        context.update(
            can_decide=pending and bookings.can_decide(user, booking),
            can_cancel=booking.holds_slot
            and booking.ends_at > timezone.now()
            and bookings.can_cancel(user, booking),
            reason_form=ReasonForm(),
            position_url=booking.room.position.get_absolute_url(),
        )
        return context


@login_required
def booking_add(request: HttpRequest) -> HttpResponse:
    """Book a room (the week view's "+" links here with the room and the day)."""
    if not request.user.has_perm("positions.add_booking"):
        raise PermissionDenied
    if request.method == "POST":
        form = BookingForm(request.POST, user=request.user)
        booking = form.save()
        if booking is not None:
            if booking.state == BookingState.CONFIRMED:
                messages.success(request, _("Booked: %(b)s.") % {"b": booking})
            else:
                messages.success(
                    request,
                    _("Requested: %(b)s. The position's staff will confirm it.") % {"b": booking},
                )
            return redirect(booking.get_absolute_url())
        status = 400
    else:
        initial: dict[str, Any] = {}
        room_id = request.GET.get("room", "")
        if room_id.isdigit():
            initial["room"] = room_id
        day = hours.parse_day(request.GET.get("day", ""))
        if day:
            initial["day"] = day
        user = request.user
        if user.scope_organisation_id:
            initial["organisation"] = user.scope_organisation_id
        form = BookingForm(initial=initial, user=user)
        status = 200
    room = None
    room_value = form["room"].value()
    if str(room_value or "").isdigit():
        room = restrict(Room.objects.all(), request.user).filter(pk=room_value).first()
    return render(
        request, "positions/booking_form.html", {"form": form, "room": room}, status=status
    )


def _booking_for(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(restrict(Booking.objects.all(), request.user), pk=pk)


@login_required
@require_POST
def booking_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    booking = _booking_for(request, pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "confirm":
            booking = bookings.confirm(booking, request.user)
            messages.success(request, _("Confirmed: %(b)s.") % {"b": booking})
        elif action == "deny":
            booking = bookings.deny(booking, request.user, reason)
            messages.success(request, _("Denied: %(b)s.") % {"b": booking})
        elif action == "cancel":
            booking = bookings.cancel(booking, request.user, reason)
            messages.success(
                request, _("Cancelled: %(b)s. The time is free again.") % {"b": booking}
            )
        else:
            raise PermissionDenied
    except bookings.BookingError as exc:
        messages.error(request, exc.message)
    return redirect(booking.get_absolute_url())


@login_required
def booking_pending(request: HttpRequest) -> HttpResponse:
    """Requests waiting for the position's staff, oldest first."""
    if not request.user.has_perm("positions.change_room"):
        raise PermissionDenied
    rooms = restrict(Room.objects.all(), request.user, "change")
    pending = (
        Booking.objects.filter(room__in=rooms, state=BookingState.REQUESTED)
        .select_related("room__position", "organisation", "council")
        .order_by("starts_at")
    )
    return render(request, "positions/booking_pending.html", {"pending": pending})
