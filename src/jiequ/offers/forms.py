"""Forms of the service matrix: shops, offers, campaigns (all limited to the user's scope), and
the public claim and counter forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import region_in_scope, restrict, user_scope_path
from jiequ.core.validators import normalise_phone
from jiequ.ledger.models import Entity, EntityState

from .models import CampaignState, CouponCampaign, MatrixShop, Offer, OfferKind

SHOP_FIELDS = ["entity", "joined_on", "contact_name", "contact_role", "active", "note"]
OFFER_FIELDS = [
    "shop",
    "title",
    "kind",
    "terms",
    "audience",
    "starts_on",
    "ends_on",
    "state",
    "host",
    "visit_on",
]
CAMPAIGN_FIELDS = [
    "title",
    "region",
    "benefit",
    "face_value",
    "terms",
    "starts_on",
    "ends_on",
    "total",
    "per_person",
    "shops",
    "state",
]
MAX_COUPONS = 100_000


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _period_error(starts_on: Any, ends_on: Any) -> str | None:
    if starts_on and ends_on and ends_on < starts_on:
        return _("The end date is before the start date.")
    return None


class ShopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        road = obj.road if isinstance(obj, MatrixShop) else (obj.road.name if obj.road else "")
        return f"{obj}（{road}）" if road else str(obj)


class MatrixShopForm(ScopedModelForm):
    entity = ShopChoiceField(queryset=Entity.objects.none(), label=gettext_lazy("shop"))

    class Meta:
        model = MatrixShop
        fields = SHOP_FIELDS
        widgets = {"joined_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        joined = MatrixShop.objects.exclude(pk=self.instance.pk).values("entity")
        self.fields["entity"].queryset = (
            restrict(Entity.objects.all(), self.user, "view")
            # The shop of a record being edited stays a choice even if it has closed since.
            .filter(Q(state=EntityState.OPERATING) | Q(pk=self.instance.entity_id))
            .exclude(pk__in=joined)
            .select_related("road")
            .order_by("road__name", "sign_name", "name")
        )
        if self.instance.pk:
            # The shop of a matrix record stays the same; a different shop joins on its own.
            self.fields["entity"].disabled = True

    def clean_entity(self) -> Entity:
        entity = self.cleaned_data["entity"]
        if not region_in_scope(self.user, entity.region):
            raise forms.ValidationError(_("This shop lies outside your area."))
        return entity


class OfferForm(ScopedModelForm):
    shop = ShopChoiceField(queryset=MatrixShop.objects.none(), label=gettext_lazy("shop"))

    class Meta:
        model = Offer
        fields = OFFER_FIELDS
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
            "visit_on": date_input(),
            "terms": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = restrict(
            MatrixShop.objects.select_related("entity__road"), self.user, "change"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        error = _period_error(cleaned.get("starts_on"), cleaned.get("ends_on"))
        if error:
            self.add_error("ends_on", error)
        if cleaned.get("kind") == OfferKind.SHOP_VISIT and not cleaned.get("host"):
            self.add_error("host", _("Name the livestreamer who visits the shop."))
        return cleaned


class ShopsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: MatrixShop) -> str:
        return f"{obj}（{obj.road}）" if obj.road else str(obj)


class CampaignForm(ScopedModelForm):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        label=gettext_lazy("region"),
        help_text=gettext_lazy("The subdistrict (or area) running the campaign."),
    )
    shops = ShopsField(
        queryset=MatrixShop.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("participating shops"),
    )

    class Meta:
        model = CouponCampaign
        fields = CAMPAIGN_FIELDS
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
            "terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = restrict(
            Region.objects.filter(level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA]),
            self.user,
        )
        if self.user is not None and not self.user.is_superuser:
            # Only regions the user may run a campaign in, not the ones above theirs.
            regions = regions.filter(path__startswith=user_scope_path(self.user) or "-")
        self.fields["region"].queryset = regions.order_by("path")
        if not self.instance.pk and self.user is not None and self.user.scope_region_id:
            self.fields["region"].initial = self.user.scope_region_id
        self.fields["shops"].queryset = restrict(
            MatrixShop.objects.filter(active=True).select_related("entity__road"), self.user
        )
        self.fields["total"].validators += [
            MinValueValidator(1, gettext_lazy("A campaign has at least one coupon.")),
            MaxValueValidator(
                MAX_COUPONS, gettext_lazy("At most %(limit_value)s coupons per campaign.")
            ),
        ]

    def clean_region(self) -> Region:
        region = self.cleaned_data["region"]
        if not region_in_scope(self.user, region):
            raise forms.ValidationError(_("This region lies outside your area."))
        return region

    def clean_per_person(self) -> int:
        value = self.cleaned_data["per_person"]
        if value < 1:
            raise forms.ValidationError(_("Each person may claim at least one coupon."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        error = _period_error(cleaned.get("starts_on"), cleaned.get("ends_on"))
        if error:
            self.add_error("ends_on", error)
        total = cleaned.get("total")
        if self.instance.pk and total is not None:
            issued = self.instance.coupons.count()
            if total < issued:
                self.add_error(
                    "total",
                    _("%(n)d codes are already issued; the number cannot be lower.")
                    % {"n": issued},
                )
        region, shops = cleaned.get("region"), cleaned.get("shops") or []
        outside = [s for s in shops if region and not s.entity.region.path.startswith(region.path)]
        if outside:
            self.add_error(
                "shops",
                _("These shops lie outside the campaign's region: %(names)s")
                % {"names": "、".join(str(s) for s in outside)},
            )
        if cleaned.get("state") == CampaignState.OPEN and not shops:
            self.add_error("shops", _("An open campaign needs at least one participating shop."))
        return cleaned

    def save(self, commit: bool = True) -> CouponCampaign:
        campaign = super().save(commit=False)
        campaign.save_with_shops(self.cleaned_data.get("shops") or [])
        return campaign


class PrintBatchForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("coupons to print"), min_value=1, max_value=2000, initial=40
    )


CONSENT_TEXT = gettext_lazy(
    "I agree that my phone number is kept as a one-way code (not the number itself) only to "
    "check how many coupons of this campaign I have claimed."
)


class ClaimForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": gettext_lazy("Please agree, or we cannot give a coupon.")},
    )
    # A field people do not see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])


class CounterForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("coupon code"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "XXXX-XXXX-XXXX-XXXX",
                "autofocus": True,
            }
        ),
    )
