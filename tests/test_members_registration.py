"""Confirming a sign-up registration makes (or updates) one member, in one transaction."""

import pytest
from django.urls import reverse

from jiequ.core import crypto
from jiequ.ledger import signup
from jiequ.ledger.models import MemberRegistration, RegistrationState
from jiequ.members.models import Member
from jiequ.members.services import MemberError, member_from_registration

from .factories import EntityFactory, MemberFactory


@pytest.fixture
def shop(world):
    return EntityFactory(name="", sign_name="安徽宠物店", region=world.grid_sw, is_street_shop=True)


def register(shop, **overrides):
    data = {
        "name": "张三",
        "phone": "+8613812345678",
        "record_organisation": "中共安徽省合肥市某某社区委员会",
        "record_province": "安徽",
        "record_city": "合肥",
        "membership": "full",
        "workplace": "安徽宠物店",
        "consent_text": "本人同意……",
    }
    data.update(overrides)
    registration, _new = signup.register(signup.code_for(shop), signup.RegistrationData(**data))
    return registration


def test_confirming_makes_a_mobile_member(party, users, shop):
    registration = register(shop)
    member = member_from_registration(registration, party.west, users.staff)
    assert member.name == "张三" and member.organisation == party.west
    assert member.phone_hash == crypto.lookup_hash("+8613812345678")
    assert member.phone_encrypted == registration.phone_encrypted
    assert member.membership == "full"
    assert member.consent_source == "registration"
    assert member.consent_at == registration.consent_at
    assert member.consent_text == "本人同意……"
    assert member.is_mobile and member.record_elsewhere_name == "中共安徽省合肥市某某社区委员会"
    assert (member.record_province, member.record_city) == ("安徽", "合肥")
    assert member.workplace == shop and member.registration == registration
    assert member.history.first().history_user == users.staff


def test_record_here_when_it_names_an_organisation_of_the_subdistrict(party, users, shop):
    registration = register(shop, record_organisation="中共成都街区党支部")
    member = member_from_registration(registration, party.west, users.staff)
    assert member.record_location == "here" and member.record_organisation == party.east
    assert member.record_elsewhere_name == ""


def test_the_neighbours_organisation_is_elsewhere(party, users, shop):
    registration = register(shop, record_organisation="威海街区党支部")
    member = member_from_registration(registration, party.west, users.staff)
    assert member.is_mobile


def test_same_phone_updates_the_one_member(party, users, shop):
    existing = MemberFactory(organisation=party.east, phone="+8613812345678", name="张叁")
    registration = register(shop, membership="probationary")
    member = member_from_registration(registration, party.west, users.staff)
    assert member.pk == existing.pk and Member.objects.count() == 8
    member.refresh_from_db()
    assert member.name == "张三" and member.membership == "probationary"
    assert member.organisation == party.west


def test_organisation_outside_the_reviewers_scope_is_refused(party, users, shop):
    registration = register(shop)
    with pytest.raises(MemberError):
        member_from_registration(registration, party.east, users.secretary)
    assert not Member.objects.filter(name="张三").exists()


def test_review_page_asks_for_the_organisation(party, users, login, shop):
    registration = register(shop)
    client = login(users.staff)
    page = client.get(reverse("ledger:registration_list")).content.decode()
    assert "江宁街区党支部" in page and "威海街区党支部" not in page
    url = reverse("ledger:registration_review", args=[registration.pk])
    response = client.post(url, {"decision": "confirm"}, follow=True)
    assert "请先选择" in response.content.decode()
    registration.refresh_from_db()
    assert registration.state == RegistrationState.PENDING
    assert not Member.objects.filter(name="张三").exists()
    # An organisation of another subdistrict is not offered and not accepted.
    client.post(url, {"decision": "confirm", "organisation": party.other.pk})
    registration.refresh_from_db()
    assert registration.state == RegistrationState.PENDING
    client.post(url, {"decision": "confirm", "organisation": party.west.pk})
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED
    assert Member.objects.get(name="张三").registration == registration


def test_confirm_and_member_are_one_transaction(party, users, login, shop, world):
    """If the member cannot be made, the registration is not confirmed either."""
    theirs = MemberFactory(organisation=party.other, phone="+8613812345678")
    registration = register(shop)
    # A reviewer of our subdistrict cannot take over the neighbours' member.
    response = login(users.staff).post(
        reverse("ledger:registration_review", args=[registration.pk]),
        {"decision": "confirm", "organisation": party.west.pk},
        follow=True,
    )
    assert "无权修改" in response.content.decode()
    registration.refresh_from_db()
    assert registration.state == RegistrationState.PENDING
    theirs.refresh_from_db()
    assert theirs.organisation == party.other


def test_rejecting_makes_no_member(party, users, login, shop):
    registration = register(shop)
    login(users.staff).post(
        reverse("ledger:registration_review", args=[registration.pk]), {"decision": "reject"}
    )
    registration.refresh_from_db()
    assert registration.state == RegistrationState.REJECTED
    assert not Member.objects.filter(name="张三").exists()
    assert MemberRegistration.objects.count() == 1
