"""JSON API of the service matrix: shops and offers (read and write), campaigns, redemptions
(read-only). Counter links, claim links and coupon codes never appear here."""

from rest_framework import serializers

from jiequ.api.serializers import FormValidatedSerializer
from jiequ.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet

from .filtersets import (
    CampaignFilterSet,
    MatrixShopFilterSet,
    OfferFilterSet,
    RedemptionFilterSet,
)
from .forms import OFFER_FIELDS, SHOP_FIELDS, MatrixShopForm, OfferForm
from .models import CouponCampaign, MatrixShop, Offer, Redemption


class MatrixShopSerializer(FormValidatedSerializer):
    form_class = MatrixShopForm
    name = serializers.CharField(source="entity.display_name", read_only=True)
    road = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)

    class Meta:
        model = MatrixShop
        # What the form validates, plus the read-only fields.
        fields = ["id", *SHOP_FIELDS, "name", "road", "address", "updated_at"]
        read_only_fields = ["updated_at"]


class MatrixShopViewSet(ScopedModelViewSet):
    queryset = MatrixShop.objects.select_related("entity__road")
    serializer_class = MatrixShopSerializer
    filterset_class = MatrixShopFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class OfferSerializer(FormValidatedSerializer):
    form_class = OfferForm
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = Offer
        fields = ["id", *OFFER_FIELDS, "in_force", "updated_at"]
        read_only_fields = ["updated_at"]


class OfferViewSet(ScopedModelViewSet):
    queryset = Offer.objects.select_related("shop__entity")
    serializer_class = OfferSerializer
    filterset_class = OfferFilterSet


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = CouponCampaign
        fields = [
            "id",
            "region",
            "title",
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
        read_only_fields = fields


class CampaignViewSet(ScopedReadOnlyViewSet):
    queryset = CouponCampaign.objects.prefetch_related("shops")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet


class RedemptionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="coupon.code_masked", read_only=True)

    class Meta:
        model = Redemption
        fields = ["id", "campaign", "shop", "code", "redeemed_at", "face_value"]
        read_only_fields = fields


class RedemptionViewSet(ScopedReadOnlyViewSet):
    queryset = Redemption.objects.select_related("coupon")
    serializer_class = RedemptionSerializer
    filterset_class = RedemptionFilterSet
