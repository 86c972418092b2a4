"""Survey rounds: walk lists by grid, the phone visit form, progress, the not-visited list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.accounts.roles import Role
from jiequ.ledger import rounds
from jiequ.ledger.models import Entity, EntityState, Visit, VisitAssignment

from .factories import EntityFactory, UserFactory


@pytest.fixture
def team(world, users):
    """Two grid workers share grid_sw; grid_nw has none; users.grid is also in grid_sw."""
    return {
        "second": UserFactory(role=Role.GRID_WORKER, scope_region=world.grid_sw),
        "east": UserFactory(role=Role.GRID_WORKER, scope_region=world.grid_e),
    }


@pytest.fixture
def shops(world):
    return [
        EntityFactory(region=world.grid_sw, name=f"康定{i}号店", number=f"{i}号", road=world.road)
        for i in range(1, 7)
    ] + [
        EntityFactory(region=world.grid_nw, name="昌平店"),
        EntityFactory(region=world.grid_e, name="大田店"),
        EntityFactory(region=world.grid_e, name="已关店", state=EntityState.CLOSED),
    ]


def test_open_round_shares_entities_out_by_grid(world, users, team, shops):
    survey_round = rounds.open_round(world.ours, timezone.localdate() + dt.timedelta(days=14))
    assert survey_round.number == 1
    by_visitor = {}
    for a in survey_round.assignments.select_related("entity", "visitor"):
        by_visitor.setdefault(a.visitor, []).append(a.entity.name)
    # grid_sw's six shops split evenly between its two grid workers, in walk order
    assert sorted(len(v) for k, v in by_visitor.items() if k in (users.grid, team["second"])) == [
        3,
        3,
    ]
    assert by_visitor[team["east"]] == ["大田店"]  # the closed shop is not visited again
    assert by_visitor[None] == ["昌平店"]  # no grid worker in grid_nw: a visible gap
    assert rounds.open_round(world.ours, timezone.localdate()).number == 2


def test_walk_list_is_in_street_order(world, users, team, shops):
    rounds.open_round(world.ours, timezone.localdate() + dt.timedelta(days=14))
    mine = [a.entity.number for a in VisitAssignment.objects.filter(visitor=users.grid)]
    assert mine  # odd numbers first (one side of the street), then even
    odd = [int(n[:-1]) % 2 for n in mine]
    assert odd == sorted(odd, reverse=True)


def test_visit_form_records_and_refreshes_the_ledger(world, users, team, shops, login):
    survey_round = rounds.open_round(world.ours, timezone.localdate() + dt.timedelta(days=14))
    assignment = VisitAssignment.objects.filter(visitor=users.grid).first()
    entity = assignment.entity
    client = login(users.grid)
    response = client.post(
        reverse("ledger:entity_visit", args=[entity.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "state_found": "operating",
            "worker_count": 12,
            "members_met": 1,
            "contact_name": "王老板",
            "contact_phone": "13812345678",
            "consent": "on",
            "demands": "门口停车难",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(entity=entity)
    assert visit.round == survey_round and visit.visitor == users.grid
    assert visit.contact_phone == "+8613812345678" and visit.contact_phone_masked == "138****5678"
    assert "13812345678" not in visit.contact_phone_encrypted
    assignment.refresh_from_db()
    assert assignment.visit == visit
    entity.refresh_from_db()
    assert entity.worker_count == 12
    page = client.get(reverse("ledger:entity_detail", args=[entity.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_contact_details_need_consent(world, users, shops, login):
    client = login(users.grid)
    entity = shops[0]
    response = client.post(
        reverse("ledger:entity_visit", args=[entity.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "state_found": "operating",
            "worker_count": 5,
            "members_met": 0,
            "contact_name": "李四",
        },
    )
    assert response.status_code == 200
    assert "同意" in str(response.context["form"].errors["consent"])
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("contact_phone", "14012345678", "不存在"),
        ("members_met", "99", "党员数"),
        ("visited_on", "2999-01-01", "不能晚于今天"),
    ],
)
def test_visit_form_rejects_bad_values(world, users, shops, login, field, value, expected):
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "state_found": "operating",
        "worker_count": 5,
        "members_met": 0,
        "consent": "on",
        field: value,
    }
    response = login(users.grid).post(reverse("ledger:entity_visit", args=[shops[0].pk]), data)
    assert expected in str(response.context["form"].errors)
    assert not Visit.objects.exists()


def test_visitor_cannot_visit_outside_their_grid(world, users, shops, login):
    outside = Entity.objects.get(name="大田店")
    response = login(users.grid).get(reverse("ledger:entity_visit", args=[outside.pk]))
    assert response.status_code == 404


def test_progress_per_grid_and_visitor_with_overdue(world, users, team, shops):
    start = timezone.localdate() - dt.timedelta(days=20)
    survey_round = rounds.open_round(world.ours, start + dt.timedelta(days=13), opened_on=start)
    first = VisitAssignment.objects.filter(visitor=users.grid).first()
    rounds.record_visit(
        first.entity, users.grid, visited_on=start, state_found="operating", worker_count=3
    )
    total, by_grid, by_visitor = rounds.round_progress(survey_round)
    assert (total.due, total.visited, total.overdue, total.unassigned) == (8, 1, 7, 1)
    grid_row = next(r for r in by_grid if r.label == "康定网格")
    assert (grid_row.due, grid_row.visited) == (6, 1)
    mine = next(r for r in by_visitor if r.label == users.grid.display_name)
    assert (mine.due, mine.visited, mine.overdue) == (3, 1, 2)


def test_round_pages(world, users, team, shops, login):
    client = login(users.staff)
    response = client.post(
        reverse("ledger:round_add"),
        {"due_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat()},
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.context["total"].due == 8
    past = client.post(reverse("ledger:round_add"), {"due_on": "2000-01-01"})
    assert "不能早于今天" in str(past.context["form"].errors["due_on"])
    assert login(users.grid).post(reverse("ledger:round_add"), {}).status_code == 403


def test_not_visited_in_the_last_two_rounds(world, users, team, shops, login):
    r1 = rounds.open_round(world.ours, timezone.localdate())
    r2 = rounds.open_round(world.ours, timezone.localdate())
    for survey_round in (r1, r2):
        for a in survey_round.assignments.exclude(entity__name="康定1号店"):
            rounds.record_visit(
                a.entity,
                users.grid,
                visited_on=timezone.localdate(),
                state_found="operating",
                worker_count=5,
                survey_round=survey_round,
            )
    page = login(users.staff).get(reverse("ledger:entity_list"), {"not_visited": "true"})
    assert {o.name for o, _c in page.context["rows"]} == {"康定1号店"}


def test_district_sees_no_visit_records_with_contact_people(world, users, shops, login):
    rounds.record_visit(
        shops[0],
        users.grid,
        visited_on=timezone.localdate(),
        state_found="operating",
        worker_count=5,
        contact_name="王老板",
        contact_phone="+8613812345678",
        consent=True,
    )
    page = login(users.district).get(reverse("ledger:entity_detail", args=[shops[0].pk]))
    assert page.status_code == 200 and "王老板" not in page.content.decode()
    staff_page = login(users.staff).get(reverse("ledger:entity_detail", args=[shops[0].pk]))
    assert "王老板" in staff_page.content.decode()
