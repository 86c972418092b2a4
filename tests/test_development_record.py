"""Recording steps: stages move, step 17 creates the member, step 24 makes them full; stopping,
extending probation, and the change history of all of it."""

import datetime as dt

import pytest

from jiequ.core import crypto
from jiequ.development import procedure, services
from jiequ.development.models import Application, ApplicationStep, Stage
from jiequ.members.models import Member

from .factories import EntityFactory, MemberFactory
from .factories_development import ApplicationFactory, step_dates, walk


@pytest.fixture
def application(party, world):
    shop = EntityFactory(region=world.grid_sw, sign_name="江宁路咖啡馆")
    return ApplicationFactory(organisation=party.west, name="周申请", workplace=shop)


def test_the_stage_moves_with_the_steps(application, users):
    stages = {}
    start = dt.date.today() - dt.timedelta(days=4 * 365)
    for number, day in step_dates(start).items():
        services.record_step(
            application, number, day, people={5: "王培养", 9: "赵甲、钱乙"}.get(number, "")
        )
        stages[number] = application.stage
    assert stages[1] == stages[2] == Stage.APPLICANT
    assert stages[3] == stages[6] == Stage.ACTIVIST
    assert stages[7] == stages[16] == Stage.CANDIDATE
    assert stages[17] == stages[23] == Stage.PROBATIONARY
    assert stages[24] == stages[25] == Stage.FULL
    assert procedure.next_step(application) is None
    assert application.steps.count() == 25


def test_step_17_creates_exactly_one_probationary_member(application, users, party):
    walk(application, 17, by=users.secretary)
    members = Member.objects.filter(phone_hash=application.phone_hash)
    assert members.count() == 1
    member = members.get()
    assert application.member == member
    assert member.name == "周申请"
    assert member.membership == "probationary"
    assert member.organisation == party.west
    assert member.record_location == "here" and member.record_organisation == party.west
    assert member.consent_source == "application"
    assert member.workplace == application.workplace
    assert member.joined_on == procedure.done_steps(application)[15].done_on
    assert crypto.decrypt(member.phone_encrypted) == crypto.decrypt(application.phone_encrypted)
    assert member.history.first().history_user == users.secretary
    # Recording the approval again is refused, and no second member appears.
    with pytest.raises(procedure.Refused) as refused:
        services.record_step(application, 17, dt.date.today())
    assert refused.value.refusals[0].rule.key == "steps_in_order"
    assert Member.objects.filter(phone_hash=application.phone_hash).count() == 1


def test_step_17_is_refused_when_the_phone_is_already_a_members(application, party):
    walk(application, 16)
    MemberFactory(organisation=party.east, phone=crypto.decrypt(application.phone_encrypted))
    day = procedure.done_steps(application)[16].done_on
    with pytest.raises(procedure.Refused) as refused:
        services.record_step(application, 17, day)
    assert "已有党员记录" in refused.value.refusals[0].message
    application.refresh_from_db()
    assert application.stage == Stage.CANDIDATE and application.member is None
    assert not application.steps.filter(number=17).exists()


def test_step_24_makes_the_member_full_when_probation_ended(application):
    walk(application, 24)
    member = application.member
    member.refresh_from_db()
    assert member.membership == "full"
    meeting = procedure.done_steps(application)[15].done_on
    assert member.full_on == procedure.add_months(meeting, 12)
    assert application.stage == Stage.FULL
    reasons = list(member.history.values_list("history_change_reason", flat=True))
    assert "批准转为正式党员" in reasons


def test_full_membership_date_counts_the_extension(application):
    walk(application, 21, start=dt.date.today() - dt.timedelta(days=6 * 365))
    services.extend_probation(application, 6, "需继续考察")
    end = procedure.probation_end(application)
    services.record_step(application, 22, end)
    services.record_step(application, 23, end)
    services.record_step(application, 24, end + dt.timedelta(days=10))
    application.member.refresh_from_db()
    meeting = procedure.done_steps(application)[15].done_on
    assert application.member.full_on == procedure.add_months(meeting, 18)


def test_a_refused_step_saves_nothing(application):
    walk(application, 4)
    before = application.history.count()
    with pytest.raises(procedure.Refused):
        services.record_step(application, 5, dt.date.today())  # no trainer named
    assert not application.steps.filter(number=5).exists()
    assert application.history.count() == before


