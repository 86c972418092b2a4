"""Needs (需求清单): who sees which, entering one with its owner, refusals, export, history."""

import io
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.services.models import Need
from tests.factories import CoverageLinkFactory, EntityFactory
from tests.factories_services import NeedFactory, supply_world

ALL_OURS = {"西片支部需要会议室", "东片支部需要法律咨询", "面馆招聘服务员", "城管中队需要志愿者"}
OTHER = "威海支部需要会议室"
VISIBLE = {
    "admin": ALL_OURS,
    "staff": ALL_OURS,
    # A secretary keeps their own branch's needs only.
    "secretary": {"西片支部需要会议室"},
    "other_admin": {OTHER},
}
REFUSED = ["district", "grid", "member"]


@pytest.fixture
def supply(world, party):
    return supply_world(world, party)


@pytest.mark.parametrize("role", VISIBLE)
def test_list_shows_each_role_its_needs(supply, users, login, role):
    page = login(getattr(users, role)).get(reverse("services:need_list")).content.decode()
    for title in ALL_OURS | {OTHER}:
        assert (title in page) == (title in VISIBLE[role]), title


@pytest.mark.parametrize("role", REFUSED)
def test_roles_without_needs_are_refused(supply, users, login, role):
    client = login(getattr(users, role))
    assert client.get(reverse("services:need_list")).status_code == 403
    assert client.get(reverse("services:need_export") + "?format=xlsx").status_code == 403
    detail = reverse("services:need_detail", args=[supply.needs.west.pk])
    assert client.get(detail).status_code == 403


def test_detail_outside_scope_is_not_found(supply, users, login):
    client = login(users.secretary)
    assert client.get(supply.needs.east.get_absolute_url()).status_code == 404
    assert client.get(supply.needs.west.get_absolute_url()).status_code == 200
    other = login(users.other_admin)
    assert other.get(supply.needs.west.get_absolute_url()).status_code == 404


