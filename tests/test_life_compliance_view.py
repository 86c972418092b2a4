"""The compliance grid and a branch's page: scope, what is missing, the rule that requires it."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from jiequ.life.compliance import add_months, month_start
from jiequ.life.figures import home_figures
from jiequ.party.models import RuleOverride
from tests.factories_life import MeetingFactory

THIS_MONTH = month_start(timezone.localdate())
LAST_MONTH = add_months(THIS_MONTH, -1)


def test_staff_see_every_branch_of_their_subdistrict(party, users, login):
    response = login(users.staff).get(reverse("life:compliance"))
    assert response.status_code == 200
    shown = {row.organisation for row in response.context["table"].rows}
    assert {party.west, party.east, party.group} <= shown
    assert party.other not in shown
    page = response.content.decode()
    assert "chip missing" in page and "主题党日" in page  # the themed day is missing, in red
    assert len(response.context["columns"]) == 12


def test_totals_per_month_and_per_organisation(party, users, login):
    table = login(users.staff).get(reverse("life:compliance")).context["table"]
    last = table.months.index(LAST_MONTH)
    # Every branch and the group owe a monthly meeting last month and held none.
    assert table.month_totals[last] >= 3
    assert all(row.missing_count > 0 for row in table.rows)


def test_secretary_lands_on_their_branch(party, users, login):
    client = login(users.secretary)
    response = client.get(reverse("life:compliance"))
    assert response.status_code == 302
    assert response["Location"] == reverse("life:compliance_organisation", args=[party.west.pk])
    page = client.get(response["Location"]).content.decode()
    assert "缺失的会议" in page
    assert "党支部应当每月相对固定1天开展主题党日" in page  # the rule's source
    assert party.group.name in page  # and its Party group
    assert party.east.name not in page


def test_secretary_cannot_see_another_branch(party, users, login):
    client = login(users.secretary)
    url = reverse("life:compliance_organisation", args=[party.east.pk])
    assert client.get(url).status_code == 404


def test_held_meeting_is_not_missing(party, users, login):
    MeetingFactory(organisation=party.west, kind="themed_day", held_on=LAST_MONTH)
    response = login(users.secretary).get(
        reverse("life:compliance_organisation", args=[party.west.pk])
    )
    section = next(s for s in response.context["sections"] if s["row"].organisation == party.west)
    missing = {(c.kind, c.month) for c in section["missing"]}
    assert ("themed_day", LAST_MONTH) not in missing
    assert ("themed_day", add_months(LAST_MONTH, -1)) in missing


def test_inquorate_general_meeting_is_flagged(party, users, login):
    meeting = MeetingFactory(
        organisation=party.west,
        kind="general",
        held_on=LAST_MONTH,
        expected=4,
        present=party.west_members[:2],
        topic="换届选举",
    )
    client = login(users.staff)
    page = client.get(reverse("life:compliance")).content.decode()
    assert "chip inquorate" in page
    page = client.get(reverse("life:compliance_organisation", args=[party.west.pk])).content
    page = page.decode()
    assert "到会人数不足的党员大会" in page and meeting.topic in page


def test_override_is_used_for_the_subdistrict(party, users, login, world):
    RuleOverride.objects.create(
        region=world.ours, key="themed_day_every_months", value=12, reason="试行"
    )
    response = login(users.staff).get(reverse("life:compliance_organisation", args=[party.west.pk]))
    section = next(s for s in response.context["sections"] if s["row"].organisation == party.west)
    themed = [c for c in section["missing"] if c.kind == "themed_day"]
    assert all(c.every == 12 for c in themed)
    assert len(themed) <= 1
    assert "每年" in response.content.decode()


def test_filters_and_bad_parameters(party, users, login):
    client = login(users.staff)
    url = reverse("life:compliance")
    for params in (
        {"end": "2026-99"},
        {"end": "abc", "area": "x", "category": "nonsense"},
        {"missing_in": "zz"},
        {"area": "999999"},
    ):
        assert client.get(url, params).status_code == 200
    response = client.get(url, {"area": world_area(party).pk})
    assert {r.organisation for r in response.context["table"].rows} == {party.west, party.group}
    response = client.get(url, {"end": "2025-06"})
    assert response.context["table"].months[-1] == date(2025, 6, 1)


def world_area(party):
    return party.west.region


def test_missing_in_a_month(party, users, login):
    # The west branch and its group hold everything they owe last month; the east does not.
    for kind in ("themed_day", "lecture"):
        MeetingFactory(organisation=party.west, kind=kind, held_on=LAST_MONTH)
    MeetingFactory(
        organisation=party.west,
        kind="general",
        held_on=LAST_MONTH,
        expected=4,
        present=party.west_members,
    )
    MeetingFactory(organisation=party.group, kind="group", held_on=LAST_MONTH)
    month = f"{LAST_MONTH:%Y-%m}"
    response = login(users.staff).get(
        reverse("life:compliance"), {"end": month, "missing_in": month}
    )
    assert {r.organisation for r in response.context["table"].rows} == {party.east}


def test_who_may_see_compliance(party, users, login):
    for user in (users.district, users.grid, users.member):
        assert login(user).get(reverse("life:compliance")).status_code == 403


def test_phone_width_grid_scrolls(party, users, login):
    page = login(users.staff).get(reverse("life:compliance")).content.decode()
    assert 'class="grid-wrap"' in page and "overflow-x: auto" in page
    assert "position: sticky" in page


def test_home_figures(party, users):
    MeetingFactory(organisation=party.west, held_on=timezone.localdate())
    figures = home_figures(users.staff)
    labels = {label: (number, url) for label, number, url in figures}
    number, url = labels["上月缺会的党组织"]
    assert number >= 3 and "missing_in=" in url
    number, url = labels["本月组织生活"]
    assert number == 1 and url.startswith(reverse("life:meeting_list"))
    assert "本年度培训" in labels
    assert home_figures(users.grid) == []
    secretary_figures = {label: n for label, n, _ in home_figures(users.secretary)}
    assert secretary_figures["上月缺会的党组织"] == 2  # the branch and its group


def test_grid_of_many_organisations_takes_few_queries(
    party, users, login, world, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(60, region=world.east, parent=party.committee)
    client = login(users.staff)
    client.get(reverse("life:compliance"))  # warm the session and permission caches
    with django_assert_max_num_queries(15):
        response = client.get(reverse("life:compliance"))
    assert len(response.context["table"].rows) == 63
