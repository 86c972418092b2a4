"""Creating and editing buildings: grid from the point, Chinese messages, no silent overwrite."""

from django.urls import reverse

from jiequ.areas.models import Building


def form_data(**overrides):
    data = {
        "name": "新建大楼",
        "kind": "office",
        "road": "",
        "number": "",
        "address": "江宁路100号",
        "floors": "18",
        "lat": "31.233000",
        "lon": "121.452000",
    }
    data.update(overrides)
    return data


def test_create_finds_the_grid_from_the_point(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("areas:building_add"), form_data())
    building = Building.objects.get(name="新建大楼")
    assert response.status_code == 302 and response["Location"] == building.get_absolute_url()
    assert building.region == world.grid_sw and building.subdistrict == world.ours
    assert building.history.first().history_user == users.staff


def test_validation_messages_are_chinese_and_nothing_is_saved(world, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("areas:building_add"), form_data(name="", floors="0", lat="91", lon="abc")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["该字段是必填项。"]
    assert "1" in errors["floors"][0] and "大于或等于" in errors["floors"][0]
    assert "lon" in errors and "lat" in errors
    assert not Building.objects.filter(name="").exists()
    assert Building.objects.count() == 4


def test_point_outside_every_grid(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("areas:building_add"), form_data(lat="31.500000"))
    assert "不在任何网格内" in response.content.decode()


def test_point_in_another_subdistrict_is_outside_scope(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("areas:building_add"), form_data(lat="31.225000"))
    assert "管辖范围" in response.content.decode()
    assert not Building.objects.filter(name="新建大楼").exists()


def test_duplicate_name_in_the_subdistrict(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("areas:building_add"), form_data(name="康定大厦"))
    assert "同名" in str(response.context["form"].errors["name"])


def test_address_made_from_road_and_number(world, users, login):
    client = login(users.staff)
    client.post(
        reverse("areas:building_add"),
        form_data(address="", road=world.road.pk, number="200号", lon="121.455000"),
    )
    assert Building.objects.get(name="新建大楼").address == "石门二路200号"


def test_road_of_another_subdistrict_is_not_offered(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("areas:building_add"), form_data(road=world.other_road.pk))
    assert "road" in response.context["form"].errors


def test_concurrent_edit_is_not_silently_overwritten(world, users, login):
    client = login(users.staff)
    url = reverse("areas:building_edit", args=[world.b_sw.pk])
    loaded = client.get(url).context["form"]["loaded_at"].value()
    # Someone else saves first.
    other = Building.objects.get(pk=world.b_sw.pk)
    other.floors = 33
    other.save()
    data = form_data(name=world.b_sw.name, lat=world.b_sw.lat, lon=world.b_sw.lon, floors="44")
    response = client.post(url, {**data, "loaded_at": loaded})
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    world.b_sw.refresh_from_db()
    assert world.b_sw.floors == 33


def test_edit_records_history_with_who_and_what(world, users, login):
    client = login(users.staff)
    url = reverse("areas:building_edit", args=[world.b_sw.pk])
    loaded = client.get(url).context["form"]["loaded_at"].value()
    b = world.b_sw
    data = form_data(name=b.name, lat=b.lat, lon=b.lon, floors="41", road="", kind="park")
    client.post(url, {**data, "loaded_at": loaded})
    history = client.get(reverse("areas:building_history", args=[b.pk]))
    changes = dict(
        (label, (old, new)) for label, old, new in history.context["entries"][0]["changes"]
    )
    assert history.context["entries"][0]["record"].history_user == users.staff
    assert users.staff.display_name in history.content.decode()
    assert changes["层数"] == (b.floors, 41)
    assert changes["类型"] == ("商务楼宇", "园区")  # labels, not stored codes
    assert changes["道路"] == ("石门二路", "")  # names, not ids
