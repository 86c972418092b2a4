"""Opening hours: what staff type, how it reads back, and whether a point is open now."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jiequ.volunteers.opening import day_text, is_open, parse_day, week_text


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("07:00-21:00", [["07:00", "21:00"]]),
        ("7-21", [["07:00", "21:00"]]),
        ("17:00-20:00, 10:30-14:00", [["10:30", "14:00"], ["17:00", "20:00"]]),
        ("10:30～14:00，17:00至20:00", [["10:30", "14:00"], ["17:00", "20:00"]]),
        ("０７：００－２１：００", [["07:00", "21:00"]]),  # full-width digits from a phone keyboard
        ("24小时", [["00:00", "24:00"]]),
        ("24h", [["00:00", "24:00"]]),
        ("", []),
        ("休息", []),
        ("22:00-02:00", [["22:00", "02:00"]]),
    ],
)
def test_parse_day(text, periods):
    assert parse_day(text) == periods


@pytest.mark.parametrize("text", ["早上七点", "25:00-26:00", "07:00-07:00", "7:61-9"])
def test_unreadable_hours_say_how_to_write_them_in_chinese(text):
    with pytest.raises(ValidationError) as info:
        parse_day(text)
    message = " ".join(info.value.messages)
    assert "07:00-21:00" in message or "同一时间" in message


def at(weekday: int, hour: int, minute: int = 0) -> dt.datetime:
    # 2026-03-02 is a Monday.
    return dt.datetime(2026, 3, 2 + weekday, hour, minute)


def test_is_open_by_weekday_and_time():
    week = {"0": [["07:00", "14:00"], ["17:00", "21:00"]], "5": [["00:00", "24:00"]]}
    assert is_open(week, at(0, 7)) and is_open(week, at(0, 13, 59))
    assert not is_open(week, at(0, 14)) and not is_open(week, at(0, 16))
    assert is_open(week, at(0, 20, 30)) and not is_open(week, at(0, 21))
    assert not is_open(week, at(1, 10))  # Tuesday: closed
    assert is_open(week, at(5, 0)) and is_open(week, at(5, 23, 59))
    assert not is_open({}, at(0, 10)) and not is_open(None, at(0, 10))


def test_a_period_past_midnight_belongs_to_the_evening_it_starts():
    week = {"4": [["22:00", "02:00"]]}  # Friday night
    assert is_open(week, at(4, 23)) and is_open(week, at(5, 1, 30))
    assert not is_open(week, at(5, 2)) and not is_open(week, at(4, 21))


def test_texts():
    assert day_text([]) == "不开放"
    assert day_text([["00:00", "24:00"]]) == "24小时开放"
    week = {str(d): [["07:00", "21:00"]] for d in range(5)}
    text = week_text(week)
    assert text == "周一–周五 07:00-21:00; 周六–周日 不开放"
