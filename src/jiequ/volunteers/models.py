"""New-employment workers' service points and the standing volunteer pool.

- ServicePoint: a warm meal point (暖新餐点), a riders' station (小哥加油站) or another point
  where couriers, riders and drivers can eat, drink, charge and rest; with its offers and
  opening hours per weekday.
- VolunteerCode: the QR code posted at a point (or for an area) through which workers sign up
  as volunteers.
- Volunteer: one person who signed up (one record per phone), with their platform, skills,
  availability and recorded consent; they reach their own record only through a private link.
- VolunteerTask and TaskSignup: tasks with places, who signed up or was assigned, and the
  service hours staff confirmed.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jiequ.areas.models import latitude_field, longitude_field
from jiequ.core.models import EncryptedPhoneMixin, TimeStampedModel
from jiequ.core.scoping import ScopedQuerySet

from .fields import ChoiceListField


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class PointKind(models.TextChoices):
    MEAL_POINT = "meal_point", _("Warm meal point")
    RIDER_STATION = "rider_station", _("Riders' station")
    OTHER = "other", _("Other service point")


class Offer(models.TextChoices):
    HOT_MEAL = "hot_meal", _("Hot meals at a discount")
    WATER = "water", _("Drinking water")
    CHARGING = "charging", _("Phone and battery charging")
    TOILET = "toilet", _("Toilets")
    REST = "rest", _("A place to rest")
    MICROWAVE = "microwave", _("Microwave")
    COOLING = "cooling", _("Cool in summer, warm in winter")
    FIRST_AID = "first_aid", _("First-aid kit")
    REPAIR = "repair", _("E-bike repair tools")
    RAIN = "rain", _("Umbrellas and raincoats")
    WIFI = "wifi", _("Wi-Fi")
    ADVICE = "advice", _("Rights and legal advice")


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ServicePoint(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    lat = latitude_field()
    lon = longitude_field()
    # Found from the point (the grid holding it); the scope of the point's records.
    region = models.ForeignKey(
        "areas.Region", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    host_entity = models.ForeignKey(
        "ledger.Entity",
        verbose_name=_("host shop or company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_points",
    )
    host_name = models.CharField(
        _("host position or organisation"),
        max_length=100,
        blank=True,
        help_text=_("When the host is not a market entity: a service position, a Party branch…"),
    )
    offers = ChoiceListField(_("offers"), options=Offer.choices)
    offer_note = models.CharField(
        _("about the offers"),
        max_length=300,
        blank=True,
        help_text=_("e.g. 盒饭八折，15元一份；微波炉可自助加热"),
    )
    # {"0": [["07:00", "21:00"]], …}: weekday (Monday 0) → opening periods; missing = closed.
    hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    hours_note = models.CharField(
        _("about the hours"), max_length=200, blank=True, help_text=_("e.g. 法定节假日照常开放")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    column_labels = {
        "host": _("host"),
        "hours_text": _("opening hours"),
        "open_now": _("open now"),
        "volunteer_count": _("volunteers"),
    }

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:point_detail", args=[self.pk])

    @property
    def host(self) -> str:
        return str(self.host_entity) if self.host_entity_id else self.host_name

    @property
    def hours_text(self) -> str:
        from .opening import week_text

        return week_text(self.hours)

    @property
    def open_now(self) -> str:
        from django.utils import timezone

        from .opening import is_open

        yes = is_open(self.hours, timezone.localtime()) and self.is_active
        return str(_("yes") if yes else _("no"))

    @property
    def volunteer_count(self) -> int:
        count = getattr(self, "volunteers_count", None)
        return (
            self.volunteers.exclude(state=VolunteerState.WITHDRAWN).count()
            if count is None
            else count
        )


class VolunteerCode(TimeStampedModel):
    """A volunteer sign-up code (志愿者招募码) posted at a service point or for an area."""

    token = models.SlugField(_("token"), max_length=32, unique=True, editable=False)
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="codes",
    )
    region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Volunteers who sign up here are looked after by this region's staff."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["token"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"

    class Meta:
        verbose_name = _("volunteer sign-up code")
        verbose_name_plural = _("volunteer sign-up codes")

    def __str__(self) -> str:
        return str(self.point or self.region)


class Occupation(models.TextChoices):
    COURIER = "courier", _("Courier")
    RIDER = "rider", _("Food-delivery rider")
    DRIVER = "driver", _("Ride-hailing or freight driver")
    LIVESTREAMER = "livestreamer", _("Livestreamer")
    OTHER = "other", pgettext_lazy("occupation", "Other")


class Platform(models.TextChoices):
    MEITUAN = "meituan", _("Meituan")
    ELEME = "eleme", _("Ele.me")
    SF = "sf", _("SF Express")
    JD = "jd", _("JD Logistics")
    TONGDA = "tongda", _("ZTO, YTO, STO or Yunda")
    DADA = "dada", _("Dada")
    SHANSONG = "shansong", _("Shansong")
    DIDI = "didi", _("DiDi")
    HUOLALA = "huolala", _("Huolala")
    DOUYIN = "douyin", _("Douyin")
    KUAISHOU = "kuaishou", _("Kuaishou")
    OTHER = "other", _("Other platform")


class Skill(models.TextChoices):
    FIRST_AID = "first_aid", _("First aid")
    TRAFFIC = "traffic", _("Road safety and traffic guidance")
    SPOTTING = "spotting", _("Spotting and reporting street problems")
    ERRANDS = "errands", _("Errands for elderly neighbours")
    REPAIR = "repair", _("E-bike and small repairs")
    PHOTO = "photo", _("Photos and video")
    LIVESTREAM = "livestream", _("Livestreaming and online promotion")
    PUBLICITY = "publicity", _("Publicity and leafleting")
    DRIVING = "driving", _("Driving")
    LANGUAGE = "language", _("Dialects and foreign languages")
    PHONE_HELP = "phone_help", _("Helping with phones and apps")
    EVENTS = "events", _("Event support")


class DayPart(models.TextChoices):
    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")
    EVENING = "ev", _("evening")


# Availability slots: weekday (Monday 0) × part of day, e.g. "0am", "5ev".
SLOTS = [
    (f"{day}{part.value}", f"{day_label} {part.label}")
    for day, day_label in WEEKDAYS
    for part in DayPart
]


class VolunteerState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACTIVE = "active", pgettext_lazy("volunteer", "Active")
    INACTIVE = "inactive", pgettext_lazy("volunteer", "Inactive")
    WITHDRAWN = "withdrawn", pgettext_lazy("volunteer", "Withdrawn")


class Volunteer(EncryptedPhoneMixin, TimeStampedModel):
    """A worker who signed up to volunteer, by their own act and with their recorded consent.

    One record per phone: signing up again updates it. Withdrawal removes the personal details
    (name, phone, skills, availability) and keeps the dates and hours for the figures.
    """

    code = models.ForeignKey(
        VolunteerCode,
        verbose_name=_("signed up through"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
    )
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("home point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
    )
    region = models.ForeignKey(
        "areas.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone_encrypted = models.TextField(editable=False, blank=True)
    phone_hash = models.CharField(max_length=64, editable=False, blank=True)
    occupation = models.CharField(_("work"), max_length=20, choices=Occupation.choices)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    skills = ChoiceListField(_("skills"), options=Skill.choices)
    availability = ChoiceListField(_("available"), options=SLOTS)
    consent_text = models.TextField(_("consent text"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    submissions = models.PositiveIntegerField(_("submissions"), default=1)
    state = models.CharField(
        _("state"), max_length=20, choices=VolunteerState.choices, default=VolunteerState.PENDING
    )
    signed_up_on = models.DateField(_("signed up on"))
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    left_on = models.DateField(
        _("left on"),
        null=True,
        blank=True,
        help_text=_("The day they withdrew or were marked inactive."),
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The private link (/p/v/me/<token>/): the only way in for the volunteer.
    token = models.SlugField(max_length=43, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["phone_encrypted", "phone_hash", "token"])
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    column_labels = {
        "display_name": _("full name"),
        "phone_masked": _("mobile phone"),
        "hours_total": _("service hours"),
        "tasks_served": _("tasks served"),
        "consent_time": _("consent given at"),
    }

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-signed_up_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~Q(phone_hash=""), name="volunteer_phone_unique"
            )
        ]
        indexes = [models.Index(fields=["state", "confirmed_on", "left_on"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.state == VolunteerState.WITHDRAWN:
            return _("Withdrawn volunteer #%(n)s") % {"n": self.pk}
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer_detail", args=[self.pk])

    @property
    def consent_time(self) -> str:
        return _local(self.consent_at)

    @property
    def hours_total(self) -> Decimal:
        value = getattr(self, "confirmed_hours", None)
        if value is None:
            value = self.signups.aggregate(total=models.Sum("hours"))["total"]
        return value or Decimal("0")

    @property
    def tasks_served(self) -> int:
        value = getattr(self, "served_count", None)
        if value is None:
            value = self.signups.filter(state=SignupState.SERVED).count()
        return value


class TaskKind(models.TextChoices):
    POINT_DUTY = "point_duty", _("Duty at a service point")
    ROAD_SAFETY = "road_safety", _("Road safety")
    PATROL = "patrol", _("Neighbourhood patrol")
    ELDERLY = "elderly", _("Help for elderly neighbours")
    PUBLICITY = "publicity", _("Publicity")
    ENVIRONMENT = "environment", _("Street clean-up")
    EVENT = "event", _("Event support")
    EMERGENCY = "emergency", _("Emergency help")


class VolunteerTask(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    region = models.ForeignKey(
        "areas.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    skills_wanted = ChoiceListField(_("skills wanted"), options=Skill.choices)
    places = models.PositiveSmallIntegerField(_("places"))
    organiser = models.CharField(_("organiser"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "region__path"
    column_labels = {
        "taken": _("taken"),
        "hours_confirmed": _("hours confirmed"),
        "starts_local": _("starts at"),
        "ends_local": _("ends at"),
    }

    class Meta:
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="task_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="task_has_places"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:task_detail", args=[self.pk])

    @property
    def taken(self) -> int:
        value = getattr(self, "taken_count", None)
        if value is None:
            value = self.signups.filter(state__in=HOLDING_STATES).count()
        return value

    # Local times as text: what tables and Excel exports show (Excel takes no time zones).
    @property
    def starts_local(self) -> str:
        return _local(self.starts_at)

    @property
    def ends_local(self) -> str:
        return _local(self.ends_at)

    @property
    def free_places(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def hours_confirmed(self) -> Decimal:
        value = getattr(self, "confirmed_hours", None)
        if value is None:
            value = self.signups.aggregate(total=models.Sum("hours"))["total"]
        return value or Decimal("0")

    @property
    def duration_hours(self) -> Decimal:
        """The task's length in hours, to the half hour: the default for recorded hours."""
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return Decimal(round(seconds / 1800) / 2).quantize(Decimal("0.1"))


