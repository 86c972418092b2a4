"""Forms of survey rounds and visits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.validators import normalise_phone

from .models import EntityState


class OpenRoundForm(forms.Form):
    due_on = forms.DateField(
        label=gettext_lazy("due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Rounds are normally two weeks long."),
    )
    grids = forms.ModelMultipleChoiceField(
        label=gettext_lazy("grids"),
        queryset=Region.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty for the whole subdistrict."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, subdistrict: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subdistrict = subdistrict
        self.fields["grids"].queryset = Region.objects.filter(
            level=RegionLevel.GRID, path__startswith=subdistrict.path
        )
        self.fields["due_on"].initial = timezone.localdate() + timezone.timedelta(days=14)

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class VisitForm(forms.Form):
    """The phone form a visitor fills in at the shop."""

    visited_on = forms.DateField(
        label=gettext_lazy("visited on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    state_found = forms.ChoiceField(label=gettext_lazy("state found"), choices=EntityState.choices)
    worker_count = forms.IntegerField(
        label=gettext_lazy("workers"),
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    members_met = forms.IntegerField(
        label=gettext_lazy("Party members met"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("contact person"), max_length=50, required=False
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("contact phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "The contact person agrees that the subdistrict keeps their name and phone to "
            "contact them about Party-building work."
        ),
        required=False,
    )
    demands = forms.CharField(
        label=gettext_lazy("demands raised"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=gettext_lazy("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return day

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data.get("contact_phone", "").strip()
        return normalise_phone(phone) if phone else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_contact = cleaned.get("contact_name") or cleaned.get("contact_phone")
        if has_contact and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Contact details are kept only with the person's consent. Tick the box or "
                    "leave name and phone empty."
                ),
            )
        workers, members = cleaned.get("worker_count"), cleaned.get("members_met")
        if workers is not None and members is not None and members > workers:
            self.add_error("members_met", _("There cannot be more Party members than workers."))
        return cleaned
