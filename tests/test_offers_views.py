"""Matrix shops and offers: lists, filters, detail, edit and export, each role in its scope."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.offers.models import MatrixShop, Offer

from .factories import CoverageLinkFactory, EntityFactory
from .factories_offers import MatrixShopFactory, OfferFactory

pytestmark = pytest.mark.django_db

# role → the shops it reads (sw: 康定 grid of the west area; nw: 昌平 grid; e: east area)
VISIBLE = {
    "district": {"西南面馆", "西北小吃", "东边咖啡", "威海花店"},
    "admin": {"西南面馆", "西北小吃", "东边咖啡"},
    "staff": {"西南面馆", "西北小吃", "东边咖啡"},
    "secretary": {"西南面馆", "西北小吃"},
    "grid": {"西南面馆"},
    "member": set(),
    "other_admin": {"威海花店"},
    "unscoped": set(),
}


@pytest.fixture
def shops(world):
    made = {
        "西南面馆": MatrixShopFactory(entity__region=world.grid_sw, entity__sign_name="西南面馆"),
        "西北小吃": MatrixShopFactory(entity__region=world.grid_nw, entity__sign_name="西北小吃"),
        "东边咖啡": MatrixShopFactory(entity__region=world.grid_e, entity__sign_name="东边咖啡"),
        "威海花店": MatrixShopFactory(
            entity__region=world.other_grid, entity__sign_name="威海花店"
        ),
    }
    for name, shop in made.items():
        OfferFactory(shop=shop, title=f"{name}的优惠")
    return made


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_reads_its_shops_and_offers(users, login, shops, role):
    client = login(getattr(users, role))
    response = client.get(reverse("offers:shop_list"))
    offers = client.get(reverse("offers:offer_list"))
    if not VISIBLE[role] and role == "member":
        assert response.status_code == 403 and offers.status_code == 403
        return
    page, offer_page = response.content.decode(), offers.content.decode()
    for name, shop in shops.items():
        assert (name in page) == (name in VISIBLE[role]), name
        assert (f"{name}的优惠" in offer_page) == (name in VISIBLE[role]), name
        detail = client.get(shop.get_absolute_url())
        assert detail.status_code == (200 if name in VISIBLE[role] else 404), name


def test_a_secretary_also_reads_the_shops_their_branch_covers(users, login, party, world):
    east = MatrixShopFactory(entity__region=world.grid_e, entity__sign_name="东边咖啡")
    assert login(users.secretary).get(east.get_absolute_url()).status_code == 404
    CoverageLinkFactory(entity=east.entity, organisation=party.west)
    assert login(users.secretary).get(east.get_absolute_url()).status_code == 200


def test_the_counter_link_shows_only_to_those_who_may_change_the_shop(users, login, shops):
    shop = shops["西南面馆"]
    staff_page = login(users.staff).get(shop.get_absolute_url()).content.decode()
    assert shop.counter_token in staff_page
    secretary_page = login(users.secretary).get(shop.get_absolute_url()).content.decode()
    assert shop.counter_token not in secretary_page
    # Nor in the change log, the API or exports.
    history = login(users.staff).get(reverse("offers:shop_history", args=[shop.pk]))
    assert shop.counter_token not in history.content.decode()
    api = login(users.staff).get("/api/offers/shops/")
    assert shop.counter_token not in api.content.decode()
    export = login(users.staff).get(reverse("offers:shop_export") + "?format=csv")
    assert shop.counter_token not in export.content.decode()


def test_replacing_the_counter_link(users, login, shops):
    shop = shops["西南面馆"]
    old = shop.counter_token
    assert (
        login(users.secretary)
        .post(reverse("offers:shop_new_counter_link", args=[shop.pk]))
        .status_code
        == 404
    )
    response = login(users.staff).post(
        reverse("offers:shop_new_counter_link", args=[shop.pk]), follow=True
    )
    shop.refresh_from_db()
    assert shop.counter_token != old and "旧链接即刻失效" in response.content.decode()


def test_filters_narrow_the_lists(users, login, shops, world):
    client = login(users.staff)
    shops["西北小吃"].entity.road = world.road
    shops["西北小吃"].entity.save()
    page = client.get(reverse("offers:shop_list") + f"?road={world.road.pk}").content.decode()
    assert "西北小吃" in page and "西南面馆" not in page
    page = client.get(reverse("offers:shop_list") + f"?area={world.east.pk}").content.decode()
    assert "东边咖啡" in page and "西南面馆" not in page
    OfferFactory(
        shop=shops["东边咖啡"], title="过期的优惠", ends_on=timezone.localdate() - dt.timedelta(1)
    )
    page = client.get(reverse("offers:offer_list") + "?current=true").content.decode()
    assert "东边咖啡的优惠" in page and "过期的优惠" not in page
    page = client.get(reverse("offers:offer_list") + "?current=false").content.decode()
    assert "过期的优惠" in page and "东边咖啡的优惠" not in page
    # A road of the other subdistrict is not a choice: the filter matches nothing.
    page = client.get(reverse("offers:shop_list") + f"?road={world.other_road.pk}")
    assert "西南面馆" not in page.content.decode()


def test_exports_open_in_excel_and_hold_only_scope(users, login, shops):
    for name in ("offers:shop_export", "offers:offer_export"):
        response = login(users.secretary).get(reverse(name) + "?format=xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
        assert "西南面馆" in text and "东边咖啡" not in text and "威海花店" not in text
    assert login(users.grid).get(reverse("offers:shop_export")).status_code == 403


def test_a_shop_joins_the_matrix(users, login, world):
    entity = EntityFactory(name="", sign_name="新开面馆", region=world.grid_sw, is_street_shop=True)
    outside = EntityFactory(name="", sign_name="威海面馆", region=world.other_grid)
    client = login(users.staff)
    data = {
        "entity": entity.pk,
        "joined_on": "2026-01-05",
        "contact_name": "王老板",
        "active": "on",
    }
    response = client.post(reverse("offers:shop_add"), data)
    assert response.status_code == 302
    shop = MatrixShop.objects.get()
    assert shop.entity == entity and len(shop.counter_token) >= 20
    # The same shop again, and a shop of the neighbour, are refused.
    again = client.post(reverse("offers:shop_add"), data)
    assert again.status_code == 200 and MatrixShop.objects.count() == 1
    data["entity"] = outside.pk
    assert client.post(reverse("offers:shop_add"), data).status_code == 200
    assert MatrixShop.objects.count() == 1


def test_offer_form_errors_are_in_chinese(users, login, shops):
    client = login(users.staff)
    shop = shops["西南面馆"]
    data = {
        "shop": shop.pk,
        "title": "探店专享",
        "kind": "shop_visit",
        "terms": "直播间同款",
        "audience": "everyone",
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-01",
        "state": "published",
    }
    page = client.post(reverse("offers:offer_add"), data).content.decode()
    assert "结束日期早于开始日期" in page and "请填写探店的主播" in page
    assert not Offer.objects.filter(title="探店专享").exists()
    data.update(ends_on="2026-03-20", host="静安小吃货", visit_on="2026-03-10")
    assert client.post(reverse("offers:offer_add"), data).status_code == 302
    # A shop outside the user's scope cannot be chosen.
    data.update(shop=shops["威海花店"].pk, title="越界")
    assert client.post(reverse("offers:offer_add"), data).status_code == 200
    assert not Offer.objects.filter(title="越界").exists()


def test_a_secretary_cannot_change_offers(users, login, shops):
    offer = Offer.objects.get(title="西南面馆的优惠")
    assert (
        login(users.secretary).get(reverse("offers:offer_edit", args=[offer.pk])).status_code == 403
    )


def test_offer_edits_keep_a_change_log_and_refuse_silent_overwrites(users, login, shops):
    offer = Offer.objects.get(title="西南面馆的优惠")
    client = login(users.staff)
    url = reverse("offers:offer_edit", args=[offer.pk])
    loaded = client.get(url).context["form"]["loaded_at"].value()
    Offer.objects.filter(pk=offer.pk).update(title="别人改过", updated_at=timezone.now())
    data = {
        "shop": offer.shop_id,
        "title": "我的修改",
        "kind": "discount",
        "terms": "九折",
        "audience": "everyone",
        "starts_on": offer.starts_on.isoformat(),
        "state": "published",
        "loaded_at": loaded,
    }
    assert "已被他人修改" in client.post(url, data).content.decode()
    offer.refresh_from_db()
    assert offer.title == "别人改过"
    history = client.get(reverse("offers:offer_history", args=[offer.pk]))
    assert history.status_code == 200


def test_a_shop_whose_entity_closed_can_still_be_edited(users, login, shops):
    shop = shops["西南面馆"]
    shop.entity.state = "closed"
    shop.entity.save()
    client = login(users.staff)
    url = reverse("offers:shop_edit", args=[shop.pk])
    loaded = client.get(url).context["form"]["loaded_at"].value()
    data = {
        "joined_on": shop.joined_on.isoformat(),
        "contact_name": "新联系人",
        "loaded_at": loaded,
    }  # "active" unticked: the shop leaves the matrix
    assert client.post(url, data).status_code == 302
    shop.refresh_from_db()
    assert not shop.active and shop.contact_name == "新联系人"
    client.get(shop.get_absolute_url())  # shows (and so clears) the "saved" message
    page = client.get(reverse("offers:shop_list") + "?active=true").content.decode()
    assert "西南面馆" not in page


def test_campaign_regions_offered_are_the_users_own(users, login, world):
    form = login(users.staff).get(reverse("offers:campaign_add")).context["form"]
    names = {r.name for r in form.fields["region"].queryset}
    assert names == {"石门二路街道", "江宁片区", "成都片区"}
