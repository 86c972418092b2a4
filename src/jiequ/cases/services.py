"""Making cases, and the lists everyone asks for (overdue, due soon).

`create_case` is the one way a case comes into being — from the staff form, the API, the
public demand page, a council's decision or the demo — so every case gets a grid, a branch
when one can be found, a number, a due date and its first timeline entry the same way.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.areas.services import find_grid
from jiequ.core.scoping import organisation_in_scope, region_in_scope, restrict
from jiequ.core.validators import normalise_phone

from . import deadlines, numbering
from . import photos as photo_checks
from .models import (
    OPEN_STATES,
    Case,
    CaseCategory,
    CaseEvent,
    CasePhoto,
    Level,
    RequestType,
    Source,
    State,
)
from .workflow import Action

# The kinds of coverage a branch has over a shop, the one that answers its demands first.
COVERAGE_PREFERENCE = ["own", "joint", "attached", "area"]
NUMBER_ATTEMPTS = 5


def branch_for_entity(entity: Any) -> Any:
    """The Party organisation that answers a shop's demands: the one covering it (its own
    branch first, then a joint one, an attached one, the street-block branch)."""
    from jiequ.party.models import CoverageLink

    links = list(
        CoverageLink.objects.filter(entity=entity, organisation__dissolved_on__isnull=True)
        .select_related("organisation")
        .order_by("pk")
    )
    links.sort(
        key=lambda link: (
            COVERAGE_PREFERENCE.index(link.kind) if link.kind in COVERAGE_PREFERENCE else 99
        )
    )
    return links[0].organisation if links else None


def _coordinate(value: Any, limit: int) -> Decimal | None:
    """A latitude or longitude as stored (6 decimals, about 0.1 m), or None when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("“%(value)s” is not a coordinate.") % {"value": value}) from exc
    if not -limit <= number <= limit:
        raise ValidationError(_("“%(value)s” is not a coordinate.") % {"value": value})
    return number


def _locate(entity: Any, lat: Any, lon: Any, region: Any) -> Any:
    if entity is not None:
        return entity.region
    if lat not in (None, "") and lon not in (None, ""):
        grid = find_grid(lat, lon)
        if grid is not None:
            return grid
        if region is None:
            raise ValidationError(
                _("The point (%(lat)s, %(lon)s) lies in no grid of the subdistrict.")
                % {"lat": lat, "lon": lon},
                code="outside",
            )
    if region is None:
        raise ValidationError(
            _("Say where the demand is: choose the shop or place it on the map."), code="where"
        )
    return region


