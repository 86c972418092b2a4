"""The home page: the figures of the user's area of work, each linking to its records."""

from django.urls import reverse

from .factories import EntityFactory


def figures(client):
    return {label: (value, url) for label, value, url in client.get("/").context["figures"]}


def test_figures_count_what_the_user_may_see_and_link_to_it(world, users, login):
    EntityFactory(region=world.grid_sw, worker_count=10, member_count=2, is_street_shop=True)
    EntityFactory(region=world.grid_e, worker_count=5, member_count=0)
    EntityFactory(region=world.other_grid, worker_count=99, member_count=9)
    client = login(users.staff)
    shown = figures(client)
    assert shown["市场主体"][0] == 2 and shown["沿街商铺"][0] == 1
    assert shown["从业人员数"][0] == 15 and shown["党员数"][0] == 2
    assert shown["楼宇"][0] == 3 and shown["网格"][0] == 3
    for _label, (_value, url) in shown.items():
        assert client.get(url).status_code == 200, url
    grid_view = figures(login(users.grid))
    assert grid_view["市场主体"][0] == 1 and grid_view["从业人员数"][0] == 10


def test_a_member_sees_no_ledger_figures(world, users, login):
    shown = figures(login(users.member))
    assert "市场主体" not in shown and "楼宇" not in shown
    assert reverse("areas:map") in [url for _v, url in shown.values()]
