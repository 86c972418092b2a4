"""Training: courses in scope, attendance ticked on the course page, the handbook, mentors."""

from datetime import date, timedelta
from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jiequ.life.models import Course, CourseAttendance, Mentorship
from jiequ.life.training import training_for
from tests.factories import OfficerFactory
from tests.factories_life import CourseAttendanceFactory, CourseFactory, MentorshipFactory

TODAY = timezone.localdate()


def course_data(where, **overrides):
    values = {
        "title": "2026年支部书记培训班",
        "kind": "course",
        "region": where.pk,
        "starts_on": TODAY.isoformat(),
        "ends_on": "",
        "hours": "6",
        "place": "石门二路党群服务中心",
        "description": "",
    }
    values.update(overrides)
    return values


def test_staff_add_a_course_in_their_subdistrict(world, users, login):
    client = login(users.staff)
    response = client.post(reverse("life:course_add"), course_data(world.ours))
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert course.history.get().history_user == users.staff


def test_course_bad_input(world, users, login):
    client = login(users.staff)
    cases = [
        ({"region": world.other.pk}, "region"),
        ({"ends_on": (TODAY - timedelta(days=1)).isoformat()}, "ends_on"),
        ({"hours": "-2"}, "hours"),
        ({"title": ""}, "title"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
    ]
    for overrides, field in cases:
        response = client.post(reverse("life:course_add"), course_data(world.ours, **overrides))
        assert response.status_code == 200 and field in response.context["form"].errors
    errors = (
        client.post(reverse("life:course_add"), course_data(world.ours, hours="-2"))
        .context["form"]
        .errors
    )
    assert errors["hours"] == ["学时不能为负数。"]
    assert not Course.objects.exists()


def test_secretary_reads_courses_but_cannot_add(world, users, login, party):
    ours = CourseFactory(region=world.ours)
    elsewhere = CourseFactory(region=world.other)
    client = login(users.secretary)
    assert client.get(reverse("life:course_add")).status_code == 403
    seen = set(client.get(reverse("life:course_list")).context["object_list"])
    assert ours in seen and elsewhere not in seen


def test_course_list_filters_and_export(world, users, login):
    CourseFactory(region=world.ours, title="手册培训", kind="handbook")
    CourseFactory(region=world.ours, title="去年的课", starts_on=date(2024, 5, 1))
    client = login(users.staff)
    url = reverse("life:course_list")
    titles = [c.title for c in client.get(url, {"kind": "handbook"}).context["object_list"]]
    assert titles == ["手册培训"]
    titles = [c.title for c in client.get(url, {"year": "2024"}).context["object_list"]]
    assert titles == ["去年的课"]
    assert client.get(url, {"year": "99999"}).status_code == 200
    text = client.get(reverse("life:course_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "手册培训" in text and "参训人数" in text.splitlines()[0]


def test_attendance_ticked_on_the_course_page(world, users, login, party):
    course = CourseFactory(region=world.ours, hours=Decimal("4"))
    client = login(users.staff)
    page = client.get(course.get_absolute_url())
    listed = {m for m, _ in page.context["tick_rows"]}
    assert set(party.west_members) | set(party.east_members) <= listed
    assert not listed & set(party.other_members)
    a, b, c, _ = party.west_members
    response = client.post(
        reverse("life:course_attendance", args=[course.pk]),
        {"shown": [a.pk, b.pk, c.pk], "attended": [a.pk, b.pk], "completed": [a.pk]},
    )
    assert response.status_code == 302
    rows = {x.member: x.completed for x in CourseAttendance.objects.filter(course=course)}
    assert rows == {a: True, b: False}
    # Untick b; members not shown keep their record.
    client.post(
        reverse("life:course_attendance", args=[course.pk]),
        {"shown": [b.pk], "attended": []},
    )
    assert set(CourseAttendance.objects.filter(course=course).values_list("member", flat=True)) == {
        a.pk
    }
    history = client.get(reverse("life:course_history", args=[course.pk])).content.decode()
    assert "移出名单" in history and b.name in history and users.staff.display_name in history


def test_attendance_outside_scope_changes_nothing(world, users, login, party):
    course = CourseFactory(region=world.ours)
    client = login(users.staff)
    stranger = party.other_members[0]
    mine = party.west_members[0]
    response = client.post(
        reverse("life:course_attendance", args=[course.pk]),
        {"shown": [mine.pk, stranger.pk], "attended": [mine.pk, stranger.pk]},
        follow=True,
    )
    assert "未作任何保存" in response.content.decode()
    assert not CourseAttendance.objects.exists()


def test_secretary_cannot_mark_attendance(world, users, login, party):
    course = CourseFactory(region=world.ours)
    client = login(users.secretary)
    page = client.get(course.get_absolute_url())
    assert page.status_code == 200 and not page.context["can_mark"]
    response = client.post(
        reverse("life:course_attendance", args=[course.pk]),
        {"shown": [party.west_members[0].pk], "attended": [party.west_members[0].pk]},
    )
    assert response.status_code == 403 and not CourseAttendance.objects.exists()


def test_course_outside_scope_is_404(world, users, login):
    course = CourseFactory(region=world.other)
    client = login(users.staff)
    assert client.get(course.get_absolute_url()).status_code == 404
    assert client.post(reverse("life:course_attendance", args=[course.pk]), {}).status_code == 404


def test_member_training_record(world, party):
    member = party.west_members[0]
    this_year = CourseFactory(region=world.ours, starts_on=TODAY, hours=Decimal("4.5"))
    handbook = CourseFactory(region=world.ours, starts_on=TODAY, hours=2, kind="handbook")
    unfinished = CourseFactory(region=world.ours, starts_on=TODAY, hours=8)
    old = CourseFactory(region=world.ours, starts_on=date(TODAY.year - 1, 3, 1), hours=10)
    for course in (this_year, handbook, old):
        CourseAttendanceFactory(course=course, member=member)
    CourseAttendanceFactory(course=unfinished, member=member, completed=False)
    record = training_for(member)
    assert record.hours == Decimal("6.5") and record.handbook_done
    assert len(record.attended) == 4 and len(record.this_year) == 3
    html = render_to_string("life/_member_training.html", {"member": member})
    assert "6.5学时" in html and old.title in html and "未完成" in html


def test_handbook_page(world, users, login, party):
    done, pending = party.west_members[0], party.east_members[0]
    OfficerFactory(organisation=party.west, member=done, started_on=date(2024, 1, 1))
    OfficerFactory(organisation=party.east, member=pending, started_on=date(2024, 1, 1))
    OfficerFactory(
        organisation=party.other, member=party.other_members[0], started_on=date(2024, 1, 1)
    )
    handbook = CourseFactory(region=world.ours, kind="handbook", starts_on=TODAY)
    CourseAttendanceFactory(course=handbook, member=done)
    response = login(users.staff).get(reverse("life:handbook"))
    assert [s.post.member for s in response.context["done"]] == [done]
    assert [s.post.member for s in response.context["not_done"]] == [pending]
    assert handbook.title in response.content.decode()
    secretary = login(users.secretary).get(reverse("life:handbook"))
    assert [s.post.member for s in secretary.context["done"]] == [done]
    assert not secretary.context["not_done"]
    last_year = login(users.staff).get(reverse("life:handbook"), {"year": TODAY.year - 1})
    assert not last_year.context["done"]
    assert login(users.staff).get(reverse("life:handbook"), {"year": "abc"}).status_code == 200


def test_mentorship_add_with_note_for_a_non_secretary(world, users, login, party):
    mentor, other_mentor, mentee = party.west_members[:3]
    OfficerFactory(organisation=party.west, member=mentor, started_on=date(2024, 1, 1))
    client = login(users.staff)
    url = reverse("life:mentorship_add")
    day = TODAY.isoformat()
    for person in (mentor, other_mentor):
        response = client.post(
            url, {"mentor": person.pk, "mentee": mentee.pk, "started_on": day, "note": ""}
        )
        assert response.status_code == 302
    page = client.get(reverse("life:mentorship_list"))
    notes = {m.mentor: m.mentor_note for m in page.context["object_list"]}
    assert notes == {mentor: "", other_mentor: "目前未担任书记"}
    assert "目前未担任书记" in page.content.decode()


def test_mentorship_bad_input(world, users, login, party):
    a, b = party.west_members[:2]
    MentorshipFactory(mentor=a, mentee=b)
    client = login(users.staff)
    url = reverse("life:mentorship_add")
    day = TODAY.isoformat()
    cases = [
        ({"mentor": a.pk, "mentee": a.pk, "started_on": day}, "不能是同一人"),
        ({"mentor": a.pk, "mentee": b.pk, "started_on": day}, "已在带教"),
        ({"mentor": b.pk, "mentee": a.pk, "started_on": "2999-01-01"}, "将来"),
        ({"mentor": a.pk, "mentee": party.other_members[0].pk, "started_on": day}, "有效"),
    ]
    for values, words in cases:
        response = client.post(url, values)
        assert response.status_code == 200
        assert words in str(response.context["form"].errors)
    assert Mentorship.objects.count() == 1


def test_end_a_mentorship(world, users, login, party):
    a, b = party.west_members[:2]
    mentorship = MentorshipFactory(mentor=a, mentee=b, started_on=TODAY - timedelta(days=30))
    client = login(users.staff)
    url = reverse("life:mentorship_end", args=[mentorship.pk])
    early = (TODAY - timedelta(days=31)).isoformat()
    response = client.post(url, {"ended_on": early})
    assert response.status_code == 400 and "不能早于" in response.content.decode()
    response = client.post(url, {"ended_on": TODAY.isoformat()})
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.ended_on == TODAY and mentorship.history.count() == 2
    assert mentorship.history.first().history_user == users.staff
    current = client.get(reverse("life:mentorship_list"), {"current": "true"})
    assert mentorship not in current.context["object_list"]


def test_secretary_reads_mentorships_of_their_branch_only(world, users, login, party):
    mine = MentorshipFactory(mentor=party.west_members[0], mentee=party.west_members[1])
    theirs = MentorshipFactory(mentor=party.east_members[0], mentee=party.east_members[1])
    client = login(users.secretary)
    seen = set(client.get(reverse("life:mentorship_list")).context["object_list"])
    assert seen == {mine} and theirs not in seen
    assert client.get(reverse("life:mentorship_add")).status_code == 403
    assert client.get(reverse("life:mentorship_end", args=[mine.pk])).status_code == 403
