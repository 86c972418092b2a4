"""The JSON API of the service matrix: scoped, validated by the web forms, no secrets."""

import pytest

from jiequ.offers.models import Offer

from .factories_offers import MatrixShopFactory, OfferFactory, handed_out, issued_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(world):
    ours = MatrixShopFactory(entity__region=world.grid_sw, entity__sign_name="西南面馆")
    theirs = MatrixShopFactory(entity__region=world.other_grid, entity__sign_name="威海花店")
    OfferFactory(shop=ours)
    OfferFactory(shop=theirs)
    return ours, theirs


def test_lists_are_scoped(users, login, shops):
    ours, theirs = shops
    data = login(users.staff).get("/api/offers/shops/").json()
    names = {row["name"] for row in data["results"]}
    assert names == {"西南面馆"}
    assert login(users.other_admin).get(f"/api/offers/shops/{ours.pk}/").status_code == 404
    assert login(users.member).get("/api/offers/offers/").status_code == 403


def test_offers_are_validated_like_the_form(users, login, shops):
    ours, theirs = shops
    client = login(users.staff)
    body = {
        "shop": ours.pk,
        "title": "API 优惠",
        "kind": "discount",
        "terms": "九折",
        "audience": "everyone",
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-01",
        "state": "published",
    }
    response = client.post("/api/offers/offers/", body, content_type="application/json")
    assert response.status_code == 400 and "结束日期早于开始日期" in response.content.decode()
    body["ends_on"] = "2026-04-01"
    assert (
        client.post("/api/offers/offers/", body, content_type="application/json").status_code == 201
    )
    body.update(shop=theirs.pk, title="越界")
    assert (
        client.post("/api/offers/offers/", body, content_type="application/json").status_code == 400
    )
    assert not Offer.objects.filter(title="越界").exists()


def test_redemptions_show_masked_codes_only(users, login, world, shops):
    ours, _ = shops
    from jiequ.offers.redemption import redeem

    campaign = issued_campaign(world.ours, [ours], total=2)
    coupon = handed_out(campaign)[0]
    redeem(ours, coupon.code)
    text = login(users.staff).get("/api/offers/redemptions/").content.decode()
    assert coupon.code_masked in text and coupon.code not in text
    assert login(users.secretary).get("/api/offers/redemptions/").status_code == 403
    campaigns = login(users.staff).get("/api/offers/campaigns/").content.decode()
    assert campaign.claim_token not in campaigns
