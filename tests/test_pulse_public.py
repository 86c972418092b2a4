"""The public street-pulse page: no account; shops and workers post issues and vote once per
browser; topics sorted by votes; hidden topics and phones never shown; rate-limited."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiequ.councils import pulse
from jiequ.councils.models import PulseTopic, PulseVote

from .factories_councils import councils_world, topic  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def board_url(w):
    return reverse("pulse:board", args=[w.board.token])


def test_topics_sorted_by_votes_hidden_ones_left_out(councils_world, client):  # noqa: F811
    w = councils_world
    topic(w.board, "共享单车堆门口", votes=3)
    topic(w.board, "晚上顾客停车难", votes=40)
    topic(
        w.board, "低价代办执照加微信", votes=90, hidden_reason="广告", hidden_at="2026-01-01T00:00Z"
    )
    topic(w.other_board, "威海路路灯不亮", votes=50)
    page = client.get(board_url(w)).content.decode()
    assert page.index("晚上顾客停车难") < page.index("共享单车堆门口")
    assert "低价代办" not in page and "威海路" not in page
    assert "jiequ_pulse" in client.cookies  # the browser gets its id on the first visit


def test_posting_a_topic_with_consented_phone_never_shows_it(councils_world, client):  # noqa: F811
    w = councils_world
    data = {
        "title": "装卸货临时停靠点",
        "text": "每天上午进货，货车停门口就被贴条。",
        "author_name": "康定路小吃店",
        "phone": "13912345678",
    }
    response = client.post(reverse("pulse:post", args=[w.board.token]), data)
    assert response.status_code == 400
    assert "只有在您同意时才保存手机号" in response.content.decode()
    assert not PulseTopic.objects.exists()
    response = client.post(reverse("pulse:post", args=[w.board.token]), {**data, "consent": "on"})
    assert response.status_code == 302
    saved = PulseTopic.objects.get()
    assert saved.phone_masked == "139****5678" and saved.consent_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "装卸货临时停靠点" in page and "康定路小吃店" in page
    assert "13912345678" not in page and "5678" not in page


def test_the_same_post_twice_makes_one_topic(councils_world, client):  # noqa: F811
    w = councils_world
    data = {"title": "路灯不亮", "text": "巷子里两盏路灯坏了。"}
    client.get(board_url(w))
    client.post(reverse("pulse:post", args=[w.board.token]), data)
    client.post(reverse("pulse:post", args=[w.board.token]), data)
    assert PulseTopic.objects.count() == 1


def test_missing_fields_are_named_in_chinese(councils_world, client):  # noqa: F811
    response = client.post(reverse("pulse:post", args=[councils_world.board.token]), {"title": ""})
    assert response.status_code == 400
    assert "该字段是必填项。" in response.content.decode()


def test_posting_is_rate_limited(councils_world, client):  # noqa: F811
    url = reverse("pulse:post", args=[councils_world.board.token])
    for i in range(pulse.TOPICS_PER_NETWORK):
        assert client.post(url, {"title": f"议题{i}", "text": "内容"}).status_code == 302
    response = client.post(url, {"title": "再一个", "text": "内容"})
    assert response.status_code == 429
    assert "该网络提交次数过多，请十分钟后再试。" in response.content.decode()
    assert PulseTopic.objects.count() == pulse.TOPICS_PER_NETWORK


def test_one_vote_per_browser(councils_world, client):  # noqa: F811
    w = councils_world
    t = topic(w.board)
    client.get(board_url(w))
    vote = reverse("pulse:vote", args=[w.board.token, t.pk])
    client.post(vote)
    client.post(vote)
    t.refresh_from_db()
    assert t.votes == 1 and PulseVote.objects.count() == 1
    # The database keeps a keyed hash of the browser id, not the cookie.
    device = client.cookies["jiequ_pulse"].value
    assert device.split(":")[0] not in PulseVote.objects.get().device


def test_another_browser_counts_and_a_forged_cookie_is_a_new_browser(councils_world, client):  # noqa: F811
    from django.test import Client

    w = councils_world
    t = topic(w.board)
    vote = reverse("pulse:vote", args=[w.board.token, t.pk])
    client.post(vote)
    other = Client()
    other.post(vote)
    forged = Client()
    forged.cookies["jiequ_pulse"] = "someone-else:forged"
    forged.post(vote)
    t.refresh_from_db()
    assert t.votes == 3


def test_htmx_vote_answers_with_the_new_count(councils_world, client):  # noqa: F811
    w = councils_world
    t = topic(w.board, votes=4)
    response = client.post(
        reverse("pulse:vote", args=[w.board.token, t.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert '<b class="votes">5</b>' in page and "已投票" in page


def test_voting_is_rate_limited_per_network(councils_world, client, monkeypatch):  # noqa: F811
    from django.test import Client

    w = councils_world
    monkeypatch.setattr(pulse, "VOTES_PER_NETWORK", 2)
    t = topic(w.board)
    vote = reverse("pulse:vote", args=[w.board.token, t.pk])
    for _i in range(4):
        Client().post(vote)  # a new browser each time, one network
    t.refresh_from_db()
    assert t.votes == 2


def test_hidden_or_decided_topics_take_no_votes(councils_world, client):  # noqa: F811
    w = councils_world
    hidden = topic(w.board, "广告", hidden_reason="广告", hidden_at="2026-01-01T00:00Z")
    decided = topic(w.board, "已议决", state="decided")
    assert client.post(reverse("pulse:vote", args=[w.board.token, hidden.pk])).status_code == 404
    client.post(reverse("pulse:vote", args=[w.board.token, decided.pk]))
    decided.refresh_from_db()
    assert decided.votes == 0


def test_unknown_or_closed_board_is_not_found(councils_world, client):  # noqa: F811
    w = councils_world
    assert client.get(reverse("pulse:board", args=["no-such-board"])).status_code == 404
    w.board.is_active = False
    w.board.save()
    assert client.get(board_url(w)).status_code == 404


def test_a_topic_of_another_board_is_not_found_here(councils_world, client):  # noqa: F811
    w = councils_world
    theirs = topic(w.other_board, "威海路路灯")
    url = reverse("pulse:topic", args=[w.board.token, theirs.pk])
    assert client.get(url).status_code == 404
