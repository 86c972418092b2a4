"""A volunteer's private page: only their own record, tasks and hours; changes; withdrawal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from jiequ.volunteers.models import TaskSignup, Volunteer

from .factories_volunteers import (  # noqa: F401 (vol is a fixture)
    TaskSignupFactory,
    VolunteerTaskFactory,
    vol,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def me(volunteer, name="me", *args):
    return reverse(f"volunteers_public:{name}", args=[volunteer.token, *args])


def past_task(region, title="上周巡防", days=5, hours=2):
    start = timezone.now() - dt.timedelta(days=days)
    return VolunteerTaskFactory(
        title=title, region=region, starts_at=start, ends_at=start + dt.timedelta(hours=hours)
    )


def test_the_page_shows_only_the_volunteers_own_record(vol, client):  # noqa: F811
    served = past_task(vol.sw.region)
    TaskSignupFactory(task=served, volunteer=vol.rider, state="served", hours=Decimal("2.5"))
    TaskSignupFactory(task=vol.task, volunteer=vol.rider)
    TaskSignupFactory(task=vol.task, volunteer=vol.east_rider)
    response = client.get(me(vol.rider))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    text = response.content.decode()
    assert "王小骑的志愿服务" in text and vol.rider.phone_masked in text
    assert "康定路交通劝导" in text and "上周巡防" in text and "2.5" in text
    # Nobody else's name, phone or token.
    for other in (vol.east_rider, vol.pending, vol.neighbour):
        assert other.name not in text and other.token not in text
        assert other.phone_masked not in text


def test_an_unknown_link_is_not_found(vol, client):  # noqa: F811
    assert client.get(reverse("volunteers_public:me", args=["x" * 32])).status_code == 404


def test_open_tasks_of_the_subdistrict_to_sign_up_for(vol, client):  # noqa: F811
    text = client.get(me(vol.rider)).content.decode()
    assert "康定路交通劝导" in text and "大田路清洁" in text
    assert "威海路巡防" not in text  # the neighbour subdistrict's
    response = client.post(me(vol.rider, "me_signup", vol.east_task.pk))
    assert response.status_code == 302
    signup = TaskSignup.objects.get(volunteer=vol.rider, task=vol.east_task)
    assert signup.state == "signed_up" and signup.source == "self"
    page = client.get(me(vol.rider)).content.decode()
    assert "您已报名“大田路清洁”" in page
    # A task of another subdistrict cannot be reached at all.
    assert client.post(me(vol.rider, "me_signup", vol.other_task.pk)).status_code == 404


def test_a_pending_volunteer_waits_before_taking_tasks(vol, client):  # noqa: F811
    text = client.get(me(vol.pending)).content.decode()
    assert "工作人员将尽快确认您的报名" in text and "我要报名" not in text
    client.post(me(vol.pending, "me_signup", vol.task.pk))
    assert not TaskSignup.objects.filter(volunteer=vol.pending).exists()
    page = client.get(me(vol.pending)).content.decode()
    assert "只有已确认的志愿者才能参加任务" in page


def test_a_full_task_refuses_with_a_clear_message(vol, client):  # noqa: F811
    vol.task.places = 1
    vol.task.save()
    TaskSignupFactory(task=vol.task, volunteer=vol.east_rider)
    client.post(me(vol.rider, "me_signup", vol.task.pk))
    assert not TaskSignup.objects.filter(volunteer=vol.rider).exists()
    assert "该任务已满员" in client.get(me(vol.rider)).content.decode()


def test_cancel_own_sign_up_only(vol, client):  # noqa: F811
    mine = TaskSignupFactory(task=vol.task, volunteer=vol.rider, state="signed_up")
    theirs = TaskSignupFactory(task=vol.task, volunteer=vol.east_rider)
    assert client.post(me(vol.rider, "me_cancel", theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "assigned"
    client.post(me(vol.rider, "me_cancel", mine.pk))
    mine.refresh_from_db()
    assert mine.state == "cancelled"


def test_report_hours_after_the_task_then_staff_confirm(vol, client):  # noqa: F811
    task = past_task(vol.sw.region)
    signup = TaskSignupFactory(task=task, volunteer=vol.rider)
    client.post(me(vol.rider, "me_hours", signup.pk), {"hours": "abc"})
    signup.refresh_from_db()
    assert signup.reported_hours is None
    assert "请用数字填写时长" in client.get(me(vol.rider)).content.decode()
    client.post(me(vol.rider, "me_hours", signup.pk), {"hours": "２.５"})
    signup.refresh_from_db()
    assert signup.reported_hours == Decimal("2.5") and signup.hours is None
    # Reporting for a task still to come is refused.
    future = TaskSignupFactory(task=vol.task, volunteer=vol.rider)
    client.post(me(vol.rider, "me_hours", future.pk), {"hours": "2"})
    future.refresh_from_db()
    assert future.reported_hours is None


def test_update_availability_and_skills(vol, client):  # noqa: F811
    response = client.post(
        me(vol.rider, "me_update"), {"availability": ["0ev", "2ev"], "skills": ["photo"]}
    )
    assert response.status_code == 302
    vol.rider.refresh_from_db()
    assert list(vol.rider.availability) == ["0ev", "2ev"] and list(vol.rider.skills) == ["photo"]
    client.post(me(vol.rider, "me_update"), {"availability": ["8zz"]})
    vol.rider.refresh_from_db()
    assert list(vol.rider.availability) == ["0ev", "2ev"]  # nothing changed on bad input


def test_withdrawal_deletes_personal_details_and_keeps_the_hours(vol, client):  # noqa: F811
    served = past_task(vol.sw.region)
    TaskSignupFactory(task=served, volunteer=vol.rider, state="served", hours=Decimal("3"))
    upcoming = TaskSignupFactory(task=vol.task, volunteer=vol.rider)
    confirm_page = client.get(me(vol.rider, "me_withdraw")).content.decode()
    assert "退出后，您的姓名、手机号" in confirm_page
    client.post(me(vol.rider, "me_withdraw"))  # without ticking: nothing happens
    vol.rider.refresh_from_db()
    assert vol.rider.state == "active"
    client.post(me(vol.rider, "me_withdraw"), {"confirm": "yes"})
    record = Volunteer.objects.get(pk=vol.rider.pk)
    assert record.state == "withdrawn" and record.left_on == timezone.localdate()
    assert record.name == "" and record.phone_encrypted == "" and record.phone_hash == ""
    assert list(record.skills) == [] and list(record.availability) == []
    assert record.consent_text == ""
    # The change log holds no name any more.
    assert not record.history.exclude(name="").exists()
    # The hours stay for the figures; the task still to come is cancelled.
    assert TaskSignup.objects.get(volunteer=record, task=served).hours == Decimal("3")
    upcoming.refresh_from_db()
    assert upcoming.state == "cancelled"
    page = client.get(me(vol.rider)).content.decode()
    assert "您已退出" in page and "王小骑" not in page
    # The phone can sign up afresh.
    assert not Volunteer.objects.filter(phone_hash=vol.rider.phone_hash).exists()


def test_too_many_changes_are_refused(vol, client):  # noqa: F811
    for _ in range(31):
        client.post(me(vol.rider, "me_update"), {"availability": ["0ev"]})
    vol.rider.refresh_from_db()
    response = client.post(me(vol.rider, "me_update"), {"availability": ["1ev"]})
    assert response.status_code == 302
    vol.rider.refresh_from_db()
    assert list(vol.rider.availability) == ["0ev"]
