"""Public phone pages (no account): nearby service points, the volunteer sign-up behind the QR
code, and a volunteer's private page reached only through their own link.

The private page shows one record: the one whose token is in the link. It sends no referrer to
other sites and is not cached, so the link does not leak to other sites or shared computers.
("same-origin", not "no-referrer": with no referrer at all, browsers send "Origin: null" on the
page's own forms and the CSRF check refuses them.)
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import ratelimit

from . import signup, tasks
from .fields import contains
from .forms import CONSENT_TEXT, OwnRecordForm, SignupForm, week_rows
from .models import (
    HOLDING_STATES,
    Offer,
    PointKind,
    ServicePoint,
    SignupState,
    TaskSignup,
    Volunteer,
    VolunteerCode,
    VolunteerState,
    VolunteerTask,
)
from .opening import is_open, today_text

SIGNUPS_PER_IP = 10  # per 10 minutes; a real person needs one or two
OWN_CHANGES_PER_IP = 30  # per 10 minutes on private pages
NEARBY = 40


def private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _coordinate(value: str | None, low: int, high: int) -> float | None:
    try:
        number = float(Decimal(value or ""))
    except (InvalidOperation, ValueError):
        return None
    return number if low <= number <= high else None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine); enough for "which point is nearer"."""
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def points(request: HttpRequest) -> HttpResponse:
    """The points near the phone (when it shares its position), open ones first."""
    qs = ServicePoint.objects.filter(is_active=True)
    kind = request.GET.get("kind", "")
    if kind in PointKind.values:
        qs = qs.filter(kind=kind)
    offer = request.GET.get("offer", "")
    if offer in Offer.values:
        qs = qs.filter(contains("offers", offer))
    lat = _coordinate(request.GET.get("lat"), -90, 90)
    lon = _coordinate(request.GET.get("lon"), -180, 180)
    now = timezone.localtime()
    rows = []
    for p in qs:
        distance = (
            distance_m(lat, lon, float(p.lat), float(p.lon))
            if lat is not None and lon is not None
            else None
        )
        rows.append(
            {
                "point": p,
                "open": is_open(p.hours, now),
                "today": today_text(p.hours, now),
                "week": week_rows(p.hours),
                "distance": distance,
            }
        )
    if lat is not None and lon is not None:
        rows.sort(key=lambda r: (r["distance"], r["point"].name))
    else:
        rows.sort(key=lambda r: (not r["open"], r["point"].kind, r["point"].name))
    return render(
        request,
        "volunteers/public_points.html",
        {
            "rows": rows[:NEARBY],
            "kinds": PointKind.choices,
            "offers": Offer.choices,
            "selected": {"kind": kind, "offer": offer},
            "located": lat is not None and lon is not None,
            "today_index": now.weekday(),
            "now": now,
        },
    )


def join(request: HttpRequest, token: str) -> HttpResponse:
    code = (
        VolunteerCode.objects.filter(token=token, is_active=True)
        .select_related("point", "region")
        .first()
    )
    if code is None:
        raise Http404
    form = SignupForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "code": code}
    if request.method == "POST":
        if not ratelimit.allow(f"vjoin:{ratelimit.client_ip(request)}", SIGNUPS_PER_IP, 600):
            context["limited"] = True
            return render(request, "volunteers/join.html", context, status=429)
        if form.is_valid() and not form.cleaned_data["website"]:
            data = form.cleaned_data
            volunteer, created = signup.register(
                code,
                signup.SignupData(
                    name=data["name"],
                    phone=data["phone"],
                    occupation=data["occupation"],
                    platform=data["platform"],
                    skills=data["skills"],
                    availability=data["availability"],
                    consent_text=str(CONSENT_TEXT),
                ),
            )
            if created:
                # Only the person who made the record is shown its private link.
                request.session["volunteer-welcome"] = volunteer.pk
                return redirect("volunteers_public:me", token=volunteer.token)
            return redirect("volunteers_public:join_done", token=token)
    return render(request, "volunteers/join.html", context)


def join_done(request: HttpRequest, token: str) -> HttpResponse:
    code = get_object_or_404(VolunteerCode, token=token)
    return render(request, "volunteers/join_done.html", {"code": code})


