"""Market entities in the ledger: placement, validation, scope, import, history, API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiequ.ledger.models import Entity, EntityState

from .factories import EntityFactory


@pytest.fixture
def entities(world):
    return {
        "sw": EntityFactory(name="上海康定信息科技有限公司", region=world.grid_sw, worker_count=30),
        "e": EntityFactory(
            name="",
            sign_name="老王面馆",
            region=world.grid_e,
            is_street_shop=True,
            kind="individual",
            worker_count=3,
            member_count=0,
        ),
        "other": EntityFactory(name="上海威海贸易有限公司", region=world.other_grid),
    }


def form_data(**overrides):
    data = {
        "name": "上海新建贸易有限公司",
        "sign_name": "",
        "credit_code": "",
        "kind": "enterprise",
        "ownership": "non_public",
        "industry": "F",
        "state": "operating",
        "sector": "",
        "small_business": "",
        "road": "",
        "number": "",
        "address": "江宁路1号",
        "building": "",
        "floor": "",
        "lat": "31.233000",
        "lon": "121.452000",
        "region": "",
        "worker_count": "10",
        "member_count": "1",
    }
    data.update(overrides)
    return data


def test_create_with_a_point(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("ledger:entity_add"), form_data())
    entity = Entity.objects.get(name="上海新建贸易有限公司")
    assert response.status_code == 302
    assert entity.region == world.grid_sw


def test_create_in_a_building_takes_its_grid_and_point(world, users, login):
    client = login(users.staff)
    client.post(
        reverse("ledger:entity_add"),
        form_data(lat="", lon="", building=world.b_e.pk, floor="12楼"),
    )
    entity = Entity.objects.get(name="上海新建贸易有限公司")
    assert entity.region == world.grid_e and entity.lat == world.b_e.lat


def test_a_wrong_credit_code_is_rejected_with_its_reason(world, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("ledger:entity_add"), form_data(credit_code="91350100M000100Y44")
    )
    assert "校验位" in str(response.context["form"].errors["credit_code"])
    assert not Entity.objects.filter(name="上海新建贸易有限公司").exists()


def test_credit_code_is_normalised_and_unique(world, users, login, entities):
    client = login(users.staff)
    client.post(reverse("ledger:entity_add"), form_data(credit_code="91350100m000100y43"))
    assert Entity.objects.get(name="上海新建贸易有限公司").credit_code == "91350100M000100Y43"
    response = client.post(
        reverse("ledger:entity_add"),
        form_data(name="另一家公司", credit_code="91350100M000100Y43"),
    )
    assert "credit_code" in response.context["form"].errors


def test_more_members_than_workers_is_refused(world, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("ledger:entity_add"), form_data(worker_count="2", member_count="5")
    )
    assert "member_count" in response.context["form"].errors


def test_a_name_is_required(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("ledger:entity_add"), form_data(name="", sign_name=""))
    assert "招牌名" in response.content.decode()


def test_scope_and_roles(world, users, login, entities):
    assert set(Entity.objects.restrict(users.grid)) == {entities["sw"]}
    assert set(Entity.objects.restrict(users.staff)) == {entities["sw"], entities["e"]}
    assert set(Entity.objects.restrict(users.other_admin)) == {entities["other"]}
    assert not Entity.objects.restrict(users.member).exists()
    # The grid worker records a shop that closed, but cannot touch another grid's entity.
    client = login(users.grid)
    sw = entities["sw"]
    url = reverse("ledger:entity_edit", args=[sw.pk])
    data = form_data(name=sw.name, state="closed", lat=sw.lat, lon=sw.lon)
    assert client.post(url, data).status_code == 302
    sw.refresh_from_db()
    assert sw.state == EntityState.CLOSED
    assert client.get(reverse("ledger:entity_edit", args=[entities["e"].pk])).status_code == 404


def test_list_filters(world, users, login, entities):
    client = login(users.staff)
    shops = client.get(reverse("ledger:entity_list"), {"is_street_shop": "true"})
    assert {o for o, _c in shops.context["rows"]} == {entities["e"]}
    by_name = client.get(reverse("ledger:entity_list"), {"q": "面馆"})
    assert {o for o, _c in by_name.context["rows"]} == {entities["e"]}


def test_import_entities_all_or_nothing_and_idempotent(world, users, login):
    header = (
        "注册名称,招牌名,统一社会信用代码,类型,是否沿街商铺,道路,门牌号,楼宇,纬度,经度,"
        "从业人员数,党员数"
    )
    good = "上海甲乙贸易有限公司,,91350100M000100Y43,企业,否,石门二路,10号,,31.2330,121.4520,20,2"
    shop = ",张记面馆,,个体工商户,是,,,康定大厦,,,4,0"
    bad = "坏公司,,91350100M000100Y44,企业,否,,,,31.2330,121.4520,20,30"
    client = login(users.staff)
    url = reverse("ledger:entity_import")

    def upload(*rows):
        text = "\n".join([header, *rows]).encode("utf-8-sig")
        return client.post(url, {"file": SimpleUploadedFile("e.csv", text)})

    failed = upload(good, shop, bad)
    assert failed.status_code == 400
    assert not Entity.objects.exists()
    messages = " ".join(e.message for e in failed.context["result"].errors)
    assert "校验位" in messages and "党员" in messages
    assert {e.row for e in failed.context["result"].errors} == {4}

    result = upload(good, shop).context["result"]
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    noodle = Entity.objects.get(sign_name="张记面馆")
    assert noodle.is_street_shop and noodle.building == world.b_sw
    assert noodle.region == world.grid_sw and noodle.kind == "individual"
    again = upload(good, shop).context["result"]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_export_lists_counts_but_no_people(world, users, login, entities):
    client = login(users.staff)
    body = client.get(reverse("ledger:entity_export"), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    header = body.splitlines()[0]
    assert "从业人员数" in header and "党员数" in header
    assert "老王面馆" in body and "威海" not in body


def test_history_records_each_change(world, users, login, entities):
    sw = entities["sw"]
    sw.worker_count = 31
    sw.save()
    page = login(users.staff).get(reverse("ledger:entity_history", args=[sw.pk]))
    assert len(page.context["entries"]) == 2


def test_api_create_validates_like_the_form(world, users, client):
    client.force_login(users.staff)
    payload = {
        "name": "接口公司",
        "credit_code": "91350100M000100Y44",
        "lat": "31.233",
        "lon": "121.452",
        "worker_count": 3,
        "member_count": 0,
    }
    response = client.post("/api/ledger/entities/", payload, content_type="application/json")
    assert response.status_code == 400 and "credit_code" in response.json()
    payload["credit_code"] = "91350100M000100Y43"
    response = client.post("/api/ledger/entities/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Entity.objects.get(name="接口公司").region == world.grid_sw


def test_detail_shows_zero_and_yes_no(world, users, login, entities):
    page = login(users.staff).get(reverse("ledger:entity_detail", args=[entities["e"].pk]))
    rows = dict(page.context["field_rows"])
    assert rows["党员数"] == 0 and "<dd>0</dd>" in page.content.decode()
    assert rows["是否沿街商铺"] == "是"


def test_entity_export_imports_back_unchanged(world, users, login, entities):
    client = login(users.staff)
    exported = client.get(reverse("ledger:entity_export"), {"format": "xlsx"}).content
    response = client.post(
        reverse("ledger:entity_import"), {"file": SimpleUploadedFile("e.xlsx", exported)}
    )
    result = response.context["result"]
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_road_and_number_are_parsed_from_the_address(world, users, login):
    client = login(users.staff)
    client.post(
        reverse("ledger:entity_add"),
        form_data(address="上海市静安区石门二路一百二十三号3楼", lon="121.455000"),
    )
    entity = Entity.objects.get(name="上海新建贸易有限公司")
    assert entity.road == world.road and entity.number == "123号"
