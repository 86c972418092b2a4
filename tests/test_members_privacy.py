"""No page, export or API answer of the members app shows a full phone number."""

import datetime

from django.urls import reverse

from jiequ.members.models import Member

from .factories import MobileMemberFactory
from .factories_members import DuesPaymentFactory, LiaisonReportFactory, TransferFactory

FULL = "13612345678"
MASKED = "136****5678"


def test_full_phone_is_never_shown(party, users, login, world):
    member = MobileMemberFactory(
        organisation=party.west, name="隐私甲", phone=f"+86{FULL}", checked_in_on="2025-01-02"
    )
    LiaisonReportFactory(
        member=member, reported_on=datetime.date.today() - datetime.timedelta(days=400)
    )
    DuesPaymentFactory(member=member, month=datetime.date(2025, 1, 1))
    transfer = TransferFactory(member=member, organisation=party.west, direction="in")
    client = login(users.staff)
    # A change through the form, so the history has entries with changes.
    page = client.get(reverse("members:member_edit", args=[member.pk]))
    client.post(
        reverse("members:member_edit", args=[member.pk]),
        {
            "name": "隐私甲",
            "phone": "",
            "membership": "probationary",
            "organisation": party.west.pk,
            "record_location": "elsewhere",
            "record_elsewhere_name": "某村党支部",
            "record_province": "安徽省",
            "record_city": "宿州市",
            "dues_category": "flat",
            "loaded_at": page.context["form"]["loaded_at"].value(),
        },
    )
    assert Member.objects.get(pk=member.pk).membership == "probationary"
    pages = [
        reverse("members:member_list"),
        reverse("members:member_detail", args=[member.pk]),
        reverse("members:member_edit", args=[member.pk]),
        reverse("members:member_history", args=[member.pk]),
        reverse("members:member_export") + "?format=csv",
        reverse("members:liaison_due"),
        reverse("members:transfer_list"),
        reverse("members:transfer_detail", args=[transfer.pk]),
        reverse("members:transfer_history", args=[transfer.pk]),
        reverse("members:transfer_export") + "?format=csv",
        reverse("members:dues") + f"?organisation={party.west.pk}&month=2025-01",
        reverse("members:dues") + f"?organisation={party.west.pk}&month=2025-01&format=csv",
    ]
    for user in (users.staff, users.admin, users.secretary):
        client = login(user)
        for url in pages:
            response = client.get(url)
            # A secretary may not export transfers; everything else opens.
            assert response.status_code in ((200, 403) if user == users.secretary else (200,))
            body = response.content.decode("utf-8-sig")
            assert FULL not in body, (user, url)
    # Searching by the number finds the member; the list still shows it masked.
    found = login(users.staff).get(reverse("members:member_list"), {"q": FULL})
    assert [m.name for m in found.context["object_list"]] == ["隐私甲"]
    assert MASKED in found.content.decode()
    detail = login(users.secretary).get(reverse("members:member_detail", args=[member.pk]))
    assert MASKED in detail.content.decode()


def test_bad_parameters_do_not_break_pages(party, users, login):
    client = login(users.staff)
    for url, params in (
        (reverse("members:member_list"), {"organisation": "abc", "mobile": "perhaps"}),
        (reverse("members:member_list"), {"status": "gone", "page": "999"}),
        (reverse("members:transfer_list"), {"state": "nonsense"}),
        (reverse("members:dues"), {"organisation": "x", "month": "yesterday"}),
    ):
        assert client.get(url, params).status_code in (200, 404), (url, params)
    assert client.get("/members/999999/").status_code == 404
    assert client.get("/members/transfers/999999/").status_code == 404
