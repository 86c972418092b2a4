"""The demo's service matrix: 120+ shops with offers, shop visits, coupon campaigns with codes
issued, claimed, printed and redeemed across the shops.

The demo is built once for the module (inside a transaction rolled back at the end).
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from jiequ.accounts.models import User
from jiequ.demo.builder import build_demo
from jiequ.offers import codes
from jiequ.offers.figures import campaign_figures
from jiequ.offers.models import (
    CampaignState,
    Coupon,
    CouponCampaign,
    MatrixShop,
    Offer,
    OfferKind,
    Redemption,
)
from jiequ.offers.redemption import Reason, Refused, redeem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            summary = build_demo()
            yield summary
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def current(demo, db):
    return CouponCampaign.objects.get(title="街区无限可能·优享券")


def test_120_plus_street_shops_in_the_matrix_with_offers(demo):
    shops = MatrixShop.objects.select_related("entity")
    assert shops.filter(active=True).count() >= 120
    assert all(s.entity.is_street_shop for s in shops)
    without = shops.annotate(n=Count("offers")).filter(n=0)
    assert not without.exists()
    current = Offer.objects.current()
    assert current.count() >= 120
    assert current.values("shop").distinct().count() >= 100
    audiences = set(current.values_list("audience", flat=True))
    assert audiences >= {"residents", "members", "new_employment", "everyone"}
    assert Offer.objects.exclude(state="published").exists()  # drafts and withdrawn ones too
    assert len({s.counter_token for s in shops}) == shops.count()


def test_livestreamers_shop_visits(demo):
    visits = Offer.objects.filter(kind=OfferKind.SHOP_VISIT)
    assert visits.count() >= 10
    assert all(v.host and v.visit_on for v in visits)


def test_the_current_campaign_has_codes_claimed_printed_and_redeemed(current):
    f = campaign_figures(current)
    assert f.issued == 2000 and f.claimed >= 800 and f.printed == 400
    assert 0 < f.redeemed < f.handed_out
    assert 20 <= f.rate <= 60
    assert sum(1 for r in f.per_shop if r.redeemed) >= 40
    assert sum(1 for r in f.per_day if r.redeemed) >= 15
    # Only participating shops redeem; never a coupon that was not handed out.
    shops = set(current.shops.values_list("pk", flat=True))
    assert set(Redemption.objects.filter(campaign=current).values_list("shop", flat=True)) <= shops
    assert not Redemption.objects.filter(coupon__channel="").exists()
    assert not Redemption.objects.filter(redeemed_at__gt=timezone.now()).exists()
    sample = Coupon.objects.filter(campaign=current).values_list("code", flat=True)[:200]
    assert all(codes.signature_valid(c) for c in sample)


def test_an_ended_and_a_draft_campaign(demo):
    ended = CouponCampaign.objects.get(title="新春优享券")
    assert ended.ends_on < timezone.localdate() and ended.redemptions.exists()
    draft = CouponCampaign.objects.get(state=CampaignState.DRAFT)
    assert not draft.coupons.exists()
    unused = Coupon.objects.filter(campaign=ended, redemption__isnull=True).exclude(channel="")
    shop = ended.shops.filter(active=True).first()
    with pytest.raises(Refused) as refused:
        redeem(shop, unused.first().code)
    assert refused.value.reason == Reason.EXPIRED


def test_a_demo_coupon_redeems_at_a_demo_counter(client, current):
    cache.clear()
    coupon = (
        Coupon.objects.filter(campaign=current, redemption__isnull=True).exclude(channel="").first()
    )
    shop = current.shops.filter(active=True).first()
    url = reverse("offers_public:counter", args=[shop.counter_token])
    assert "已核销" in client.post(url, {"code": coupon.code}, follow=True).content.decode()
    assert "只能使用一次" in client.post(url, {"code": coupon.code}).content.decode()


def test_demo_users_see_it_in_their_scope(client, demo):
    staff = User.objects.get(username="staff")
    client.force_login(staff)
    assert client.get(reverse("offers:shop_list")).status_code == 200
    assert MatrixShop.objects.restrict(User.objects.get(username="njxl")).count() == 0
    secretary = User.objects.get(username="secretary")
    seen = MatrixShop.objects.restrict(secretary)
    assert 0 < seen.count() < MatrixShop.objects.count()
