"""The rules page: every rule with its source; a subdistrict admin sets and clears its own."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jiequ.party import rules
from jiequ.party.forms import parse_rule_value
from jiequ.party.models import RuleOverride

from .factories import OrganisationFactory


def edit_url(key):
    return reverse("party:rule_edit", args=[key])


def test_the_page_lists_every_rule_with_default_and_source(party, users, login):
    response = login(users.staff).get(reverse("party:rules"))
    assert response.status_code == 200
    assert [row["rule"].key for row in response.context["rows"]] == list(rules.RULES)
    page = response.content.decode()
    for rule in rules.RULES.values():
        assert rule.source in page
    assert "3000 0.5" in page  # the dues table, as a person reads it
    assert edit_url("branch_min_full_members") not in page  # staff do not adjust


def test_the_value_in_force_is_the_users_subdistricts(party, users, login, world):
    RuleOverride.objects.create(
        region=world.ours, key="branch_min_full_members", value=4, reason="本街道试点"
    )
    rows = {
        r["rule"].key: r for r in login(users.secretary).get(reverse("party:rules")).context["rows"]
    }
    assert rows["branch_min_full_members"]["in_force"] == "4"
    assert rows["branch_min_full_members"]["default"] == "3"
    assert rows["branch_min_full_members"]["override"].reason == "本街道试点"
    rows = {
        r["rule"].key: r
        for r in login(users.other_admin).get(reverse("party:rules")).context["rows"]
    }
    assert rows["branch_min_full_members"]["in_force"] == "3"


def test_members_have_no_rules_page(users, login):
    assert login(users.member).get(reverse("party:rules")).status_code == 403


def test_admin_sets_an_override_with_a_reason(party, users, login, world):
    client = login(users.admin)
    assert (
        edit_url("branch_min_full_members") in client.get(reverse("party:rules")).content.decode()
    )
    response = client.post(
        edit_url("term_warning_days"), {"action": "set", "value": "60", "reason": "提前两个月提示"}
    )
    assert response.status_code == 302
    override = RuleOverride.objects.get(region=world.ours, key="term_warning_days")
    assert (override.value, override.reason) == (60, "提前两个月提示")
    assert rules.value("term_warning_days", world.grid_sw) == 60
    assert rules.value("term_warning_days", world.other) == 90
    history = override.history.get()
    assert history.history_user == users.admin and history.history_change_reason == "提前两个月提示"


def test_admin_changes_and_clears_an_override_with_history(party, users, login, world):
    client = login(users.admin)
    client.post(edit_url("term_warning_days"), {"action": "set", "value": "60", "reason": "一"})
    client.post(edit_url("term_warning_days"), {"action": "set", "value": "45", "reason": "二"})
    response = client.post(
        edit_url("term_warning_days"), {"action": "clear", "clear-reason": "恢复默认"}
    )
    assert response.status_code == 302
    assert not RuleOverride.objects.exists()
    assert rules.value("term_warning_days", world.ours) == 90
    history = RuleOverride.history.filter(key="term_warning_days").order_by("history_id")
    assert [(h.history_type, h.value) for h in history] == [("+", 60), ("~", 45), ("-", 45)]
    page = client.get(edit_url("term_warning_days")).content.decode()
    assert "恢复默认" in page and "二" in page


def test_clearing_needs_a_reason(party, users, login, world):
    RuleOverride.objects.create(region=world.ours, key="term_warning_days", value=60, reason="x")
    response = login(users.admin).post(edit_url("term_warning_days"), {"action": "clear"})
    assert response.status_code == 200
    assert RuleOverride.objects.exists()


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "三", "", "99999999"])
def test_whole_number_rules_refuse_bad_values(party, users, login, value):
    response = login(users.admin).post(
        edit_url("branch_min_full_members"), {"action": "set", "value": value, "reason": "测试"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["value"]
    assert not RuleOverride.objects.exists()


def test_the_flat_dues_take_an_amount(party, users, login, world):
    client = login(users.admin)
    response = client.post(
        edit_url("dues_flat_yuan"), {"action": "set", "value": "0.205", "reason": "x"}
    )
    assert "两位小数" in str(response.context["form"].errors["value"])
    client.post(edit_url("dues_flat_yuan"), {"action": "set", "value": "0.50", "reason": "x"})
    assert rules.decimal_value("dues_flat_yuan", world.ours) == Decimal("0.5")
    assert RuleOverride.objects.get().value == "0.5"


def test_a_dues_table_is_entered_one_bracket_a_line(party, users, login, world):
    response = login(users.admin).post(
        edit_url("dues_employed_brackets"),
        {"action": "set", "value": "3500 0.5\n6000, 1\n12000 1.5%\n以上 2", "reason": "新标准"},
    )
    assert response.status_code == 302
    assert rules.value("dues_employed_brackets", world.ours) == [
        [3500, "0.5"],
        [6000, "1"],
        [12000, "1.5"],
        [None, "2"],
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("5000 0.5\n3000 1\n以上 2", "逐档递增"),
        ("3000 0.5\n5000 1", "最后一档不设上限"),
        ("3000 0.5\n以上 1\n以上 2", "只有最后一档"),
        ("3000 abc\n以上 2", "不是数字"),
        ("3000 0\n以上 2", "大于零"),
        ("3000 0.5\n以上 150", "不能超过100"),
        ("3000.5 0.5\n以上 2", "整数元"),
        ("3000 0.5 7\n以上 2", "每行填写"),
        ("", ""),
        ('[[3000, "0.5"], [null, "2"]', "分档表"),
    ],
)
def test_bad_tables_are_refused_with_a_reason(party, users, login, text, message):
    response = login(users.admin).post(
        edit_url("dues_employed_brackets"), {"action": "set", "value": text, "reason": "x"}
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["value"])
    assert not RuleOverride.objects.exists()


def test_a_table_may_be_given_as_json():
    rule = rules.RULES["dues_retired_brackets"]
    assert parse_rule_value(rule, '[[5000, "0.5"], [null, "1"]]') == [[5000, "0.5"], [None, "1"]]
    with pytest.raises(ValidationError):
        parse_rule_value(rule, '{"a": 1}')


def test_only_the_subdistrict_admin_adjusts(party, users, login):
    for user in (users.staff, users.secretary, users.district):
        response = login(user).post(
            edit_url("term_warning_days"), {"action": "set", "value": "60", "reason": "x"}
        )
        assert response.status_code == 403
    assert login(users.admin).get(edit_url("no_such_rule")).status_code == 404
    assert not RuleOverride.objects.exists()


def test_a_new_term_length_moves_the_stored_term_ends(party, users, login, world):
    today = timezone.localdate()
    start = today.replace(year=today.year - 1)
    fixed = OrganisationFactory(
        parent=party.committee, region=world.east, term_started_on=start, term_years=3
    )
    party.west.term_started_on = start
    party.west.save()
    login(users.admin).post(
        edit_url("branch_term_years"), {"action": "set", "value": "5", "reason": "统一五年"}
    )
    party.west.refresh_from_db()
    fixed.refresh_from_db()
    assert party.west.term_ends_on == start.replace(year=start.year + 5)
    assert fixed.term_ends_on == start.replace(year=start.year + 3)  # its own term length
    assert party.west.history.first().history_change_reason == "term length rule changed"
    party.other.refresh_from_db()
    assert party.other.term_ends_on == party.other.term_started_on.replace(
        year=party.other.term_started_on.year + 3
    )
