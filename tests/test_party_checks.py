"""The organisational rules checked against organisations: each finding names its rule."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from jiequ.party import checks, rules
from jiequ.party.models import Organisation, RuleOverride

from .factories import MemberFactory, OrganisationFactory
from .factories_party import committee, covered_entity, members, outside_post


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def rules_of(findings):
    return {f.rule: f for f in findings}


def test_a_branch_with_too_few_full_members_should_be_a_joint_branch(party):
    committee(party.east, 1)
    findings = rules_of(checks.check_organisation(party.east))
    finding = findings["branch_min_full_members"]
    assert finding.severity == checks.ERROR
    assert "正式党员仅2名" in finding.message and "联合党支部" in finding.message
    assert str(rules.RULES["branch_min_full_members"].label) in finding.message
    assert "3" in finding.message
    assert finding.source.startswith("《中国共产党支部工作条例（试行）》")


def test_probationary_and_departed_members_are_not_full_members(party):
    committee(party.east, 1)
    MemberFactory(organisation=party.east, membership="probationary")
    MemberFactory(organisation=party.east, left_on=timezone.localdate())
    facts = checks.facts_of(party.east)
    assert (facts.full_members, facts.probationary_members) == (2, 1)
    assert "branch_min_full_members" in rules_of(checks.check_organisation(party.east))


def test_a_joint_branch_may_have_few_members_but_not_too_many_units(party, world):
    joint = OrganisationFactory(
        name="联合党支部", level="joint_branch", parent=party.committee, region=world.grid_e
    )
    members(joint, 2)
    committee(joint, 1)  # the secretary's own entity is one unit
    assert not rules_of(checks.check_organisation(joint))
    for _ in range(5):
        covered_entity(joint, kind="joint")
    finding = rules_of(checks.check_organisation(joint))["joint_branch_max_units"]
    assert finding.severity == checks.WARNING
    assert "覆盖6个单位" in finding.message and "超过5个" in finding.message


def test_seven_full_members_elect_a_committee(party, world):
    members(party.west, 3)  # 4 + 3 = 7
    committee(party.west, 2)
    finding = rules_of(checks.check_organisation(party.west))["committee_min_full_members"]
    assert finding.severity == checks.WARNING
    assert "支部委员会" in finding.message and "7" in finding.message
    outside_post(party.west, world.ours)
    assert "committee_min_full_members" not in rules_of(checks.check_organisation(party.west))


def test_committee_size_usual_and_largest(party):
    members(party.west, 4)
    committee(party.west, 6)
    usual = rules_of(checks.check_organisation(party.west))["committee_usual_max_size"]
    assert usual.severity == checks.WARNING and "一般的5人" in usual.message
    committee(party.west, 2, secretary=False)
    found = rules_of(checks.check_organisation(party.west))
    assert found["committee_max_size"].severity == checks.ERROR
    assert "committee_usual_max_size" not in found


def test_no_current_secretary_is_an_error(party):
    posts = committee(party.west, 1)
    assert not checks.check_organisation(party.west)
    posts[0].ended_on = timezone.localdate() - timedelta(days=1)
    posts[0].save()
    finding = rules_of(checks.check_organisation(party.west))["branch_term_years"]
    assert finding.severity == checks.ERROR and "没有在任书记" in finding.message


def test_a_post_ending_in_the_future_is_still_current(party):
    posts = committee(party.west, 1)
    posts[0].ended_on = timezone.localdate() + timedelta(days=10)
    posts[0].save()
    assert checks.facts_of(party.west).secretaries == 1


def test_member_numbers_suggest_a_general_branch_or_a_committee(party, world):
    # Lowered by the subdistrict so the test stays small; the rule is the same.
    RuleOverride.objects.create(
        region=world.ours, key="branch_usual_max_members", value=5, reason="测试"
    )
    RuleOverride.objects.create(
        region=world.ours, key="committee_level_min_members", value=8, reason="测试"
    )
    committee(party.west, 1)
    members(party.west, 2)  # 6 members
    finding = rules_of(checks.check_organisation(party.west))["branch_usual_max_members"]
    assert finding.severity == checks.WARNING and "党总支" in finding.message
    members(party.west, 2)  # 8 members
    found = rules_of(checks.check_organisation(party.west))
    assert "基层委员会" in found["committee_level_min_members"].message
    assert "branch_usual_max_members" not in found


def test_term_ending_soon_is_a_warning_and_overdue_an_error(party):
    committee(party.west, 1)
    today = timezone.localdate()
    party.west.term_started_on = today.replace(year=today.year - 3) + timedelta(days=30)
    party.west.save()
    finding = rules_of(checks.check_organisation(party.west))["term_warning_days"]
    assert finding.severity == checks.WARNING and "换届" in finding.message
    party.west.term_started_on = today.replace(year=today.year - 3) - timedelta(days=5)
    party.west.save()
    finding = rules_of(checks.check_organisation(party.west))["branch_term_years"]
    assert finding.severity == checks.ERROR
    assert finding.message.startswith("换届逾期") and "3 年" in finding.message


def test_a_community_branch_has_a_five_year_term(party, world):
    today = timezone.localdate()
    org = OrganisationFactory(
        category="community",
        parent=party.committee,
        region=world.west,
        term_started_on=today.replace(year=today.year - 4),
    )
    assert org.term_ends_on == today.replace(year=today.year + 1)
    assert not [f for f in checks.check_organisation(org) if "换届" in f.message]


def test_a_subdistrict_override_changes_the_number(party, world):
    committee(party.east, 1)
    RuleOverride.objects.create(
        region=world.ours, key="branch_min_full_members", value=2, reason="试点"
    )
    assert "branch_min_full_members" not in rules_of(checks.check_organisation(party.east))


def test_dissolved_organisations_are_not_checked(party):
    party.east.dissolved_on = timezone.localdate()
    party.east.save()
    assert checks.check_organisation(party.east) == []


def test_rule_values_read_at_once_match_rules_value(party, world):
    RuleOverride.objects.create(region=world.ours, key="term_warning_days", value=30, reason="a")
    RuleOverride.objects.create(region=world.west, key="term_warning_days", value=60, reason="b")
    values = rules.RuleValues()
    for region in (world.ours, world.west, world.grid_sw, world.east, world.other, None):
        assert values("term_warning_days", region) == rules.value("term_warning_days", region)
    assert values("term_warning_days", world.grid_sw) == 60
    with pytest.raises(KeyError):
        values("no_such_rule", world.ours)


def test_checking_a_hundred_organisations_takes_a_bounded_number_of_queries(
    party, world, django_assert_max_num_queries
):
    for i in range(100):
        org = OrganisationFactory(parent=party.committee, region=[world.west, world.east][i % 2])
        if i % 10 == 0:
            members(org, 1)
    RuleOverride.objects.create(
        region=world.ours, key="branch_min_full_members", value=2, reason="x"
    )
    with django_assert_max_num_queries(3):
        organisations = list(checks.annotate_facts(Organisation.objects.select_related("region")))
        found = checks.check_many(organisations)
    assert len(found) == 105
    with django_assert_max_num_queries(3):
        flags = checks.flags(Organisation.objects.all())
    assert flags[party.east.pk] == checks.ERROR


def test_term_filters_use_each_subdistricts_warning_window(party, world):
    today = timezone.localdate()
    ends_in_45 = today.replace(year=today.year - 3) + timedelta(days=45)
    for org in (party.west, party.other):
        org.term_started_on = ends_in_45
        org.save()
    party.east.term_started_on = today.replace(year=today.year - 4)
    party.east.save()
    everything = Organisation.objects.all()
    assert set(checks.ending_soon(everything)) == {party.west, party.other}
    assert set(checks.overdue(everything)) == {party.east}
    RuleOverride.objects.create(region=world.ours, key="term_warning_days", value=30, reason="x")
    assert set(checks.ending_soon(everything)) == {party.other}


def test_an_entity_has_one_own_organisation(party, world):
    entity = covered_entity(party.west, region=world.grid_sw)
    with translation.override("zh-hans"):
        refusal = checks.coverage_refusal(party.east, entity, "own")
    assert "江宁街区党支部" in refusal and "只能有一个" in refusal
    assert checks.coverage_refusal(party.east, entity, "joint") is None
    assert "已由本党组织覆盖" in checks.coverage_refusal(party.west, entity, "joint")
