"""The district platform's answer: authenticated by its token, moves the case through the
workflow, harmless when repeated; refusals say why (Chinese first)."""

import pytest

from jiequ.cases import workflow
from jiequ.cases.models import CaseEvent, Level, State
from tests.test_cases_handoff import escalate, grid_case

TOKEN = "inbound-secret-token"


@pytest.fixture
def sent_up(world, users, settings):
    settings.JIEQU_DISTRICT_INBOUND_TOKEN = TOKEN
    settings.JIEQU_DISTRICT_PLATFORM_URL = ""  # the hand-off just waits in the outbox
    case = grid_case(world)
    return escalate(case, users.staff)


def answer(client, case_number, body, token=TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(
        f"/api/platform/cases/{case_number}/answer/",
        body,
        content_type="application/json",
        **headers,
    )


def test_accepted_then_resolved(client, sent_up):
    response = answer(client, sent_up.number, {"status": "accepted", "reference": "CY-77"})
    assert response.status_code == 200, response.content
    assert response.json()["changed"] is True
    sent_up.refresh_from_db()
    assert sent_up.state == State.IN_PROGRESS and sent_up.district_reference == "CY-77"
    response = answer(
        client, sent_up.number, {"status": "resolved", "resolution": "区城管联合执法，已清除"}
    )
    assert response.status_code == 200
    sent_up.refresh_from_db()
    assert sent_up.state == State.RESOLVED and sent_up.resolution == "区城管联合执法，已清除"
    event = sent_up.events.order_by("-pk").first()
    assert event.actor_label == "区城运平台" and event.actor is None


def test_the_same_answer_twice_is_harmless(client, sent_up):
    assert answer(client, sent_up.number, {"status": "accepted"}).json()["changed"] is True
    again = answer(client, sent_up.number, {"status": "accepted"})
    assert again.status_code == 200 and again.json()["changed"] is False
    assert CaseEvent.objects.filter(case=sent_up, action="start").count() == 1


def test_returned_goes_back_to_the_grid_once(client, sent_up):
    response = answer(client, sent_up.number, {"status": "returned", "reason": "属街道职责"})
    assert response.status_code == 200
    sent_up.refresh_from_db()
    assert sent_up.level == Level.GRID and sent_up.state == State.RETURNED
    again = answer(client, sent_up.number, {"status": "returned", "reason": "属街道职责"})
    assert again.status_code == 200 and again.json()["changed"] is False
    assert CaseEvent.objects.filter(case=sent_up, action="return").count() == 1


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x"])
def test_wrong_or_missing_token_is_401(client, sent_up, token):
    response = answer(client, sent_up.number, {"status": "accepted"}, token=token)
    assert response.status_code == 401
    sent_up.refresh_from_db()
    assert sent_up.state == State.RECEIVED


def test_no_inbound_token_configured_refuses_everyone(client, sent_up, settings):
    settings.JIEQU_DISTRICT_INBOUND_TOKEN = ""
    assert answer(client, sent_up.number, {"status": "accepted"}, token="").status_code == 401


def test_a_logged_in_user_is_not_the_platform(client, sent_up, users):
    client.force_login(users.admin)
    assert answer(client, sent_up.number, {"status": "accepted"}, token=None).status_code == 401


def test_unknown_case_is_404(client, sent_up):
    assert answer(client, "19990101-0001", {"status": "accepted"}).status_code == 404


def test_invalid_move_is_409_with_the_reason(client, sent_up):
    answer(client, sent_up.number, {"status": "resolved", "resolution": "已处理"})
    response = answer(client, sent_up.number, {"status": "returned", "reason": "退回"})
    assert response.status_code == 409
    assert "不能" in response.json()["detail"]
    sent_up.refresh_from_db()
    assert sent_up.state == State.RESOLVED


def test_a_case_not_at_the_district_is_409(client, world, settings):
    settings.JIEQU_DISTRICT_INBOUND_TOKEN = TOKEN
    case = grid_case(world)
    response = answer(client, case.number, {"status": "accepted"})
    assert response.status_code == 409
    assert "不在区城运平台" in response.json()["detail"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"status": "done"}, "status"),
        ({"status": "resolved"}, "resolution"),
        ({"status": "returned", "reason": " "}, "reason"),
    ],
)
def test_bad_body_is_400(client, sent_up, body, field):
    response = answer(client, sent_up.number, body)
    assert response.status_code == 400
    assert field in response.json()


def test_not_json_is_400(client, sent_up):
    response = client.post(
        f"/api/platform/cases/{sent_up.number}/answer/",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )
    assert response.status_code == 400


def test_platform_answer_is_in_the_case_history(client, sent_up):
    answer(client, sent_up.number, {"status": "accepted", "reference": "CY-9"})
    reasons = list(sent_up.history.values_list("history_change_reason", flat=True))
    assert any(r and "区城运平台" in r for r in reasons)
    assert workflow.allowed_actions(sent_up)  # still a valid case for the workflow