def test_every_step_is_in_the_history_with_who_and_why(application, users):
    walk(application, 3, by=users.secretary)
    records = list(application.history.order_by("history_id"))
    reasons = [r.history_change_reason for r in records]
    assert any(r and "登记步骤3" in r and "推荐和确定入党积极分子" in r for r in reasons)
    # The first record is the factory's; every step after it names who recorded it.
    assert all(r.history_user == users.secretary for r in records[1:])
    assert len(records) == 4
    assert records[-1].stage == Stage.ACTIVIST
    step = application.steps.get(number=3)
    assert step.recorded_by == users.secretary
    assert step.history.get().history_user == users.secretary


def test_stop_needs_a_reason_and_lands_in_the_history(application, users):
    walk(application, 3)
    with pytest.raises(ValueError):
        services.stop(application, "  ")
    services.stop(application, "本人申请撤回", by=users.staff)
    application.refresh_from_db()
    assert application.stage == Stage.STOPPED
    assert application.stopped_stage == Stage.ACTIVIST
    assert application.stopped_reason == "本人申请撤回"
    assert application.stopped_on == dt.date.today()
    latest = application.history.first()
    assert latest.history_change_reason == "终止：本人申请撤回"
    assert latest.history_user == users.staff
    with pytest.raises(procedure.Refused):
        services.stop(application, "再次终止")
    with pytest.raises(procedure.Refused):
        services.record_step(application, 4, dt.date.today())


def test_stopping_a_probationary_member_cancels_the_member_record(application):
    walk(application, 18, start=dt.date.today() - dt.timedelta(days=3 * 365))
    services.stop(application, "经支部大会讨论，取消预备党员资格")
    member = Member.objects.get(pk=application.member_id)
    assert member.left_on == dt.date.today()
    assert "取消预备党员资格" in member.left_reason


def test_a_full_member_cannot_be_stopped(application):
    walk(application, 24)
    with pytest.raises(procedure.Refused) as refused:
        services.stop(application, "误操作")
    assert "已转为正式党员" in refused.value.refusals[0].message


def test_extension_is_recorded_with_its_reason(application, users):
    walk(application, 17, start=dt.date.today() - dt.timedelta(days=3 * 365))
    with pytest.raises(procedure.Refused) as refused:
        services.extend_probation(application, 18, "太长", by=users.staff)
    assert refused.value.refusals[0].rule.key == "probation_max_extension_months"
    assert application.probation_extension_months == 0
    services.extend_probation(application, 12, "支部大会决定延长一年", by=users.staff)
    assert application.probation_extension_months == 12
    assert application.probation_extension_reason == "支部大会决定延长一年"
    latest = application.history.first()
    assert latest.history_change_reason == "延长预备期12个月：支部大会决定延长一年"
    assert latest.history_user == users.staff


def test_create_application_records_step_1(party, users):
    application = services.create_application(
        organisation=party.west,
        name="吴新人",
        birth_date=dt.date(1999, 1, 1),
        phone="+8613900001111",
        applied_on=dt.date.today() - dt.timedelta(days=3),
        by=users.secretary,
    )
    assert application.stage == Stage.APPLICANT
    assert application.steps.get().number == 1
    assert application.phone_hash == crypto.lookup_hash("+8613900001111")
    assert "13900001111" not in application.phone_encrypted
    # The same person again, while the first is open, is refused.
    with pytest.raises(procedure.Refused) as refused:
        services.create_application(
            organisation=party.west,
            name="吴新人",
            birth_date=dt.date(1999, 1, 1),
            phone="+8613900001111",
            applied_on=dt.date.today(),
        )
    assert refused.value.refusals[0].rule.key == "one_member_record"


def test_an_underage_application_is_not_saved_half_way(party):
    with pytest.raises(procedure.Refused) as refused:
        services.create_application(
            organisation=party.west,
            name="少年",
            birth_date=dt.date.today() - dt.timedelta(days=17 * 365),
            phone="+8613900002222",
            applied_on=dt.date.today(),
        )
    assert refused.value.refusals[0].rule.key == "min_applicant_age"
    assert not Application.objects.filter(name="少年").exists()
    assert not ApplicationStep.objects.exists()
