from django.urls import reverse

from jiequ.areas.models import Building


def test_delete_asks_for_confirmation_first(world, users, login):
    client = login(users.admin)
    url = reverse("areas:building_delete", args=[world.b_sw.pk])
    page = client.get(url)
    assert page.status_code == 200 and "确认删除" in page.content.decode()
    assert Building.objects.filter(pk=world.b_sw.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("areas:building_list")
    assert not Building.objects.filter(pk=world.b_sw.pk).exists()
    # The change log keeps the deleted record and who deleted it.
    last = Building.history.filter(id=world.b_sw.pk).first()
    assert last.history_type == "-" and last.history_user == users.admin
