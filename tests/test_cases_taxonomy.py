"""The taxonomy and time-limit pages: admins keep them, others read (or not)."""

import pytest
from django.urls import reverse

from jiequ.cases.models import CaseCategory, DeadlineRule

from .factories_cases import category

pytestmark = pytest.mark.django_db


def test_everyone_at_work_reads_the_taxonomy(users, login):
    response = login(users.secretary).get(reverse("cases:category_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "乱堆物堆料" in body and "部件" in body and "编辑" not in body
    assert login(users.member).get(reverse("cases:category_list")).status_code == 403


def test_an_admin_adds_a_sub_category_and_retires_one(users, login):
    client = login(users.admin)
    parent = category("S02")
    page = client.get(reverse("cases:category_add") + f"?parent={parent.pk}")
    assert page.context["form"]["kind"].value() == "service"
    response = client.post(
        reverse("cases:category_add"),
        {"code": "S0204", "name": "夜间装卸噪声", "kind": "service", "parent": parent.pk},
    )
    assert response.status_code == 302
    assert CaseCategory.objects.get(code="S0204").parent == parent
    piles = category("E0102")
    response = client.post(
        reverse("cases:category_edit", args=[piles.pk]),
        {
            "code": piles.code,
            "name": piles.name,
            "kind": piles.kind,
            "parent": piles.parent_id,
            "loaded_at": piles.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    piles.refresh_from_db()
    assert not piles.is_active


def test_category_errors_are_explained(users, login):
    client = login(users.admin)
    response = client.post(
        reverse("cases:category_add"),
        {"code": "E0102", "name": "重复", "kind": "component", "parent": category("E01").pk},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "已存在" in body and "类型须与一级分类相同" in body


def test_only_admins_change_the_taxonomy(users, login):
    for user in (users.staff, users.secretary, users.grid, users.district):
        assert login(user).get(reverse("cases:category_add")).status_code == 403
        response = login(user).get(reverse("cases:category_edit", args=[category().pk]))
        assert response.status_code == 403


def test_time_limits(users, login):
    client = login(users.admin)
    response = client.get(reverse("cases:deadline_list"))
    assert response.status_code == 200 and "12345" in response.content.decode()
    data = {"request_type": "request", "level": "council", "category": "", "working_days": 10}
    assert client.post(reverse("cases:deadline_add"), data).status_code == 302
    again = client.post(reverse("cases:deadline_add"), data)
    assert again.status_code == 400 and "已有办理时限" in again.content.decode()
    bad = client.post(reverse("cases:deadline_add"), dict(data, level="grid", working_days=0))
    assert bad.status_code == 400 and "1 到 120" in bad.content.decode()
    rule = DeadlineRule.objects.get()
    assert client.post(reverse("cases:deadline_delete", args=[rule.pk])).status_code == 302
    assert not DeadlineRule.objects.exists()
    staff = login(users.staff)
    assert staff.get(reverse("cases:deadline_list")).status_code == 200
    assert staff.post(reverse("cases:deadline_add"), data).status_code == 403
    assert login(users.secretary).get(reverse("cases:deadline_list")).status_code == 403
