"""The member list: filters, search by name or exact phone, scope, and the export (masked)."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from jiequ.core import crypto

from .factories import MemberFactory, MobileMemberFactory


def names(response):
    return {obj.name for obj in response.context["object_list"]}


def test_staff_see_the_subdistrict_members_not_the_neighbours(party, users, login):
    response = login(users.staff).get(reverse("members:member_list"))
    assert response.status_code == 200
    expected = {m.name for m in party.west_members + party.east_members}
    assert names(response) == expected


def test_secretary_sees_only_own_branch(party, users, login):
    response = login(users.secretary).get(reverse("members:member_list"))
    assert names(response) == {m.name for m in party.west_members}


def test_district_grid_and_member_roles_cannot_list_members(party, users, login, client):
    for user in (users.district, users.grid, users.member):
        assert login(user).get(reverse("members:member_list")).status_code == 403


def test_filters(party, users, login, world):
    mobile = MobileMemberFactory(organisation=party.west, name="流动甲")
    probationary = MemberFactory(organisation=party.east, membership="probationary", name="预备乙")
    checked = MemberFactory(organisation=party.group, name="报到丙", checked_in_on="2025-01-05")
    client = login(users.staff)
    url = reverse("members:member_list")
    assert names(client.get(url, {"mobile": "true"})) == {"流动甲"}
    assert names(client.get(url, {"membership": "probationary"})) == {"预备乙"}
    assert "报到丙" in names(client.get(url, {"checked_in": "true"}))
    assert "报到丙" not in names(client.get(url, {"checked_in": "false"}))
    # The organisation filter includes the organisations under it (the Party group).
    west = names(client.get(url, {"organisation": party.west.pk}))
    assert {"流动甲", "报到丙"} <= west and "预备乙" not in west
    # A mobile member entered today is due only in a year: not in the "report due" filter.
    assert "流动甲" not in names(client.get(url, {"liaison_due": "true"}))
    assert mobile and probationary and checked


def test_search_by_name_or_exact_phone(party, users, login):
    member = MemberFactory(organisation=party.west, name="王小明", phone="+8613912345678")
    client = login(users.staff)
    url = reverse("members:member_list")
    assert names(client.get(url, {"q": "小明"})) == {"王小明"}
    assert names(client.get(url, {"q": "139 1234 5678"})) == {"王小明"}
    assert names(client.get(url, {"q": "13912345670"})) == set()
    assert member.phone_hash == crypto.lookup_hash("+8613912345678")


def test_those_who_left_are_listed_on_request(party, users, login):
    MemberFactory(organisation=party.west, name="已转出", left_on="2025-01-01", left_reason="转出")
    client = login(users.staff)
    url = reverse("members:member_list")
    assert "已转出" not in names(client.get(url))
    assert names(client.get(url, {"status": "left"})) == {"已转出"}
    assert "已转出" in names(client.get(url, {"status": "all"}))


def test_organisation_filter_outside_scope_matches_nothing(party, users, login):
    response = login(users.secretary).get(
        reverse("members:member_list"), {"organisation": party.east.pk}
    )
    assert response.status_code == 200 and names(response) == set()


def test_list_and_exports_show_masked_phones_only(party, users, login):
    MemberFactory(organisation=party.west, name="赵六", phone="+8613811112222")
    client = login(users.staff)
    page = client.get(reverse("members:member_list")).content.decode()
    assert "138****2222" in page and "13811112222" not in page
    csv_response = client.get(reverse("members:member_export"), {"format": "csv"})
    text = csv_response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert "手机号码" in rows[0] or "mobile phone" in rows[0]
    assert any("138****2222" in row for row in rows)
    assert "13811112222" not in text
    xlsx = client.get(reverse("members:member_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "138****2222" in cells
    assert not any("13811112222" in c for c in cells)


def test_export_is_scoped(party, users, login):
    text = (
        login(users.secretary)
        .get(reverse("members:member_export"), {"format": "csv"})
        .content.decode("utf-8-sig")
    )
    for member in party.west_members:
        assert member.name in text
    for member in party.east_members + party.other_members:
        assert member.name not in text
