"""Projects (项目清单): bundling a need's suggestions, taking and releasing resources, the
project page (needs met, resources used, deliveries and feedback), states, scope, export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.services import projects as domain
from jiequ.services.models import NeedState, Project, ProjectState
from tests.factories_services import DeliveryFactory, ProjectFactory, supply_world

OURS = {"场地共享·组织生活进阵地", "法律咨询进街区"}
OTHER = "威海场地共享"
VISIBLE = {
    "admin": OURS,
    "staff": OURS,
    # Projects delivered to their branch or meeting its needs.
    "secretary": {"场地共享·组织生活进阵地"},
    "other_admin": {OTHER},
}


@pytest.fixture
def supply(world, party):
    return supply_world(world, party)


@pytest.mark.parametrize("role", VISIBLE)
def test_list_shows_each_role_its_projects(supply, users, login, role):
    page = login(getattr(users, role)).get(reverse("services:project_list")).content.decode()
    for title in OURS | {OTHER}:
        assert (title in page) == (title in VISIBLE[role]), title


@pytest.mark.parametrize("role", ["district", "grid", "member"])
def test_roles_without_projects_are_refused(supply, users, login, role):
    assert login(getattr(users, role)).get(reverse("services:project_list")).status_code == 403


def test_secretary_reads_the_project_with_their_branchs_deliveries_only(supply, users, login):
    client = login(users.secretary)
    project = supply.projects.west_east
    page = client.get(project.get_absolute_url()).content.decode()
    assert "西片支部需要会议室" in page
    assert "江宁街区党支部" in page and "东片反馈" not in page
    assert "另有1条服务记录的对象不在您的范围内" in page
    assert client.get(supply.projects.east_only.get_absolute_url()).status_code == 404
    assert reverse("services:project_edit", args=[project.pk]) not in page


def test_export_opens_as_excel(supply, users, login):
    response = login(users.staff).get(reverse("services:project_export") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    row = next(r for r in rows if r[0] == "场地共享·组织生活进阵地")
    assert row[header.index("服务记录")] == 2
    assert row[header.index("服务党组织数")] == 2
    assert OTHER not in [r[0] for r in rows]


def test_need_page_suggests_resources_and_bundles_them_into_a_project(supply, users, login):
    client = login(users.staff)
    need = supply.needs.east
    page = client.get(need.get_absolute_url()).content.decode()
    assert "推荐资源" in page and "成都路律师公益法律咨询" in page
    assert "共同词语" in page and "组合成项目" in page
    resource = supply.resources.east
    response = client.post(
        reverse("services:project_bundle"),
        {"need": need.pk, "resource": resource.pk, f"quantity_{resource.pk}": "3", "title": ""},
    )
    project = Project.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.title == need.title and project.state == ProjectState.PLANNED
    assert project.region == supply.needs.department.region  # the whole subdistrict
    assert project.organisation == resource.organisation  # run by the provider
    assert project.allocations.get().quantity == 3
    need.refresh_from_db()
    assert need.state == NeedState.MATCHED
    assert "使用资源" in project.description


def test_bundling_more_than_remains_saves_nothing(supply, users, login):
    client = login(users.staff)
    need, resource = supply.needs.east, supply.resources.east
    before = Project.objects.count()
    response = client.post(
        reverse("services:project_bundle"),
        {"need": need.pk, "resource": resource.pk, f"quantity_{resource.pk}": "11"},
        follow=True,
    )
    assert "仅剩10次" in response.content.decode()
    assert Project.objects.count() == before
    need.refresh_from_db()
    assert need.state == NeedState.OPEN


def test_bundling_refuses_out_of_scope_or_missing_choices(supply, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("services:project_bundle"),
        {"need": supply.needs.other.pk, "resource": supply.resources.east.pk},
        follow=True,
    )
    assert "请至少选择一项需求" in response.content.decode()
    assert login(users.secretary).post(reverse("services:project_bundle")).status_code == 403


def test_taking_and_releasing_resources_from_the_project_page(supply, users, login):
    client = login(users.staff)
    project = supply.projects.east_only
    resource = supply.resources.east
    url = reverse("services:project_allocate", args=[project.pk])
    response = client.post(url, {"resource": resource.pk, "quantity": "12"}, follow=True)
    assert "仅剩10次" in response.content.decode()
    response = client.post(url, {"resource": resource.pk, "quantity": "4"}, follow=True)
    assert "本项目已占用4" in response.content.decode()
    allocation = project.allocations.get()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "成都路律师公益法律咨询" in page and "6 次" in page
    client.post(reverse("services:project_release", args=[project.pk, allocation.pk]))
    assert not project.allocations.exists()
    # The neighbour's resource cannot be taken.
    response = client.post(url, {"resource": supply.resources.other.pk, "quantity": "1"})
    assert not project.allocations.exists()


def test_completing_a_project_meets_its_needs(supply, users, login):
    client = login(users.staff)
    project = supply.projects.west_east
    url = reverse("services:project_edit", args=[project.pk])
    form = client.get(url).context["form"]
    data = {
        "title": project.title,
        "category": project.category,
        "state": "completed",
        "needs": [supply.needs.west.pk],
        "target_groups": ["members"],
        "owner_kind": "department",
        "department_kind": "party_mass",
        "department_name": "党群服务中心",
        "organisation": "",
        "entity": "",
        "quantity": "10",
        "unit": "场",
        "starts_on": project.starts_on.isoformat(),
        "ends_on": "",
        "description": "",
        "region": project.region_id,
        "lat": "",
        "lon": "",
        "loaded_at": form["loaded_at"].value(),
    }
    assert client.post(url, data).status_code == 302
    need = supply.needs.west
    need.refresh_from_db()
    assert need.state == NeedState.MET and need.met_on is not None
    # Taking the need off the project opens it again.
    form = client.get(url).context["form"]
    data.update(state="running", needs=[], loaded_at=form["loaded_at"].value())
    assert client.post(url, data).status_code == 302
    need.refresh_from_db()
    assert need.state == NeedState.MET  # met stays met: it was delivered
    domain.refresh_need_state(need)
    assert need.state == NeedState.MET


def test_cancelled_project_gives_its_need_back_and_takes_nothing(supply):
    project = ProjectFactory(region=supply.needs.department.region, department_kind="party_mass")
    project.needs.set([supply.needs.east])
    domain.project_saved(project)
    supply.needs.east.refresh_from_db()
    assert supply.needs.east.state == NeedState.MATCHED
    project.state = ProjectState.CANCELLED
    project.save()
    domain.project_saved(project)
    supply.needs.east.refresh_from_db()
    assert supply.needs.east.state == NeedState.OPEN
    with pytest.raises(domain.SupplyError):
        domain.allocate(project, supply.resources.east, 1)


def test_project_page_shows_feedback_summary(supply, users, login):
    DeliveryFactory(
        project=supply.projects.west_east,
        organisation=supply.deliveries.west.organisation,
        rating=3,
        participants=10,
    )
    page = login(users.staff).get(supply.projects.west_east.get_absolute_url()).content.decode()
    assert "服务记录与反馈" in page
    assert "4.3" in page  # (5 + 5 + 3) / 3
    assert "50" in page  # participants: 20 + 20 + 10
    assert "登记服务" in page
