"""Time limits in working days by the official 2026 calendar (chinesecalendar's data).

2026 around 中秋 and 国庆: Mid-Autumn Friday 25 – Sunday 27 September off; Sunday 20 September
worked; National Day Thursday 1 – Wednesday 7 October off; Saturday 10 October worked.
"""

import logging
from datetime import date

import pytest

from jiequ.cases import deadlines
from jiequ.cases.models import DeadlineRule

from .factories_cases import category

pytestmark = pytest.mark.django_db


def test_adjusted_weekend_days_are_working_days_and_holidays_are_not():
    assert deadlines.is_working_day(date(2026, 9, 20))  # Sunday, worked (补班)
    assert deadlines.is_working_day(date(2026, 10, 10))  # Saturday, worked (补班)
    assert not deadlines.is_working_day(date(2026, 9, 25))  # Friday, Mid-Autumn
    assert not deadlines.is_working_day(date(2026, 10, 1))  # Thursday, National Day
    assert not deadlines.is_working_day(date(2026, 10, 7))
    assert not deadlines.is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert deadlines.is_working_day(date(2026, 10, 8))


def test_a_request_received_before_national_day_is_due_after_it():
    # 30 Sep (Wed) + 5 working days: 8, 9, 10 (Sat, worked), 12, 13 October.
    assert deadlines.due_date(date(2026, 9, 30), "request") == date(2026, 10, 13)


def test_an_enquiry_on_the_friday_before_the_worked_sunday_is_due_that_sunday():
    # 18 Sep (Fri) + 1 working day: Sunday 20 September is worked.
    assert deadlines.due_date(date(2026, 9, 18), "enquiry") == date(2026, 9, 20)


def test_defaults_follow_the_12345_conventions():
    start = date(2026, 11, 2)  # a Monday with no holiday for three weeks
    assert deadlines.due_date(start, "enquiry") == date(2026, 11, 3)
    assert deadlines.due_date(start, "follow_up") == date(2026, 11, 5)
    assert deadlines.due_date(start, "request") == date(2026, 11, 9)
    assert deadlines.due_date(start, "complaint") == date(2026, 11, 9)
    assert deadlines.due_date(start, "complex") == date(2026, 11, 23)


def test_working_days_between_counts_after_the_first_day_up_to_the_second():
    assert deadlines.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert deadlines.working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert deadlines.working_days_between(date(2026, 10, 13), date(2026, 10, 13)) == 0
    assert deadlines.working_days_between(date(2026, 10, 13), date(2026, 10, 1)) == 0


def test_years_the_calendar_does_not_know_fall_back_to_monday_to_friday(caplog):
    deadlines._warned_years.discard(2031)
    with caplog.at_level(logging.WARNING, logger="jiequ.cases.deadlines"):
        # Wednesday 1 January 2031 is surely a holiday, but no notice is published yet.
        assert deadlines.is_working_day(date(2031, 1, 1))
        assert not deadlines.is_working_day(date(2031, 1, 4))  # Saturday
        assert deadlines.due_date(date(2031, 1, 3), "request") == date(2031, 1, 10)
    assert not deadlines.calendar_covers(date(2031, 1, 1))
    warnings = [r for r in caplog.records if "2031" in r.getMessage()]
    assert len(warnings) == 1  # said once, not for every day counted


def test_the_most_specific_rule_wins():
    piles = category("E0102")  # 乱堆物堆料, under 市容环境 (E01)
    environment = category("E01")
    assert deadlines.working_days_for("request", "branch", piles) == 5
    DeadlineRule.objects.create(request_type="request", level="", working_days=7)
    assert deadlines.working_days_for("request", "branch", piles) == 7
    DeadlineRule.objects.create(request_type="request", level="council", working_days=10)
    assert deadlines.working_days_for("request", "council", piles) == 10
    assert deadlines.working_days_for("request", "branch", piles) == 7
    DeadlineRule.objects.create(request_type="request", category=environment, working_days=4)
    assert deadlines.working_days_for("request", "council", piles) == 4  # the parent category
    DeadlineRule.objects.create(request_type="request", category=piles, working_days=3)
    assert deadlines.working_days_for("request", "council", piles) == 3
    DeadlineRule.objects.create(
        request_type="request", category=piles, level="council", working_days=2
    )
    assert deadlines.working_days_for("request", "council", piles) == 2
    assert deadlines.working_days_for("request", "branch", piles) == 3
    # Another request type keeps its default.
    assert deadlines.working_days_for("complex", "council", piles) == 15
