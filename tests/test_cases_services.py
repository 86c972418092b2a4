"""Making a case: where it is, which branch, its number, due date, consent, photos, repeats."""

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiequ.cases import numbering, photos, services
from jiequ.cases.models import Case, CaseCategory

from .factories_cases import category, make_case, photo_file, shop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_default_taxonomy_is_loaded_with_components_events_and_services():
    tops = CaseCategory.objects.filter(parent__isnull=True)
    assert set(tops.values_list("kind", flat=True)) == {"component", "event", "service"}
    piles = category("E0102")
    assert piles.parent.code == "E01" and piles.kind == "event"
    assert str(category("S0201")) == "停车与交通组织 · 错峰停车"


def test_a_shop_gives_the_grid_and_the_branch_covering_it(world, party):
    kanding = shop(world.grid_sw, party.west, sign_name="康定路面馆")
    case = make_case(entity=kanding)
    assert case.region == world.grid_sw and case.organisation == party.west
    assert case.address == kanding.address
    event = case.events.get()
    assert (event.action, event.to_state, event.to_level) == ("receive", "received", "branch")
    assert case.level_since == case.received_at


def test_a_point_gives_the_grid(world, party):
    case = make_case(lat="31.2400", lon="121.4550", organisation=party.group)
    assert case.region == world.grid_nw and case.organisation == party.group


def test_nowhere_or_outside_every_grid_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        make_case()
    assert "地图" in refused.value.message_dict["lat"][0]
    with pytest.raises(ValidationError, match="不在本街道"):
        make_case(lat="30.0", lon="120.0")
    assert not Case.objects.exists()


def test_numbers_run_per_day():
    day = date(2026, 11, 24)
    assert numbering.next_number(day) == "20261124-0001"
    assert numbering.format_number(day, 12) == "20261124-0012"


def test_numbers_and_due_dates(world, party, monkeypatch):
    moment = timezone.make_aware(datetime(2026, 9, 30, 9))
    first = make_case(lat="31.2400", lon="121.4550", received_at=moment)
    second = make_case(lat="31.2400", lon="121.4550", received_at=moment)
    assert (first.number, second.number) == ("20260930-0001", "20260930-0002")
    assert first.due_on == date(2026, 10, 13)  # 5 working days over National Day
    enquiry = make_case(lat="31.2400", lon="121.4550", request_type="enquiry", received_at=moment)
    assert enquiry.due_on == date(2026, 10, 8)


def test_a_repeated_submission_makes_one_case(world, party):
    first, created = services.create_case(
        source="qr",
        category=category(),
        title="t",
        description="d",
        lat="31.2400",
        lon="121.4550",
        submission_key="abc123",
    )
    again, created_again = services.create_case(
        source="qr",
        category=category(),
        title="t",
        description="d",
        lat="31.2400",
        lon="121.4550",
        submission_key="abc123",
    )
    assert created and not created_again and again.pk == first.pk
    assert Case.objects.count() == 1


def test_a_number_taken_at_the_same_moment_is_retried(world, party, monkeypatch):
    existing = make_case(lat="31.2400", lon="121.4550")
    calls = []

    def stale(day):
        # The first try reads the number someone else just took.
        calls.append(day)
        return existing.number if len(calls) == 1 else numbering.format_number(day, 2)

    monkeypatch.setattr(numbering, "next_number", stale)
    case = make_case(lat="31.2400", lon="121.4550")
    assert case.number.endswith("-0002") and len(calls) == 2


def test_the_reporter_is_kept_only_with_consent(world, party):
    with pytest.raises(ValidationError) as refused:
        make_case(lat="31.2400", lon="121.4550", reporter_name="王先生", phone="13912345678")
    assert "同意" in refused.value.message_dict["consent"][0]
    case = make_case(
        lat="31.2400",
        lon="121.4550",
        reporter_name="王先生",
        phone="139 1234 5678",
        consent_text="同意保存",
    )
    assert case.phone_masked == "139****5678" and case.consent_at is not None
    assert "13912345678" not in case.phone_encrypted
    with pytest.raises(ValidationError, match="电话"):
        make_case(lat="31.2400", lon="121.4550", phone="12345", consent_text="同意")


def test_a_user_records_only_inside_their_scope(world, users, party):
    east_shop = shop(world.grid_e, party.east)
    with pytest.raises(ValidationError) as refused:
        make_case(entity=east_shop, user=users.secretary)
    assert "工作范围" in str(refused.value)
    with pytest.raises(ValidationError, match="工作范围"):
        make_case(lat="31.2400", lon="121.4650", user=users.grid)
    # A secretary's case without a covering branch goes to their own branch.
    case = make_case(lat="31.2400", lon="121.4550", user=users.secretary)
    assert case.organisation == party.west and case.created_by == users.secretary
    assert case.events.get().actor == users.secretary


def test_photos_are_checked_by_content(world, party):
    case = make_case(
        lat="31.2400",
        lon="121.4550",
        photos=[photo_file("a.jpg"), photo_file("b.png", "PNG"), photo_file("c.webp", "WEBP")],
    )
    names = [p.image.name for p in case.photos.all()]
    assert len(names) == 3 and all(n.startswith(f"cases/{case.pk}/") for n in names)
    assert not any("a.jpg" in n for n in names)  # renamed
    fake = SimpleUploadedFile("evil.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        photos.validate_photo(fake)
    assert "不是照片" in refused.value.messages[0]
    gif = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(ValidationError, match="GIF"):
        photos.validate_photo(SimpleUploadedFile("x.gif", gif.getvalue()))
    big = SimpleUploadedFile("big.jpg", b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="5 MB"):
        photos.validate_photo(big)
    with pytest.raises(ValidationError, match="最多 4 张"):
        services.add_photos(case, [photo_file(), photo_file()])
    assert case.photos.count() == 3
    with pytest.raises(ValidationError):
        make_case(lat="31.2400", lon="121.4550", photos=[fake])
    assert Case.objects.count() == 1  # nothing half-saved


def test_overdue_and_due_soon(world, party, monkeypatch):
    today = date(2026, 10, 9)  # Friday; the next working day is Saturday 10 Oct (worked)
    late = make_case(lat="31.2400", lon="121.4550")
    soon = make_case(lat="31.2400", lon="121.4550")
    later = make_case(lat="31.2400", lon="121.4550")
    suspended = make_case(lat="31.2400", lon="121.4550")
    Case.objects.filter(pk=late.pk).update(due_on=date(2026, 10, 8))
    Case.objects.filter(pk=soon.pk).update(due_on=date(2026, 10, 10))
    Case.objects.filter(pk=later.pk).update(due_on=date(2026, 10, 12))
    Case.objects.filter(pk=suspended.pk).update(due_on=date(2026, 10, 1), state="suspended")
    assert list(services.overdue(Case.objects.all(), today)) == [late]
    assert list(services.due_soon(Case.objects.all(), today)) == [soon]
