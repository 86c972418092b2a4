"""Council meetings: a planned meeting's agenda starts with the council's cases; topics, cases
and free text are added; decisions are checked when recorded; closing applies them all in one
transaction, once — or none of them, saying which decision could not be applied and why."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.cases import workflow
from jiequ.cases.models import Case, CaseEvent, Level, Source, State
from jiequ.councils import meetings as service
from jiequ.councils.models import (
    AgendaItem,
    CouncilMeeting,
    Decision,
    DecisionKind,
    Department,
    MeetingState,
    Task,
    TopicState,
)

from .factories_cases import category
from .factories_councils import councils_world, meeting, topic  # noqa: F401 (fixture)


def held_meeting(council, *present, minutes="会议纪要：逐件会商。"):
    m = meeting(council, minutes=minutes)
    m.present.set(present)
    return m


def decide(m, item, kind, **fields):
    return Decision.objects.create(meeting=m, agenda_item=item, kind=kind, **fields)


def test_planning_the_grid_consultation_takes_the_escalated_cases(councils_world, users, login):  # noqa: F811
    w = councils_world
    client = login(users.grid)
    response = client.post(
        reverse("councils:meeting_add", args=[w.grid.pk]),
        {"held_on": timezone.localdate().isoformat(), "place": "康定网格工作站", "prefill": "on"},
    )
    assert response.status_code == 302
    m = CouncilMeeting.objects.get(council=w.grid)
    assert [i.case for i in m.agenda.all()] == [w.escalated]
    assert m.state == MeetingState.PLANNED and m.created_by == users.grid


def test_planning_a_street_council_takes_the_cases_it_holds(councils_world, users):  # noqa: F811
    w = councils_world
    m = service.plan_meeting(w.street, timezone.localdate(), user=users.staff)
    assert [i.case for i in m.agenda.all()] == [w.held]


def test_agenda_takes_a_case_a_topic_and_free_text_once_each(councils_world, users, login):  # noqa: F811
    w = councils_world
    m = service.plan_meeting(w.street, timezone.localdate(), user=users.staff, prefill=False)
    t = topic(w.board, votes=12)
    client = login(users.secretary)
    url = reverse("councils:agenda_add", args=[m.pk])
    client.post(url, {"case_number": w.held.number})
    client.post(url, {"topic": t.pk})
    client.post(url, {"title": "沿街门店门责自查安排"})
    response = client.post(url, {"case_number": w.held.number}, follow=True)
    assert f"诉求{w.held.number}已在本次议程中。" in response.content.decode()
    labels = [i.label for i in m.agenda.order_by("position")]
    assert labels == [str(w.held), t.title, "沿街门店门责自查安排"]
    t.refresh_from_db()
    assert t.state == TopicState.ON_AGENDA
    # A case outside the secretary's area cannot be put on the agenda.
    response = client.post(url, {"case_number": w.east_case.number}, follow=True)
    assert f"您负责的范围内没有编号为{w.east_case.number}的诉求。" in response.content.decode()
    assert m.agenda.count() == 3


def test_decisions_are_checked_when_recorded(councils_world, users, login):  # noqa: F811
    w = councils_world
    m = service.plan_meeting(w.street, timezone.localdate(), user=users.staff)
    item = m.agenda.get()
    client = login(users.staff)
    url = reverse("councils:decision_add", args=[m.pk])
    response = client.post(url, {"agenda_item": item.pk, "kind": "escalate", "text": "需部门会商"})
    assert response.status_code == 400
    assert "请说明本议事载体上报前已做的工作" in response.content.decode()
    response = client.post(url, {"kind": "new_case", "text": "楼道堆物"})
    page = response.content.decode()
    assert "请选择新诉求的分类。" in page and "请为新诉求填写简短标题。" in page
    response = client.post(url, {"kind": "task", "title": "约谈物业", "text": "约谈"})
    assert "请指定责任方" in response.content.decode()
    response = client.post(url, {"kind": "resolve", "text": "议定错峰停车"})
    assert "只有议程中的诉求才能办结或上报。" in response.content.decode()
    assert not Decision.objects.exists()
    response = client.post(
        url, {"agenda_item": item.pk, "kind": "resolve", "text": "议定写字楼地库夜间错峰开放。"}
    )
    assert response.status_code == 302
    assert Decision.objects.get().applied_at is None  # applied when the meeting closes


def test_closing_applies_every_decision_once(councils_world, users, login):  # noqa: F811
    w = councils_world
    m = service.plan_meeting(w.street, timezone.localdate(), user=users.staff)
    m.minutes = "议定错峰停车方案。"
    m.save()
    m.present.set([w.owner, w.branch_seat])
    held_item = m.agenda.get(case=w.held)
    decide(m, held_item, DecisionKind.ESCALATE, text="需城管、交警会商", tried="已协调物业两次")
    free = service.add_agenda_item(m, title="楼道堆物")
    decide(
        m,
        free,
        DecisionKind.NEW_CASE,
        title="康定路楼道堆物",
        text="沿街楼道长期堆放杂物",
        category=category("E0102"),
        entity=w.west_shop,
    )
    decide(
        m,
        free,
        DecisionKind.TASK,
        title="通知商户清理",
        text="三日内通知商户清理",
        owner_member=w.owner,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    client = login(users.staff)
    response = client.post(reverse("councils:meeting_close", args=[m.pk]), follow=True)
    assert "会议已结束：执行了3项决定。" in response.content.decode()
    m.refresh_from_db()
    assert m.state == MeetingState.CLOSED and m.closed_by == users.staff
    w.held.refresh_from_db()
    assert w.held.level == Level.GRID and w.held.council == w.grid
    event = w.held.events.get(action="escalate")
    assert event.tried == "已协调物业两次" and "康定路街委会" in event.reason
    new = Case.objects.get(title="康定路楼道堆物")
    assert new.source == Source.COUNCIL and new.level == Level.COUNCIL and new.council == w.street
    task = Task.objects.get()
    assert task.owner_member == w.owner and task.meeting == m and task.council == w.street
    assert all(d.applied_at for d in m.decisions.all())
    # Closing again applies nothing a second time.
    events = CaseEvent.objects.count()
    response = client.post(reverse("councils:meeting_close", args=[m.pk]), follow=True)
    assert "各项决定已在当时执行，不会再次执行。" in response.content.decode()
    assert CaseEvent.objects.count() == events
    assert Case.objects.filter(title="康定路楼道堆物").count() == 1
    assert Task.objects.count() == 1
    with pytest.raises(service.MeetingError):
        service.close_meeting(m, user=users.staff)


def test_grid_worker_resolves_and_sends_up_at_the_consultation(councils_world, users):  # noqa: F811
    w = councils_world
    m = service.plan_meeting(w.grid, timezone.localdate(), user=users.grid)
    m.minutes = "逐件会商。"
    m.save()
    m.present.set(w.grid_seats)
    item = m.agenda.get()
    decide(m, item, DecisionKind.RESOLVE, text="城管中队现场劝离，设置隔离栏。")
    decide(
        m,
        item,
        DecisionKind.TASK,
        title="两周后复查",
        text="城管中队复查",
        owner_department=Department.CITY_MANAGEMENT,
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    service.close_meeting(m, user=users.grid)
    w.escalated.refresh_from_db()
    assert w.escalated.state == State.RESOLVED
    assert w.escalated.resolution == "城管中队现场劝离，设置隔离栏。"
    assert Task.objects.get().case == w.escalated


def test_one_decision_that_cannot_be_applied_applies_none(councils_world, users):  # noqa: F811
    w = councils_world
    m = service.plan_meeting(w.street, timezone.localdate(), user=users.staff)
    m.minutes = "纪要"
    m.save()
    m.present.set([w.owner])
    item = m.agenda.get()
    free = service.add_agenda_item(m, title="门责自查")
    decide(
        m,
        free,
        DecisionKind.TASK,
        title="门责自查",
        text="月底前汇总",
        owner_member=w.owner,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    decide(m, item, DecisionKind.RESOLVE, text="议定错峰停车")
    # Meanwhile the case was resolved elsewhere.
    workflow.apply(w.held, "resolve", user=users.staff, resolution="支部已协调解决")
    with pytest.raises(service.MeetingError) as refused:
        service.close_meeting(m, user=users.staff)
    assert "所有决定均未执行，会议仍未结束。第2项决定" in refused.value.message
    m.refresh_from_db()
    assert m.state == MeetingState.PLANNED
    assert not Task.objects.exists()
    assert not m.decisions.filter(applied_at__isnull=False).exists()


def test_secretary_cannot_apply_grid_level_decisions(councils_world, users, login):  # noqa: F811
    w = councils_world
    m = service.plan_meeting(w.grid, timezone.localdate(), user=users.grid)
    m.minutes = "纪要"
    m.save()
    m.present.set(w.grid_seats[:2])
    decide(m, m.agenda.get(), DecisionKind.RESOLVE, text="办结")
    response = login(users.secretary).post(
        reverse("councils:meeting_close", args=[m.pk]), follow=True
    )
    page = response.content.decode()
    assert "所有决定均未执行" in page and "网格会商" in page
    w.escalated.refresh_from_db()
    assert w.escalated.state == State.RECEIVED


def test_closing_needs_minutes_attendance_and_a_held_meeting(councils_world, users):  # noqa: F811
    w = councils_world
    m = meeting(w.street)
    with pytest.raises(service.MeetingError, match="结束会议前请填写会议纪要。"):
        service.close_meeting(m, user=users.staff)
    m.minutes = "纪要"
    m.save()
    with pytest.raises(service.MeetingError, match="结束会议前请勾选到会成员。"):
        service.close_meeting(m, user=users.staff)
    later = meeting(w.street, days_ago=-3, minutes="预写纪要")
    later.present.set([w.owner])
    with pytest.raises(service.MeetingError, match="召开后才能结束会议"):
        service.close_meeting(later, user=users.staff)


def test_a_closed_meeting_keeps_its_agenda_and_decisions(councils_world, users, login):  # noqa: F811
    w = councils_world
    m = held_meeting(w.street, w.owner)
    service.close_meeting(m, user=users.staff)
    client = login(users.staff)
    response = client.post(
        reverse("councils:agenda_add", args=[m.pk]), {"title": "补充"}, follow=True
    )
    assert "会议已结束：议程和决定不能再修改。" in response.content.decode()
    response = client.post(
        reverse("councils:decision_add", args=[m.pk]), {"kind": "note", "text": "补记"}, follow=True
    )
    assert "会议已结束：议程和决定不能再修改。" in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=m).exists()
    # Only the minutes can be corrected, and the correction is in the change log.
    response = client.get(reverse("councils:meeting_edit", args=[m.pk]))
    assert (
        "id_minutes" in response.content.decode() and "id_present" not in response.content.decode()
    )
    m.refresh_from_db()
    response = client.post(
        reverse("councils:meeting_edit", args=[m.pk]),
        {"minutes": "更正后的纪要", "loaded_at": m.updated_at.isoformat()},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.minutes == "更正后的纪要" and m.present.count() == 1
    assert m.history.first().history_change_reason == "会后更正会议纪要"


def test_a_topic_decided_at_a_meeting_shows_the_decision_publicly(councils_world, users, client):  # noqa: F811
    w = councils_world
    t = topic(w.board, votes=30)
    m = held_meeting(w.street, w.owner)
    item = service.add_agenda_item(m, topic=t, user=users.staff)
    decide(
        m,
        item,
        DecisionKind.TASK,
        title="错峰停车协议",
        text="协调写字楼地库晚间错峰开放",
        owner_member=w.branch_seat,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    service.close_meeting(m, user=users.staff)
    t.refresh_from_db()
    assert t.state == TopicState.DECIDED
    page = client.get(reverse("pulse:topic", args=[w.board.token, t.pk])).content.decode()
    assert "协调写字楼地库晚间错峰开放" in page and "康定路街委会" in page


def test_a_topic_discussed_without_a_decision_collects_votes_again(councils_world, users):  # noqa: F811
    w = councils_world
    t = topic(w.board)
    m = held_meeting(w.street, w.owner)
    service.add_agenda_item(m, topic=t)
    service.close_meeting(m, user=users.staff)
    t.refresh_from_db()
    assert t.state == TopicState.OPEN


def test_api_closes_once(councils_world, users, client):  # noqa: F811
    w = councils_world
    m = held_meeting(w.street, w.owner)
    client.force_login(users.staff)
    url = f"/api/councils/meetings/{m.pk}/close/"
    assert client.post(url).status_code == 200
    second = client.post(url)
    assert second.status_code == 409 and "已" in second.json()["detail"]
    client.force_login(users.other_admin)
    assert client.post(url).status_code == 404


def test_meeting_pages_are_scoped(councils_world, users, login):  # noqa: F811
    w = councils_world
    m = held_meeting(w.street, w.owner)
    assert login(users.other_admin).get(m.get_absolute_url()).status_code == 404
    assert login(users.grid).get(m.get_absolute_url()).status_code == 404  # area council
    assert login(users.secretary).get(m.get_absolute_url()).status_code == 200
    assert login(users.district).get(m.get_absolute_url()).status_code == 403
    page = login(users.staff).get(reverse("councils:meeting_list")).content.decode()
    assert "康定路街委会" in page
