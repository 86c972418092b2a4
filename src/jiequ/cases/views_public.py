"""The public phone pages (no account): a shop owner scans the demand code on the contact card,
sends a demand, and follows it through a private link; once it is closed they rate the result.

Nothing here needs a login. The code's token and the case's follow token are unguessable
(`secrets.token_urlsafe`); submissions are rate-limited per address and per code; the same
demand sent twice (a double tap, a reload that posts again, the same text again within
SUBMISSION_WINDOW) makes one case.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiequ.core import ratelimit

from . import workflow
from .forms_public import CONSENT_TEXT, PublicDemandForm, RatingForm
from .models import Case, DemandCode, Level, Source, State
from .services import create_case

DEMANDS_PER_ADDRESS = 5  # per address and code in WINDOW: a person needs one or two
DEMANDS_PER_CODE = 30  # per code in WINDOW, from anywhere: a card photographed and spread
RATINGS_PER_ADDRESS = 10
WINDOW = 600  # seconds
SUBMISSION_WINDOW = 600  # the same text again within this many seconds is the same demand

REPORTER = "反映人"  # the timeline's actor for what the reporter does (no account)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/public_not_found.html", status=404)


def submission_key(code: DemandCode, category_id: int, description: str, at: float) -> str:
    """The fingerprint of a demand within its time slot: the code, the category and the text
    without spacing differences (a re-post and a double tap send exactly the same)."""
    text = "".join(unicodedata.normalize("NFKC", description).split())
    slot = int(at // SUBMISSION_WINDOW)
    raw = f"{code.token}|{category_id}|{text}|{slot}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _earlier_submission(code: DemandCode, category_id: int, description: str, now: float):
    """The case this demand already made in this time slot or the previous one, if any (so a
    repeat just across a slot boundary is still one case)."""
    keys = [
        submission_key(code, category_id, description, at) for at in (now, now - SUBMISSION_WINDOW)
    ]
    return Case.objects.filter(submission_key__in=keys).order_by("pk").first()


def _title(category, description: str) -> str:
    first = description.split("。")[0].strip()
    short = first if len(first) <= 30 else first[:29] + "…"
    return f"{category.name}：{short}"[:100]


def demand(request: HttpRequest, token: str) -> HttpResponse:
    code = (
        DemandCode.objects.filter(token=token, is_active=True)
        .select_related("entity", "region", "organisation")
        .first()
    )
    if code is None:
        return _not_found(request)
    form = PublicDemandForm(request.POST or None, request.FILES or None)
    context = {"form": form, "code": code, "place": code.entity or code.region}
    if request.method != "POST":
        return render(request, "cases/public_demand.html", context)
    if not form.is_valid():
        return render(request, "cases/public_demand.html", context, status=400)
    data = form.cleaned_data
    if data["website"]:
        return _not_found(request)  # a bot: say nothing useful
    now = time.time()
    earlier = _earlier_submission(code, data["category"].pk, data["description"], now)
    if earlier is not None:
        return redirect(_follow_url(earlier, new=True))
    ip = ratelimit.client_ip(request)
    if not (
        ratelimit.allow(f"demand:{ip}:{code.pk}", DEMANDS_PER_ADDRESS, WINDOW)
        and ratelimit.allow(f"demand-code:{code.pk}", DEMANDS_PER_CODE, WINDOW)
    ):
        context["limited"] = True
        return render(request, "cases/public_demand.html", context, status=429)
    consented = bool(data["consent"] and (data["reporter_name"] or data["phone"]))
    try:
        case, _created = create_case(
            source=Source.QR,
            category=data["category"],
            title=_title(data["category"], data["description"]),
            description=data["description"],
            entity=code.entity,
            region=None if code.entity_id else code.region,
            organisation=code.organisation,
            reporter_name=data["reporter_name"] if consented else "",
            phone=data["phone"] if consented else "",
            consent_text=str(CONSENT_TEXT) if consented else "",
            code=code,
            submission_key=submission_key(code, data["category"].pk, data["description"], now),
            photos=data["photos"],
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return render(request, "cases/public_demand.html", context, status=400)
    return redirect(_follow_url(case, new=True))


def _add_errors(form: PublicDemandForm, exc: ValidationError) -> None:
    """Put the service's refusals on the form: next to the field when it is one of ours."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _follow_url(case: Case, *, new: bool = False) -> str:
    url = reverse("cases_public:follow", args=[case.follow_token])
    return f"{url}?new=1" if new else url


# ---- following a demand


