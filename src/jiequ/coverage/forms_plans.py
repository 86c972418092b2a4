"""Forms of the planner, responsibility zones and street chiefs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region, RegionLevel, Road
from jiequ.core.scoping import organisation_in_scope
from jiequ.party.models import Level, Organisation

from . import chiefs, planner, zones
from .models import BalanceBy

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _k_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("number of groups (k)"),
        min_value=1,
        max_value=500,
        error_messages={
            "invalid": gettext_lazy("The number of groups must be a whole number."),
            "min_value": gettext_lazy("There must be at least one group."),
            "max_value": gettext_lazy("At most 500 groups."),
            "required": gettext_lazy("Give the number of groups."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _balance_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=gettext_lazy("balance by"),
        choices=BalanceBy.choices,
        initial=BalanceBy.SHOPS,
        widget=forms.RadioSelect,
    )


class BranchPlanForm(forms.Form):
    """A new street-block branch plan: which shops, how many groups, balanced by what."""

    name = forms.CharField(label=gettext_lazy("name of the plan"), max_length=100)
    subdistrict = forms.ModelChoiceField(
        label=gettext_lazy("subdistrict"), queryset=Region.objects.none()
    )
    uncovered_only = forms.BooleanField(
        label=gettext_lazy("Only shops not yet covered by a street-block branch"),
        required=False,
        initial=True,
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("area"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=gettext_lazy("the whole subdistrict"),
    )
    roads = forms.ModelMultipleChoiceField(
        label=gettext_lazy("roads"),
        queryset=Road.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty for every road."),
    )
    k = _k_field()
    balance_by = _balance_field()

    def __init__(self, *args: Any, subdistricts: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = subdistricts
        paths = list(subdistricts.values_list("path", flat=True))
        areas = Region.objects.filter(level=RegionLevel.AREA, parent__in=subdistricts)
        self.fields["area"].queryset = areas
        self.fields["roads"].queryset = Road.objects.filter(subdistrict__in=subdistricts)
        if len(paths) == 1:
            only = subdistricts.first()
            self.fields["subdistrict"].initial = only
            self.fields["subdistrict"].widget = forms.HiddenInput()
            self.fields["name"].initial = _("Street-block branches of %(sub)s, %(day)s") % {
                "sub": only.name,
                "day": timezone.localdate().isoformat(),
            }
        self.entities: list = []
        self.selection = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        subdistrict = cleaned.get("subdistrict")
        if subdistrict is None:
            return cleaned
        area = cleaned.get("area")
        if area is not None and area.parent_id != subdistrict.pk:
            self.add_error("area", _("That area is not in the chosen subdistrict."))
            return cleaned
        roads = list(cleaned.get("roads") or [])
        if any(r.subdistrict_id != subdistrict.pk for r in roads):
            self.add_error("roads", _("Some roads are not in the chosen subdistrict."))
            return cleaned
        uncovered = cleaned.get("uncovered_only", False)
        qs = planner.street_shops(subdistrict, uncovered_only=uncovered, area=area, roads=roads)
        self.entities = list(qs.filter(lat__isnull=False, lon__isnull=False))
        self.missing_location = qs.filter(lat__isnull=True).count()
        parts = [
            _("Street shops not yet covered by a street-block branch")
            if uncovered
            else _("All operating street shops")
        ]
        if area is not None:
            parts.append(area.name)
        if roads:
            parts.append("、".join(r.name for r in roads))
        self.selection = " · ".join(parts)
        k = cleaned.get("k")
        if not self.entities:
            raise forms.ValidationError(_("No street shop with a location matches this choice."))
        if k is not None and k > len(self.entities):
            self.add_error(
                "k",
                _("The number of groups must be between 1 and the number of shops (%(n)d).")
                % {"n": len(self.entities)},
            )
        return cleaned


class ZonePlanForm(forms.Form):
    """A branch's shops divided among the members chosen."""

    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("members who take a zone"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one member.")},
    )
    balance_by = _balance_field()
    name = forms.CharField(
        label=gettext_lazy("name of the plan"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Leave empty for the branch's name and today's date."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        members = zones.active_members(organisation).select_related("workplace")
        self.fields["members"].queryset = members
        self.fields["members"].initial = [m.pk for m in members]
        shop_ids = set(zones.branch_shops(organisation).values_list("pk", flat=True))
        self.fields["members"].label_from_instance = lambda m: (
            _("%(name)s · works at %(shop)s") % {"name": m.name, "shop": m.workplace}
            if m.workplace_id in shop_ids
            else m.name
        )


class RenameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=100, required=False)


class ApplyBranchesForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=gettext_lazy("higher organisation of the new branches"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose the higher organisation of the new branches.")
        },
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked the groups: create the branches now."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, plan: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = Organisation.objects.restrict(user).filter(
            region__path__startswith=plan.subdistrict.path,
            level__in=[Level.COMMITTEE, Level.GENERAL_BRANCH],
            dissolved_on__isnull=True,
        )
        self.user = user
        self.fields["parent"].queryset = candidates
        committee = planner.committee_of(plan.subdistrict)
        if committee is not None:
            self.fields["parent"].initial = committee.pk

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if not organisation_in_scope(self.user, parent):
            raise forms.ValidationError(_("That organisation is outside your scope."))
        return parent


class ApplyZonesForm(forms.Form):
    duties = forms.CharField(
        label=gettext_lazy("duty list"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=4000,
        help_text=gettext_lazy("One duty a line; every member's zone gets this list."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Replace the branch's zones with this plan's."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duties"].initial = zones.default_duties()


class ChiefForm(forms.Form):
    """Put a member or a department cadre in charge of a road."""

    member = forms.ModelChoiceField(
        label=gettext_lazy("Party member"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— none —"),
    )
    cadre = forms.ModelChoiceField(
        label=gettext_lazy("or department cadre"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— none —"),
    )
    started_on = forms.DateField(
        label=gettext_lazy("from"),
        widget=DATE_WIDGET,
        error_messages={
            "required": gettext_lazy("Give the day the post starts."),
            "invalid": gettext_lazy("Enter a date such as 2025-03-01."),
        },
    )

    def __init__(self, *args: Any, road: Road, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subdistrict = road.subdistrict
        members = chiefs.candidate_members(subdistrict)
        if not user.has_perm("members.view_member"):
            members = members.none()
        self.fields["member"].queryset = members.restrict(user).order_by("name")
        self.fields["member"].label_from_instance = lambda m: f"{m.name} · {m.organisation}"
        self.fields["cadre"].queryset = chiefs.candidate_cadres(subdistrict).restrict(user)
        self.fields["cadre"].label_from_instance = lambda c: (
            f"{c.name} · {c.department or c.get_department_kind_display()}"
        )
        self.fields["started_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("member") is None) == (cleaned.get("cadre") is None) and not (
            self.errors.get("member") or self.errors.get("cadre")
        ):
            raise forms.ValidationError(
                _("Choose either a Party member or a department cadre, not both.")
            )
        return cleaned


class EndChiefForm(forms.Form):
    ended_on = forms.DateField(
        label=gettext_lazy("until"),
        widget=DATE_WIDGET,
        error_messages={
            "required": gettext_lazy("Give the last day of the post."),
            "invalid": gettext_lazy("Enter a date such as 2025-03-01."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
