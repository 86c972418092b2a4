"""The public sign-up behind a point's QR code: consent, one record per phone, the private link."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiequ.core import crypto
from jiequ.volunteers.models import Volunteer

from .factories_volunteers import vol  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def form(**overrides):
    data = {
        "name": "陈骑手",
        "phone": "138 0013 8000",
        "occupation": "rider",
        "platform": "eleme",
        "skills": ["first_aid", "repair"],
        "availability": ["1pm", "6am", "6ev"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def join_url(code):
    return reverse("volunteers_public:join", args=[code.token])


def test_the_form_opens_on_a_phone_without_an_account(vol, client):  # noqa: F811
    page = client.get(join_url(vol.codes.sw))
    assert page.status_code == 200
    text = page.content.decode()
    assert "加入志愿者队伍" in text and "康定餐点" in text
    assert "外卖骑手" in text and "饿了么" in text and "应急救护" in text
    assert 'name="availability" value="6ev"' in text  # the week grid
    assert "我同意街道保存我的姓名" in text


def test_a_new_sign_up_is_saved_with_consent_and_opens_the_private_page(vol, client):  # noqa: F811
    response = client.post(join_url(vol.codes.sw), form())
    volunteer = Volunteer.objects.get(name="陈骑手")
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers_public:me", args=[volunteer.token])
    assert volunteer.phone_hash == crypto.lookup_hash("+8613800138000")
    assert volunteer.phone_masked == "138****8000"
    assert "13800138000" not in volunteer.phone_encrypted
    assert volunteer.state == "pending" and volunteer.point == vol.sw
    assert volunteer.region == vol.sw.region and volunteer.code == vol.codes.sw
    assert list(volunteer.skills) == ["first_aid", "repair"]
    assert set(volunteer.availability) == {"1pm", "6am", "6ev"}
    assert volunteer.consent_text.startswith("我同意街道保存") and volunteer.consent_at
    page = client.get(response["Location"]).content.decode()
    assert "感谢您的加入" in page and volunteer.token in page  # the link to keep
    # The welcome (with the link spelled out) is shown once.
    again = client.get(response["Location"]).content.decode()
    assert "感谢您的加入" not in again and "陈骑手的志愿服务" in again


def test_signing_up_again_updates_the_one_record_and_does_not_reveal_the_link(vol, client):  # noqa: F811
    client.post(join_url(vol.codes.sw), form())
    first = Volunteer.objects.get(name="陈骑手")
    before = Volunteer.objects.count()
    other = client.__class__()  # someone else, who only knows the phone number
    response = other.post(
        join_url(vol.codes.east), form(name="陈骑手改", phone="13800138000", platform="meituan")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "volunteers_public:join_done", args=[vol.codes.east.token]
    )
    assert Volunteer.objects.count() == before
    record = Volunteer.objects.get(pk=first.pk)
    assert record.pk == first.pk and record.token == first.token
    assert record.name == "陈骑手改" and record.platform == "meituan" and record.submissions == 2
    assert record.region == vol.east.region
    done = other.get(response["Location"]).content.decode()
    assert "您的信息已更新" in done and record.token not in done


def test_errors_are_in_chinese_and_nothing_is_saved(vol, client):  # noqa: F811
    page = client.post(join_url(vol.codes.sw), form(phone="12345", consent="", name="陈"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "请检查下方标出的内容" in text
    assert "请阅读并同意后再提交" in text and "请填写完整姓名" in text
    assert "这不是" in text or "不存在" in text  # the phone
    assert not Volunteer.objects.filter(name__startswith="陈").exists()
    bad_choice = client.post(join_url(vol.codes.sw), form(availability=["9xx"], platform="uber"))
    assert bad_choice.status_code == 200
    assert not Volunteer.objects.filter(name__startswith="陈").exists()


def test_bots_filling_the_hidden_field_save_nothing(vol, client):  # noqa: F811
    client.post(join_url(vol.codes.sw), form(website="http://spam"))
    assert not Volunteer.objects.filter(name="陈骑手").exists()


def test_unknown_or_retired_codes_are_not_found(vol, client):  # noqa: F811
    assert client.get(reverse("volunteers_public:join", args=["nope"])).status_code == 404
    vol.codes.sw.is_active = False
    vol.codes.sw.save()
    assert client.get(join_url(vol.codes.sw)).status_code == 404


def test_too_many_sign_ups_from_one_network_are_refused(vol, client):  # noqa: F811
    for i in range(10):
        client.post(join_url(vol.codes.sw), form(phone=f"1380013{9000 + i}"))
    assert Volunteer.objects.filter(name="陈骑手").count() == 10
    refused = client.post(join_url(vol.codes.sw), form(phone="13800139999"))
    assert refused.status_code == 429 and "十分钟后再试" in refused.content.decode()
    assert Volunteer.objects.filter(name="陈骑手").count() == 10


def test_a_withdrawn_volunteer_signing_up_again_starts_a_new_record(vol, client):  # noqa: F811
    from jiequ.volunteers import signup

    client.post(join_url(vol.codes.sw), form())
    old = Volunteer.objects.get(name="陈骑手")
    signup.withdraw(old)
    client.post(join_url(vol.codes.sw), form())
    new = Volunteer.objects.get(name="陈骑手")
    assert new.token != old.token and new.state == "pending"


def test_an_inactive_volunteer_signing_up_again_is_reviewed_again(vol, client):  # noqa: F811
    vol.rider.state, vol.rider.left_on = "inactive", vol.rider.confirmed_on
    vol.rider.save()
    client.post(join_url(vol.codes.sw), form(phone=crypto.decrypt(vol.rider.phone_encrypted)))
    vol.rider.refresh_from_db()
    assert vol.rider.state == "pending" and vol.rider.left_on is None
