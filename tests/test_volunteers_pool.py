"""The standing pool: who counts in which month (the documented definition) and its page."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from jiequ.volunteers import pool
from jiequ.volunteers.models import Volunteer
from jiequ.volunteers.pool import Person, in_pool, series

from .factories_volunteers import (  # noqa: F401 (vol is a fixture)
    TaskSignupFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
    vol,
)

TODAY = dt.date(2026, 3, 15)
MARCH, FEB = dt.date(2026, 3, 1), dt.date(2026, 2, 1)


def test_confirmed_newcomers_count_for_the_window_then_need_a_task():
    newcomer = Person(1, confirmed_on=dt.date(2025, 10, 5), left_on=None)
    assert in_pool(newcomer, MARCH, TODAY, window=6)  # Oct–Mar: confirmed within the window
    assert not in_pool(newcomer, dt.date(2026, 4, 1), dt.date(2026, 4, 30), window=6)
    assert not in_pool(newcomer, dt.date(2025, 9, 1), TODAY, window=6)  # not yet confirmed


def test_a_task_in_the_window_keeps_a_volunteer_in():
    old = Person(2, dt.date(2024, 1, 1), None, served_on=[dt.date(2025, 10, 1)])
    assert in_pool(old, MARCH, TODAY, 6)
    assert not in_pool(old, dt.date(2026, 4, 1), dt.date(2026, 4, 30), 6)
    # A task after the month's end does not count for that month.
    later = Person(3, dt.date(2024, 1, 1), None, served_on=[dt.date(2026, 3, 20)])
    assert not in_pool(later, MARCH, TODAY, 6)  # the 20th is after today
    assert in_pool(later, MARCH, dt.date(2026, 3, 31), 6)


def test_leaving_ends_membership_from_that_day_but_keeps_the_past():
    left = Person(4, dt.date(2025, 6, 1), dt.date(2026, 2, 10), served_on=[dt.date(2026, 1, 5)])
    assert in_pool(left, dt.date(2026, 1, 1), TODAY, 6)
    assert not in_pool(left, FEB, TODAY, 6)


def test_never_confirmed_never_counts():
    assert not in_pool(Person(5, None, None, [dt.date(2026, 3, 1)]), MARCH, TODAY, 6)


def test_series_counts_joined_left_served_and_hours():
    people = [
        Person(1, dt.date(2026, 2, 3), None),
        Person(2, dt.date(2025, 1, 1), dt.date(2026, 3, 2), [dt.date(2026, 2, 5)]),
        Person(3, dt.date(2025, 1, 1), None, [dt.date(2026, 3, 1), dt.date(2026, 3, 8)]),
    ]
    rows = series(people, [FEB, MARCH], TODAY, 6, {MARCH: Decimal("7.5")})
    assert [(r.pool, r.joined, r.left, r.served) for r in rows] == [(2, 1, 0, 1), (2, 0, 1, 1)]
    assert rows[1].hours == Decimal("7.5") and rows[0].hours == 0


def test_pool_from_the_database_and_the_page_links_to_the_lists(vol, users, login):  # noqa: F811
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=400)
    old = VolunteerFactory(name="老队员", region=vol.sw.region, confirmed_on=long_ago)
    gone = VolunteerFactory(
        name="已停", region=vol.sw.region, confirmed_on=long_ago, state="inactive", left_on=today
    )
    assert gone
    members = set(pool.pool_members(Volunteer.objects.all(), today.replace(day=1)))
    # 王小骑, 赵东 and 孙邻 were confirmed 30 days ago; 老队员 has not served for a year.
    assert {vol.rider.pk, vol.east_rider.pk, vol.neighbour.pk} <= members
    assert old.pk not in members and vol.pending.pk not in members
    task = VolunteerTaskFactory(
        region=vol.sw.region,
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=2),
    )
    TaskSignupFactory(task=task, volunteer=old, state="served", hours=Decimal("2"))
    client = login(users.staff)
    page = client.get(reverse("volunteers:pool"))
    assert page.status_code == 200
    text = page.content.decode()
    month = f"{today:%Y-%m}"
    assert f"pool_month={month}" in text
    # Staff of our subdistrict: 王小骑, 赵东, 老队员 (not the neighbour's 孙邻).
    assert page.context["current"]["pool"] == 3
    listed = client.get(reverse("volunteers:volunteer_list") + f"?pool_month={month}")
    names = {obj.name for obj, _cells in listed.context["rows"]}
    assert names == {"王小骑", "赵东", "老队员"}


def test_pool_page_and_export_by_role(vol, users, login):  # noqa: F811
    for role, status in [
        ("staff", 200),
        ("admin", 200),
        ("grid", 403),
        ("secretary", 403),
        ("district", 403),
        ("member", 403),
    ]:
        assert login(getattr(users, role)).get(reverse("volunteers:pool")).status_code == status
    response = login(users.other_admin).get(reverse("volunteers:pool"))
    assert response.context["current"]["pool"] == 1  # only 孙邻
    export = login(users.staff).get(reverse("volunteers:pool_export") + "?format=xlsx&months=24")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.max_row == 25 and sheet["B1"].value == "常备志愿者队伍"
