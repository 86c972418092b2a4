"""The figures of demands: each number against the records counted here independently, each link
against the list it opens, the baseline comparison, percentiles, scopes."""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.cases import figures as f
from jiequ.cases.models import Case, CaseCategory, Level, Source, State
from jiequ.councils.models import Council

from .factories_cases import category, make_case, shop

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def month_day(months_back: int, day: int = 10) -> dt.date:
    first = f.add_months(TODAY.replace(day=1), -months_back)
    return first.replace(day=min(day, 28))


@pytest.fixture
def spread(world, users, party):
    """About 60 cases of the west and east branches and of the neighbouring subdistrict, with
    sources, levels, states, categories, ratings and dates drawn from a seeded generator."""
    rng = random.Random(7)
    west_shop = shop(world.grid_sw, party.west, sign_name="康定路小吃店")
    east_shop = shop(world.grid_e, party.east, sign_name="大田路水果店")
    other_shop = shop(world.other_grid, party.other, sign_name="威海路便利店")
    council = Council.objects.create(name="康定路街委会", kind="street", region=world.west)
    codes = ["E0102", "E0104", "S0201", "S0105", "C0303", "E0106"]
    made = []
    for i in range(60):
        entity = rng.choice([west_shop, west_shop, east_shop, other_shop])
        received = at(month_day(rng.randint(0, 10), rng.randint(1, 28)), rng.randint(8, 18))
        case = make_case(
            entity=entity,
            source=rng.choice(Source.values),
            category=category(rng.choice(codes)),
            title=f"诉求{i}",
            received_at=received,
        )
        state = rng.choice(
            [State.CLOSED, State.CLOSED, State.CLOSED, State.IN_PROGRESS, State.SUSPENDED]
        )
        level = rng.choice(Level.values)
        fields = {"state": state, "level": level}
        if level == Level.COUNCIL:
            fields["council"] = council
        if state == State.CLOSED:
            resolved = received + dt.timedelta(hours=rng.randint(2, 24 * 20))
            fields.update(
                resolved_at=resolved,
                closed_at=resolved + dt.timedelta(hours=5),
                solved_level=level,
            )
            if rng.random() < 0.6:
                fields.update(rating=rng.randint(1, 5), rated_at=resolved)
        else:
            fields["due_on"] = TODAY - dt.timedelta(days=rng.randint(-5, 5))
        if level == Level.DISTRICT:
            fields["escalated_to_district_at"] = received + dt.timedelta(hours=rng.randint(1, 30))
        Case.objects.filter(pk=case.pk).update(**fields)
        made.append(case.pk)
    return Case.objects.filter(pk__in=made)


def ours(spread, world):
    return [c for c in spread if c.region.path.startswith(world.ours.path)]


# --- plain functions ----------------------------------------------------------------------------


def test_percentiles_on_known_data():
    assert f.percentile([], 0.5) is None
    assert f.percentile([7], 0.9) == 7
    assert f.percentile([4, 1, 3, 2], 0.5) == 2.5
    assert f.percentile([1, 2, 3, 4], 0.9) == pytest.approx(3.7)
    values = list(range(1, 11))
    assert f.percentile(values, 0.5) == statistics.median(values)
    assert f.percentile(values, 0.9) == pytest.approx(9.1)


def test_time_to_solve_in_days_and_working_days(world, users, party):
    # Received Wednesday 30 September 2026, resolved Monday 12 October 2026: 12 days, of which
    # 4 working days: 8 and 9 October, Saturday 10 October (worked for the National Day
    # holiday, 1–7 October) and 12 October.
    entity = shop(world.grid_sw, party.west)
    first = make_case(entity=entity, received_at=at(dt.date(2026, 9, 30)))
    Case.objects.filter(pk=first.pk).update(
        state=State.CLOSED, resolved_at=at(dt.date(2026, 10, 12)), solved_level=Level.BRANCH
    )
    second = make_case(entity=entity, received_at=at(dt.date(2026, 11, 2)))
    Case.objects.filter(pk=second.pk).update(
        state=State.CLOSED, resolved_at=at(dt.date(2026, 11, 4)), solved_level=Level.BRANCH
    )
    times = f.solve_times(Case.objects.all(), {})
    assert times.n == 2
    assert times.median_days == pytest.approx(7.0)  # (12 + 2) / 2
    assert times.median_working_days == pytest.approx(3.0)  # (4 + 2) / 2
    assert times.p90_working_days == pytest.approx(3.8)


