"""Resources (资源清单): who sees which (a secretary reads their area's and the subdistrict's),
what remains after projects take their share, withdrawing, and the suggestions."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.services import projects as domain
from jiequ.services.models import ProjectState, Resource, ResourceState
from tests.factories_services import ProjectFactory, supply_world

OURS = {"党群服务中心多功能厅", "江宁楼宇会议室共享", "成都路律师公益法律咨询"}
OTHER = "威海会议室"
VISIBLE = {
    "admin": OURS,
    "staff": OURS,
    # Their area's and the ones offered to the whole subdistrict; not the east area's.
    "secretary": {"党群服务中心多功能厅", "江宁楼宇会议室共享"},
    # A grid worker reads the offers of their grid, their area and the whole subdistrict.
    "grid": {"党群服务中心多功能厅", "江宁楼宇会议室共享"},
    "other_admin": {OTHER},
}


@pytest.fixture
def supply(world, party):
    return supply_world(world, party)


@pytest.mark.parametrize("role", VISIBLE)
def test_list_shows_each_role_its_resources(supply, users, login, role):
    page = login(getattr(users, role)).get(reverse("services:resource_list")).content.decode()
    for title in OURS | {OTHER}:
        assert (title in page) == (title in VISIBLE[role]), title


@pytest.mark.parametrize("role", ["district", "member"])
def test_district_and_members_are_refused(supply, users, login, role):
    assert login(getattr(users, role)).get(reverse("services:resource_list")).status_code == 403


def test_secretary_reads_but_cannot_change_or_export(supply, users, login):
    client = login(users.secretary)
    resource = supply.resources.subdistrict
    page = client.get(resource.get_absolute_url())
    assert page.status_code == 200
    assert reverse("services:resource_edit", args=[resource.pk]) not in page.content.decode()
    assert client.get(reverse("services:resource_edit", args=[resource.pk])).status_code == 403
    assert client.get(reverse("services:resource_add")).status_code == 403
    assert client.get(reverse("services:resource_export")).status_code == 403
    assert client.get(supply.resources.east.get_absolute_url()).status_code == 404


def test_export_holds_the_remaining_quantity(supply, users, login):
    project = ProjectFactory(region=supply.resources.west.region, **_dept())
    domain.allocate(project, supply.resources.west, 4)
    response = login(users.staff).get(reverse("services:resource_export") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    row = next(r for r in rows if r[0] == "江宁楼宇会议室共享")
    assert row[header.index("剩余")] == 6
    assert OTHER not in [r[0] for r in rows]


def _dept():
    return {"department_kind": "party_mass", "department_name": "党群服务中心"}


def test_states_follow_the_projects(supply):
    resource = supply.resources.west  # 10 场
    running = ProjectFactory(region=resource.region, state=ProjectState.RUNNING, **_dept())
    domain.allocate(running, resource, 10)
    resource.refresh_from_db()
    assert resource.state == ResourceState.COMMITTED and resource.remaining == 0
    running.state = ProjectState.COMPLETED
    running.save()
    domain.project_saved(running)
    resource.refresh_from_db()
    assert resource.state == ResourceState.USED_UP
    running.state = ProjectState.CANCELLED
    running.save()
    domain.project_saved(running)
    resource.refresh_from_db()
    assert resource.state == ResourceState.AVAILABLE and resource.remaining == 10


def test_taking_more_than_remains_is_refused_in_chinese(supply):
    resource = supply.resources.west
    first = ProjectFactory(region=resource.region, **_dept())
    second = ProjectFactory(region=resource.region, **_dept())
    domain.allocate(first, resource, 7)
    with pytest.raises(domain.SupplyError) as refused:
        domain.allocate(second, resource, 4)
    assert "仅剩3场" in str(refused.value)
    # Changing what a project takes counts its own share as free.
    domain.allocate(first, resource, 10)
    assert resource.allocations.get().quantity == 10


def test_quantity_cannot_drop_below_what_projects_take(supply, users, login):
    resource = supply.resources.west
    domain.allocate(ProjectFactory(region=resource.region, **_dept()), resource, 6)
    client = login(users.staff)
    url = reverse("services:resource_edit", args=[resource.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "target_groups"}
    data.update(
        owner_kind="organisation",
        organisation=resource.organisation_id,
        quantity="5",
        target_groups=["members"],
        starts_on=resource.starts_on.isoformat(),
        loaded_at=form["loaded_at"].value(),
        lat="",
        lon="",
        region="",
        ends_on="",
        entity="",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "项目已占用6" in " ".join(response.context["form"].errors["quantity"])
    data["quantity"] = "8"
    data["state"] = "withdrawn"
    assert client.post(url, data).status_code == 302
    resource.refresh_from_db()
    assert resource.quantity == 8 and resource.state == ResourceState.WITHDRAWN
    with pytest.raises(domain.SupplyError) as refused:
        domain.allocate(ProjectFactory(region=resource.region, **_dept()), resource, 1)
    assert "已撤回" in str(refused.value)


def test_resource_page_suggests_needs_with_reasons(supply, users, login):
    page = login(users.staff).get(supply.resources.east.get_absolute_url()).content.decode()
    assert "可满足的需求" in page
    assert "东片支部需要法律咨询" in page and "类别相同" in page and "法律咨询" in page
    # The neighbour's need is not suggested to us.
    assert "威海支部需要会议室" not in page


def test_withdrawn_resources_are_not_suggested(supply, users, login):
    Resource.objects.filter(pk=supply.resources.east.pk).update(state="withdrawn")
    page = login(users.staff).get(supply.needs.east.get_absolute_url()).content.decode()
    assert "成都路律师公益法律咨询" not in page
