"""The rota pages: a position's four weeks, generating and setting days, the pool, gaps and
their export, swaps proposed and answered through the pages, who may do what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.positions import rota
from jiequ.positions.models import Duty, DutySwap, RotaMember

from .factories import CadreFactory, UserFactory
from .factories_positions import positions_world


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def pw(world, party):
    return positions_world(world, party)


@pytest.fixture
def masters(pw, party, world, users):
    """The demo-like pool: the member account's member and a second member, and a cadre."""
    a = party.west_members[0]
    a.user = users.member
    a.save()
    b = party.west_members[1]
    b.user = UserFactory(role="member", scope_region=world.ours)
    b.save()
    cadre = CadreFactory(subdistrict=world.ours)
    for i, (m, c) in enumerate([(a, None), (b, None), (None, cadre)]):
        RotaMember.objects.create(position=pw.west, member=m, cadre=c, order=i)
    return a, b, cadre


def test_staff_generates_the_rota_through_the_page(pw, masters, users, login):
    client = login(users.staff)
    url = reverse("positions:rota_generate", args=[pw.west.pk])
    response = client.post(url, {"start": day(0).isoformat(), "end": day(13).isoformat()})
    assert response.status_code == 302
    assert Duty.objects.filter(position=pw.west).count() == 14
    page = client.get(reverse("positions:rota", args=[pw.west.pk])).content.decode()
    assert "每个开放日都有轮值站长" in page
    bad = client.post(url, {"start": day(5).isoformat(), "end": day(1).isoformat()}, follow=True)
    assert "结束日期早于开始日期" in bad.content.decode()


def test_the_rota_page_flags_gaps_and_the_position_page_too(pw, masters, users, login):
    rota.generate(pw.west, day(0), day(20))
    Duty.objects.filter(position=pw.west, day=day(3)).delete()
    client = login(users.secretary)
    page = client.get(reverse("positions:rota", args=[pw.west.pk])).content.decode()
    assert "缺轮值站长" in page and f"{day(3):%m-%d}" in page
    detail = client.get(pw.west.get_absolute_url()).content.decode()
    assert "1天没有轮值站长" in detail
    # The secretary reads the rota but cannot change it.
    assert "从站长库生成排班" not in page
    response = client.post(
        reverse("positions:rota_generate", args=[pw.west.pk]),
        {"start": day(0).isoformat(), "end": day(3).isoformat()},
    )
    assert response.status_code == 403


def test_gap_list_and_its_excel(pw, masters, users, login):
    rota.generate(pw.west, day(0), day(13))
    Duty.objects.filter(position=pw.west, day=day(2)).delete()
    client = login(users.staff)
    response = client.get(reverse("positions:gap_list"))
    gaps = response.context["gaps"]
    assert [(g.position, g.day) for g in gaps if g.position == pw.west] == [(pw.west, day(2))]
    assert len([g for g in gaps if g.position == pw.east]) == 14
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("positions:gap_list") + "?format=xlsx").content)
    ).active
    assert sheet["A1"].value == "日期" and sheet.max_row == 1 + 15
    # The neighbour's admin sees no gap of ours.
    other = login(users.other_admin).get(reverse("positions:gap_list")).context["gaps"]
    assert {g.position for g in other} == {pw.other}


