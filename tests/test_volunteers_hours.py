"""Service hours per volunteer and in total, for a period, and their Excel exports."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.volunteers import hours

from .factories_volunteers import TaskSignupFactory, VolunteerTaskFactory, vol  # noqa: F401


def task_on(region, days_ago, title="服务"):
    start = timezone.now() - dt.timedelta(days=days_ago)
    return VolunteerTaskFactory(
        title=title, region=region, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )


def served(task, volunteer, h):
    return TaskSignupFactory(task=task, volunteer=volunteer, state="served", hours=Decimal(h))


def test_totals_and_per_volunteer(vol):  # noqa: F811
    a, b = task_on(vol.sw.region, 3, "甲"), task_on(vol.sw.region, 40, "乙")
    served(a, vol.rider, "3")
    served(b, vol.rider, "2.5")
    served(a, vol.east_rider, "3")
    TaskSignupFactory(task=a, volunteer=vol.neighbour, reported_hours=Decimal("3"))  # waiting
    TaskSignupFactory(task=b, volunteer=vol.pending, state="absent")
    from jiequ.volunteers.models import TaskSignup, Volunteer

    totals = hours.totals(TaskSignup.objects.all())
    assert (totals.hours, totals.services, totals.volunteers, totals.waiting) == (
        Decimal("8.5"),
        3,
        2,
        1,
    )
    recent = hours.Period(timezone.localdate() - dt.timedelta(days=10), timezone.localdate())
    assert hours.totals(TaskSignup.objects.all(), recent).hours == Decimal("6")
    rows = list(hours.table(Volunteer.objects.all()))
    assert [(v.name, v.confirmed_hours, v.served_count) for v in rows] == [
        ("王小骑", Decimal("5.5"), 2),
        ("赵东", Decimal("3"), 1),
    ]


def test_hours_page_and_exports(vol, users, login):  # noqa: F811
    served(task_on(vol.sw.region, 3), vol.rider, "3")
    served(task_on(vol.other.region, 3), vol.neighbour, "4")
    client = login(users.staff)
    page = client.get(reverse("volunteers:hours"))
    assert page.status_code == 200 and page.context["totals"].hours == Decimal("3")
    text = page.content.decode()
    assert "王小骑" in text and "孙邻" not in text and "已确认服务时长" in text
    export = client.get(reverse("volunteers:hours_export") + "?format=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and rows[1][0] == "王小骑" and rows[1][5] == 3
    services = client.get(reverse("volunteers:hours_export") + "?format=xlsx&rows=services")
    rows = list(load_workbook(BytesIO(services.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "王小骑"


def test_a_bad_period_is_explained_and_matches_nothing(vol, users, login):  # noqa: F811
    served(task_on(vol.sw.region, 3), vol.rider, "3")
    client = login(users.staff)
    page = client.get(reverse("volunteers:hours") + "?start=2026-05-01&end=2026-01-01")
    assert "结束日期早于开始日期" in page.content.decode()
    assert page.context["totals"].hours == 0
    page = client.get(reverse("volunteers:hours") + "?start=abc")
    assert page.status_code == 200


def test_roles(vol, users, login):  # noqa: F811
    for role in ("grid", "secretary", "district", "member"):
        assert login(getattr(users, role)).get(reverse("volunteers:hours")).status_code == 403
        assert (
            login(getattr(users, role)).get(reverse("volunteers:hours_export")).status_code == 403
        )
