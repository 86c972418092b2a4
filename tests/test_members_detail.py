"""The member page: masked phone, posts, check-in, liaison log, transfers, dues."""

import datetime

from django.urls import reverse

from jiequ.members.models import DuesPayment, LiaisonReport, Member

from .factories import MemberFactory, MobileMemberFactory, OfficerFactory
from .factories_members import DuesPaymentFactory, TransferFactory

TODAY = datetime.date.today()


def test_detail_shows_the_member_with_the_phone_masked(party, users, login):
    member = MemberFactory(organisation=party.west, phone="+8613812340000", name="吴一")
    OfficerFactory(organisation=party.west, member=member, role="secretary")
    TransferFactory(member=member, organisation=party.west, letter_number="转001")
    DuesPaymentFactory(member=member, month=TODAY.replace(day=1), amount="12.50")
    page = login(users.staff).get(reverse("members:member_detail", args=[member.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "138****0000" in html and "13812340000" not in html
    assert "书记" in html  # the committee post
    assert "转001" in html
    assert "12.50" in html


def test_secretary_sees_own_branch_member_not_others(party, users, login):
    client = login(users.secretary)
    ours = party.west_members[0]
    assert client.get(reverse("members:member_detail", args=[ours.pk])).status_code == 200
    for other in (party.east_members[0], party.other_members[0]):
        assert client.get(reverse("members:member_detail", args=[other.pk])).status_code == 404


def test_check_in_at_an_area(party, users, login, world):
    member = party.west_members[0]
    client = login(users.staff)
    url = reverse("members:member_check_in", args=[member.pk])
    response = client.post(url, {"area": world.west.pk, "checked_in_on": "2025-03-01"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.checked_in_area == world.west
    assert member.checked_in_on == datetime.date(2025, 3, 1)
    assert "报到" in member.history.first().history_change_reason


def test_check_in_refuses_grids_other_subdistricts_and_future_dates(party, users, login, world):
    member = party.west_members[0]
    client = login(users.staff)
    url = reverse("members:member_check_in", args=[member.pk])
    for data in (
        {"area": world.grid_sw.pk, "checked_in_on": "2025-03-01"},
        {"area": world.other_area.pk, "checked_in_on": "2025-03-01"},
        {"area": world.west.pk, "checked_in_on": (TODAY + datetime.timedelta(days=3)).isoformat()},
        {"area": world.west.pk, "checked_in_on": "not a date"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "13900" not in response.content.decode()
    member.refresh_from_db()
    assert member.checked_in_on is None


def test_secretary_checks_in_own_member_only_in_own_area(party, users, login, world):
    client = login(users.secretary)
    member = party.west_members[0]
    url = reverse("members:member_check_in", args=[member.pk])
    assert (
        client.post(url, {"area": world.east.pk, "checked_in_on": "2025-03-01"}).status_code == 400
    )
    assert (
        client.post(url, {"area": world.west.pk, "checked_in_on": "2025-03-01"}).status_code == 302
    )
    other = party.east_members[0]
    response = client.post(
        reverse("members:member_check_in", args=[other.pk]),
        {"area": world.west.pk, "checked_in_on": "2025-03-01"},
    )
    assert response.status_code == 404


def test_liaison_report_from_the_member_page(party, users, login):
    member = MobileMemberFactory(organisation=party.west)
    client = login(users.secretary)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "下次应于" in page
    response = client.post(
        reverse("members:liaison_add", args=[member.pk]),
        {"reported_on": TODAY.isoformat(), "channel": "phone", "summary": "参加主题党日"},
    )
    assert response.status_code == 302
    report = LiaisonReport.objects.get(member=member)
    assert report.recorded_by == users.secretary and report.summary == "参加主题党日"


def test_liaison_report_bad_input(party, users, login):
    mobile = MobileMemberFactory(organisation=party.west)
    here = party.west_members[0]
    client = login(users.staff)
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    bad = [
        (mobile, {"reported_on": future, "channel": "phone", "summary": "x"}),
        (mobile, {"reported_on": TODAY.isoformat(), "channel": "pigeon", "summary": "x"}),
        (mobile, {"reported_on": TODAY.isoformat(), "channel": "phone", "summary": "  "}),
        (here, {"reported_on": TODAY.isoformat(), "channel": "phone", "summary": "x"}),
    ]
    for member, data in bad:
        response = client.post(reverse("members:liaison_add", args=[member.pk]), data)
        assert response.status_code == 400
    assert not LiaisonReport.objects.exists()
    response = client.post(
        reverse("members:liaison_add", args=[here.pk]),
        {"reported_on": TODAY.isoformat(), "channel": "phone", "summary": "x"},
    )
    assert "流动党员" in response.content.decode()


def test_record_a_payment_from_the_member_page(party, users, login):
    member = MemberFactory(organisation=party.west, dues_category="employed", dues_base="4000")
    client = login(users.secretary)
    url = reverse("members:member_pay", args=[member.pk])
    response = client.post(url, {"month": "2025-03", "amount": "", "paid_on": "2025-03-05"})
    assert response.status_code == 302
    payment = DuesPayment.objects.get(member=member)
    assert payment.month == datetime.date(2025, 3, 1) and str(payment.amount) == "40.00"
    again = client.post(url, {"month": "2025-03", "amount": "40", "paid_on": "2025-03-06"})
    assert again.status_code == 400 and "已交纳" in again.content.decode()
    assert DuesPayment.objects.count() == 1
    assert client.post(url, {"month": "March", "paid_on": "2025-03-06"}).status_code == 400


def test_payment_without_pay_entered_asks_for_it(party, users, login):
    member = MemberFactory(organisation=party.west, dues_category="employed", dues_base=None)
    client = login(users.staff)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "税后工资" in page
    response = client.post(
        reverse("members:member_pay", args=[member.pk]),
        {"month": "2025-03", "amount": "", "paid_on": "2025-03-05"},
    )
    assert response.status_code == 400 and not DuesPayment.objects.exists()


def test_district_and_grid_cannot_open_members(party, users, login):
    member = party.west_members[0]
    for user in (users.district, users.grid):
        assert (
            login(user).get(reverse("members:member_detail", args=[member.pk])).status_code == 403
        )
    assert Member.objects.count() == 7
