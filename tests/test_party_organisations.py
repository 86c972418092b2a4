"""Organisation pages: list, detail, add/edit, delete, export, history, terms; by role."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.party.figures import home_figures
from jiequ.party.models import Organisation

from .factories import OrganisationFactory
from .factories_party import committee, covered_entity, members, outside_post


def list_names(response):
    return {obj.name for obj, _cells in response.context["rows"]}


def form_data(party, world, **overrides):
    data = {
        "name": "康定路第二党小组",
        "level": "group",
        "category": "street_block",
        "parent": party.west.pk,
        "region": world.grid_sw.pk,
        "service_position": "",
        "founded_on": "2024-03-01",
        "term_started_on": "2024-03-01",
        "term_years": "",
        "dissolved_on": "",
        "notes": "",
    }
    data.update(overrides)
    return data


# List.


def test_list_shows_counts_and_the_rule_flag(party, users, login):
    committee(party.west, 1)
    response = login(users.staff).get(reverse("party:organisation_list"))
    assert response.status_code == 200
    rows = {obj.name: cells for obj, cells in response.context["rows"]}
    assert rows["江宁街区党支部"][5:7] == [4, 0]
    assert rows["江宁街区党支部"][-1] == "符合规定"
    assert "不符合规定" in rows["成都街区党支部"][-1]
    page = response.content.decode()
    assert "正式党员" in page and "规定检查" in page


def test_list_filters(party, users, login, world):
    client = login(users.staff)
    url = reverse("party:organisation_list")
    assert list_names(client.get(url, {"level": "group"})) == {"康定路党小组"}
    assert list_names(client.get(url, {"q": "成都"})) == {"成都街区党支部"}
    assert list_names(client.get(url, {"region": world.west.pk})) == {
        "江宁街区党支部",
        "康定路党小组",
    }
    committee(party.west, 1)
    flagged = list_names(client.get(url, {"flag": "error"}))
    assert "成都街区党支部" in flagged and "江宁街区党支部" not in flagged
    assert "江宁街区党支部" in list_names(client.get(url, {"flag": "none"}))


def test_list_term_filter(party, users, login):
    today = timezone.localdate()
    party.east.term_started_on = today.replace(year=today.year - 3) + timedelta(days=20)
    party.east.save()
    party.west.term_started_on = today.replace(year=today.year - 3) - timedelta(days=20)
    party.west.save()
    client = login(users.staff)
    url = reverse("party:organisation_list")
    assert list_names(client.get(url, {"term": "ending"})) == {"成都街区党支部"}
    assert list_names(client.get(url, {"term": "overdue"})) == {"江宁街区党支部"}


def test_a_region_outside_scope_in_the_filter_matches_nothing(party, users, login, world):
    response = login(users.staff).get(
        reverse("party:organisation_list"), {"region": world.other_area.pk}
    )
    assert response.status_code == 200 and not response.context["rows"]


def test_list_of_a_hundred_takes_as_many_queries_as_a_list_of_ten(
    party, users, login, world, django_assert_max_num_queries
):
    client = login(users.staff)
    url = reverse("party:organisation_list")
    for _ in range(5):
        OrganisationFactory(parent=party.committee, region=world.east)
    client.get(url)  # warm up (sessions, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"flag": "any"})
    for _ in range(100):
        members(OrganisationFactory(parent=party.committee, region=world.west), 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"flag": "any"})
    assert response.context["paginator"].count >= 100


# Scope.


def test_secretary_sees_own_branch_and_its_group_only(party, users, login):
    client = login(users.secretary)
    assert list_names(client.get(reverse("party:organisation_list"))) == {
        "江宁街区党支部",
        "康定路党小组",
    }
    assert client.get(reverse("party:organisation_detail", args=[party.west.pk])).status_code == 200
    assert client.get(reverse("party:organisation_detail", args=[party.east.pk])).status_code == 404
    assert client.get(reverse("party:organisation_edit", args=[party.west.pk])).status_code == 403
    assert client.get(reverse("party:organisation_add")).status_code == 403


def test_neighbouring_admin_sees_nothing_of_ours(party, users, login):
    client = login(users.other_admin)
    assert list_names(client.get(reverse("party:organisation_list"))) == {"威海街区党支部"}
    for name in ("organisation_detail", "organisation_edit", "organisation_history"):
        assert client.get(reverse(f"party:{name}", args=[party.west.pk])).status_code == 404
    response = client.post(reverse("party:organisation_delete", args=[party.group.pk]))
    assert response.status_code == 404
    assert Organisation.objects.filter(pk=party.group.pk).exists()


def test_members_and_grid_workers(party, users, login):
    assert login(users.member).get(reverse("party:organisation_list")).status_code == 403
    response = login(users.grid).get(reverse("party:organisation_list"))
    assert response.status_code == 200


# Detail.


def test_detail_shows_findings_with_their_sources(party, users, login):
    response = login(users.staff).get(reverse("party:organisation_detail", args=[party.east.pk]))
    page = response.content.decode()
    assert "正式党员仅2名" in page and "联合党支部" in page
    assert "没有在任书记" in page
    assert "依据" in page and "《中国共产党支部工作条例（试行）》" in page


def test_detail_shows_counts_children_links_and_the_committee_mix(party, users, login, world):
    secretary, member = committee(party.west, 2)
    post = outside_post(party.west, world.ours)
    covered_entity(party.west, region=world.grid_nw, kind="area", sign_name="老王面馆", name="")
    response = login(users.staff).get(reverse("party:organisation_detail", args=[party.west.pk]))
    page = response.content.decode()
    assert response.context["facts"].full_members == 4
    assert "康定路党小组" in page  # the group under it
    assert "老王面馆" in page
    assert "区域/街区覆盖" in [link.get_kind_display() for link in response.context["links"]]
    mix = response.context["mix"]
    assert (mix["total"], mix["inside"], mix["outside"]) == (3, 2, 1)
    assert (mix["inside_share"], mix["outside_share"]) == (67, 33)
    assert "内部2名（67%）" in page and "外部1名（33%）" in page
    assert post.cadre.department in page  # the outside officer's department
    assert str(secretary.entity) in page  # the inside officer's entity
    assert reverse("party:cadre_detail", args=[post.cadre.pk]) in page


def test_district_reads_organisations_without_links_to_member_pages(party, users, login):
    committee(party.west, 1)
    response = login(users.district).get(reverse("party:organisation_detail", args=[party.west.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/party/members/" not in page
    assert reverse("party:organisation_edit", args=[party.west.pk]) not in page


# Add and edit.


def test_staff_add_a_party_group_under_a_branch(party, users, login, world):
    response = login(users.staff).post(reverse("party:organisation_add"), form_data(party, world))
    org = Organisation.objects.get(name="康定路第二党小组")
    assert response.status_code == 302
    assert org.parent == party.west and org.term_ends_on.isoformat() == "2027-03-01"
    assert org.history.count() == 1


def test_a_party_group_must_sit_under_a_branch(party, users, login, world):
    response = login(users.staff).post(
        reverse("party:organisation_add"),
        form_data(party, world, parent=party.committee.pk, region=world.west.pk),
    )
    assert response.status_code == 200
    assert "党小组应设在党支部或联合党支部之下" in str(response.context["form"].errors["parent"])
    assert not Organisation.objects.filter(name="康定路第二党小组").exists()


def test_parent_and_region_must_be_in_scope(party, users, login, world):
    client = login(users.staff)
    response = client.post(
        reverse("party:organisation_add"),
        form_data(party, world, level="branch", parent=party.other.pk),
    )
    assert "parent" in response.context["form"].errors
    response = client.post(
        reverse("party:organisation_add"),
        form_data(
            party, world, level="branch", parent=party.committee.pk, region=world.other_grid.pk
        ),
    )
    assert "region" in response.context["form"].errors
    assert not Organisation.objects.filter(name="康定路第二党小组").exists()


def test_region_must_lie_in_the_parents_subdistrict(party, users, world):
    from jiequ.party.forms import OrganisationForm

    users.district.is_superuser = True  # sees both subdistricts
    form = OrganisationForm(
        data=form_data(party, world, level="branch", parent=party.other.pk),
        user=users.district,
    )
    assert not form.is_valid()
    assert "南京西路街道" in str(form.errors["region"])


def test_bad_input_gives_messages_not_errors(party, users, login, world):
    client = login(users.staff)
    response = client.post(
        reverse("party:organisation_add"),
        form_data(
            party,
            world,
            level="nonsense",
            parent="abc",
            founded_on="2024-13-45",
            term_years="0",
            region="999999",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"level", "parent", "founded_on", "term_years", "region"} <= set(errors)
    assert Organisation.objects.count() == 5


def test_a_branch_cannot_move_under_its_own_group(party, users, login, world):
    response = login(users.staff).post(
        reverse("party:organisation_edit", args=[party.west.pk]),
        form_data(party, world, name=party.west.name, level="branch", parent=party.group.pk),
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_edit_is_kept_in_history(party, users, login, world):
    client = login(users.staff)
    response = client.post(
        reverse("party:organisation_edit", args=[party.east.pk]),
        form_data(
            party,
            world,
            name="成都街区联合党支部",
            level="joint_branch",
            parent=party.committee.pk,
            region=world.east.pk,
        ),
    )
    assert response.status_code == 302
    page = client.get(reverse("party:organisation_history", args=[party.east.pk])).content.decode()
    assert "成都街区联合党支部" in page and "联合党支部" in page
    assert party.east.history.count() == 2


def test_a_stale_form_does_not_overwrite(party, users, login, world):
    client = login(users.staff)
    stale = (party.east.updated_at - timedelta(minutes=5)).isoformat()
    response = client.post(
        reverse("party:organisation_edit", args=[party.east.pk]),
        form_data(
            party,
            world,
            name="改名",
            level="branch",
            parent=party.committee.pk,
            region=world.east.pk,
            loaded_at=stale,
        ),
    )
    assert response.status_code == 200
    party.east.refresh_from_db()
    assert party.east.name == "成都街区党支部"


# Delete.


def test_an_organisation_with_members_is_not_deleted(party, users, login):
    client = login(users.admin)
    page = client.get(reverse("party:organisation_delete", args=[party.east.pk])).content.decode()
    assert "不能删除" in page
    response = client.post(reverse("party:organisation_delete", args=[party.east.pk]), follow=True)
    assert Organisation.objects.filter(pk=party.east.pk).exists()
    assert "仍有2名党员" in response.content.decode()


def test_an_empty_group_is_deleted_with_confirmation(party, users, login):
    client = login(users.admin)
    assert (
        client.get(reverse("party:organisation_delete", args=[party.group.pk])).status_code == 200
    )
    response = client.post(reverse("party:organisation_delete", args=[party.group.pk]))
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=party.group.pk).exists()
    assert Organisation.history.filter(id=party.group.pk, history_type="-").exists()


def test_staff_cannot_delete(party, users, login):
    response = login(users.staff).post(reverse("party:organisation_delete", args=[party.group.pk]))
    assert response.status_code == 403


# Export.


def test_export_csv_holds_the_scope_with_counts_and_findings(party, users, login):
    response = login(users.staff).get(reverse("party:organisation_export"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "江宁街区党支部" in text and "威海街区党支部" not in text
    assert "正式党员" in text and "正式党员仅2名" in text


def test_export_xlsx_follows_the_filter(party, users, login):
    response = login(users.staff).get(
        reverse("party:organisation_export"), {"format": "xlsx", "level": "group"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert len(rows) == 2 and rows[1][0] == "康定路党小组"


def test_secretary_exports_only_their_own(party, users, login):
    text = (
        login(users.secretary).get(reverse("party:organisation_export")).content.decode("utf-8-sig")
    )
    assert "江宁街区党支部" in text and "成都街区党支部" not in text


# Terms page and home figures.


def test_terms_page_lists_ending_and_overdue(party, users, login):
    today = timezone.localdate()
    party.east.term_started_on = today.replace(year=today.year - 3) + timedelta(days=20)
    party.east.save()
    party.west.term_started_on = today.replace(year=today.year - 3) - timedelta(days=20)
    party.west.save()
    response = login(users.staff).get(reverse("party:terms"))
    assert list(response.context["ending"]) == [party.east]
    assert list(response.context["overdue"]) == [party.west]
    assert "换届提醒" in response.content.decode()
    response = login(users.secretary).get(reverse("party:terms"))
    assert list(response.context["ending"]) == [] and list(response.context["overdue"]) == [
        party.west
    ]


@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_home_figures_link_to_the_filtered_list(party, users, login, role):
    committee(party.west, 1)
    user = getattr(users, role)
    figures = {url: number for _label, number, url in home_figures(user)}
    list_url = reverse("party:organisation_list")
    client = login(user)
    for url, number in figures.items():
        assert url.startswith(list_url)
        assert client.get(url).context["paginator"].count == number
    assert figures[f"{list_url}?active=true&flag=any"] == (2 if role == "staff" else 0)


def test_no_figures_without_the_permission(users):
    assert home_figures(users.member) == []


def test_the_party_address_leads_to_the_organisations(party, users, login):
    response = login(users.staff).get("/party/")
    assert response.status_code == 302
    assert response["Location"] == reverse("party:organisation_list")
