"""Two people closing the same meeting at the same moment apply its decisions once; two taps
on the same vote count once (PostgreSQL: real concurrent transactions)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from jiequ.cases.models import CaseEvent, Level
from jiequ.councils import meetings as service
from jiequ.councils import pulse
from jiequ.councils.models import Decision, DecisionKind, MeetingState, Task

from .factories_councils import councils_world, topic  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _together(work, n=2):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # noqa: BLE001 (collected for the assertions)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


def test_two_closes_at_once_apply_the_decisions_once(councils_world, users):  # noqa: F811
    _require_postgresql()
    w = councils_world
    m = service.plan_meeting(w.street, timezone.localdate(), user=users.staff)
    m.minutes = "纪要"
    m.save()
    m.present.set([w.owner])
    item = m.agenda.get()
    Decision.objects.create(
        meeting=m, agenda_item=item, kind=DecisionKind.ESCALATE, text="需部门会商", tried="已协调"
    )
    Decision.objects.create(
        meeting=m,
        agenda_item=item,
        kind=DecisionKind.TASK,
        title="跟进",
        text="跟进",
        owner_member=w.owner,
        due_on=timezone.localdate(),
    )
    results, errors = _together(lambda: service.close_meeting(m.pk, user=users.staff))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], service.MeetingError)
    assert "不会再次执行" in errors[0].message
    m.refresh_from_db()
    assert m.state == MeetingState.CLOSED
    assert CaseEvent.objects.filter(case=w.held, action="escalate").count() == 1
    w.held.refresh_from_db()
    assert w.held.level == Level.GRID
    assert Task.objects.count() == 1


def test_two_taps_on_one_vote_count_once(councils_world):  # noqa: F811
    _require_postgresql()
    t = topic(councils_world.board)
    results, errors = _together(lambda: pulse.vote(t, "the-same-browser"), n=4)
    assert not errors and sorted(results) == [False, False, False, True]
    t.refresh_from_db()
    assert t.votes == 1
