"""The public phone page of offers in force, by road."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories_offers import MatrixShopFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(world):
    today = timezone.localdate()
    on_road = MatrixShopFactory(entity__region=world.grid_sw, entity__sign_name="石门面馆")
    on_road.entity.road = world.road
    on_road.entity.save()
    elsewhere = MatrixShopFactory(entity__region=world.grid_e, entity__sign_name="成都咖啡")
    gone = MatrixShopFactory(
        entity__region=world.grid_e, entity__sign_name="转让小吃", active=False
    )
    OfferFactory(shop=on_road, title="党员九折", audience="members")
    OfferFactory(shop=on_road, title="骑手加面", audience="new_employment")
    OfferFactory(shop=elsewhere, title="第二杯半价")
    OfferFactory(shop=elsewhere, title="草稿优惠", state="draft")
    OfferFactory(shop=elsewhere, title="撤下优惠", state="withdrawn")
    OfferFactory(shop=elsewhere, title="过期优惠", ends_on=today - dt.timedelta(days=1))
    OfferFactory(shop=elsewhere, title="下月优惠", starts_on=today + dt.timedelta(days=5))
    OfferFactory(shop=gone, title="退出商户的优惠")
    OfferFactory(
        shop=elsewhere, title="达人探店专享", kind="shop_visit", host="静安小吃货", visit_on=today
    )
    return on_road, elsewhere


def test_only_offers_in_force_show_grouped_by_road(client, offers):
    page = client.get(reverse("offers_public:offers")).content.decode()
    for title in ("党员九折", "骑手加面", "第二杯半价", "达人探店专享", "静安小吃货"):
        assert title in page
    for title in ("草稿优惠", "撤下优惠", "过期优惠", "下月优惠", "退出商户的优惠"):
        assert title not in page
    assert page.index("石门二路") < page.index("党员九折")
    assert "其他位置" in page  # shops without a road
    assert "达人探店" in page


def test_filters_by_road_and_by_who_may_use_it(client, offers, world):
    url = reverse("offers_public:offers")
    page = client.get(url + f"?road={world.road.pk}").content.decode()
    assert "党员九折" in page and "第二杯半价" not in page
    page = client.get(url + "?audience=new_employment").content.decode()
    assert "骑手加面" in page and "第二杯半价" in page and "党员九折" not in page
    # Nonsense filters are ignored, never an error.
    assert client.get(url + "?road=abc&audience=zzz").status_code == 200
