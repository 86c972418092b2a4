"""Service positions (阵地): their rooms and bookings, the duty rota (轮值站长) and the weekly
menu (每周菜单) of activities with sign-ups.

A position is shared context for its whole subdistrict (every user of the subdistrict reads
it, as with roads); bookings belong to whoever booked (an organisation or a council) and are
scoped by the booker's region; sign-ups by the member's organisation.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.core.models import TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet
from jiequ.party.models import member_or_cadre

from . import hours

# --- positions and rooms --------------------------------------------------------------------


class Position(TimeStampedModel):
    """A service position (党群服务阵地): a place with rooms that organisations may book."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="positions",
        help_text=_("The area or grid the position lies in."),
    )
    # Kept beside the region: every user of the subdistrict reads its positions.
    subdistrict = models.ForeignKey(
        "areas.Region",
        verbose_name=_("subdistrict"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    floor_area = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    opening_hours = models.JSONField(
        _("opening hours"),
        default=dict,
        blank=True,
        help_text=_("Per weekday (0 = Monday): [opens, closes] as HH:MM; a missing day is closed."),
    )
    closed_on_public_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=False,
        help_text=_("Statutory holidays by the official Chinese calendar."),
    )
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("managing organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("in service"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "subdistrict__path"
    scope_includes_ancestors = True
    column_labels = {"hours_text": _("opening hours"), "room_count": _("rooms")}

    class Meta:
        verbose_name = _("service position")
        verbose_name_plural = _("service positions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="position_name_unique_in_subdistrict"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("positions:position_detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        self.subdistrict = self.region.subdistrict or self.region
        super().save(*args, **kwargs)

    def hours_on(self, day: dt.date) -> tuple[dt.time, dt.time] | None:
        """When the position is open on `day`, or None when it is closed."""
        return hours.hours_on(self.opening_hours, day, self.closed_on_public_holidays)

    @property
    def hours_text(self) -> str:
        return hours.describe(self.opening_hours)

    @property
    def room_count(self) -> int:
        count = getattr(self, "n_rooms", None)
        return self.rooms.filter(is_active=True).count() if count is None else count


class RoomKind(models.TextChoices):
    ORGANISATION_LIFE = "organisation_life", _("Organisation-life room")
    SECRETARY_STUDIO = "secretary_studio", _("Secretary's studio")
    COUNCIL_HALL = "council_hall", _("Grid council hall")
    LIVESTREAM = "livestream", _("Livestream room")
    RIDER_STATION = "rider_station", _("Riders' rest station")
    MEETING = "meeting", _("Meeting room")
    ACTIVITY_HALL = "activity_hall", _("Activity hall")
    READING = "reading", _("Reading room")


class Room(TimeStampedModel):
    """A bookable room of a position; it is open when its position is."""

    position = models.ForeignKey(
        Position, verbose_name=_("service position"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=RoomKind.choices)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    floor_area = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    needs_approval = models.BooleanField(
        _("bookings need approval"),
        default=False,
        help_text=_("Bookings wait for the position's staff to confirm them."),
    )
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=30)
    max_minutes = models.PositiveSmallIntegerField(_("longest booking (minutes)"), default=240)
    is_active = models.BooleanField(_("in service"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "position__subdistrict__path"
    scope_includes_ancestors = True
    column_labels = {"equipment_text": _("equipment")}

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["position__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["position", "name"], name="room_name_unique"),
            models.CheckConstraint(
                condition=Q(max_minutes__gte=models.F("min_minutes")), name="room_min_below_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("positions:room_detail", args=[self.pk])

    @property
    def equipment_text(self) -> str:
        return "、".join(self.equipment or [])


# --- bookings -------------------------------------------------------------------------------


class BookingState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("booking", "Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DENIED = "denied", pgettext_lazy("booking", "Denied")
    CANCELLED = "cancelled", _("Cancelled")


# Bookings that hold their slot: no two of one room may overlap.
HOLDING_STATES = (BookingState.REQUESTED, BookingState.CONFIRMED)


class Booking(TimeStampedModel):
    """A room booked by an organisation or a council for a time; see jiequ.positions.bookings."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings"
    )
    organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
    )
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
    )
    # The booker's region: bookings are seen by the users whose scope holds the booker.
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveSmallIntegerField(_("attendees expected"))
    state = models.CharField(
        _("state"), max_length=20, choices=BookingState.choices, default=BookingState.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    scope_organisation_lookup = "organisation"
    column_labels = {"booker": _("booked for"), "time_text": _("time")}

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(council__isnull=True))
                | (Q(organisation__isnull=True) & Q(council__isnull=False)),
                name="booking_by_organisation_or_council",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room.name} {self.time_text} {self.booker}"

    def get_absolute_url(self) -> str:
        return reverse("positions:booking_detail", args=[self.pk])

    @property
    def booker(self) -> str:
        return str(self.organisation or self.council)

    @property
    def time_text(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @property
    def holds_slot(self) -> bool:
        return self.state in HOLDING_STATES


# --- the duty rota --------------------------------------------------------------------------


class RotaMember(TimeStampedModel):
    """Someone in a position's pool of duty station masters (轮值站长)."""

    position = models.ForeignKey(
        Position, verbose_name=_("service position"), on_delete=models.CASCADE, related_name="pool"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cadre = models.ForeignKey(
        "party.Cadre",
        verbose_name=_("department cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in the rotation"), default=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "position__subdistrict__path"
    scope_includes_ancestors = True

    class Meta:
        verbose_name = _("duty master in the pool")
        verbose_name_plural = _("duty masters in the pool")
        ordering = ["position", "order", "pk"]
        constraints = [
            member_or_cadre("rota_member_is_member_or_cadre"),
            models.UniqueConstraint(fields=["position", "member"], name="rota_member_once"),
            models.UniqueConstraint(fields=["position", "cadre"], name="rota_cadre_once"),
        ]

    def __str__(self) -> str:
        return str(self.member or self.cadre)


class Duty(TimeStampedModel):
    """Who is the duty station master (轮值站长) of a position on one day."""

    position = models.ForeignKey(
        Position,
        verbose_name=_("service position"),
        on_delete=models.CASCADE,
        related_name="duties",
    )
    day = models.DateField(_("day"))
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duties",
    )
    cadre = models.ForeignKey(
        "party.Cadre",
        verbose_name=_("department cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duties",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "position__subdistrict__path"
    scope_includes_ancestors = True
    column_labels = {"master": _("duty master"), "weekday": _("weekday")}

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duty rota")
        ordering = ["day", "position__name"]
        constraints = [
            member_or_cadre("duty_is_member_or_cadre"),
            models.UniqueConstraint(fields=["position", "day"], name="one_master_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.position} {self.day:%Y-%m-%d} {self.master}"

    def get_absolute_url(self) -> str:
        return reverse("positions:rota", args=[self.position_id]) + f"?start={self.day:%Y-%m-%d}"

    @property
    def master(self) -> str:
        return str(self.member or self.cadre or "")

    @property
    def weekday(self) -> str:
        return hours.weekday_name(self.day.weekday())


class SwapState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the other's consent")
    ACCEPTED = "accepted", pgettext_lazy("swap", "Accepted")
    DECLINED = "declined", pgettext_lazy("swap", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("swap", "Withdrawn")
    VOID = "void", _("Void (the rota changed)")


class DutySwap(TimeStampedModel):
    """A proposed swap of two duties: A (who proposes) takes B's day and B takes A's.

    It needs the consent of both: A's by proposing, B's by accepting. Who held each duty when
    it was proposed is kept, so a rota changed in the meantime voids the swap.
    """

    duty_a = models.ForeignKey(
        Duty, verbose_name=_("duty given"), on_delete=models.CASCADE, related_name="+"
    )
    duty_b = models.ForeignKey(
        Duty, verbose_name=_("duty taken"), on_delete=models.CASCADE, related_name="+"
    )
    a_member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    a_cadre = models.ForeignKey(
        "party.Cadre", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    b_member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    b_cadre = models.ForeignKey(
        "party.Cadre", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SwapState.choices, default=SwapState.PROPOSED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "duty_a__position__subdistrict__path"
    scope_includes_ancestors = True
    column_labels = {
        "person_a": _("proposed by (duty master)"),
        "person_b": _("asked to swap"),
        "day_a": _("gives"),
        "day_b": _("takes"),
        "position_name": _("service position"),
    }

    class Meta:
        verbose_name = _("duty swap")
        verbose_name_plural = _("duty swaps")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person_a} {self.day_a} ⇄ {self.person_b} {self.day_b}"

    def get_absolute_url(self) -> str:
        return reverse("positions:swap_list")

    @property
    def person_a(self) -> str:
        return str(self.a_member or self.a_cadre or "")

    @property
    def person_b(self) -> str:
        return str(self.b_member or self.b_cadre or "")

    @property
    def day_a(self) -> dt.date:
        return self.duty_a.day

    @property
    def day_b(self) -> dt.date:
        return self.duty_b.day

    @property
    def position_name(self) -> str:
        return str(self.duty_a.position)


# --- the weekly menu ------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    ORGANISATION_LIFE = "organisation_life", _("Organisational life")
    GOVERNANCE = "governance", _("Secretary leads governance")
    TRAINING = "training", _("Training")
    VOLUNTEERING = "volunteering", _("Volunteering")


class Audience(models.TextChoices):
    ALL_MEMBERS = "all_members", _("All Party members")
    ORGANISATION = "organisation", _("Members of one organisation")
    OPEN = "open", _("Open to everyone")


class Activity(TimeStampedModel):
    """An activity on the weekly menu (每周菜单) that members sign up for."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    description = models.TextField(_("description"), blank=True)
    subdistrict = models.ForeignKey(
        "areas.Region",
        verbose_name=_("subdistrict"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Where it is held when it is not in one of the positions' rooms."),
    )
    # The room's booking, made with the activity so no one else takes the room meanwhile.
    booking = models.OneToOneField(
        Booking,
        verbose_name=_("booking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity",
        editable=False,
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    audience = models.CharField(_("open to"), max_length=20, choices=Audience.choices)
    audience_organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("members of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organiser = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="menu_activities",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    # The menu is the subdistrict's offer: every user of the subdistrict reads all of it.
    scope_lookup = "subdistrict__path"
    scope_includes_ancestors = True
    column_labels = {
        "place_text": _("place"),
        "time_text": _("time"),
        "taken": _("signed up"),
        "waiting": _("waiting list"),
    }

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("weekly menu activities")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(audience="organisation") | Q(audience_organisation__isnull=False),
                name="activity_audience_names_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("positions:activity_detail", args=[self.pk])

    @property
    def place_text(self) -> str:
        return str(self.room) if self.room_id else self.place

    @property
    def time_text(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%m-%d} {hours.weekday_name(start.weekday())} {start:%H:%M}–{end:%H:%M}"

    @property
    def taken(self) -> int:
        count = getattr(self, "n_confirmed", None)
        if count is None:
            count = self.signups.filter(state=SignUpState.CONFIRMED).count()
        return count

    @property
    def waiting(self) -> int:
        count = getattr(self, "n_waiting", None)
        if count is None:
            count = self.signups.filter(state=SignUpState.WAITING).count()
        return count

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class SignUpState(models.TextChoices):
    CONFIRMED = "confirmed", _("Signed up")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignUp(TimeStampedModel):
    """A member's place on an activity, or in its waiting list (oldest first moves up)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="signups"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="menu_signups",
    )
    state = models.CharField(_("state"), max_length=20, choices=SignUpState.choices)
    # When the member took their place in line; the waiting list moves up in this order.
    queued_at = models.DateTimeField(_("signed up at"))
    signed_up_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("signed up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attended = models.BooleanField(pgettext_lazy("sign-up", "attended"), null=True, blank=True)
    notice = models.CharField(_("notice"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "member__organisation__region__path"
    scope_organisation_lookup = "member__organisation"
    column_labels = {"organisation_name": _("organisation"), "activity_time": _("time")}

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity", "queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="sign_up_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.activity}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()

    @property
    def organisation_name(self) -> str:
        return str(self.member.organisation)

    @property
    def activity_time(self) -> str:
        return self.activity.time_text


class MenuFeed(TimeStampedModel):
    """An organisation's private calendar link to the menu (iCalendar), by secret token."""

    organisation = models.OneToOneField(
        "party.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="menu_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["token"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "organisation__region__path"
    scope_organisation_lookup = "organisation"

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)

    def get_absolute_url(self) -> str:
        return reverse("positions:feed", args=[self.organisation_id, self.token])
