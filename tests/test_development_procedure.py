"""The development procedure's rules: what is refused (naming the rule), what is flagged late."""

import datetime as dt

import pytest

from jiequ.development import procedure, services
from jiequ.development.models import Stage
from jiequ.party.models import RuleOverride
from jiequ.party.rules import RULES

from .factories_development import ApplicationFactory, step_dates, walk

TODAY = dt.date(2030, 6, 1)  # a fixed "today" for the pure checks


@pytest.fixture
def application(party):
    return ApplicationFactory(organisation=party.west, birth_date=dt.date(2000, 3, 15))


def keys(refusals):
    return [r.rule.key for r in refusals]


def test_the_procedure_has_25_steps_in_five_phases():
    assert [s.number for s in procedure.STEPS] == list(range(1, 26))
    assert {s.phase for s in procedure.STEPS} == {p.key for p in procedure.PHASES}
    opens = {s.number: s.opens for s in procedure.STEPS if s.opens}
    assert opens == {
        1: Stage.APPLICANT,
        3: Stage.ACTIVIST,
        7: Stage.CANDIDATE,
        17: Stage.PROBATIONARY,
        24: Stage.FULL,
    }
    assert procedure.STEP_BY_NUMBER[5].people.rule_key == "trainers"
    assert procedure.STEP_BY_NUMBER[9].people.rule_key == "introducers"
    # The interface shows the Chinese names.
    assert str(procedure.STEP_BY_NUMBER[1].name) == "递交入党申请书"
    assert str(procedure.STEP_BY_NUMBER[15].name) == "支部大会讨论（表决）"


def test_a_refusal_names_its_rule_and_source(application):
    refusals = procedure.check_step(application, 1, dt.date(2017, 1, 1), TODAY)
    assert keys(refusals) == ["min_applicant_age"]
    text = str(refusals[0])
    assert "申请人最低年龄" in text
    assert "《中国共产党发展党员工作细则》" in text
    assert "年满十八岁" in text
    assert refusals[0].rule_label == str(RULES["min_applicant_age"].label)


def test_an_applicant_must_be_18_on_the_day(application):
    day_before = dt.date(2018, 3, 14)
    birthday = dt.date(2018, 3, 15)
    refused = procedure.check_step(application, 1, day_before, TODAY)
    assert keys(refused) == ["min_applicant_age"]
    assert "17" in refused[0].message and "18" in refused[0].message
    assert procedure.check_step(application, 1, birthday, TODAY) == []


def test_the_age_rule_reads_the_subdistricts_own_number(application, world):
    RuleOverride.objects.create(region=world.ours, key="min_applicant_age", value=20, reason="测试")
    assert keys(procedure.check_step(application, 1, dt.date(2019, 6, 1), TODAY)) == [
        "min_applicant_age"
    ]
    assert procedure.check_step(application, 1, dt.date(2020, 6, 1), TODAY) == []


def test_a_future_date_is_refused(application):
    refusals = procedure.check_step(application, 1, TODAY + dt.timedelta(days=1), TODAY)
    assert keys(refusals) == ["no_future_dates"]
    assert "未来" in refusals[0].message


def test_steps_are_taken_in_order(application):
    walk(application, 2)
    refusals = procedure.check_step(application, 4, dt.date.today(), dt.date.today())
    assert keys(refusals) == ["steps_in_order"]
    assert "第3" in refusals[0].message or "3（" in refusals[0].message
    assert "依次进行" in str(refusals[0])


def test_step_25_comes_after_24(application):
    walk(application, 23)
    refusals = procedure.check_step(application, 25, dt.date.today(), dt.date.today())
    assert keys(refusals) == ["steps_in_order"]


def test_a_step_is_not_recorded_twice(application):
    walk(application, 1)
    refusals = procedure.check_step(application, 1, dt.date.today(), dt.date.today())
    assert keys(refusals) == ["steps_in_order"]
    assert "已经登记" in refusals[0].message


def test_a_step_is_not_dated_before_the_one_before(application):
    walk(application, 1)
    applied = procedure.done_steps(application)[1].done_on
    refusals = procedure.check_step(application, 2, applied - dt.timedelta(days=1), dt.date.today())
    assert keys(refusals) == ["dates_in_order"]
    assert applied.isoformat() in refusals[0].message


def test_a_development_candidate_needs_a_year_as_activist(application):
    walk(application, 6)
    chosen = procedure.done_steps(application)[3].done_on
    earliest = procedure.add_months(chosen, 12)
    today = earliest + dt.timedelta(days=30)
    refusals = procedure.check_step(application, 7, earliest - dt.timedelta(days=1), today)
    assert keys(refusals) == ["activist_min_months"]
    assert earliest.isoformat() in refusals[0].message
    assert "一年以上培养教育和考察" in refusals[0].source
    assert procedure.check_step(application, 7, earliest, today) == []


def test_full_membership_waits_for_the_end_of_probation(application):
    walk(application, 21)
    meeting = procedure.done_steps(application)[15].done_on
    end = procedure.add_months(meeting, 12)
    today = end + dt.timedelta(days=60)
    for number in (22,):
        refusals = procedure.check_step(application, number, end - dt.timedelta(days=1), today)
        assert keys(refusals) == ["probation_months"]
        assert end.isoformat() in refusals[0].message
        assert procedure.check_step(application, number, end, today) == []


