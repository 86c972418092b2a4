from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Coupon, CouponCampaign, MatrixShop, Offer, Redemption


@admin.register(MatrixShop)
class MatrixShopAdmin(SimpleHistoryAdmin):
    list_display = ["entity", "joined_on", "contact_name", "active"]
    list_filter = ["active"]
    search_fields = ["entity__name", "entity__sign_name", "contact_name"]
    raw_id_fields = ["entity"]
    # The counter link is a secret of the shop: not shown here either.
    exclude = ["counter_token"]


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["title", "shop", "kind", "audience", "starts_on", "ends_on", "state"]
    list_filter = ["kind", "audience", "state"]
    search_fields = ["title", "terms"]
    raw_id_fields = ["shop"]


@admin.register(CouponCampaign)
class CouponCampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "starts_on", "ends_on", "total", "state"]
    list_filter = ["state"]
    filter_horizontal = ["shops"]
    exclude = ["claim_token"]


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["code_masked", "campaign", "channel", "handed_out_at", "batch"]
    list_filter = ["channel", "campaign"]
    # Codes are bearer tokens and claimants are a keyed hash: neither is shown.
    exclude = ["code", "claimant_hash"]
    readonly_fields = ["campaign", "issued_at", "channel", "handed_out_at", "batch"]

    def has_add_permission(self, request):
        return False


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ["redeemed_at", "shop", "campaign", "face_value"]
    list_filter = ["campaign"]
    readonly_fields = ["coupon", "campaign", "shop", "redeemed_at", "face_value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
