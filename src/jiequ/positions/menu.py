"""The weekly menu (每周菜单): activities, sign-ups with a waiting list, attendance.

- A member signs up for themselves (their account is linked to their member record), or staff
  and secretaries sign up a member in their scope. While places are left the sign-up is
  confirmed; then the member joins the waiting list.
- Cancelling a confirmed place moves the oldest on the waiting list up, in the same
  transaction, with a notice line on their sign-up. The activity's row is locked meanwhile,
  so two sign-ups for the last place cannot both get it.
- An activity held in a room books the room for its time (jiequ.positions.bookings), so no one
  else takes it; moving the activity moves the booking in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict
from jiequ.members.models import Member

from . import bookings
from .models import Activity, Audience, BookingState, SignUp, SignUpState


class MenuError(ValueError):
    """Refused: the message (already translated) says why."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return start, start + dt.timedelta(days=7)


def with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.annotate(
        n_confirmed=Count("signups", filter=Q(signups__state=SignUpState.CONFIRMED)),
        n_waiting=Count("signups", filter=Q(signups__state=SignUpState.WAITING)),
    )


def week_menu(user: Any, monday: dt.date) -> QuerySet[Activity]:
    start, end = week_bounds(monday)
    qs = restrict(Activity.objects.all(), user).filter(starts_at__gte=start, starts_at__lt=end)
    return with_counts(qs.select_related("room__position", "organiser", "audience_organisation"))


def own_member(user: Any) -> Member | None:
    """The member record linked to a user's account (a member, or a secretary who is one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = Member.objects.filter(user=user, left_on__isnull=True).first()
    return member


def eligibility(activity: Activity, member: Member) -> str | None:
    """Why `member` may not take part (translated), or None when they may."""
    if member.left_on is not None:
        return _("%(name)s is no longer a member here.") % {"name": member.name}
    if activity.audience == Audience.OPEN:
        return None
    if not member.organisation.region.path.startswith(activity.subdistrict.path):
        return _("This activity is for the Party members of this subdistrict.")
    if activity.audience == Audience.ORGANISATION:
        audience = activity.audience_organisation
        inside = member.organisation_id in audience.subtree_ids()
        guest = member.other_organisations.filter(pk=audience.pk).exists()
        if not (inside or guest):
            return _("This activity is for the members of %(organisation)s.") % {
                "organisation": audience
            }
    return None


def can_sign_up_others(user: Any) -> bool:
    return user.has_perm("positions.add_signup")


def sign_up(activity: Activity, member: Member, user: Any) -> SignUp:
    """A place for `member`, or a place on the waiting list when the activity is full."""
    own = own_member(user)
    if own is None or own.pk != member.pk:
        if not can_sign_up_others(user):
            raise MenuError(_("You can only sign yourself up."))
        if not restrict(Member.objects.filter(pk=member.pk), user).exists():
            raise MenuError(_("This member is not in your scope."), "member")
    with transaction.atomic():
        # The lock: sign-ups and cancellations of one activity happen one after another.
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.has_started:
            raise MenuError(_("This activity has already started; sign-up is closed."))
        reason = eligibility(locked, member)
        if reason:
            raise MenuError(reason, "member")
        existing = SignUp.objects.filter(activity=locked, member=member).first()
        if existing is not None and existing.state != SignUpState.CANCELLED:
            raise MenuError(
                _("%(name)s is already on this activity (%(state)s).")
                % {"name": member.name, "state": existing.get_state_display()}
            )
        taken = SignUp.objects.filter(activity=locked, state=SignUpState.CONFIRMED).count()
        state = SignUpState.CONFIRMED if taken < locked.capacity else SignUpState.WAITING
        signup = existing or SignUp(activity=locked, member=member)
        signup.state = state
        signup.queued_at = timezone.now()
        signup.signed_up_by = user
        signup.cancelled_at = None
        signup.attended = None
        signup.notice = ""
        signup.save()
    return signup


def can_cancel(user: Any, signup: SignUp) -> bool:
    own = own_member(user)
    if own is not None and own.pk == signup.member_id:
        return True
    return restrict(SignUp.objects.filter(pk=signup.pk), user, "change").exists()


def cancel(signup: SignUp, user: Any) -> SignUp | None:
    """Cancel a sign-up; returns the sign-up that moved up from the waiting list, if any."""
    if not can_cancel(user, signup):
        raise MenuError(_("You may not cancel this sign-up."))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
        locked = SignUp.objects.select_for_update().get(pk=signup.pk)
        if locked.state == SignUpState.CANCELLED:
            raise MenuError(_("This sign-up is already cancelled."))
        if activity.has_started:
            raise MenuError(_("This activity has already started; sign-ups can no longer change."))
        was_confirmed = locked.state == SignUpState.CONFIRMED
        locked.state = SignUpState.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.notice = ""
        locked.save()
        promoted = fill_places(activity) if was_confirmed else []
    return promoted[0] if promoted else None


def fill_places(activity: Activity) -> list[SignUp]:
    """Move the waiting list up (oldest first) into free places. Call with the activity locked."""
    taken = SignUp.objects.filter(activity=activity, state=SignUpState.CONFIRMED).count()
    free = activity.capacity - taken
    if free <= 0:
        return []
    moved = list(
        SignUp.objects.select_for_update()
        .filter(activity=activity, state=SignUpState.WAITING)
        .order_by("queued_at", "pk")[:free]
    )
    when = timezone.localtime()
    for signup in moved:
        signup.state = SignUpState.CONFIRMED
        signup.notice = _(
            "Moved up from the waiting list on %(time)s: your place is confirmed."
        ) % {"time": f"{when:%Y-%m-%d %H:%M}"}
        signup._change_reason = _("Moved up from the waiting list")
        signup.save()
    return moved


def mark_attendance(activity: Activity, present_ids: Iterable[int], user: Any) -> int:
    """Record who attended, among the confirmed sign-ups in the user's scope."""
    if not activity.has_started:
        raise MenuError(_("Attendance is marked once the activity has started."))
    present = {int(i) for i in present_ids}
    changed = 0
    with transaction.atomic():
        rows = restrict(SignUp.objects.all(), user, "change").filter(
            activity=activity, state=SignUpState.CONFIRMED
        )
        for signup in rows.select_for_update(of=("self",)):
            attended = signup.pk in present
            if signup.attended != attended:
                signup.attended = attended
                signup.save(update_fields=["attended", "updated_at"])
                changed += 1
    return changed