def create_case(
    *,
    source: str,
    category: CaseCategory,
    title: str,
    description: str,
    entity: Any = None,
    lat: Any = None,
    lon: Any = None,
    address: str = "",
    region: Any = None,
    organisation: Any = None,
    request_type: str = RequestType.REQUEST,
    reporter_name: str = "",
    phone: str = "",
    consent_text: str = "",
    user: Any = None,
    code: Any = None,
    submission_key: str = "",
    photos: Iterable[Any] = (),
    council: Any = None,
    level: str = Level.BRANCH,
    received_at: datetime | None = None,
) -> tuple[Case, bool]:
    """Record a new case, or return the existing one for a repeated `submission_key`.

    Raises ValidationError (Chinese first) for anything that cannot be saved; nothing is saved
    then. With a `user`, the place and the branch must lie in their scope.
    """
    submission_key = (submission_key or "").strip()[:64]
    if submission_key:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        fail("title", _("Give the demand a short title."))
    if not description:
        fail("description", _("Describe the demand."))
    if category is None:
        fail("category", _("Choose a category."))
    elif not category.is_active:
        fail("category", _("The category “%(name)s” is no longer used.") % {"name": category})
    if source not in Source.values:
        fail("source", _("Choose where the demand came from."))
    if request_type not in RequestType.values:
        fail("request_type", _("Choose the kind of request."))
    if level not in Level.values:
        fail("level", _("“%(level)s” is not a level.") % {"level": level})
    elif level == Level.COUNCIL and council is None:
        fail("council", _("A case held by a council needs the council."))
    reporter_name = (reporter_name or "").strip()[:50]
    phone = (phone or "").strip()
    consent_text = (consent_text or "").strip()
    e164 = ""
    if phone:
        try:
            e164 = normalise_phone(phone)
        except ValidationError as exc:
            fail("phone", exc.messages[0])
    if (reporter_name or phone) and not consent_text:
        fail(
            "consent",
            _(
                "The reporter's name and phone are kept only with their consent: read them the "
                "consent text and tick the box, or leave name and phone empty."
            ),
        )
    try:
        lat, lon = _coordinate(lat, 90), _coordinate(lon, 180)
    except ValidationError as exc:
        fail("lat", exc.messages[0])
        lat = lon = None
    if (lat is None) != (lon is None):
        fail("lat", _("Give both latitude and longitude, or neither."))
        lat = lon = None
    try:
        grid = _locate(entity, lat, lon, region)
    except ValidationError as exc:
        fail("lat", exc.messages[0])
        grid = None
    if organisation is None and entity is not None:
        organisation = branch_for_entity(entity)
    if organisation is None and user is not None and getattr(user, "scope_organisation_id", None):
        organisation = user.scope_organisation
    if user is not None and not user.is_superuser:
        if entity is not None and not restrict(type(entity).objects.filter(pk=entity.pk), user):
            fail("entity", _("This shop is outside your area of work."))
        if grid is not None and not region_in_scope(user, grid):
            fail("lat", _("The place is outside your area of work."))
        ids = user.organisation_scope_ids()
        if (
            organisation is not None
            and ids is not None
            and not organisation_in_scope(user, organisation)
        ):
            fail("organisation", _("“%(org)s” is not your branch.") % {"org": organisation})
    photo_list = [p for p in photos if p]
    try:
        photo_list = photo_checks.validate_photos(photo_list)
    except ValidationError as exc:
        for message in exc.messages:
            fail("photos", message)
    if errors:
        raise ValidationError(errors)

    received_at = received_at or timezone.now()
    day = timezone.localdate(received_at)
    case = Case(
        source=source,
        request_type=request_type,
        category=category,
        title=title[:100],
        description=description,
        entity=entity,
        lat=lat,
        lon=lon,
        address=(address or "").strip()[:200] or (getattr(entity, "address", "") or ""),
        region=grid,
        level=level,
        organisation=organisation,
        council=council,
        state=State.RECEIVED,
        received_at=received_at,
        level_since=received_at,
        due_on=deadlines.due_date(day, request_type, level, category),
        reporter_name=reporter_name,
        consent_text=consent_text if (reporter_name or e164) else "",
        consent_at=timezone.now() if (reporter_name or e164) else None,
        submission_key=submission_key,
        code=code,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    if e164:
        case.set_phone(e164)
    case._change_reason = _("Received")
    if user is not None and user.is_authenticated:
        case._history_user = user
    for _attempt in range(NUMBER_ATTEMPTS):
        case.number = numbering.next_number(day)
        case.follow_token = secrets.token_urlsafe(18)
        try:
            with transaction.atomic():
                case.save()
                CaseEvent.objects.create(
                    case=case,
                    at=received_at,
                    actor=case.created_by,
                    actor_label=_("Reporter") if case.created_by is None else "",
                    action=Action.RECEIVE,
                    to_state=State.RECEIVED,
                    to_level=level,
                    reason=Source(source).label,
                )
                for upload in photo_list:
                    CasePhoto.objects.create(case=case, image=upload, uploaded_by=case.created_by)
        except IntegrityError:
            case.pk = None
            if submission_key:
                existing = Case.objects.filter(submission_key=submission_key).first()
                if existing is not None:
                    return existing, False
            continue
        return case, True
    raise ValidationError(_("The case could not be numbered; please try again."), code="number")


def add_photos(case: Case, files: Iterable[Any], user: Any = None) -> list[CasePhoto]:
    """Attach more photos to a case (at most 4 in all); checked as on creation."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        files = photo_checks.validate_photos(list(files), already=locked.photos.count())
        return [CasePhoto.objects.create(case=locked, image=f, uploaded_by=user) for f in files]


# ---- the lists


def overdue(queryset: models.QuerySet, today: date | None = None) -> models.QuerySet:
    """Cases past their due date at their current level that someone is still working on.

    Suspended cases are not overdue (their due date moves on when they resume); resolved ones
    wait for verification, not for the handler.
    """
    today = today or timezone.localdate()
    return queryset.filter(state__in=OPEN_STATES, due_on__lt=today)


def due_soon(queryset: models.QuerySet, today: date | None = None) -> models.QuerySet:
    """Open cases due today or on the next working day."""
    today = today or timezone.localdate()
    return queryset.filter(
        state__in=OPEN_STATES,
        due_on__gte=today,
        due_on__lte=deadlines.next_working_day(today),
    )


def search(queryset: models.QuerySet, text: str) -> models.QuerySet:
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(number__icontains=text)
        | Q(title__icontains=text)
        | Q(description__icontains=text)
        | Q(address__icontains=text)
        | Q(entity__name__icontains=text)
        | Q(entity__sign_name__icontains=text)
    )


# ---- the daily reminder


def _secretaries_by_organisation() -> dict[int, list[Any]]:
    """Active branch secretaries, under each organisation whose cases they keep (theirs and
    every organisation below it)."""
    from jiequ.accounts.models import User
    from jiequ.accounts.roles import Role

    result: dict[int, list[Any]] = {}
    secretaries = User.objects.filter(
        role=Role.BRANCH_SECRETARY, is_active=True, scope_organisation__isnull=False
    ).select_related("scope_organisation", "scope_region")
    for secretary in secretaries:
        for organisation_id in secretary.organisation_scope_ids() or []:
            result.setdefault(organisation_id, []).append(secretary)
    return result


def _grid_workers_for(case: Case, workers: list[Any]) -> list[Any]:
    path = case.region.path
    return [w for w in workers if w.scope_region_id and path.startswith(w.scope_region.path)]


def reminders(today: date | None = None) -> dict[str, dict[str, Any]]:
    """Who is reminded of what today: {username: {"user", "overdue": [cases], "due_soon": […]}}.

    Each assigned case goes to its assignee; an unassigned case at the branch or a council goes
    to the secretaries of its branch, and one at the grid consultation to the grid workers of
    its grid. Cases at the district platform wait for the platform, not for a person here.
    """
    from jiequ.accounts.models import User
    from jiequ.accounts.roles import Role

    today = today or timezone.localdate()
    base = Case.objects.select_related("region", "assignee", "organisation").order_by("due_on")
    buckets = {"overdue": overdue(base, today), "due_soon": due_soon(base, today)}
    secretaries = _secretaries_by_organisation()
    workers = list(
        User.objects.filter(role=Role.GRID_WORKER, is_active=True).select_related("scope_region")
    )
    result: dict[str, dict[str, Any]] = {}

    def add(user: Any, bucket: str, case: Case) -> None:
        entry = result.setdefault(user.username, {"user": user, "overdue": [], "due_soon": []})
        if case not in entry[bucket]:
            entry[bucket].append(case)

    for bucket, cases in buckets.items():
        for case in cases:
            if case.assignee_id is not None:
                if case.assignee.is_active:
                    add(case.assignee, bucket, case)
                continue
            if case.level in (Level.BRANCH, Level.COUNCIL) and case.organisation_id:
                for secretary in secretaries.get(case.organisation_id, []):
                    add(secretary, bucket, case)
            elif case.level == Level.GRID:
                for worker in _grid_workers_for(case, workers):
                    add(worker, bucket, case)
    return result