def test_share_sent_to_the_district_and_the_change_against_a_baseline(world, users, party):
    entity = shop(world.grid_sw, party.west)
    # Baseline months: 10 received, 4 sent up (40%); recent months: 10 received, 1 sent (10%).
    baseline = month_day(6)
    recent = month_day(2)
    for i in range(10):
        case = make_case(entity=entity, received_at=at(baseline, 9 + i % 8))
        if i < 4:
            Case.objects.filter(pk=case.pk).update(escalated_to_district_at=at(baseline, 18))
    for i in range(10):
        case = make_case(entity=entity, received_at=at(recent, 9 + i % 8))
        if i < 1:
            Case.objects.filter(pk=case.pk).update(escalated_to_district_at=at(recent, 18))
    periods = f.Periods(
        (baseline.replace(day=1), baseline.replace(day=1)),
        (recent.replace(day=1), recent.replace(day=1)),
        None,
    )
    comparison = f.compare(Case.objects.all(), periods)
    assert (comparison.baseline.received, comparison.baseline.sent) == (10, 4)
    assert (comparison.recent.received, comparison.recent.sent) == (10, 1)
    assert comparison.change == pytest.approx(-0.75)
    assert comparison.change_text == "-75.0%"
    row = next(r for r in comparison.months if r.month == baseline.replace(day=1))
    assert row.share == pytest.approx(0.4)


def test_default_baseline_is_the_six_months_before_the_pilot(world, users, party, settings):
    entity = shop(world.grid_sw, party.west)
    council = Council.objects.create(name="康定路街委会", kind="street", region=world.west)
    make_case(entity=entity, received_at=at(month_day(9)))
    first_council = month_day(4, 15)
    make_case(entity=entity, level=Level.COUNCIL, council=council, received_at=at(first_council))
    periods = f.default_periods(Case.objects.all())
    pilot = first_council.replace(day=1)
    assert periods.pilot == pilot
    assert periods.baseline == (f.add_months(pilot, -6), f.add_months(pilot, -1))
    this_month = TODAY.replace(day=1)
    assert periods.recent == (f.add_months(this_month, -3), f.add_months(this_month, -1))
    settings.JIEQU_PILOT_START = "2026-03-01"
    assert f.default_periods(Case.objects.all()).baseline == (
        dt.date(2025, 9, 1),
        dt.date(2026, 2, 1),
    )


# --- the figures against the records ----------------------------------------------------------


def test_figures_match_the_records(spread, world, users):
    records = ours(spread, world)
    summary = f.summarise(f.scoped_cases(users.admin))
    assert summary.total.n == len(records)
    for figure in summary.by_source:
        assert figure.n == sum(1 for c in records if c.source == figure.key)
    for figure in summary.by_level:
        assert figure.n == sum(1 for c in records if c.level == figure.key)
    for figure in summary.by_state:
        assert figure.n == sum(1 for c in records if c.state == figure.key)
    closed = [c for c in records if c.state == State.CLOSED]
    assert summary.closed.n == len(closed)
    for figure in summary.solved_at:
        n = sum(1 for c in closed if c.solved_level == figure.key)
        assert figure.n == n
        assert figure.share == pytest.approx(n / len(closed))
    below = sum(1 for c in closed if c.solved_level != Level.DISTRICT)
    assert summary.solved_below_district.n == below
    for figure in summary.by_category:
        root = CaseCategory.objects.get(pk=int(figure.key))
        assert figure.n == sum(
            1 for c in records if c.category_id == root.pk or c.category.parent_id == root.pk
        )
    assert sum(fig.n for fig in summary.by_category) == len(records)
    open_states = {"received", "assigned", "in_progress", "returned", "reopened"}
    assert summary.overdue.n == sum(
        1 for c in records if c.state in open_states and c.due_on and c.due_on < TODAY
    )
    rated = [c.rating for c in records if c.rating is not None]
    assert summary.satisfaction.rated == len(rated)
    assert summary.satisfaction.mean == pytest.approx(sum(rated) / len(rated))
    assert summary.satisfaction.high == sum(1 for r in rated if r >= 4)
    days = sorted((c.resolved_at - c.received_at).total_seconds() / 86400 for c in closed)
    assert summary.times.median_days == pytest.approx(statistics.median(days))
    assert summary.times.n == len(closed)


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_every_link_lands_on_a_list_with_the_same_number_of_rows(spread, world, users, login):
    client = login(users.admin)
    summary = f.summarise(f.scoped_cases(users.admin))
    figures = [
        summary.total,
        summary.closed,
        summary.overdue,
        *summary.by_source,
        *summary.by_state,
        *summary.by_level,
        *summary.solved_at,
        *summary.by_category,
    ]
    for figure in figures:
        assert _list_count(client, figure.url) == figure.n, (figure.label, figure.url)
    assert _list_count(client, summary.satisfaction.url) == summary.satisfaction.rated
    assert _list_count(client, summary.times.url) == summary.times.n
    comparison = f.compare(f.scoped_cases(users.admin), f.default_periods(spread))
    for row in comparison.months:
        assert _list_count(client, row.received_url) == row.received, row.key
        assert _list_count(client, row.sent_url) == row.sent, row.key