def save_activity(activity: Activity, user: Any) -> Activity:
    """Save an activity and keep its room's booking in step, all or nothing.

    A new room or time cancels the old booking and books again (refused if someone else holds
    the slot); a larger capacity moves the waiting list up.
    """
    with transaction.atomic():
        previous = (
            Activity.objects.select_for_update().filter(pk=activity.pk).first()
            if activity.pk
            else None
        )
        if previous is not None:
            taken = SignUp.objects.filter(activity=previous, state=SignUpState.CONFIRMED).count()
            if activity.capacity < taken:
                raise MenuError(
                    _("%(n)d members have places already; the capacity cannot be fewer.")
                    % {"n": taken},
                    "capacity",
                )
        old_booking = activity.booking if activity.booking_id else None
        moved = old_booking is None or (
            old_booking.room_id != activity.room_id
            or old_booking.starts_at != activity.starts_at
            or old_booking.ends_at != activity.ends_at
            or old_booking.state not in (BookingState.CONFIRMED, BookingState.REQUESTED)
        )
        if old_booking is not None and moved and old_booking.holds_slot:
            old_booking.state = BookingState.CANCELLED
            old_booking.reason = _("The activity moved")
            old_booking.save()
            activity.booking = None
        if activity.room_id and moved:
            try:
                activity.booking = bookings.request_booking(
                    room=activity.room,
                    starts_at=activity.starts_at,
                    ends_at=activity.ends_at,
                    purpose=_("Weekly menu: %(title)s") % {"title": activity.title},
                    attendees=min(activity.capacity, activity.room.capacity) or 1,
                    organisation=activity.organiser,
                    user=None,
                    confirm=True,
                )
            except bookings.BookingError as exc:
                field = {"starts_at": "starts_at", "ends_at": "ends_at"}.get(exc.field, "room")
                raise MenuError(exc.message, field) from exc
        elif not activity.room_id:
            activity.booking = None
        activity.subdistrict = activity.organiser.region.subdistrict or activity.organiser.region
        activity.save()
        if previous is not None and activity.capacity > previous.capacity:
            fill_places(activity)
    return activity
