"""The demo subdistrict: complete, deterministic, and the command fills only an empty database.

Building the demo takes seconds, so one test builds it twice and checks everything on the way.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Building, Region, RegionLevel, Road
from jiequ.demo import geography
from jiequ.demo.builder import build_demo, clear
from jiequ.ledger.models import Entity, LinkState, RegistrySource, SurveyRound, Visit


def snapshot():
    return (
        list(Region.objects.order_by("path").values_list("path", "name")),
        list(Building.objects.order_by("name").values_list("name", "lat", "lon", "region__code")),
        list(
            Entity.objects.order_by("credit_code", "name", "sign_name").values_list(
                "name", "sign_name", "credit_code", "worker_count", "region__code"
            )
        ),
        Visit.objects.count(),
    )


@pytest.mark.django_db
def test_demo_command_builds_the_seed_subdistrict_deterministically():
    out = StringIO()
    call_command("demo", stdout=out)
    assert "sdadmin" in out.getvalue() and "jiequ-demo" in out.getvalue()

    sub = Region.objects.get(code="310106011")
    assert sub.name == "石门二路街道" and sub.parent.code == "310106"
    assert sub.descendants().filter(level=RegionLevel.AREA).count() == 3
    assert sub.descendants().filter(level=RegionLevel.GRID).count() == 10
    roads = set(Road.objects.filter(subdistrict=sub).values_list("name", flat=True))
    assert {"石门二路", "新闸路", "康定路", "江宁路", "北京西路", "南京西路", "南苏州路"} <= roads
    assert Building.objects.filter(subdistrict=sub).count() == len(geography.BUILDINGS) + 16
    # the seed's ledger: 2,063 entities, 389 of them street shops, 58,782 workers
    entities = Entity.objects.filter(region__path__startswith=sub.path)
    assert entities.count() == 2063
    assert entities.filter(is_street_shop=True).count() == 389
    assert sum(entities.values_list("worker_count", flat=True)) == 58782
    assert not entities.filter(member_count__gt=models.F("worker_count")).exists()
    # 7 completed rounds and the 8th under way; every grid has a grid worker
    assert SurveyRound.objects.filter(closed_on__isnull=False).count() == 7
    assert SurveyRound.objects.filter(closed_on__isnull=True).count() == 1
    assert Visit.objects.count() > 7 * 1900
    grids = sub.descendants().filter(level=RegionLevel.GRID)
    assert all(User.objects.filter(role=Role.GRID_WORKER, scope_region=g).exists() for g in grids)
    # one market-supervision extract reconciled, a second one imported with changes to review
    source = RegistrySource.objects.get()
    assert source.imports.count() == 2
    latest = source.imports.order_by("-created_at").first()
    assert latest.created and latest.updated and latest.removed
    linked = source.records.filter(link_state__in=[LinkState.AUTO, LinkState.CONFIRMED])
    assert linked.count() > 0.95 * source.records.count()
    # every role has a demo user
    assert set(User.objects.values_list("role", flat=True)) >= set(Role.values)

    first = snapshot()
    again = StringIO()
    call_command("demo", stdout=again)  # a database with data is left alone
    assert snapshot() == first and "sdadmin" in again.getvalue()

    clear()
    assert not Region.objects.exists() and not Entity.objects.exists()
    build_demo()
    assert snapshot() == first