def test_one_month_narrows_every_figure_and_link(spread, world, users, login):
    month = month_day(3).replace(day=1)
    client = login(users.admin)
    response = client.get(reverse("cases:figures"), {"month": f.month_key(month)})
    assert response.status_code == 200
    summary = response.context["summary"]
    start, end = f.month_bounds(month)
    records = [c for c in ours(spread, world) if start <= c.received_at < end]
    assert summary.total.n == len(records)
    assert f"received_month={f.month_key(month)}" in summary.overdue.url
    for figure in summary.by_source:
        assert _list_count(client, figure.url) == figure.n


def test_the_page_shows_the_numbers_and_the_change(spread, users, login):
    response = login(users.staff).get(reverse("cases:figures"))
    assert response.status_code == 200
    html = response.content.decode()
    summary = response.context["summary"]
    assert f'href="{summary.overdue.url.replace("&", "&amp;")}"' in html
    assert response.context["comparison"].change_text in html
    assert 'id="chart-months"' in html and "echarts" in html


def test_baseline_form_errors_are_in_chinese(spread, users, login):
    response = login(users.staff).get(
        reverse("cases:figures"),
        {"baseline_from": "2026-05", "baseline_to": "2026-01", "recent_from": "2026-13"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "早于" in " ".join(form.errors["baseline_to"])
    assert "2026-05" in " ".join(form.errors["recent_from"]) or form.errors["recent_from"]
    # The page still shows the figures, over the default periods.
    assert response.context["summary"].total.n > 0


def test_a_chosen_baseline_is_used(spread, users, login):
    response = login(users.staff).get(
        reverse("cases:figures"),
        {
            "baseline_from": f.month_key(month_day(10)),
            "baseline_to": f.month_key(month_day(8)),
            "recent_from": f.month_key(month_day(2)),
            "recent_to": f.month_key(month_day(1)),
        },
    )
    comparison = response.context["comparison"]
    assert comparison.baseline.first == month_day(10).replace(day=1)
    assert comparison.recent.last == month_day(1).replace(day=1)


# --- scope ----------------------------------------------------------------------------------------


def test_secretary_figures_cover_only_their_branch(spread, world, users, party, login):
    subtree = set(party.west.subtree_ids())
    records = [
        c
        for c in spread
        if c.organisation_id in subtree and c.region.path.startswith(world.west.path)
    ]
    response = login(users.secretary).get(reverse("cases:figures"))
    summary = response.context["summary"]
    assert 0 < summary.total.n == len(records)
    assert summary.closed.n == sum(1 for c in records if c.state == State.CLOSED)
    assert "subdistrict_rows" not in response.context


def test_neighbouring_admin_sees_none_of_ours(spread, world, users, login):
    response = login(users.other_admin).get(reverse("cases:figures"))
    summary = response.context["summary"]
    theirs = [c for c in spread if c.region.path.startswith(world.other.path)]
    assert summary.total.n == len(theirs)
    assert all(
        c.region.path.startswith(world.other.path) for c in f.scoped_cases(users.other_admin)
    )


def test_district_sees_one_row_per_subdistrict(spread, world, users, login):
    client = login(users.district)
    response = client.get(reverse("cases:figures"))
    rows = response.context["subdistrict_rows"]
    assert [r["region"] for r in rows] == [world.ours, world.other]
    for row in rows:
        records = [c for c in spread if c.region.path.startswith(row["region"].path)]
        assert row["summary"].total.n == len(records)
        assert row["summary"].overdue.n == sum(
            1
            for c in records
            if c.state in {"received", "assigned", "in_progress", "returned", "reopened"}
            and c.due_on < TODAY
        )
    for row in rows:
        assert _list_count(client, row["summary"].total.url) == row["summary"].total.n


def test_member_may_not_see_the_figures(users, login):
    assert login(users.member).get(reverse("cases:figures")).status_code == 403


def test_home_figures(spread, world, users):
    figures = f.home_figures(users.admin)
    labels = [label for label, _n, _url in figures]
    assert len(figures) == 3
    month = TODAY.replace(day=1)
    start, end = f.month_bounds(month)
    received = sum(1 for c in ours(spread, world) if start <= c.received_at < end)
    assert figures[0][1] == received
    assert "received_month=" in figures[0][2]
    assert "overdue=1" in figures[1][2]
    assert all(isinstance(label, str) for label in labels)
    assert f.home_figures(users.member) == []
