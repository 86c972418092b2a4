"""Dues: the official brackets, payments once a month, paid-up month, the dues page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.members import dues
from jiequ.members.models import DuesPayment
from jiequ.party.models import RuleOverride

from .factories import MemberFactory
from .factories_members import DuesPaymentFactory

TODAY = datetime.date.today()


@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [
        ("employed", "2000", "10.00"),  # 0.5%
        ("employed", "3000", "15.00"),  # 3000 inclusive is still 0.5%
        ("employed", "3000.01", "30.00"),  # 1% of the whole pay, not progressive
        ("employed", "5000", "50.00"),
        ("employed", "8000", "120.00"),  # 1.5%
        ("employed", "10000", "150.00"),
        ("employed", "12345.67", "246.91"),  # 2%, rounded to the fen
        ("retired", "4000", "20.00"),  # 0.5%
        ("retired", "6000", "60.00"),  # 1%
        ("flat", None, "0.20"),
    ],
)
def test_monthly_dues_by_the_brackets(party, category, base, expected):
    member = MemberFactory(organisation=party.west, dues_category=category, dues_base=base)
    assert dues.monthly_dues(member) == Decimal(expected)


def test_no_pay_entered_gives_none_and_a_message(party):
    member = MemberFactory(organisation=party.west, dues_category="employed", dues_base=None)
    assert dues.monthly_dues(member) is None
    assert "税后工资" in dues.dues_note(member) or "after-tax" in dues.dues_note(member)


def test_brackets_follow_a_subdistrict_override(party, world):
    RuleOverride.objects.create(region=world.ours, key="dues_flat_yuan", value="0.5", reason="试点")
    member = MemberFactory(organisation=party.west, dues_category="flat")
    assert dues.monthly_dues(member) == Decimal("0.50")


def test_one_payment_per_month(party, users):
    member = MemberFactory(organisation=party.west, dues_category="employed", dues_base="4000")
    payment = dues.record_payment(member, datetime.date(2025, 3, 17), by=users.staff)
    assert payment.month == datetime.date(2025, 3, 1) and payment.amount == Decimal("40.00")
    with pytest.raises(dues.DuesError):
        dues.record_payment(member, datetime.date(2025, 3, 1), by=users.staff, amount=Decimal(1))
    assert DuesPayment.objects.count() == 1
    with pytest.raises(dues.DuesError):
        dues.record_payment(member, datetime.date(2025, 4, 1), amount=Decimal("0"))


def test_paid_up_to_is_the_end_of_the_unbroken_run(party):
    member = MemberFactory(organisation=party.west)
    assert dues.paid_up_to(member) is None
    for month in ("2024-11", "2024-12", "2025-01", "2025-03"):
        DuesPaymentFactory(member=member, month=dues.parse_month(month))
    assert dues.paid_up_to(member) == datetime.date(2025, 1, 1)
    DuesPaymentFactory(member=member, month=datetime.date(2025, 2, 1))
    assert dues.paid_up_to(member) == datetime.date(2025, 3, 1)


def test_dues_page_shows_paid_and_unpaid_with_totals(party, users, login):
    a = MemberFactory(organisation=party.west, name="甲", dues_base="4000")  # 40.00
    b = MemberFactory(organisation=party.group, name="乙", dues_base="8000")  # 120.00
    c = MemberFactory(organisation=party.west, name="丙", dues_base=None)
    DuesPaymentFactory(member=a, month=datetime.date(2025, 3, 1), amount="40.00")
    client = login(users.staff)
    page = client.get(reverse("members:dues"), {"organisation": party.west.pk, "month": "2025-03"})
    sheet = page.context["sheet"]
    rows = {r.member.name: r for r in sheet.rows}
    assert {"甲", "乙", "丙"} <= set(rows)  # the Party group's members are the branch's too
    assert rows["甲"].paid and not rows["乙"].paid and rows["丙"].dues is None
    assert sheet.paid_total == Decimal("40.00")
    assert sheet.unknown_count >= 1
    html = page.content.decode()
    assert "未填工资" in html
    assert b and c


def test_record_ticked_payments_all_or_nothing(party, users, login):
    a = MemberFactory(organisation=party.west, name="甲", dues_base="4000")
    b = MemberFactory(organisation=party.west, name="乙", dues_base="8000")
    c = MemberFactory(organisation=party.west, name="丙", dues_base=None)
    client = login(users.secretary)
    url = reverse("members:dues")
    base = {"organisation": party.west.pk, "month": "2025-03", "paid_on": "2025-03-10"}
    # One member without pay entered and no amount: nothing is recorded.
    response = client.post(url, {**base, "pay": [a.pk, b.pk, c.pk]}, follow=True)
    assert "未登记任何记录" in response.content.decode()
    assert not DuesPayment.objects.exists()
    # A bad amount: nothing recorded either.
    client.post(url, {**base, "pay": [a.pk, b.pk], f"amount_{b.pk}": "abc"})
    assert not DuesPayment.objects.exists()
    response = client.post(url, {**base, "pay": [a.pk, b.pk], f"amount_{b.pk}": "100"})
    assert response.status_code == 302
    amounts = dict(DuesPayment.objects.values_list("member__name", "amount"))
    assert amounts == {"甲": Decimal("40.00"), "乙": Decimal("100.00")}
    # Paying again for the same month is refused with a message.
    response = client.post(url, {**base, "pay": [a.pk]}, follow=True)
    assert "已交纳" in response.content.decode()
    assert DuesPayment.objects.count() == 2


def test_dues_page_is_scoped(party, users, login):
    east = party.east_members[0]
    client = login(users.secretary)
    page = client.get(reverse("members:dues"))
    assert page.context["organisation"] == party.west
    names = {r.member.name for r in page.context["sheet"].rows}
    assert names == {m.name for m in party.west_members}
    # Another branch is not offered; asking for it shows their own.
    page = client.get(reverse("members:dues"), {"organisation": party.east.pk})
    assert page.context["organisation"] in (party.west, party.group)
    response = client.post(
        reverse("members:dues"),
        {
            "organisation": party.east.pk,
            "month": "2025-03",
            "pay": [east.pk],
            "paid_on": "2025-03-10",
        },
    )
    assert response.status_code in (302, 403)
    assert not DuesPayment.objects.filter(member=east).exists()
    assert login(users.grid).get(reverse("members:dues")).status_code == 403


def test_bad_month_and_paid_on(party, users, login):
    client = login(users.staff)
    page = client.get(reverse("members:dues"), {"month": "2025-13"}, follow=True)
    assert page.status_code == 200
    member = party.west_members[0]
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    client.post(
        reverse("members:dues"),
        {"organisation": party.west.pk, "month": "2025-03", "pay": [member.pk], "paid_on": future},
    )
    assert not DuesPayment.objects.exists()


def test_dues_export(party, users, login):
    a = MemberFactory(organisation=party.west, name="甲", dues_base="4000")
    DuesPaymentFactory(member=a, month=datetime.date(2025, 3, 1), amount="40.00")
    client = login(users.staff)
    params = {"organisation": party.west.pk, "month": "2025-03"}
    text = client.get(reverse("members:dues"), {**params, "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "甲" in text and "40.00" in text and "合计" in text
    xlsx = client.get(reverse("members:dues"), {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert any(row[0] == "甲" for row in sheet.iter_rows(values_only=True))
    # No phone numbers in the export.
    assert "139" not in text
