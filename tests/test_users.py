"""Subdistrict admins manage accounts inside their own scope, without escalating roles."""

from django.urls import reverse

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role


def new_user_data(world, **overrides):
    data = {
        "username": "wangwu",
        "display_name": "王五",
        "role": Role.GRID_WORKER,
        "scope_region": world.grid_e.pk,
        "is_active": "on",
        "password": "Jiequ-2026-secure",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_grid_worker_in_their_subdistrict(world, users, login):
    client = login(users.admin)
    response = client.post(reverse("accounts:user_add"), new_user_data(world))
    created = User.objects.get(username="wangwu")
    assert response.status_code == 302
    assert created.scope_region == world.grid_e and created.check_password("Jiequ-2026-secure")
    assert created.history.first().history_user == users.admin


def test_admin_cannot_hand_out_a_region_outside_their_scope(world, users, login):
    client = login(users.admin)
    response = client.post(
        reverse("accounts:user_add"), new_user_data(world, scope_region=world.other_grid.pk)
    )
    assert "scope_region" in response.context["form"].errors
    assert not User.objects.filter(username="wangwu").exists()


def test_admin_cannot_escalate_roles(world, users, login):
    client = login(users.admin)
    for role in (Role.SUBDISTRICT_ADMIN, Role.DISTRICT_VIEWER):
        response = client.post(reverse("accounts:user_add"), new_user_data(world, role=role))
        assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="wangwu").exists()


def test_weak_initial_password_is_refused_in_chinese(world, users, login):
    client = login(users.admin)
    response = client.post(reverse("accounts:user_add"), new_user_data(world, password="123"))
    assert "密码" in str(response.context["form"].errors["password"])


def test_user_list_is_scoped_and_closed_to_other_roles(world, users, login):
    page = login(users.admin).get(reverse("accounts:user_list"))
    listed = {obj for obj, _cells in page.context["rows"]}
    assert users.grid in listed and users.other_admin not in listed
    assert users.district not in listed
    assert login(users.staff).get(reverse("accounts:user_list")).status_code == 403
    other = login(users.other_admin).get(reverse("accounts:user_detail", args=[users.grid.pk]))
    assert other.status_code == 404


def test_history_never_stores_password_hashes(world, users):
    assert not hasattr(users.grid.history.first(), "password")


def test_password_change(world, users, client):
    users.staff.set_password("Old-pass-2026!")
    users.staff.save()
    client.force_login(users.staff)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Old-pass-2026!",
            "new_password1": "New-pass-2027!",
            "new_password2": "New-pass-2027!",
        },
    )
    assert response.status_code == 302
    users.staff.refresh_from_db()
    assert users.staff.check_password("New-pass-2027!")


def test_repeated_wrong_passwords_lock_the_login(world, users, client):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": users.staff.username, "password": "wrong"})
    locked = client.post(url, {"username": users.staff.username, "password": "pw-for-tests"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
