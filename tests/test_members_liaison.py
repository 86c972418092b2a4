"""Mobile members: when the next report is due, the due list, certificates, the daily reminder."""

import datetime

from django.core.management import call_command
from django.urls import reverse

from jiequ.members import liaison
from jiequ.members.models import Member
from jiequ.party.models import RuleOverride

from .factories import MobileMemberFactory
from .factories_members import LiaisonReportFactory

TODAY = datetime.date.today()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def mobile(party, name, report_days_ago=None, **kwargs):
    member = MobileMemberFactory(
        organisation=kwargs.pop("organisation", party.west), name=name, **kwargs
    )
    if report_days_ago is not None:
        LiaisonReportFactory(member=member, reported_on=days_ago(report_days_ago))
    return member


def test_next_due_from_last_report_else_check_in_else_entry(party):
    reported = mobile(party, "甲", report_days_ago=100, checked_in_on=days_ago(300))
    assert liaison.next_due(reported) == days_ago(100) + datetime.timedelta(days=365)
    checked = mobile(party, "乙", checked_in_on=days_ago(300))
    assert liaison.next_due(checked) == days_ago(300) + datetime.timedelta(days=365)
    new = mobile(party, "丙")
    assert liaison.next_due(new) == TODAY + datetime.timedelta(days=365)


def test_the_interval_is_a_rule_a_subdistrict_can_change(party, world):
    member = mobile(party, "甲", report_days_ago=200)
    assert liaison.next_due(member) == days_ago(200) + datetime.timedelta(days=365)
    RuleOverride.objects.create(
        region=world.ours, key="liaison_interval_days", value=180, reason="半年一报"
    )
    assert liaison.next_due(member) == days_ago(20)
    assert [d.member for d in liaison.due_list(Member.objects.all())] == [member]


def test_due_list_has_overdue_and_soon_due_only(party):
    overdue = mobile(party, "逾期", report_days_ago=400)
    soon = mobile(party, "将到期", report_days_ago=350)
    mobile(party, "不急", report_days_ago=100)
    mobile(party, "已离开", report_days_ago=400, left_on=days_ago(5), left_reason="转出")
    dues = liaison.due_list(Member.objects.all())
    assert [d.member for d in dues] == [overdue, soon]
    assert dues[0].overdue and dues[0].days_overdue == 35
    assert not dues[1].overdue and dues[1].days_left == 15


def test_liaison_due_page_is_scoped(party, users, login):
    mobile(party, "西边逾期", report_days_ago=400)
    mobile(party, "东边逾期", report_days_ago=400, organisation=party.east)
    page = login(users.secretary).get(reverse("members:liaison_due"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "西边逾期" in html and "东边逾期" not in html
    assert "已逾期 35 天" in html
    assert "流动党员管理" in html  # the rule's source is shown
    staff = login(users.staff).get(reverse("members:liaison_due")).content.decode()
    assert "西边逾期" in staff and "东边逾期" in staff
    assert login(users.district).get(reverse("members:liaison_due")).status_code == 403


def test_certificates_expired_and_expiring_are_flagged(party, users, login):
    mobile(
        party,
        "过期证",
        mobile_certificate_number="皖流001",
        mobile_certificate_valid_until=days_ago(3),
    )
    mobile(
        party,
        "快到期",
        mobile_certificate_number="皖流002",
        mobile_certificate_valid_until=TODAY + datetime.timedelta(days=20),
    )
    fine = mobile(
        party,
        "还早",
        mobile_certificate_number="皖流003",
        mobile_certificate_valid_until=TODAY + datetime.timedelta(days=200),
    )
    html = login(users.staff).get(reverse("members:liaison_due")).content.decode()
    assert "过期证" in html and "快到期" in html and "还早" not in html
    assert "已过期" in html and "即将到期" in html
    assert liaison.certificate_state(fine) == ""
    detail = login(users.staff).get(reverse("members:member_detail", args=[fine.pk]))
    assert "皖流003" in detail.content.decode()


def test_liaison_due_filter_on_the_member_list(party, users, login):
    mobile(party, "逾期", report_days_ago=400)
    mobile(party, "不急", report_days_ago=10)
    response = login(users.staff).get(reverse("members:member_list"), {"liaison_due": "true"})
    assert {m.name for m in response.context["object_list"]} == {"逾期"}


def test_daily_reminder_command_lists_per_organisation(party, capsys):
    mobile(party, "西边逾期", report_days_ago=400)
    mobile(party, "东边将到期", report_days_ago=350, organisation=party.east)
    mobile(party, "不急", report_days_ago=10)
    output = call_command("liaison_reminders")
    printed = capsys.readouterr().out
    assert output.strip() in printed
    assert "【江宁街区党支部】1 人" in output and "西边逾期" in output and "已逾期 35 天" in output
    assert "【成都街区党支部】1 人" in output and "东边将到期" in output
    assert "不急" not in output


def test_reminder_for_another_day_and_bad_dates(party):
    mobile(party, "甲", report_days_ago=300)
    later = (TODAY + datetime.timedelta(days=70)).isoformat()
    assert "甲" in call_command("liaison_reminders", "--date", later)
    assert "甲" not in call_command("liaison_reminders")
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("liaison_reminders", "--date", "2025-13-01")
