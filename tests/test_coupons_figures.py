"""Campaign figures: each number matches the list it links to; export; home figures."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.core.navigation import home_figures_for
from jiequ.offers import issuing
from jiequ.offers.figures import campaign_figures, home_figures
from jiequ.offers.redemption import redeem

from .factories_offers import MatrixShopFactory, OfferFactory, handed_out, issued_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    a = MatrixShopFactory(entity__region=world.grid_sw, entity__sign_name="甲记面馆")
    b = MatrixShopFactory(entity__region=world.grid_e, entity__sign_name="乙记小吃")
    campaign = issued_campaign(
        world.ours, [a, b], total=12, starts_on=timezone.localdate() - dt.timedelta(days=2)
    )
    issuing.claim(campaign, "+8613812345678", "ok")  # 2 claimed
    printed = handed_out(campaign, 4)
    yesterday = timezone.now() - dt.timedelta(days=1)
    redeem(a, printed[0].code, now=yesterday)
    redeem(a, printed[1].code)
    redeem(b, printed[2].code)
    OfferFactory(shop=a)
    return campaign


def test_the_figures(campaign):
    f = campaign_figures(campaign)
    assert (f.issued, f.claimed, f.printed, f.handed_out, f.redeemed) == (12, 2, 4, 6, 3)
    assert f.rate == 50.0 and f.face_value_redeemed == 60
    assert [(r.label, r.redeemed) for r in f.per_shop] == [("甲记面馆", 2), ("乙记小吃", 1)]
    assert [r.redeemed for r in f.per_day] == [0, 1, 2]


def _count(page: str) -> int:
    match = re.search(r'class="muted count">\s*(?:共\s*)?(\d+)', page)
    return int(match.group(1))


def test_each_figure_links_to_a_list_of_as_many(users, login, campaign):
    client = login(users.staff)
    page = client.get(campaign.get_absolute_url()).content.decode()
    f = campaign_figures(campaign)
    for key, expected in [("issued", 12), ("claimed", 2), ("printed", 4), ("handed_out", 6)]:
        url = f.urls[key]
        assert url.replace("&", "&amp;") in page
        assert _count(client.get(url).content.decode()) == expected, key
    assert _count(client.get(f.urls["redeemed"]).content.decode()) == 3
    for row in f.per_shop + f.per_day:
        assert _count(client.get(row.url).content.decode()) == row.redeemed, row.label


def test_the_figures_export_opens_in_excel(users, login, campaign):
    response = login(users.staff).get(
        reverse("offers:campaign_figures_export", args=[campaign.pk]) + "?format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "指标"
    assert ["已核销", None, 3, 60] in rows
    assert any(r[1] == "甲记面馆" and r[2] == 2 for r in rows)


def test_lists_behind_the_figures_are_scoped_and_mask_codes(users, login, campaign):
    code = campaign.coupons.first().code
    page = login(users.staff).get(reverse("offers:coupon_list") + f"?campaign={campaign.pk}")
    assert code not in page.content.decode()
    export = login(users.staff).get(reverse("offers:coupon_export") + "?format=csv")
    assert code not in export.content.decode()
    assert login(users.secretary).get(reverse("offers:coupon_list")).status_code == 403
    assert login(users.secretary).get(campaign.get_absolute_url()).status_code == 403
    other = login(users.other_admin)
    assert other.get(campaign.get_absolute_url()).status_code == 404
    assert "甲记面馆" not in other.get(reverse("offers:redemption_list")).content.decode()
    assert login(users.district).get(campaign.get_absolute_url()).status_code == 200


def test_home_figures(users, campaign):
    labels = {label: (n, url) for label, n, url in home_figures(users.staff)}
    assert labels["服务矩阵商户"][0] == 2
    assert labels["生效中的惠民举措"][0] == 1
    assert labels["本月核销优享券"][0] >= 2
    assert home_figures(users.member) == []
    assert {label for label, _n, _u in home_figures(users.secretary)} == {
        "服务矩阵商户",
        "生效中的惠民举措",
    }
    assert home_figures(users.other_admin)[0][1] == 0
    # Each links to its list.
    for _label, _n, url in home_figures(users.staff):
        assert url.startswith("/offers/")
    assert home_figures_for is not None
