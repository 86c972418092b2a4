"""The pipeline board per branch, and the home figures of applications."""

import datetime as dt

import pytest
from django.urls import reverse

from jiequ.development import figures, services

from .factories_development import ApplicationFactory, walk


@pytest.fixture
def pipeline(party):
    """West branch: an overdue applicant, an activist, a candidate, a probationer, one who became
    full this year and one full years ago; an application in the east branch."""
    today = dt.date.today()
    overdue = ApplicationFactory(organisation=party.west, name="逾期谈话")
    services.record_step(overdue, 1, today - dt.timedelta(days=40))
    activist = walk(ApplicationFactory(organisation=party.west, name="积极分子甲"), 5)
    candidate = walk(ApplicationFactory(organisation=party.west, name="发展对象乙"), 9)
    probationer = walk(ApplicationFactory(organisation=party.west, name="预备党员丙"), 18)
    full_now = walk(
        ApplicationFactory(organisation=party.west, name="今年转正丁"),
        23,
        start=today - dt.timedelta(days=1000),
    )
    services.record_step(full_now, 24, max(_last(full_now), today.replace(month=1, day=1)))
    full_long_ago = walk(
        ApplicationFactory(organisation=party.west, name="早已转正戊"),
        25,
        start=today - dt.timedelta(days=8 * 365),
    )
    east = walk(ApplicationFactory(organisation=party.east, name="东区申请人"), 1)
    return locals()


def _last(application):
    return max(s.done_on for s in application.steps.all())


def board(client, organisation=None):
    params = {"organisation": organisation.pk} if organisation else {}
    return client.get(reverse("development:board"), params)


def column_of(page, name):
    """The column heading above a card (the board's columns are <section>s)."""
    before = page[: page.index(name)]
    start = before.rindex('<section class="board-col" aria-label="')
    return before[start:].split('"')[3]


def test_the_board_has_a_column_per_stage(pipeline, party, users, login):
    response = board(login(users.staff), party.west)
    assert response.status_code == 200
    page = response.content.decode()
    assert column_of(page, "逾期谈话") == "入党申请人"
    assert column_of(page, "积极分子甲") == "入党积极分子"
    assert column_of(page, "发展对象乙") == "发展对象"
    assert column_of(page, "预备党员丙") == "预备党员"
    assert column_of(page, "今年转正丁") == "本年转正"
    assert "早已转正戊" not in page
    assert "东区申请人" not in page


def test_cards_show_next_step_due_date_and_overdue(pipeline, party, users, login):
    page = board(login(users.staff), party.west).content.decode()
    card = page[page.index("逾期谈话") : page.index("</a>", page.index("逾期谈话"))]
    assert "2. 党组织派人谈话" in card
    due = dt.date.today() - dt.timedelta(days=10)
    assert f"须于{due.isoformat()}前" in card
    assert "逾期" in card
    card = page[page.index("积极分子甲") : page.index("</a>", page.index("积极分子甲"))]
    assert "6. 培养教育考察" in card and "逾期" not in card


def test_secretary_sees_their_own_branch_by_default_and_nothing_else(pipeline, party, users, login):
    client = login(users.secretary)
    page = board(client).content.decode()
    assert "江宁街区党支部" in page and "逾期谈话" in page
    assert board(client, party.east).status_code == 404
    assert board(client, party.other).status_code == 404
    assert "成都街区党支部" not in page  # not offered in the branch picker either


def test_staff_choose_a_branch(pipeline, party, users, login):
    client = login(users.staff)
    page = client.get(reverse("development:board")).content.decode()
    assert "请选择党支部" in page
    assert "江宁街区党支部" in page and "成都街区党支部" in page
    assert "威海街区党支部" not in page
    assert "东区申请人" in board(client, party.east).content.decode()
    assert board(client, party.other).status_code == 404


def test_the_committee_board_shows_its_branches(pipeline, party, users, login):
    page = board(login(users.staff), party.committee).content.decode()
    assert "逾期谈话" in page and "东区申请人" in page


@pytest.mark.parametrize("value", ["abc", "-1", "99999"])
def test_a_bad_organisation_is_404(pipeline, users, login, value):
    response = login(users.staff).get(reverse("development:board"), {"organisation": value})
    assert response.status_code == 404


def test_roles_without_applications_get_403(users, login):
    assert login(users.district).get(reverse("development:board")).status_code == 403


def test_home_figures_count_and_link(pipeline, users):
    found = {label: (number, url) for label, number, url in figures.home_figures(users.staff)}
    assert found["入党申请人"][0] == 2  # west overdue + east
    assert found["入党积极分子"][0] == 1
    assert found["发展对象"][0] == 1
    assert found["发展中的预备党员"][0] == 1
    assert found["发展党员步骤逾期"][0] == 2  # both applicants wait for their talk too long
    assert found["发展党员步骤逾期"][1] == reverse("development:application_list") + "?overdue=true"
    secretary = {label: n for label, n, _ in figures.home_figures(users.secretary)}
    assert secretary["入党申请人"] == 1
    assert figures.home_figures(users.district) == []


def test_figure_links_lead_to_the_lists_they_count(pipeline, users, login):
    client = login(users.staff)
    for label, number, url in figures.home_figures(users.staff):
        page = client.get(url).content.decode()
        assert f"共 {number} 条记录" in page, label
