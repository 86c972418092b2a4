"""The case state machine: transitions, refusals in Chinese, escalation rules, suspension."""

import sys
import types
from datetime import date, datetime

import pytest
from django.utils import timezone

from jiequ.cases import workflow
from jiequ.cases.models import Case, CaseEvent
from jiequ.cases.workflow import TransitionRefused

from .factories_cases import build_cases_world, council

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_world(world, users, party):
    return build_cases_world(world, party)


@pytest.fixture
def fake_handoff(monkeypatch):
    """Stands in for the outbox's hand-off module: records what it was asked to send."""
    sent = []
    module = types.ModuleType("jiequ.cases.handoff")
    module.send_to_district = lambda case, event: sent.append((case.pk, event.pk, event.action))
    monkeypatch.setitem(sys.modules, "jiequ.cases.handoff", module)
    return sent


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def freeze(monkeypatch, day: date, hour: int = 10):
    moment = at(day, hour)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_table_is_the_only_place_that_says_what_is_possible():
    assert workflow.table_actions("received") == [
        "assign",
        "start",
        "resolve",
        "return",
        "suspend",
        "escalate",
    ]
    assert workflow.table_actions("resolved") == ["close", "reopen"]
    assert workflow.table_actions("closed") == ["reopen", "rate"]
    assert workflow.table_actions("suspended") == ["resume"]


