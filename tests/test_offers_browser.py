"""Browser checks at phone width (Playwright, Debian's Chromium): the shop's counter redeems a
code once and refuses the second attempt; the public offers page; staff's campaign page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiequ.offers import codes
from jiequ.offers.models import Redemption
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

from .factories_offers import MatrixShopFactory, OfferFactory, handed_out, issued_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(world):
    cache.clear()
    shop = MatrixShopFactory(entity__region=world.grid_sw, entity__sign_name="康定路王记面馆")
    shop.entity.road = world.road
    shop.entity.address = "上海市静安区石门二路88号"
    shop.entity.save()
    other = MatrixShopFactory(entity__region=world.grid_e, entity__sign_name="成都路咖啡")
    OfferFactory(shop=shop, title="党员亮身份就餐九折", audience="members")
    OfferFactory(
        shop=other,
        title="达人探店：静安小吃货直播间专属价",
        kind="shop_visit",
        host="静安小吃货",
        terms="探店直播当天起两周内享直播间同款套餐价。",
    )
    return issued_campaign(world.ours, [shop, other], total=20, title="街区无限可能·优享券")


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_counter_redeems_a_code_and_refuses_the_second_attempt(
    browser,  # noqa: F811
    live_server,
    campaign,
):
    shop = campaign.shops.get(entity__sign_name="康定路王记面馆")
    coupon = handed_out(campaign)[0]
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + reverse("offers_public:counter", args=[shop.counter_token]))
    assert page.locator("h1").inner_text() == "优享券核销台"
    page.fill("#id_code", codes.display(coupon.code).lower())
    page.click("#counter-form button[type=submit]")
    page.wait_for_selector(".verdict.ok")
    assert "已核销" in page.locator("#verdict").inner_text()
    assert coupon.code_masked in page.locator("#counter-history").inner_text()
    assert no_sideways_scroll(page)
    shot(page, "offers-counter-redeemed-phone")
    page.fill("#id_code", coupon.code)
    page.click("#counter-form button[type=submit]")
    page.wait_for_selector(".verdict.no")
    refusal = page.locator("#verdict").inner_text()
    assert "不予核销" in refusal and "只能使用一次" in refusal and "康定路王记面馆" in refusal
    assert no_sideways_scroll(page)
    shot(page, "offers-counter-refused-phone")
    page.fill("#id_code", "K7QM-2D9X-R4TB-3TXA")
    page.click("#counter-form button[type=submit]")
    page.wait_for_selector(".verdict.no[data-reason=forged]")
    assert Redemption.objects.count() == 1
    # The holder's coupon page, scanned on this counter phone, now says it was used.
    page.goto(live_server.url + reverse("offers_public:coupon", args=[coupon.code]))
    assert "已于" in page.locator("#coupon").inner_text()
    context.close()


def test_claiming_and_scanning_a_coupon_on_phones(browser, live_server, campaign):  # noqa: F811
    holder = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    holder.goto(live_server.url + reverse("offers_public:claim", args=[campaign.claim_token]))
    holder.fill("#id_phone", "13812345678")
    holder.click("#claim-form button[type=submit]")
    assert "请勾选同意" in holder.locator("#claim-form").inner_text()
    holder.check("#id_consent")
    shot(holder, "offers-claim-phone")
    holder.click("#claim-form button[type=submit]")
    holder.wait_for_selector("#coupon svg")
    assert no_sideways_scroll(holder)
    shot(holder, "offers-coupon-phone")
    coupon_url = holder.url
    # The shop's phone (its counter opened once) scans the QR: a button to redeem here.
    shop = campaign.shops.get(entity__sign_name="康定路王记面馆")
    counter = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    counter.goto(live_server.url + reverse("offers_public:counter", args=[shop.counter_token]))
    counter.goto(coupon_url)
    counter.click("#counter-redeem button[type=submit]")
    counter.wait_for_selector(".verdict.ok")
    assert Redemption.objects.get().shop == shop


def test_public_offers_and_the_campaign_page(browser, live_server, campaign, users, page_as):  # noqa: F811
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(live_server.url + reverse("offers_public:offers"))
    assert "党员亮身份就餐九折" in page.content() and "达人探店" in page.content()
    assert no_sideways_scroll(page)
    shot(page, "offers-public-phone")
    handed = handed_out(campaign, 3)
    from jiequ.offers.redemption import redeem

    redeem(campaign.shops.first(), handed[0].code)
    staff = page_as(users.staff, viewport=DESKTOP)
    staff.goto(live_server.url + campaign.get_absolute_url())
    assert staff.locator("[data-figure=redeemed] b").inner_text() == "1"
    assert staff.locator("[data-figure=rate] b").inner_text() == "33.3%"
    shot(staff, "offers-campaign-desktop")
    staff.goto(live_server.url + reverse("offers:shop_list"))
    shot(staff, "offers-shops-desktop")
    phone = page_as(users.staff, viewport=PHONE)
    phone.goto(live_server.url + campaign.get_absolute_url())
    assert no_sideways_scroll(phone)
    shot(phone, "offers-campaign-phone")
