"""The duty rota: generating from the pool, gaps ahead, swaps with the consent of both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from jiequ.positions import rota
from jiequ.positions.models import Duty, DutySwap, RotaMember
from jiequ.positions.rota import RotaError

from .factories import CadreFactory, UserFactory
from .factories_positions import positions_world


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def pw(world, party):
    return positions_world(world, party)


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def pool(pw, party, world, users):
    """Three masters: two members (the first with an account) and a department cadre."""
    a, b = party.west_members[0], party.west_members[1]
    a.user = UserFactory(role="member", scope_region=world.ours)
    a.save()
    b.user = UserFactory(role="member", scope_region=world.ours)
    b.save()
    cadre = CadreFactory(subdistrict=world.ours)
    for i, (m, c) in enumerate([(a, None), (b, None), (None, cadre)]):
        RotaMember.objects.create(position=pw.west, member=m, cadre=c, order=i)
    return a, b, cadre


def test_generate_fills_open_days_in_turn_and_keeps_set_days(pw, pool):
    a, b, cadre = pool
    closed = day(3)
    pw.west.opening_hours.pop(str(closed.weekday()))
    pw.west.save()
    rota.assign(pw.west, day(1), cadre=cadre)
    made = rota.generate(pw.west, day(0), day(6))
    assert len(made) == 5  # 7 days, one closed, one already set
    assert not Duty.objects.filter(position=pw.west, day=closed).exists()
    assert Duty.objects.get(position=pw.west, day=day(1)).cadre == cadre
    masters = [d.master for d in Duty.objects.filter(position=pw.west).order_by("day")]
    assert len(set(masters)) == 3
    # Generating again adds nothing; a later period continues the turn.
    assert rota.generate(pw.west, day(0), day(6)) == []
    last = Duty.objects.filter(position=pw.west).order_by("-day").first()
    following = rota.generate(pw.west, day(7), day(7))[0]
    keys = [(p.member_id, p.cadre_id) for p in pw.west.pool.order_by("order")]
    assert (
        keys.index((following.member_id, following.cadre_id))
        == (keys.index((last.member_id, last.cadre_id)) + 1) % 3
    )


def test_generate_refuses_without_a_pool_or_backwards(pw):
    with pytest.raises(RotaError, match="站长库"):
        rota.generate(pw.west, day(0), day(3))
    with pytest.raises(RotaError, match="早于"):
        rota.generate(pw.west, day(3), day(0))
    with pytest.raises(RotaError, match="今天"):
        rota.generate(pw.west, day(-3), day(0))


def test_inactive_pool_members_are_skipped(pw, pool):
    a, b, cadre = pool
    RotaMember.objects.filter(member=b).update(is_active=False)
    rota.generate(pw.west, day(0), day(5))
    assert not Duty.objects.filter(member=b).exists()


def test_gaps_are_open_days_ahead_without_a_master(pw, pool):
    rota.generate(pw.west, day(0), day(13))
    assert rota.gaps(pw.west.__class__.objects.filter(pk=pw.west.pk)) == []
    Duty.objects.filter(position=pw.west, day=day(4)).delete()
    gaps = rota.gaps(pw.west.__class__.objects.filter(pk__in=[pw.west.pk, pw.east.pk]))
    west = [g for g in gaps if g.position == pw.west]
    assert [g.day for g in west] == [day(4)] and west[0].days_ahead == 4
    assert len([g for g in gaps if g.position == pw.east]) == 14  # no rota at all
    # Days the position is closed are not gaps.
    pw.west.opening_hours.pop(str(day(4).weekday()))
    pw.west.save()
    assert not [g for g in rota.gaps(type(pw.west).objects.filter(pk=pw.west.pk))]


@pytest.fixture
def two_duties(pw, pool):
    a, b, cadre = pool
    duty_a = rota.assign(pw.west, day(2), member=a)
    duty_b = rota.assign(pw.west, day(5), member=b)
    return duty_a, duty_b


def test_a_swap_needs_both_and_then_changes_both_days(pw, pool, two_duties):
    a, b, cadre = pool
    duty_a, duty_b = two_duties
    swap = rota.propose_swap(duty_a, duty_b, a.user, "家里有事")
    duty_a.refresh_from_db()
    assert swap.state == "proposed" and duty_a.member == a  # nothing moves yet
    # A cannot accept their own proposal; B can.
    with pytest.raises(RotaError, match="被邀请"):
        rota.accept_swap(swap, a.user)
    result = rota.accept_swap(swap, b.user)
    duty_a.refresh_from_db()
    duty_b.refresh_from_db()
    assert duty_a.member == b and duty_b.member == a
    assert result.swap.state == "accepted" and result.swap.answered_by == b.user
    assert duty_a.history.first().history_change_reason == "双方同意换班"
    with pytest.raises(RotaError, match="已处理"):
        rota.accept_swap(swap, b.user)


def test_b_may_decline_and_a_may_withdraw(pw, pool, two_duties):
    a, b, cadre = pool
    duty_a, duty_b = two_duties
    swap = rota.propose_swap(duty_a, duty_b, a.user)
    with pytest.raises(RotaError):
        rota.decline_swap(swap, a.user)
    assert rota.decline_swap(swap, b.user).state == "declined"
    swap = rota.propose_swap(duty_a, duty_b, a.user)
    with pytest.raises(RotaError, match="提出换班的本人"):
        rota.withdraw_swap(swap, b.user)
    assert rota.withdraw_swap(swap, a.user).state == "withdrawn"
    duty_a.refresh_from_db()
    assert duty_a.member == a


def test_only_the_holder_or_staff_propose(pw, pool, two_duties, users):
    a, b, cadre = pool
    duty_a, duty_b = two_duties
    with pytest.raises(RotaError, match="本人或阵地工作人员"):
        rota.propose_swap(duty_a, duty_b, b.user)
    with pytest.raises(RotaError, match="本人或阵地工作人员"):
        rota.propose_swap(duty_a, duty_b, users.other_admin)
    swap = rota.propose_swap(duty_a, duty_b, users.staff, "站长电话请求")
    assert swap.proposed_by == users.staff


def test_a_cadre_swaps_through_staff(pw, pool, users):
    a, b, cadre = pool
    mine = rota.assign(pw.west, day(1), member=a)
    theirs = rota.assign(pw.west, day(6), cadre=cadre)
    swap = rota.propose_swap(mine, theirs, a.user)
    # The cadre has no account: staff record their consent.
    result = rota.accept_swap(swap, users.staff)
    assert result.duty_a.cadre == cadre and result.duty_b.member == a


def test_a_rota_changed_meanwhile_voids_the_swap(pw, pool, two_duties):
    a, b, cadre = pool
    duty_a, duty_b = two_duties
    swap = rota.propose_swap(duty_a, duty_b, a.user)
    # Staff put someone else on B's day: the pending swap is void at once.
    rota.assign(pw.west, duty_b.day, cadre=cadre)
    swap.refresh_from_db()
    assert swap.state == "void"
    with pytest.raises(RotaError, match="已处理"):
        rota.accept_swap(swap, b.user)


def test_a_swap_goes_void_if_the_duty_changed_without_notice(pw, pool, two_duties):
    a, b, cadre = pool
    duty_a, duty_b = two_duties
    swap = rota.propose_swap(duty_a, duty_b, a.user)
    Duty.objects.filter(pk=duty_b.pk).update(member=None, cadre=cadre)
    with pytest.raises(RotaError, match="失效"):
        rota.accept_swap(swap, b.user)
    swap.refresh_from_db()
    assert swap.state == "void"


def test_swap_refusals(pw, pool, two_duties, world):
    a, b, cadre = pool
    duty_a, duty_b = two_duties
    with pytest.raises(RotaError, match="不同"):
        rota.propose_swap(duty_a, duty_a, a.user)
    past = Duty.objects.create(position=pw.west, day=day(-2), member=b)
    with pytest.raises(RotaError, match="已过去"):
        rota.propose_swap(duty_a, past, a.user)
    other_position = Duty.objects.create(position=pw.east, day=day(3), member=b)
    with pytest.raises(RotaError, match="同一阵地"):
        rota.propose_swap(duty_a, other_position, a.user)
    same_person = rota.assign(pw.west, day(4), member=a)
    with pytest.raises(RotaError, match="同一人"):
        rota.propose_swap(duty_a, same_person, a.user)
    rota.propose_swap(duty_a, duty_b, a.user)
    with pytest.raises(RotaError, match="待对方答复"):
        rota.propose_swap(duty_a, duty_b, a.user)
    assert DutySwap.objects.count() == 1


def test_accepting_one_swap_voids_others_on_those_days(pw, pool, two_duties):
    a, b, cadre = pool
    duty_a, duty_b = two_duties
    third = rota.assign(pw.west, day(8), cadre=cadre)
    first = rota.propose_swap(duty_a, duty_b, a.user)
    rota.accept_swap(first, b.user)
    # Now a holds duty_b; a new swap between duty_b and the cadre's day, accepted by staff.
    duty_b.refresh_from_db()
    second = rota.propose_swap(duty_b, third, a.user)
    assert second.state == "proposed"
