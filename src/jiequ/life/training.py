"""Training: a member's record, the secretaries' handbook course, course attendance, mentors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from jiequ.core.scoping import restrict
from jiequ.party.models import Officer, OfficerRole

from .models import Course, CourseAttendance, CourseKind, Mentorship


def current_secretary_posts(today: date | None = None) -> models.QuerySet:
    """Secretary posts held today (started, not ended)."""
    today = today or timezone.localdate()
    return Officer.objects.filter(role=OfficerRole.SECRETARY, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )


@dataclass
class TrainingRecord:
    year: int
    attended: list[CourseAttendance]  # every course, newest first
    this_year: list[CourseAttendance]
    hours: Decimal  # hours of the courses completed this year
    handbook_done: bool  # completed a handbook course this year


def training_for(member: Any, year: int | None = None) -> TrainingRecord:
    """The courses `member` attended, and their hours and handbook course in `year` (now)."""
    year = year or timezone.localdate().year
    attended = list(
        CourseAttendance.objects.filter(member=member)
        .select_related("course", "course__region")
        .order_by("-course__starts_on", "-pk")
    )
    this_year = [a for a in attended if a.course.starts_on.year == year]
    hours = sum((a.course.hours for a in this_year if a.completed), Decimal("0"))
    return TrainingRecord(
        year=year,
        attended=attended,
        this_year=this_year,
        hours=hours,
        handbook_done=any(a.completed and a.course.kind == CourseKind.HANDBOOK for a in this_year),
    )


@dataclass
class SecretaryStatus:
    post: Officer
    done: bool
    courses: list[Course]


def handbook_status(user: Any, year: int) -> list[SecretaryStatus]:
    """The current secretaries in `user`'s scope and whether each completed a handbook course
    in `year` (department cadres serving as secretary have no member record: never done)."""
    posts = list(
        restrict(current_secretary_posts(), user)
        .select_related("organisation", "member", "cadre")
        .order_by("organisation__name")
    )
    member_ids = [p.member_id for p in posts if p.member_id]
    done: dict[int, list[Course]] = {}
    rows = CourseAttendance.objects.filter(
        member_id__in=member_ids,
        completed=True,
        course__kind=CourseKind.HANDBOOK,
        course__starts_on__year=year,
    ).select_related("course")
    for attendance in rows:
        done.setdefault(attendance.member_id, []).append(attendance.course)
    return [
        SecretaryStatus(post=p, done=p.member_id in done, courses=done.get(p.member_id, []))
        for p in posts
    ]


def hours_of(queryset: models.QuerySet) -> Decimal:
    return queryset.aggregate(total=Sum("course__hours"))["total"] or Decimal("0")


def set_attendance(
    course: Course,
    shown: list[int],
    attended: set[int],
    completed: set[int],
) -> tuple[int, int, int]:
    """Mark who of the members `shown` attended `course` (and completed it); the others shown
    are taken off. Members not shown are left as they were. Returns (added, changed, removed).
    Each change is saved through the model, so the history records who did it."""
    added = changed = removed = 0
    with transaction.atomic():
        rows = CourseAttendance.objects.filter(course=course, member_id__in=shown)
        existing = {a.member_id: a for a in rows}
        for member_id in shown:
            row = existing.get(member_id)
            if member_id in attended:
                done = member_id in completed
                if row is None:
                    CourseAttendance.objects.create(
                        course=course, member_id=member_id, completed=done
                    )
                    added += 1
                elif row.completed != done:
                    row.completed = done
                    row.save()
                    changed += 1
            elif row is not None:
                row.delete()
                removed += 1
    return added, changed, removed


def with_mentor_is_secretary(queryset: models.QuerySet) -> models.QuerySet:
    """Mentorships with `mentor_is_secretary` (the mentor holds a current secretary post)."""
    return queryset.annotate(
        mentor_is_secretary=Exists(current_secretary_posts().filter(member=OuterRef("mentor")))
    )


def current_mentorships(queryset: models.QuerySet | None = None) -> models.QuerySet:
    today = timezone.localdate()
    queryset = Mentorship.objects.all() if queryset is None else queryset
    return queryset.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
