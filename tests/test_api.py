"""The JSON API and its OpenAPI description."""

from jiequ.areas.models import Building


def test_openapi_docs_and_schema_are_served_locally(client):
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/" in html  # no CDN
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/areas/buildings/" in schema["paths"]
    assert schema["info"]["title"].startswith("Jiequ")


def test_create_through_the_api_uses_the_same_rules(world, users, client):
    client.force_login(users.staff)
    payload = {
        "name": "接口大厦",
        "kind": "office",
        "address": "新闸路1号",
        "floors": 9,
        "lat": "31.233000",
        "lon": "121.452000",
    }
    response = client.post("/api/areas/buildings/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    created = Building.objects.get(name="接口大厦")
    assert response.json()["region"] == created.region_id == world.grid_sw.pk
    outside = {**payload, "name": "越界", "lat": "31.225000"}
    response = client.post("/api/areas/buildings/", outside, content_type="application/json")
    assert response.status_code == 400
    assert "管辖范围" in str(response.json())


def test_api_filters(world, users, client):
    client.force_login(users.staff)
    names = {b["name"] for b in client.get("/api/areas/buildings/?q=昌平").json()["results"]}
    assert names == {"昌平大厦"}


def test_regions_and_roads_are_scoped(world, users, client):
    client.force_login(users.other_admin)
    regions = {r["name"] for r in client.get("/api/areas/regions/").json()["results"]}
    assert "石门二路街道" not in regions and "南京西路街道" in regions
    roads = {r["name"] for r in client.get("/api/areas/roads/").json()["results"]}
    assert roads == {"威海路"}


def test_token_authentication(world, users, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users.secretary)
    response = client.get("/api/areas/buildings/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert {b["name"] for b in response.json()["results"]} == {"康定大厦", "昌平大厦"}
    assert (
        client.delete(
            f"/api/areas/buildings/{world.b_sw.pk}/",
            HTTP_AUTHORIZATION=f"Token {token.key}",
        ).status_code
        == 403
    )