def test_an_extension_moves_the_end_of_probation(party):
    application = ApplicationFactory(organisation=party.west)
    walk(application, 21, start=dt.date.today() - dt.timedelta(days=6 * 365))
    meeting = procedure.done_steps(application)[15].done_on
    services.extend_probation(application, 6, "支部大会决定延长预备期半年")
    end = procedure.add_months(meeting, 18)
    assert procedure.probation_end(application) == end
    assert procedure.due_date(application) == end
    refusals = procedure.check_step(
        application, 22, end - dt.timedelta(days=1), end + dt.timedelta(days=10)
    )
    assert keys(refusals) == ["probation_months"]
    assert "延长6个月" in refusals[0].message
    assert procedure.check_step(application, 22, end, end + dt.timedelta(days=10)) == []


def test_trainers_and_introducers_are_required(application):
    walk(application, 4)
    day = procedure.done_steps(application)[4].done_on
    today = dt.date.today()
    assert keys(procedure.check_step(application, 5, day, today)) == ["trainers"]
    assert keys(procedure.check_step(application, 5, day, today, people="甲、乙、丙")) == [
        "trainers"
    ]
    refusal = procedure.check_step(application, 5, day, today)[0]
    assert "培养联系人" in str(refusal) and "一至两名" in refusal.source
    assert procedure.check_step(application, 5, day, today, people="王培养") == []
    walk(application, 8)
    day = procedure.done_steps(application)[8].done_on
    refusals = procedure.check_step(application, 9, day, today, people="赵介绍")
    assert keys(refusals) == ["introducers"]
    assert "入党介绍人" in str(refusals[0]) and "两名正式党员" in refusals[0].source
    assert procedure.check_step(application, 9, day, today, people="赵介绍, 钱介绍") == []


def test_a_stopped_application_takes_no_steps(application):
    walk(application, 2)
    services.stop(application, "本人撤回申请")
    refusals = procedure.check_step(application, 3, dt.date.today(), dt.date.today())
    assert keys(refusals) == ["application_open"]


def test_probation_extension_limits(party):
    application = ApplicationFactory(organisation=party.west)
    assert keys(procedure.check_extension(application, 6)) == ["application_open"]
    walk(application, 17, start=dt.date.today() - dt.timedelta(days=600))
    too_long = procedure.check_extension(application, 13)
    assert keys(too_long) == ["probation_max_extension_months"]
    assert "最长不超过一年" in too_long[0].source
    assert "12" in too_long[0].message
    assert keys(procedure.check_extension(application, 3)) == ["probation_min_extension_months"]
    assert procedure.check_extension(application, 12) == []
    services.extend_probation(application, 6, "表现需要继续考察")
    assert keys(procedure.check_extension(application, 6)) == ["probation_extended_once"]


def test_the_talk_is_flagged_when_later_than_a_month(party):
    start = dt.date.today() - dt.timedelta(days=100)
    on_time = ApplicationFactory(organisation=party.west)
    services.record_step(on_time, 1, start)
    services.record_step(on_time, 2, start + dt.timedelta(days=30))
    assert procedure.late_flags(on_time) == {}
    late = ApplicationFactory(organisation=party.west)
    services.record_step(late, 1, start)
    services.record_step(late, 2, start + dt.timedelta(days=31))  # recorded, not refused
    flags = procedure.late_flags(late)
    assert list(flags) == [2]
    assert flags[2].rule is RULES["application_talk_within_days"]
    assert "31" in flags[2].message and "30" in flags[2].message


def test_approvals_later_than_three_months_are_flagged(party):
    application = ApplicationFactory(organisation=party.west)
    dates = step_dates(dt.date.today() - dt.timedelta(days=5 * 365))
    for number in range(1, 16):
        services.record_step(application, number, dates[number], people=_people(number))
    meeting = dates[15]
    services.record_step(application, 16, meeting + dt.timedelta(days=5))
    services.record_step(application, 17, meeting + dt.timedelta(days=100))
    assert list(procedure.late_flags(application)) == [17]
    assert procedure.late_flags(application)[17].rule is RULES["approval_within_months"]
    for number in range(18, 24):
        day = max(procedure.due_date(application) or dt.date.min, meeting + dt.timedelta(days=120))
        services.record_step(application, number, day)
    discussed = procedure.done_steps(application)[23].done_on
    services.record_step(application, 24, procedure.add_months(discussed, 3) + dt.timedelta(days=1))
    assert sorted(procedure.late_flags(application)) == [17, 24]


def _people(number):
    return {5: "王培养", 9: "赵介绍、钱介绍"}.get(number, "")


def test_next_step_due_date_and_overdue(party):
    application = ApplicationFactory(organisation=party.west)
    applied = dt.date.today() - dt.timedelta(days=40)
    services.record_step(application, 1, applied)
    assert procedure.next_step(application).number == 2
    found = procedure.due(application)
    assert found.is_deadline and found.on == applied + dt.timedelta(days=30)
    assert procedure.due_date(application) == found.on
    assert procedure.is_overdue(application)
    assert not procedure.is_overdue(application, today=applied + dt.timedelta(days=30))
    assert procedure.stage_of(application) == Stage.APPLICANT


def test_the_earliest_day_of_step_7_is_not_a_deadline(party):
    application = ApplicationFactory(organisation=party.west)
    walk(application, 6, start=dt.date.today() - dt.timedelta(days=100))
    found = procedure.due(application)
    assert found.number == 7 and found.kind == "from"
    assert str(found).startswith("自")
    assert not procedure.is_overdue(application, today=found.on + dt.timedelta(days=365))
    assert procedure.stage_of(application) == Stage.ACTIVIST


def test_add_months_keeps_the_end_of_month():
    assert procedure.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert procedure.add_months(dt.date(2024, 11, 15), 3) == dt.date(2025, 2, 15)
    assert procedure.age_on(dt.date(2006, 2, 28), dt.date(2024, 2, 28)) == 18
    assert procedure.age_on(dt.date(2006, 3, 1), dt.date(2024, 2, 29)) == 17
