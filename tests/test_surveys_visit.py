"""The phone-first visit form: answers, state found, demands (some to the demands desk as
cases), the checks on answers, a stale form, scope, a survey that is done."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.cases.models import Case, CaseCategory, Source
from jiequ.surveys import visits as visit_service
from jiequ.surveys.models import SurveyDemand, SurveyState, SurveyVisit

from .factories_surveys import build_survey_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_world(world, users, party):
    return build_survey_world(world, users, party)


def first_visit(survey_world) -> SurveyVisit:
    return survey_world.survey.visits.select_related("entity").get(entity=survey_world.west[0])


def form_data(visit: SurveyVisit, **extra) -> dict:
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "state_found": "operating",
        "q_q1": "3–5年",
        "q_q2": "持平",
        "q_q4": ["停车难", "租金"],
        "q_q5": "yes",
        "q_q6": "6",
        "q_q7": "希望解决停车难",
        "notes": "老板很热情",
        "loaded_at": visit.updated_at.isoformat(),
        "demands-TOTAL_FORMS": "2",
        "demands-INITIAL_FORMS": "0",
        "demands-MIN_NUM_FORMS": "0",
        "demands-MAX_NUM_FORMS": "5",
    }
    data.update(extra)
    return data


def test_grid_worker_records_a_visit_with_demands(survey_world, users, login):
    visit = first_visit(survey_world)
    parking = CaseCategory.objects.get(code="S0201")
    rent = CaseCategory.objects.get(code="S0105")
    client = login(users.grid)
    url = reverse("surveys:visit", args=[survey_world.survey.pk, visit.pk])
    page = client.get(url)
    assert page.status_code == 200 and "经营年限" in page.content.decode()
    response = client.post(
        url,
        form_data(
            visit,
            **{
                "demands-0-category": parking.pk,
                "demands-0-text": "顾客停车难，希望错峰停车",
                "demands-0-open_case": "on",
                "demands-1-category": rent.pk,
                "demands-1-text": "房租上涨压力大",
                "next": "1",
            },
        ),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.state_found == "operating" and visit.recorded_by == users.grid
    assert visit.answers == {
        "q1": "3–5年",
        "q2": "持平",
        "q4": ["停车难", "租金"],
        "q5": "yes",
        "q6": 6,
        "q7": "希望解决停车难",
    }
    demands = list(SurveyDemand.objects.filter(visit=visit).order_by("pk"))
    assert [d.text for d in demands] == ["顾客停车难，希望错峰停车", "房租上涨压力大"]
    case = demands[0].case
    assert demands[1].case is None
    assert case.source == Source.VISIT and case.entity == visit.entity
    assert case.category == parking and case.created_by == users.grid
    assert case.organisation == survey_world.west[0].coverage_links.get().organisation
    survey_world.survey.refresh_from_db()
    assert survey_world.survey.state == SurveyState.IN_PROGRESS
    # "Save and go to the next shop": the grid worker's next shop in walk order.
    nxt = survey_world.survey.visits.get(entity=survey_world.west[2])
    assert response["Location"] == nxt.get_absolute_url()


def test_a_stale_form_is_refused_and_nothing_is_lost(survey_world, users, login):
    visit = first_visit(survey_world)
    client = login(users.grid)
    url = reverse("surveys:visit", args=[survey_world.survey.pk, visit.pk])
    stale = form_data(visit)
    assert client.post(url, stale).status_code == 302
    again = client.post(url, {**stale, "q_q2": "变差"})
    assert again.status_code == 400
    assert "其他人已保存" in again.content.decode()
    visit.refresh_from_db()
    assert visit.answers["q2"] == "持平"
    assert Case.objects.count() == 0


def test_the_same_demand_twice_makes_one_case(survey_world, users):
    visit = first_visit(survey_world)
    parking = CaseCategory.objects.get(code="S0201")
    demand = visit_service.DemandInput(parking, "顾客停车难", open_case=True)
    for _ in range(2):
        visit_service.record_visit(
            visit,
            users.grid,
            visited_on=timezone.localdate(),
            state_found="operating",
            answers={},
            demands=[demand],
        )
    assert Case.objects.count() == 1
    assert set(SurveyDemand.objects.values_list("case", flat=True)) == {Case.objects.get().pk}


def test_wrong_answers_are_refused_in_chinese(survey_world, users, login):
    visit = first_visit(survey_world)
    client = login(users.grid)
    url = reverse("surveys:visit", args=[survey_world.survey.pk, visit.pk])
    response = client.post(
        url,
        form_data(
            visit,
            q_q1="十年",
            q_q6="-2",
            state_found="",
            **{"demands-0-text": "没选类别的诉求"},
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择该诉求的类别" in text
    assert "确保该值大于或等于0" in text
    assert "选择一个有效的选项" in text
    visit.refresh_from_db()
    assert visit.visited_on is None and not SurveyDemand.objects.exists()


def test_a_visit_in_the_future_is_refused(survey_world, users, login):
    visit = first_visit(survey_world)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = login(users.grid).post(
        reverse("surveys:visit", args=[survey_world.survey.pk, visit.pk]),
        form_data(visit, visited_on=tomorrow.isoformat()),
    )
    assert response.status_code == 400, response.context["form"].errors
    assert "走访日期不能晚于今天" in response.content.decode()


def test_service_checks_answers_against_the_questions(survey_world, users):
    visit = first_visit(survey_world)
    with pytest.raises(visit_service.ValidationError) as excinfo:
        visit_service.record_visit(
            visit,
            users.grid,
            visited_on=timezone.localdate(),
            state_found="operating",
            answers={"q4": ["飞机场"], "q5": "maybe"},
        )
    assert any("最希望改善" in m for m in excinfo.value.messages)
    with pytest.raises(visit_service.ValidationError):
        visit_service.record_visit(
            visit, users.grid, visited_on=timezone.localdate(), state_found="gone", answers={}
        )


def test_visits_outside_the_area_of_work_are_not_found(survey_world, users, login):
    survey = survey_world.survey
    east = survey.visits.get(entity=survey_world.east)
    url = reverse("surveys:visit", args=[survey.pk, east.pk])
    assert login(users.grid).get(url).status_code == 404
    assert login(users.secretary).get(url).status_code == 404  # the east area is not theirs
    assert login(users.other_admin).get(url).status_code == 404
    assert login(users.district).get(url).status_code == 404
    assert login(users.staff).get(url).status_code == 200


def test_a_done_survey_takes_no_more_visits(survey_world, users, login):
    survey = survey_world.survey
    survey.state = SurveyState.DONE
    survey.save()
    visit = first_visit(survey_world)
    response = login(users.grid).post(
        reverse("surveys:visit", args=[survey.pk, visit.pk]), form_data(visit)
    )
    assert response.status_code == 400
    assert "该调研已完成" in response.content.decode()
    visit.refresh_from_db()
    assert visit.visited_on is None


def test_my_visits_lists_the_shops_waiting_for_me(survey_world, users, login):
    response = login(users.grid).get(reverse("surveys:my_visits"))
    assert response.status_code == 200
    (entry,) = response.context["surveys"]
    assert [v.entity.number for v in entry["pending"]] == ["1号", "3号"]
    assert login(users.district).get(reverse("surveys:my_visits")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_visitors_saving_one_shop_at_once_lose_nothing(world, users, party):
    """Two people save the same shop's visit opened at the same version (PostgreSQL): one is
    saved, the other is told to reload; neither half-saves."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    w = build_survey_world(world, users, party)
    visit = first_visit(w)
    loaded = visit.updated_at.isoformat()
    barrier = threading.Barrier(2)
    saved, refused = [], []

    def save(answer: str) -> None:
        try:
            barrier.wait()
            visit_service.record_visit(
                SurveyVisit.objects.get(pk=visit.pk),
                users.grid,
                visited_on=timezone.localdate(),
                state_found="operating",
                answers={"q2": answer},
                loaded_at=loaded,
            )
            saved.append(answer)
        except visit_service.VisitConflict:
            refused.append(answer)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(a,)) for a in ("变好", "变差")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(saved) == 1 and len(refused) == 1
    visit.refresh_from_db()
    assert visit.answers == {"q2": saved[0]}
