"""The community talents' register, staff side: listed to subdistrict staff only, phones
masked everywhere, consent required, one entry per phone, withdrawal at the person's request."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.councils.models import Council
from jiequ.services.models import Talent
from tests.factories_services import TalentFactory

# The site's URLs with the talents' public pages mounted (see test_talents_public).
pytestmark = pytest.mark.urls("tests.test_talents_public")


@pytest.fixture
def talents(world):
    council = Council.objects.create(name="江宁街事会", kind="street_affairs", region=world.west)
    ours = TalentFactory(name="王律师", region=world.west, phone="+8613812345678")
    ours.councils.set([council])
    other = TalentFactory(name="威海能人", region=world.other_area)
    return ours, other, council


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_staff_list_the_register_with_masked_phones(talents, users, login, role):
    page = login(getattr(users, role)).get(reverse("services:talent_list")).content.decode()
    assert "王律师" in page and "138****5678" in page and "13812345678" not in page
    assert "江宁街事会" in page and "威海能人" not in page


@pytest.mark.parametrize("role", ["district", "secretary", "grid", "member"])
def test_others_are_refused(talents, users, login, role):
    client = login(getattr(users, role))
    assert client.get(reverse("services:talent_list")).status_code == 403
    assert client.get(talents[0].get_absolute_url()).status_code == 403


def test_neighbour_admin_sees_only_theirs(talents, users, login):
    client = login(users.other_admin)
    page = client.get(reverse("services:talent_list")).content.decode()
    assert "威海能人" in page and "王律师" not in page
    assert client.get(talents[0].get_absolute_url()).status_code == 404


def test_export_and_history_never_hold_the_phone(talents, users, login):
    client = login(users.staff)
    response = client.get(reverse("services:talent_export") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][:2] == ("王律师", "138****5678")
    assert "13812345678" not in str(rows) and talents[0].token not in str(rows)
    history = client.get(reverse("services:talent_history", args=[talents[0].pk]))
    assert "13812345678" not in history.content.decode()


def form(world, council, **overrides):
    values = {
        "name": "李医生",
        "phone": "139 1234 5678",
        "skills": "中医推拿、健康讲座",
        "category": "health",
        "occupation": "社区医生",
        "region": world.east.pk,
        "councils": [council.pk],
        "projects": [],
        "notes": "",
        "consent": "on",
    }
    values.update(overrides)
    return values


def test_staff_enter_a_talent_who_agreed(world, talents, users, login):
    client = login(users.staff)
    response = client.post(reverse("services:talent_add"), form(world, talents[2]))
    talent = Talent.objects.get(name="李医生")
    assert response.status_code == 302
    assert talent.phone_masked == "139****5678" and talent.source == "staff"
    assert talent.entered_by == users.staff and "同意" in talent.consent_text
    page = client.get(talent.get_absolute_url()).content.decode()
    assert reverse("services_public:talent_me", args=[talent.token]) in page


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"consent": ""}, "consent", "本人同意"),
        ({"phone": "+86 138 1234 5678"}, "phone", "已在名册中"),
        ({"phone": "12345"}, "phone", "号码"),
        ({"skills": ""}, "skills", "必填"),
    ],
)
def test_refusals_say_why_in_chinese(world, talents, users, login, overrides, field, words):
    client = login(users.staff)
    response = client.post(reverse("services:talent_add"), form(world, talents[2], **overrides))
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert not Talent.objects.filter(name="李医生").exists()


def test_editing_keeps_the_phone_unless_a_new_one_is_typed(world, talents, users, login):
    client = login(users.staff)
    talent = talents[0]
    url = reverse("services:talent_edit", args=[talent.pk])
    loaded = client.get(url).context["form"]["loaded_at"].value()
    data = form(world, talents[2], name="王大律师", phone="", loaded_at=loaded)
    data.pop("consent")
    assert client.post(url, data).status_code == 302
    talent.refresh_from_db()
    assert talent.name == "王大律师" and talent.phone_masked == "138****5678"


def test_withdrawal_at_the_persons_request_erases_the_phone(talents, users, login):
    client = login(users.staff)
    talent = talents[0]
    response = client.post(reverse("services:talent_withdraw", args=[talent.pk]), follow=True)
    assert "已退出名册" in response.content.decode()
    talent.refresh_from_db()
    assert talent.withdrawn_at is not None and talent.phone_hash == "" and talent.phone_masked == ""
    assert not talent.councils.exists()
    page = client.get(reverse("services:talent_list"), {"active": "true"}).content.decode()
    assert "王律师" not in page


def test_sign_up_qr_code_page(talents, users, login):
    response = login(users.staff).get(reverse("services:talent_invite"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "/p/t/join/" in page
