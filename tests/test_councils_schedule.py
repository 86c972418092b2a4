"""The grid consultation's rhythm: the next meeting is due 14 days after the last one held,
and a council that has not met by then is flagged."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jiequ.councils.models import MeetingState
from jiequ.councils.schedule import rhythm

from .factories_councils import councils_world, meeting  # noqa: F401 (fixture)

TODAY = timezone.localdate()


def test_due_fourteen_days_after_the_last_meeting_held(councils_world):  # noqa: F811
    grid = councils_world.grid
    meeting(grid, days_ago=10, state=MeetingState.CLOSED)
    meeting(grid, days_ago=24, state=MeetingState.CLOSED)
    r = rhythm(grid)
    assert r.last_held == TODAY - dt.timedelta(days=10)
    assert r.next_due == TODAY + dt.timedelta(days=4) and not r.missed


def test_missed_when_the_due_day_passed(councils_world):  # noqa: F811
    grid = councils_world.grid
    meeting(grid, days_ago=20, state=MeetingState.CLOSED)
    # A meeting planned but not held does not count as met.
    meeting(grid, days_ago=3)
    r = rhythm(grid)
    assert r.missed and r.days_late == 6


def test_never_met_counts_from_the_founding_day(councils_world):  # noqa: F811
    r = rhythm(councils_world.grid)
    assert r.last_held is None and r.next_due == TODAY - dt.timedelta(days=46) and r.missed


def test_councils_meeting_as_needed_are_never_flagged(councils_world):  # noqa: F811
    r = rhythm(councils_world.street)
    assert r.next_due is None and not r.missed


def test_grid_overview_flags_the_missed_meeting(councils_world, users, login):  # noqa: F811
    meeting(councils_world.grid, days_ago=30, state=MeetingState.CLOSED)
    page = login(users.grid).get(reverse("councils:grid_overview")).content.decode()
    assert "康定网格会商" in page and "逾期未开，已晚16天" in page
    assert "大田路街委会" not in page
    page = login(users.other_admin).get(reverse("councils:grid_overview")).content.decode()
    assert "康定网格会商" not in page


def test_plan_page_proposes_the_due_day(councils_world, users, login):  # noqa: F811
    meeting(councils_world.grid, days_ago=5, state=MeetingState.CLOSED)
    page = (
        login(users.grid)
        .get(reverse("councils:meeting_add", args=[councils_world.grid.pk]))
        .content.decode()
    )
    assert (TODAY + dt.timedelta(days=9)).isoformat() in page
