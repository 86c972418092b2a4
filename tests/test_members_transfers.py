"""Transfers in and out: the letter, defaults from the rules, the state machine, overdue."""

import datetime

import pytest
from django.urls import reverse

from jiequ.members import transfers
from jiequ.members.models import Transfer

from .factories import MemberFactory, MobileMemberFactory
from .factories_members import DuesPaymentFactory, TransferFactory

TODAY = datetime.date.today()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def month(d):
    return d.replace(day=1)


def add_data(member, organisation, /, **overrides):
    data = {
        "member": member.pk,
        "direction": "out",
        "organisation": organisation.pk,
        "counterpart": "中共江苏省盐城市亭湖区某某社区委员会",
        "counterpart_province": "江苏省",
        "counterpart_city": "盐城市",
        "letter_number": "静转〔2025〕1号",
        "issued_on": TODAY.isoformat(),
        "valid_days": "",
        "dues_paid_to": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def paid_member(party):
    member = MemberFactory(organisation=party.west, name="赵转出")
    for m in (month(days_ago(70)), month(days_ago(40)), month(days_ago(5))):
        DuesPaymentFactory(member=member, month=m)
    return member


def test_issue_a_transfer_out_with_the_defaults(party, users, login, paid_member):
    client = login(users.staff)
    form = client.get(reverse("members:transfer_add"), {"member": paid_member.pk})
    assert form.context["form"].initial["direction"] == "out"
    response = client.post(reverse("members:transfer_add"), add_data(paid_member, party.west))
    transfer = Transfer.objects.get()
    assert response["Location"] == transfer.get_absolute_url()
    assert transfer.valid_days == 30  # rules: transfer_valid_days
    assert transfer.state == "issued"
    assert transfer.history.first().history_change_reason == "开具介绍信"
    # Dues paid up to defaults to the end of the unbroken run of payments.
    from jiequ.members.dues import paid_up_to

    assert transfer.dues_paid_to == paid_up_to(paid_member)


def test_month_picker_value_is_stored_as_the_month(party, users, login, paid_member):
    login(users.staff).post(
        reverse("members:transfer_add"),
        add_data(paid_member, party.west, dues_paid_to="2024-11", valid_days="60"),
    )
    transfer = Transfer.objects.get()
    assert transfer.dues_paid_to == datetime.date(2024, 11, 1) and transfer.valid_days == 60


def test_no_payment_and_no_month_is_refused(party, users, login):
    member = MemberFactory(organisation=party.west)
    response = login(users.staff).post(
        reverse("members:transfer_add"), add_data(member, party.west)
    )
    assert "dues_paid_to" in response.context["form"].errors
    assert not Transfer.objects.exists()


def test_letter_numbers_cannot_repeat_within_a_direction(party, users, login, paid_member):
    TransferFactory(
        member=party.west_members[0], organisation=party.west, letter_number="静转〔2025〕1号"
    )
    client = login(users.staff)
    response = client.post(reverse("members:transfer_add"), add_data(paid_member, party.west))
    assert "不能重复" in str(response.context["form"].errors["letter_number"])
    assert Transfer.objects.count() == 1
    # The same number on a transfer in is another series.
    mobile = MobileMemberFactory(organisation=party.west)
    DuesPaymentFactory(member=mobile, month=month(TODAY))
    response = client.post(
        reverse("members:transfer_add"), add_data(mobile, party.west, direction="in")
    )
    assert response.status_code == 302 and Transfer.objects.count() == 2


def test_direction_must_fit_where_the_record_is(party, users, login):
    mobile = MobileMemberFactory(organisation=party.west)
    here = MemberFactory(organisation=party.west)
    client = login(users.staff)
    out = client.post(
        reverse("members:transfer_add"),
        add_data(mobile, party.west, dues_paid_to="2025-01"),
    )
    assert "不在本街道" in str(out.context["form"].errors["member"])
    into = client.post(
        reverse("members:transfer_add"),
        add_data(here, party.west, direction="in", dues_paid_to="2025-01"),
    )
    assert "已在本街道" in str(into.context["form"].errors["member"])
    assert not Transfer.objects.exists()


def test_one_open_transfer_per_member(party, users, login, paid_member):
    TransferFactory(member=paid_member, organisation=party.west, letter_number="旧1")
    response = login(users.staff).post(
        reverse("members:transfer_add"), add_data(paid_member, party.west)
    )
    assert "未办结" in str(response.context["form"].errors["member"])


def test_our_organisation_must_be_in_scope(party, users, login, paid_member):
    response = login(users.staff).post(
        reverse("members:transfer_add"), add_data(paid_member, party.other)
    )
    assert "organisation" in response.context["form"].errors
    assert not Transfer.objects.exists()


def test_bad_input_gives_messages_not_errors(party, users, login, paid_member):
    client = login(users.staff)
    for bad in (
        {"issued_on": "yesterday"},
        {"issued_on": (TODAY + datetime.timedelta(days=2)).isoformat()},
        {"valid_days": "0"},
        {"valid_days": "-3"},
        {"dues_paid_to": "2025-13"},
        {"member": "999999"},
        {"direction": "sideways"},
        {"counterpart_city": ""},
    ):
        response = client.post(
            reverse("members:transfer_add"), add_data(paid_member, party.west, **bad)
        )
        assert response.status_code == 200 and response.context["form"].errors, bad
    assert not Transfer.objects.exists()


def test_complete_out_needs_the_return_slip_and_the_member_leaves(party, users, login, paid_member):
    transfer = TransferFactory(
        member=paid_member, organisation=party.west, issued_on=days_ago(10), letter_number="出1"
    )
    client = login(users.staff)
    url = reverse("members:transfer_complete", args=[transfer.pk])
    response = client.post(url, {"on": days_ago(2).isoformat(), "returned_on": ""})
    assert response.status_code == 400
    transfer.refresh_from_db()
    assert transfer.state == "issued"
    response = client.post(
        url, {"on": days_ago(2).isoformat(), "returned_on": days_ago(1).isoformat()}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    paid_member.refresh_from_db()
    assert transfer.state == "completed" and transfer.returned_on == days_ago(1)
    assert paid_member.left_on == days_ago(2) and "转出" in paid_member.left_reason
    assert "出1" in paid_member.history.first().history_change_reason
    # The member has left: no longer in the current list.
    listed = client.get(reverse("members:member_list")).context["object_list"]
    assert paid_member not in listed


def test_complete_in_brings_the_record_here(party, users, login):
    member = MobileMemberFactory(organisation=party.west)
    transfer = TransferFactory(
        member=member, organisation=party.west, direction="in", letter_number="入1"
    )
    login(users.staff).post(
        reverse("members:transfer_complete", args=[transfer.pk]), {"on": TODAY.isoformat()}
    )
    member.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.state == "completed"
    assert member.record_location == "here" and member.record_organisation == party.west
    assert member.record_elsewhere_name == "" and member.is_active


def test_cancel_needs_a_reason_and_closed_transfers_do_not_move(party, users, login, paid_member):
    transfer = TransferFactory(member=paid_member, organisation=party.west)
    client = login(users.staff)
    cancel = reverse("members:transfer_cancel", args=[transfer.pk])
    assert client.post(cancel, {"reason": ""}).status_code == 400
    assert client.post(cancel, {"reason": "本人放弃转出"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == "cancelled" and transfer.closing_reason == "本人放弃转出"
    response = client.post(
        reverse("members:transfer_complete", args=[transfer.pk]),
        {"on": TODAY.isoformat(), "returned_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "不能改为" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.state == "cancelled"
    reasons = [h.history_change_reason for h in transfer.history.all()]
    assert "本人放弃转出" in reasons


def test_letters_past_validity_expire_when_the_list_is_opened(party, users, login, paid_member):
    old = TransferFactory(
        member=paid_member, organisation=party.west, issued_on=days_ago(40), valid_days=30
    )
    fresh = TransferFactory(
        member=party.west_members[0], organisation=party.west, issued_on=days_ago(10)
    )
    client = login(users.staff)
    assert client.get(reverse("members:transfer_list")).status_code == 200
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == "expired" and fresh.state == "issued"
    assert "30" in old.history.first().history_change_reason
    # Expired letters cannot be completed; they may be closed with a reason.
    with pytest.raises(transfers.TransferError):
        transfers.complete(old, on=TODAY, returned_on=TODAY)
    transfers.cancel(old, reason="党员未报到，已重新联系", by=users.staff)
    old.refresh_from_db()
    assert old.state == "cancelled"


def test_expire_overdue_counts(party, paid_member):
    TransferFactory(member=paid_member, organisation=party.west, issued_on=days_ago(31))
    assert transfers.expire_overdue(TODAY) == 1
    assert transfers.expire_overdue(TODAY) == 0


def test_overdue_list(party, users, login, paid_member):
    expired = TransferFactory(
        member=paid_member, organisation=party.west, issued_on=days_ago(60), letter_number="过期1"
    )
    no_slip = TransferFactory(
        member=party.west_members[0],
        organisation=party.west,
        state="completed",
        issued_on=days_ago(20),
        letter_number="无回执1",
    )
    TransferFactory(
        member=party.west_members[1],
        organisation=party.west,
        state="completed",
        returned_on=days_ago(3),
        letter_number="已回执1",
    )
    TransferFactory(member=party.west_members[2], organisation=party.west, letter_number="正常1")
    client = login(users.staff)
    listed = set(client.get(reverse("members:transfer_overdue")).context["object_list"])
    assert listed == {expired, no_slip}
    expired.refresh_from_db()
    assert expired.state == "expired"
    # Re-issuing a letter to the member takes the expired one off the list.
    TransferFactory(member=paid_member, organisation=party.west, letter_number="过期1-重开")
    listed = set(client.get(reverse("members:transfer_overdue")).context["object_list"])
    assert listed == {no_slip}


def test_secretary_reads_own_branch_transfers_only(party, users, login):
    ours = TransferFactory(member=party.west_members[0], organisation=party.west)
    theirs = TransferFactory(member=party.east_members[0], organisation=party.east)
    client = login(users.secretary)
    listed = set(client.get(reverse("members:transfer_list")).context["object_list"])
    assert listed == {ours}
    assert client.get(reverse("members:transfer_detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("members:transfer_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("members:transfer_add")).status_code == 403
    response = client.post(reverse("members:transfer_cancel", args=[ours.pk]), {"reason": "x"})
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.state == "issued"


def test_transfer_history_page_shows_reasons(party, users, login, paid_member):
    transfer = TransferFactory(member=paid_member, organisation=party.west)
    client = login(users.staff)
    client.post(reverse("members:transfer_cancel", args=[transfer.pk]), {"reason": "信息有误"})
    html = client.get(reverse("members:transfer_history", args=[transfer.pk])).content.decode()
    assert "信息有误" in html


def test_export_transfers(party, users, login, paid_member):
    TransferFactory(member=paid_member, organisation=party.west, letter_number="导出1")
    response = login(users.staff).get(reverse("members:transfer_export"), {"format": "csv"})
    assert "导出1" in response.content.decode("utf-8-sig")