def test_a_case_goes_from_received_to_closed_with_one_event_per_step(cases_world, users):
    case = cases_world.west
    staff = users.staff
    workflow.apply(case, "assign", user=staff, assignee=users.secretary)
    workflow.apply(case, "start", user=users.secretary)
    workflow.apply(case, "resolve", user=users.secretary, resolution="已协调商户清理纸箱")
    case = workflow.apply(case, "close", user=staff, reason="回访确认已清理")
    assert case.state == "closed"
    assert case.solved_level == "branch"
    assert case.closed_at is not None and case.resolved_at is not None
    assert case.resolution == "已协调商户清理纸箱"
    events = list(case.events.values_list("action", "from_state", "to_state", "actor_id"))
    assert events == [
        ("receive", "", "received", None),
        ("assign", "received", "assigned", staff.pk),
        ("start", "assigned", "in_progress", users.secretary.pk),
        ("resolve", "in_progress", "resolved", users.secretary.pk),
        ("close", "resolved", "closed", staff.pk),
    ]
    # The change log has every step with who and why.
    reasons = list(
        case.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[-1] == "核实结案: 回访确认已清理"
    assert case.history.order_by("-history_id").first().history_user == staff


def test_solved_on_the_visit_straight_from_received(cases_world, users):
    case = workflow.apply(
        cases_world.west, "resolve", user=users.secretary, resolution="走访时当场协调解决"
    )
    assert case.state == "resolved"


def test_an_invalid_transition_is_refused_naming_the_state_and_what_is_possible(cases_world, users):
    with pytest.raises(TransitionRefused) as refused:
        workflow.apply(cases_world.west, "close", user=users.staff)
    message = refused.value.message
    assert "已受理" in message and "核实结案" in message
    assert "派单" in message and "上报" in message  # what can be done now
    assert Case.objects.get(pk=cases_world.west.pk).state == "received"
    assert cases_world.west.events.count() == 1  # nothing written


def test_return_reopen_and_suspend_need_a_reason(cases_world, users):
    case = cases_world.west
    with pytest.raises(TransitionRefused, match="挂起的原因"):
        workflow.apply(case, "suspend", user=users.staff, reason="  ")
    workflow.apply(case, "resolve", user=users.staff, resolution="已处理")
    with pytest.raises(TransitionRefused, match="重启的原因"):
        workflow.apply(case, "reopen", user=users.staff)


def test_resolve_needs_to_say_how(cases_world, users):
    with pytest.raises(TransitionRefused, match="如何解决"):
        workflow.apply(cases_world.west, "resolve", user=users.staff)


def test_escalation_needs_a_reason_and_what_was_tried(cases_world, users):
    case = cases_world.west
    kanding = council(case.region)
    with pytest.raises(TransitionRefused, match="上报的原因"):
        workflow.apply(case, "escalate", user=users.secretary, tried="沟通两次", council=kanding)
    with pytest.raises(TransitionRefused, match="尝试"):
        workflow.apply(case, "escalate", user=users.secretary, reason="商户不配合", council=kanding)
    case = workflow.apply(
        case,
        "escalate",
        user=users.secretary,
        reason="商户不配合",
        tried="支部书记两次上门沟通",
        council=kanding,
    )
    assert (case.level, case.state, case.council) == ("council", "received", kanding)
    event = case.events.last()
    assert (event.from_level, event.to_level) == ("branch", "council")
    assert event.tried == "支部书记两次上门沟通" and event.reason == "商户不配合"


def test_escalation_to_a_council_needs_one_serving_the_case_area(cases_world, users, world):
    case = cases_world.west
    with pytest.raises(TransitionRefused, match="议事载体"):
        workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t")
    far = council(world.grid_e, name="大田路街委会")
    with pytest.raises(TransitionRefused, match="大田路街委会"):
        workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t", council=far)
    area = council(world.west, name="江宁片区街事会", kind="street_affairs")
    case = workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t", council=area)
    assert case.council == area
    assert [c.name for c in workflow.eligible_councils(case, users.staff)] == ["江宁片区街事会"]


def test_no_level_is_skipped_unless_urgent_with_a_reason(cases_world, users, fake_handoff):
    case = cases_world.west
    with pytest.raises(TransitionRefused) as refused:
        workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t", to_level="grid")
    assert "一级一级" in refused.value.message and "议事载体" in refused.value.message
    with pytest.raises(TransitionRefused, match="紧急"):
        workflow.apply(
            case, "escalate", user=users.staff, reason="r", tried="t", to_level="grid", urgent=True
        )
    case = workflow.apply(
        case,
        "escalate",
        user=users.staff,
        reason="路面塌陷",
        tried="已设置围挡",
        to_level="grid",
        urgent=True,
        urgent_reason="危及行人安全",
    )
    assert case.level == "grid" and case.is_urgent and case.urgent_reason == "危及行人安全"
    # Going down is not escalation.
    with pytest.raises(TransitionRefused, match="向上"):
        workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t", to_level="branch")
    # Returned: back where it came from (the branch, which the urgent case skipped past).
    case = workflow.apply(case, "return", user=users.staff, reason="属支部可协调事项")
    assert (case.level, case.state) == ("branch", "returned")


def test_escalation_to_the_district_sends_the_hand_off_in_the_same_transaction(
    cases_world, users, world, fake_handoff
):
    case = cases_world.west
    grid = council(world.grid_sw, name="康定网格会商", kind="grid")
    kanding = council(world.grid_sw)
    workflow.apply(case, "escalate", user=users.staff, reason="r1", tried="t1", council=kanding)
    case = workflow.apply(case, "escalate", user=users.grid, reason="r2", tried="t2", council=grid)
    assert case.level == "grid" and case.council == grid
    assert fake_handoff == []
    case = workflow.apply(case, "escalate", user=users.grid, reason="需区级部门处置", tried="会商")
    assert case.level == "district" and case.escalated_to_district_at is not None
    event = case.events.last()
    assert fake_handoff == [(case.pk, event.pk, "escalate")]
    # Nothing above the district.
    assert "escalate" not in workflow.allowed_actions(case, users.staff)
    with pytest.raises(TransitionRefused, match="最后一级"):
        workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t")


def test_a_failing_hand_off_undoes_the_escalation(cases_world, users, world, monkeypatch):
    module = types.ModuleType("jiequ.cases.handoff")

    def broken(case, event):
        raise RuntimeError("outbox down")

    module.send_to_district = broken
    monkeypatch.setitem(sys.modules, "jiequ.cases.handoff", module)
    case = cases_world.west
    Case.objects.filter(pk=case.pk).update(level="grid")
    with pytest.raises(RuntimeError):
        workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t")
    case.refresh_from_db()
    assert case.level == "grid" and case.escalated_to_district_at is None
    assert not case.events.filter(action="escalate").exists()


def test_the_real_hand_off_puts_a_message_in_the_outbox(cases_world, users):
    from jiequ.outbox.models import OutboxMessage

    case = cases_world.west
    Case.objects.filter(pk=case.pk).update(level="grid")
    workflow.apply(case, "escalate", user=users.staff, reason="需区城管执法", tried="网格会商两次")
    message = OutboxMessage.objects.get(case=case)
    assert message.channel == "district" and case.number in message.subject


def test_return_goes_down_one_level_and_restarts_the_clock(cases_world, users, world):
    case = cases_world.west
    with pytest.raises(TransitionRefused, match="第一级"):
        workflow.apply(case, "return", user=users.staff, reason="r")
    kanding = council(world.grid_sw)
    workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t", council=kanding)
    case = workflow.apply(case, "assign", user=users.staff, assignee=users.secretary)
    with pytest.raises(TransitionRefused, match="退回的原因"):
        workflow.apply(case, "return", user=users.staff)
    case = workflow.apply(case, "return", user=users.staff, reason="请支部先行协调")
    assert (case.level, case.state, case.assignee) == ("branch", "returned", None)


def test_suspended_time_does_not_count(cases_world, users, monkeypatch):
    freeze(monkeypatch, date(2026, 9, 28))  # Monday
    case = cases_world.west
    Case.objects.filter(pk=case.pk).update(due_on=date(2026, 9, 30), state="in_progress")
    case = workflow.apply(case, "suspend", user=users.staff, reason="等待产权单位答复")
    assert case.state == "suspended" and case.state_before_suspension == "in_progress"
    assert not case.is_overdue
    freeze(monkeypatch, date(2026, 10, 9))  # Friday after the National Day holiday
    case = workflow.apply(case, "resume", user=users.staff)
    # Suspended 29, 30 Sep, 8, 9 Oct = 4 working days, so the due date 30 Sep moves 4 working
    # days on: 8, 9, 10 (Saturday, worked), 12 October.
    assert case.state == "in_progress"
    assert case.due_on == date(2026, 10, 12)
    assert "4" in case.events.order_by("pk").last().reason
    assert case.state_before_suspension == "" and case.suspended_at is None


def test_reopening_a_closed_case_clears_its_result(cases_world, users):
    case = cases_world.west
    workflow.apply(case, "resolve", user=users.staff, resolution="已处理")
    workflow.apply(case, "close", user=users.staff)
    workflow.apply(case, "rate", actor_label="诉求人", rating=2, rating_comment="没有彻底解决")
    case = workflow.apply(case, "reopen", user=users.staff, reason="商户反映问题复现")
    assert case.state == "reopened"
    assert case.closed_at is None and case.solved_level == "" and case.rating is None
    assert case.due_on is not None


def test_only_the_reporter_rates_once_a_closed_case(cases_world, users):
    case = cases_world.west
    with pytest.raises(TransitionRefused):
        workflow.apply(case, "rate", actor_label="诉求人", rating=5)
    workflow.apply(case, "resolve", user=users.staff, resolution="已处理")
    workflow.apply(case, "close", user=users.staff)
    with pytest.raises(TransitionRefused, match="诉求人"):
        workflow.apply(case, "rate", user=users.staff, rating=5)
    with pytest.raises(TransitionRefused, match="1"):
        workflow.apply(case, "rate", actor_label="诉求人", rating=9)
    case = workflow.apply(case, "rate", actor_label="诉求人", rating=5, rating_comment="很满意")
    assert case.rating == 5 and case.rated_at is not None
    assert case.events.last().actor_label == "诉求人"
    with pytest.raises(TransitionRefused, match="已经评价"):
        workflow.apply(case, "rate", actor_label="诉求人", rating=4)


def test_assign_only_to_someone_who_may_handle_the_case(cases_world, users, party):
    case = cases_world.east  # 成都 branch, grid 大田
    with pytest.raises(TransitionRefused, match="无法办理"):
        workflow.apply(case, "assign", user=users.staff, assignee=users.secretary)
    with pytest.raises(TransitionRefused, match="无法办理"):
        workflow.apply(case, "assign", user=users.staff, assignee=users.district)
    case = workflow.apply(case, "assign", user=users.staff, assignee=users.admin)
    assert case.assignee == users.admin
    people = workflow.assignable_users(cases_world.west)
    assert users.secretary in people and users.grid in people and users.district not in people


def test_who_may_act_at_each_level(cases_world, users, world, fake_handoff):
    case = cases_world.west
    assert workflow.allowed_actions(case, users.secretary)
    assert workflow.allowed_actions(case, users.district) == []
    with pytest.raises(TransitionRefused, match="不能办理"):
        workflow.apply(case, "start", user=users.district)
    Case.objects.filter(pk=case.pk).update(level="grid")
    case.refresh_from_db()
    # A secretary follows the case up the chain but the grid consultation handles it.
    assert workflow.allowed_actions(case, users.secretary) == []
    with pytest.raises(TransitionRefused, match="网格会商"):
        workflow.apply(case, "start", user=users.secretary)
    assert "start" in workflow.allowed_actions(case, users.grid)
    # Out of scope: the neighbour's admin cannot act at all.
    with pytest.raises(TransitionRefused):
        workflow.apply(case, "start", user=users.other_admin)


def test_an_action_chosen_on_an_older_page_is_refused(cases_world, users):
    case = cases_world.west
    seen = case.updated_at.isoformat()
    workflow.apply(case, "assign", user=users.staff, assignee=users.secretary)
    with pytest.raises(workflow.StaleCase) as refused:
        workflow.apply(case, "resolve", user=users.grid, resolution="已处理", loaded_at=seen)
    assert "派单" in refused.value.message and "已派单" in refused.value.message
    assert Case.objects.get(pk=case.pk).state == "assigned"
    fresh = Case.objects.get(pk=case.pk).updated_at.isoformat()
    case = workflow.apply(case, "resolve", user=users.grid, resolution="已处理", loaded_at=fresh)
    assert case.state == "resolved"


def test_the_district_platform_acts_without_an_account(cases_world, users, fake_handoff):
    case = cases_world.west
    Case.objects.filter(pk=case.pk).update(level="grid")
    workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t")
    case = workflow.apply(case, "return", actor_label="区城运平台", reason="属街道职责")
    assert (case.level, case.state) == ("grid", "returned")
    event = CaseEvent.objects.filter(case=case).last()
    assert event.actor is None and event.actor_label == "区城运平台"
    assert event.actor_name == "区城运平台"


def test_returned_from_the_grid_goes_back_to_its_council(cases_world, users, world):
    case = cases_world.west
    kanding = council(world.grid_sw)
    grid = council(world.grid_sw, name="康定网格会商", kind="grid")
    workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t", council=kanding)
    case = workflow.apply(case, "escalate", user=users.staff, reason="r", tried="t", council=grid)
    assert case.council == grid
    case = workflow.apply(case, "return", user=users.staff, reason="议事载体可协调")
    assert (case.level, case.council) == ("council", kanding)
