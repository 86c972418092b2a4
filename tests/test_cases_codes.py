"""Demand codes for staff: made once per shop, scoped, QR as SVG and PNG, retired codes lead
nowhere."""

import pytest
from django.urls import reverse

from jiequ.cases.codes import code_for
from jiequ.cases.models import DemandCode
from tests.factories import CoverageLinkFactory, EntityFactory


@pytest.fixture
def shops(world, party):
    west = EntityFactory(region=world.grid_sw, sign_name="老王面馆", name="上海老王餐饮店")
    CoverageLinkFactory(organisation=party.west, entity=west, kind="area")
    east = EntityFactory(region=world.grid_e, sign_name="成都花店", name="上海成都花艺店")
    other = EntityFactory(region=world.other_grid, sign_name="威海书店", name="上海威海书店")
    return west, east, other


def test_staff_makes_a_shop_code_once(login, users, shops, party):
    west = shops[0]
    client = login(users.staff)
    page = client.get(reverse("cases:code_add") + "?q=面馆").content.decode()
    assert "老王面馆" in page and "生成诉求码" in page
    response = client.post(reverse("cases:code_add"), {"entity": west.pk})
    code = DemandCode.objects.get()
    assert response["Location"] == reverse("cases:code_detail", args=[code.pk])
    assert code.entity == west and code.region == west.region
    assert code.organisation == party.west  # the branch covering the shop
    assert len(code.token) >= 16
    client.post(reverse("cases:code_add"), {"entity": west.pk})
    assert DemandCode.objects.count() == 1
    page = client.get(reverse("cases:code_add") + "?q=面馆").content.decode()
    assert "查看诉求码" in page


def test_detail_shows_the_qr_and_the_public_link(login, users, shops):
    code, _ = code_for(entity=shops[0])
    client = login(users.staff)
    page = client.get(reverse("cases:code_detail", args=[code.pk])).content.decode()
    assert "<svg" in page and f"/p/d/{code.token}/" in page
    assert "打印联系卡" in page and "江宁街区党支部" in page


def test_qr_as_svg_and_png(login, users, shops):
    code, _ = code_for(entity=shops[0])
    client = login(users.grid)
    svg = client.get(reverse("cases:code_qr", args=[code.pk, "svg"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    png = client.get(reverse("cases:code_qr", args=[code.pk, "png"]))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(reverse("cases:code_qr", args=[code.pk, "pdf"])).status_code == 404


def test_area_code(login, users, world, party):
    client = login(users.staff)
    response = client.post(
        reverse("cases:code_add"), {"region": world.grid_nw.pk, "organisation": party.west.pk}
    )
    code = DemandCode.objects.get()
    assert response.status_code == 302 and code.entity is None
    assert code.region == world.grid_nw and code.organisation == party.west


def test_cannot_make_codes_outside_scope(login, users, shops, world, party):
    client = login(users.staff)
    assert client.post(reverse("cases:code_add"), {"entity": shops[2].pk}).status_code == 404
    assert (
        client.post(reverse("cases:code_add"), {"region": world.other_grid.pk}).status_code == 404
    )
    response = client.post(
        reverse("cases:code_add"), {"region": world.grid_nw.pk, "organisation": party.other.pk}
    )
    assert response.status_code == 302 and not DemandCode.objects.exists()
    page = client.get(reverse("cases:code_add"), follow=True).content.decode()
    assert "请选择您工作范围内的党支部" in page


@pytest.mark.parametrize(
    "role, sees",
    [
        ("admin", {"老王面馆", "成都花店"}),
        ("staff", {"老王面馆", "成都花店"}),
        ("secretary", {"老王面馆"}),
        ("grid", {"老王面馆"}),
        ("other_admin", {"威海书店"}),
    ],
)
def test_list_is_scoped(login, users, shops, role, sees):
    for shop in shops:
        code_for(entity=shop)
    client = login(getattr(users, role))
    page = client.get(reverse("cases:code_list")).content.decode()
    for name in ("老王面馆", "成都花店", "威海书店"):
        assert (name in page) == (name in sees), name


@pytest.mark.parametrize("role", ["district", "member"])
def test_roles_without_codes_are_refused(login, users, shops, role):
    code, _ = code_for(entity=shops[0])
    client = login(getattr(users, role))
    assert client.get(reverse("cases:code_list")).status_code == 403
    assert client.get(reverse("cases:code_detail", args=[code.pk])).status_code == 403
    assert client.post(reverse("cases:code_add"), {"entity": shops[0].pk}).status_code == 403


def test_neighbour_admin_gets_404_on_our_code(login, users, shops):
    code, _ = code_for(entity=shops[0])
    client = login(users.other_admin)
    assert client.get(reverse("cases:code_detail", args=[code.pk])).status_code == 404
    assert client.get(reverse("cases:code_qr", args=[code.pk, "png"])).status_code == 404
    response = client.post(reverse("cases:code_change", args=[code.pk]), {"active": "0"})
    assert response.status_code == 404
    code.refresh_from_db()
    assert code.is_active


def test_retire_and_bring_back(login, users, shops, client):
    code, _ = code_for(entity=shops[0])
    public = reverse("cases_public:demand", args=[code.token])
    staff = login(users.staff)
    staff.post(reverse("cases:code_change", args=[code.pk]), {"active": "0"})
    code.refresh_from_db()
    assert not code.is_active
    staff.logout()
    assert staff.get(public).status_code == 404
    # A new code is made for the shop once the old one is retired.
    new, created = code_for(entity=shops[0])
    assert created and new.pk != code.pk
    staff = login(users.staff)
    response = staff.post(
        reverse("cases:code_change", args=[code.pk]), {"active": "1"}, follow=True
    )
    assert "已有另一个在用的诉求码" in response.content.decode()
    code.refresh_from_db()
    assert not code.is_active


def test_secretary_may_add_but_not_retire(login, users, shops):
    code, _ = code_for(entity=shops[0])
    client = login(users.secretary)
    response = client.post(reverse("cases:code_change", args=[code.pk]), {"active": "0"})
    assert response.status_code == 403
    page = client.get(reverse("cases:code_detail", args=[code.pk])).content.decode()
    assert "停用此诉求码" not in page


def test_change_the_branch(login, users, shops, party):
    code, _ = code_for(entity=shops[0])
    client = login(users.staff)
    client.post(reverse("cases:code_change", args=[code.pk]), {"organisation": party.east.pk})
    code.refresh_from_db()
    assert code.organisation == party.east
    client.post(reverse("cases:code_change", args=[code.pk]), {"organisation": party.other.pk})
    code.refresh_from_db()
    assert code.organisation == party.east
