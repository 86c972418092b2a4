"""Committees: posts held from inside and outside, ending a post, cadres, cross-postings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.core.crypto import decrypt, lookup_hash
from jiequ.party.models import Cadre, Officer

from .factories import CadreFactory, EntityFactory, MemberFactory
from .factories_party import committee, covered_entity, outside_post


@pytest.fixture
def shop(party, world):
    return covered_entity(party.west, region=world.grid_sw, sign_name="老王面馆", name="")


@pytest.fixture
def cadre(world):
    return CadreFactory(
        name="市场所张科长", subdistrict=world.ours, department_kind="market_supervision"
    )


def post_data(**overrides):
    data = {
        "role": "secretary",
        "origin": "owner",
        "member": "",
        "cadre": "",
        "entity": "",
        "started_on": "2024-06-01",
        "ended_on": "",
    }
    data.update(overrides)
    return data


def add_url(org):
    return reverse("party:officer_add", args=[org.pk])


def test_an_owner_becomes_secretary(party, users, login, shop):
    owner = party.west_members[0]
    response = login(users.staff).post(
        add_url(party.west), post_data(member=owner.pk, entity=shop.pk)
    )
    assert response.status_code == 302
    officer = Officer.objects.get(organisation=party.west)
    assert (officer.member, officer.entity, officer.is_inside) == (owner, shop, True)
    assert officer.history.count() == 1


def test_a_cadre_serves_from_outside(party, users, login, cadre):
    response = login(users.staff).post(
        add_url(party.west),
        post_data(role="member", origin="market_supervision", cadre=cadre.pk),
    )
    assert response.status_code == 302
    assert Officer.objects.get(organisation=party.west).cadre == cadre


def test_inside_posts_need_a_member_and_a_covered_entity(party, users, login, world, shop):
    client = login(users.staff)
    uncovered = EntityFactory(region=world.grid_sw)
    response = client.post(add_url(party.west), post_data())
    errors = response.context["form"].errors
    assert "须选择担任职务的党员" in str(errors["member"])
    assert "须由本党组织覆盖" in str(errors["entity"])
    response = client.post(
        add_url(party.west), post_data(member=party.west_members[0].pk, entity=uncovered.pk)
    )
    assert "entity" in response.context["form"].errors
    assert not Officer.objects.exists()


def test_outside_posts_need_a_cadre_of_the_matching_department(party, users, login, cadre, shop):
    client = login(users.staff)
    response = client.post(add_url(party.west), post_data(origin="police"))
    assert "须选择担任职务的部门干部" in str(response.context["form"].errors["cadre"])
    response = client.post(add_url(party.west), post_data(origin="police", cadre=cadre.pk))
    assert "来自市场监管" in str(response.context["form"].errors["origin"])
    response = client.post(
        add_url(party.west),
        post_data(
            origin="market_supervision",
            cadre=cadre.pk,
            member=party.west_members[0].pk,
            entity=shop.pk,
        ),
    )
    errors = response.context["form"].errors
    assert "member" in errors and "entity" in errors
    assert not Officer.objects.exists()


def test_one_current_secretary_at_a_time(party, users, login, shop):
    (secretary,) = committee(party.west, 1)
    response = login(users.staff).post(
        add_url(party.west), post_data(member=party.west_members[1].pk, entity=shop.pk)
    )
    assert "是现任书记" in response.content.decode()
    assert Officer.objects.filter(organisation=party.west).count() == 1


def test_a_person_holds_one_current_post_per_committee(party, users, login, shop):
    committee(party.west, 1)
    holder = Officer.objects.get().member
    response = login(users.staff).post(
        add_url(party.west), post_data(role="deputy", member=holder.pk, entity=shop.pk)
    )
    assert "已在本班子中任职" in response.content.decode()


def test_a_branch_committee_has_at_most_seven(party, users, login, world):
    committee(party.west, 4)
    for _ in range(3):
        outside_post(party.west, world.ours)
    extra = CadreFactory(subdistrict=world.ours)
    response = login(users.staff).post(
        add_url(party.west),
        post_data(role="member", origin="market_supervision", cadre=extra.pk),
    )
    page = response.content.decode()
    assert "最多7人" in page and "支部委员会最多人数" in page
    assert Officer.objects.filter(organisation=party.west).count() == 7


def test_dates_and_nonsense(party, users, login, cadre):
    client = login(users.staff)
    response = client.post(
        add_url(party.west),
        post_data(
            role="member",
            origin="market_supervision",
            cadre=cadre.pk,
            started_on="2024-06-01",
            ended_on="2024-01-01",
        ),
    )
    assert "不能早于开始日期" in str(response.context["form"].errors["ended_on"])
    response = client.post(
        add_url(party.west),
        post_data(role="king", origin="moon", cadre="x", started_on="yesterday"),
    )
    assert response.status_code == 200
    assert {"role", "origin", "cadre", "started_on"} <= set(response.context["form"].errors)
    assert not Officer.objects.exists()


def test_edit_and_end_a_post_with_history(party, users, login, cadre):
    post = outside_post(party.west, party.west.region.subdistrict, cadre=cadre)
    client = login(users.staff)
    response = client.post(
        reverse("party:officer_edit", args=[post.pk]),
        post_data(
            role="discipline",
            origin="market_supervision",
            cadre=cadre.pk,
            started_on=post.started_on.isoformat(),
        ),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.role == "discipline"
    response = client.post(
        reverse("party:officer_end", args=[post.pk]),
        {"ended_on": (post.started_on - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.ended_on is None
    today = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("party:officer_end", args=[post.pk]), {"ended_on": today.isoformat()}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.ended_on == today and not post.is_current
    reasons = list(post.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "post ended" and len(reasons) == 3


def test_secretary_reads_the_committee_but_does_not_change_it(party, users, login):
    (post,) = committee(party.west, 1)
    client = login(users.secretary)
    page = client.get(reverse("party:organisation_detail", args=[party.west.pk])).content.decode()
    assert str(post.member) in page and add_url(party.west) not in page
    assert client.get(add_url(party.west)).status_code == 403
    assert client.get(reverse("party:officer_edit", args=[post.pk])).status_code == 403
    assert client.post(reverse("party:officer_end", args=[post.pk])).status_code == 403


def test_neighbour_admin_cannot_reach_our_posts(party, users, login):
    (post,) = committee(party.west, 1)
    client = login(users.other_admin)
    assert client.get(add_url(party.west)).status_code == 404
    assert client.get(reverse("party:officer_edit", args=[post.pk])).status_code == 404
    assert client.post(reverse("party:officer_end", args=[post.pk])).status_code == 404


def test_members_of_another_subdistrict_are_not_offered(party, users):
    from jiequ.party.forms import OfficerForm

    form = OfficerForm(organisation=party.west, user=users.staff)
    offered = set(form.fields["member"].queryset)
    assert set(party.west_members) <= offered and not set(party.other_members) & offered


# Cadres.


def test_add_a_cadre_with_an_encrypted_masked_phone(users, login, world):
    client = login(users.staff)
    response = client.post(
        reverse("party:cadre_add"),
        {
            "name": "城管队李队长",
            "department_kind": "city_management",
            "department": "静安区城管执法局石门二路中队",
            "post": "中队长",
            "subdistrict": world.ours.pk,
            "phone": "139 1234 5678",
        },
    )
    assert response.status_code == 302
    cadre = Cadre.objects.get(name="城管队李队长")
    assert decrypt(cadre.phone_encrypted) == "+8613912345678"
    assert cadre.phone_hash == lookup_hash("+8613912345678")
    page = client.get(reverse("party:cadre_list")).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    detail = client.get(cadre.get_absolute_url()).content.decode()
    assert "139****5678" in detail and "13912345678" not in detail


def test_cadre_phone_is_optional_and_checked(users, login, world):
    client = login(users.staff)
    data = {
        "name": "派出所王警官",
        "department_kind": "police",
        "subdistrict": world.ours.pk,
        "phone": "12345",
    }
    response = client.post(reverse("party:cadre_add"), data)
    assert "phone" in response.context["form"].errors
    assert not Cadre.objects.exists()
    response = client.post(reverse("party:cadre_add"), {**data, "phone": ""})
    assert response.status_code == 302
    assert Cadre.objects.get().phone_encrypted == ""


def test_cadre_phone_kept_replaced_or_removed_on_edit(users, login, world, cadre):
    client = login(users.staff)
    url = reverse("party:cadre_edit", args=[cadre.pk])
    data = {
        "name": cadre.name,
        "department_kind": cadre.department_kind,
        "subdistrict": world.ours.pk,
        "phone": "13912345678",
    }
    client.post(url, data)
    cadre.refresh_from_db()
    assert decrypt(cadre.phone_encrypted) == "+8613912345678"
    client.post(url, {**data, "phone": "", "post": "科长"})
    cadre.refresh_from_db()
    assert cadre.post == "科长" and decrypt(cadre.phone_encrypted) == "+8613912345678"
    client.post(url, {**data, "phone": "", "remove_phone": "on"})
    cadre.refresh_from_db()
    assert cadre.phone_encrypted == "" and cadre.phone_hash == ""
    assert cadre.history.count() == 4


def test_cadre_in_another_subdistrict_is_refused(users, login, world):
    response = login(users.staff).post(
        reverse("party:cadre_add"),
        {"name": "外人", "department_kind": "police", "subdistrict": world.other.pk},
    )
    assert "subdistrict" in response.context["form"].errors
    assert not Cadre.objects.exists()


def test_cadre_pages_by_role(users, login, cadre):
    assert login(users.secretary).get(reverse("party:cadre_list")).status_code == 403
    client = login(users.other_admin)
    assert client.get(reverse("party:cadre_list")).context["rows"] == []
    assert client.get(cadre.get_absolute_url()).status_code == 404


# Person pages and cross-postings.


def test_a_cadre_on_two_committees_is_a_cross_posting(party, users, login, world, cadre):
    outside_post(party.west, world.ours, cadre=cadre)
    outside_post(party.east, world.ours, cadre=cadre, role="deputy")
    committee(party.west, 1)
    response = login(users.staff).get(reverse("party:crossposting_list"))
    rows = response.context["rows"]
    assert [(r["person"], r["committees"]) for r in rows] == [(cadre, 2)]
    page = response.content.decode()
    assert "江宁街区党支部" in page and "成都街区党支部" in page and "副书记" in page
    detail = login(users.staff).get(cadre.get_absolute_url()).content.decode()
    assert "江宁街区党支部" in detail and "成都街区党支部" in detail


def test_a_member_on_two_committees(party, users, login, world):
    member = party.west_members[0]
    entity = covered_entity(party.west, region=world.grid_sw)
    east_entity = covered_entity(party.east, region=world.grid_e, kind="joint")
    Officer.objects.create(
        organisation=party.west,
        role="secretary",
        origin="owner",
        member=member,
        entity=entity,
        started_on="2024-01-01",
    )
    Officer.objects.create(
        organisation=party.east,
        role="member",
        origin="employee",
        member=member,
        entity=east_entity,
        started_on="2024-01-01",
    )
    client = login(users.staff)
    rows = client.get(reverse("party:crossposting_list")).context["rows"]
    assert [r["person"] for r in rows] == [member]
    page = client.get(reverse("party:member_posts", args=[member.pk])).content.decode()
    assert "江宁街区党支部" in page and "成都街区党支部" in page
    # The secretary sees only the posts on their own branch's committee.
    client = login(users.secretary)
    assert client.get(reverse("party:crossposting_list")).context["rows"] == []
    page = client.get(reverse("party:member_posts", args=[member.pk])).content.decode()
    assert "江宁街区党支部" in page and "成都街区党支部" not in page


def test_ended_posts_are_not_cross_postings(party, users, login, world, cadre):
    outside_post(party.west, world.ours, cadre=cadre)
    outside_post(party.east, world.ours, cadre=cadre, ended_on=timezone.localdate() - timedelta(1))
    response = login(users.staff).get(reverse("party:crossposting_list"))
    assert response.context["rows"] == []


def test_member_person_page_scope(party, users, login):
    member = party.east_members[0]
    assert (
        login(users.secretary).get(reverse("party:member_posts", args=[member.pk])).status_code
        == 404
    )
    assert (
        login(users.district).get(reverse("party:member_posts", args=[member.pk])).status_code
        == 403
    )
    other = MemberFactory(organisation=party.other)
    assert login(users.staff).get(reverse("party:member_posts", args=[other.pk])).status_code == 404
