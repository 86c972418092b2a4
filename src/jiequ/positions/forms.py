"""Forms of positions, rooms, bookings, the rota and the weekly menu.

Choices are limited to the user's scope; the rules themselves live in bookings.py, rota.py and
menu.py, whose refusals the forms show beside the field they concern.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import organisation_in_scope, region_in_scope, restrict, user_scope_path
from jiequ.councils.models import Council
from jiequ.members.models import Member
from jiequ.party.models import Cadre, Organisation

from . import bookings, hours, menu
from .models import Activity, Audience, Booking, Duty, Position, Room

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")


def regions_in_scope(user: Any) -> QuerySet[Region]:
    if user.is_superuser:
        return Region.objects.all()
    path = user_scope_path(user)
    if not path:
        return Region.objects.none()
    return Region.objects.filter(path__startswith=path).exclude(level=RegionLevel.DISTRICT)


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


# --- positions and rooms --------------------------------------------------------------------


class PositionForm(ScopedModelForm):
    class Meta:
        model = Position
        fields = [
            "name",
            "address",
            "region",
            "lat",
            "lon",
            "floor_area",
            "organisation",
            "closed_on_public_holidays",
            "is_active",
            "notes",
        ]
        widgets = {
            "lat": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.000001"}),
            "lon": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.000001"}),
            "floor_area": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_in_scope(self.user)
        self.fields["organisation"].queryset = restrict(Organisation.objects.all(), self.user)
        stored = self.instance.opening_hours or {}
        for weekday in range(7):
            pair = stored.get(str(weekday))
            self.fields[f"hours_{weekday}"] = forms.CharField(
                label=hours.WEEKDAYS[weekday],
                required=False,
                initial=f"{pair[0]}-{pair[1]}" if pair else "",
                widget=forms.TextInput(attrs={"placeholder": "09:00-21:00"}),
                help_text=gettext_lazy("Empty: closed that day.") if weekday == 6 else "",
            )

    def clean_region(self) -> Region:
        region = self.cleaned_data["region"]
        if not region_in_scope(self.user, region):
            raise forms.ValidationError(_("You may only add positions in your own region."))
        return region

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opening: dict[str, list[str]] = {}
        for weekday in range(7):
            text = (cleaned.get(f"hours_{weekday}") or "").strip()
            if not text:
                continue
            try:
                opening[str(weekday)] = list(hours.parse_range(text))
            except ValueError as exc:
                self.add_error(f"hours_{weekday}", str(exc))
        cleaned["opening_hours"] = opening
        return cleaned

    def save(self, commit: bool = True) -> Position:
        self.instance.opening_hours = self.cleaned_data["opening_hours"]
        return super().save(commit)


_SPLIT = re.compile(r"[、,，;；\n]+")


class RoomForm(ScopedModelForm):
    equipment_text = forms.CharField(
        label=gettext_lazy("equipment"),
        required=False,
        help_text=gettext_lazy("Separated by 、 or commas, e.g. 投影仪、音响、白板."),
    )

    class Meta:
        model = Room
        fields = [
            "position",
            "name",
            "kind",
            "capacity",
            "floor_area",
            "needs_approval",
            "min_minutes",
            "max_minutes",
            "is_active",
            "notes",
        ]
        widgets = {
            "capacity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "floor_area": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "min_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "step": 15}),
            "max_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "step": 15}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = restrict(Position.objects.all(), self.user, "change")
        self.fields["equipment_text"].initial = "、".join(self.instance.equipment or [])
        self.fields["capacity"].min_value = 1

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("A room holds at least one person."))
        return capacity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("min_minutes"), cleaned.get("max_minutes")
        if low is not None and high is not None and high < low:
            self.add_error(
                "max_minutes", _("The longest booking cannot be shorter than the shortest.")
            )
        if low is not None and low < 15:
            self.add_error("min_minutes", _("A booking lasts at least 15 minutes."))
        items = [x.strip() for x in _SPLIT.split(cleaned.get("equipment_text") or "")]
        cleaned["equipment"] = list(dict.fromkeys(x for x in items if x))
        return cleaned

    def save(self, commit: bool = True) -> Room:
        self.instance.equipment = self.cleaned_data["equipment"]
        return super().save(commit)


# --- bookings -------------------------------------------------------------------------------


class BookingForm(forms.Form):
    """Book a room: the checks are bookings.request_booking's, shown beside their field."""

    room = forms.ModelChoiceField(queryset=Room.objects.none(), label=gettext_lazy("room"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=gettext_lazy("for the organisation"),
    )
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(), required=False, label=gettext_lazy("or for the council")
    )
    day = forms.DateField(label=gettext_lazy("day"), widget=DATE_WIDGET)
    start = forms.TimeField(label=gettext_lazy("from"), widget=TIME_WIDGET)
    end = forms.TimeField(label=gettext_lazy("until"), widget=TIME_WIDGET)
    purpose = forms.CharField(label=gettext_lazy("purpose"), max_length=200)
    attendees = forms.IntegerField(
        label=gettext_lazy("attendees expected"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.booking: Booking | None = None
        rooms = (
            restrict(Room.objects.all(), user)
            .filter(is_active=True, position__is_active=True)
            .select_related("position")
        )
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = lambda r: f"{r}（{r.capacity}人）"
        organisations = restrict(Organisation.objects.all(), user).filter(dissolved_on__isnull=True)
        self.fields["organisation"].queryset = organisations
        councils = restrict(Council.objects.all(), user).filter(is_active=True)
        if user.organisation_scope_ids() is not None:
            councils = councils.none()  # a secretary books for their branch only
        self.fields["council"].queryset = councils
        if not councils.exists():
            del self.fields["council"]
            self.fields["organisation"].required = True
            self.fields["organisation"].label = gettext_lazy("for the organisation")
        elif not organisations.exists():
            del self.fields["organisation"]
            self.fields["council"].required = True
            self.fields["council"].label = gettext_lazy("for the council")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        organisation, council = cleaned.get("organisation"), cleaned.get("council")
        if "organisation" in self.fields and "council" in self.fields:
            if organisation is None and council is None:
                self.add_error("organisation", _("Choose the organisation or the council."))
            elif organisation is not None and council is not None:
                self.add_error("council", _("Choose either an organisation or a council."))
        return cleaned

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        return aware(day, self.cleaned_data["start"]), aware(day, self.cleaned_data["end"])

    def save(self) -> Booking | None:
        """Book; None (with the refusal added to the form) when the rules refuse."""
        if not self.is_valid():
            return None
        starts_at, ends_at = self.times()
        data = self.cleaned_data
        try:
            self.booking = bookings.request_booking(
                room=data["room"],
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=data["purpose"],
                attendees=data["attendees"],
                organisation=data.get("organisation"),
                council=data.get("council"),
                user=self.user,
            )
        except bookings.BookingError as exc:
            field = {"starts_at": "start", "ends_at": "end"}.get(exc.field or "", exc.field)
            self.add_error(field if field in self.fields else None, exc.message)
            return None
        return self.booking


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


# --- the rota -------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("from"), widget=DATE_WIDGET)
    end = forms.DateField(label=gettext_lazy("until"), widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return cleaned


def person_choices(members: QuerySet, cadres: QuerySet) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", "---------")]
    people = [(f"m:{m.pk}", f"{m.name}（{m.organisation}）") for m in members]
    officials = [
        (f"c:{c.pk}", f"{c.name}（{c.department or c.get_department_kind_display()}）")
        for c in cadres
    ]
    if people:
        choices.append((pgettext("people", "Party members"), people))
    if officials:
        choices.append((_("Department cadres"), officials))
    return choices


class PersonField(forms.ChoiceField):
    """A member ("m:12") or a department cadre ("c:3"), cleaned to (member, cadre)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.members: QuerySet = Member.objects.none()
        self.cadres: QuerySet = Cadre.objects.none()
        super().__init__(*args, **kwargs)

    def offer(self, members: QuerySet, cadres: QuerySet) -> None:
        self.members, self.cadres = members, cadres
        self.choices = person_choices(members, cadres)

    def clean(self, value: Any) -> tuple[Member | None, Cadre | None]:
        value = super().clean(value)
        kind, _sep, pk = (value or "").partition(":")
        if kind == "m" and pk.isdigit():
            member = self.members.filter(pk=pk).first()
            if member is not None:
                return member, None
        if kind == "c" and pk.isdigit():
            cadre = self.cadres.filter(pk=pk).first()
            if cadre is not None:
                return None, cadre
        raise forms.ValidationError(_("Choose a person from the list."))


class PoolForm(forms.Form):
    person = PersonField(label=gettext_lazy("add to the pool"))

    def __init__(self, *args: Any, user: Any, position: Position, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            restrict(Member.objects.all(), user)
            .filter(left_on__isnull=True)
            .exclude(pk__in=position.pool.exclude(member=None).values("member"))
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        cadres = restrict(Cadre.objects.all(), user).exclude(
            pk__in=position.pool.exclude(cadre=None).values("cadre")
        )
        self.fields["person"].offer(members, cadres)


class AssignForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("day"), widget=DATE_WIDGET)
    person = PersonField(label=gettext_lazy("duty master"))

    def __init__(self, *args: Any, position: Position, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool = position.pool.filter(is_active=True)
        members = Member.objects.filter(pk__in=pool.values("member")).select_related("organisation")
        cadres = Cadre.objects.filter(pk__in=pool.values("cadre"))
        self.fields["person"].offer(members, cadres)


class SwapForm(forms.Form):
    duty_a = forms.ModelChoiceField(queryset=Duty.objects.none(), label=gettext_lazy("I give"))
    duty_b = forms.ModelChoiceField(queryset=Duty.objects.none(), label=gettext_lazy("and take"))
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args: Any, mine: QuerySet, others: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duty_a"].queryset = mine
        self.fields["duty_b"].queryset = others
        label = lambda d: (  # noqa: E731
            f"{d.day:%m-%d} {hours.weekday_name(d.day.weekday())} {d.position} · {d.master}"
        )
        self.fields["duty_a"].label_from_instance = label
        self.fields["duty_b"].label_from_instance = label


# --- the weekly menu ------------------------------------------------------------------------


class ActivityForm(ScopedModelForm):
    day = forms.DateField(label=gettext_lazy("day"), widget=DATE_WIDGET)
    start = forms.TimeField(label=gettext_lazy("from"), widget=TIME_WIDGET)
    end = forms.TimeField(label=gettext_lazy("until"), widget=TIME_WIDGET)

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "organiser",
            "room",
            "place",
            "capacity",
            "audience",
            "audience_organisation",
            "description",
        ]
        widgets = {
            "capacity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "title",
        "kind",
        "day",
        "start",
        "end",
        "room",
        "place",
        "capacity",
        "organiser",
        "audience",
        "audience_organisation",
        "description",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = restrict(Organisation.objects.all(), self.user).filter(
            dissolved_on__isnull=True
        )
        self.fields["organiser"].queryset = organisations
        self.fields["audience_organisation"].queryset = organisations
        self.fields["room"].queryset = (
            restrict(Room.objects.all(), self.user)
            .filter(is_active=True)
            .select_related("position")
        )
        self.fields["room"].help_text = gettext_lazy(
            "The room is booked for the activity's time; leave empty and give the place otherwise."
        )
        instance = self.instance
        if instance.pk:
            start, end = (
                timezone.localtime(instance.starts_at),
                timezone.localtime(instance.ends_at),
            )
            self.initial.update(day=start.date(), start=start.time(), end=end.time())

    def clean_organiser(self) -> Organisation:
        organiser = self.cleaned_data["organiser"]
        if not organisation_in_scope(self.user, organiser):
            raise forms.ValidationError(_("You may only add activities of your own organisations."))
        return organiser

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("An activity has at least one place."))
        return capacity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            if end <= start:
                self.add_error("end", _("The end must be after the start."))
            else:
                self.instance.starts_at, self.instance.ends_at = aware(day, start), aware(day, end)
        if not cleaned.get("room") and not (cleaned.get("place") or "").strip():
            self.add_error("place", _("Choose a room or say where the activity is held."))
        audience = cleaned.get("audience")
        if audience == Audience.ORGANISATION and not cleaned.get("audience_organisation"):
            self.add_error("audience_organisation", _("Choose whose members it is for."))
        if audience != Audience.ORGANISATION:
            cleaned["audience_organisation"] = None
        return cleaned

    def save(self, commit: bool = True) -> Activity:
        try:
            return menu.save_activity(self.instance, self.user)
        except menu.MenuError as exc:
            field = {"starts_at": "start", "ends_at": "end"}.get(exc.field or "", exc.field)
            self.add_error(field if field in self.fields else None, exc.message)
            raise


class MemberSignUpForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=Member.objects.none(), label=gettext_lazy("sign up the member")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            restrict(Member.objects.all(), user)
            .filter(left_on__isnull=True)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.organisation}）"
