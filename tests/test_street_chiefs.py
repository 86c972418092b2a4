"""Street chiefs: one current chief per road, replaced with the previous post ending the day
before, with history; who sees and who assigns."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from jiequ.coverage import chiefs
from jiequ.coverage.models import StreetChief

from .factories import CadreFactory, EntityFactory
from .factories_planner import street_layout
from .test_browser import browser, page_as  # noqa: F401  (the browser test's fixtures)


@pytest.fixture
def layout(world):
    return street_layout(world, per_road=3)


@pytest.fixture
def cadre(world):
    return CadreFactory(name="市场所王所长", subdistrict=world.ours)


def test_roads_with_shop_counts_and_chiefs(world, party, layout):
    EntityFactory(region=world.grid_sw, road=layout.roads.nanjing, is_street_shop=False)
    closed = layout.nanjing[0]
    closed.state = "closed"
    closed.save()
    chiefs.assign(layout.roads.nanjing, member=party.west_members[0], started_on=date(2025, 1, 1))
    rows = {r.road.name: r for r in chiefs.roads_of(world.ours)}
    assert set(rows) == {"石门二路", "南京西路", "北京西路", "成都北路", "大田路"}
    assert rows["南京西路"].shops == 2 and rows["南京西路"].entities == 3
    assert rows["南京西路"].chief.member == party.west_members[0]
    assert rows["北京西路"].chief is None and rows["北京西路"].shops == 3


def test_replacing_ends_the_previous_post_the_day_before(world, party, layout, cadre):
    road = layout.roads.nanjing
    first = chiefs.assign(road, member=party.west_members[0], started_on=date(2025, 1, 1))
    second = chiefs.assign(road, cadre=cadre, started_on=date(2025, 6, 1))
    first.refresh_from_db()
    assert first.ended_on == date(2025, 5, 31) and second.ended_on is None
    assert chiefs.current_chief(road) == second
    assert first.history.first().history_change_reason == "replaced"


def test_one_current_chief_per_road_is_a_database_rule(world, party, layout, cadre):
    road = layout.roads.nanjing
    StreetChief.objects.create(road=road, cadre=cadre, started_on=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        StreetChief.objects.create(
            road=road, member=party.west_members[0], started_on=date(2025, 2, 1)
        )


def test_bad_assignments_are_refused_in_chinese(world, party, layout, cadre):
    road = layout.roads.nanjing
    chiefs.assign(road, cadre=cadre, started_on=date(2025, 3, 1))
    other_cadre = CadreFactory(name="隔壁街道干部", subdistrict=world.other)
    cases = [
        ({"member": party.west_members[0], "cadre": cadre}, "只能选其一"),
        ({}, "只能选其一"),
        ({"member": party.other_members[0]}, "本街道在册党员"),
        ({"cadre": other_cadre}, "在本街道任职"),
        ({"cadre": cadre}, "已是该路段的街长"),
    ]
    with translation.override("zh-hans"):
        for kwargs, message in cases:
            with pytest.raises(chiefs.ChiefError, match=message):
                chiefs.assign(road, started_on=date(2025, 4, 1), **kwargs)
        with pytest.raises(chiefs.ChiefError, match="须晚于现任街长"):
            chiefs.assign(road, member=party.west_members[0], started_on=date(2025, 3, 1))
    assert StreetChief.objects.count() == 1


def test_ending_a_post(world, party, layout, cadre):
    chief = chiefs.assign(layout.roads.nanjing, cadre=cadre, started_on=date(2025, 3, 1))
    with translation.override("zh-hans"), pytest.raises(chiefs.ChiefError, match="不能早于"):
        chiefs.end(chief, date(2025, 2, 1))
    chiefs.end(chief, date(2025, 9, 30))
    assert chiefs.current_chief(layout.roads.nanjing) is None


# Pages


def test_staff_assign_and_replace_on_the_page(world, users, party, layout, cadre, login):
    client = login(users.staff)
    response = client.get(reverse("coverage:chief_index"))
    assert response["Location"] == reverse("coverage:chief_list", args=[world.ours.pk])
    page = client.get(response["Location"]).content.decode()
    assert "南京西路" in page and "已设街长的道路：0 / 5 条" in page and "设置" in page
    url = reverse("coverage:chief_road", args=[layout.roads.nanjing.pk])
    member = party.west_members[0]
    response = client.post(url, {"member": member.pk, "started_on": "2025-01-01"}, follow=True)
    page = response.content.decode()
    assert f"{member.name}自 2025-01-01 起担任南京西路街长" in page
    response = client.post(url, {"cadre": cadre.pk, "started_on": "2025-07-01"}, follow=True)
    page = response.content.decode()
    assert "市场所王所长" in page and "2025-06-30" in page
    assert StreetChief.objects.filter(road=layout.roads.nanjing).count() == 2
    page = client.get(reverse("coverage:chief_list", args=[world.ours.pk])).content.decode()
    assert "已设街长的道路：1 / 5 条" in page and "市场所王所长" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"started_on": "2025-01-01"}, "只能选其一"),
        ({"member": "MEMBER", "cadre": "CADRE", "started_on": "2025-01-01"}, "只能选其一"),
        ({"cadre": "CADRE"}, "请填写任职开始日期"),
        ({"cadre": "CADRE", "started_on": "2025-13-01"}, "2025-03-01 的格式"),
        ({"cadre": "99999", "started_on": "2025-01-01"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_on_the_page_gives_a_chinese_message(
    users, party, layout, cadre, login, data, message
):
    data = {
        k: {"MEMBER": party.west_members[0].pk, "CADRE": cadre.pk}.get(v, v)
        for k, v in data.items()
    }
    url = reverse("coverage:chief_road", args=[layout.roads.nanjing.pk])
    response = login(users.staff).post(url, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not StreetChief.objects.exists()


def test_end_a_post_on_the_page(users, party, layout, cadre, login):
    chief = chiefs.assign(layout.roads.nanjing, cadre=cadre, started_on=date(2025, 3, 1))
    client = login(users.staff)
    url = reverse("coverage:chief_end", args=[chief.pk])
    page = client.post(url, {"ended_on": "2025-01-01"}, follow=True).content.decode()
    assert "不能早于开始日期" in page
    page = client.post(url, {"ended_on": "2025-08-31"}, follow=True).content.decode()
    assert "任职已结束" in page and "该路段没有街长" in page
    chief.refresh_from_db()
    assert chief.ended_on == date(2025, 8, 31)


def test_secretary_and_grid_worker_read_but_do_not_assign(world, users, party, layout, login):
    chief = chiefs.assign(
        layout.roads.nanjing, member=party.west_members[0], started_on=date(2025, 1, 1)
    )
    for who in (users.secretary, users.grid):
        client = login(who)
        page = client.get(reverse("coverage:chief_list", args=[world.ours.pk])).content.decode()
        assert "南京西路" in page and "更换" not in page
        url = reverse("coverage:chief_road", args=[layout.roads.nanjing.pk])
        assert "设置街长" not in client.get(url).content.decode()
        assert client.post(url, {"member": party.west_members[1].pk}).status_code == 403
        assert client.post(reverse("coverage:chief_end", args=[chief.pk])).status_code == 403
    assert StreetChief.objects.count() == 1


def test_district_sees_chiefs_but_not_member_names(world, users, party, layout, cadre, login):
    member = party.west_members[0]
    chiefs.assign(layout.roads.nanjing, member=member, started_on=date(2025, 1, 1))
    chiefs.assign(layout.roads.beijing, cadre=cadre, started_on=date(2025, 1, 1))
    client = login(users.district)
    page = client.get(reverse("coverage:chief_index")).content.decode()
    assert "石门二路街道" in page and "南京西路街道" in page
    page = client.get(reverse("coverage:chief_list", args=[world.ours.pk])).content.decode()
    assert member.name not in page and "一名党员" in page and "市场所王所长" in page


def test_neighbour_admin_cannot_reach_our_roads(world, users, party, layout, login):
    client = login(users.other_admin)
    assert client.get(reverse("coverage:chief_list", args=[world.ours.pk])).status_code == 404
    url = reverse("coverage:chief_road", args=[layout.roads.nanjing.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"member": party.west_members[0].pk}).status_code == 404
    assert not StreetChief.objects.exists()


def test_member_role_is_refused(users, login):
    assert login(users.member).get(reverse("coverage:chief_index")).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_street_chiefs_on_a_phone(world, users, page_as, live_server):  # noqa: F811
    from .factories import CadreFactory
    from .test_browser import PHONE, shot

    layout = street_layout(world, per_road=3)
    chiefs.assign(
        layout.roads.nanjing,
        cadre=CadreFactory(name="市场所王所长", subdistrict=world.ours),
        started_on=date(2025, 1, 1),
    )
    page = page_as(users.staff, viewport=PHONE)
    page.goto(live_server.url + reverse("coverage:chief_list", args=[world.ours.pk]))
    assert "市场所王所长" in page.locator("table.objects").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "street-chiefs-phone")
    page.goto(live_server.url + reverse("coverage:chief_road", args=[layout.roads.nanjing.pk]))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "street-chief-road-phone")
