"""Building forms: the web form and the import row form share one validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.core.forms import ChoiceLabelField, ScopedModelForm

from .models import Building, BuildingKind, Road
from .services import grid_in_scope


class BuildingPlacementMixin:
    """Finds the grid from the point and checks it lies inside the user's scope."""

    def place(self, cleaned: dict[str, Any]) -> None:
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if lat is None or lon is None:
            return
        grid = grid_in_scope(self.user, lat, lon)
        self.instance.region = grid
        road = cleaned.get("road")
        subdistrict = grid.subdistrict
        if road is not None and subdistrict is not None and road.subdistrict_id != subdistrict.pk:
            raise forms.ValidationError(
                {"road": _("This road is not in the building's subdistrict.")}, code="road"
            )
        if not cleaned.get("address") and road is not None:
            cleaned["address"] = f"{road.name}{cleaned.get('number', '')}"
        self._check_unique_name(cleaned, subdistrict)

    def _check_unique_name(self, cleaned: dict[str, Any], subdistrict: Any) -> None:
        name = cleaned.get("name")
        others = Building.objects.filter(subdistrict=subdistrict, name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if name and others.exists():
            raise forms.ValidationError(
                {"name": _("A building with this name already exists in this subdistrict.")}
            )


class BuildingForm(BuildingPlacementMixin, ScopedModelForm):
    class Meta:
        model = Building
        fields = ["name", "kind", "road", "number", "address", "floors", "lat", "lon"]
        widgets = {
            "lat": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "lon": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "floors": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["road"].queryset = Road.objects.restrict(self.user, "view").select_related(
            "subdistrict"
        )
        self.fields["address"].required = False
        self.fields["address"].help_text = gettext_lazy(
            "Left empty, it is made from the road and street number."
        )
        self.fields["lat"].help_text = gettext_lazy("WGS-84, e.g. 31.235123")
        self.fields["lon"].help_text = gettext_lazy("WGS-84, e.g. 121.459876")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.place(cleaned)
        if not cleaned.get("address"):
            self.add_error("address", _("Give an address, or a road and street number."))
        return cleaned


class BuildingImportForm(BuildingPlacementMixin, ScopedModelForm):
    kind = ChoiceLabelField(
        label=gettext_lazy("kind"), choices=BuildingKind.choices, required=False
    )
    # Imports name the road; it is resolved in the building's subdistrict after placement.
    road = forms.CharField(label=gettext_lazy("road"), required=False, max_length=50)

    class Meta:
        model = Building
        fields = ["name", "kind", "road", "number", "address", "floors", "lat", "lon"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].required = False
        if self.instance.pk and self.instance.road_id:
            self.initial["road"] = self.instance.road.name

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or BuildingKind.OFFICE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        road_name = cleaned.pop("road", "") or ""
        cleaned["road"] = None
        self.place(cleaned)
        grid = self.instance.region if self.instance.region_id else None
        if road_name and grid is not None:
            road = Road.objects.filter(subdistrict=grid.subdistrict, name=road_name).first()
            if road is None:
                self.add_error(
                    "road", _("No road named “%(name)s” in this subdistrict.") % {"name": road_name}
                )
                return cleaned
            cleaned["road"] = road
            if not cleaned.get("address") and road is not None:
                cleaned["address"] = f"{road.name}{cleaned.get('number', '')}"
        if not cleaned.get("address"):
            self.add_error("address", _("Give an address, or a road and street number."))
        return cleaned
