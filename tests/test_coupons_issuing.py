"""Issuing codes, the public claim page with its per-person limit, and print batches."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from jiequ.core import crypto
from jiequ.offers import codes, issuing
from jiequ.offers.models import CampaignState, Coupon, CouponChannel

from .factories_offers import CampaignFactory, MatrixShopFactory, issued_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def campaign(world):
    shop = MatrixShopFactory(entity__region=world.grid_sw)
    return issued_campaign(world.ours, [shop], total=5, per_person=2)


def claim_url(campaign):
    return reverse("offers_public:claim", args=[campaign.claim_token])


def test_codes_are_issued_up_to_the_number_of_coupons_once(world):
    campaign = CampaignFactory(region=world.ours, total=30)
    assert issuing.issue_codes(campaign) == 30
    assert issuing.issue_codes(campaign) == 0
    campaign.total = 35
    campaign.save()
    assert issuing.issue_codes(campaign) == 5
    made = list(Coupon.objects.filter(campaign=campaign).values_list("code", flat=True))
    assert len(set(made)) == 35 and all(codes.signature_valid(c) for c in made)


def test_claiming_keeps_only_a_hash_of_the_phone_and_the_consent(client, campaign):
    response = client.post(claim_url(campaign), {"phone": "138 1234 5678", "consent": "on"})
    # The person's share (2 here) at once; the first opens.
    claimed = list(Coupon.objects.filter(channel=CouponChannel.CLAIMED).order_by("pk"))
    assert len(claimed) == 2
    assert response.status_code == 302
    assert response["Location"] == reverse("offers_public:coupon", args=[claimed[0].code])
    coupon = claimed[0]
    assert coupon.claimant_hash == crypto.lookup_hash("+8613812345678")
    assert "不可逆" in coupon.consent_text
    assert coupon.handed_out_at is not None
    stored = " ".join(str(v) for v in Coupon.objects.values_list().get(pk=coupon.pk))
    assert "13812345678" not in stored
    # The same browser sees its coupons again on the claim page.
    page = client.get(claim_url(campaign)).content.decode()
    assert all(c.code_masked in page for c in claimed)


def test_the_per_person_limit_holds(client, campaign):
    first = client.post(claim_url(campaign), {"phone": "13812345678", "consent": "on"})
    assert first.status_code == 302
    again = client.post(claim_url(campaign), {"phone": "+86 138-1234-5678", "consent": "on"})
    assert again.status_code == 409
    assert "已领取过本活动的 2 张券" in again.content.decode()
    assert Coupon.objects.filter(channel=CouponChannel.CLAIMED).count() == 2


def test_a_person_may_take_several_at_once_up_to_the_limit(campaign):
    coupons = issuing.claim(campaign, "+8613912345678", "ok")
    assert len(coupons) == 2


def test_claims_stop_when_none_are_left(client, campaign):
    for n in range(3):
        client.post(claim_url(campaign), {"phone": f"1391234567{n}", "consent": "on"})
    response = client.post(claim_url(campaign), {"phone": "13912345679", "consent": "on"})
    assert response.status_code == 409
    assert "全部发放完毕" in response.content.decode()


def test_claim_errors_are_clear_and_save_nothing(client, campaign):
    response = client.post(claim_url(campaign), {"phone": "12345", "consent": "on"})
    assert "手机号" in response.content.decode() or "电话" in response.content.decode()
    response = client.post(claim_url(campaign), {"phone": "13812345678"})
    assert "请勾选同意" in response.content.decode()
    assert not Coupon.objects.exclude(channel="").exists()


def test_a_closed_or_ended_campaign_cannot_be_claimed(client, campaign):
    campaign.state = CampaignState.CLOSED
    campaign.save()
    page = client.get(claim_url(campaign)).content.decode()
    assert "当前不可领取" in page and "claim-form" not in page
    campaign.state = CampaignState.OPEN
    campaign.ends_on = timezone.localdate() - dt.timedelta(days=1)
    campaign.save()
    response = client.post(claim_url(campaign), {"phone": "13812345678", "consent": "on"})
    assert response.status_code == 409 and "已于" in response.content.decode()


def test_an_unknown_claim_link_is_404(client, world):
    assert client.get(reverse("offers_public:claim", args=["nope"])).status_code == 404


def test_the_claim_page_is_rate_limited(client, campaign):
    for _n in range(10):
        client.post(claim_url(campaign), {"phone": "1", "consent": "on"})
    response = client.post(claim_url(campaign), {"phone": "13812345678", "consent": "on"})
    assert response.status_code == 429 and "稍后再试" in response.content.decode()


def test_print_batches_take_coupons_not_handed_out(world, users, login, campaign):
    issuing.claim(campaign, "+8613812345678", "ok")
    client = login(users.staff)
    response = client.post(reverse("offers:campaign_print", args=[campaign.pk]), {"count": 3})
    assert response.status_code == 302
    assert Coupon.objects.filter(batch=1).count() == 3
    response = client.post(
        reverse("offers:campaign_print", args=[campaign.pk]), {"count": 1}, follow=True
    )
    assert "仅剩 0 张券可发放" in response.content.decode()
    pdf = client.get(reverse("offers:campaign_batch_pdf", args=[campaign.pk, 1]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("offers:campaign_batch_pdf", args=[campaign.pk, 2])).status_code == 404
    )


def test_issuing_needs_the_right_and_the_scope(world, users, login, campaign):
    assert (
        login(users.secretary)
        .post(reverse("offers:campaign_issue", args=[campaign.pk]))
        .status_code
        == 403
    )
    assert (
        login(users.other_admin)
        .post(reverse("offers:campaign_issue", args=[campaign.pk]))
        .status_code
        == 404
    )
    response = login(users.staff).post(
        reverse("offers:campaign_issue", args=[campaign.pk]), follow=True
    )
    assert "都已生成券码" in response.content.decode()
    assert (
        login(users.staff)
        .get(reverse("offers:campaign_poster", args=[campaign.pk]))
        .content.startswith(b"%PDF")
    )


def test_the_number_of_coupons_cannot_drop_below_the_codes_issued(world, users, login, campaign):
    client = login(users.staff)
    url = reverse("offers:campaign_edit", args=[campaign.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        total=3,
        shops=[s.pk for s in campaign.shops.all()],
        starts_on=campaign.starts_on.isoformat(),
        ends_on=campaign.ends_on.isoformat(),
        region=campaign.region_id,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已生成 5 个券码" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.total == 5
