"""The daily reminder: one message per person, through the outbox, once a day."""

from datetime import date

import pytest
from django.core.management import call_command

from jiequ.accounts.roles import Role
from jiequ.cases import workflow
from jiequ.cases.models import Case

from .factories import UserFactory
from .factories_cases import build_cases_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_world(world, users, party):
    return build_cases_world(world, party)


TODAY = date(2026, 10, 9)  # Friday; the next working day is Saturday 10 October (worked)


@pytest.fixture
def outbox(monkeypatch):
    """Records what the command puts in the outbox (and keeps the real idempotency)."""
    from jiequ.outbox import services

    sent = []
    real = services.enqueue

    def enqueue(channel, recipient, subject, payload, idempotency_key, **kwargs):
        message = real(channel, recipient, subject, payload, idempotency_key, **kwargs)
        sent.append((channel, recipient, subject, payload, idempotency_key))
        return message

    monkeypatch.setattr(services, "enqueue", enqueue)
    return sent


def test_one_message_per_person_with_overdue_and_due_soon(cases_world, users, outbox):
    w = cases_world
    workflow.apply(w.west, "assign", user=users.staff, assignee=users.grid)
    Case.objects.filter(pk=w.west.pk).update(due_on=date(2026, 10, 8))  # overdue
    Case.objects.filter(pk=w.group.pk).update(due_on=date(2026, 10, 10))  # unassigned, soon
    Case.objects.filter(pk=w.east.pk).update(due_on=date(2026, 10, 12))  # not yet
    text = call_command("case_reminders", date=TODAY)
    by_person = {recipient: (subject, payload) for _c, recipient, subject, payload, _k in outbox}
    assert set(by_person) == {users.grid.username, users.secretary.username}
    subject, payload = by_person[users.grid.username]
    assert [c["number"] for c in payload["overdue"]] == [w.west.number]
    assert payload["overdue"][0]["working_days_late"] == 1
    assert payload["due_soon"] == []
    assert "逾期 1 件" in subject
    subject, payload = by_person[users.secretary.username]
    assert [c["number"] for c in payload["due_soon"]] == [w.group.number]
    assert all(channel == "notice" for channel, *_rest in outbox)
    assert outbox[0][4] == f"case-reminder-{outbox[0][1]}-2026-10-09"
    assert "诉求办理提醒" in text


def test_running_twice_a_day_sends_once(cases_world, users, outbox):
    from jiequ.outbox.models import OutboxMessage

    Case.objects.filter(pk=cases_world.west.pk).update(due_on=date(2026, 10, 8))
    call_command("case_reminders", date=TODAY)
    call_command("case_reminders", date=TODAY)
    assert OutboxMessage.objects.filter(channel="notice").count() == 1
    call_command("case_reminders", date=date(2026, 10, 10))
    assert OutboxMessage.objects.filter(channel="notice").count() == 2


def test_unassigned_grid_cases_go_to_the_grid_workers(cases_world, users, world, outbox):
    other_grid_worker = UserFactory(role=Role.GRID_WORKER, scope_region=world.grid_e)
    Case.objects.filter(pk=cases_world.west.pk).update(level="grid", due_on=date(2026, 10, 1))
    Case.objects.filter(pk=cases_world.east.pk).update(state="suspended", due_on=date(2026, 10, 1))
    call_command("case_reminders", date=TODAY)
    recipients = {recipient for _c, recipient, *_rest in outbox}
    assert recipients == {users.grid.username}
    assert other_grid_worker.username not in recipients  # the east case is suspended


def test_nothing_due_sends_nothing(cases_world, outbox):
    text = call_command("case_reminders", date=date(2026, 11, 2))
    assert outbox == [] and "没有逾期" in text
