"""Entity forms: the web form and the import row form share one placement and validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Building, Region, RegionLevel, Road
from jiequ.areas.services import check_in_scope, grid_in_scope
from jiequ.core.forms import ChoiceLabelField, ScopedModelForm
from jiequ.core.validators import normalise_credit_code

from .models import (
    Entity,
    EntityKind,
    EntityState,
    Industry,
    Ownership,
    Sector,
    SmallBusinessCategory,
)
from .normalise import parse_address

ENTITY_FIELDS = [
    "name",
    "sign_name",
    "credit_code",
    "kind",
    "ownership",
    "industry",
    "state",
    "is_street_shop",
    "sector",
    "small_business",
    "road",
    "number",
    "address",
    "building",
    "floor",
    "lat",
    "lon",
    "region",
    "worker_count",
    "member_count",
]


class EntityPlacementMixin:
    """Grid from the point, else from the building, else the grid given; always in scope."""

    def place(self, cleaned: dict[str, Any]) -> None:
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        building = cleaned.get("building")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        grid = None
        if lat is not None:
            grid = grid_in_scope(self.user, lat, lon)
        elif building is not None:
            grid = building.region
            cleaned["lat"], cleaned["lon"] = building.lat, building.lon
        else:
            grid = cleaned.get("region")
        if grid is None:
            raise forms.ValidationError(_("Give a point, a building or a grid for this entity."))
        check_in_scope(self.user, grid)
        cleaned["region"] = grid
        self.instance.region = grid
        subdistrict = grid.subdistrict
        road = cleaned.get("road")
        if road is not None and road.subdistrict_id != getattr(subdistrict, "pk", None):
            self.add_error("road", _("This road is not in the entity's subdistrict."))
        if building is not None and building.subdistrict_id != getattr(subdistrict, "pk", None):
            self.add_error("building", _("This building is not in the entity's subdistrict."))
        if road is None and cleaned.get("address") and subdistrict is not None:
            self._road_from_address(cleaned, subdistrict)
        if not cleaned.get("address") and road is not None:
            cleaned["address"] = f"{road.name}{cleaned.get('number', '')}"

    def _road_from_address(self, cleaned: dict[str, Any], subdistrict: Region) -> None:
        """Parse the road and number out of the address with the subdistrict's own road list.

        (General address parsers read "石门二路123号" as a county in Hunan; the road list does not.)
        """
        roads = {r.name: r for r in Road.objects.filter(subdistrict=subdistrict)}
        parsed = parse_address(cleaned["address"], roads=list(roads))
        if parsed.road in roads:
            cleaned["road"] = roads[parsed.road]
            if not cleaned.get("number") and parsed.number:
                cleaned["number"] = f"{parsed.number}号"

    def check_counts_and_names(self, cleaned: dict[str, Any]) -> None:
        if not cleaned.get("name") and not cleaned.get("sign_name"):
            raise forms.ValidationError(_("Give the registered name or the shop-sign name."))
        workers, members = cleaned.get("worker_count"), cleaned.get("member_count")
        if workers is not None and members is not None and members > workers:
            self.add_error("member_count", _("There cannot be more Party members than workers."))
        code = cleaned.get("credit_code")
        if code:
            others = Entity.objects.filter(credit_code=code)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("credit_code", _("Another entity already has this credit code."))

    def clean_credit_code(self) -> str:
        return normalise_credit_code(self.cleaned_data.get("credit_code", ""))


class EntityForm(EntityPlacementMixin, ScopedModelForm):
    class Meta:
        model = Entity
        fields = ENTITY_FIELDS
        widgets = {
            "lat": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "lon": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "worker_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "member_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["road"].queryset = Road.objects.restrict(user)
        self.fields["building"].queryset = Building.objects.restrict(user)
        self.fields["region"].queryset = Region.objects.restrict(user, "view").filter(
            level=RegionLevel.GRID
        )
        self.fields["region"].required = False
        self.fields["region"].help_text = gettext_lazy(
            "Only needed when there is neither a point nor a building."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_counts_and_names(cleaned)
        self.place(cleaned)
        return cleaned


class EntityImportForm(EntityPlacementMixin, ScopedModelForm):
    """One import row: choices by value or label, road/building/grid by name."""

    kind = ChoiceLabelField(label=gettext_lazy("kind"), choices=EntityKind.choices, required=False)
    ownership = ChoiceLabelField(
        label=gettext_lazy("ownership"), choices=Ownership.choices, required=False
    )
    industry = ChoiceLabelField(
        label=gettext_lazy("industry"), choices=Industry.choices, required=False
    )
    state = ChoiceLabelField(
        label=gettext_lazy("state"), choices=EntityState.choices, required=False
    )
    sector = ChoiceLabelField(
        label=gettext_lazy("two enterprises, three new"), choices=Sector.choices, required=False
    )
    small_business = ChoiceLabelField(
        label=gettext_lazy("small, individual, specialised"),
        choices=SmallBusinessCategory.choices,
        required=False,
    )
    is_street_shop = forms.CharField(label=gettext_lazy("street shop"), required=False)
    road = forms.CharField(label=gettext_lazy("road"), required=False)
    building = forms.CharField(label=gettext_lazy("building"), required=False)
    region = forms.CharField(label=gettext_lazy("grid"), required=False)

    class Meta:
        model = Entity
        fields = ENTITY_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            self.initial.update(
                road=instance.road.name if instance.road_id else "",
                building=instance.building.name if instance.building_id else "",
                region=instance.region.name,
                is_street_shop=_("yes") if instance.is_street_shop else _("no"),
            )

    def clean_is_street_shop(self) -> bool:
        value = str(self.cleaned_data.get("is_street_shop", "")).strip().lower()
        if value in {"", "0", "no", "false", "否", "n"}:
            return False
        if value in {"1", "yes", "true", "是", "y"}:
            return True
        raise forms.ValidationError(_("Write 是 or 否."))

    def _defaults(self, cleaned: dict[str, Any]) -> None:
        for name, default in (
            ("kind", EntityKind.ENTERPRISE),
            ("ownership", Ownership.NON_PUBLIC),
            ("state", EntityState.UNVERIFIED),
        ):
            if not cleaned.get(name):
                cleaned[name] = default

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._defaults(cleaned)
        road_name = cleaned.pop("road", "") or ""
        building_name = cleaned.pop("building", "") or ""
        grid_name = cleaned.pop("region", "") or ""
        visible_grids = Region.objects.restrict(self.user).filter(level=RegionLevel.GRID)
        cleaned["road"] = cleaned["building"] = cleaned["region"] = None
        if grid_name:
            cleaned["region"] = visible_grids.filter(name=grid_name).first()
            if cleaned["region"] is None:
                self.add_error("region", _("No grid named “%(name)s”.") % {"name": grid_name})
                return cleaned
        if building_name:
            cleaned["building"] = (
                Building.objects.restrict(self.user).filter(name=building_name).first()
            )
            if cleaned["building"] is None:
                self.add_error(
                    "building", _("No building named “%(name)s”.") % {"name": building_name}
                )
                return cleaned
        if road_name:
            cleaned["road"] = Road.objects.restrict(self.user).filter(name=road_name).first()
            if cleaned["road"] is None:
                self.add_error("road", _("No road named “%(name)s”.") % {"name": road_name})
                return cleaned
        self.check_counts_and_names(cleaned)
        self.place(cleaned)
        return cleaned