def test_export_opens_as_excel_with_only_the_scope(supply, users, login):
    response = login(users.secretary).get(reverse("services:need_export") + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "名称"
    assert [r[0] for r in rows[1:]] == ["西片支部需要会议室"]


def test_filters_by_state_age_group_and_owner(supply, users, login):
    client = login(users.staff)
    NeedFactory(
        title="很久以前的需求",
        organisation=supply.needs.west.organisation,
        region=supply.needs.west.region,
        raised_on=timezone.localdate() - timedelta(days=200),
        target_groups=",elderly,",
    )
    url = reverse("services:need_list")
    page = client.get(url, {"age": "181-"}).content.decode()
    assert "很久以前的需求" in page and "西片支部需要会议室" not in page
    page = client.get(url, {"group": "elderly"}).content.decode()
    assert "很久以前的需求" in page and "面馆招聘服务员" not in page
    page = client.get(url, {"owner": "shop"}).content.decode()
    assert "面馆招聘服务员" in page and "西片支部需要会议室" not in page
    page = client.get(url, {"owner": "department"}).content.decode()
    assert "城管中队需要志愿者" in page and "面馆招聘服务员" not in page
    assert "很久以前的需求" not in client.get(url, {"state": "met"}).content.decode()


def form_data(**overrides):
    today = timezone.localdate()
    values = {
        "title": "支部需要培训场地",
        "category": "venue",
        "state": "open",
        "raised_on": today.isoformat(),
        "target_groups": ["members", "workers"],
        "owner_kind": "organisation",
        "organisation": "",
        "department_kind": "",
        "department_name": "",
        "entity": "",
        "quantity": "3",
        "unit": "场",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "description": "每月一次党课需要场地。",
        "region": "",
        "lat": "",
        "lon": "",
    }
    values.update(overrides)
    return values


def test_secretary_enters_a_need_of_their_branch_placed_at_its_entities(world, party, users, login):
    shop = EntityFactory(region=world.grid_sw, lat="31.233000", lon="121.452000")
    CoverageLinkFactory(organisation=party.west, entity=shop)
    client = login(users.secretary)
    response = client.post(reverse("services:need_add"), form_data(organisation=party.west.pk))
    need = Need.objects.get(title="支部需要培训场地")
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    assert need.organisation == party.west and need.region == party.west.region
    assert (str(need.lat), str(need.lon)) == ("31.233000", "121.452000")
    assert need.target_groups == ",members,workers,"
    assert need.history.get().history_user == users.secretary
    page = client.get(need.get_absolute_url()).content.decode()
    assert "党员、从业人员" in page


def test_secretary_may_not_enter_another_branchs_or_a_shops_need(world, party, users, login):
    client = login(users.secretary)
    response = client.post(reverse("services:need_add"), form_data(organisation=party.east.pk))
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    shop = EntityFactory(region=world.grid_sw)
    response = client.post(
        reverse("services:need_add"), form_data(owner_kind="shop", entity=shop.pk)
    )
    assert "owner_kind" in response.context["form"].errors
    assert not Need.objects.exists()


def test_staff_enters_a_department_need_and_the_shop_owner_fields_are_dropped(
    world, party, users, login
):
    client = login(users.staff)
    shop = EntityFactory(region=world.grid_sw)
    data = form_data(
        owner_kind="department",
        department_kind="city_management",
        department_name="城管中队",
        organisation=party.west.pk,  # left over from switching owner: ignored
        entity=shop.pk,
        region=world.ours.pk,
    )
    response = client.post(reverse("services:need_add"), data)
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.organisation is None and need.entity is None
    assert need.owner == "城管中队" and need.region == world.ours


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"organisation": ""}, "organisation", "请选择党组织"),
        ({"owner_kind": "shop"}, "entity", "请选择商户"),
        ({"owner_kind": "department"}, "department_kind", "请选择部门"),
        ({"owner_kind": "department", "department_kind": "police"}, "region", "请选择区域"),
        ({"ends_on": "2020-01-01"}, "ends_on", "结束日期不能早于开始日期"),
        ({"quantity": "0"}, "quantity", "大于或等于"),
        ({"raised_on": "2999-01-01"}, "raised_on", "不能是将来"),
        ({"lat": "31.2"}, "lon", "同时填写纬度和经度"),
    ],
)
def test_refusals_say_why_in_chinese(party, users, login, overrides, field, words):
    client = login(users.staff)
    data = form_data(organisation=party.west.pk)
    data.update(overrides)
    response = client.post(reverse("services:need_add"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert words in errors, response.context["form"].errors
    assert not Need.objects.exists()


def test_the_database_holds_exactly_one_owner(world, party):
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(organisation=party.west, department_kind="police", region=world.west)
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(region=world.west)  # no owner at all
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(
            organisation=party.west,
            region=world.west,
            ends_on=timezone.localdate() - timedelta(days=400),
        )


def test_edit_refuses_to_overwrite_a_change_made_meanwhile(supply, users, login):
    client = login(users.staff)
    need = supply.needs.west
    url = reverse("services:need_edit", args=[need.pk])
    form = client.get(url).context["form"]
    loaded = form["loaded_at"].value()
    Need.objects.filter(pk=need.pk).update(
        title="别人改过", updated_at=timezone.now() + timedelta(seconds=5)
    )
    data = form_data(organisation=need.organisation_id, loaded_at=loaded, title="我的修改")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "他人修改" in " ".join(response.context["form"].non_field_errors())
    assert Need.objects.get(pk=need.pk).title == "别人改过"


def test_history_shows_target_groups_by_name(supply, users, login):
    client = login(users.staff)
    need = supply.needs.west
    url = reverse("services:need_edit", args=[need.pk])
    loaded = client.get(url).context["form"]["loaded_at"].value()
    data = form_data(organisation=need.organisation_id, loaded_at=loaded, target_groups=["elderly"])
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("services:need_history", args=[need.pk])).content.decode()
    assert "老年人" in page and ",elderly," not in page
