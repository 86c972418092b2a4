"""Staff entry of members: consent, phone rules, scope, where the record is held, history."""

from django.urls import reverse

from jiequ.core import crypto
from jiequ.members.models import Member

from .factories import EntityFactory, MemberFactory


def form_data(party, **overrides):
    data = {
        "name": "李四",
        "phone": "139 0000 1234",
        "membership": "full",
        "joined_on": "2010-07-01",
        "organisation": party.west.pk,
        "record_location": "here",
        "record_organisation": party.west.pk,
        "dues_category": "employed",
        "dues_base": "6000",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_staff_add_a_member_with_consent(party, users, login):
    client = login(users.staff)
    response = client.post(reverse("members:member_add"), form_data(party))
    member = Member.objects.get(name="李四")
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert member.phone_hash == crypto.lookup_hash("+8613900001234")
    assert crypto.decrypt(member.phone_encrypted) == "+8613900001234"
    assert member.consent_source == "staff" and member.consent_at is not None
    assert "同意" in member.consent_text
    history = member.history.first()
    assert history.history_user == users.staff
    assert history.history_change_reason


def test_consent_is_required(party, users, login):
    response = login(users.staff).post(reverse("members:member_add"), form_data(party, consent=""))
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not Member.objects.filter(name="李四").exists()


def test_bad_phone_refused_in_chinese(party, users, login):
    response = login(users.staff).post(
        reverse("members:member_add"), form_data(party, phone="14012345678")
    )
    assert "不存在" in str(response.context["form"].errors["phone"])
    assert not Member.objects.filter(name="李四").exists()


def test_phone_already_on_another_member_is_refused(party, users, login):
    MemberFactory(organisation=party.east, phone="+8613900001234", name="原有")
    response = login(users.staff).post(reverse("members:member_add"), form_data(party))
    assert response.status_code == 200
    assert "已" in str(response.context["form"].errors["phone"])
    assert Member.objects.filter(phone_hash=crypto.lookup_hash("+8613900001234")).count() == 1
    # The other member's name is not given away.
    assert "原有" not in str(response.context["form"].errors["phone"])


def test_record_here_needs_the_organisation(party, users, login):
    response = login(users.staff).post(
        reverse("members:member_add"), form_data(party, record_organisation="")
    )
    assert "record_organisation" in response.context["form"].errors
    assert not Member.objects.filter(name="李四").exists()


def test_record_elsewhere_needs_name_province_city(party, users, login):
    client = login(users.staff)
    response = client.post(
        reverse("members:member_add"),
        form_data(party, record_location="elsewhere", record_organisation=party.west.pk),
    )
    errors = response.context["form"].errors
    assert {"record_elsewhere_name", "record_province", "record_city"} <= set(errors)
    response = client.post(
        reverse("members:member_add"),
        form_data(
            party,
            record_location="elsewhere",
            record_organisation=party.west.pk,
            record_elsewhere_name="中共盐城市亭湖区某某社区委员会",
            record_province="江苏省",
            record_city="盐城市",
        ),
    )
    member = Member.objects.get(name="李四")
    assert member.is_mobile and member.record_organisation is None
    assert member.record_held_by == "中共盐城市亭湖区某某社区委员会（江苏省盐城市）"


def test_secretary_adds_only_to_own_branch(party, users, login):
    client = login(users.secretary)
    form = client.get(reverse("members:member_add")).context["form"]
    assert set(form.fields["organisation"].queryset) == {party.west, party.group}
    assert set(form.fields["other_organisations"].queryset) == {party.west, party.group}
    response = client.post(
        reverse("members:member_add"),
        form_data(party, organisation=party.east.pk, record_organisation=party.east.pk),
    )
    assert "organisation" in response.context["form"].errors
    assert not Member.objects.filter(name="李四").exists()
    response = client.post(
        reverse("members:member_add"),
        form_data(party, organisation=party.group.pk, other_organisations=[party.east.pk]),
    )
    assert "other_organisations" in response.context["form"].errors
    client.post(reverse("members:member_add"), form_data(party, organisation=party.group.pk))
    assert Member.objects.get(name="李四").organisation == party.group


def test_secretary_cannot_edit_another_branchs_member(party, users, login):
    member = party.east_members[0]
    client = login(users.secretary)
    assert client.get(reverse("members:member_edit", args=[member.pk])).status_code == 404
    assert client.get(reverse("members:member_detail", args=[member.pk])).status_code == 404


def test_edit_never_shows_the_number_and_empty_keeps_it(party, users, login):
    member = MemberFactory(organisation=party.west, phone="+8613955556666", name="钱七")
    client = login(users.staff)
    url = reverse("members:member_edit", args=[member.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "13955556666" not in html and "139****6666" in html
    assert page.context["form"]["phone"].value() in (None, "")
    data = {
        "name": "钱七",
        "phone": "",
        "membership": "full",
        "organisation": party.west.pk,
        "record_location": "here",
        "record_organisation": party.west.pk,
        "dues_category": "retired",
        "dues_base": "4000",
        "loaded_at": page.context["form"]["loaded_at"].value(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert crypto.decrypt(member.phone_encrypted) == "+8613955556666"
    assert member.dues_category == "retired"
    # A new number replaces it.
    page = client.get(url)
    data.update(phone="13955557777", loaded_at=page.context["form"]["loaded_at"].value())
    client.post(url, data)
    member.refresh_from_db()
    assert member.phone_hash == crypto.lookup_hash("+8613955557777")


def test_edit_conflict_is_refused(party, users, login):
    member = MemberFactory(organisation=party.west, name="孙八")
    client = login(users.staff)
    url = reverse("members:member_edit", args=[member.pk])
    data = {
        "name": "孙八改",
        "membership": "full",
        "organisation": party.west.pk,
        "record_location": "here",
        "record_organisation": party.west.pk,
        "dues_category": "employed",
        "loaded_at": "2000-01-01T00:00:00+00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    member.refresh_from_db()
    assert member.name == "孙八"


def test_bad_dates_and_leaving_without_reason(party, users, login):
    member = MemberFactory(organisation=party.west)
    client = login(users.staff)
    url = reverse("members:member_edit", args=[member.pk])
    response = client.post(
        url,
        {
            "name": member.name,
            "membership": "full",
            "organisation": party.west.pk,
            "record_location": "here",
            "record_organisation": party.west.pk,
            "dues_category": "employed",
            "joined_on": "2020-01-01",
            "full_on": "2019-01-01",
            "left_on": "2020-05-01",
            "dues_base": "-5",
        },
    )
    errors = response.context["form"].errors
    assert {"full_on", "left_reason", "dues_base"} <= set(errors)
    member.refresh_from_db()
    assert member.left_on is None


def test_workplace_limited_to_scope(party, users, login, world):
    ours = EntityFactory(region=world.grid_sw)
    theirs = EntityFactory(region=world.other_grid)
    form = login(users.staff).get(reverse("members:member_add")).context["form"]
    workplaces = set(form.fields["workplace"].queryset)
    assert ours in workplaces and theirs not in workplaces


def test_history_page_shows_changes_without_the_phone(party, users, login):
    member = MemberFactory(organisation=party.west, phone="+8613966667777", name="周九")
    client = login(users.staff)
    url = reverse("members:member_edit", args=[member.pk])
    page = client.get(url)
    client.post(
        url,
        {
            "name": "周九",
            "phone": "13966668888",
            "membership": "probationary",
            "organisation": party.west.pk,
            "record_location": "here",
            "record_organisation": party.west.pk,
            "dues_category": "employed",
            "loaded_at": page.context["form"]["loaded_at"].value(),
        },
    )
    history = client.get(reverse("members:member_history", args=[member.pk]))
    html = history.content.decode()
    assert history.status_code == 200
    assert "预备党员" in html
    assert "13966667777" not in html and "13966668888" not in html
