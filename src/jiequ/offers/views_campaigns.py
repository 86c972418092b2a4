"""Coupon campaigns: list, edit, the figures page, issuing codes, print batches, the claim
poster, and the lists behind the figures (coupons, redemptions) with their exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Exists, Min, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.exports import FORMATS, rows_response
from jiequ.core.qr import qr_svg
from jiequ.core.scoping import restrict

from . import issuing
from .figures import campaign_figures
from .filtersets import CampaignFilterSet, CouponFilterSet, RedemptionFilterSet
from .forms import CAMPAIGN_FIELDS, CampaignForm, PrintBatchForm
from .models import Coupon, CouponCampaign, Redemption
from .printing import claim_poster_pdf, coupons_pdf

CAMPAIGN_COLUMNS = ["title", "benefit", "face_value", "period", "total", "shop_count", "state"]


class CampaignMixin:
    model = CouponCampaign
    url_prefix = "offers:campaign"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("region")
            .annotate(shop_total=Count("shops", distinct=True))
            .order_by("-starts_on", "-pk")
        )


class CampaignListView(CampaignMixin, generic.ObjectListView):
    filterset_class = CampaignFilterSet
    columns = CAMPAIGN_COLUMNS


class CampaignExportView(CampaignMixin, generic.ObjectExportView):
    filterset_class = CampaignFilterSet
    columns = [*CAMPAIGN_COLUMNS, "region", "per_person", "terms"]
    basename = "coupon-campaigns"


class CampaignEditView(CampaignMixin, generic.ObjectEditView):
    form_class = CampaignForm
    template_name = "offers/campaign_form.html"


class CampaignHistoryView(CampaignMixin, generic.ObjectHistoryView):
    pass


def _claim_url(request: HttpRequest, campaign: CouponCampaign) -> str:
    return request.build_absolute_uri(reverse("offers_public:claim", args=[campaign.claim_token]))


class CampaignDetailView(CampaignMixin, generic.ObjectDetailView):
    """The campaign's figures, each linking to its list, and its issuing tools."""

    template_name = "offers/campaign_detail.html"
    fields = [f for f in CAMPAIGN_FIELDS if f != "shops"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign, user = self.object, self.request.user
        figures = campaign_figures(campaign)
        may_issue = user.has_perm("offers.add_coupon")
        context.update(
            figures=figures,
            may_issue=may_issue,
            may_list_coupons=user.has_perm("offers.view_coupon"),
            may_list_redemptions=user.has_perm("offers.view_redemption"),
            may_export=user.has_perm("offers.export_couponcampaign"),
            export_formats=FORMATS,
            peak=max([r.redeemed for r in figures.per_day] or [0]) or 1,
            shops=campaign.shops.select_related("entity__road"),
        )
        if may_issue:
            url = _claim_url(self.request, campaign)
            context.update(
                claim_url=url,
                claim_qr=qr_svg(url, scale=4),
                print_form=PrintBatchForm(),
                batches=campaign.coupons.exclude(batch=None)
                .values("batch")
                .annotate(n=Count("pk"), at=Min("handed_out_at"))
                .order_by("-batch"),
            )
        return context


def _campaign(request: HttpRequest, pk: int, action: str = "view") -> CouponCampaign:
    return get_object_or_404(restrict(CouponCampaign.objects.all(), request.user, action), pk=pk)


@login_required
@permission_required("offers.add_coupon", raise_exception=True)
@require_POST
def campaign_issue(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    made = issuing.issue_codes(campaign)
    if made:
        messages.success(
            request,
            ngettext("Issued %(n)d new code.", "Issued %(n)d new codes.", made) % {"n": made},
        )
    else:
        messages.info(request, _("Every coupon of this campaign already has its code."))
    return redirect(campaign)


@login_required
@permission_required("offers.add_coupon", raise_exception=True)
@require_POST
def campaign_print(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form = PrintBatchForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(campaign)
    try:
        number = issuing.print_batch(campaign, form.cleaned_data["count"])
    except issuing.IssueRefused as exc:
        messages.error(request, str(exc))
        return redirect(campaign)
    messages.success(
        request,
        _("Batch %(n)d is set aside for printing: open its PDF below.") % {"n": number},
    )
    return redirect(campaign)


@login_required
@permission_required("offers.add_coupon", raise_exception=True)
def campaign_batch_pdf(request: HttpRequest, pk: int, batch: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    coupons = list(campaign.coupons.filter(batch=batch).order_by("pk"))
    if not coupons:
        raise Http404

    def url_of(code: str) -> str:
        return request.build_absolute_uri(reverse("offers_public:coupon", args=[code]))

    response = HttpResponse(coupons_pdf(campaign, coupons, url_of), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="coupons-{campaign.pk}-{batch}.pdf"'
    return response


@login_required
@permission_required("offers.add_coupon", raise_exception=True)
def campaign_poster(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    pdf = claim_poster_pdf(campaign, _claim_url(request, campaign))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="claim-poster-{campaign.pk}.pdf"'
    return response


@login_required
@permission_required("offers.export_couponcampaign", raise_exception=True)
def campaign_figures_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures as a table: totals, then per shop, then per day."""
    campaign = _campaign(request, pk, "export")
    f = campaign_figures(campaign)
    rows: list[list[Any]] = [
        [pgettext("coupons", "issued"), "", f.issued, ""],
        [_("claimed"), "", f.claimed, ""],
        [_("printed"), "", f.printed, ""],
        [_("handed out"), "", f.handed_out, ""],
        [_("redeemed"), "", f.redeemed, f.face_value_redeemed],
        [_("redemption rate (%)"), "", f.rate if f.rate is not None else "", ""],
    ]
    rows += [[_("shop"), r.label, r.redeemed, r.face_value] for r in f.per_shop]
    rows += [[pgettext("date", "day"), r.label, r.redeemed, r.face_value] for r in f.per_day]
    headers = [
        _("figure"),
        _("shop or day"),
        _("number of coupons"),
        _("face value redeemed (yuan)"),
    ]
    return rows_response(headers, rows, request.GET.get("format", "xlsx"), "campaign-figures")


class CouponMixin:
    model = Coupon
    url_prefix = "offers:coupon"

    def get_queryset(self) -> Any:
        redeemed = Exists(Redemption.objects.filter(coupon=OuterRef("pk")))
        return super().get_queryset().select_related("campaign").annotate(is_redeemed=redeemed)


COUPON_COLUMNS = ["code_masked", "campaign", "state", "handed_out_at", "batch"]


class CouponListView(CouponMixin, generic.ObjectListView):
    filterset_class = CouponFilterSet
    columns = COUPON_COLUMNS


class CouponExportView(CouponMixin, generic.ObjectExportView):
    filterset_class = CouponFilterSet
    columns = [*COUPON_COLUMNS, "issued_at"]
    basename = "coupons"


class RedemptionMixin:
    model = Redemption
    url_prefix = "offers:redemption"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("coupon", "campaign", "shop__entity")


REDEMPTION_COLUMNS = ["redeemed_at", "shop", "campaign", "coupon_code", "face_value"]


class RedemptionListView(RedemptionMixin, generic.ObjectListView):
    filterset_class = RedemptionFilterSet
    columns = REDEMPTION_COLUMNS


class RedemptionExportView(RedemptionMixin, generic.ObjectExportView):
    filterset_class = RedemptionFilterSet
    columns = [*REDEMPTION_COLUMNS, "day"]
    basename = "redemptions"
