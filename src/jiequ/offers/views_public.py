"""Public phone pages (no account): offers by road, the claim page, a coupon, a shop's counter.

The counter is a secret link given to the shop (`MatrixShop.counter_token`). Opening it marks
the phone as that shop's counter (a signed cookie), so scanning a coupon's QR code with the
phone's camera opens the coupon with a "redeem here" button. Whoever holds one shop's link can
redeem only for that shop and sees only that shop's redemptions.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.areas.models import Road
from jiequ.core import ratelimit
from jiequ.core.qr import qr_svg

from . import codes, issuing
from .forms import CONSENT_TEXT, ClaimForm, CounterForm
from .models import Audience, Coupon, CouponCampaign, MatrixShop, Offer, Redemption
from .redemption import Refused, redeem

COUNTER_COOKIE = "jiequ_counter"
COUNTER_SALT = "jiequ.offers.counter"
CLAIMS_PER_IP = 10  # per 10 minutes; a person claims once
REDEMPTIONS_PER_COUNTER = 60  # per minute; a busy counter takes a few
SESSION_COUPONS = "offers_claimed"


def offers(request: HttpRequest) -> HttpResponse:
    """Offers in force today, grouped by road; filter by road and by who may use them."""
    current = (
        Offer.objects.current()
        .select_related("shop__entity__road")
        .order_by("shop__entity__road__name", "shop__entity__sign_name", "title")
    )
    road_id, audience = request.GET.get("road", ""), request.GET.get("audience", "")
    roads = Road.objects.filter(pk__in=current.values("shop__entity__road")).order_by("name")
    if road_id.isdigit():
        current = current.filter(shop__entity__road_id=road_id)
    if audience in Audience.values and audience != Audience.EVERYONE:
        current = current.filter(Q(audience=audience) | Q(audience=Audience.EVERYONE))
    by_road: OrderedDict[str, OrderedDict[MatrixShop, list[Offer]]] = OrderedDict()
    for offer in current:
        road = offer.shop.road or _("Other places")
        by_road.setdefault(road, OrderedDict()).setdefault(offer.shop, []).append(offer)
    return render(
        request,
        "offers/public_offers.html",
        {
            "by_road": by_road,
            "roads": roads,
            "audiences": Audience.choices,
            "road_id": road_id,
            "audience": audience,
            "count": sum(len(v) for shops in by_road.values() for v in shops.values()),
            # A long list opens road by road; one road (or a short list) opens at once.
            "expand": road_id.isdigit() or len(by_road) <= 2,
        },
    )


def _remember(request: HttpRequest, coupons: list[Coupon]) -> None:
    """This browser's claimed codes, so the person can open them again."""
    known = request.session.get(SESSION_COUPONS, [])
    request.session[SESSION_COUPONS] = [*known, *(c.code for c in coupons)][-20:]


def claim(request: HttpRequest, token: str) -> HttpResponse:
    campaign = get_object_or_404(CouponCampaign, claim_token=token)
    form = ClaimForm(request.POST or None)
    context: dict[str, Any] = {"campaign": campaign, "form": form}
    mine = Coupon.objects.filter(
        campaign=campaign, code__in=request.session.get(SESSION_COUPONS, [])
    )
    context["mine"] = list(mine)
    context["closed"] = issuing.claimable(campaign)
    if request.method == "POST":
        if not ratelimit.allow(f"claim:{ratelimit.client_ip(request)}", CLAIMS_PER_IP, 600):
            context["error"] = _("Too many claims from this network. Please try again later.")
            return render(request, "offers/public_claim.html", context, status=429)
        if form.is_valid() and not form.cleaned_data["website"]:
            try:
                coupons = issuing.claim(campaign, form.cleaned_data["phone"], str(CONSENT_TEXT))
            except issuing.IssueRefused as exc:
                context["error"] = str(exc)
                return render(request, "offers/public_claim.html", context, status=409)
            _remember(request, coupons)
            return redirect("offers_public:coupon", code=coupons[0].code)
    return render(request, "offers/public_claim.html", context)


def counter_shop(request: HttpRequest) -> MatrixShop | None:
    """The shop whose counter this phone is (from the cookie set by the counter page)."""
    token = request.get_signed_cookie(COUNTER_COOKIE, default=None, salt=COUNTER_SALT)
    if not token:
        return None
    return MatrixShop.objects.filter(counter_token=token, active=True).first()


def coupon(request: HttpRequest, code: str) -> HttpResponse:
    """A coupon: for its holder the QR and where it can be used; on a counter, "redeem here"."""
    code = codes.normalise(code)
    if not codes.signature_valid(code):
        return render(request, "offers/public_coupon.html", {"forged": True}, status=404)
    found = (
        Coupon.objects.select_related("campaign")
        .prefetch_related(
            Prefetch("campaign__shops", MatrixShop.objects.select_related("entity__road"))
        )
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    campaign = found.campaign
    redemption = Redemption.objects.select_related("shop__entity").filter(coupon=found).first()
    today = timezone.localdate()
    url = request.build_absolute_uri(reverse("offers_public:coupon", args=[found.code]))
    shop = counter_shop(request)
    return render(
        request,
        "offers/public_coupon.html",
        {
            "coupon": found,
            "campaign": campaign,
            "display_code": codes.display(found.code),
            "redemption": redemption,
            "not_started": today < campaign.starts_on,
            "expired": today > campaign.ends_on,
            "qr": qr_svg(url, scale=6),
            "counter": shop,
            "counter_url": reverse("offers_public:counter", args=[shop.counter_token])
            if shop
            else "",
        },
    )


def counter(request: HttpRequest, token: str) -> HttpResponse:
    """The shop's counter: type or scan a code, redeem it once; this shop's redemptions only."""
    shop = get_object_or_404(MatrixShop.objects.select_related("entity"), counter_token=token)
    form = CounterForm(request.POST or None)
    context: dict[str, Any] = {"shop": shop, "form": form}
    status = 200
    if request.method == "POST" and shop.active:
        if not ratelimit.allow(f"counter:{shop.pk}", REDEMPTIONS_PER_COUNTER, 60):
            context["refused"] = _("Too many attempts in a minute. Wait a moment, then retry.")
            status = 429
        elif form.is_valid():
            try:
                done = redeem(shop, form.cleaned_data["code"])
            except Refused as exc:
                context["refused"] = exc.message
                context["reason"] = exc.reason
            else:
                # Show the result on a fresh page, so reloading it never submits again.
                return redirect(reverse("offers_public:counter", args=[token]) + f"?done={done.pk}")
    mine = Redemption.objects.filter(shop=shop).select_related("campaign", "coupon")
    done_pk = request.GET.get("done", "")
    if request.method == "GET" and done_pk.isdigit():
        # Only this shop's own redemption is shown: another shop's number shows nothing.
        context["redeemed"] = mine.filter(pk=done_pk).first()
    today = timezone.localdate()
    context.update(
        form=form,
        recent=mine[:20],
        today_count=mine.filter(redeemed_at__date=today).count(),
        total_count=mine.count(),
        campaigns=shop.campaigns.filter(ends_on__gte=today).order_by("starts_on"),
    )
    response = render(request, "offers/public_counter.html", context, status=status)
    if shop.active:
        response.set_signed_cookie(
            COUNTER_COOKIE,
            token,
            salt=COUNTER_SALT,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
