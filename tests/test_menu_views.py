"""The menu pages: the week at phone width, sign-up buttons, staff signing members up, the
activity form booking its room, attendance, lists and exports, scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.positions import menu
from jiequ.positions.models import Activity, SignUp

from .factories_positions import ActivityFactory, at, positions_world


@pytest.fixture
def pw(world, party):
    return positions_world(world, party)


@pytest.fixture
def me(party, users):
    member = party.west_members[0]
    member.user = users.member
    member.save()
    return member


def this_week(day):
    return menu.week_start(day).isoformat()


def test_member_signs_up_from_the_menu(party, users, login, me):
    activity = ActivityFactory(organiser=party.committee, starts_at=at(1, 19), capacity=1)
    client = login(users.member)
    url = reverse("positions:menu")
    page = client.get(url, {"week": this_week(at(1, 19).date())}).content.decode()
    assert activity.title in page and "报名" in page
    response = client.post(
        reverse("positions:signup_self", args=[activity.pk]), {"next": url}, follow=True
    )
    assert "已报名" in response.content.decode()
    signup = SignUp.objects.get(activity=activity, member=me)
    assert signup.state == "confirmed" and signup.signed_up_by == users.member
    again = client.post(reverse("positions:signup_self", args=[activity.pk]), follow=True)
    assert "已在本活动名单中" in again.content.decode()
    assert SignUp.objects.filter(activity=activity).count() == 1


def test_a_full_activity_offers_the_waiting_list(party, users, login, me):
    activity = ActivityFactory(organiser=party.committee, starts_at=at(1, 19), capacity=1)
    menu.sign_up(activity, party.west_members[1], users.staff)
    client = login(users.member)
    page = client.get(reverse("positions:menu"), {"week": this_week(at(1, 19).date())})
    assert "加入候补" in page.content.decode()
    done = client.post(reverse("positions:signup_self", args=[activity.pk]), follow=True)
    assert "候补第1位" in done.content.decode()


def test_cancelling_shows_who_moved_up(party, users, login, me):
    activity = ActivityFactory(organiser=party.committee, capacity=1)
    mine = menu.sign_up(activity, me, users.member)
    waiting = menu.sign_up(activity, party.west_members[1], users.staff)
    client = login(users.member)
    done = client.post(reverse("positions:signup_cancel", args=[mine.pk]), follow=True)
    text = done.content.decode()
    assert "已取消" in text and f"{waiting.member.name}已由候补递补" in text
    # The promoted member sees the notice line on their menu.
    waiting.refresh_from_db()
    waiting.member.user = users.secretary
    waiting.member.save()
    page = login(users.secretary).get(
        reverse("positions:menu"),
        {"week": this_week(timezone.localtime(activity.starts_at).date())},
    )
    assert "由候补递补成功" in page.content.decode()


def test_member_cannot_cancel_someone_elses_sign_up(party, users, login, me):
    activity = ActivityFactory(organiser=party.committee)
    theirs = menu.sign_up(activity, party.west_members[1], users.staff)
    response = login(users.member).post(reverse("positions:signup_cancel", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "confirmed"


def test_menu_week_switches_with_htmx(party, users, login):
    ActivityFactory(organiser=party.committee, starts_at=at(7, 19), title="下周的党课")
    client = login(users.staff)
    week = this_week(at(7, 19).date())
    partial = client.get(
        reverse("positions:menu"),
        {"week": week},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="menu-week",
    ).content.decode()
    assert partial.startswith('<div id="menu-week">') and "下周的党课" in partial
    assert "<html" not in partial
    bad = client.get(reverse("positions:menu"), {"week": "not-a-day"})
    assert bad.status_code == 200


def test_staff_signs_up_a_member_and_marks_attendance(party, users, login):
    activity = ActivityFactory(organiser=party.committee)
    client = login(users.staff)
    member = party.east_members[0]
    client.post(reverse("positions:signup_member", args=[activity.pk]), {"member": member.pk})
    signup = SignUp.objects.get(activity=activity)
    assert signup.member == member and signup.signed_up_by == users.staff
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(minutes=30),
    )
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'name="present"' in page
    client.post(reverse("positions:attendance", args=[activity.pk]), {"present": [signup.pk]})
    signup.refresh_from_db()
    assert signup.attended is True


def test_secretary_signs_up_only_their_members(party, users, login):
    activity = ActivityFactory(organiser=party.committee)
    client = login(users.secretary)
    form = client.get(activity.get_absolute_url()).context["member_form"]
    choices = set(form.fields["member"].queryset)
    assert set(party.west_members) <= choices and not choices & set(party.east_members)
    done = client.post(
        reverse("positions:signup_member", args=[activity.pk]),
        {"member": party.east_members[0].pk},
        follow=True,
    )
    assert "请从列表中选择党员" in done.content.decode()
    assert not SignUp.objects.exists()


def test_activity_form_books_the_room_and_refuses_a_held_slot(pw, party, users, login):
    client = login(users.staff)
    day = at(2, 19).date()
    data = {
        "title": "书记领治理：康定路停车议题",
        "kind": "governance",
        "day": day.isoformat(),
        "start": "19:00",
        "end": "20:30",
        "room": pw.room.pk,
        "place": "",
        "capacity": "15",
        "organiser": party.committee.pk,
        "audience": "all_members",
        "audience_organisation": "",
        "description": "",
    }
    response = client.post(reverse("positions:activity_add"), data)
    activity = Activity.objects.get(title="书记领治理：康定路停车议题")
    assert response.status_code == 302
    assert activity.booking.state == "confirmed" and activity.subdistrict == party.committee.region
    data["title"] = "撞车的活动"
    data["start"] = "19:30"
    clash = client.post(reverse("positions:activity_add"), data)
    assert clash.status_code == 200 and "已被预订" in clash.content.decode()
    assert not Activity.objects.filter(title="撞车的活动").exists()
    data.update(room="", place="", start="19:30")
    missing = client.post(reverse("positions:activity_add"), data)
    assert "请选择场地或填写活动地点" in missing.content.decode()
    data.update(place="江宁路", audience="organisation")
    no_org = client.post(reverse("positions:activity_add"), data)
    assert "请选择面向哪个组织" in no_org.content.decode()


def test_deleting_an_activity_frees_its_room(pw, party, users, login):
    activity = Activity(
        title="临时活动",
        kind="training",
        room=pw.room,
        starts_at=at(2, 9),
        ends_at=at(2, 10),
        capacity=5,
        audience="open",
        organiser=party.committee,
    )
    menu.save_activity(activity, users.staff)
    booking = activity.booking
    login(users.admin).post(reverse("positions:activity_delete", args=[activity.pk]))
    booking.refresh_from_db()
    assert not Activity.objects.filter(pk=activity.pk).exists() and booking.state == "cancelled"


def test_secretary_and_member_cannot_add_activities(users, login):
    for user in (users.secretary, users.member):
        assert login(user).get(reverse("positions:activity_add")).status_code == 403


def test_lists_and_exports(party, users, login):
    activity = ActivityFactory(organiser=party.committee, title="导出测试活动")
    menu.sign_up(activity, party.west_members[0], users.staff)
    menu.sign_up(activity, party.east_members[0], users.staff)
    client = login(users.staff)
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("positions:activity_export") + "?format=xlsx").content)
    ).active
    assert sheet["A2"].value == "导出测试活动"
    assert isinstance(sheet["C2"].value, dt.datetime)  # a local time Excel can read
    signups = load_workbook(
        io.BytesIO(client.get(reverse("positions:signup_export") + "?format=xlsx").content)
    ).active
    assert signups.max_row == 3
    # The secretary exports only their branch's sign-ups; the neighbour's admin nothing of ours.
    mine = load_workbook(
        io.BytesIO(
            login(users.secretary).get(reverse("positions:signup_export") + "?format=xlsx").content
        )
    ).active
    assert mine.max_row == 2 and mine["A2"].value == party.west_members[0].name
    other = login(users.other_admin)
    assert other.get(reverse("positions:activity_list")).context["rows"] == []
    assert other.get(activity.get_absolute_url()).status_code == 404
    assert login(users.member).get(reverse("positions:signup_list")).status_code == 403


def test_api_lists_the_menu(party, users, client):
    ActivityFactory(organiser=party.committee, title="接口活动")
    client.force_login(users.member)
    titles = [a["title"] for a in client.get("/api/positions/activities/").json()["results"]]
    assert titles == ["接口活动"]
    client.force_login(users.other_admin)
    assert client.get("/api/positions/activities/").json()["results"] == []
