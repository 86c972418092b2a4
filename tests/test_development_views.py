"""Applications in the browser: list, add, the 25-step timeline, refusals, stop and extend,
history, export; each role sees only its scope."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from jiequ.development import procedure
from jiequ.development.models import Application, ApplicationStep, Stage
from jiequ.members.models import Member

from .factories import EntityFactory
from .factories_development import ApplicationFactory, walk


@pytest.fixture
def apps(party):
    """An overdue applicant in the west branch, an activist in the east, one next door."""
    west = ApplicationFactory(organisation=party.west, name="西区申请人")
    from jiequ.development import services

    services.record_step(west, 1, dt.date.today() - dt.timedelta(days=45))
    east = walk(ApplicationFactory(organisation=party.east, name="东区积极分子"), 4)
    other = walk(ApplicationFactory(organisation=party.other, name="邻街申请人"), 1)
    return west, east, other


def add_payload(party, **overrides):
    data = {
        "name": "郑申请",
        "birth_date": "1998-04-01",
        "phone": "139 0000 3333",
        "organisation": party.west.pk,
        "workplace": "",
        "applied_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "note": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


# The list ----------------------------------------------------------------------------------


def test_staff_list_shows_their_subdistrict_with_next_steps(apps, users, login):
    page = login(users.staff).get(reverse("development:application_list")).content.decode()
    assert "西区申请人" in page and "东区积极分子" in page
    assert "邻街申请人" not in page
    assert "党组织派人谈话" in page  # the next step of the west applicant
    assert "逾期" in page


def test_secretary_lists_only_their_branch(apps, users, login):
    page = login(users.secretary).get(reverse("development:application_list")).content.decode()
    assert "西区申请人" in page
    assert "东区积极分子" not in page and "邻街申请人" not in page


def test_list_filters_by_stage_overdue_and_organisation(apps, users, login, party):
    client = login(users.staff)
    url = reverse("development:application_list")
    page = client.get(url, {"stage": "activist"}).content.decode()
    assert "东区积极分子" in page and "西区申请人" not in page
    page = client.get(url, {"overdue": "true"}).content.decode()
    assert "西区申请人" in page and "东区积极分子" not in page
    page = client.get(url, {"organisation": party.east.pk}).content.decode()
    assert "东区积极分子" in page and "西区申请人" not in page
    # A branch outside the scope is not a valid filter: nothing matches, no error.
    response = client.get(url, {"organisation": party.other.pk})
    assert response.status_code == 200 and "邻街申请人" not in response.content.decode()


def test_district_and_grid_roles_do_not_see_applications(apps, users, login):
    for user in (users.district, users.grid, users.member):
        assert login(user).get(reverse("development:application_list")).status_code == 403


def test_export_masks_phones(apps, users, login):
    response = login(users.staff).get(reverse("development:application_export"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["姓名", "手机号"]
    names = {row[0]: row for row in rows[1:]}
    assert set(names) == {"西区申请人", "东区积极分子"}
    assert "****" in names["西区申请人"][1]
    assert "党组织派人谈话" in names["西区申请人"][6]
    xlsx = login(users.staff).get(reverse("development:application_export"), {"format": "xlsx"})
    assert xlsx.status_code == 200


def test_secretary_cannot_export(apps, users, login):
    response = login(users.secretary).get(reverse("development:application_export"))
    assert response.status_code == 403


# Adding ------------------------------------------------------------------------------------


def test_add_an_application(party, users, login, world):
    shop = EntityFactory(region=world.grid_sw, sign_name="康定路面馆")
    client = login(users.secretary)
    form = client.get(reverse("development:application_add")).content.decode()
    assert "申请人同意" in form
    response = client.post(
        reverse("development:application_add"), add_payload(party, workplace=shop.pk)
    )
    application = Application.objects.get(name="郑申请")
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.organisation == party.west and application.workplace == shop
    assert application.consent_at is not None and "申请人同意" in application.consent_text
    assert application.steps.get().number == 1
    assert "13900003333" not in application.phone_encrypted
    page = client.get(response["Location"]).content.decode()
    assert "139****3333" in page and "13900003333" not in page
    assert application.history.first().history_user == users.secretary


def test_an_underage_applicant_is_refused_with_the_rule(party, users, login):
    young = (dt.date.today() - dt.timedelta(days=17 * 365)).isoformat()
    response = login(users.staff).post(
        reverse("development:application_add"), add_payload(party, birth_date=young)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "入党申请人须年满18岁" in page
    assert "申请人最低年龄" in page and "年满十八岁" in page
    assert not Application.objects.exists() and not ApplicationStep.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"phone": "12345"}, "号码"),
        ({"phone": ""}, "必填"),
        ({"consent": ""}, "请先确认申请人同意"),
        ({"birth_date": "not a date"}, "有效的日期"),
        ({"applied_on": "2999-01-01"}, "未来的日期"),
        ({"name": "张"}, "全名"),
        ({"organisation": "999999"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(party, users, login, overrides, message):
    response = login(users.staff).post(
        reverse("development:application_add"), add_payload(party, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_secretary_cannot_add_to_another_branch(party, users, login):
    response = login(users.secretary).post(
        reverse("development:application_add"), add_payload(party, organisation=party.east.pk)
    )
    assert response.status_code == 400
    assert not Application.objects.exists()
    form = login(users.secretary).get(reverse("development:application_add")).content.decode()
    assert party.west.name in form and party.east.name not in form


def test_a_workplace_outside_the_scope_is_refused(party, users, login, world):
    far = EntityFactory(region=world.other_grid)
    response = login(users.secretary).post(
        reverse("development:application_add"), add_payload(party, workplace=far.pk)
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_same_phone_twice_is_refused(party, users, login):
    client = login(users.staff)
    client.post(reverse("development:application_add"), add_payload(party))
    response = client.post(reverse("development:application_add"), add_payload(party))
    assert response.status_code == 400
    assert "已有一份在办的入党申请" in response.content.decode()
    assert Application.objects.count() == 1


# The timeline ------------------------------------------------------------------------------


def test_detail_shows_the_25_steps_and_the_next_steps_form(apps, users, login):
    west = apps[0]
    page = login(users.secretary).get(west.get_absolute_url()).content.decode()
    for step in procedure.STEPS:
        assert str(step.name) in page
    assert "预备党员的接收" in page
    assert "登记此步骤" in page
    assert "逾期" in page and "一个月内派人同入党申请人谈话" in page
    assert 'id="step-1"' in page and 'class="done"' in page


def test_detail_outside_scope_is_404(apps, users, login):
    west, east, other = apps
    client = login(users.secretary)
    assert client.get(east.get_absolute_url()).status_code == 404
    assert login(users.staff).get(other.get_absolute_url()).status_code == 404


def test_recording_the_next_step(apps, users, login):
    west = apps[0]
    client = login(users.secretary)
    response = client.post(
        reverse("development:application_step", args=[west.pk]),
        {"number": 2, "done_on": dt.date.today().isoformat(), "people": "刘书记"},
    )
    assert response.status_code == 302
    step = west.steps.get(number=2)
    assert step.people == "刘书记" and step.recorded_by == users.secretary
    page = client.get(west.get_absolute_url()).content.decode()
    assert "刘书记" in page and "超时" in page  # 45 days after the letter: flagged late
    assert "规定为30天内" in page


def test_a_refused_step_shows_the_rule_and_saves_nothing(apps, users, login):
    east = apps[1]  # steps 1-4 done; 5 needs trainers
    client = login(users.staff)
    response = client.post(
        reverse("development:application_step", args=[east.pk]),
        {"number": 5, "done_on": dt.date.today().isoformat(), "people": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "入党积极分子的培养联系人" in page
    assert "一至两名正式党员" in page
    assert not east.steps.filter(number=5).exists()


def test_a_future_or_out_of_order_step_is_refused(apps, users, login):
    west = apps[0]
    client = login(users.staff)
    url = reverse("development:application_step", args=[west.pk])
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    page = client.post(url, {"number": 2, "done_on": tomorrow}).content.decode()
    assert "未来的日期" in page and "步骤完成后再登记" in page
    page = client.post(url, {"number": 7, "done_on": dt.date.today().isoformat()}).content.decode()
    assert "尚未登记" in page and "25个步骤依次进行" in page
    assert west.steps.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"number": "abc", "done_on": "2024-01-01"},
        {"number": 2, "done_on": "yesterday"},
        {"number": 99, "done_on": "2024-01-01"},
        {},
    ],
)
def test_bad_step_input_is_a_400_not_a_500(apps, users, login, data):
    west = apps[0]
    response = login(users.staff).post(
        reverse("development:application_step", args=[west.pk]), data
    )
    assert response.status_code == 400
    assert west.steps.count() == 1


def test_secretary_cannot_record_a_step_elsewhere(apps, users, login):
    east = apps[1]
    response = login(users.secretary).post(
        reverse("development:application_step", args=[east.pk]),
        {"number": 5, "done_on": dt.date.today().isoformat(), "people": "某人"},
    )
    assert response.status_code == 404
    assert not east.steps.filter(number=5).exists()


def test_approval_in_the_browser_creates_the_member_once(party, users, login):
    application = walk(
        ApplicationFactory(organisation=party.west, name="待审批"),
        16,
        start=dt.date.today() - dt.timedelta(days=3 * 365),
    )
    client = login(users.secretary)
    url = reverse("development:application_step", args=[application.pk])
    data = {"number": 17, "done_on": dt.date.today().isoformat()}
    response = client.post(url, data, follow=True)
    assert "已建立预备党员记录" in response.content.decode()
    assert Member.objects.filter(name="待审批", membership="probationary").count() == 1
    again = client.post(url, data)
    assert again.status_code == 400 and "已经登记" in again.content.decode()
    assert Member.objects.filter(name="待审批").count() == 1


def test_stop_and_extend_from_the_detail_page(party, users, login):
    application = walk(
        ApplicationFactory(organisation=party.west, name="预备期"),
        17,
        start=dt.date.today() - dt.timedelta(days=3 * 365),
    )
    client = login(users.secretary)
    extend = reverse("development:application_extend", args=[application.pk])
    page = client.post(extend, {"months": 24, "reason": "考察"}).content.decode()
    assert "预备期最长延长12个月" in page and "最长不超过一年" in page
    assert client.post(extend, {"months": 6, "reason": ""}).status_code == 400
    assert client.post(extend, {"months": 6, "reason": "继续考察"}).status_code == 302
    application.refresh_from_db()
    assert application.probation_extension_months == 6
    stop = reverse("development:application_stop", args=[application.pk])
    response = client.post(stop, {"reason": "   "})
    assert response.status_code == 400 and "请填写理由" in response.content.decode()
    assert client.post(stop, {"reason": "取消预备党员资格"}).status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.STOPPED
    page = client.get(application.get_absolute_url()).content.decode()
    assert "取消预备党员资格" in page and "登记此步骤" not in page


def test_history_shows_the_reasons(party, users, login):
    application = walk(ApplicationFactory(organisation=party.west, name="有记录"), 3)
    client = login(users.secretary)
    client.post(
        reverse("development:application_stop", args=[application.pk]), {"reason": "本人撤回"}
    )
    page = client.get(reverse("development:application_history", args=[application.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "终止：本人撤回" in text
    assert "登记步骤3" in text and "推荐和确定入党积极分子" in text
    assert "已登记的步骤" in text
    assert users.secretary.display_name in text or str(users.secretary) in text


def test_history_outside_scope_is_404(apps, users, login):
    east = apps[1]
    url = reverse("development:application_history", args=[east.pk])
    assert login(users.secretary).get(url).status_code == 404
