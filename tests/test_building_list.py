"""The building list: search, filters, pagination, htmx partial updates."""

from django.urls import reverse

from jiequ.areas.models import BuildingKind

from .factories import BuildingFactory

URL = reverse("areas:building_list")


def names(response):
    return {obj.name for obj, _cells in response.context["rows"]}


def test_search_by_name_address_or_road(world, users, login):
    client = login(users.staff)
    assert names(client.get(URL, {"q": "康定"})) == {"康定大厦"}
    assert names(client.get(URL, {"q": "石门二路"})) == {"康定大厦"}  # by its road


def test_filter_by_area_and_kind(world, users, login):
    client = login(users.staff)
    assert names(client.get(URL, {"region": world.west.pk})) == {"康定大厦", "昌平大厦"}
    world.b_e.kind = BuildingKind.PARK
    world.b_e.save()
    assert names(client.get(URL, {"kind": BuildingKind.PARK})) == {"大田大厦"}


def test_filter_choices_only_offer_the_users_scope(world, users, login):
    client = login(users.staff)
    form = client.get(URL).context["filter_form"]
    region_names = {r.name for r in form.fields["region"].queryset}
    assert "威海片区" not in region_names and "江宁片区" in region_names


def test_filter_outside_scope_shows_nothing_not_other_data(world, users, login):
    client = login(users.staff)
    response = client.get(URL, {"region": world.other_area.pk})
    assert names(response) == set()  # an invalid choice; never the other subdistrict's rows


def test_pagination(world, users, login):
    for _ in range(30):
        BuildingFactory(region=world.grid_e)
    client = login(users.staff)
    first = client.get(URL)
    assert first.context["paginator"].count == 33
    assert len(first.context["rows"]) == 25
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 8
    assert "第 2 页" in second.content.decode()


def test_htmx_request_gets_only_the_table(world, users, login):
    client = login(users.staff)
    response = client.get(URL, {"q": "康定"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-table")
    html = response.content.decode()
    assert "<html" not in html and "康定大厦" in html and "昌平大厦" not in html


def test_buttons_follow_the_role(world, users, login):
    staff_page = login(users.staff).get(URL).content.decode()
    assert reverse("areas:building_add") in staff_page
    assert reverse("areas:building_import") in staff_page
    secretary_page = login(users.secretary).get(URL).content.decode()
    assert reverse("areas:building_add") not in secretary_page
    assert reverse("areas:building_import") not in secretary_page
    assert reverse("areas:building_export") in secretary_page


def test_export_of_a_filtered_list(world, users, login):
    client = login(users.staff)
    text = client.get(reverse("areas:building_export"), {"q": "康定", "format": "csv"})
    body = text.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("名称,类型,道路")
    assert "康定大厦" in body and "昌平大厦" not in body
    assert "attachment" in text["Content-Disposition"]
