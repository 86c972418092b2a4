"""The reporter's private follow page: public events only, the state in plain words, the
phone masked; the 1–5 rating only once the case is closed, and only once."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiequ.cases import workflow
from jiequ.cases.models import Case, CaseEvent, State
from tests.test_cases_public import form, shop  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reported(client, shop):  # noqa: F811
    client.post(shop.url, form(reporter_name="王师傅", phone="13812345678", consent="on"))
    case = Case.objects.get()
    case.url = reverse("cases_public:follow", args=[case.follow_token])
    return case


def close(case, user):
    workflow.apply(case, "start", user=user)
    workflow.apply(case, "resolve", user=user, resolution="已联系环卫所，垃圾箱每天清运两次")
    workflow.apply(case, "close", user=user)


def test_new_case_shows_received_due_date_and_masked_phone(client, reported):
    response = client.get(reported.url + "?new=1")
    page = response.content.decode()
    assert response.status_code == 200
    assert "您的诉求已收到" in page and reported.number in page
    assert "已收到，将尽快处理" in page
    assert "由您所在街区的党支部办理" in page
    assert reported.due_on.isoformat() in page
    assert "138****5678" in page and "13812345678" not in page
    assert "老王面馆" in page
    # Without ?new=1 no "thank you" banner; the rating is not offered yet.
    page = client.get(reported.url).content.decode()
    assert "您的诉求已收到" not in page
    assert "rating-form" not in page and "办结后" in page


def test_only_public_events_show(client, reported, users):
    workflow.apply(reported, "start", user=users.staff)
    workflow.apply(
        reported,
        "suspend",
        user=users.staff,
        reason="内部备注：等待物业回复，勿对外",
        public=False,
    )
    workflow.apply(reported, "resume", user=users.staff, reason="物业已回复")
    page = client.get(reported.url).content.decode()
    assert "开始办理" in page and "恢复办理" in page
    assert "内部备注" not in page
    assert CaseEvent.objects.filter(case=reported, is_public=False).count() == 1
    # Staff names are not shown to the public.
    assert str(users.staff) not in page


def test_escalation_shows_where_it_went_not_the_internal_reasons(client, reported, users, world):
    workflow.apply(
        reported,
        "escalate",
        user=users.staff,
        reason="支部协调物业未果",
        tried="走访两次",
        urgent=True,
        urgent_reason="影响周边食品安全",
        to_level="grid",
    )
    page = client.get(reported.url).content.decode()
    assert "转交网格会商" in page
    assert "走访两次" not in page and "支部协调物业未果" not in page
    assert "网格正在会同相关部门办理" in page


def test_closed_case_can_be_rated_once(client, reported, users):
    close(reported, users.staff)
    page = client.get(reported.url).content.decode()
    assert "已办结" in page and "已联系环卫所" in page
    assert 'id="rating-form"' in page
    rate_url = reverse("cases_public:rate", args=[reported.follow_token])
    response = client.post(rate_url, {"rating": "4", "rating_comment": "处理及时"})
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.rating == 4 and reported.rating_comment == "处理及时"
    event = reported.events.get(action="rate")
    assert event.actor is None and event.actor_label == "反映人"
    page = client.get(reported.url).content.decode()
    assert "★★★★☆" in page and "感谢您的评价" in page and 'id="rating-form"' not in page
    # Again: refused with the reason, the first rating stays.
    response = client.post(rate_url, {"rating": "1"})
    assert response.status_code == 409
    assert "已经评价" in response.content.decode()
    reported.refresh_from_db()
    assert reported.rating == 4


def test_rating_before_closing_is_refused(client, reported):
    rate_url = reverse("cases_public:rate", args=[reported.follow_token])
    response = client.post(rate_url, {"rating": "5"})
    assert response.status_code == 409
    reported.refresh_from_db()
    assert reported.rating is None and reported.state == State.RECEIVED


@pytest.mark.parametrize("value", ["", "0", "6", "abc"])
def test_rating_must_be_one_to_five(client, reported, users, value):
    close(reported, users.staff)
    rate_url = reverse("cases_public:rate", args=[reported.follow_token])
    response = client.post(rate_url, {"rating": value})
    assert response.status_code == 400
    assert "请选择 1 到 5 颗星" in response.content.decode() or "选择一个有效的选项" in (
        response.content.decode()
    )
    reported.refresh_from_db()
    assert reported.rating is None


def test_rating_page_needs_post(client, reported):
    assert client.get(reverse("cases_public:rate", args=[reported.follow_token])).status_code == 405


@pytest.mark.parametrize("token", ["nope", "A" * 24])
def test_unknown_follow_link_is_a_friendly_404(client, db, token):
    response = client.get(reverse("cases_public:follow", args=[token]))
    assert response.status_code == 404
    assert "链接无法使用" in response.content.decode()
    response = client.post(reverse("cases_public:rate", args=[token]), {"rating": "5"})
    assert response.status_code == 404


def test_follow_tokens_are_unguessable(client, reported):
    assert len(reported.follow_token) >= 20
    assert reported.number not in reported.follow_token
