"""The planner's pages: list, new plan, the work area (htmx), apply, delete, and who sees what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiequ.coverage import planner
from jiequ.coverage.models import Plan, PlanGroup, PlanShop
from jiequ.party.models import CoverageLink, Organisation

from .factories_planner import street_layout

# The browser test's fixtures.
from .test_browser import browser, page_as  # noqa: F401

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "plan-work"}


@pytest.fixture
def layout(world):
    return street_layout(world)


@pytest.fixture
def plan(world, users, layout):
    return planner.propose(world.ours, None, 2, "shops", users.staff, "两个街区")


def _page(response) -> str:
    return response.content.decode()


def test_staff_make_a_plan_from_the_form(world, users, party, layout, login):
    client = login(users.staff)
    page = _page(client.get(reverse("coverage:plan_add")))
    assert "新建街区党支部划分方案" in page and "尚未被街区党支部覆盖的沿街商铺 32 家" in page
    response = client.post(
        reverse("coverage:plan_add"),
        {
            "name": "石门二路街区划分",
            "subdistrict": world.ours.pk,
            "uncovered_only": "on",
            "k": "3",
            "balance_by": "shops",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.k == 3 and plan.author == users.staff and plan.measures["shops"] == 32
    page = _page(client.get(plan.get_absolute_url()))
    assert 'id="plan-map"' in page and 'id="plan-points"' in page
    assert "均衡度" in page and "紧凑度" in page and "道路分段" in page
    assert "第1组" in page and "南京西路" in page and "从业人员" in page
    assert "应用：建立支部" in page and "删除草稿" in page


def test_the_form_filters_by_area_and_road(world, users, layout, login):
    client = login(users.staff)
    client.post(
        reverse("coverage:plan_add"),
        {
            "name": "东片",
            "subdistrict": world.ours.pk,
            "uncovered_only": "on",
            "area": world.east.pk,
            "roads": [layout.roads.chengdu.pk],
            "k": "2",
            "balance_by": "workers",
        },
    )
    plan = Plan.objects.get()
    assert set(PlanShop.objects.filter(plan=plan).values_list("entity_id", flat=True)) == {
        s.pk for s in layout.chengdu
    }
    assert plan.balance_by == "workers" and "成都片区" in plan.selection
    assert "成都北路" in plan.selection


@pytest.mark.parametrize(
    ("k", "message"),
    [
        ("0", "分组数至少为 1"),
        ("33", "分组数须在 1 到商铺数（32）之间"),
        ("三", "分组数必须是整数"),
    ],
)
def test_bad_k_gives_a_chinese_message(world, users, layout, login, k, message):
    response = login(users.staff).post(
        reverse("coverage:plan_add"),
        {"name": "x", "subdistrict": world.ours.pk, "uncovered_only": "on", "k": k,
         "balance_by": "shops"},
    )  # fmt: skip
    assert response.status_code == 400 and message in _page(response)
    assert not Plan.objects.exists()


def test_no_shops_gives_a_chinese_message(world, users, login):
    response = login(users.staff).post(
        reverse("coverage:plan_add"),
        {"name": "x", "subdistrict": world.ours.pk, "uncovered_only": "on", "k": "1",
         "balance_by": "shops"},
    )  # fmt: skip
    assert response.status_code == 400 and "没有符合条件且有位置的沿街商铺" in _page(response)


def test_a_road_of_another_subdistrict_is_refused(world, users, layout, login):
    response = login(users.staff).post(
        reverse("coverage:plan_add"),
        {"name": "x", "subdistrict": world.ours.pk, "k": "1", "balance_by": "shops",
         "roads": [world.other_road.pk]},
    )  # fmt: skip
    assert response.status_code == 400 and not Plan.objects.exists()


def test_move_with_htmx_answers_with_the_refreshed_work_area(users, layout, plan, login):
    client = login(users.staff)
    shop = layout.datian[0]
    target = 1 - PlanShop.objects.get(plan=plan, entity=shop).group
    response = client.post(
        reverse("coverage:plan_move", args=[plan.pk]),
        {"entity": [shop.pk], "group": target},
        **HX,
    )
    page = _page(response)
    assert response.status_code == 200 and "<html" not in page
    assert "已移动 1 家商铺" in page and 'id="plan-points"' in page and "锁定 1 家" in page
    row = PlanShop.objects.get(plan=plan, entity=shop)
    assert row.group == target and row.locked


def test_move_without_htmx_redirects_with_a_message(users, layout, plan, login):
    client = login(users.staff)
    response = client.post(
        reverse("coverage:plan_move", args=[plan.pk]),
        {"entity": [layout.nanjing[0].pk], "group": 1},
        follow=True,
    )
    assert "已移动 1 家商铺" in _page(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"entity": [], "group": "0"}, "请先选择至少一家商铺"),
        ({"group": "0"}, "请先选择至少一家商铺"),
        ({"entity": ["x"], "group": "0"}, "所选商铺中有无效项"),
        ({"entity": ["999999"], "group": "0"}, "不在此方案内"),
        ({"entity": ["FIRST"], "group": "7"}, "此方案中该分组不存在"),
        ({"entity": ["FIRST"], "group": ""}, "此方案中该分组不存在"),
    ],
)
def test_bad_moves_give_a_chinese_message_and_change_nothing(
    users, layout, plan, login, data, message
):
    data = {k: [str(layout.all[0].pk) if v == "FIRST" else v for v in vs] if isinstance(vs, list)
            else vs for k, vs in data.items()}  # fmt: skip
    before = list(PlanShop.objects.filter(plan=plan).values_list("entity_id", "group", "locked"))
    response = login(users.staff).post(reverse("coverage:plan_move", args=[plan.pk]), data, **HX)
    assert response.status_code == 200 and message in _page(response)
    assert list(PlanShop.objects.filter(plan=plan).values_list("entity_id", "group", "locked")) == (
        before
    )


def test_lock_unlock_rerun_and_rename(users, layout, plan, login):
    client = login(users.staff)
    ids = [layout.nanjing[0].pk, layout.nanjing[1].pk]
    page = _page(client.post(reverse("coverage:plan_lock", args=[plan.pk]), {"entity": ids}, **HX))
    assert "已锁定 2 家商铺" in page
    assert PlanShop.objects.filter(plan=plan, locked=True).count() == 2
    page = _page(client.post(reverse("coverage:plan_rerun", args=[plan.pk]), **HX))
    assert "已重新划分" in page
    page = _page(
        client.post(reverse("coverage:plan_unlock", args=[plan.pk]), {"entity": ids[:1]}, **HX)
    )
    assert "已解锁 1 家商铺" in page
    page = _page(
        client.post(
            reverse("coverage:plan_rename", args=[plan.pk, 1]), {"name": "东部街区党支部"}, **HX
        )
    )
    assert "东部街区党支部" in page
    assert PlanGroup.objects.get(plan=plan, number=1).name == "东部街区党支部"
    page = _page(
        client.post(reverse("coverage:plan_rename", args=[plan.pk, 9]), {"name": "x"}, **HX)
    )
    assert "此方案中该分组不存在" in page


def test_apply_asks_for_confirmation_then_creates_the_branches(users, party, layout, plan, login):
    client = login(users.staff)
    url = reverse("coverage:plan_apply", args=[plan.pk])
    page = _page(client.get(url))
    assert "每组建立一个街区党支部" in page and party.committee.name in page
    response = client.post(url, {"parent": party.committee.pk})
    assert response.status_code == 400 and "请勾选以确认" in _page(response)
    assert Organisation.objects.count() == 5
    response = client.post(url, {"parent": party.committee.pk, "confirm": "on"}, follow=True)
    page = _page(response)
    assert "已应用：建立了 2 个街区党支部" in page and "街区第1党支部" in page
    assert Organisation.objects.count() == 7
    assert CoverageLink.objects.filter(kind="area").count() == 32
    plan.refresh_from_db()
    assert plan.state == "applied" and plan.applied_by == users.staff
    assert "已建立的支部" in page and "应用：建立支部" not in page
    # Applying again (a second tab, a double click) changes nothing.
    page = _page(client.post(url, {"parent": party.committee.pk, "confirm": "on"}, follow=True))
    assert "该方案已应用，不能再修改" in page and Organisation.objects.count() == 7
    page = _page(
        client.post(
            reverse("coverage:plan_move", args=[plan.pk]),
            {"entity": [layout.all[0].pk], "group": 0},
            follow=True,
        )
    )
    assert "该方案已应用，不能再修改" in page
    # An applied plan is kept.
    page = _page(client.post(reverse("coverage:plan_delete", args=[plan.pk]), follow=True))
    assert "予以保留" in page and Plan.objects.filter(pk=plan.pk).exists()


def test_a_parent_outside_the_subdistrict_is_refused(users, party, plan, login):
    response = login(users.staff).post(
        reverse("coverage:plan_apply", args=[plan.pk]), {"parent": party.other.pk, "confirm": "on"}
    )
    assert response.status_code == 400 and Organisation.objects.count() == 5


def test_delete_draft_undoes_the_plan(users, plan, login):
    client = login(users.staff)
    url = reverse("coverage:plan_delete", args=[plan.pk])
    assert "删除方案草稿" in _page(client.get(url))
    response = client.post(url, follow=True)
    assert "已删除方案草稿" in _page(response) and not Plan.objects.exists()


def test_history_lists_the_changes(users, layout, plan, login):
    client = login(users.staff)
    planner.move(plan, [layout.nanjing[0].pk], 1)
    response = client.get(reverse("coverage:plan_history", args=[plan.pk]))
    assert response.status_code == 200


def test_list_shows_plans_in_scope(users, plan, login):
    page = _page(login(users.admin).get(reverse("coverage:plan_list")))
    assert "两个街区" in page and "新建街区党支部划分方案" in page
    page = _page(login(users.admin).get(reverse("coverage:plan_list") + "?kind=zones"))
    assert "两个街区" not in page


def test_secretary_cannot_see_or_make_branch_plans(users, party, plan, login):
    client = login(users.secretary)
    page = _page(client.get(reverse("coverage:plan_list")))
    assert "两个街区" not in page and "新建街区党支部划分方案" not in page
    assert client.get(reverse("coverage:plan_add")).status_code == 403
    assert client.get(plan.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("coverage:plan_move", args=[plan.pk]), {"entity": [1], "group": 0}
    )
    assert response.status_code == 404
    assert client.get(reverse("coverage:plan_apply", args=[plan.pk])).status_code == 404


def test_neighbour_admin_sees_nothing(users, layout, plan, login):
    client = login(users.other_admin)
    assert "两个街区" not in _page(client.get(reverse("coverage:plan_list")))
    assert client.get(plan.get_absolute_url()).status_code == 404
    for name in ("plan_move", "plan_lock", "plan_rerun"):
        response = client.post(
            reverse(f"coverage:{name}", args=[plan.pk]), {"entity": [layout.all[0].pk]}
        )
        assert response.status_code == 404
    assert client.post(reverse("coverage:plan_delete", args=[plan.pk])).status_code == 404
    assert Plan.objects.filter(pk=plan.pk).exists()
    # Their own form offers only their own subdistrict.
    page = _page(client.get(reverse("coverage:plan_add")))
    assert "南京西路街道" in page and "石门二路街道：" not in page


@pytest.mark.parametrize("who", ["district", "grid", "member"])
def test_roles_without_the_planner_are_refused(users, plan, login, who):
    client = login(getattr(users, who))
    assert client.get(reverse("coverage:plan_list")).status_code == 403
    assert client.get(reverse("coverage:plan_add")).status_code == 403
    assert client.get(plan.get_absolute_url()).status_code == 404


# In the browser (Playwright + Debian's Chromium; skipped when Chromium is not installed).


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_plan_on_a_phone_move_by_map_and_table(world, users, page_as, live_server):  # noqa: F811
    from .test_browser import PHONE, shot

    layout = street_layout(world)
    plan = planner.propose(world.ours, None, 2, "shops", users.staff, "手机上的方案")
    page = page_as(users.staff, viewport=PHONE)
    page.goto(live_server.url + plan.get_absolute_url())
    page.wait_for_selector("#plan-map[data-ready='1']")
    assert page.locator("#plan-map path.leaflet-interactive").count() >= 32
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "plan-phone")
    shop = layout.datian[0]
    target = 1 - PlanShop.objects.get(plan=plan, entity=shop).group
    page.check(f"#plan-edit input[name=entity][value='{shop.pk}']")
    assert "已选 1 家" in page.locator("#plan-selected").inner_text()
    page.select_option("#plan-group-select", str(target))
    page.click("#plan-edit .plan-bar button.primary")
    page.wait_for_selector("#plan-work .plan-msg.ok")
    assert "已移动 1 家商铺" in page.locator("#plan-work .plan-msg").inner_text()
    page.wait_for_selector("#plan-map[data-ready='1']")
    row = PlanShop.objects.get(plan=plan, entity=shop)
    assert row.group == target and row.locked
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A click on a shop on the map selects it in the table.
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator("#plan-map").bounding_box()
    clicked = page.evaluate(
        """() => {
          const paths = [...document.querySelectorAll('#plan-map path.leaflet-interactive')];
          const p = paths[paths.length - 1]; const r = p.getBoundingClientRect();
          return [r.x + r.width / 2, r.y + r.height / 2];
        }"""
    )
    assert box is not None
    page.mouse.click(*clicked)
    page.wait_for_function(
        "document.querySelectorAll('#plan-edit input[name=entity]:checked').length === 1"
    )
    shot(page, "plan-phone-selected")
