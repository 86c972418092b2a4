"""Which meetings an organisation owes, month by month, with the rules' numbers."""

from datetime import date

import pytest

from jiequ.life import compliance as c
from jiequ.party.models import Organisation, RuleOverride
from tests.factories import MemberFactory, OfficerFactory, OrganisationFactory
from tests.factories_life import MeetingFactory

TODAY = date(2026, 7, 15)  # the third quarter is under way
H1 = [date(2026, m, 1) for m in range(1, 8)]  # January … July


def statuses(table, org, kind):
    row = table.row(org)
    return [next(cell.status for cell in m.cells if cell.kind == kind) for m in row.months]


@pytest.fixture
def branch(party):
    party.west.founded_on = date(2020, 1, 1)
    party.west.save()
    return party.west


def test_themed_day_every_month(branch):
    MeetingFactory(organisation=branch, kind="themed_day", held_on=date(2026, 1, 20))
    MeetingFactory(organisation=branch, kind="themed_day", held_on=date(2026, 3, 5))
    table = c.compliance([branch], H1, today=TODAY)
    assert statuses(table, branch, "themed_day") == [
        c.HELD,
        c.MISSING,
        c.HELD,
        c.MISSING,
        c.MISSING,
        c.MISSING,
        c.DUE,
    ]


def test_general_meeting_is_counted_per_quarter(branch, party):
    MeetingFactory(
        organisation=branch,
        kind="general",
        held_on=date(2026, 2, 10),
        expected=4,
        present=party.west_members[:3],
    )
    table = c.compliance([branch], H1, today=TODAY)
    # Q1 held in February; Q2 never (missing once, in June); Q3 under way.
    assert statuses(table, branch, "general") == [
        c.NOT_DUE,
        c.HELD,
        c.NOT_DUE,
        c.DUE,
        c.DUE,
        c.MISSING,
        c.DUE,
    ]
    cell = table.row(branch).months[5].missing[0]
    assert cell.rule_key == "general_meeting_every_months" and cell.every == 3
    assert cell.period == (date(2026, 4, 1), date(2026, 6, 1))
    assert "每季度" in cell.rule.source


def test_lecture_every_quarter(branch):
    MeetingFactory(organisation=branch, kind="lecture", held_on=date(2026, 6, 30))
    table = c.compliance([branch], H1, today=TODAY)
    assert statuses(table, branch, "lecture") == [
        c.DUE,
        c.DUE,
        c.MISSING,
        c.NOT_DUE,
        c.NOT_DUE,
        c.HELD,
        c.DUE,
    ]


def test_subdistrict_override_changes_the_period(branch, party, world):
    MeetingFactory(
        organisation=branch,
        kind="general",
        held_on=date(2026, 2, 10),
        expected=4,
        present=party.west_members,
    )
    RuleOverride.objects.create(
        region=world.ours, key="general_meeting_every_months", value=6, reason="试点"
    )
    table = c.compliance([branch], H1, today=TODAY)
    # Half-years: February's meeting covers January to June.
    assert statuses(table, branch, "general") == [
        c.NOT_DUE,
        c.HELD,
        c.NOT_DUE,
        c.NOT_DUE,
        c.NOT_DUE,
        c.NOT_DUE,
        c.DUE,
    ]
    assert table.row(branch).months[0].cells[0].every == 6


def test_override_elsewhere_does_not_apply(branch, world):
    RuleOverride.objects.create(
        region=world.other, key="themed_day_every_months", value=2, reason="邻街道"
    )
    table = c.compliance([branch], H1[:2], today=TODAY)
    assert statuses(table, branch, "themed_day") == [c.MISSING, c.MISSING]


def test_committee_meeting_only_with_a_committee(branch, party):
    for member in party.west_members[:2]:
        OfficerFactory(organisation=branch, member=member, started_on=date(2025, 1, 1))
    table = c.compliance([branch], H1, today=TODAY)
    assert "committee" not in table.row(branch).kinds
    OfficerFactory(
        organisation=branch,
        member=party.west_members[2],
        role="member",
        started_on=date(2026, 3, 10),
    )
    table = c.compliance([branch], H1, today=TODAY)
    # Three posts (the rule's smallest committee) from March: monthly committee meetings.
    assert statuses(table, branch, "committee") == [
        c.NOT_DUE,
        c.NOT_DUE,
        c.MISSING,
        c.MISSING,
        c.MISSING,
        c.MISSING,
        c.DUE,
    ]


def test_committee_size_override(branch, party, world):
    for member in party.west_members[:2]:
        OfficerFactory(organisation=branch, member=member, started_on=date(2025, 1, 1))
    RuleOverride.objects.create(region=world.ours, key="committee_min_size", value=2, reason="x")
    table = c.compliance([branch], H1[:1], today=TODAY)
    assert statuses(table, branch, "committee") == [c.MISSING]


def test_party_group_holds_group_meetings_only(party):
    party.group.founded_on = date(2021, 5, 1)
    party.group.save()
    MeetingFactory(organisation=party.group, kind="group", held_on=date(2026, 1, 8))
    table = c.compliance([party.group], H1[:2], today=TODAY)
    assert table.row(party.group).kinds == ["group"]
    assert statuses(table, party.group, "group") == [c.HELD, c.MISSING]


