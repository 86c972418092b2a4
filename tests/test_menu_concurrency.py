"""Members pressing "sign up" for the last places at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from jiequ.positions import menu
from jiequ.positions.models import SignUp

from .factories import MemberFactory
from .factories_positions import ActivityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_six_sign_ups_for_two_places_give_two_places_and_four_waiting(party, users):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    activity = ActivityFactory(organiser=party.committee, capacity=2)
    members = MemberFactory.create_batch(6, organisation=party.west)
    barrier = threading.Barrier(len(members))
    errors = []

    def press(member):
        try:
            with translation.override("zh-hans"):
                barrier.wait()
                menu.sign_up(activity, member, users.staff)
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    states = list(SignUp.objects.filter(activity=activity).values_list("state", flat=True))
    assert sorted(states) == ["confirmed"] * 2 + ["waiting"] * 4


def test_a_cancellation_and_a_sign_up_together_keep_the_count(party, users):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    activity = ActivityFactory(organiser=party.committee, capacity=1)
    first, waiting, late = MemberFactory.create_batch(3, organisation=party.west)
    place = menu.sign_up(activity, first, users.staff)
    menu.sign_up(activity, waiting, users.staff)
    barrier = threading.Barrier(2)

    def cancel():
        barrier.wait()
        menu.cancel(place, users.staff)
        connections.close_all()

    def join():
        barrier.wait()
        menu.sign_up(activity, late, users.staff)
        connections.close_all()

    threads = [threading.Thread(target=cancel), threading.Thread(target=join)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    confirmed = SignUp.objects.filter(activity=activity, state="confirmed")
    assert confirmed.count() == 1
    # The one waiting longest got the freed place whichever came first.
    assert confirmed.get().member == waiting
