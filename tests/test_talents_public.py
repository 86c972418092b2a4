"""The talents' public pages (no account): sign-up behind the QR code with consent recorded,
one entry per phone, rate limit; the person's own record behind their private link, and
leaving the register."""

import pytest
from django.core.cache import cache
from django.urls import include, path, reverse

from jiequ.config import urls as site_urls
from jiequ.config import urls_public
from jiequ.services import talents
from jiequ.services.models import Talent, TalentSource
from tests.factories_services import TalentFactory


def _mounted() -> bool:
    return any(
        getattr(p, "urlconf_name", None) is not None
        and getattr(p.urlconf_name, "__name__", p.urlconf_name) == "jiequ.services.urls_public"
        for p in urls_public.urlpatterns
    )


# The site's URLs, with the talents' public pages under /p/t/ until the site mounts them.
urlpatterns = list(site_urls.urlpatterns)
if not _mounted():
    urlpatterns.insert(0, path("p/t/", include("jiequ.services.urls_public")))

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def invite(world):
    return talents.invite_for(world.ours)


def data(world, **overrides):
    values = {
        "name": "陈师傅",
        "phone": "13912345678",
        "skills": "家电维修",
        "category": "other",
        "occupation": "维修师傅",
        "region": world.west.pk,
        "consent": "on",
        "website": "",
    }
    values.update(overrides)
    return values


def test_sign_up_records_consent_and_leads_to_the_private_page(world, invite, client):
    url = reverse("services_public:talent_join", args=[invite.token])
    page = client.get(url).content.decode()
    assert "能人达人登记" in page and "江宁片区" in page
    response = client.post(url, data(world))
    talent = Talent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("services_public:talent_me", args=[talent.token])
    assert talent.source == TalentSource.SELF and talent.region == world.west
    assert "本人同意" in talent.consent_text and talent.consented_at is not None
    assert talent.phone_masked == "139****5678"
    page = client.get(response["Location"]).content.decode()
    assert "陈师傅" in page and "139****5678" in page and "13912345678" not in page
    assert "请保存本页链接" in page


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"consent": ""}, "请阅读并勾选同意"),
        ({"phone": "1234"}, "号码"),
        ({"name": ""}, "必填"),
        ({"region": "999999"}, "选择一个有效的选项"),
    ],
)
def test_refusals_say_why_in_chinese(world, invite, client, overrides, words):
    response = client.post(
        reverse("services_public:talent_join", args=[invite.token]), data(world, **overrides)
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Talent.objects.exists()


def test_an_area_outside_the_codes_subdistrict_is_refused(world, invite, client):
    response = client.post(
        reverse("services_public:talent_join", args=[invite.token]),
        data(world, region=world.other_area.pk),
    )
    assert "选择一个有效的选项" in response.content.decode()


def test_the_same_phone_twice_changes_nothing(world, invite, client):
    first = TalentFactory(name="原登记人", region=world.west, phone="+8613912345678")
    response = client.post(
        reverse("services_public:talent_join", args=[invite.token]), data(world, name="冒名者")
    )
    assert "已在名册中" in response.content.decode()
    first.refresh_from_db()
    assert first.name == "原登记人" and Talent.objects.count() == 1
    assert first.token not in response.content.decode()


def test_bots_filling_the_hidden_field_are_not_saved(world, invite, client):
    client.post(
        reverse("services_public:talent_join", args=[invite.token]), data(world, website="x")
    )
    assert not Talent.objects.exists()


def test_too_many_sign_ups_from_one_network_are_refused(world, invite, client):
    url = reverse("services_public:talent_join", args=[invite.token])
    for i in range(10):
        client.post(url, data(world, phone=f"1391234{i:04d}"))
    response = client.post(url, data(world, phone="13987654321"))
    assert response.status_code == 429
    assert "请十分钟后再试" in response.content.decode()
    assert Talent.objects.count() == 10


def test_unknown_or_inactive_codes_are_not_found(world, invite, client):
    assert client.get(reverse("services_public:talent_join", args=["nope"])).status_code == 404
    invite.is_active = False
    invite.save()
    assert (
        client.get(reverse("services_public:talent_join", args=[invite.token])).status_code == 404
    )


def test_leaving_the_register_through_the_private_link(world, client):
    talent = TalentFactory(name="赵老师", region=world.west, phone="+8613700001111")
    url = reverse("services_public:talent_me", args=[talent.token])
    assert "137****1111" in client.get(url).content.decode()
    response = client.post(url, {"action": "withdraw"})
    assert "您已退出名册" in response.content.decode()
    talent.refresh_from_db()
    assert talent.withdrawn_at is not None and talent.phone_encrypted == ""
    assert client.get(url).status_code == 404
    assert client.get(reverse("services_public:talent_me", args=["x" * 22])).status_code == 404
