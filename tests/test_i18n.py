"""Chinese by default, English on request, through Django's translation catalogue."""

from django.urls import reverse


def test_chinese_is_the_default(world, users, login):
    page = login(users.staff).get(reverse("areas:building_list")).content.decode()
    assert 'lang="zh-hans"' in page
    assert "楼宇" in page and "导出" in page and "退出" in page


def test_english_switch(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/areas/buildings/"})
    assert response.status_code == 302
    page = client.get(reverse("areas:building_list")).content.decode()
    assert 'lang="en"' in page
    assert "Buildings" in page and "Export" in page and "Log out" in page
    assert "导出" not in page


def test_every_message_is_translated():
    import polib
    from django.conf import settings

    po = polib.pofile(str(settings.LOCALE_PATHS[0] / "zh_Hans/LC_MESSAGES/django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_login_page_in_chinese(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page and "密码" in page
    bad = client.post(reverse("login"), {"username": "x", "password": "y"}).content.decode()
    assert "用户名或密码错误" in bad


def test_an_english_browser_still_gets_chinese_until_the_user_switches(world, users, login):
    client = login(users.staff)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "退出" in page
