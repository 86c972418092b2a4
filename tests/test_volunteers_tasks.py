"""Tasks: places, sign-ups and assignment, cancellations, hours; the staff pages."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from jiequ.volunteers import tasks
from jiequ.volunteers.models import TaskSignup, VolunteerTask
from jiequ.volunteers.signup import VolunteerError

from .factories_volunteers import (  # noqa: F401 (vol is a fixture)
    TaskSignupFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
    vol,
)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def started(task, days=1):
    task.starts_at = timezone.now() - dt.timedelta(days=days)
    task.ends_at = task.starts_at + dt.timedelta(hours=3)
    task.save()
    return task


def test_places_hold_and_the_next_one_is_refused(vol, users):  # noqa: F811
    extra = VolunteerFactory(name="钱三", region=vol.sw.region)
    tasks.sign_up(vol.task, vol.rider)
    tasks.sign_up(vol.task, vol.east_rider, by=users.staff)
    tasks.sign_up(vol.task, extra)
    late = VolunteerFactory(name="孙四", region=vol.sw.region)
    with pytest.raises(VolunteerError, match="该任务已满员：3 个名额均已报满"):
        tasks.sign_up(vol.task, late)
    assert vol.task.signups.count() == 3
    # A cancellation frees the place.
    tasks.cancel(TaskSignup.objects.get(volunteer=extra))
    assert tasks.sign_up(vol.task, late).state == "signed_up"


def test_the_same_volunteer_twice_is_refused_and_staff_confirm_a_self_sign_up(vol, users):  # noqa: F811
    first = tasks.sign_up(vol.task, vol.rider)
    with pytest.raises(VolunteerError, match="已在此任务中"):
        tasks.sign_up(vol.task, vol.rider)
    assert tasks.sign_up(vol.task, vol.rider, by=users.staff).pk == first.pk
    first.refresh_from_db()
    assert first.state == "assigned"


def test_cancelled_tasks_started_tasks_and_unconfirmed_volunteers(vol, users):  # noqa: F811
    with pytest.raises(VolunteerError, match="只有已确认的志愿者"):
        tasks.sign_up(vol.task, vol.pending)
    vol.task.is_cancelled = True
    vol.task.save()
    with pytest.raises(VolunteerError, match="该任务已取消"):
        tasks.sign_up(vol.task, vol.rider)
    old = started(VolunteerTaskFactory(region=vol.sw.region))
    with pytest.raises(VolunteerError, match="报名已截止"):
        tasks.sign_up(old, vol.rider)
    # Staff can still put someone on a task that started (recording after the fact).
    assert tasks.sign_up(old, vol.rider, by=users.staff).state == "assigned"


def test_hours_recorded_by_staff_and_the_checks(vol, users):  # noqa: F811
    signup = tasks.sign_up(vol.task, vol.rider, by=users.staff)
    with pytest.raises(VolunteerError, match="任务开始后才能记录时长"):
        tasks.record_hours(signup, "2", by=users.staff)
    started(vol.task)
    for bad in ("0", "-1", "25", "两小时"):
        with pytest.raises(VolunteerError):
            tasks.record_hours(signup, bad, by=users.staff)
    done = tasks.record_hours(signup, "2.5", by=users.staff)
    assert done.state == "served" and done.hours == Decimal("2.5")
    assert done.confirmed_by == users.staff and done.confirmed_at is not None
    with pytest.raises(VolunteerError, match="无法取消"):
        tasks.cancel(done)


def test_task_detail_assign_and_record_hours_through_the_page(vol, users, login):  # noqa: F811
    client = login(users.staff)
    page = client.get(reverse("volunteers:task_detail", args=[vol.task.pk]))
    assert page.status_code == 200
    suggested = [v.name for v in page.context["suggestions"]]
    # Active volunteers of our subdistrict, free on Saturday morning first (factory default).
    assert "王小骑" in suggested and "赵东" in suggested
    assert "李待审" not in suggested and "孙邻" not in suggested
    response = client.post(
        reverse("volunteers:task_assign", args=[vol.task.pk]),
        {"volunteer": [vol.rider.pk, vol.neighbour.pk]},
    )
    assert response.status_code == 302
    assert list(vol.task.signups.values_list("volunteer__name", flat=True)) == ["王小骑"]
    signup = vol.task.signups.get()
    started(vol.task)
    client.post(
        reverse("volunteers:signup_update", args=[signup.pk]), {"action": "hours", "hours": "x"}
    )
    signup.refresh_from_db()
    assert signup.state == "assigned"
    detail = client.get(reverse("volunteers:task_detail", args=[vol.task.pk])).content.decode()
    assert "请用数字填写时长" in detail
    client.post(
        reverse("volunteers:signup_update", args=[signup.pk]), {"action": "hours", "hours": "3"}
    )
    signup.refresh_from_db()
    assert signup.state == "served" and signup.hours == 3


def test_staff_create_a_task_with_checks_in_chinese(vol, users, login):  # noqa: F811
    client = login(users.staff)
    data = {
        "title": "新闸路口文明劝导",
        "kind": "road_safety",
        "starts_at": "2030-05-01T09:00",
        "ends_at": "2030-05-01T08:00",
        "place": "新闸路石门二路口",
        "point": vol.sw.pk,
        "places": "0",
        "organiser": "石门二路街道",
        "skills_wanted": ["traffic"],
    }
    page = client.post(reverse("volunteers:task_add"), data)
    text = page.content.decode()
    assert page.status_code == 200 and "结束时间必须晚于开始时间" in text
    assert not VolunteerTask.objects.filter(title="新闸路口文明劝导").exists()
    data.update(ends_at="2030-05-01T11:00", places="8")
    client.post(reverse("volunteers:task_add"), data)
    task = VolunteerTask.objects.get(title="新闸路口文明劝导")
    assert task.region == vol.sw.region and list(task.skills_wanted) == ["traffic"]
    # A point of the neighbour subdistrict cannot be chosen.
    data.update(title="越界", point=vol.other.pk)
    client.post(reverse("volunteers:task_add"), data)
    assert not VolunteerTask.objects.filter(title="越界").exists()


def test_places_cannot_drop_below_those_taken(vol, users, login):  # noqa: F811
    TaskSignupFactory(task=vol.task, volunteer=vol.rider)
    TaskSignupFactory(task=vol.task, volunteer=vol.east_rider)
    client = login(users.staff)
    form = client.get(reverse("volunteers:task_edit", args=[vol.task.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        starts_at=timezone.localtime(vol.task.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(vol.task.ends_at).strftime("%Y-%m-%dT%H:%M"),
        places="1",
        point=vol.sw.pk,
        region=vol.sw.region.pk,
        skills_wanted=["traffic"],
    )
    page = client.post(reverse("volunteers:task_edit", args=[vol.task.pk]), data)
    assert "已有 2 名志愿者参加此任务" in page.content.decode()
    vol.task.refresh_from_db()
    assert vol.task.places == 3


def test_task_list_export_and_scope(vol, users, login):  # noqa: F811
    client = login(users.staff)
    names = {o.title for o, _c in client.get(reverse("volunteers:task_list")).context["rows"]}
    assert names == {"康定路交通劝导", "大田路清洁"}
    export = client.get(reverse("volunteers:task_export") + "?format=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    titles = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"康定路交通劝导", "大田路清洁"}
    assert (
        login(users.other_admin)
        .get(reverse("volunteers:task_detail", args=[vol.task.pk]))
        .status_code
        == 404
    )
    for role in ("grid", "secretary", "member", "district"):
        assert login(getattr(users, role)).get(reverse("volunteers:task_list")).status_code == 403
    # The neighbour's admin cannot touch our sign-ups either.
    signup = TaskSignupFactory(task=vol.task, volunteer=vol.rider)
    other = login(users.other_admin)
    response = other.post(
        reverse("volunteers:signup_update", args=[signup.pk]), {"action": "cancel"}
    )
    assert response.status_code == 404
    assert (
        other.post(
            reverse("volunteers:task_assign", args=[vol.task.pk]), {"volunteer": vol.neighbour.pk}
        ).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_taking_the_last_place_at_once(world, users):
    """PostgreSQL: real concurrent transactions; exactly one gets the last place."""
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    from .factories_volunteers import ServicePointFactory

    point = ServicePointFactory(region=world.grid_sw)
    task = VolunteerTaskFactory(region=world.grid_sw, point=point, places=1)
    a = VolunteerFactory(name="甲", region=world.grid_sw)
    b = VolunteerFactory(name="乙", region=world.grid_sw)
    barrier = threading.Barrier(2)
    done, refused = [], []

    def take(volunteer):
        try:
            barrier.wait()
            done.append(tasks.sign_up(VolunteerTask.objects.get(pk=task.pk), volunteer))
        except VolunteerError as exc:
            refused.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(v,)) for v in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 1 and len(refused) == 1
    assert TaskSignup.objects.filter(task=task).count() == 1
