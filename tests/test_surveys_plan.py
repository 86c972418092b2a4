"""Planning a road survey: walk order, sharing out, creating from a road or a selection, the
visit plan page, handing shops over, taking shops off, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.surveys import plan
from jiequ.surveys.forms import SurveyEditForm
from jiequ.surveys.models import Survey, SurveyState, SurveyVisit

from .factories import EntityFactory
from .factories_surveys import build_survey_world, road_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_world(world, users, party):
    return build_survey_world(world, users, party)


def test_walk_order_goes_up_the_odd_side_and_back_down_the_even_side(world):
    numbers = ["2号", "7号", "1号", "10号", "", "4号", "3号"]
    shops = [road_shop(world.grid_sw, world.road, n) for n in numbers]
    other_road = road_shop(world.grid_sw, world.other_road, "1号")
    order = plan.walk_order([other_road, *shops], world.road)
    assert [e.number for e in order] == ["1号", "3号", "7号", "10号", "4号", "2号", "", "1号"]
    assert order[-1] == other_road  # other roads after the main road
    assert [plan.side(e) for e in order[:4]] == ["odd", "odd", "odd", "even"]


def test_visitors_take_even_unbroken_stretches():
    assert plan.share_out(7, ["a", "b"]) == ["a"] * 4 + ["b"] * 3
    assert plan.share_out(3, []) == [None, None, None]
    assert plan.share_out(5, ["a", "b", "c"]) == ["a", "a", "b", "b", "c"]


def test_a_survey_puts_every_shop_in_walk_order(survey_world, users):
    visits = list(survey_world.survey.visits.order_by("order").select_related("entity"))
    assert [v.entity.number for v in visits] == ["1号", "3号", "5号", "8号", "2号"]
    assert [v.order for v in visits] == [1, 2, 3, 4, 5]
    # The grid worker only takes shops in their grid; the east shop goes to staff.
    by_number = {v.entity.number: v.visitor for v in visits}
    assert by_number["1号"] == by_number["3号"] == users.grid
    assert by_number["5号"] == users.staff
    assert survey_world.survey.state == SurveyState.PLANNED
    assert survey_world.survey.author == users.staff


def test_staff_create_a_survey_from_a_road(world, users, party, login):
    road = world.road
    shops = [road_shop(world.grid_sw, road, f"{n}号") for n in (1, 2, 3)]
    road_shop(world.grid_e, road, "9号", state="moved")  # known to be gone: not visited
    EntityFactory(region=world.grid_sw, road=road, number="5号")  # not a street shop
    client = login(users.staff)
    page = client.get(reverse("surveys:survey_add"))
    assert page.status_code == 200
    assert "单号一侧去" in page.content.decode() or "单号" in page.content.decode()
    today = timezone.localdate()
    response = client.post(
        reverse("surveys:survey_add"),
        {
            "title": "石门二路商铺走访",
            "road": road.pk,
            "street_shops_only": "on",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=7)).isoformat(),
            "visitors": [users.grid.pk],
            "questions_text": "经营年限 | 单选 | 不满1年；1年以上\n从业人员数 | 数字",
        },
    )
    survey = Survey.objects.get(title="石门二路商铺走访")
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:survey_plan", args=[survey.pk])
    assert set(survey.visits.values_list("entity_id", flat=True)) == {s.pk for s in shops}
    assert survey.road == road and survey.region == world.grid_sw
    assert [q["kind"] for q in survey.questions] == ["choice", "number"]
    assert set(survey.visits.values_list("visitor", flat=True)) == {users.grid.pk}


def test_a_survey_of_chosen_entities(world, users, login):
    a = EntityFactory(region=world.grid_sw)
    b = EntityFactory(region=world.grid_e)
    today = timezone.localdate()
    response = login(users.staff).post(
        reverse("surveys:survey_add"),
        {
            "title": "两家企业回访",
            "entities": [a.pk, b.pk],
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "questions_text": "意见建议 | 文字",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get(title="两家企业回访")
    assert survey.road is None and survey.region == world.ours
    assert survey.visits.count() == 2


def test_create_errors_are_in_chinese_and_save_nothing(world, users, login):
    client = login(users.staff)
    today = timezone.localdate()
    data = {
        "title": "空调研",
        "starts_on": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        "questions_text": "经营年限 | 单选 | 只有一个选项",
    }
    response = client.post(reverse("surveys:survey_add"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择一条道路或若干市场主体" in text
    assert "结束日期早于开始日期" in text
    assert "至少需要两个选项" in text
    assert not Survey.objects.exists()


def test_a_road_of_the_neighbour_cannot_be_chosen(world, users, login):
    road_shop(world.other_grid, world.other_road, "1号")
    today = timezone.localdate()
    response = login(users.staff).post(
        reverse("surveys:survey_add"),
        {
            "title": "越界",
            "road": world.other_road.pk,
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "questions_text": "意见建议 | 文字",
        },
    )
    assert response.status_code == 400
    assert not Survey.objects.exists()


def test_only_staff_and_admins_plan_surveys(users, login):
    for user in (users.secretary, users.grid, users.district, users.member):
        assert login(user).get(reverse("surveys:survey_add")).status_code == 403


def test_the_plan_page_shows_the_walk_by_side(survey_world, users, login):
    response = login(users.staff).get(reverse("surveys:survey_plan", args=[survey_world.survey.pk]))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g["side"], [v.entity.number for v in g["visits"]]) for g in groups] == [
        ("odd", ["1号", "3号", "5号"]),
        ("even", ["8号", "2号"]),
    ]
    assert "单号一侧" in response.content.decode()


def test_grid_worker_sees_only_their_grids_shops_on_the_plan(survey_world, users, login):
    response = login(users.grid).get(reverse("surveys:survey_plan", args=[survey_world.survey.pk]))
    numbers = [v.entity.number for g in response.context["groups"] for v in g["visits"]]
    assert numbers == ["1号", "3号", "8号", "2号"]
    assert response.context["form"] is None  # grid workers visit, they do not hand over


def test_neighbour_and_member_cannot_open_the_survey(survey_world, users, login):
    pk = survey_world.survey.pk
    for name in ("survey_detail", "survey_plan", "survey_report", "survey_report_pdf"):
        assert (
            login(users.other_admin).get(reverse(f"surveys:{name}", args=[pk])).status_code == 404
        )
    assert login(users.member).get(reverse("surveys:survey_detail", args=[pk])).status_code == 404
    assert login(users.member).get(reverse("surveys:survey_list")).status_code == 403
    listed = login(users.other_admin).get(reverse("surveys:survey_list"))
    assert listed.context["paginator"].count == 0


def test_staff_hand_shops_over(survey_world, users, login):
    survey = survey_world.survey
    visits = {v.entity.number: v for v in survey.visits.select_related("entity")}
    client = login(users.staff)
    response = client.post(
        reverse("surveys:survey_plan", args=[survey.pk]),
        {"visitor": users.grid.pk, "visits": [visits["2号"].pk, visits["5号"].pk]},
    )
    assert response.status_code == 302
    visits["2号"].refresh_from_db()
    visits["5号"].refresh_from_db()
    assert visits["2号"].visitor == users.grid
    assert visits["5号"].visitor == users.staff  # outside the grid worker's grid
    page = client.get(response["Location"])
    assert "未移交" in page.content.decode()
    bad = client.post(reverse("surveys:survey_plan", args=[survey.pk]), {"visitor": users.grid.pk})
    assert bad.status_code == 400
    assert "请勾选要移交的商铺" in bad.content.decode()


def test_a_visited_shop_stays_on_the_survey(survey_world, users, login):
    survey = survey_world.survey
    first, second = list(survey.visits.order_by("order")[:2])
    SurveyVisit.objects.filter(pk=first.pk).update(
        visited_on=timezone.localdate(), state_found="operating"
    )
    client = login(users.staff)
    client.post(reverse("surveys:visit_remove", args=[survey.pk, first.pk]))
    client.post(reverse("surveys:visit_remove", args=[survey.pk, second.pk]))
    remaining = set(survey.visits.values_list("pk", flat=True))
    assert first.pk in remaining and second.pk not in remaining
    assert login(users.grid).post(
        reverse("surveys:visit_remove", args=[survey.pk, first.pk])
    ).status_code in (403, 404)


def test_questions_lock_once_a_shop_has_answered(survey_world, users):
    survey = survey_world.survey
    form = SurveyEditForm(instance=survey, user=users.staff)
    assert not form.fields["questions_text"].disabled
    SurveyVisit.objects.filter(pk=survey.visits.first().pk).update(visited_on=timezone.localdate())
    assert SurveyEditForm(instance=survey, user=users.staff).fields["questions_text"].disabled


def test_editing_questions_keeps_the_keys(survey_world, users, login):
    survey = survey_world.survey
    text = "经营年限 | 单选 | 不满1年；1–3年；3–5年；5年以上\n新问题 | 是否"
    response = login(users.staff).post(
        reverse("surveys:survey_edit", args=[survey.pk]),
        {
            "title": survey.title,
            "purpose": "",
            "starts_on": survey.starts_on.isoformat(),
            "ends_on": survey.ends_on.isoformat(),
            "questions_text": text,
            "loaded_at": survey.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert [(q["key"], q["text"]) for q in survey.questions] == [
        ("q1", "经营年限"),
        ("q8", "新问题"),
    ]


def test_state_changes(survey_world, users, login):
    survey = survey_world.survey
    client = login(users.staff)
    client.post(reverse("surveys:survey_state", args=[survey.pk]), {"state": "done"})
    survey.refresh_from_db()
    assert survey.state == SurveyState.DONE
    response = client.post(
        reverse("surveys:survey_state", args=[survey.pk]), {"state": "nonsense"}, follow=True
    )
    assert "未知状态" in response.content.decode()
    assert (
        login(users.grid)
        .post(reverse("surveys:survey_state", args=[survey.pk]), {"state": "planned"})
        .status_code
        == 404
    )
