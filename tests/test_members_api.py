"""The members API: read-only, scoped, phones masked."""

import pytest
from django.urls import include, path
from rest_framework.routers import DefaultRouter
from rest_framework.test import APIClient

from jiequ.members.api import MemberViewSet

from .factories import MemberFactory, MobileMemberFactory

router = DefaultRouter()
router.register("members/members", MemberViewSet)
urlpatterns = [path("api/", include(router.urls))]

pytestmark = pytest.mark.urls(__name__)


def call(user, method="get", pk=None, **params):
    client = APIClient()
    client.force_authenticate(user=user)
    url = "/api/members/members/" + (f"{pk}/" if pk is not None else "")
    return getattr(client, method)(url, params)


def test_api_lists_scoped_members_with_masked_phones(party, users):
    MemberFactory(organisation=party.west, name="接口甲", phone="+8613700001111")
    response = call(users.secretary)
    assert response.status_code == 200
    response.render()
    body = response.content.decode()
    names = {m["name"] for m in response.data["results"]}
    assert names == {m.name for m in party.west_members} | {"接口甲"}
    assert "137****1111" in body and "13700001111" not in body
    assert "phone_encrypted" not in body and "phone_hash" not in body


def test_api_is_read_only_and_scoped(party, users):
    theirs = party.east_members[0]
    assert call(users.secretary, pk=theirs.pk).status_code == 404
    assert call(users.staff, pk=theirs.pk).status_code == 200
    assert call(users.staff, "post", name="x").status_code == 405
    assert call(users.staff, "patch", pk=theirs.pk, name="x").status_code == 405
    assert call(users.district).status_code == 403


def test_api_filters(party, users):
    MobileMemberFactory(organisation=party.west, name="流动")
    response = call(users.staff, mobile="true")
    assert [m["name"] for m in response.data["results"]] == ["流动"]
    assert response.data["results"][0]["is_mobile"] is True