def by_token(view: Any) -> Any:
    """Finds the volunteer of the link; an unknown link is simply not found."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer = Volunteer.objects.filter(token=token).select_related("point", "region").first()
        if volunteer is None:
            raise Http404
        if request.method == "POST" and not ratelimit.allow(
            f"vme:{ratelimit.client_ip(request)}", OWN_CHANGES_PER_IP, 600
        ):
            messages.error(
                request, _("Too many changes from this network. Please try again in ten minutes.")
            )
            return private(redirect("volunteers_public:me", token=token))
        return private(view(request, volunteer, *args, **kwargs))

    return wrapper


@by_token
def me(request: HttpRequest, volunteer: Volunteer) -> HttpResponse:
    welcome = request.session.pop("volunteer-welcome", None) == volunteer.pk
    if volunteer.state == VolunteerState.WITHDRAWN:
        return render(request, "volunteers/me_withdrawn.html", {"volunteer": volunteer})
    now = timezone.now()
    signups = list(
        TaskSignup.objects.filter(volunteer=volunteer)
        .select_related("task")
        .order_by("-task__starts_at")
    )
    upcoming = [s for s in signups if s.task.starts_at > now and s.state in HOLDING_STATES]
    to_report = [
        s
        for s in signups
        if s.task.starts_at <= now
        and s.state in (SignupState.SIGNED_UP, SignupState.ASSIGNED)
        and not s.task.is_cancelled
    ]
    done = [s for s in signups if s.state in (SignupState.SERVED, SignupState.ABSENT)]
    on_tasks = {s.task_id for s in signups if s.state in HOLDING_STATES}
    open_tasks = []
    if volunteer.state == VolunteerState.ACTIVE:
        candidates = tasks.open_tasks(
            VolunteerTask.objects.filter(
                region__path__startswith=(volunteer.region.subdistrict or volunteer.region).path
            )
        ).exclude(pk__in=on_tasks)
        open_tasks = list(candidates.select_related("point")[:20])
    total = sum((s.hours or 0 for s in done), Decimal("0"))
    form = OwnRecordForm(
        initial={"skills": list(volunteer.skills), "availability": list(volunteer.availability)}
    )
    return render(
        request,
        "volunteers/me.html",
        {
            "volunteer": volunteer,
            "welcome": welcome,
            "upcoming": upcoming,
            "to_report": to_report,
            "done": done,
            "open_tasks": open_tasks,
            "total_hours": total,
            "form": form,
            "token": volunteer.token,
        },
    )


@require_POST
@by_token
def me_update(request: HttpRequest, volunteer: Volunteer) -> HttpResponse:
    form = OwnRecordForm(request.POST)
    if form.is_valid():
        try:
            signup.update_own(
                volunteer,
                availability=form.cleaned_data["availability"],
                skills=form.cleaned_data["skills"],
            )
        except signup.VolunteerError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved. Thank you!"))
    else:
        messages.error(request, _("Something in the form could not be read; nothing was changed."))
    return redirect("volunteers_public:me", token=volunteer.token)


@require_POST
@by_token
def me_signup(request: HttpRequest, volunteer: Volunteer, task_pk: int) -> HttpResponse:
    task = get_object_or_404(
        VolunteerTask.objects.filter(
            region__path__startswith=(volunteer.region.subdistrict or volunteer.region).path
        ),
        pk=task_pk,
    )
    try:
        tasks.sign_up(task, volunteer)
    except signup.VolunteerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("You signed up for “%(task)s”. See you there!") % {"task": task}
        )
    return redirect("volunteers_public:me", token=volunteer.token)


def _own_signup(volunteer: Volunteer, pk: int) -> TaskSignup:
    # Only the volunteer's own sign-ups: anyone else's is simply not found.
    return get_object_or_404(TaskSignup.objects.select_related("task"), pk=pk, volunteer=volunteer)


@require_POST
@by_token
def me_cancel(request: HttpRequest, volunteer: Volunteer, pk: int) -> HttpResponse:
    try:
        tasks.cancel(_own_signup(volunteer, pk))
    except signup.VolunteerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your sign-up is cancelled; the place is free for others."))
    return redirect("volunteers_public:me", token=volunteer.token)


@require_POST
@by_token
def me_hours(request: HttpRequest, volunteer: Volunteer, pk: int) -> HttpResponse:
    try:
        tasks.report_hours(_own_signup(volunteer, pk), request.POST.get("hours"))
    except signup.VolunteerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you! Staff will confirm your hours."))
    return redirect("volunteers_public:me", token=volunteer.token)


@by_token
def me_withdraw(request: HttpRequest, volunteer: Volunteer) -> HttpResponse:
    if volunteer.state == VolunteerState.WITHDRAWN:
        return redirect("volunteers_public:me", token=volunteer.token)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you want to withdraw."))
            return redirect("volunteers_public:me_withdraw", token=volunteer.token)
        signup.withdraw(volunteer)
        return redirect("volunteers_public:me", token=volunteer.token)
    return render(request, "volunteers/me_withdraw.html", {"volunteer": volunteer})
