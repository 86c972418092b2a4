"""Tasks given by councils: the list flags overdue ones, filters by status, exports; owners
mark them done or not done again; each role reaches only the tasks of its councils."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.councils.models import Department, Task

from .factories_councils import councils_world, meeting  # noqa: F401 (fixture)

TODAY = timezone.localdate()


def task(council, title, due_in, **fields):
    return Task.objects.create(
        council=council,
        meeting=meeting(council, days_ago=10),
        title=title,
        due_on=TODAY + dt.timedelta(days=due_in),
        **fields,
    )


def make_tasks(w):
    return (
        task(w.street, "约谈物业签订错峰停车协议", -3, owner_member=w.branch_seat),
        task(w.grid, "复查占道经营", 5, owner_department=Department.CITY_MANAGEMENT),
        task(
            w.street,
            "门责自查汇总",
            -10,
            owner_member=w.owner,
            done_on=TODAY - dt.timedelta(days=12),
        ),
        task(w.other, "威海路店招检查", -2, owner_department=Department.POLICE),
    )


def test_list_flags_overdue_and_filters_by_status(councils_world, users, login):  # noqa: F811
    make_tasks(councils_world)
    client = login(users.staff)
    page = client.get(reverse("councils:task_list")).content.decode()
    assert "约谈物业签订错峰停车协议" in page and "威海路店招检查" not in page
    assert 'class="overdue"' in page and "已逾期" in page
    page = client.get(reverse("councils:task_list") + "?status=overdue").content.decode()
    assert "约谈物业签订错峰停车协议" in page
    assert "复查占道经营" not in page and "门责自查汇总" not in page
    page = client.get(reverse("councils:task_list") + "?status=done").content.decode()
    assert "门责自查汇总" in page and "约谈物业" not in page


def test_export_opens_as_excel(councils_world, users, login):  # noqa: F811
    make_tasks(councils_world)
    response = login(users.staff).get(reverse("councils:task_export") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"约谈物业签订错峰停车协议", "复查占道经营", "门责自查汇总"}


def test_grid_worker_sees_and_marks_the_grid_tasks(councils_world, users, login):  # noqa: F811
    street_task, grid_task, _done, _other = make_tasks(councils_world)
    client = login(users.grid)
    page = client.get(reverse("councils:task_list")).content.decode()
    assert "复查占道经营" in page and "约谈物业" not in page
    response = client.post(
        reverse("councils:task_mark", args=[grid_task.pk]), {"done": "1", "note": "已设隔离栏"}
    )
    assert response.status_code == 302
    grid_task.refresh_from_db()
    assert grid_task.done_on == TODAY and grid_task.done_note == "已设隔离栏"
    assert grid_task.done_by == users.grid
    client.post(
        reverse("councils:task_mark", args=[grid_task.pk]), {"done": "0", "note": "复查仍有占道"}
    )
    grid_task.refresh_from_db()
    assert grid_task.done_on is None
    assert grid_task.history.first().history_change_reason == "改为未完成：复查仍有占道"
    # Not the street council's task, and never the neighbour's.
    assert (
        client.post(reverse("councils:task_mark", args=[street_task.pk]), {"done": "1"}).status_code
        == 404
    )


def test_neighbour_and_district_reach_none(councils_world, users, login):  # noqa: F811
    street_task, *_ = make_tasks(councils_world)
    assert login(users.other_admin).get(street_task.get_absolute_url()).status_code == 404
    assert login(users.district).get(reverse("councils:task_list")).status_code == 403
    page = login(users.other_admin).get(reverse("councils:task_list")).content.decode()
    assert "威海路店招检查" in page and "约谈物业" not in page


def test_marking_done_redirects_only_inside_the_site(councils_world, users, login):  # noqa: F811
    _s, grid_task, *_ = make_tasks(councils_world)
    response = login(users.grid).post(
        reverse("councils:task_mark", args=[grid_task.pk]),
        {"done": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == grid_task.get_absolute_url()


def test_a_task_needs_an_owner(councils_world, users, login):  # noqa: F811
    street_task, *_ = make_tasks(councils_world)
    response = login(users.staff).post(
        reverse("councils:task_edit", args=[street_task.pk]),
        {
            "title": street_task.title,
            "due_on": street_task.due_on.isoformat(),
            "loaded_at": street_task.updated_at.isoformat(),
        },
    )
    assert "请指定责任方" in response.content.decode()


def test_home_figures_link_to_their_lists(councils_world, users, login):  # noqa: F811
    from jiequ.councils.figures import home_figures

    make_tasks(councils_world)
    figures = {label: (n, url) for label, n, url in home_figures(users.staff)}
    assert figures["议事任务逾期"] == (1, reverse("councils:task_list") + "?status=overdue")
    n, url = figures["网格会商逾期未开"]
    assert n == 1 and "康定网格会商" in login(users.staff).get(url).content.decode()
    assert home_figures(users.district) == []
    assert {label for label, *_ in home_figures(users.other_admin)} == set(figures)
    theirs = {label: n for label, n, _url in home_figures(users.other_admin)}
    assert theirs["议事任务逾期"] == 1 and theirs["网格会商逾期未开"] == 0  # their own only
