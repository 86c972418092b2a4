"""For each role: what it can and cannot read or change — through pages, exports and the API."""

import pytest
from django.urls import reverse

from jiequ.areas.models import Building, Region, Road

ALL_OURS = {"康定大厦", "昌平大厦", "大田大厦"}

# role → the buildings its user sees
VISIBLE = {
    "district": ALL_OURS | {"威海大厦"},
    "admin": ALL_OURS,
    "staff": ALL_OURS,
    "secretary": {"康定大厦", "昌平大厦"},
    "grid": {"康定大厦"},
    "member": set(),
    "other_admin": {"威海大厦"},
    "unscoped": set(),
}

# role → actions it may take on a building inside its scope
ACTIONS = {
    "district": {"view", "export"},
    "admin": {"view", "add", "change", "delete", "import", "export"},
    "staff": {"view", "add", "change", "import", "export"},
    "secretary": {"view", "export"},
    "grid": {"view", "change"},
    "member": set(),
    "other_admin": {"view", "add", "change", "delete", "import", "export"},
    "unscoped": {"view", "add", "change", "import", "export"},
}


@pytest.mark.parametrize("role", VISIBLE)
def test_restrict_gives_each_role_its_buildings(users, role):
    user = getattr(users, role)
    names = set(Building.objects.restrict(user).values_list("name", flat=True))
    assert names == VISIBLE[role]


@pytest.mark.parametrize("role", VISIBLE)
def test_building_list_page_shows_only_scope(users, login, role):
    client = login(getattr(users, role))
    response = client.get(reverse("areas:building_list"))
    if "view" not in ACTIONS[role]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    for name in ALL_OURS | {"威海大厦"}:
        assert (name in page) == (name in VISIBLE[role]), name


@pytest.mark.parametrize("role", VISIBLE)
def test_export_holds_only_scope(users, login, role):
    client = login(getattr(users, role))
    response = client.get(reverse("areas:building_export") + "?format=csv")
    if "export" not in ACTIONS[role]:
        assert response.status_code == 403
        return
    text = response.content.decode("utf-8-sig")
    for name in ALL_OURS | {"威海大厦"}:
        assert (name in text) == (name in VISIBLE[role]), name


@pytest.mark.parametrize("role", VISIBLE)
def test_api_list_holds_only_scope(users, role, client):
    client.force_login(getattr(users, role))
    response = client.get("/api/areas/buildings/")
    if "view" not in ACTIONS[role]:
        assert response.status_code == 403
        return
    names = {b["name"] for b in response.json()["results"]}
    assert names == VISIBLE[role]


@pytest.mark.parametrize("role", VISIBLE)
def test_detail_outside_scope_is_not_found(world, users, login, role):
    client = login(getattr(users, role))
    for building in (world.b_sw, world.b_other):
        response = client.get(reverse("areas:building_detail", args=[building.pk]))
        if "view" not in ACTIONS[role]:
            assert response.status_code == 403
        elif building.name in VISIBLE[role]:
            assert response.status_code == 200
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("role", VISIBLE)
def test_edit_building(world, users, login, role):
    """Change the scoped building's floors through the form; only allowed roles succeed."""
    user = getattr(users, role)
    target = world.b_other if role == "other_admin" else world.b_sw
    client = login(user)
    url = reverse("areas:building_edit", args=[target.pk])
    data = {
        "name": target.name,
        "kind": target.kind,
        "road": target.road_id or "",
        "number": target.number,
        "address": target.address,
        "floors": 99,
        "lat": target.lat,
        "lon": target.lon,
    }
    response = client.post(url, data)
    target.refresh_from_db()
    allowed = "change" in ACTIONS[role] and target.name in VISIBLE[role]
    assert (target.floors == 99) == allowed
    if "change" not in ACTIONS[role]:
        assert response.status_code == 403
    elif not allowed:
        assert response.status_code == 404
    else:
        assert response.status_code == 302


@pytest.mark.parametrize("role", VISIBLE)
def test_delete_building(world, users, login, role):
    user = getattr(users, role)
    target = world.b_other if role == "other_admin" else world.b_sw
    client = login(user)
    client.post(reverse("areas:building_delete", args=[target.pk]))
    allowed = "delete" in ACTIONS[role] and target.name in VISIBLE[role]
    assert Building.objects.filter(pk=target.pk).exists() != allowed


@pytest.mark.parametrize("role", VISIBLE)
def test_api_write_follows_matrix(world, users, role, client):
    user = getattr(users, role)
    target = world.b_other if role == "other_admin" else world.b_sw
    client.force_login(user)
    response = client.patch(
        f"/api/areas/buildings/{target.pk}/", {"floors": 77}, content_type="application/json"
    )
    target.refresh_from_db()
    allowed = "change" in ACTIONS[role] and target.name in VISIBLE[role]
    assert (target.floors == 77) == allowed, response.content
    if "change" not in ACTIONS[role]:
        assert response.status_code == 403


def test_another_subdistricts_user_sees_nothing_of_ours(world, users, login):
    client = login(users.other_admin)
    assert not Region.objects.restrict(users.other_admin).filter(path__startswith=world.ours.path)
    assert list(Road.objects.restrict(users.other_admin)) == [world.other_road]
    data = client.get(reverse("areas:map_data")).json()
    text = str(data)
    for name in ["石门二路街道", "江宁片区", "康定网格", "石门二路", "康定大厦"]:
        assert name not in text


def test_grid_worker_sees_context_but_changes_only_their_grid(world, users):
    grid_user = users.grid
    seen = set(Region.objects.restrict(grid_user).values_list("name", flat=True))
    assert seen == {"静安区", "石门二路街道", "江宁片区", "康定网格"}
    changeable = set(Region.objects.restrict(grid_user, "change").values_list("name", flat=True))
    assert changeable == set()
    assert set(Road.objects.restrict(grid_user)) == {world.road}
    assert not Road.objects.restrict(grid_user, "change").exists()


def test_member_sees_the_map_but_no_buildings(world, users, login):
    client = login(users.member)
    data = client.get(reverse("areas:map_data")).json()
    assert len(data["grids"]["features"]) == 3
    assert data["buildings"]["features"] == []


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("areas:building_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get("/api/areas/buildings/").status_code in (401, 403)


def test_user_admin_sees_only_users_in_scope(users):
    from jiequ.accounts.models import User

    visible = set(User.objects.restrict(users.admin))
    assert users.staff in visible and users.grid in visible
    assert users.other_admin not in visible and users.district not in visible
    assert not User.objects.restrict(users.staff).exists()
