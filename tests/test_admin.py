"""The Django admin: every model is registered and its pages open for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from jiequ.areas.models import Building
from jiequ.ledger.models import Entity, MemberRegistration, RegistryRecord, SurveyRound, Visit

from .factories import UserFactory


@pytest.mark.parametrize(
    "model", [Building, Entity, SurveyRound, Visit, MemberRegistration, RegistryRecord]
)
def test_model_admin_pages_open(world, client, model):
    assert model in admin.site._registry
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert client.get(url).status_code == 200


def test_admin_is_closed_to_subdistrict_staff(users, client):
    client.force_login(users.admin)
    assert client.get(reverse("admin:index")).status_code in (302, 403)
