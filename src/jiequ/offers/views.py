"""Matrix shops and their benefit offers: list, detail, edit, export, history, within scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.qr import qr_svg
from jiequ.core.scoping import restrict

from .filtersets import MatrixShopFilterSet, OfferFilterSet
from .forms import SHOP_FIELDS, MatrixShopForm, OfferForm
from .models import MatrixShop, Offer, OfferKind, OfferState, Redemption

SHOP_COLUMNS = [
    "entity",
    "road",
    "address",
    "joined_on",
    "contact_name",
    "current_offers",
    "active",
]
SHOP_EXPORT = [*SHOP_COLUMNS, "contact_role", "note"]
OFFER_COLUMNS = ["title", "shop", "road", "kind", "audience", "period", "state", "in_force_label"]
OFFER_EXPORT = [*OFFER_COLUMNS, "terms", "host", "visit_on"]


def current_offer_count() -> Count:
    today = timezone.localdate()
    return Count(
        "offers",
        filter=Q(active=True, offers__state=OfferState.PUBLISHED, offers__starts_on__lte=today)
        & (Q(offers__ends_on__isnull=True) | Q(offers__ends_on__gte=today)),
    )


class ShopMixin:
    model = MatrixShop
    url_prefix = "offers:shop"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("entity__road")


class CountedShopMixin(ShopMixin):
    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .annotate(current_offer_count=current_offer_count())
            .order_by(*MatrixShop._meta.ordering, "pk")
        )


class ShopListView(CountedShopMixin, generic.ObjectListView):
    filterset_class = MatrixShopFilterSet
    columns = SHOP_COLUMNS


class ShopExportView(CountedShopMixin, generic.ObjectExportView):
    filterset_class = MatrixShopFilterSet
    columns = SHOP_EXPORT
    basename = "matrix-shops"


class ShopDetailView(ShopMixin, generic.ObjectDetailView):
    template_name = "offers/shop_detail.html"
    fields = [*SHOP_FIELDS, "road", "address"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shop, user = self.object, self.request.user
        offers = restrict(Offer.objects.filter(shop=shop), user).order_by("-starts_on")
        context.update(
            offers=offers,
            can_add_offer=user.has_perm("offers.add_offer") and context["can_change"],
            campaigns=shop.campaigns.order_by("-starts_on"),
        )
        if user.has_perm("offers.view_redemption"):
            context["redeemed"] = Redemption.objects.filter(shop=shop).count()
        if context["can_change"]:
            # The shop's secret counter link: shown only to those who may change the shop.
            url = self.request.build_absolute_uri(
                reverse("offers_public:counter", args=[shop.counter_token])
            )
            context.update(counter_url=url, counter_qr=qr_svg(url, scale=4))
        return context


class ShopEditView(ShopMixin, generic.ObjectEditView):
    form_class = MatrixShopForm


class ShopHistoryView(ShopMixin, generic.ObjectHistoryView):
    pass


@login_required
@require_POST
def shop_new_counter_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a shop's counter link (a phone lost, a worker left): the old one stops working."""
    shop = get_object_or_404(restrict(MatrixShop.objects.all(), request.user, "change"), pk=pk)
    shop.new_counter_link()
    messages.success(
        request,
        _("“%(shop)s” has a new counter link; the old one no longer works.") % {"shop": shop},
    )
    return redirect(shop)


class OfferMixin:
    model = Offer
    url_prefix = "offers:offer"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("shop__entity__road")


class OfferListView(OfferMixin, generic.ObjectListView):
    filterset_class = OfferFilterSet
    columns = OFFER_COLUMNS


class OfferExportView(OfferMixin, generic.ObjectExportView):
    filterset_class = OfferFilterSet
    columns = OFFER_EXPORT
    basename = "benefit-offers"


class OfferDetailView(OfferMixin, generic.ObjectDetailView):
    template_name = "core/object_detail.html"

    @property
    def fields(self) -> list[str]:  # type: ignore[override]
        fields = ["shop", "road", "title", "kind", "terms", "audience", "period", "state"]
        if self.object.kind == OfferKind.SHOP_VISIT:
            fields += ["host", "visit_on"]
        return [*fields, "in_force_label"]


class OfferEditView(OfferMixin, generic.ObjectEditView):
    form_class = OfferForm


class OfferDeleteView(OfferMixin, generic.ObjectDeleteView):
    pass


class OfferHistoryView(OfferMixin, generic.ObjectHistoryView):
    pass
