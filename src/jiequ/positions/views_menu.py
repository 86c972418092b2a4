"""The weekly menu: the week's activities at phone width, sign-ups with a waiting list,
attendance, the activity records and their exports, and each organisation's calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.ratelimit import allow, client_ip
from jiequ.core.scoping import restrict
from jiequ.party.models import Organisation

from . import hours, ical, menu
from .filtersets import ActivityFilterSet, SignUpFilterSet
from .forms import ActivityForm, MemberSignUpForm
from .models import Activity, BookingState, MenuFeed, SignUp, SignUpState
from .views import LocalTimeExportMixin, VisibleExportMixin

ACTIVITY_COLUMNS = ["title", "kind", "time_text", "place_text", "capacity", "taken", "waiting"]
ACTIVITY_EXPORT = [
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "place_text",
    "capacity",
    "taken",
    "waiting",
    "audience",
    "audience_organisation",
    "organiser",
    "description",
]


def _week_param(request: HttpRequest) -> dt.date:
    day = hours.parse_day(request.GET.get("week", "")) or timezone.localdate()
    return menu.week_start(day)


@login_required
def menu_week(request: HttpRequest) -> HttpResponse:
    """This week's menu, day by day; members sign up here."""
    user = request.user
    if not user.has_perm("positions.view_activity"):
        raise PermissionDenied
    monday = _week_param(request)
    activities = list(menu.week_menu(user, monday))
    me = menu.own_member(user)
    mine = {}
    if me is not None:
        mine = {
            s.activity_id: s
            for s in SignUp.objects.filter(member=me, activity__in=activities).exclude(
                state=SignUpState.CANCELLED
            )
        }
    days = []
    for i in range(7):
        day = monday + dt.timedelta(days=i)
        items = []
        for activity in activities:
            if timezone.localtime(activity.starts_at).date() != day:
                continue
            signup = mine.get(activity.pk)
            items.append(
                {
                    "activity": activity,
                    "signup": signup,
                    "can_sign_up": me is not None
                    and signup is None
                    and not activity.has_started
                    and menu.eligibility(activity, me) is None,
                }
            )
        days.append(
            {
                "day": day,
                "name": hours.weekday_name(day.weekday()),
                "today": day == timezone.localdate(),
                "items": items,
            }
        )
    my_signups = []
    if me is not None:
        my_signups = list(
            SignUp.objects.filter(member=me, activity__ends_at__gte=timezone.now())
            .exclude(state=SignUpState.CANCELLED)
            .select_related("activity__room__position")
            .order_by("activity__starts_at")
        )
    context = {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "days": days,
        "count": len(activities),
        "prev": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "this_week": menu.week_start(timezone.localdate()),
        "me": me,
        "my_signups": my_signups,
        "can_add": user.has_perm("positions.add_activity"),
        "menu_url": reverse("positions:menu"),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "menu-week":
        return render(request, "positions/_menu_week.html", context)
    return render(request, "positions/menu.html", context)


class ActivityMixin:
    model = Activity
    url_prefix = "positions:activity"

    def get_queryset(self) -> Any:
        return menu.with_counts(
            super()
            .get_queryset()
            .select_related("room__position", "organiser", "audience_organisation")
            .order_by("starts_at", "pk")
        )


class ActivityListView(ActivityMixin, generic.ObjectListView):
    filterset_class = ActivityFilterSet
    columns = ACTIVITY_COLUMNS

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("-starts_at")


class ActivityExportView(
    ActivityMixin, VisibleExportMixin, LocalTimeExportMixin, generic.ObjectExportView
):
    filterset_class = ActivityFilterSet
    columns = ACTIVITY_EXPORT
    basename = "weekly-menu"


class ActivityHistoryView(ActivityMixin, generic.ObjectHistoryView):
    pass


class ActivityEditView(ActivityMixin, generic.ObjectEditView):
    form_class = ActivityForm

    def get_queryset(self) -> Any:
        # Editing needs the row itself, not the annotated counts.
        return generic.ScopedViewMixin.get_queryset(self)

    def form_valid(self, form: ActivityForm) -> HttpResponse:
        try:
            return super().form_valid(form)
        except menu.MenuError:
            return self.form_invalid(form)


class ActivityDeleteView(ActivityMixin, generic.ObjectDeleteView):
    def get_queryset(self) -> Any:
        return generic.ScopedViewMixin.get_queryset(self)

    def get_success_url(self) -> str:
        return reverse("positions:menu")

    def form_valid(self, form: Any) -> HttpResponse:
        # The room's booking is freed with the activity.
        with transaction.atomic():
            booking = self.object.booking
            if booking is not None and booking.holds_slot:
                booking.state = BookingState.CANCELLED
                booking.reason = _("The activity was deleted")
                booking.save()
            return super().form_valid(form)


class ActivityDetailView(ActivityMixin, generic.ObjectDetailView):
    template_name = "positions/activity_detail.html"
    fields = [
        "kind",
        "time_text",
        "place_text",
        "capacity",
        "taken",
        "waiting",
        "audience",
        "audience_organisation",
        "organiser",
        "description",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        activity, user = self.object, self.request.user
        visible = (
            restrict(SignUp.objects.all(), user)
            .filter(activity=activity)
            .select_related("member__organisation", "signed_up_by")
            .order_by("queued_at", "pk")
        )
        me = menu.own_member(user)
        own = SignUp.objects.filter(activity=activity, member=me).first() if me else None
        confirmed = [s for s in visible if s.state == SignUpState.CONFIRMED]
        own_place = None
        if own is not None and own.state == SignUpState.WAITING:
            own_place = SignUp.objects.filter(
                activity=activity, state=SignUpState.WAITING, queued_at__lte=own.queued_at
            ).count()
        can_mark = user.has_perm("positions.change_signup") and activity.has_started
        context.update(
            confirmed=confirmed,
            waiting=[s for s in visible if s.state == SignUpState.WAITING],
            cancelled=[s for s in visible if s.state == SignUpState.CANCELLED],
            own=own if own is not None and own.state != SignUpState.CANCELLED else None,
            me=me,
            can_sign_up_self=me is not None
            and (own is None or own.state == SignUpState.CANCELLED)
            and not activity.has_started
            and menu.eligibility(activity, me) is None,
            why_not=menu.eligibility(activity, me) if me is not None else None,
            member_form=MemberSignUpForm(user=user)
            if menu.can_sign_up_others(user) and not activity.has_started
            else None,
            can_mark=can_mark,
            own_place=own_place,
            can_see_signups=user.has_perm("positions.view_signup"),
            can_cancel_others=user.has_perm("positions.change_signup") and not activity.has_started,
            menu_url=reverse("positions:menu")
            + f"?week={menu.week_start(timezone.localdate(activity.starts_at)):%Y-%m-%d}",
        )
        return context


def _activity(request: HttpRequest, pk: int) -> Activity:
    if not request.user.has_perm("positions.view_activity"):
        raise PermissionDenied
    return get_object_or_404(restrict(Activity.objects.all(), request.user), pk=pk)


def _back(request: HttpRequest, activity: Activity) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def signup_self(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    me = menu.own_member(request.user)
    if me is None:
        messages.error(request, _("Your account is not linked to a member record."))
        return _back(request, activity)
    try:
        signup = menu.sign_up(activity, me, request.user)
    except menu.MenuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _signed_message(signup))
    return _back(request, activity)


def _signed_message(signup: SignUp) -> str:
    if signup.state == SignUpState.CONFIRMED:
        return _("%(name)s is signed up for “%(title)s”.") % {
            "name": signup.member.name,
            "title": signup.activity.title,
        }
    position = SignUp.objects.filter(
        activity=signup.activity, state=SignUpState.WAITING, queued_at__lte=signup.queued_at
    ).count()
    return _(
        "“%(title)s” is full: %(name)s is number %(n)d on the waiting list and moves up "
        "automatically when a place is freed."
    ) % {"title": signup.activity.title, "name": signup.member.name, "n": position}


@login_required
@require_POST
def signup_member(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not menu.can_sign_up_others(request.user):
        raise PermissionDenied
    form = MemberSignUpForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a member from the list."))
        return _back(request, activity)
    try:
        signup = menu.sign_up(activity, form.cleaned_data["member"], request.user)
    except menu.MenuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _signed_message(signup))
    return _back(request, activity)


@login_required
@require_POST
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    me = menu.own_member(request.user)
    visible = restrict(SignUp.objects.all(), request.user)
    if me is not None:
        visible = visible | SignUp.objects.filter(member=me)
    signup = get_object_or_404(visible.select_related("activity", "member"), pk=pk)
    try:
        promoted = menu.cancel(signup, request.user)
    except menu.MenuError as exc:
        messages.error(request, exc.message)
    else:
        text = _("Sign-up of %(name)s cancelled.") % {"name": signup.member.name}
        if promoted is not None:
            text += " " + _("%(name)s moved up from the waiting list.") % {
                "name": promoted.member.name
            }
        messages.success(request, text)
    return _back(request, signup.activity)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not request.user.has_perm("positions.change_signup"):
        raise PermissionDenied
    try:
        changed = menu.mark_attendance(activity, request.POST.getlist("present"), request.user)
    except menu.MenuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Attendance saved (%(n)d changed).") % {"n": changed})
    return redirect(activity.get_absolute_url())


class SignUpMixin:
    model = SignUp
    url_prefix = "positions:signup"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("member__organisation", "activity", "signed_up_by")
            .order_by("-activity__starts_at", "activity", "queued_at")
        )


SIGNUP_COLUMNS = ["member", "organisation_name", "activity", "activity_time", "state", "attended"]


class SignUpListView(SignUpMixin, generic.ObjectListView):
    filterset_class = SignUpFilterSet
    columns = SIGNUP_COLUMNS


class SignUpExportView(SignUpMixin, LocalTimeExportMixin, generic.ObjectExportView):
    filterset_class = SignUpFilterSet
    columns = [*SIGNUP_COLUMNS, "queued_at", "signed_up_by", "notice", "cancelled_at"]
    basename = "menu-sign-ups"


# --- calendar feeds -------------------------------------------------------------------------


@login_required
def feed_list(request: HttpRequest) -> HttpResponse:
    """Each organisation's private calendar link to the menu (for its members' phones)."""
    user = request.user
    if not user.has_perm("positions.view_menufeed"):
        raise PermissionDenied
    organisations = (
        restrict(Organisation.objects.all(), user)
        .filter(dissolved_on__isnull=True)
        .order_by("name")
    )
    feeds = {
        f.organisation_id: f
        for f in restrict(MenuFeed.objects.all(), user).filter(organisation__in=organisations)
    }
    rows = [
        {
            "organisation": org,
            "feed": feeds.get(org.pk),
            "url": request.build_absolute_uri(feeds[org.pk].get_absolute_url())
            if org.pk in feeds
            else None,
        }
        for org in organisations
    ]
    return render(
        request,
        "positions/feed_list.html",
        {"rows": rows, "can_change": user.has_perm("positions.change_menufeed")},
    )


@login_required
@require_POST
def feed_make(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Make the organisation's link, or replace its token (the old link stops working)."""
    user = request.user
    if not (user.has_perm("positions.add_menufeed") and user.has_perm("positions.change_menufeed")):
        raise PermissionDenied
    organisation = get_object_or_404(restrict(Organisation.objects.all(), user), pk=organisation_id)
    existing = MenuFeed.objects.filter(organisation=organisation).first()
    if existing is not None and request.POST.get("rotate"):
        ical.rotate(existing)
        messages.success(
            request, _("New link for %(org)s; the old one no longer works.") % {"org": organisation}
        )
    else:
        ical.feed_for(organisation)
        messages.success(request, _("Calendar link ready for %(org)s.") % {"org": organisation})
    return redirect(reverse("positions:feed_list") + f"#org-{organisation.pk}")


def feed(request: HttpRequest, organisation_id: int, token: str) -> HttpResponse:
    """The iCalendar file itself: no login, the token is the key."""
    key = f"menu-feed:{client_ip(request)}"
    found = ical.find_feed(organisation_id, token)
    if found is None:
        # Guessing tokens is throttled; a right token is never refused.
        if not allow(key, 20, 600):
            return HttpResponse(status=429)
        raise Http404
    body = ical.calendar_bytes(found.organisation)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="menu-{organisation_id}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
