"""The case pages as each role sees them: list, filters, export, detail, actions, new case."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiequ.cases import workflow
from jiequ.cases.models import Case

from .factories_cases import build_cases_world, category, council, make_case, photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_world(world, users, party):
    return build_cases_world(world, party)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def listed(client, **params):
    response = client.get(reverse("cases:case_list"), params)
    assert response.status_code == 200
    return {case.number for case in response.context["object_list"]}


def numbers(*cases):
    return {c.number for c in cases}


# ---- scope: who sees what


def test_each_role_sees_only_its_cases(cases_world, users, login):
    w = cases_world
    assert listed(login(users.staff)) == numbers(w.west, w.group, w.east)
    assert listed(login(users.admin)) == numbers(w.west, w.group, w.east)
    # The secretary: their branch and the Party group under it.
    assert listed(login(users.secretary)) == numbers(w.west, w.group)
    # The grid worker: their grid only.
    assert listed(login(users.grid)) == numbers(w.west)
    # The neighbouring subdistrict's admin: only theirs.
    assert listed(login(users.other_admin)) == numbers(w.other)
    # The district reads every subdistrict's cases.
    assert listed(login(users.district)) == numbers(w.west, w.group, w.east, w.other)


def test_members_have_no_case_pages(cases_world, users, login):
    client = login(users.member)
    assert client.get(reverse("cases:case_list")).status_code == 403
    assert client.get(reverse("cases:case_detail", args=[cases_world.west.pk])).status_code == 403
    assert client.get(reverse("cases:case_add")).status_code == 403


def test_cases_outside_the_scope_answer_404(cases_world, users, login):
    client = login(users.secretary)
    assert client.get(reverse("cases:case_detail", args=[cases_world.east.pk])).status_code == 404
    url = reverse("cases:case_act", args=[cases_world.east.pk, "start"])
    assert client.post(url).status_code == 404
    client = login(users.other_admin)
    assert client.get(reverse("cases:case_detail", args=[cases_world.west.pk])).status_code == 404
    assert client.get(reverse("cases:case_history", args=[cases_world.west.pk])).status_code == 404


def test_the_district_reads_but_cannot_act(cases_world, users, login):
    client = login(users.district)
    response = client.get(reverse("cases:case_detail", args=[cases_world.west.pk]))
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert "不能办理" in response.context["why_no_actions"]
    url = reverse("cases:case_act", args=[cases_world.west.pk, "start"])
    assert client.post(url).status_code == 403
    assert Case.objects.get(pk=cases_world.west.pk).state == "received"


# ---- the list


def test_filters_of_the_contract(cases_world, users, login):
    w = cases_world
    client = login(users.staff)
    Case.objects.filter(pk=w.east.pk).update(
        due_on=date(2020, 1, 1),
        escalated_to_district_at=timezone.make_aware(timezone.datetime(2026, 10, 5, 10)),
        level="district",
    )
    Case.objects.filter(pk=w.group.pk).update(state="closed", solved_level="branch", rating=5)
    environment = category("E01")
    assert listed(client, category=environment.pk) == numbers(w.west, w.east)  # children too
    assert listed(client, category=category("E0204").pk) == numbers(w.group)
    assert listed(client, overdue=1) == numbers(w.east)
    assert listed(client, overdue="true") == numbers(w.east)
    assert listed(client, level="district") == numbers(w.east)
    assert listed(client, state="closed") == numbers(w.group)
    assert listed(client, solved_level="branch") == numbers(w.group)
    assert listed(client, rated=1) == numbers(w.group)
    assert listed(client, sent_to_district=1) == numbers(w.east)
    assert listed(client, sent_month="2026-10") == numbers(w.east)
    assert listed(client, sent_month="2026-11") == set()
    this_month = timezone.localdate().strftime("%Y-%m")
    assert listed(client, received_month=this_month) == numbers(w.west, w.group, w.east)
    assert listed(client, received_month="garbage") == set()  # nothing, not everything
    assert listed(client, source="visit") == numbers(w.west, w.group, w.east)
    assert listed(client, q="油烟") == numbers(w.east)
    assert listed(client, q=w.west.number) == numbers(w.west)


def test_mine_and_the_htmx_table(cases_world, users, login):
    workflow.apply(cases_world.west, "assign", user=users.staff, assignee=users.secretary)
    client = login(users.secretary)
    assert listed(client, mine=1) == numbers(cases_world.west)
    response = client.get(
        reverse("cases:case_list"),
        {"q": "康定"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="object-table",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "康定路店门口乱堆物" in body


def test_export_is_excel_with_phones_masked_and_scoped(cases_world, users, login):
    make_case(
        lat="31.2400",
        lon="121.4550",
        organisation=cases_world.group.organisation,
        title="有电话的诉求",
        reporter_name="李女士",
        phone="13912345678",
        consent_text="同意",
    )
    client = login(users.secretary)
    response = client.get(reverse("cases:case_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "诉求编号" in header and "反映人电话" in header
    text = repr(rows)
    assert "139****5678" in text and "13912345678" not in text
    assert len(body) == 3  # west, group and the new one; not east or other
    assert cases_world.east.number not in text
    # Grid workers do not export.
    assert login(users.grid).get(reverse("cases:case_export")).status_code == 403


# ---- the case page


def test_the_page_shows_timeline_and_the_actions_for_this_user(cases_world, users, login):
    case = cases_world.west
    client = login(users.secretary)
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    actions = [p["action"] for p in response.context["panels"]]
    assert actions == ["assign", "start", "resolve", "suspend", "escalate"]
    body = response.content.decode()
    assert "受理" in body and "派单" in body and "上报" in body
    assert response.context["point"] is not None


def test_acting_from_the_page(cases_world, users, login):
    case = cases_world.west
    client = login(users.secretary)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    loaded = page.context["panels"][0]["form"]["loaded_at"].value()
    response = client.post(
        reverse("cases:case_act", args=[case.pk, "resolve"]),
        {"loaded_at": loaded, "resolution": "走访时协调商户清理"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "resolved" and case.resolution == "走访时协调商户清理"
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert "已办结" in page.content.decode()


def test_a_missing_reason_is_said_in_chinese_and_nothing_changes(cases_world, users, login):
    case = cases_world.west
    client = login(users.staff)
    response = client.post(reverse("cases:case_act", args=[case.pk, "suspend"]), {"reason": ""})
    assert response.status_code == 400
    assert "请填写理由" in response.content.decode()
    response = client.post(
        reverse("cases:case_act", args=[case.pk, "escalate"]),
        {"to_level": "grid", "reason": "商户不配合", "tried": "上门两次"},
    )
    assert response.status_code == 400
    assert "一级一级" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "received" and case.level == "branch"


def test_an_action_not_possible_in_this_state_is_refused(cases_world, users, login):
    client = login(users.staff)
    response = client.post(reverse("cases:case_act", args=[cases_world.west.pk, "close"]), {})
    assert response.status_code == 400
    body = response.content.decode()
    assert "已受理" in body and "不能“核实结案”" in body
    response = client.post(reverse("cases:case_act", args=[cases_world.west.pk, "fly"]), {})
    assert response.status_code == 404


def test_a_page_opened_before_someone_else_acted_is_refused(cases_world, users, login):
    case = cases_world.west
    secretary = login(users.secretary)
    page = secretary.get(reverse("cases:case_detail", args=[case.pk]))
    loaded = page.context["panels"][0]["form"]["loaded_at"].value()
    workflow.apply(case, "assign", user=users.staff, assignee=users.grid)
    response = secretary.post(
        reverse("cases:case_act", args=[case.pk, "resolve"]),
        {"loaded_at": loaded, "resolution": "已解决"},
    )
    assert response.status_code == 409
    assert "其他人" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "assigned" and case.assignee == users.grid


def test_escalating_to_a_council_from_the_page(cases_world, users, world, login):
    case = cases_world.west
    kanding = council(world.grid_sw)
    client = login(users.secretary)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    panel = next(p for p in page.context["panels"] if p["action"] == "escalate")
    assert list(panel["form"].fields["council"].queryset) == [kanding]
    response = client.post(
        reverse("cases:case_act", args=[case.pk, "escalate"]),
        {
            "to_level": "council",
            "council": kanding.pk,
            "reason": "涉及多家商户",
            "tried": "支部书记上门协调两次",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.level == "council" and case.council == kanding


def test_photos_are_served_only_within_scope(cases_world, users, login):
    case = make_case(
        lat="31.2400",
        lon="121.4550",
        organisation=cases_world.group.organisation,
        photos=[photo_file()],
    )
    photo = case.photos.get()
    url = reverse("cases:case_photo", args=[photo.pk])
    response = login(users.secretary).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert login(users.grid).get(url).status_code == 404  # grid 昌平 is not theirs
    assert login(users.other_admin).get(url).status_code == 404


def test_adding_photos_on_the_page(cases_world, users, login):
    client = login(users.secretary)
    url = reverse("cases:case_add_photos", args=[cases_world.west.pk])
    response = client.post(url, {"photos": [photo_file()]})
    assert response.status_code == 302 and cases_world.west.photos.count() == 1
    bad = io.BytesIO(b"not an image")
    bad.name = "x.jpg"
    response = client.post(url, {"photos": [bad]})
    assert response.status_code == 400 and "不是照片" in response.content.decode()
    # Once the case is with the grid consultation, the secretary follows it but adds nothing.
    Case.objects.filter(pk=cases_world.west.pk).update(level="grid")
    assert client.post(url, {"photos": [photo_file()]}).status_code == 403
    page = client.get(reverse("cases:case_detail", args=[cases_world.west.pk]))
    assert not page.context["can_add_photos"]


# ---- a new case


def test_a_secretary_records_a_demand_on_a_visit(cases_world, users, login):
    client = login(users.secretary)
    page = client.get(reverse("cases:case_add") + f"?entity={cases_world.west_shop.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    assert page.context["selected_entity"] == cases_world.west_shop
    assert form["source"].value() == "visit"
    key = form["submission_key"].value()
    data = {
        "source": "visit",
        "request_type": "request",
        "category": category("S0201").pk,
        "title": "希望晚间错峰停车",
        "description": "商户希望晚上可以在附近单位停车场错峰停车。",
        "entity": cases_world.west_shop.pk,
        "reporter_name": "张老板",
        "phone": "13812345678",
        "consent": "on",
        "submission_key": key,
        "photos": [photo_file()],
    }
    response = client.post(reverse("cases:case_add"), data)
    assert response.status_code == 302
    case = Case.objects.get(title="希望晚间错峰停车")
    assert case.organisation == cases_world.west.organisation and case.created_by == users.secretary
    assert case.consent_text.startswith("反映人同意") and case.phone_masked == "138****5678"
    assert case.photos.count() == 1
    # The same form sent again (a double tap) makes no second case.
    data["photos"] = [photo_file()]
    again = client.post(reverse("cases:case_add"), data)
    assert again.status_code == 302
    assert Case.objects.filter(title="希望晚间错峰停车").count() == 1


def test_the_new_case_form_explains_what_is_missing(cases_world, users, login):
    client = login(users.grid)
    response = client.post(
        reverse("cases:case_add"),
        {"source": "visit", "request_type": "request", "reporter_name": "王先生"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请给诉求写一个简短的标题" in body
    assert "选择商户，或在地图上标出位置" in body
    assert "征得反映人同意" in body
    # A point outside the grid worker's grid.
    response = client.post(
        reverse("cases:case_add"),
        {
            "source": "visit",
            "request_type": "request",
            "category": category().pk,
            "title": "t",
            "description": "d",
            "lat": "31.2400",
            "lon": "121.4650",
        },
    )
    assert response.status_code == 400 and "工作范围" in response.content.decode()
    assert Case.objects.count() == 4


def test_entity_search_is_scoped(cases_world, users, login):
    client = login(users.secretary)
    response = client.get(reverse("cases:entity_search"), {"entity_q": "路"})
    body = response.content.decode()
    assert "康定路小吃店" in body and "大田路水果店" not in body and "威海路便利店" not in body


# ---- overdue


def test_the_overdue_page(cases_world, users, login):
    today = timezone.localdate()
    Case.objects.filter(pk=cases_world.west.pk).update(due_on=today - timedelta(days=10))
    Case.objects.filter(pk=cases_world.group.pk).update(due_on=today)
    Case.objects.filter(pk=cases_world.east.pk).update(due_on=today - timedelta(days=3))
    response = login(users.secretary).get(reverse("cases:overdue"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["late"]] == [cases_world.west.pk]
    assert [c.pk for c in response.context["soon"]] == [cases_world.group.pk]
    assert response.context["late"][0].late_days >= 6
    assert "已逾期" in response.content.decode()
