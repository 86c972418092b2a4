"""The outbox page: staff see what waits and what failed (with the error and the next try),
retry failed and given-up messages; others see nothing; nothing can be deleted."""

import pytest
from django.urls import reverse

from jiequ.outbox import dispatch
from jiequ.outbox.models import MessageState, OutboxMessage
from jiequ.outbox.services import enqueue
from tests.fake_district import FakeDistrict


@pytest.fixture
def platform(settings):
    settings.JIEQU_OUTBOX_SEND_ON_COMMIT = False
    settings.JIEQU_DISTRICT_PLATFORM_TOKEN = "t"
    settings.JIEQU_DISTRICT_PLATFORM_TIMEOUT = 1
    with FakeDistrict(token="t") as fake:
        settings.JIEQU_DISTRICT_PLATFORM_URL = fake.url
        yield fake


@pytest.fixture
def messages(world, platform):
    failed = enqueue(
        "district",
        "区城运平台",
        "20260101-0001 占道经营",
        {"number": "20260101-0001"},
        "district:20260101-0001:1",
        region=world.grid_sw,
    )
    dead = enqueue(
        "district",
        "区城运平台",
        "20260101-0002 井盖缺失",
        {"number": "20260101-0002"},
        "district:20260101-0002:1",
        region=world.grid_e,
    )
    sent = enqueue("notice", "x", "会议提醒", {}, "notice:1", region=world.grid_sw)
    theirs = enqueue(
        "district",
        "区城运平台",
        "20260101-0003 威海路噪声",
        {},
        "district:x:1",
        region=world.other_grid,
    )
    platform.down()
    dispatch.run_once()
    OutboxMessage.objects.filter(pk__in=[dead.pk]).update(state=MessageState.DEAD)
    OutboxMessage.objects.filter(pk=sent.pk).update(state=MessageState.SENT)
    platform.up()
    for m in (failed, dead, sent, theirs):
        m.refresh_from_db()
    return failed, dead, sent, theirs


def test_staff_see_failed_and_dead_with_error_and_next_try(login, users, messages):
    failed, dead, sent, theirs = messages
    client = login(users.staff)
    page = client.get(reverse("outbox:message_list")).content.decode()
    assert "占道经营" in page and "井盖缺失" in page and "会议提醒" in page
    assert "威海路噪声" not in page
    assert "无法连接区城运平台" in page
    assert failed.next_attempt_at.astimezone().strftime("%Y-%m-%d") in page
    assert "失败，将重试" in page and "已放弃" in page
    assert page.count("立即重试") >= 2
    # The state tabs filter.
    page = client.get(reverse("outbox:message_list") + "?state=dead").content.decode()
    assert "井盖缺失" in page and "占道经营" not in page


def test_detail_shows_each_attempt(login, users, messages):
    failed = messages[0]
    client = login(users.admin)
    page = client.get(reverse("outbox:message_detail", args=[failed.pk])).content.decode()
    assert "发送记录" in page and "无法连接区城运平台" in page
    assert "district:20260101-0001:1" in page
    history = client.get(reverse("outbox:message_history", args=[failed.pk]))
    assert history.status_code == 200


def test_retry_now_sends_a_dead_message(login, users, messages, platform):
    dead = messages[1]
    client = login(users.staff)
    response = client.post(reverse("outbox:message_retry", args=[dead.pk]), follow=True)
    assert "已发送" in response.content.decode()
    dead.refresh_from_db()
    assert dead.state == MessageState.SENT
    assert platform.case_numbers() == ["20260101-0002"]
    # Retrying a sent message is refused with the reason.
    response = client.post(reverse("outbox:message_retry", args=[dead.pk]), follow=True)
    assert "只有发送失败或已放弃的消息可以重试" in response.content.decode()


def test_retry_while_still_down_says_why(login, users, messages, platform):
    failed = messages[0]
    platform.down()
    client = login(users.staff)
    response = client.post(reverse("outbox:message_retry", args=[failed.pk]), follow=True)
    assert "已重试，仍未发出" in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == MessageState.FAILED


@pytest.mark.parametrize("role", ["district", "secretary", "grid", "member"])
def test_other_roles_are_refused(login, users, messages, role):
    client = login(getattr(users, role))
    assert client.get(reverse("outbox:message_list")).status_code == 403
    assert client.get(reverse("outbox:message_detail", args=[messages[0].pk])).status_code == 403
    assert client.post(reverse("outbox:message_retry", args=[messages[0].pk])).status_code == 403


def test_neighbour_admin_sees_only_theirs(login, users, messages):
    failed, dead, sent, theirs = messages
    client = login(users.other_admin)
    page = client.get(reverse("outbox:message_list")).content.decode()
    assert "威海路噪声" in page and "占道经营" not in page
    assert client.get(reverse("outbox:message_detail", args=[failed.pk])).status_code == 404
    assert client.post(reverse("outbox:message_retry", args=[dead.pk])).status_code == 404
    dead.refresh_from_db()
    assert dead.state == MessageState.DEAD


def test_nothing_can_be_deleted(login, users, messages):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("outbox:message_delete", args=[messages[0].pk])
    from django.contrib import admin

    model_admin = admin.site._registry[OutboxMessage]
    assert not model_admin.has_delete_permission(None)


def test_admin_pages_open_for_a_superuser(client, messages):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:outbox_outboxmessage_changelist")).status_code == 200
    url = reverse("admin:outbox_outboxmessage_change", args=[messages[0].pk])
    assert client.get(url).status_code == 200