PLAIN_STATE = {
    State.RECEIVED: gettext_lazy("Received: it will be looked at shortly."),
    State.ASSIGNED: gettext_lazy("Someone has been put in charge of it."),
    State.IN_PROGRESS: gettext_lazy("It is being handled."),
    State.RESOLVED: gettext_lazy("Handled: the result is being checked."),
    State.CLOSED: gettext_lazy("Done: the demand is closed."),
    State.RETURNED: gettext_lazy("It is being handled again."),
    State.REOPENED: gettext_lazy("It has been reopened and is being handled again."),
    State.SUSPENDED: gettext_lazy("Handling is paused."),
}

PLAIN_LEVEL = {
    Level.BRANCH: gettext_lazy("Your street's Party branch is handling it."),
    Level.COUNCIL: gettext_lazy("A council of the street is deliberating on it."),
    Level.GRID: gettext_lazy("The grid is working on it with the departments concerned."),
    Level.DISTRICT: gettext_lazy("It has been passed to the district city-operations platform."),
}

PLAIN_ACTION = {
    "receive": gettext_lazy("Demand received"),
    "assign": gettext_lazy("Someone was put in charge"),
    "start": gettext_lazy("Handling started"),
    "resolve": gettext_lazy("Handled"),
    "close": gettext_lazy("Checked and closed"),
    "return": gettext_lazy("Sent back to be handled again"),
    "reopen": gettext_lazy("Reopened"),
    "suspend": gettext_lazy("Paused"),
    "resume": gettext_lazy("Handling resumed"),
    "escalate": gettext_lazy("Passed on to"),
    "rate": gettext_lazy("You rated the result"),
}

# The reporter sees the reason only for these (the others are notes between handlers).
REASON_SHOWN = {"resolve", "suspend", "reopen", "rate"}


def _timeline(case: Case) -> list[dict]:
    entries = []
    for event in case.events.filter(is_public=True).order_by("at", "pk"):
        what = str(PLAIN_ACTION.get(event.action, event.action))
        if event.action == "escalate" and event.to_level:
            what = f"{what}{Level(event.to_level).label}"
        entries.append(
            {
                "at": event.at,
                "what": what,
                "note": event.reason if event.action in REASON_SHOWN else "",
                "done": event.to_state == State.CLOSED,
            }
        )
    return entries


def _case_by_follow_token(token: str) -> Case | None:
    return (
        Case.objects.filter(follow_token=token)
        .select_related("category", "category__parent", "entity", "region", "organisation")
        .first()
    )


def follow(request: HttpRequest, token: str) -> HttpResponse:
    case = _case_by_follow_token(token)
    if case is None:
        return _not_found(request)
    return _render_follow(request, case, RatingForm())


def _render_follow(
    request: HttpRequest, case: Case, rating_form: RatingForm, status: int = 200, error: str = ""
) -> HttpResponse:
    open_ = case.state not in (State.RESOLVED, State.CLOSED, State.SUSPENDED)
    context = {
        "case": case,
        "new": request.GET.get("new") == "1",
        "follow_url": request.build_absolute_uri(
            reverse("cases_public:follow", args=[case.follow_token])
        ),
        "plain_state": PLAIN_STATE.get(case.state, case.get_state_display()),
        "plain_level": PLAIN_LEVEL.get(case.level, "") if case.state != State.CLOSED else "",
        "due_on": case.due_on if open_ else None,
        "timeline": _timeline(case),
        "photo_count": case.photos.count(),
        "can_rate": case.state == State.CLOSED and case.rated_at is None,
        "rating_form": rating_form,
        "rating_error": error,
        "stars": range(1, 6),
    }
    return render(request, "cases/public_follow.html", context, status=status)


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    case = _case_by_follow_token(token)
    if case is None:
        return _not_found(request)
    form = RatingForm(request.POST)
    if not ratelimit.allow(f"rate:{ratelimit.client_ip(request)}", RATINGS_PER_ADDRESS, WINDOW):
        return _render_follow(
            request,
            case,
            form,
            status=429,
            error=_("Too many tries from this network. Please try again in ten minutes."),
        )
    if not form.is_valid():
        return _render_follow(request, case, form, status=400)
    try:
        workflow.apply(
            case,
            "rate",
            actor_label=REPORTER,
            rating=form.cleaned_data["rating"],
            rating_comment=form.cleaned_data["rating_comment"],
        )
    except workflow.TransitionRefused as exc:
        case.refresh_from_db()
        return _render_follow(request, case, form, status=409, error=exc.message)
    return redirect(f"{_follow_url(case)}#rating")
