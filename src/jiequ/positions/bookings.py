"""Booking rooms: the rules, the states and no double booking.

States: requested → confirmed / denied (with a reason) / cancelled (with a reason); a confirmed
booking may still be cancelled. A room that needs approval takes new bookings as requested,
others are confirmed at once. Requested and confirmed bookings hold their slot: no two of one
room overlap. Two requests for one slot arriving together are serialised by a row lock on the
room (`select_for_update`) and the overlap is checked again under the lock; on PostgreSQL an
exclusion constraint (made by the initial migration) also refuses an overlap that slips past.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import organisation_in_scope, region_in_scope, restrict

from .models import HOLDING_STATES, Booking, BookingState, Room


class BookingError(ValueError):
    """Refused: the message (already translated) says why."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def overlapping(
    room: Room, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None = None
):
    """The bookings of `room` holding a slot that overlaps [starts_at, ends_at)."""
    qs = Booking.objects.filter(
        room=room, state__in=HOLDING_STATES, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    return qs.exclude(pk=exclude) if exclude else qs


def check_times(room: Room, starts_at: dt.datetime, ends_at: dt.datetime, now=None) -> None:
    """Refuse times the room cannot take: past, outside opening hours, too short or long."""
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise BookingError(_("The end must be after the start."), "ends_at")
    if starts_at < now:
        raise BookingError(_("A booking cannot start in the past."), "starts_at")
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date():
        raise BookingError(_("A booking starts and ends on the same day."), "ends_at")
    hours = room.position.hours_on(start.date())
    if hours is None:
        raise BookingError(
            _("%(position)s is closed on %(day)s.")
            % {"position": room.position, "day": f"{start:%Y-%m-%d}"},
            "starts_at",
        )
    opens, closes = hours
    if start.time() < opens or end.time() > closes:
        raise BookingError(
            _("%(position)s is open from %(opens)s to %(closes)s on that day.")
            % {
                "position": room.position,
                "opens": f"{opens:%H:%M}",
                "closes": "24:00" if closes == dt.time.max else f"{closes:%H:%M}",
            },
            "starts_at",
        )
    minutes = (ends_at - starts_at).total_seconds() / 60
    if minutes < room.min_minutes:
        raise BookingError(
            _("%(room)s is booked for at least %(n)d minutes.")
            % {"room": room.name, "n": room.min_minutes},
            "ends_at",
        )
    if minutes > room.max_minutes:
        raise BookingError(
            _("%(room)s is booked for at most %(n)d minutes.")
            % {"room": room.name, "n": room.max_minutes},
            "ends_at",
        )


def can_book_for(user: Any, organisation: Any = None, council: Any = None) -> bool:
    """May `user` book in the name of this organisation or council?"""
    if organisation is not None:
        return organisation_in_scope(user, organisation)
    if council is not None:
        # A branch secretary books for their branch only, not for councils.
        ids = getattr(user, "organisation_scope_ids", lambda: None)()
        return ids is None and region_in_scope(user, council.region)
    return False


def can_decide(user: Any, booking: Booking) -> bool:
    """Confirming and denying is for those who manage the room's position."""
    return restrict(Room.objects.filter(pk=booking.room_id), user, "change").exists()


def request_booking(
    *,
    room: Room,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    attendees: int,
    organisation: Any = None,
    council: Any = None,
    user: Any = None,
    confirm: bool | None = None,
) -> Booking:
    """Book `room`; returns the booking (requested or confirmed) or raises BookingError.

    `confirm=True` confirms at once even where the room needs approval (the room's manager
    booking it); by default the room's rule decides.
    """
    if (organisation is None) == (council is None):
        raise BookingError(_("Book for one organisation or one council."), "organisation")
    if user is not None and not can_book_for(user, organisation, council):
        raise BookingError(
            _("You may only book for your own organisation."),
            "organisation" if organisation is not None else "council",
        )
    booker_region = organisation.region if organisation is not None else council.region
    if not booker_region.path.startswith(room.position.subdistrict.path):
        raise BookingError(
            _("Only organisations and councils of this subdistrict book its rooms."),
            "organisation" if organisation is not None else "council",
        )
    purpose = (purpose or "").strip()
    if not purpose:
        raise BookingError(_("Say what the room is booked for."), "purpose")
    if attendees is None or attendees < 1:
        raise BookingError(_("Give how many people are expected."), "attendees")
    try:
        with transaction.atomic():
            # The lock: a second request for this room waits here until the first commits,
            # then sees its booking in the overlap check below.
            locked = Room.objects.select_for_update().get(pk=room.pk)
            if not locked.is_active or not locked.position.is_active:
                raise BookingError(_("This room is not in service."), "room")
            if attendees > locked.capacity:
                raise BookingError(
                    _("%(room)s holds at most %(n)d people.")
                    % {"room": locked.name, "n": locked.capacity},
                    "attendees",
                )
            check_times(locked, starts_at, ends_at)
            clash = overlapping(locked, starts_at, ends_at).first()
            if clash is not None:
                raise BookingError(_clash_message(clash), "starts_at")
            confirmed = confirm if confirm is not None else not locked.needs_approval
            booking = Booking(
                room=locked,
                organisation=organisation,
                council=council,
                region=booker_region,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=purpose,
                attendees=attendees,
                state=BookingState.CONFIRMED if confirmed else BookingState.REQUESTED,
                booked_by=user,
            )
            if confirmed:
                booking.decided_by, booking.decided_at = user, timezone.now()
            booking.save()
    except IntegrityError as exc:
        # PostgreSQL's exclusion constraint: an overlap that got past the lock.
        if "booking_no_overlap" in str(exc):
            raise BookingError(
                _("This time has just been booked by someone else."), "starts_at"
            ) from exc
        raise
    return booking


def _clash_message(clash: Booking) -> str:
    start, end = timezone.localtime(clash.starts_at), timezone.localtime(clash.ends_at)
    return _(
        "%(room)s is already booked from %(start)s to %(end)s (%(state)s). "
        "Choose another time or room."
    ) % {
        "room": clash.room.name,
        "start": f"{start:%m-%d %H:%M}",
        "end": f"{end:%H:%M}",
        "state": clash.get_state_display(),
    }


def _transition(booking: Booking, allowed_from: tuple[str, ...], state: str, **fields) -> Booking:
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.state not in allowed_from:
            raise BookingError(
                _("This booking is already %(state)s.") % {"state": locked.get_state_display()}
            )
        locked.state = state
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
    return locked


def confirm(booking: Booking, user: Any) -> Booking:
    if not can_decide(user, booking):
        raise BookingError(_("Only the position's staff confirm bookings."))
    return _transition(
        booking,
        (BookingState.REQUESTED,),
        BookingState.CONFIRMED,
        decided_by=user,
        decided_at=timezone.now(),
    )


def deny(booking: Booking, user: Any, reason: str) -> Booking:
    if not can_decide(user, booking):
        raise BookingError(_("Only the position's staff deny bookings."))
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Give the reason for the denial."), "reason")
    return _transition(
        booking,
        (BookingState.REQUESTED,),
        BookingState.DENIED,
        reason=reason,
        decided_by=user,
        decided_at=timezone.now(),
    )


def can_cancel(user: Any, booking: Booking) -> bool:
    """The booker's side (in scope with the change right) or the position's staff."""
    if restrict(Booking.objects.filter(pk=booking.pk), user, "change").exists():
        return True
    return can_decide(user, booking)


def cancel(booking: Booking, user: Any, reason: str) -> Booking:
    """Cancel a requested or confirmed booking; its slot is free again at once."""
    if not can_cancel(user, booking):
        raise BookingError(_("You may not cancel this booking."))
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Give the reason for the cancellation."), "reason")
    if booking.ends_at <= timezone.now():
        raise BookingError(_("A booking that is over cannot be cancelled."))
    return _transition(
        booking,
        HOLDING_STATES,
        BookingState.CANCELLED,
        reason=reason,
        decided_by=user,
        decided_at=timezone.now(),
    )
