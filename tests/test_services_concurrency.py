"""Two people at the same moment (PostgreSQL: real concurrent transactions): taking the last
places of a resource, and signing up the same phone as a talent. Neither ever doubles."""

import threading

import pytest
from django.db import connection, connections

from jiequ.services import projects as domain
from jiequ.services import talents
from jiequ.services.models import ProjectResource, Talent
from tests.factories_services import ProjectFactory, ResourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(work, n=2):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(work(i))
        except domain.SupplyError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_projects_taking_the_last_places_get_them_once(world, party):
    dept = {"department_kind": "party_mass", "department_name": "党群服务中心"}
    resource = ResourceFactory(region=world.ours, quantity=5, **dept)
    projects = [ProjectFactory(region=world.ours, **dept) for _ in range(2)]
    results, errors = at_once(lambda i: domain.allocate(projects[i], resource, 4))
    assert len(results) == 1 and len(errors) == 1
    assert "仅剩1场" in str(errors[0])
    assert sum(a.quantity for a in ProjectResource.objects.all()) == 4


def test_the_same_phone_signing_up_twice_at_once_makes_one_entry(world):
    def sign_up(i):
        data = talents.TalentData(
            name=f"同一人{i}",
            phone="+8613912345678",
            skills="摄影",
            category="publicity",
            occupation="",
            region=world.west,
            consent_text="本人同意",
        )
        return talents.sign_up(data)[1]

    results, _errors = at_once(sign_up)
    assert sorted(results) == [False, True]
    assert Talent.objects.count() == 1
