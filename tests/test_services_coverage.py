"""The "兜网式供给" page: organisations × what they received in a period, the ones that
received nothing flagged, open needs by age; the district reads counts only."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.services import coverage as cov
from jiequ.services.models import Delivery
from tests.factories_services import supply_world


@pytest.fixture
def supply(world, party):
    return supply_world(world, party)


def test_staff_sees_every_emerging_organisation_and_what_it_received(supply, users, login):
    # The east branch's deliveries are older than the last twelve months.
    Delivery.objects.filter(organisation=supply.deliveries.east.organisation).update(
        delivered_on=timezone.localdate() - timedelta(days=400)
    )
    response = login(users.staff).get(reverse("services:coverage"))
    assert response.status_code == 200
    table = response.context["table"]
    assert [r.organisation.name for r in table.rows] == ["成都街区党支部", "江宁街区党支部"]
    east, west = table.rows
    assert not east.reached and (west.deliveries, west.projects, west.participants) == (1, 1, 20)
    assert (table.organisations, table.reached, table.not_reached) == (2, 1, 1)
    # The home page's count comes from the same query, without the table.
    start, end = cov.default_period()
    assert cov.reach_counts(users.staff, start, end) == (2, 1)
    page = response.content.decode()
    assert "未获服务" in page and "康定路党小组" not in page  # groups are not organisations
    assert "威海街区党支部" not in page
    # Every figure links to its list.
    assert reverse("services:delivery_list") + "?organisation=" in page
    assert "state=open&amp;age=31-90" in page


def test_a_longer_period_counts_older_deliveries(supply, users, login):
    Delivery.objects.filter(organisation=supply.deliveries.east.organisation).update(
        delivered_on=timezone.localdate() - timedelta(days=400)
    )
    start = (timezone.localdate() - timedelta(days=500)).isoformat()
    response = login(users.staff).get(reverse("services:coverage"), {"start": start})
    assert response.context["table"].not_reached == 0
    only = login(users.staff).get(reverse("services:coverage"), {"reached": "no"})
    assert [r.organisation.name for r, *_ in only.context["rows"]] == ["成都街区党支部"]


def test_open_needs_by_age(supply, users):
    buckets = {b.key: b.count for b in cov.open_need_buckets(users.staff)}
    assert buckets == {"0-30": 0, "31-90": 4, "91-180": 0, "181-": 0}
    secretary = {b.key: b.count for b in cov.open_need_buckets(users.secretary)}
    assert secretary["31-90"] == 1


def test_secretary_sees_their_branch_only(supply, users, login):
    response = login(users.secretary).get(reverse("services:coverage"))
    assert [r.organisation.name for r in response.context["table"].rows] == ["江宁街区党支部"]


def test_district_reads_counts_per_subdistrict_without_names(supply, users, login):
    response = login(users.district).get(reverse("services:coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "石门二路街道" in page and "南京西路街道" in page
    assert "江宁街区党支部" not in page and "西片支部需要会议室" not in page
    figures = {f.subdistrict.name: f for f in response.context["figures"]}
    ours = figures["石门二路街道"]
    assert (ours.organisations, ours.reached, ours.deliveries, ours.open_needs) == (2, 2, 3, 4)
    export = login(users.district).get(reverse("services:coverage_export"))
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[1][0] == "石门二路街道" and "江宁街区党支部" not in str(rows)


def test_other_subdistrict_and_members_see_nothing_of_ours(supply, users, login):
    response = login(users.other_admin).get(reverse("services:coverage"))
    assert response.context["table"].organisations == 0
    assert "江宁街区党支部" not in response.content.decode()
    for role in ("grid", "member"):
        assert login(getattr(users, role)).get(reverse("services:coverage")).status_code == 403


def test_export_opens_as_excel(supply, users, login):
    response = login(users.staff).get(reverse("services:coverage_export") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "党组织"
    assert {r[0] for r in rows[1:]} == {"江宁街区党支部", "成都街区党支部"}


def test_a_period_ending_before_it_starts_is_refused_in_chinese(supply, users, login):
    response = login(users.staff).get(
        reverse("services:coverage"), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_home_figures_link_to_their_lists(supply, users):
    from jiequ.services.figures import home_figures

    figures = {label: (number, url) for label, number, url in home_figures(users.staff)}
    assert figures["待对接需求"] == (4, reverse("services:need_list") + "?state=open")
    assert figures["挂单180天以上的需求"][0] == 0
    assert figures["近12个月未获服务的党组织"] == (0, reverse("services:coverage") + "?reached=no")
    assert home_figures(users.member) == []
    district = home_figures(users.district)
    assert district == []
