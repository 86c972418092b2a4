"""JSON API of Party organisations: read-only, scoped, with counts and findings.

The viewset is called directly; the lead registers it in jiequ.api.urls.
"""

from rest_framework.test import APIRequestFactory, force_authenticate

from jiequ.party.api import OrganisationViewSet

from .factories_party import committee


def call(user, method="get", pk=None, data=None):
    factory = APIRequestFactory()
    request = getattr(factory, method)("/api/party/organisations/", data or {}, format="json")
    force_authenticate(request, user=user)
    # Only reading is routed: anything else is refused as not allowed.
    view = OrganisationViewSet.as_view({"get": "retrieve" if pk else "list"})
    response = view(request, pk=pk) if pk else view(request)
    response.render()
    return response


def test_list_is_scoped_with_counts_and_findings(party, users):
    committee(party.west, 1)
    response = call(users.staff)
    rows = {r["name"]: r for r in response.data["results"]}
    assert set(rows) == {"石门二路街道两新工委", "江宁街区党支部", "康定路党小组", "成都街区党支部"}
    assert rows["江宁街区党支部"]["full_member_count"] == 4
    assert rows["江宁街区党支部"]["findings"] == []
    east = rows["成都街区党支部"]["findings"]
    assert {f["rule"] for f in east} >= {"branch_min_full_members"}
    assert all(f["source"] for f in east)


def test_secretary_and_neighbour(party, users):
    assert {r["name"] for r in call(users.secretary).data["results"]} == {
        "江宁街区党支部",
        "康定路党小组",
    }
    assert call(users.other_admin, pk=party.west.pk).status_code == 404
    assert call(users.member).status_code == 403


def test_filters_and_read_only(party, users):
    response = call(users.staff, data={"level": "group"})
    assert [r["name"] for r in response.data["results"]] == ["康定路党小组"]
    assert call(users.admin, "post", data={"name": "x"}).status_code == 405
    assert call(users.admin, "delete", pk=party.group.pk).status_code == 405