def test_months_before_founding_owe_nothing(world):
    org = OrganisationFactory(region=world.west, founded_on=date(2026, 4, 20))
    table = c.compliance([org], H1, today=TODAY)
    assert statuses(table, org, "themed_day") == [
        c.NOT_DUE,
        c.NOT_DUE,
        c.NOT_DUE,
        c.MISSING,
        c.MISSING,
        c.MISSING,
        c.DUE,
    ]
    # Founded in the second quarter: it owes that quarter's general meeting.
    assert statuses(table, org, "general")[5] == c.MISSING


def test_dissolved_organisation_owes_nothing_from_then(world):
    org = OrganisationFactory(
        region=world.west, founded_on=date(2020, 1, 1), dissolved_on=date(2026, 3, 5)
    )
    table = c.compliance([org], H1, today=TODAY)
    assert statuses(table, org, "themed_day") == [
        c.MISSING,
        c.MISSING,
        c.NOT_DUE,
        c.NOT_DUE,
        c.NOT_DUE,
        c.NOT_DUE,
        c.NOT_DUE,
    ]
    # Dissolved before the quarter ended: the first quarter's general meeting is not owed.
    assert c.MISSING not in statuses(table, org, "general")


def test_inquorate_general_meeting_does_not_count(branch, party):
    # 4 members expected; 2 present is not more than half.
    MeetingFactory(
        organisation=branch,
        kind="general",
        held_on=date(2026, 5, 6),
        expected=4,
        present=party.west_members[:2],
    )
    table = c.compliance([branch], H1, today=TODAY)
    may = table.row(branch).months[4]
    assert [h.present for h in may.inquorate] == [2]
    assert statuses(table, branch, "general")[3:6] == [c.DUE, c.DUE, c.MISSING]


def test_quorum_counts_members_of_groups_but_not_guests(branch, party):
    in_group = MemberFactory(organisation=party.group)
    guest = party.east_members[0]
    guest.other_organisations.add(branch)
    meeting = MeetingFactory(
        organisation=branch,
        kind="general",
        held_on=date(2026, 5, 6),
        expected=4,
        present=[party.west_members[0], party.west_members[1], guest],
    )
    table = c.compliance([branch], H1, today=TODAY)
    assert table.row(branch).months[4].inquorate  # the guest has no vote
    meeting.attendees.add(in_group)
    table = c.compliance([branch], H1, today=TODAY)
    assert statuses(table, branch, "general")[4] == c.HELD
    assert c.quorum_of(meeting)["quorate"] and c.quorum_of(meeting)["present"] == 3


def test_quorum_share_override(branch, party, world):
    MeetingFactory(
        organisation=branch,
        kind="general",
        held_on=date(2026, 5, 6),
        expected=4,
        present=party.west_members[:3],
    )
    RuleOverride.objects.create(
        region=world.ours, key="quorum_share_percent", value=80, reason="从严"
    )
    table = c.compliance([branch], H1, today=TODAY)
    assert table.row(branch).months[4].inquorate


def test_committee_level_holds_no_branch_meetings(party):
    table = c.compliance([party.committee], H1, today=TODAY)
    assert table.row(party.committee).kinds == []
    assert not table.row(party.committee).owes_anything


def test_totals(party, branch):
    east = party.east
    east.founded_on = date(2020, 1, 1)
    east.save()
    table = c.compliance(
        Organisation.objects.filter(pk__in=[branch.pk, east.pk]), H1[:3], today=TODAY
    )
    # Each branch: themed day missing in all three months, the lecture and general meeting in
    # March (the end of the quarter).
    assert table.month_totals == [2, 2, 6]
    assert table.total_missing == 10
    assert [r.organisation for r in table.with_missing_in(date(2026, 1, 1))] == [
        r.organisation for r in table.rows
    ]


def test_bounded_queries_for_a_hundred_organisations(world, django_assert_max_num_queries):
    orgs = OrganisationFactory.create_batch(100, region=world.west, founded_on=date(2020, 1, 1))
    members = MemberFactory.create_batch(3, organisation=orgs[0])
    for org in orgs[:30]:
        MeetingFactory(organisation=org, kind="general", held_on=date(2026, 2, 3), present=members)
        MeetingFactory(organisation=org, kind="themed_day", held_on=date(2026, 5, 3))
        OfficerFactory(organisation=org, member=members[0], started_on=date(2025, 1, 1))
    months = c.last_months(12, date(2026, 7, 1))
    with django_assert_max_num_queries(7):
        table = c.compliance(
            Organisation.objects.filter(pk__in=[o.pk for o in orgs]), months, today=TODAY
        )
        assert len(table.rows) == 100 and table.total_missing > 0
    with django_assert_max_num_queries(7):
        c.compliance(orgs, months, today=TODAY)  # a plain list, regions not loaded


def test_periods_and_months():
    assert c.period_of(date(2026, 5, 1), 3) == (date(2026, 4, 1), date(2026, 6, 1))
    assert c.period_of(date(2026, 12, 1), 6) == (date(2026, 7, 1), date(2026, 12, 1))
    assert c.last_months(3, date(2026, 1, 15)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    assert c.parse_month("2026-13") is None and c.parse_month("x") is None
    assert c.parse_month("2026-02") == date(2026, 2, 1)
