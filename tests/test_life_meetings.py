"""Recording meetings: scope, defaults, refusals in Chinese, lists, exports and history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.life.models import Meeting
from tests.factories_life import MeetingFactory


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def data(org, **overrides):
    values = {
        "organisation": org.pk,
        "kind": "themed_day",
        "held_on": days_ago(3).isoformat(),
        "topic": "学习党章",
        "place": "江宁路党群服务站",
        "expected": "",
        "attendees": [],
        "minutes": "学习了党章第一章。",
    }
    values.update(overrides)
    return values


def test_secretary_records_a_meeting_of_their_branch(party, users, login):
    client = login(users.secretary)
    present = [m.pk for m in party.west_members[:3]]
    response = client.post(reverse("life:meeting_add"), data(party.west, attendees=present))
    meeting = Meeting.objects.get(topic="学习党章")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.expected == 4  # the branch's current members, by default
    assert set(meeting.attendees.values_list("pk", flat=True)) == set(present)
    assert meeting.recorded_by == users.secretary
    record = meeting.history.get()
    assert record.history_type == "+" and record.history_user == users.secretary
    assert record.attendees.count() == 3


def test_form_lists_the_chosen_organisations_members(party, users, login):
    client = login(users.secretary)
    response = client.get(reverse("life:meeting_add"), {"organisation": party.west.pk})
    field = response.context["form"]["attendees"]
    assert {c.data["value"].value for c in field.subwidgets} == {m.pk for m in party.west_members}
    assert response.context["form"]["expected"].value() == 4
    page = response.content.decode()
    assert 'hx-select="#meeting-people"' in page


def test_secretary_cannot_record_for_another_branch(party, users, login):
    client = login(users.secretary)
    response = client.post(reverse("life:meeting_add"), data(party.east))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_grid_worker_and_district_cannot_record(party, users, login):
    for user in (users.grid, users.district):
        client = login(user)
        assert client.get(reverse("life:meeting_add")).status_code == 403
        assert client.get(reverse("life:meeting_list")).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"held_on": "2999-01-01"}, "held_on", "不能是将来"),
        ({"held_on": "不是日期"}, "held_on", "有效的日期"),
        ({"topic": ""}, "topic", "必填"),
        ({"expected": "-1"}, "expected", "大于或等于"),
        ({"kind": "group"}, "kind", "不召开"),
    ],
)
def test_bad_input_is_refused_in_chinese(party, users, login, overrides, field, words):
    client = login(users.secretary)
    response = client.post(reverse("life:meeting_add"), data(party.west, **overrides))
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not Meeting.objects.exists()


def test_a_group_holds_only_group_meetings(party, users, login):
    client = login(users.secretary)
    response = client.post(reverse("life:meeting_add"), data(party.group, kind="general"))
    assert "党小组会" in " ".join(response.context["form"].errors["kind"])
    response = client.post(reverse("life:meeting_add"), data(party.group, kind="group"))
    assert response.status_code == 302


def test_meeting_before_the_founding_is_refused(party, users, login):
    party.west.founded_on = days_ago(1)
    party.west.save()
    client = login(users.secretary)
    response = client.post(reverse("life:meeting_add"), data(party.west))
    assert "成立" in " ".join(response.context["form"].errors["held_on"])


def test_stranger_cannot_be_ticked_but_a_guest_can(party, users, login):
    client = login(users.staff)
    stranger, guest = party.east_members
    response = client.post(reverse("life:meeting_add"), data(party.west, attendees=[stranger.pk]))
    assert stranger.name in " ".join(response.context["form"].errors["attendees"])
    assert not Meeting.objects.exists()
    guest.other_organisations.add(party.west)
    response = client.post(reverse("life:meeting_add"), data(party.west, attendees=[guest.pk]))
    assert response.status_code == 302
    assert list(Meeting.objects.get().attendees.all()) == [guest]


def test_more_present_than_expected_is_refused(party, users, login):
    client = login(users.secretary)
    present = [m.pk for m in party.west_members]
    response = client.post(
        reverse("life:meeting_add"), data(party.west, expected="2", attendees=present)
    )
    assert "超过" in " ".join(response.context["form"].errors["expected"])
    assert not Meeting.objects.exists()


def test_list_is_scoped_and_filtered(party, users, login):
    mine = MeetingFactory(organisation=party.west, kind="general", held_on=days_ago(40))
    MeetingFactory(organisation=party.west, kind="themed_day", held_on=days_ago(2))
    east = MeetingFactory(organisation=party.east, held_on=days_ago(2))
    other = MeetingFactory(organisation=party.other, held_on=days_ago(2))
    url = reverse("life:meeting_list")
    seen = set(login(users.secretary).get(url).context["object_list"])
    assert east not in seen and other not in seen and mine in seen
    staff_seen = set(login(users.staff).get(url).context["object_list"])
    assert east in staff_seen and other not in staff_seen
    client = login(users.staff)
    assert list(client.get(url, {"kind": "general"}).context["object_list"]) == [mine]
    month = f"{mine.held_on:%Y-%m}"
    assert mine in client.get(url, {"month": month}).context["object_list"]
    response = client.get(url, {"month": "2026-99"})
    assert response.status_code == 200 and not response.context["object_list"]
    assert "年-月" in response.content.decode()
    only_east = client.get(url, {"organisation": party.east.pk}).context["object_list"]
    assert list(only_east) == [east]


def test_export(party, users, login):
    MeetingFactory(organisation=party.west, topic="导出的主题", present=party.west_members[:2])
    MeetingFactory(organisation=party.east, topic="别的支部")
    response = login(users.secretary).get(reverse("life:meeting_export"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "导出的主题" in text and "别的支部" not in text
    assert "实到人数" in text.splitlines()[0]
    assert ",2" in text.splitlines()[1]


def test_detail_shows_quorum_and_guests(party, users, login):
    guest = party.east_members[0]
    guest.other_organisations.add(party.west)
    meeting = MeetingFactory(
        organisation=party.west,
        kind="general",
        expected=4,
        held_on=days_ago(5),
        present=[*party.west_members[:2], guest],
    )
    page = login(users.secretary).get(meeting.get_absolute_url()).content.decode()
    assert "到会人数不足" in page
    assert "中国共产党章程" in page  # the rule's source
    assert guest.name in page


def test_outside_scope_is_404(party, users, login):
    meeting = MeetingFactory(organisation=party.east)
    client = login(users.secretary)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("life:meeting_edit", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("life:meeting_history", args=[meeting.pk])).status_code == 404


def test_edit_records_who_was_added_and_removed(party, users, login):
    client = login(users.secretary)
    a, b, c, _ = party.west_members
    client.post(reverse("life:meeting_add"), data(party.west, attendees=[a.pk, b.pk]))
    meeting = Meeting.objects.get()
    edit = client.get(reverse("life:meeting_edit", args=[meeting.pk]))
    loaded = edit.context["form"]["loaded_at"].value()
    response = client.post(
        reverse("life:meeting_edit", args=[meeting.pk]),
        data(party.west, attendees=[a.pk, c.pk], topic="学习党章（补记）", loaded_at=loaded),
    )
    assert response.status_code == 302
    assert meeting.history.count() == 2
    page = client.get(reverse("life:meeting_history", args=[meeting.pk])).content.decode()
    assert f"<del>{b.name}</del>" in page and f"<ins>{c.name}</ins>" in page
    assert "学习党章（补记）" in page


def test_stale_edit_is_refused(party, users, login):
    meeting = MeetingFactory(organisation=party.west, held_on=days_ago(4))
    client = login(users.secretary)
    response = client.post(
        reverse("life:meeting_edit", args=[meeting.pk]),
        data(party.west, loaded_at="2000-01-01T00:00:00+00:00"),
    )
    assert "已被他人修改" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.topic != "学习党章"
