"""Deliveries (服务记录): staff record them, the receiving secretary gives feedback on their
own branch's, everyone else sees only their scope; refusals in Chinese; export."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.services.models import Delivery
from tests.factories_services import supply_world

OURS = {"江宁街区党支部", "成都街区党支部"}
VISIBLE = {
    "admin": {"江宁街区党支部": 1, "成都街区党支部": 2},
    "staff": {"江宁街区党支部": 1, "成都街区党支部": 2},
    "secretary": {"江宁街区党支部": 1},
    "other_admin": {"威海街区党支部": 1},
}


@pytest.fixture
def supply(world, party):
    return supply_world(world, party)


@pytest.mark.parametrize("role", VISIBLE)
def test_export_holds_each_roles_deliveries(supply, users, login, role):
    response = login(getattr(users, role)).get(reverse("services:delivery_export") + "?format=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    organisations = [r[1] for r in rows[1:]]
    assert {o: organisations.count(o) for o in set(organisations)} == VISIBLE[role]


@pytest.mark.parametrize("role", ["district", "grid", "member"])
def test_roles_without_deliveries_are_refused(supply, users, login, role):
    assert login(getattr(users, role)).get(reverse("services:delivery_list")).status_code == 403


def data(project, organisation, **overrides):
    values = {
        "project": project.pk,
        "organisation": organisation.pk,
        "delivered_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "what": "律师现场法律咨询",
        "participants": "12",
        "rating": "",
        "feedback": "",
    }
    values.update(overrides)
    return values


def test_staff_records_a_delivery_from_the_project_page(supply, party, users, login):
    client = login(users.staff)
    project = supply.projects.east_only
    add = reverse("services:delivery_add") + f"?project={project.pk}"
    assert client.get(add).context["form"]["project"].value() == str(project.pk)
    response = client.post(reverse("services:delivery_add"), data(project, party.west))
    delivery = Delivery.objects.get(what="律师现场法律咨询")
    assert response.status_code == 302
    assert delivery.recorded_by == users.staff and delivery.participants == 12


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"delivered_on": "2999-01-01"}, "delivered_on", "不能是将来"),
        ({"delivered_on": "2000-01-01"}, "delivered_on", "不能更早"),
        ({"participants": "-3"}, "participants", "大于或等于"),
        ({"what": ""}, "what", "必填"),
        ({"rating": "9"}, "rating", "不在可用的选项中"),
    ],
)
def test_refusals_say_why_in_chinese(supply, party, users, login, overrides, field, words):
    client = login(users.staff)
    response = client.post(
        reverse("services:delivery_add"), data(supply.projects.east_only, party.west, **overrides)
    )
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not Delivery.objects.filter(what="律师现场法律咨询").exists()


def test_neighbours_organisation_cannot_receive_our_delivery(supply, party, users, login):
    response = login(users.staff).post(
        reverse("services:delivery_add"), data(supply.projects.east_only, party.other)
    )
    assert "organisation" in response.context["form"].errors


def test_secretary_gives_feedback_on_their_branchs_delivery_only(supply, users, login):
    client = login(users.secretary)
    own = supply.deliveries.west
    url = reverse("services:delivery_edit", args=[own.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {"participants", "rating", "feedback", "loaded_at"}
    response = client.post(
        url,
        {
            "participants": "25",
            "rating": "4",
            "feedback": "党员们很满意",
            "loaded_at": form["loaded_at"].value(),
            # Not on the form: ignored.
            "what": "改掉",
            "organisation": supply.deliveries.east.organisation_id,
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.rating, own.feedback, own.participants, own.what) == (
        4,
        "党员们很满意",
        25,
        "主题党日活动场地保障",
    )
    assert own.organisation == supply.deliveries.west.organisation
    other = reverse("services:delivery_edit", args=[supply.deliveries.east.pk])
    assert client.get(other).status_code == 404
    assert client.get(reverse("services:delivery_add")).status_code == 403


def test_filters_by_period_and_organisation(supply, party, users, login):
    Delivery.objects.filter(pk=supply.deliveries.east_only.pk).update(
        delivered_on=timezone.localdate() - timedelta(days=400)
    )
    client = login(users.staff)
    start = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = client.get(
        reverse("services:delivery_list"), {"organisation": party.east.pk, "start": start}
    )
    assert [d.project.title for d in response.context["object_list"]] == ["场地共享·组织生活进阵地"]


def test_detail_and_history_pages(supply, users, login):
    client = login(users.secretary)
    own = supply.deliveries.west
    page = client.get(own.get_absolute_url()).content.decode()
    assert "主题党日活动场地保障" in page and "场地离门店近" in page
    history = reverse("services:delivery_history", args=[own.pk])
    assert client.get(history).status_code == 200
    assert client.get(supply.deliveries.east.get_absolute_url()).status_code == 404
