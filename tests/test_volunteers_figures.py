"""Home-page figures of volunteers and service points, each linking to the list it counts."""

from django.urls import reverse
from django.utils import timezone

from jiequ.volunteers.figures import home_figures

from .factories_volunteers import vol  # noqa: F401 (fixture)


def test_staff_figures_link_to_their_lists(vol, users, login):  # noqa: F811
    figures = {label: (n, url) for label, n, url in home_figures(users.staff)}
    month = f"{timezone.localdate():%Y-%m}"
    assert figures["常备志愿者"] == (
        2,
        reverse("volunteers:volunteer_list") + f"?pool_month={month}",
    )
    assert figures["待审核的志愿者报名"][0] == 1
    assert figures["暖新餐点和小哥加油站"][0] == 2
    client = login(users.staff)
    for _n, url in figures.values():
        assert client.get(url).status_code == 200
    listed = client.get(figures["常备志愿者"][1]).context["paginator"].count
    assert listed == 2


def test_grid_worker_and_district_see_points_only(vol, users):  # noqa: F811
    assert [(label, n) for label, n, _u in home_figures(users.grid)] == [
        ("暖新餐点和小哥加油站", 1)
    ]
    assert [(label, n) for label, n, _u in home_figures(users.district)] == [
        ("暖新餐点和小哥加油站", 3)
    ]
    assert home_figures(users.member) == []
