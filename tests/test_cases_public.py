"""The public demand page behind a shop's demand code: one case per demand however often it is
sent, photos checked, consent recorded, nothing half-saved, friendly 404s."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jiequ.cases import views_public
from jiequ.cases.codes import code_for
from jiequ.cases.models import Case, CaseCategory, CasePhoto, Source, State
from tests.factories import CoverageLinkFactory, EntityFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop(world, party):
    entity = EntityFactory(region=world.grid_sw, sign_name="老王面馆", name="上海老王餐饮店")
    CoverageLinkFactory(organisation=party.west, entity=entity, kind="area")
    code, _ = code_for(entity=entity)
    return SimpleNamespace(
        entity=entity, code=code, url=reverse("cases_public:demand", args=[code.token])
    )


def jpeg(name="photo.jpg", size=(40, 30), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form(**extra):
    data = {
        "category": CaseCategory.objects.get(code="E01").pk,
        "description": "店门口的垃圾箱三天没有清运，气味很大。",
    }
    data.update(extra)
    return data


def test_page_shows_the_shop_and_big_category_buttons(client, shop):
    response = client.get(shop.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "老王面馆" in page and "江宁街区党支部" in page
    assert page.count('name="category"') == CaseCategory.objects.filter(parent=None).count()
    assert "市容环境" in page and "反映问题" in page


def test_submitting_makes_a_case_and_shows_the_private_link(client, shop, party):
    response = client.post(shop.url, form(), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == (
        reverse("cases_public:follow", args=[case.follow_token]) + "?new=1"
    )
    page = response.content.decode()
    assert "您的诉求已收到" in page
    assert f"/p/d/follow/{case.follow_token}/" in page
    assert case.source == Source.QR and case.code == shop.code
    assert case.entity == shop.entity and case.organisation == party.west
    assert case.region == shop.entity.region and case.state == State.RECEIVED
    assert case.title.startswith("市容环境：店门口的垃圾箱")
    assert case.reporter_name == "" and case.phone_hash == "" and case.consent_at is None


def test_double_tap_and_repost_make_one_case(client, shop):
    first = client.post(shop.url, form())
    second = client.post(shop.url, form())
    third = client.post(shop.url, form(description="  店门口的垃圾箱三天没有清运，气味很大。 "))
    assert Case.objects.count() == 1
    case = Case.objects.get()
    for response in (first, second, third):
        assert response.status_code == 302
        assert case.follow_token in response["Location"]


def test_same_text_just_after_the_window_boundary_is_still_one_case(client, shop, monkeypatch):
    import time as real_time

    window = views_public.SUBMISSION_WINDOW
    start = (real_time.time() // window + 1) * window - 1  # one second before a slot ends
    monkeypatch.setattr(views_public.time, "time", lambda: start)
    client.post(shop.url, form())
    monkeypatch.setattr(views_public.time, "time", lambda: start + 2)
    client.post(shop.url, form())
    assert Case.objects.count() == 1
    # Much later, the same words are a new demand (the problem came back).
    monkeypatch.setattr(views_public.time, "time", lambda: start + 3 * window)
    client.post(shop.url, form())
    assert Case.objects.count() == 2


def test_different_demands_are_different_cases(client, shop):
    client.post(shop.url, form())
    client.post(shop.url, form(description="门前人行道的地砖松动，有老人绊倒。"))
    assert Case.objects.count() == 2


def test_name_and_phone_need_consent_and_are_kept_encrypted(client, shop):
    response = client.post(shop.url, form(reporter_name="王师傅", phone="13812345678"))
    assert response.status_code == 400
    assert "请勾选" in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(
        shop.url, form(reporter_name="王师傅", phone="138 1234 5678", consent="on")
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter_name == "王师傅" and case.phone_masked == "138****5678"
    assert "13812345678" not in case.phone_encrypted
    assert case.consent_at is not None and "同意" in case.consent_text


def test_a_wrong_phone_is_refused_in_chinese(client, shop):
    response = client.post(shop.url, form(phone="12345", consent="on"))
    assert response.status_code == 400
    assert "电话号码" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("description, message", [("", "请简单描述问题"), ("太吵", "请多写几个字")])
def test_missing_category_or_description_is_explained(client, shop, description, message):
    response = client.post(shop.url, {"description": description})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择问题的类别" in page and message in page
    assert not Case.objects.exists()


def test_photos_are_saved_with_the_case(client, shop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.post(shop.url, form(photos=[jpeg("a.jpg"), jpeg("b.png", fmt="PNG")]))
    assert response.status_code == 302
    case = Case.objects.get()
    names = [p.image.name for p in case.photos.all()]
    assert len(names) == 2 and names[0].endswith(".jpg") and names[1].endswith(".png")
    # The phone's file names are not kept: random names with the real type's extension.
    assert all(re.fullmatch(r"cases/\d+/[0-9a-f]{16}\.(jpg|png)", n) for n in names), names


def test_bad_photos_are_refused_in_chinese_and_nothing_is_saved(client, shop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(shop.url, form(photos=[fake]))
    assert response.status_code == 400
    assert "不是照片" in response.content.decode()
    five = [jpeg(f"{i}.jpg") for i in range(5)]
    response = client.post(shop.url, form(photos=five))
    assert response.status_code == 400
    assert "最多" in response.content.decode()
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    response = client.post(shop.url, form(photos=[SimpleUploadedFile("x.gif", gif.getvalue())]))
    assert response.status_code == 400 and "GIF" in response.content.decode()
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_too_large_photo_is_refused(client, shop, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    from jiequ.cases import photos

    monkeypatch.setattr(photos, "MAX_BYTES", 100)
    response = client.post(shop.url, form(photos=[jpeg(size=(200, 200))]))
    assert response.status_code == 400
    assert "MB" in response.content.decode()
    assert not Case.objects.exists()


def test_rate_limited_per_address_and_code(client, shop, monkeypatch):
    monkeypatch.setattr(views_public, "DEMANDS_PER_ADDRESS", 2)
    for i in range(2):
        assert client.post(shop.url, form(description=f"第{i}个不同的问题描述")).status_code == 302
    response = client.post(shop.url, form(description="第三个不同的问题描述"))
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()
    assert Case.objects.count() == 2
    # A repeat of a demand already made is not refused: it just finds its case.
    assert client.post(shop.url, form(description="第0个不同的问题描述")).status_code == 302
    # Another network is not limited by this one.
    other = client.post(shop.url, form(description="另一个网络的问题"), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_the_code_limit_holds_across_addresses(client, shop, monkeypatch):
    monkeypatch.setattr(views_public, "DEMANDS_PER_CODE", 2)
    for i in range(2):
        client.post(shop.url, form(description=f"问题描述{i}号"), REMOTE_ADDR=f"10.0.0.{i}")
    response = client.post(shop.url, form(description="问题描述9号"), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_honeypot_saves_nothing(client, shop):
    response = client.post(shop.url, form(website="http://spam.example"))
    assert response.status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize("token", ["nope", "x" * 16])
def test_unknown_code_is_a_friendly_404(client, db, token):
    response = client.get(reverse("cases_public:demand", args=[token]))
    assert response.status_code == 404
    assert "链接无法使用" in response.content.decode()


def test_inactive_code_is_a_friendly_404(client, shop):
    shop.code.is_active = False
    shop.code.save()
    assert client.get(shop.url).status_code == 404
    assert client.post(shop.url, form()).status_code == 404
    assert not Case.objects.exists()


def test_an_area_code_files_the_case_in_the_area(client, world, party):
    code, _ = code_for(region=world.grid_nw, organisation=party.west)
    url = reverse("cases_public:demand", args=[code.token])
    assert "昌平网格" in client.get(url).content.decode()
    assert client.post(url, form()).status_code == 302
    case = Case.objects.get()
    assert case.region == world.grid_nw and case.entity is None
    assert case.organisation == party.west


def test_page_is_in_chinese_without_login(client, shop):
    page = client.get(shop.url).content.decode()
    assert "描述问题" in page and "发送" in page
