"""The member sign-up code: posters, the public phone page, one record per phone, review."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jiequ.ledger import signup
from jiequ.ledger.models import MemberRegistration, RegistrationState, SignupCode

from .factories import EntityFactory


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def shop(world):
    return EntityFactory(name="", sign_name="安徽宠物店", region=world.grid_sw, is_street_shop=True)


@pytest.fixture
def code(shop):
    return signup.code_for(shop)


def payload(**overrides):
    data = {
        "name": "张三",
        "phone": "13812345678",
        "membership": "full",
        "record_organisation": "中共安徽省合肥市某某社区委员会",
        "record_province": "安徽",
        "record_city": "合肥",
        "workplace": "安徽宠物店",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_poster_is_a_pdf_with_the_join_link(world, users, login, shop):
    client = login(users.grid)
    response = client.post(reverse("ledger:code_create"), {"entity": shop.pk})
    code = SignupCode.objects.get(entity=shop)
    assert response["Location"] == reverse("ledger:code_poster", args=[code.pk])
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    body = pdf.content
    assert (
        body.startswith(b"%PDF")
        and body.count(b"/Type /Page\n") + body.count(b"/Type /Page>") + body.count(b"/Type /Page ")
        >= 1
    )
    assert f"/join/{code.token}/".encode() in body  # the QR's link is on the page too
    assert b"STSong-Light" in body  # a Chinese font
    # Asking again reuses the same code: posters already on walls keep working.
    client.post(reverse("ledger:code_create"), {"entity": shop.pk})
    assert SignupCode.objects.filter(entity=shop).count() == 1


def test_poster_outside_scope_is_refused(world, users, login):
    other = EntityFactory(region=world.other_grid)
    response = login(users.grid).post(reverse("ledger:code_create"), {"entity": other.pk})
    assert response.status_code == 404
    assert not SignupCode.objects.exists()


def test_public_page_prefills_the_workplace(code, client):
    page = client.get(reverse("join", args=[code.token]))
    assert page.status_code == 200
    assert page.context["form"]["workplace"].value() == "安徽宠物店"
    assert "同意" in page.content.decode()


def test_registering_twice_keeps_one_record(code, client):
    url = reverse("join", args=[code.token])
    assert client.post(url, payload())["Location"] == reverse("join_done", args=[code.token])
    client.post(url, payload(phone="138 1234 5678", record_city="芜湖"))
    registration = MemberRegistration.objects.get()
    assert registration.submissions == 2 and registration.record_city == "芜湖"
    assert registration.phone_masked == "138****5678"
    assert "13812345678" not in registration.phone_encrypted
    assert registration.consent_at is not None and "同意" in registration.consent_text
    assert registration.entity == code.entity and registration.region == code.region


def test_consent_is_required_and_bad_phones_refused(code, client):
    url = reverse("join", args=[code.token])
    no_consent = client.post(url, payload(consent=""))
    assert "consent" in no_consent.context["form"].errors
    bad_phone = client.post(url, payload(phone="14012345678"))
    assert "不存在" in str(bad_phone.context["form"].errors["phone"])
    assert not MemberRegistration.objects.exists()


def test_unknown_or_withdrawn_code(code, client):
    assert client.get(reverse("join", args=["nope"])).status_code == 404
    code.is_active = False
    code.save()
    assert client.get(reverse("join", args=[code.token])).status_code == 404


def test_page_is_rate_limited(code, client):
    url = reverse("join", args=[code.token])
    statuses = [
        client.post(url, payload(phone=f"1381234{5600 + i}")).status_code for i in range(12)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]
    assert MemberRegistration.objects.count() == 10


def test_bots_filling_the_hidden_field_are_ignored(code, client):
    client.post(reverse("join", args=[code.token]), payload(website="http://spam"))
    assert not MemberRegistration.objects.exists()


def test_review_queue_is_scoped_and_confirms(world, users, login, code, client, party):
    client.post(reverse("join", args=[code.token]), payload())
    registration = MemberRegistration.objects.get()
    staff = login(users.staff)
    page = staff.get(reverse("ledger:registration_list"))
    assert "138****5678" in page.content.decode() and "13812345678" not in page.content.decode()
    staff.post(
        reverse("ledger:registration_review", args=[registration.pk]),
        {"decision": "confirm", "organisation": party.west.pk},
    )
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED
    assert registration.reviewed_by == users.staff
    assert registration.member.organisation == party.west  # confirming made the member
    # Other subdistricts, the district and grid workers do not see people's registrations.
    assert (
        login(users.other_admin).get(reverse("ledger:registration_list")).context["paginator"].count
        == 0
    )
    assert login(users.district).get(reverse("ledger:registration_list")).status_code == 403
    assert login(users.grid).get(reverse("ledger:registration_list")).status_code == 403
    assert (
        login(users.secretary)
        .post(reverse("ledger:registration_review", args=[registration.pk]), {"decision": "reject"})
        .status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_the_same_moment_make_one_record(world, code):
    """Two phones pressing submit together (PostgreSQL: real concurrent transactions)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(2)
    errors = []

    def submit(city):
        try:
            barrier.wait()
            signup.register(
                code,
                signup.RegistrationData(
                    name="张三",
                    phone="+8613812345678",
                    record_organisation="某党委",
                    record_province="安徽",
                    record_city=city,
                    membership="full",
                    workplace="",
                    consent_text="同意",
                ),
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(c,)) for c in ("合肥", "芜湖")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    registration = MemberRegistration.objects.get()
    assert registration.submissions == 2


def test_poster_for_a_whole_area(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("ledger:code_create"), {"area": world.west.pk})
    code = SignupCode.objects.get(region=world.west)
    assert code.target == "area" and str(code) == "江宁片区"
    assert client.get(response["Location"]).content.startswith(b"%PDF")
    page = client.get(reverse("ledger:registration_list")).content.decode()
    assert "江宁片区" in page and "威海片区" not in page
