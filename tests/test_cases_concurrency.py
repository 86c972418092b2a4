"""Two people acting on one case at the same moment (PostgreSQL: real concurrent transactions).

Run with DATABASE_URL=postgres://… ; SQLite serialises writers, so these are skipped there.
"""

import threading

import pytest
from django.db import connection, connections

from jiequ.cases import workflow
from jiequ.cases.models import Case, CaseEvent

from .factories_cases import build_cases_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cases_world(world, users, party):
    return build_cases_world(world, party)


def together(*jobs):
    """Run the jobs in threads released at the same instant; returns (results, refusals)."""
    barrier = threading.Barrier(len(jobs))
    results, refusals, errors = [], [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except workflow.TransitionRefused as exc:
            refusals.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results, refusals


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


def test_two_actions_at_once_are_serialised_and_neither_is_lost(postgresql, cases_world, users):
    """Without a page version (e.g. the API without loaded_at) both apply, one after the other:
    the second reads the state the first left (either order is a valid path)."""
    case = cases_world.west
    results, refusals = together(
        lambda: workflow.apply(case.pk, "assign", user=users.staff, assignee=users.grid),
        lambda: workflow.apply(case.pk, "start", user=users.secretary),
    )
    assert len(results) == 2 and refusals == []
    case.refresh_from_db()
    events = list(CaseEvent.objects.filter(case=case).order_by("pk"))
    assert [e.action for e in events][0] == "receive"
    assert sorted(e.action for e in events[1:]) == ["assign", "start"]
    # Each step started from the state the one before left: the chain is unbroken.
    assert events[1].from_state == "received"
    assert events[2].from_state == events[1].to_state
    assert case.state == events[2].to_state
    assert case.history.count() == 3


def test_two_people_resolving_from_the_same_page(postgresql, cases_world, users):
    case = cases_world.west
    seen = Case.objects.get(pk=case.pk).updated_at.isoformat()
    results, refusals = together(
        lambda: workflow.apply(
            case.pk, "resolve", user=users.secretary, resolution="甲的处理", loaded_at=seen
        ),
        lambda: workflow.apply(
            case.pk, "suspend", user=users.grid, reason="乙要挂起", loaded_at=seen
        ),
    )
    assert len(results) == 1 and len(refusals) == 1
    assert isinstance(refusals[0], workflow.StaleCase)
    case.refresh_from_db()
    assert CaseEvent.objects.filter(case=case).count() == 2  # received + the one that won
    assert case.state in ("resolved", "suspended")


def test_the_same_submission_twice_at_once_makes_one_case(postgresql, world, party):
    from jiequ.cases import services

    from .factories_cases import category

    piles = category()

    def submit():
        return services.create_case(
            source="qr",
            category=piles,
            title="门口乱堆物",
            description="纸箱堆在人行道上",
            lat="31.2400",
            lon="121.4550",
            submission_key="same-form-twice",
        )

    results, refusals = together(submit, submit)
    assert refusals == [] and len(results) == 2
    assert {case.pk for case, _created in results} == {Case.objects.get().pk}
    assert sorted(created for _case, created in results) == [False, True]


def test_two_cases_recorded_at_once_get_different_numbers(postgresql, world, party):
    from .factories_cases import category, make_case

    piles = category()  # loaded before the threads start
    results, refusals = together(
        lambda: make_case(lat="31.2400", lon="121.4550", title="甲", category=piles),
        lambda: make_case(lat="31.2400", lon="121.4550", title="乙", category=piles),
    )
    assert refusals == [] and len(results) == 2
    assert len({case.number for case in results}) == 2
    assert Case.objects.count() == 2
