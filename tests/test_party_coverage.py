"""Coverage links: entities an organisation covers, added and removed from its page."""

import pytest
from django.urls import reverse

from jiequ.party.models import CoverageLink, Organisation

from .factories import EntityFactory
from .factories_party import covered_entity


@pytest.fixture
def shops(world):
    return {
        "noodles": EntityFactory(name="", sign_name="老王面馆", region=world.grid_sw),
        "tea": EntityFactory(name="上海茶香餐饮有限公司", region=world.grid_nw),
        "east": EntityFactory(name="上海成都路贸易有限公司", region=world.grid_e),
        "other": EntityFactory(name="上海威海面馆有限公司", region=world.other_grid),
    }


def add_url(org):
    return reverse("party:coverage_add", args=[org.pk])


def test_search_finds_entities_in_scope_only(party, users, login, shops):
    client = login(users.staff)
    response = client.get(add_url(party.west), {"q": "面馆"})
    assert response.status_code == 200
    assert [e.display_name for e in response.context["results"]] == ["老王面馆"]
    partial = client.get(add_url(party.west), {"q": "茶香"}, HTTP_HX_REQUEST="true")
    assert "上海茶香餐饮有限公司" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_link_an_entity(party, users, login, shops):
    client = login(users.staff)
    response = client.post(
        add_url(party.west), {"entity": shops["noodles"].pk, "kind": "own", "since": "2024-05-01"}
    )
    assert response.status_code == 302
    link = CoverageLink.objects.get(organisation=party.west)
    assert (link.entity, link.kind, link.since.isoformat()) == (
        shops["noodles"],
        "own",
        "2024-05-01",
    )
    assert link.history.get().history_change_reason == "linked"
    page = client.get(reverse("party:organisation_detail", args=[party.west.pk])).content.decode()
    assert "老王面馆" in page and "单独组建" in page


def test_an_entity_has_only_one_own_organisation(party, users, login, shops):
    CoverageLink.objects.create(organisation=party.west, entity=shops["noodles"], kind="own")
    client = login(users.staff)
    response = client.post(add_url(party.east), {"entity": shops["noodles"].pk, "kind": "own"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "已单独组建党组织“江宁街区党支部”" in page and "只能有一个" in page
    assert not CoverageLink.objects.filter(organisation=party.east).exists()
    response = client.post(add_url(party.east), {"entity": shops["noodles"].pk, "kind": "joint"})
    assert response.status_code == 302


def test_a_joint_branch_covers_at_most_five_units(party, users, login, world):
    joint = Organisation.objects.create(
        name="成都路联合党支部",
        level="joint_branch",
        category="street_block",
        parent=party.committee,
        region=world.east,
    )
    for _ in range(5):
        covered_entity(joint, region=world.grid_e, kind="joint")
    sixth = EntityFactory(region=world.grid_e)
    response = login(users.staff).post(add_url(joint), {"entity": sixth.pk, "kind": "joint"})
    page = response.content.decode()
    assert "最多只能覆盖5个" in page
    assert "联合党支部覆盖单位上限" in page  # the rule's label
    assert "《中国共产党支部工作条例（试行）》" in page  # and its source
    assert joint.coverage_links.count() == 5


def test_an_entity_outside_scope_cannot_be_linked(party, users, login, shops):
    response = login(users.staff).post(
        add_url(party.west), {"entity": shops["other"].pk, "kind": "own"}
    )
    assert response.status_code == 200
    assert "请从搜索结果中选择" in response.content.decode()
    assert not CoverageLink.objects.exists()


def test_bad_input_is_refused_without_saving(party, users, login, shops):
    client = login(users.staff)
    for data in (
        {},
        {"entity": "abc", "kind": "own"},
        {"entity": shops["tea"].pk, "kind": "sideways"},
        {"entity": shops["tea"].pk, "kind": "own", "since": "2024-02-31"},
    ):
        response = client.post(add_url(party.west), data)
        assert response.status_code == 200
    assert not CoverageLink.objects.exists()


def test_remove_a_link(party, users, login, shops):
    link = CoverageLink.objects.create(organisation=party.west, entity=shops["noodles"], kind="own")
    client = login(users.staff)
    assert client.get(reverse("party:coverage_delete", args=[link.pk])).status_code == 405
    response = client.post(reverse("party:coverage_delete", args=[link.pk]))
    assert response.status_code == 302
    assert not CoverageLink.objects.exists()
    assert CoverageLink.history.filter(id=link.pk, history_type="-").exists()


def test_secretary_sees_links_but_cannot_change_them(party, users, login, shops):
    link = CoverageLink.objects.create(organisation=party.west, entity=shops["noodles"], kind="own")
    client = login(users.secretary)
    page = client.get(reverse("party:organisation_detail", args=[party.west.pk])).content.decode()
    assert "老王面馆" in page and add_url(party.west) not in page
    assert client.get(add_url(party.west)).status_code == 403
    assert client.post(reverse("party:coverage_delete", args=[link.pk])).status_code == 403
    assert CoverageLink.objects.exists()


def test_neighbour_admin_cannot_touch_our_links(party, users, login, shops):
    link = CoverageLink.objects.create(organisation=party.west, entity=shops["noodles"], kind="own")
    client = login(users.other_admin)
    assert client.get(add_url(party.west)).status_code == 404
    assert client.post(reverse("party:coverage_delete", args=[link.pk])).status_code == 404
    assert CoverageLink.objects.exists()