class SignupState(models.TextChoices):
    SIGNED_UP = "signed_up", pgettext_lazy("volunteer task", "Signed up")
    ASSIGNED = "assigned", pgettext_lazy("volunteer task", "Assigned")
    SERVED = "served", _("Served")
    ABSENT = "absent", _("Did not come")
    CANCELLED = "cancelled", pgettext_lazy("sign-up", "Cancelled")


# Sign-ups that hold one of the task's places.
HOLDING_STATES = (SignupState.SIGNED_UP, SignupState.ASSIGNED, SignupState.SERVED)


class SignupSource(models.TextChoices):
    SELF = "self", _("By the volunteer")
    STAFF = "staff", _("By staff")


class TaskSignup(TimeStampedModel):
    """One volunteer on one task, and the service hours staff confirmed for it."""

    task = models.ForeignKey(
        VolunteerTask, verbose_name=_("task"), on_delete=models.PROTECT, related_name="signups"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="signups"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SignupState.choices, default=SignupState.SIGNED_UP
    )
    source = models.CharField(_("how"), max_length=10, choices=SignupSource.choices)
    reported_hours = models.DecimalField(
        _("hours reported by the volunteer"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    hours = models.DecimalField(
        _("service hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("hours confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("hours confirmed at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_lookup = "task__region__path"
    column_labels = {"task_date": _("date")}

    class Meta:
        verbose_name = _("task sign-up")
        verbose_name_plural = _("task sign-ups")
        ordering = ["task__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "volunteer"], name="one_signup_per_task"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="signup_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.task}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:task_detail", args=[self.task_id])

    @property
    def task_date(self):
        from django.utils import timezone

        return timezone.localtime(self.task.starts_at).date()
