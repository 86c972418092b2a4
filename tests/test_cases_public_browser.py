"""Browser checks at phone width: a shop owner scans the code, sends a demand with a photo
(a double tap makes one case), follows it and rates it; staff see the outbox and print the
contact card (Playwright, Debian's Chromium)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from jiequ.cases import taxonomy, workflow
from jiequ.cases.codes import code_for
from jiequ.cases.models import Case, CaseCategory
from jiequ.outbox import dispatch
from jiequ.outbox.services import enqueue
from tests.factories import CoverageLinkFactory, EntityFactory
from tests.test_browser import DESKTOP, PHONE, browser, page_as, shot  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def code(world, party, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    # Transactional tests empty the tables the migrations filled: put the taxonomy back.
    taxonomy.load_default(CaseCategory)
    entity = EntityFactory(
        region=world.grid_sw, sign_name="老王面馆", name="上海老王餐饮店", address="石门二路88号"
    )
    CoverageLinkFactory(organisation=party.west, entity=entity, kind="area")
    return code_for(entity=entity)[0]


def _no_side_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_shop_owner_sends_follows_and_rates_on_a_phone(
    browser,  # noqa: F811
    live_server,
    code,
    users,
    tmp_path,
):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + reverse("cases_public:demand", args=[code.token]))
    assert page.locator("h1").inner_text() == "反映问题"
    assert _no_side_scroll(page)
    shot(page, "cases-public-form-phone")
    # Sending with nothing filled: the reasons in Chinese, nothing saved.
    page.click("#demand-form button[type=submit]")
    page.wait_for_selector(".has-error")
    assert "请选择问题的类别" in page.content()
    assert Case.objects.count() == 0
    page.click("label:has-text('市容环境'):not(:has-text('设施'))")
    page.fill("#id_description", "店门口的垃圾箱三天没有清运，夏天气味很大，影响营业。")
    photo = tmp_path / "door.jpg"
    Image.new("RGB", (120, 90), (90, 140, 60)).save(photo, "JPEG")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_reporter_name", "王师傅")
    page.fill("#id_phone", "13812345678")
    page.check("#id_consent")
    shot(page, "cases-public-form-filled-phone")
    page.dblclick("#demand-form button[type=submit]")  # a double tap
    page.wait_for_selector("#follow-url")
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert case.photos.count() == 1 and case.phone_masked == "138****5678"
    assert "您的诉求已收到" in page.content()
    assert page.input_value("#follow-url").endswith(f"/p/d/follow/{case.follow_token}/")
    assert _no_side_scroll(page)
    shot(page, "cases-public-received-phone")
    # The reload that posts again (the browser's "resend") still makes one case.
    page.go_back()
    page.wait_for_selector("#demand-form")

    # Staff handle and close it; the reporter comes back with the private link.
    workflow.apply(case, "start", user=users.staff)
    workflow.apply(case, "resolve", user=users.staff, resolution="已联系环卫所，改为每天清运两次")
    workflow.apply(case, "close", user=users.staff)
    page.goto(live_server.url + reverse("cases_public:follow", args=[case.follow_token]))
    assert page.locator("#case-state").inner_text() == "已办结。"
    assert page.locator(".timeline li").count() == 4
    page.click(".stars label[title='4']")
    page.fill("#id_rating_comment", "处理及时，谢谢")
    assert _no_side_scroll(page)
    shot(page, "cases-public-rate-phone")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector(".given-stars")
    assert page.locator(".given-stars").inner_text() == "★★★★☆"
    case.refresh_from_db()
    assert case.rating == 4 and case.rating_comment == "处理及时，谢谢"
    shot(page, "cases-public-rated-phone")

    page.goto(live_server.url + "/p/d/not-a-real-code/")
    assert page.locator("h1").inner_text() == "链接无法使用"
    shot(page, "cases-public-not-found-phone")
    context.close()


def test_staff_see_a_failed_hand_off_and_print_a_card(
    page_as,  # noqa: F811
    live_server,
    code,
    users,
    world,
    settings,
):
    settings.JIEQU_DISTRICT_PLATFORM_URL = "http://127.0.0.1:9/cases"  # nothing listens there
    settings.JIEQU_OUTBOX_SEND_ON_COMMIT = False
    enqueue(
        "district",
        "区城运平台",
        "20260101-0001 夜间占道经营",
        {"number": "20260101-0001"},
        "district:20260101-0001:1",
        region=world.grid_sw,
    )
    dispatch.run_once()
    page = page_as(users.staff, viewport=DESKTOP)
    page.goto(live_server.url + reverse("outbox:message_list"))
    assert page.locator("h1").inner_text() == "外发消息"
    assert "无法连接区城运平台" in page.content()
    assert page.locator("button.retry").count() == 1
    shot(page, "outbox-list-desktop")
    page.goto(live_server.url + reverse("cases:code_detail", args=[code.pk]))
    assert page.locator(".contact-card svg").count() == 1
    shot(page, "cases-code-detail-desktop")
    page.emulate_media(media="print")
    shot(page, "cases-code-card-print")
    page.emulate_media(media="screen")

    phone = page_as(users.staff, viewport=PHONE)
    phone.goto(live_server.url + reverse("outbox:message_list"))
    assert _no_side_scroll(phone)
    shot(phone, "outbox-list-phone")
    phone.goto(live_server.url + reverse("cases:code_add") + "?q=面馆")
    assert "老王面馆" in phone.content()
    assert _no_side_scroll(phone)
    shot(phone, "cases-code-add-phone")
