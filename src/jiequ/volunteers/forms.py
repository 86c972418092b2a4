"""Forms: service points and tasks (staff), the public sign-up and the volunteer's own page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region, RegionLevel
from jiequ.areas.services import grid_in_scope
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import restrict
from jiequ.core.validators import normalise_phone
from jiequ.ledger.models import Entity, EntityState

from .models import (
    WEEKDAYS,
    DayPart,
    Occupation,
    Platform,
    ServicePoint,
    Skill,
    VolunteerTask,
)
from .opening import day_text, parse_day

CONSENT_TEXT = gettext_lazy(
    "I agree that the subdistrict keeps my name, phone number, work platform, skills and free "
    "times to invite me to volunteer tasks and to count my service hours. They are seen only "
    "by the staff who organise volunteers, never shared with my platform or employer, and I "
    "can withdraw at any time through my private link, which deletes my personal details."
)

POINT_FIELDS = [
    "kind",
    "name",
    "address",
    "lat",
    "lon",
    "host_entity",
    "host_name",
    "offers",
    "offer_note",
    "hours_note",
    "is_active",
]


def _hours_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "07:00-21:00"}),
    )


class ServicePointForm(ScopedModelForm):
    """A point: the grid is found from its position (and must lie in the user's scope)."""

    class Meta:
        model = ServicePoint
        fields = POINT_FIELDS
        widgets = {
            "lat": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "lon": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_entity"].queryset = (
            restrict(Entity.objects.all(), self.user)
            .filter(state=EntityState.OPERATING)
            .only("pk", "name", "sign_name")
        )
        self.fields["lat"].help_text = gettext_lazy("WGS-84, e.g. 31.235123")
        self.fields["lon"].help_text = gettext_lazy("WGS-84, e.g. 121.459876")
        week = self.instance.hours or {}
        for day, label in WEEKDAYS:
            name = f"hours_{day}"
            self.fields[name] = _hours_field(label)
            periods = week.get(str(day), [])
            if periods:
                self.initial.setdefault(name, ", ".join(f"{a}-{b}" for a, b in periods))
            elif self.instance.pk is None:
                # A new point: the usual hours, to correct, rather than an empty (closed) week.
                self.initial.setdefault(name, "07:00-21:00")
        self.fields["hours_0"].help_text = gettext_lazy(
            "e.g. 07:00-21:00 or 10:30-14:00, 17:00-20:00; “24h” for all day; empty = closed."
        )
        # The hours fields sit after the offers, before the note about the hours.
        order = [*POINT_FIELDS[:-2], *(f"hours_{d}" for d, _l in WEEKDAYS), *POINT_FIELDS[-2:]]
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        week: dict[str, list[list[str]]] = {}
        for day, _label in WEEKDAYS:
            name = f"hours_{day}"
            try:
                periods = parse_day(cleaned.get(name, ""))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
                continue
            if periods:
                week[str(day)] = periods
        self.instance.hours = week
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if lat is not None and lon is not None:
            try:
                self.instance.region = grid_in_scope(self.user, lat, lon)
            except forms.ValidationError as exc:
                self.add_error("lat", exc)
        return cleaned


class TaskForm(ScopedModelForm):
    class Meta:
        model = VolunteerTask
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "point",
            "region",
            "skills_wanted",
            "places",
            "organiser",
            "description",
            "is_cancelled",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
            "places": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = restrict(ServicePoint.objects.all(), self.user)
        regions = restrict(
            Region.objects.filter(
                level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
            ),
            self.user,
        )
        if self.user.scope_region is not None:  # inside the scope, not the regions above it
            regions = regions.filter(path__startswith=self.user.scope_region.path)
        self.fields["region"].queryset = regions
        self.fields["region"].required = False
        self.fields["region"].help_text = gettext_lazy(
            "Left empty: the service point's grid, or your own area of work."
        )
        if self.instance.pk is None:
            del self.fields["is_cancelled"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The task must end after it starts."))
        point, region = cleaned.get("point"), cleaned.get("region")
        if region is None:
            region = point.region if point is not None else self.user.scope_region
            if region is None:
                self.add_error("region", _("Choose the region the task belongs to."))
            cleaned["region"] = region
        elif point is not None and not point.region.path.startswith(region.path):
            self.add_error("point", _("This service point lies outside the chosen region."))
        places = cleaned.get("places")
        if self.instance.pk and places is not None and places < self.instance.taken:
            self.add_error(
                "places",
                _("%(n)d volunteers are already on this task; places cannot be fewer.")
                % {"n": self.instance.taken},
            )
        return cleaned


class PhoneField(forms.CharField):
    widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value: Any) -> str:
        return normalise_phone(super().clean(value))


class AvailabilityMixin:
    """Renders the availability checkboxes as a week grid (days × parts of the day)."""

    def availability_rows(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        bound = self["availability"]
        chosen = {str(v) for v in (bound.value() or [])}
        return [
            (
                str(label),
                [
                    (f"{day}{part.value}", str(part.label), f"{day}{part.value}" in chosen)
                    for part in DayPart
                ],
            )
            for day, label in WEEKDAYS
        ]

    def day_parts(self) -> list[str]:
        return [str(part.label) for part in DayPart]


class SignupForm(AvailabilityMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("full name"), max_length=50)
    phone = PhoneField(label=gettext_lazy("mobile phone"), max_length=20)
    occupation = forms.ChoiceField(
        label=gettext_lazy("your work"), choices=Occupation.choices, widget=forms.RadioSelect
    )
    platform = forms.ChoiceField(
        label=gettext_lazy("platform"), choices=[("", "—"), *Platform.choices]
    )
    skills = forms.MultipleChoiceField(
        label=gettext_lazy("what you can do"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=gettext_lazy("when you are free"),
        choices=[(f"{d}{p.value}", "") for d, _l in WEEKDAYS for p in DayPart],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": gettext_lazy("Please read and agree before you submit.")},
    )
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Write your full name."))
        return name


class OwnRecordForm(AvailabilityMixin, forms.Form):
    """What a volunteer changes on their private page."""

    skills = forms.MultipleChoiceField(
        label=gettext_lazy("what you can do"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=gettext_lazy("when you are free"),
        choices=[(f"{d}{p.value}", "") for d, _l in WEEKDAYS for p in DayPart],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def week_rows(hours: dict | None) -> list[tuple[str, str]]:
    """(weekday, hours) rows of a point's week, for detail pages."""
    return [(str(label), day_text((hours or {}).get(str(day), []))) for day, label in WEEKDAYS]
