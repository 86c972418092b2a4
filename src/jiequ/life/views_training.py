"""Training: courses and who attended them, the secretaries' handbook, mentors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import restrict
from jiequ.members.models import Member
from jiequ.party.models import Organisation

from . import training
from .filtersets import CourseFilterSet, MentorshipFilterSet
from .forms import COURSE_FIELDS, CourseForm, EndMentorshipForm, MentorshipForm
from .models import Course, CourseAttendance, CourseKind, Mentorship

# At most this many members are listed to tick at once; an organisation filter narrows it.
TICK_LIST_LIMIT = 300


class CourseMixin:
    model = Course
    url_prefix = "life:course"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("region")


class CountedCourseMixin(CourseMixin):
    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .annotate(attendance_count=Count("attendance"))
            .order_by("-starts_on", "-pk")
        )


class CourseListView(CountedCourseMixin, generic.ObjectListView):
    filterset_class = CourseFilterSet
    columns = ["title", "kind", "starts_on", "hours", "place", "region", "participants"]


class CourseExportView(CountedCourseMixin, generic.ObjectExportView):
    filterset_class = CourseFilterSet
    columns = [*COURSE_FIELDS, "participants"]
    basename = "courses"


class CourseEditView(CourseMixin, generic.ObjectEditView):
    form_class = CourseForm


class CourseHistoryView(CourseMixin, generic.ObjectHistoryView):
    """The course's own changes, then who was marked as attending or taken off, and by whom."""

    template_name = "life/course_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        in_scope = restrict(Member.objects.all(), self.request.user).values("pk")
        context["attendance_changes"] = (
            CourseAttendance.history.filter(course_id=self.object.pk, member_id__in=in_scope)
            .select_related("history_user", "member")
            .order_by("-history_id")
        )
        return context


def can_mark_attendance(user: Any) -> bool:
    return all(
        user.has_perm(f"life.{action}_courseattendance") for action in ("add", "change", "delete")
    )


class CourseDetailView(CourseMixin, generic.ObjectDetailView):
    template_name = "life/course_detail.html"
    fields = COURSE_FIELDS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, course = self.request.user, self.object
        members = restrict(Member.objects.all(), user).select_related("organisation")
        rows = list(
            CourseAttendance.objects.filter(course=course, member__in=members).select_related(
                "member__organisation"
            )
        )
        attended = {a.member_id: a for a in rows}
        context["attendance"] = sorted(
            rows, key=lambda a: (str(a.member.organisation), a.member.name)
        )
        context["can_mark"] = can_mark_attendance(user)
        if context["can_mark"]:
            organisations = restrict(Organisation.objects.all(), user)
            org_id = self.request.GET.get("organisation", "")
            chosen = organisations.filter(pk=org_id).first() if org_id.isdigit() else None
            q = self.request.GET.get("q", "").strip()
            listed = members.filter(left_on__isnull=True)
            if chosen is not None:
                listed = listed.filter(organisation_id__in=chosen.subtree_ids())
            if q:
                listed = listed.filter(name__icontains=q)
            listed = list(listed.order_by("organisation__name", "name")[: TICK_LIST_LIMIT + 1])
            context.update(
                tick_organisations=organisations.order_by("name"),
                tick_organisation=chosen,
                tick_q=q,
                tick_truncated=len(listed) > TICK_LIST_LIMIT,
                tick_rows=[(m, attended.get(m.pk)) for m in listed[:TICK_LIST_LIMIT]],
            )
        return context


@login_required
@require_POST
def course_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the tick list: the members shown who attended (and completed) the course."""
    user = request.user
    if not can_mark_attendance(user):
        raise PermissionDenied
    course = get_object_or_404(restrict(Course.objects.all(), user), pk=pk)
    in_scope = set(restrict(Member.objects.all(), user).values_list("pk", flat=True))

    def ids(name: str) -> set[int]:
        return {int(v) for v in request.POST.getlist(name) if v.isdigit()}

    shown = ids("shown")
    if not shown <= in_scope:
        # A member outside the user's scope: refuse the whole list, change nothing.
        messages.error(request, _("Some of the members are outside your scope; nothing was saved."))
        return redirect(course)
    attended = ids("attended") & shown
    added, changed, removed = training.set_attendance(
        course, sorted(shown), attended, ids("completed") & attended
    )
    messages.success(
        request,
        _("Attendance saved: %(added)d added, %(changed)d changed, %(removed)d removed.")
        % {"added": added, "changed": changed, "removed": removed},
    )
    return redirect(request.POST.get("next") or course.get_absolute_url())


@login_required
def handbook(request: HttpRequest) -> HttpResponse:
    """The handbook courses of a year and which current secretaries have completed one."""
    user = request.user
    if not user.has_perm("life.view_course"):
        raise PermissionDenied
    today = timezone.localdate()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1921 <= int(year_text) <= 2100 else today.year
    courses = (
        restrict(Course.objects.all(), user)
        .filter(kind=CourseKind.HANDBOOK, starts_on__year=year)
        .select_related("region")
        .annotate(attendance_count=Count("attendance", filter=Q(attendance__completed=True)))
        .order_by("starts_on")
    )
    can_see_posts = user.has_perm("party.view_officer")
    statuses = training.handbook_status(user, year) if can_see_posts else []
    return render(
        request,
        "life/handbook.html",
        {
            "year": year,
            "years": [today.year - i for i in range(4)],
            "courses": courses,
            "done": [s for s in statuses if s.done],
            "not_done": [s for s in statuses if not s.done],
            "can_see_posts": can_see_posts,
            "can_add": user.has_perm("life.add_course"),
        },
    )


class MentorshipMixin:
    model = Mentorship
    url_prefix = "life:mentorship"

    def get_queryset(self) -> Any:
        return training.with_mentor_is_secretary(
            super().get_queryset().select_related("mentor__organisation", "mentee__organisation")
        )


class MentorshipListView(MentorshipMixin, generic.ObjectListView):
    filterset_class = MentorshipFilterSet
    columns = ["mentor", "mentee", "started_on", "ended_on", "mentor_note"]
    template_name = "life/mentorship_list.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["life/_mentorship_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_end"] = user.has_perm("life.change_mentorship")
        context["today"] = timezone.localdate()
        return context


class MentorshipEditView(MentorshipMixin, generic.ObjectEditView):
    form_class = MentorshipForm

    def get_success_url(self) -> str:
        return self.url("list")


class MentorshipHistoryView(MentorshipMixin, generic.ObjectHistoryView):
    pass


@login_required
def mentorship_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user.has_perm("life.change_mentorship"):
        raise PermissionDenied
    mentorship = get_object_or_404(
        restrict(Mentorship.objects.select_related("mentor", "mentee"), user, "change"), pk=pk
    )
    if not mentorship.is_current:
        messages.error(request, _("This mentorship has already ended."))
        return redirect("life:mentorship_list")
    form = EndMentorshipForm(request.POST or None, mentorship=mentorship)
    if request.method == "POST" and form.is_valid():
        mentorship.ended_on = form.cleaned_data["ended_on"]
        mentorship._change_reason = "ended"
        mentorship.save()
        messages.success(request, _("Ended “%(obj)s”.") % {"obj": mentorship})
        return redirect("life:mentorship_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "life/mentorship_end.html", {"form": form, "mentorship": mentorship}, status=status
    )
