"""Privacy: phones masked on every screen, export and API; a withdrawn volunteer's details gone;
the neighbour's admin and the roles without volunteer rights see nothing of ours."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jiequ.core import crypto
from jiequ.volunteers import signup

from .factories_volunteers import TaskSignupFactory, VolunteerTaskFactory, vol  # noqa: F401


def digits(volunteer):
    return crypto.decrypt(volunteer.phone_encrypted).removeprefix("+86")


def staff_pages(vol):  # noqa: F811
    return [
        reverse("volunteers:volunteer_list"),
        reverse("volunteers:volunteer_list") + "?state=pending",
        reverse("volunteers:volunteer_detail", args=[vol.rider.pk]),
        reverse("volunteers:volunteer_history", args=[vol.rider.pk]),
        reverse("volunteers:task_detail", args=[vol.task.pk]),
        reverse("volunteers:hours"),
        reverse("volunteers:volunteer_export") + "?format=csv",
        reverse("volunteers:hours_export") + "?format=csv",
        reverse("volunteers:hours_export") + "?format=csv&rows=services",
        "/api/volunteers/volunteers/",
        f"/api/volunteers/volunteers/{vol.rider.pk}/",
    ]


def test_phones_are_masked_everywhere(vol, users, login):  # noqa: F811
    past = timezone.now() - dt.timedelta(days=3)
    task = VolunteerTaskFactory(
        region=vol.sw.region, starts_at=past, ends_at=past + dt.timedelta(hours=2)
    )
    TaskSignupFactory(task=task, volunteer=vol.rider, state="served", hours=Decimal("2"))
    TaskSignupFactory(task=vol.task, volunteer=vol.rider)
    client = login(users.staff)
    for url in staff_pages(vol):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig")
        for v in (vol.rider, vol.pending, vol.east_rider):
            assert digits(v) not in text, url
        assert vol.rider.token not in text, url
    api = client.get(f"/api/volunteers/volunteers/{vol.rider.pk}/").json()
    assert api["phone_masked"] == vol.rider.phone_masked and "phone" not in api
    assert "token" not in api and "phone_hash" not in api


def test_the_change_log_holds_no_phone_and_no_link(vol):  # noqa: F811
    fields = {f.name for f in vol.rider.history.model._meta.fields}
    assert not {"phone_encrypted", "phone_hash", "token"} & fields


@pytest.mark.parametrize("role", ["secretary", "grid", "district", "member", "other_admin"])
def test_roles_without_volunteer_rights_or_scope_see_no_volunteer(vol, users, login, role):  # noqa: F811
    client = login(getattr(users, role))
    for url in staff_pages(vol):
        response = client.get(url)
        if role == "other_admin":
            assert response.status_code in (200, 404), url
            assert "王小骑" not in response.content.decode("utf-8-sig"), url
        else:
            assert response.status_code in (403, 404), url


def test_a_withdrawn_volunteers_details_are_gone_from_every_page(vol, users, login):  # noqa: F811
    past = timezone.now() - dt.timedelta(days=3)
    task = VolunteerTaskFactory(
        region=vol.sw.region, starts_at=past, ends_at=past + dt.timedelta(hours=2)
    )
    TaskSignupFactory(task=task, volunteer=vol.rider, state="served", hours=Decimal("2"))
    phone = digits(vol.rider)
    vol.rider.name = "王小骑改"  # an earlier name in the change log
    vol.rider.save()
    signup.withdraw(vol.rider)
    client = login(users.admin)
    for url in [*staff_pages(vol), reverse("volunteers:task_detail", args=[task.pk])]:
        text = client.get(url).content.decode("utf-8-sig")
        assert "王小骑" not in text and phone not in text, url
    # The hours still count in the totals.
    hours_page = client.get(reverse("volunteers:hours"))
    assert hours_page.context["totals"].hours == Decimal("2")