def test_assign_a_day_and_manage_the_pool(pw, masters, users, login, world):
    a, b, cadre = masters
    client = login(users.staff)
    response = client.post(
        reverse("positions:rota_assign", args=[pw.west.pk]),
        {"day": day(2).isoformat(), "person": f"c:{cadre.pk}"},
    )
    assert response.status_code == 302
    assert Duty.objects.get(position=pw.west, day=day(2)).cadre == cadre
    past = client.post(
        reverse("positions:rota_assign", args=[pw.west.pk]),
        {"day": day(-1).isoformat(), "person": f"c:{cadre.pk}"},
        follow=True,
    )
    assert "已过去的日期不能修改" in past.content.decode()
    outsider = CadreFactory(subdistrict=world.other)
    forged = client.post(
        reverse("positions:rota_assign", args=[pw.west.pk]),
        {"day": day(3).isoformat(), "person": f"c:{outsider.pk}"},
        follow=True,
    )
    assert (
        "请从列表中选择" in forged.content.decode()
        or "选择一个有效的选项" in forged.content.decode()
    )
    third = RotaMember.objects.get(position=pw.west, cadre=cadre)
    client.post(reverse("positions:pool_toggle", args=[pw.west.pk, third.pk]))
    third.refresh_from_db()
    assert not third.is_active
    new = pw.west.organisation.members.exclude(pk__in=[a.pk, b.pk]).first()
    client.post(reverse("positions:pool_add", args=[pw.west.pk]), {"person": f"m:{new.pk}"})
    assert RotaMember.objects.filter(position=pw.west, member=new).exists()


def test_member_proposes_and_the_other_accepts_through_the_pages(pw, masters, users, login, client):
    a, b, cadre = masters
    mine = rota.assign(pw.west, day(2), member=a)
    theirs = rota.assign(pw.west, day(4), member=b)
    member_client = login(users.member)
    form = member_client.get(reverse("positions:swap_propose"))
    assert list(form.context["form"].fields["duty_a"].queryset) == [mine]
    response = member_client.post(
        reverse("positions:swap_propose"),
        {"duty_a": mine.pk, "duty_b": theirs.pk, "note": "孩子生病"},
    )
    assert response.status_code == 302
    swap = DutySwap.objects.get()
    # A member cannot give away someone else's duty.
    forged = member_client.post(
        reverse("positions:swap_propose"), {"duty_a": theirs.pk, "duty_b": mine.pk}
    )
    assert forged.status_code == 400 and DutySwap.objects.count() == 1
    # A cannot accept; B sees the swap and accepts it.
    member_client.post(reverse("positions:swap_answer", args=[swap.pk, "accept"]))
    swap.refresh_from_db()
    assert swap.state == "proposed"
    client.force_login(b.user)
    listing = client.get(reverse("positions:swap_list"))
    assert [row["can_answer"] for row in listing.context["swap_rows"]] == [True]
    done = client.post(reverse("positions:swap_answer", args=[swap.pk, "accept"]), follow=True)
    assert "换班完成" in done.content.decode()
    mine.refresh_from_db()
    assert mine.member == b


def test_members_see_only_their_own_swaps(pw, masters, users, login, world):
    a, b, cadre = masters
    rota.propose_swap(
        rota.assign(pw.west, day(2), member=b), rota.assign(pw.west, day(4), cadre=cadre), b.user
    )
    member_page = login(users.member).get(reverse("positions:swap_list"))
    assert member_page.context["swap_rows"] == []
    staff_page = login(users.staff).get(reverse("positions:swap_list"))
    assert len(staff_page.context["swap_rows"]) == 1
    assert staff_page.context["swap_rows"][0]["can_answer"]
    export = login(users.staff).get(reverse("positions:swap_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 2
    assert login(users.other_admin).get(reverse("positions:swap_list")).context["swap_rows"] == []


def test_duty_list_and_export_for_secretary(pw, masters, users, login):
    rota.generate(pw.west, day(0), day(6))
    client = login(users.secretary)
    response = client.get(reverse("positions:duty_list"))
    assert response.status_code == 200 and len(response.context["rows"]) == 7
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("positions:duty_export") + "?format=xlsx").content)
    ).active
    assert sheet.max_row == 8
    assert login(users.other_admin).get(reverse("positions:duty_list")).context["rows"] == []
    assert login(users.district).get(reverse("positions:duty_list")).status_code == 403


def test_member_sees_the_rota_and_their_duties(pw, masters, users, login):
    a, b, cadre = masters
    rota.assign(pw.west, day(1), member=a)
    page = login(users.member).get(reverse("positions:rota", args=[pw.west.pk]))
    mine = [d for d in page.context["days"] if d["mine"]]
    assert [d["day"] for d in mine] == [day(1)]
    assert "申请换班" in page.content.decode()
