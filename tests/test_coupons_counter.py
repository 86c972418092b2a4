"""A shop's counter page: a secret link, redeeming for that shop only, its own list only."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiequ.offers import codes
from jiequ.offers.models import Redemption
from jiequ.offers.views_public import COUNTER_COOKIE

from .factories_offers import MatrixShopFactory, handed_out, issued_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def setup(world):
    a = MatrixShopFactory(entity__region=world.grid_sw, entity__sign_name="甲记面馆")
    b = MatrixShopFactory(entity__region=world.grid_e, entity__sign_name="乙记小吃")
    campaign = issued_campaign(world.ours, [a, b], total=10)
    return a, b, campaign


def counter_url(shop):
    return reverse("offers_public:counter", args=[shop.counter_token])


def test_the_counter_redeems_then_refuses_the_second_attempt(client, setup):
    a, _b, campaign = setup
    code = handed_out(campaign)[0].code
    page = client.get(counter_url(a))
    assert page.status_code == 200 and "甲记面馆" in page.content.decode()
    assert COUNTER_COOKIE in page.cookies
    response = client.post(counter_url(a), {"code": codes.display(code)})
    assert response.status_code == 302  # reloading the result never submits again
    first = client.get(response["Location"]).content.decode()
    assert "已核销" in first and "满100减20" in first
    second = client.post(counter_url(a), {"code": code}).content.decode()
    assert "不予核销" in second and "只能使用一次" in second and "甲记面馆" in second
    assert Redemption.objects.get().shop == a


def test_refusals_on_the_counter_are_in_chinese(client, setup):
    a, _b, _campaign = setup
    forged = client.post(counter_url(a), {"code": "K7QM-2D9X-R4TB-3TXA"}).content.decode()
    assert "伪造" in forged
    empty = client.post(counter_url(a), {"code": ""}).content.decode()
    assert "请输入或扫描券码" in empty


def test_a_counter_redeems_only_for_its_own_shop_and_lists_only_its_own(client, setup):
    a, b, campaign = setup
    first, second = handed_out(campaign, 2)
    client.post(counter_url(a), {"code": first.code})
    client.post(counter_url(b), {"code": second.code})
    assert Redemption.objects.get(coupon=first).shop == a
    assert Redemption.objects.get(coupon=second).shop == b
    page_a = client.get(counter_url(a)).content.decode()
    assert first.code_masked in page_a and second.code_masked not in page_a
    page_b = client.get(counter_url(b)).content.decode()
    assert second.code_masked in page_b and first.code_masked not in page_b
    # Another shop's redemption number shows nothing on this counter.
    theirs = Redemption.objects.get(coupon=first).pk
    page = client.get(counter_url(b) + f"?done={theirs}").content.decode()
    assert first.code_masked not in page and 'id="verdict"' not in page


def test_a_shop_outside_the_campaign_cannot_redeem_at_its_counter(client, world, setup):
    _a, _b, campaign = setup
    c = MatrixShopFactory(entity__region=world.grid_e)
    code = handed_out(campaign)[0].code
    page = client.post(counter_url(c), {"code": code}).content.decode()
    assert "本店未参与" in page
    assert not Redemption.objects.exists()


def test_unknown_and_replaced_counter_links(client, setup):
    a, _b, campaign = setup
    assert client.get(reverse("offers_public:counter", args=["guess"])).status_code == 404
    old = counter_url(a)
    a.new_counter_link()
    assert client.post(old, {"code": handed_out(campaign)[0].code}).status_code == 404
    assert not Redemption.objects.exists()


def test_a_shop_that_left_sees_no_form(client, setup):
    a, _b, campaign = setup
    a.active = False
    a.save()
    page = client.get(counter_url(a)).content.decode()
    assert "已退出服务矩阵" in page and 'id="counter-form"' not in page
    client.post(counter_url(a), {"code": handed_out(campaign)[0].code})
    assert not Redemption.objects.exists()


def test_scanning_a_coupon_on_the_counter_phone_offers_to_redeem_here(client, setup):
    a, _b, campaign = setup
    coupon = handed_out(campaign)[0]
    url = reverse("offers_public:coupon", args=[coupon.code])
    holder = client.get(url).content.decode()
    assert "<svg" in holder and codes.display(coupon.code) in holder
    assert "在本店核销此券" not in holder
    client.get(counter_url(a))  # this phone is now a's counter
    counter = client.get(url).content.decode()
    assert "在本店核销此券" in counter and counter_url(a) in counter
    client.post(counter_url(a), {"code": coupon.code})
    used = client.get(url).content.decode()
    assert "已于" in used and "甲记面馆" in used and "在本店核销此券" not in used


def test_a_forged_coupon_link_says_so(client, setup):
    response = client.get(reverse("offers_public:coupon", args=["K7QM2D9XR4TB3TXA"]))
    assert response.status_code == 404 and "无效券码" in response.content.decode()
    assert client.get(reverse("offers_public:coupon", args=[codes.new_code()])).status_code == 404


def test_the_counter_is_rate_limited(client, setup):
    a, _b, _campaign = setup
    for _ in range(60):
        client.post(counter_url(a), {"code": "x"})
    response = client.post(counter_url(a), {"code": "x"})
    assert response.status_code == 429 and "稍候再试" in response.content.decode()
