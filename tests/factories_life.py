"""Factories for organisational life: meetings, courses, mentorships."""

from datetime import date

import factory
from factory.django import DjangoModelFactory


class MeetingFactory(DjangoModelFactory):
    """Pass `organisation`; `present` (a list of members) sets who attended."""

    class Meta:
        model = "life.Meeting"
        skip_postgeneration_save = True

    kind = "themed_day"
    held_on = date(2026, 3, 10)
    topic = factory.Sequence(lambda n: f"学习会议第{n}次")
    place = "党群服务站"
    expected = 4

    @factory.post_generation
    def present(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.attendees.set(extracted)


class CourseFactory(DjangoModelFactory):
    """Pass `region`."""

    class Meta:
        model = "life.Course"

    title = factory.Sequence(lambda n: f"党务培训班第{n}期")
    kind = "course"
    starts_on = date(2026, 4, 1)
    hours = 4


class CourseAttendanceFactory(DjangoModelFactory):
    class Meta:
        model = "life.CourseAttendance"

    completed = True


class MentorshipFactory(DjangoModelFactory):
    class Meta:
        model = "life.Mentorship"

    started_on = date(2026, 1, 1)
