"""Instructor posts: list, post an instructor (a member or a cadre), end a post; scope."""

import datetime

import pytest
from django.urls import reverse

from jiequ.coverage.models import InstructorPost
from jiequ.coverage.status import Status, status_of

from .factories import CadreFactory, EntityFactory
from .factories_coverage import InstructorPostFactory

TODAY = datetime.date.today()


@pytest.fixture
def shop(world):
    return EntityFactory(name="康定面馆", region=world.grid_sw, is_street_shop=True)


@pytest.fixture
def cadre(world):
    return CadreFactory(name="王监管", subdistrict=world.ours)


def add(client, **data):
    data.setdefault("started_on", TODAY.isoformat())
    return client.post(reverse("coverage:instructor_add"), data)


def test_staff_post_a_member_and_the_entity_gains_work_coverage(shop, party, users, login):
    client = login(users.staff)
    assert client.get(reverse("coverage:instructor_add")).status_code == 200
    member = party.west_members[0]
    response = add(client, entity=shop.pk, member=member.pk)
    assert response.status_code == 302
    post = InstructorPost.objects.get()
    assert (post.entity, post.member, post.cadre) == (shop, member, None)
    assert post.history.count() == 1
    assert status_of(shop) == Status.WORK
    listing = client.get(reverse("coverage:instructor_list")).content.decode()
    assert member.name in listing and "康定面馆" in listing


def test_post_a_cadre(shop, cadre, users, login):
    assert add(login(users.staff), entity=shop.pk, cadre=cadre.pk).status_code == 302
    assert InstructorPost.objects.get().cadre == cadre


def test_neither_or_both_is_refused_in_chinese(shop, cadre, party, users, login):
    client = login(users.staff)
    response = add(client, entity=shop.pk)
    assert response.status_code == 200
    assert "请选择指导员" in response.content.decode()
    response = add(client, entity=shop.pk, member=party.west_members[0].pk, cadre=cadre.pk)
    assert "不能同时" in response.content.decode()
    assert not InstructorPost.objects.exists()


def test_the_same_person_twice_is_refused(shop, party, users, login):
    member = party.west_members[0]
    InstructorPostFactory(entity=shop, member=member)
    response = add(login(users.staff), entity=shop.pk, member=member.pk)
    assert response.status_code == 200
    assert "已经是" in response.content.decode()
    assert InstructorPost.objects.count() == 1


def test_entity_and_member_must_be_in_scope(world, party, users, login):
    foreign = EntityFactory(name="威海面馆", region=world.other_grid)
    client = login(users.staff)
    response = add(client, entity=foreign.pk, member=party.west_members[0].pk)
    assert response.status_code == 200
    assert not InstructorPost.objects.exists()
    shop = EntityFactory(name="康定面馆", region=world.grid_sw)
    response = add(client, entity=shop.pk, member=party.other_members[0].pk)
    assert response.status_code == 200
    assert not InstructorPost.objects.exists()


def test_end_a_post(shop, party, users, login):
    post = InstructorPostFactory(entity=shop, member=party.west_members[0])
    client = login(users.staff)
    url = reverse("coverage:instructor_end", args=[post.pk])
    assert client.get(url).status_code == 200
    yesterday = TODAY - datetime.timedelta(days=1)
    response = client.post(url, {"ended_on": yesterday.isoformat()})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.ended_on == yesterday
    assert post.history.first().history_change_reason == "Instructor post ended"
    assert status_of(shop) == Status.NONE


def test_a_post_cannot_end_before_it_began(shop, party, users, login):
    post = InstructorPostFactory(entity=shop, member=party.west_members[0], started_on=TODAY)
    response = login(users.staff).post(
        reverse("coverage:instructor_end", args=[post.pk]),
        {"ended_on": (TODAY - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert "开始之前" in response.content.decode()
    post.refresh_from_db()
    assert post.ended_on is None


def test_bad_date_is_a_message_not_an_error(shop, party, users, login):
    post = InstructorPostFactory(entity=shop, member=party.west_members[0])
    response = login(users.staff).post(
        reverse("coverage:instructor_end", args=[post.pk]), {"ended_on": "not a date"}
    )
    assert response.status_code == 400


def test_list_filters_current(shop, party, users, login):
    InstructorPostFactory(entity=shop, member=party.west_members[0])
    InstructorPostFactory(
        entity=shop, member=party.west_members[1], ended_on=TODAY - datetime.timedelta(days=5)
    )
    client = login(users.staff)
    current = client.get(reverse("coverage:instructor_list") + "?current=true")
    assert [p.member for p, _c in current.context["posts"]] == [party.west_members[0]]


def test_scope_of_the_list(world, shop, party, users, login):
    InstructorPostFactory(entity=shop, member=party.west_members[0])
    east = EntityFactory(name="大田面馆", region=world.grid_e)
    InstructorPostFactory(entity=east, member=party.east_members[0])

    def seen(user):
        response = login(user).get(reverse("coverage:instructor_list"))
        assert response.status_code == 200
        return {p.entity.name for p, _c in response.context["posts"]}

    assert seen(users.staff) == {"康定面馆", "大田面馆"}
    assert seen(users.grid) == {"康定面馆"}
    assert seen(users.secretary) == {"康定面馆"}
    assert seen(users.other_admin) == set()


def test_district_reads_figures_not_instructors(shop, party, users, login):
    InstructorPostFactory(entity=shop, member=party.west_members[0])
    client = login(users.district)
    assert client.get(reverse("coverage:instructor_list")).status_code == 403
    assert client.get(reverse("coverage:overview")).status_code == 200


def test_who_may_post_and_end(shop, party, users, login):
    post = InstructorPostFactory(entity=shop, member=party.west_members[0])
    for user in (users.grid, users.secretary, users.member):
        client = login(user)
        assert client.get(reverse("coverage:instructor_add")).status_code == 403
        response = client.post(
            reverse("coverage:instructor_end", args=[post.pk]), {"ended_on": TODAY.isoformat()}
        )
        assert response.status_code == 403
    # The neighbouring admin may end posts, but not this one.
    response = login(users.other_admin).post(
        reverse("coverage:instructor_end", args=[post.pk]), {"ended_on": TODAY.isoformat()}
    )
    assert response.status_code == 404
    post.refresh_from_db()
    assert post.ended_on is None
