"""The public phone page of service points: nearest first, open now, offers and hours."""

from django.urls import reverse
from django.utils import timezone

from .factories_volunteers import ServicePointFactory, vol  # noqa: F401 (vol is a fixture)


def test_anyone_sees_active_points_with_offers_and_hours(vol, client):  # noqa: F811
    vol.other.is_active = False
    vol.other.save()
    page = client.get(reverse("volunteers_public:points"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "附近的服务点" in text and "康定餐点" in text and "大田加油站" in text
    assert "威海餐点" not in text  # no longer in service
    assert "优惠热餐" in text and "手机、电池充电" in text
    assert "今天" in text and "07:00-21:00" in text
    assert "/volunteers/points/" not in text  # no staff links on the public page


def test_open_now_comes_first(vol, client, world):  # noqa: F811
    now = timezone.localtime()
    closed_today = {str(d): [["07:00", "21:00"]] for d in range(7) if d != now.weekday()}
    ServicePointFactory(name="今天休息的餐点", region=world.grid_nw, hours=closed_today)
    rows = client.get(reverse("volunteers_public:points")).context["rows"]
    names = [r["point"].name for r in rows]
    assert names[-1] == "今天休息的餐点" and rows[-1]["open"] is False
    assert "当前未开放" in client.get(reverse("volunteers_public:points")).content.decode()


def test_nearest_first_when_the_phone_shares_its_position(vol, client):  # noqa: F811
    # Standing at 大田加油站: it comes first, then 康定餐点 (about 1 km west), then 威海.
    url = reverse("volunteers_public:points") + f"?lat={vol.east.lat}&lon={vol.east.lon}"
    rows = client.get(url).context["rows"]
    assert [r["point"].name for r in rows] == ["大田加油站", "康定餐点", "威海餐点"]
    assert rows[0]["distance"] < 1
    assert 900 < rows[1]["distance"] < 1100
    text = client.get(url).content.decode()
    assert "已按离您的距离排序" in text and "公里" in text


def test_filters_and_bad_input(vol, client):  # noqa: F811
    base = reverse("volunteers_public:points")
    assert [r["point"].name for r in client.get(base + "?kind=rider_station").context["rows"]] == [
        "大田加油站"
    ]
    vol.east.offers = ["water"]
    vol.east.save()
    names = {r["point"].name for r in client.get(base + "?offer=hot_meal").context["rows"]}
    assert names == {"康定餐点", "威海餐点"}
    # Nonsense parameters are ignored, never a server error.
    response = client.get(base + "?lat=abc&lon=999&kind=zzz&offer=<script>")
    assert response.status_code == 200 and len(response.context["rows"]) == 3


def test_the_week_table_marks_today(vol, client):  # noqa: F811
    page = client.get(reverse("volunteers_public:points")).content.decode()
    assert 'class="today"' in page
