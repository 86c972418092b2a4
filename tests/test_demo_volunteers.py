"""The demo's service points and standing volunteer pool (the seed: 500+ volunteers).

The demo is built once for the module (inside a transaction rolled back at the end).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from jiequ.accounts.models import User
from jiequ.areas.models import Region
from jiequ.areas.services import find_grid
from jiequ.core import crypto
from jiequ.core.scoping import restrict
from jiequ.demo.builder import build_demo
from jiequ.volunteers import pool
from jiequ.volunteers.models import (
    ServicePoint,
    SignupState,
    TaskSignup,
    Volunteer,
    VolunteerCode,
    VolunteerTask,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_demo()
            sub = Region.objects.get(code="310106011")
            yield sub
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_points_on_the_map_with_offers_and_hours(demo):
    points = ServicePoint.objects.filter(region__path__startswith=demo.path)
    kinds = Counter(points.filter(is_active=True).values_list("kind", flat=True))
    assert kinds == {"meal_point": 4, "rider_station": 3, "other": 1}
    assert points.filter(is_active=False).count() == 1
    for p in points:
        assert find_grid(p.lat, p.lon, within=demo) == p.region, p.name
        assert p.offers and p.hours and p.address.startswith("上海市静安区")
    meal = points.filter(kind="meal_point", is_active=True)
    assert all(p.host_entity_id and "hot_meal" in p.offers for p in meal)
    # The demo grid worker has a station in their grid, and only that one.
    grid = User.objects.get(username="grid")
    assert [p.name for p in restrict(ServicePoint.objects.all(), grid)] == ["新闸路小哥加油站"]
    assert VolunteerCode.objects.filter(point__isnull=True).count() == 3  # one per area


def test_500_plus_volunteers_in_a_growing_pool(demo):
    volunteers = Volunteer.objects.filter(region__path__startswith=demo.path)
    assert volunteers.count() == 600
    months = pool.pool_months(volunteers, 12)
    assert months[-1].pool >= 500
    assert months[0].pool < months[6].pool < months[-1].pool
    states = Counter(volunteers.values_list("state", flat=True))
    assert states == {"active": 540, "withdrawn": 25, "inactive": 20, "pending": 15}


def test_realistic_workers_with_test_phone_numbers(demo):
    volunteers = Volunteer.objects.exclude(state="withdrawn")
    occupations = Counter(volunteers.values_list("occupation", flat=True))
    assert occupations.most_common(2)[0][0] == "rider" and occupations["livestreamer"] > 10
    platforms = set(volunteers.values_list("platform", flat=True))
    assert {"meituan", "eleme", "sf", "jd", "didi", "douyin"} <= platforms
    riders = volunteers.filter(occupation="rider")
    assert set(riders.values_list("platform", flat=True)) <= {
        "meituan",
        "eleme",
        "shansong",
        "dada",
    }
    for v in volunteers:
        phone = crypto.decrypt(v.phone_encrypted)
        assert phone.startswith("+861380013") and len(phone) == 14
        assert v.phone_hash == crypto.lookup_hash(phone) and v.skills and v.availability
        assert v.consent_text.startswith("我同意") and v.name
    assert len(set(volunteers.values_list("name", flat=True))) == volunteers.count()


def test_withdrawn_volunteers_keep_hours_without_details(demo):
    gone = Volunteer.objects.filter(state="withdrawn")
    assert not gone.exclude(name="").exists() and not gone.exclude(phone_encrypted="").exists()
    assert not Volunteer.history.filter(id__in=gone.values("pk")).exclude(name="").exists()
    assert TaskSignup.objects.filter(volunteer__in=gone, state="served").exists()


def test_a_year_of_tasks_and_confirmed_hours(demo):
    tasks = VolunteerTask.objects.filter(region__path__startswith=demo.path)
    assert tasks.count() >= 250
    today = timezone.localdate()
    first = timezone.localtime(tasks.order_by("starts_at").first().starts_at).date()
    assert first <= today - dt.timedelta(days=330)
    assert tasks.filter(starts_at__gt=timezone.now()).exists()  # some still to come
    assert set(tasks.values_list("kind", flat=True)) >= {"road_safety", "point_duty", "emergency"}
    served = TaskSignup.objects.filter(state=SignupState.SERVED)
    assert served.count() > 1000
    assert not served.filter(hours__isnull=True).exists()
    assert not served.filter(confirmed_by__isnull=True).exists()
    # No task holds more volunteers than its places.
    for task in tasks.filter(starts_at__gt=timezone.now() - dt.timedelta(days=60)):
        assert task.taken <= task.places
    # The last days' hours wait for staff; some were reported by the volunteers.
    waiting = TaskSignup.objects.filter(state="assigned", task__starts_at__lt=timezone.now())
    assert waiting.exists() and waiting.filter(reported_hours__isnull=False).exists()


def test_clear_removes_everything_of_ours(demo):
    from jiequ.demo.volunteers import clear_volunteers

    clear_volunteers()
    assert not ServicePoint.objects.exists() and not Volunteer.objects.exists()
    assert not VolunteerTask.objects.exists() and not TaskSignup.objects.exists()
