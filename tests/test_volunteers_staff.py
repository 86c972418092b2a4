"""Staff's volunteer pages: the review list, a record, review actions, new link, withdrawal."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiequ.volunteers.models import Volunteer

from .factories_volunteers import vol  # noqa: F401 (fixture)

VISIBLE = {
    "admin": {"王小骑", "李待审", "赵东"},
    "staff": {"王小骑", "李待审", "赵东"},
    "other_admin": {"孙邻"},
}


@pytest.mark.parametrize(
    "role", ["admin", "staff", "other_admin", "secretary", "grid", "district", "member", "unscoped"]
)
def test_list_shows_each_role_its_own(vol, users, login, role):  # noqa: F811
    response = login(getattr(users, role)).get(reverse("volunteers:volunteer_list"))
    if role not in VISIBLE and role != "unscoped":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    names = {obj.name for obj, _cells in response.context["rows"]}
    assert names == VISIBLE.get(role, set())


def test_the_review_list_masks_phones_and_confirms(vol, users, login):  # noqa: F811
    client = login(users.staff)
    page = client.get(reverse("volunteers:volunteer_list")).content.decode()
    assert "待审核的新报名" in page and "李待审" in page
    assert vol.pending.phone_masked in page and "****" in page
    response = client.post(
        reverse("volunteers:volunteer_review", args=[vol.pending.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 302
    vol.pending.refresh_from_db()
    assert vol.pending.state == "active" and vol.pending.confirmed_on is not None
    assert vol.pending.reviewed_by == users.staff
    client.post(
        reverse("volunteers:volunteer_review", args=[vol.rider.pk]), {"decision": "inactive"}
    )
    vol.rider.refresh_from_db()
    assert vol.rider.state == "inactive" and vol.rider.left_on is not None


def test_detail_has_no_edit_and_shows_the_pool_state(vol, users, login):  # noqa: F811
    page = login(users.staff).get(reverse("volunteers:volunteer_detail", args=[vol.rider.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "本月属于常备志愿者" in text
    assert vol.rider.phone_masked in text and vol.rider.token not in text
    assert "/edit/" not in text


def test_out_of_scope_records_are_not_found(vol, users, login):  # noqa: F811
    client = login(users.other_admin)
    for name in ("volunteer_detail", "volunteer_history"):
        assert client.get(reverse(f"volunteers:{name}", args=[vol.rider.pk])).status_code == 404
    for name in ("volunteer_review", "volunteer_withdraw", "volunteer_link"):
        response = client.post(
            reverse(f"volunteers:{name}", args=[vol.rider.pk]),
            {"decision": "confirm", "confirm": "yes"},
        )
        assert response.status_code == 404
    vol.rider.refresh_from_db()
    assert vol.rider.state == "active" and vol.rider.name == "王小骑"
    assert (
        login(users.grid)
        .post(reverse("volunteers:volunteer_review", args=[vol.rider.pk]))
        .status_code
        == 403
    )


def test_a_new_private_link_is_shown_once_and_the_old_one_stops(vol, users, login, client):  # noqa: F811
    old = vol.rider.token
    staff = login(users.staff)
    staff.post(reverse("volunteers:volunteer_link", args=[vol.rider.pk]))
    vol.rider.refresh_from_db()
    assert vol.rider.token != old
    page = staff.get(reverse("volunteers:volunteer_detail", args=[vol.rider.pk])).content.decode()
    assert vol.rider.token in page and "仅显示这一次" in page
    again = staff.get(reverse("volunteers:volunteer_detail", args=[vol.rider.pk])).content.decode()
    assert vol.rider.token not in again
    client.logout()
    assert client.get(reverse("volunteers_public:me", args=[old])).status_code == 404
    assert client.get(reverse("volunteers_public:me", args=[vol.rider.token])).status_code == 200


def test_staff_withdraw_on_request_only_with_the_box_ticked(vol, users, login):  # noqa: F811
    client = login(users.staff)
    client.post(reverse("volunteers:volunteer_withdraw", args=[vol.rider.pk]))
    vol.rider.refresh_from_db()
    assert vol.rider.name == "王小骑"
    client.post(reverse("volunteers:volunteer_withdraw", args=[vol.rider.pk]), {"confirm": "yes"})
    vol.rider.refresh_from_db()
    assert vol.rider.state == "withdrawn" and vol.rider.name == ""
    page = client.get(reverse("volunteers:volunteer_detail", args=[vol.rider.pk])).content.decode()
    assert f"已退出的志愿者 #{vol.rider.pk}" in page and "王小骑" not in page


def test_filters(vol, users, login):  # noqa: F811
    client = login(users.staff)

    def names(query):
        response = client.get(reverse("volunteers:volunteer_list") + query)
        return {obj.name for obj, _cells in response.context["rows"]}

    assert names("?state=pending") == {"李待审"}
    assert names("?region=" + str(vol.east.region.pk)) == {"赵东"}
    assert names("?point=" + str(vol.sw.pk)) == {"王小骑", "李待审"}
    assert names("?skill=first_aid") == {"王小骑", "李待审", "赵东"}
    assert names("?skill=photo") == set()
    assert names("?slot=5am") == {"王小骑", "李待审", "赵东"}
    assert names("?slot=0ev") == set()
    from jiequ.core import crypto

    phone = crypto.decrypt(vol.east_rider.phone_encrypted)
    assert names("?q=" + phone[3:]) == {"赵东"}  # found by the number typed, shown masked
    assert names("?q=王小") == {"王小骑"}
    assert names("?pool_month=2020-13") == set()  # an invalid month matches nothing
    bad = client.get(reverse("volunteers:volunteer_list") + "?pool_month=2020-13")
    assert "请按“年-月”填写月份" in bad.content.decode()
    assert names("?region=" + str(vol.other.region.pk)) == set()


def test_export_is_excel_with_masked_phones(vol, users, login):  # noqa: F811
    response = login(users.staff).get(reverse("volunteers:volunteer_export") + "?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and rows[0][1] == "手机号码"
    names = {r[0] for r in rows[1:]}
    assert names == {"王小骑", "李待审", "赵东"}
    phones = {r[1] for r in rows[1:]}
    assert all("****" in p for p in phones)
    csv = login(users.staff).get(reverse("volunteers:volunteer_export") + "?format=csv")
    text = csv.content.decode("utf-8-sig")
    from jiequ.core import crypto

    for v in Volunteer.objects.all():
        assert crypto.decrypt(v.phone_encrypted).removeprefix("+86") not in text
