"""Staff moderate the street pulse: hide a topic with a reason (it leaves the public page), show
it again, and put a topic on a planned meeting's agenda; the public page then says so."""

from django.urls import reverse
from django.utils import timezone

from jiequ.councils import meetings as service
from jiequ.councils.models import PulseTopic, TopicState

from .factories_councils import councils_world, topic  # noqa: F401 (fixture)


def test_hiding_needs_a_reason_and_removes_the_topic_publicly(councils_world, users, login):  # noqa: F811
    w = councils_world
    t = topic(w.board, "低价代办执照加微信")
    staff = login(users.staff)
    url = reverse("councils:topic_moderate", args=[t.pk])
    response = staff.post(url, {"do": "hide", "reason": ""}, follow=True)
    assert "请说明隐藏该议题的理由。" in response.content.decode()
    t.refresh_from_db()
    assert not t.is_hidden
    staff.post(url, {"do": "hide", "reason": "广告信息"})
    t.refresh_from_db()
    assert t.is_hidden and t.hidden_reason == "广告信息" and t.hidden_by == users.staff
    from django.test import Client

    public = Client().get(reverse("pulse:board", args=[w.board.token])).content.decode()
    assert "低价代办" not in public
    staff.post(url, {"do": "show"})
    t.refresh_from_db()
    assert not t.is_hidden


def test_putting_a_topic_on_a_planned_meeting(councils_world, users, login):  # noqa: F811
    w = councils_world
    t = topic(w.board, votes=25)
    planned = service.plan_meeting(
        w.street, timezone.localdate() + timezone.timedelta(days=3), user=users.staff, prefill=False
    )
    client = login(users.secretary)
    page = client.get(t.get_absolute_url()).content.decode()
    assert str(planned) in page
    response = client.post(reverse("councils:topic_agenda", args=[t.pk]), {"meeting": planned.pk})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.state == TopicState.ON_AGENDA
    public = client.get(reverse("pulse:board", args=[w.board.token])).content.decode()
    assert "已列入康定路街委会" in public


def test_only_planned_meetings_in_scope_are_offered(councils_world, users, login):  # noqa: F811
    w = councils_world
    t = topic(w.board)
    east_meeting = service.plan_meeting(w.east, timezone.localdate(), user=users.staff)
    response = login(users.staff).post(
        reverse("councils:topic_agenda", args=[t.pk]), {"meeting": east_meeting.pk}, follow=True
    )
    assert "请选择议题所在区域内议事载体的待开会议。" in response.content.decode()
    assert not t.agenda_items.exists()


def test_a_hidden_topic_cannot_go_on_an_agenda(councils_world, users):  # noqa: F811
    import pytest

    w = councils_world
    t = topic(w.board, hidden_reason="广告", hidden_at=timezone.now())
    m = service.plan_meeting(w.street, timezone.localdate(), user=users.staff, prefill=False)
    with pytest.raises(service.MeetingError, match="已隐藏的议题不能列入议程"):
        service.add_agenda_item(m, topic=t)


def test_moderation_is_scoped(councils_world, users, login):  # noqa: F811
    w = councils_world
    t = topic(w.board)
    assert login(users.other_admin).get(t.get_absolute_url()).status_code == 404
    assert (
        login(users.other_admin)
        .post(reverse("councils:topic_moderate", args=[t.pk]), {"do": "hide", "reason": "x"})
        .status_code
        == 404
    )
    assert login(users.district).get(reverse("councils:topic_list")).status_code == 403
    page = login(users.grid).get(reverse("councils:topic_list")).content.decode()
    assert "晚上顾客停车难" not in page  # the board is the area's, the grid worker's is a grid


def test_staff_never_see_the_posters_phone(councils_world, users, login):  # noqa: F811
    w = councils_world
    t = topic(w.board)
    t.set_phone("+8613912345678")
    t.save()
    page = login(users.admin).get(t.get_absolute_url()).content.decode()
    assert "13912345678" not in page and "已加密保存" in page
    export = login(users.admin).get(reverse("councils:topic_export") + "?format=csv")
    assert "1391234" not in export.content.decode("utf-8-sig")
    api = login(users.admin).get("/api/councils/topics/").json()
    assert "phone" not in str(api) and PulseTopic.objects.get().phone_masked == "139****5678"


def test_board_page_shows_the_qr_code(councils_world, users, login):  # noqa: F811
    w = councils_world
    page = login(users.staff).get(w.board.get_absolute_url()).content.decode()
    assert "<svg" in page and w.board.token in page
