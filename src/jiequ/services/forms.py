"""Forms of the supply system: needs, resources, projects (with their owner), resources a
project takes, deliveries and their feedback. Each is limited to the user's scope and says
why it refuses, in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import organisation_in_scope, region_in_scope, restrict
from jiequ.ledger.models import Entity, EntityState
from jiequ.party.models import Organisation

from . import projects as domain
from .models import (
    Delivery,
    Need,
    NeedState,
    OwnerKind,
    Project,
    ProjectState,
    Resource,
    ResourceState,
    TargetGroup,
    decode_groups,
    encode_groups,
)
from .owners import owner_point, owner_region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OWNER_FIELDS = ["organisation", "department_kind", "department_name", "entity"]
SUPPLY_FIELDS = [
    "title",
    "category",
    "target_groups",
    *OWNER_FIELDS,
    "quantity",
    "unit",
    "starts_on",
    "ends_on",
    "description",
    "region",
    "lat",
    "lon",
]
NEED_FIELDS = [*SUPPLY_FIELDS[:2], "state", "raised_on", *SUPPLY_FIELDS[2:]]
RESOURCE_FIELDS = [*SUPPLY_FIELDS[:2], "state", *SUPPLY_FIELDS[2:]]
PROJECT_FIELDS = [*SUPPLY_FIELDS[:2], "state", "needs", *SUPPLY_FIELDS[2:]]


class EntityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entity) -> str:
        return f"{obj}（{obj.address}）" if obj.address else str(obj)


class SupplyItemForm(ScopedModelForm):
    """Owner (exactly one of organisation, department, shop), groups, period, region, point."""

    owner_kind = forms.ChoiceField(
        label=pgettext_lazy("supply", "owner"),
        choices=OwnerKind.choices,
        widget=forms.RadioSelect,
        initial=OwnerKind.ORGANISATION,
    )
    target_groups = forms.MultipleChoiceField(
        label=gettext_lazy("target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        fields = SUPPLY_FIELDS
        field_classes = {"entity": EntityChoiceField}
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "raised_on": DATE_WIDGET,
            "quantity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        # The owner field sits first among the owner's fields.
        order = list(self.fields)
        order.remove("owner_kind")
        order.insert(order.index("organisation"), "owner_kind")
        self.order_fields(order)
        self.fields["organisation"].queryset = restrict(
            Organisation.objects.filter(dissolved_on__isnull=True), user
        )
        self.fields["entity"].queryset = (
            restrict(Entity.objects.all(), user)
            .filter(state=EntityState.OPERATING)
            .order_by("name")
        )
        self.fields["entity"].help_text = _("A shop or other market entity of the ledger.")
        self.fields["region"].queryset = restrict(
            Region.objects.filter(
                level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
            ),
            user,
        )
        self.fields["region"].required = False
        self.fields["region"].help_text = _(
            "For a department: where it offers or needs this. Otherwise the owner's region."
        )
        self.fields["lat"].help_text = _("Leave empty to use the owner's location.")
        if user is not None and user.organisation_scope_ids() is not None:
            # A branch secretary keeps their branch's records: the owner is an organisation.
            self.fields["owner_kind"].choices = [
                (OwnerKind.ORGANISATION, OwnerKind.ORGANISATION.label)
            ]
        if self.instance.pk:
            self.initial["owner_kind"] = self.instance.owner_kind
            self.initial["target_groups"] = decode_groups(self.instance.target_groups)

    def clean_target_groups(self) -> str:
        return encode_groups(self.cleaned_data.get("target_groups") or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("owner_kind")
        organisation = cleaned.get("organisation")
        entity = cleaned.get("entity")
        if kind == OwnerKind.ORGANISATION:
            cleaned.update(entity=None, department_kind="", department_name="")
            if organisation is None:
                self.add_error("organisation", _("Choose the Party organisation."))
            elif not organisation_in_scope(self.user, organisation):
                self.add_error(
                    "organisation", _("You may only enter records of your own organisations.")
                )
        elif kind == OwnerKind.SHOP:
            cleaned.update(organisation=None, department_kind="", department_name="")
            if entity is None:
                self.add_error("entity", _("Choose the shop."))
        elif kind == OwnerKind.DEPARTMENT:
            cleaned.update(organisation=None, entity=None)
            if not cleaned.get("department_kind"):
                self.add_error("department_kind", _("Choose the department."))
            if not cleaned.get("region") and "region" not in self.errors:
                self.add_error("region", _("Choose the region for a department's record."))
        region = owner_region(cleaned.get("organisation"), cleaned.get("entity"))
        if region is not None:
            cleaned["region"] = region
        elif cleaned.get("region") is not None and not region_in_scope(
            self.user, cleaned["region"]
        ):
            self.add_error("region", _("You may only enter records in your own region."))
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("lon", _("Give both latitude and longitude, or neither."))
        elif lat is None and kind in (OwnerKind.ORGANISATION, OwnerKind.SHOP):
            cleaned["lat"], cleaned["lon"] = owner_point(
                cleaned.get("organisation"), cleaned.get("entity")
            )
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period cannot end before it starts."))
        return cleaned

    def _post_clean(self) -> None:
        # The fields clean() settled (owner, region, point) go onto the instance too.
        for name in [*OWNER_FIELDS, "region", "lat", "lon"]:
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


class NeedForm(SupplyItemForm):
    class Meta(SupplyItemForm.Meta):
        model = Need
        fields = NEED_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].help_text = _(
            "Matched and met follow from the projects taking the need on."
        )

    def clean_raised_on(self) -> Any:
        raised = self.cleaned_data.get("raised_on")
        if raised and raised > timezone.localdate():
            raise forms.ValidationError(_("A need cannot be raised in the future."))
        return raised

    def save(self, commit: bool = True) -> Need:
        need = super().save(commit)
        if commit:
            domain.refresh_need_state(need)
        return need


class ResourceForm(SupplyItemForm):
    class Meta(SupplyItemForm.Meta):
        model = Resource
        fields = RESOURCE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].help_text = _(
            "Fully committed and used up follow from the projects using it; withdraw it here."
        )

    def clean_quantity(self) -> Any:
        quantity = self.cleaned_data.get("quantity")
        if quantity is not None and self.instance.pk:
            committed = domain.committed_of(self.instance)
            if quantity < committed:
                raise forms.ValidationError(
                    _("Projects already take %(n)s; the quantity cannot be less.")
                    % {"n": committed}
                )
        return quantity

    def save(self, commit: bool = True) -> Resource:
        resource = super().save(commit)
        if commit:
            if resource.state != ResourceState.WITHDRAWN:
                # The computed states follow the allocations, not what was picked.
                resource.state = ResourceState.AVAILABLE
            domain.refresh_resource_state(resource)
        return resource


class ProjectForm(SupplyItemForm):
    needs = forms.ModelMultipleChoiceField(
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("needs it meets"),
    )

    class Meta(SupplyItemForm.Meta):
        model = Project
        fields = PROJECT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        already = list(self.instance.needs.values_list("pk", flat=True)) if self.instance.pk else []
        self._needs_before = set(already)
        needs = restrict(Need.objects.all(), self.user)
        self.fields["needs"].queryset = needs.filter(
            Q(state__in=[NeedState.OPEN, NeedState.MATCHED]) | Q(pk__in=already)
        ).order_by("-raised_on")
        self.fields["region"].help_text = _(
            "Who sees the project: users of this region (usually the whole subdistrict)."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # A project is usually for the whole subdistrict; keep a region the user chose.
        chosen = self.data.get(self.add_prefix("region"))
        if chosen and "region" not in self.errors:
            region = self.fields["region"].queryset.filter(pk=chosen).first()
            if region is not None and region_in_scope(self.user, region):
                cleaned["region"] = region
        return cleaned

    def save(self, commit: bool = True) -> Project:
        project = super().save(commit)
        if commit:
            domain.project_saved(project)
            dropped = self._needs_before - set(project.needs.values_list("pk", flat=True))
            for need in Need.objects.filter(pk__in=dropped):
                domain.refresh_need_state(need)
        return project


class AllocationForm(forms.Form):
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.none(), label=gettext_lazy("resource")
    )
    quantity = forms.IntegerField(label=gettext_lazy("quantity used"), min_value=1)
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = restrict(Resource.objects.all(), user).exclude(
            state=ResourceState.WITHDRAWN
        )


class DeliveryForm(ScopedModelForm):
    class Meta:
        model = Delivery
        fields = [
            "project",
            "organisation",
            "delivered_on",
            "what",
            "participants",
            "rating",
            "feedback",
        ]
        widgets = {
            "delivered_on": DATE_WIDGET,
            "participants": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = restrict(Project.objects.all(), self.user).exclude(
            state=ProjectState.CANCELLED
        )
        self.fields["organisation"].queryset = restrict(
            Organisation.objects.filter(dissolved_on__isnull=True), self.user
        )

    def clean_organisation(self) -> Organisation:
        organisation = self.cleaned_data["organisation"]
        if not organisation_in_scope(self.user, organisation):
            raise forms.ValidationError(
                _("You may only record deliveries to your own organisations.")
            )
        return organisation

    def clean_delivered_on(self) -> Any:
        day = self.cleaned_data.get("delivered_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("A delivery cannot be recorded for a future day."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        project, day = cleaned.get("project"), cleaned.get("delivered_on")
        if project and day and day < project.starts_on:
            self.add_error(
                "delivered_on",
                _("The project starts on %(day)s; a delivery cannot be earlier.")
                % {"day": f"{project.starts_on:%Y-%m-%d}"},
            )
        return cleaned

    def save(self, commit: bool = True) -> Delivery:
        delivery = super().save(commit=False)
        if delivery.recorded_by_id is None:
            delivery.recorded_by = self.user
        if commit:
            delivery.save()
        return delivery


class FeedbackForm(ScopedModelForm):
    """What the receiving organisation says about a delivery (a secretary's form)."""

    class Meta:
        model = Delivery
        fields = ["participants", "rating", "feedback"]
        widgets = {
            "participants": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "feedback": forms.Textarea(attrs={"rows": 4}),
        }
