"""Demand codes for staff: make the code of a shop (or an area), see its QR code (SVG, PNG),
print the contact card, retire a lost one. Everything is scoped like the ledger."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.qr import qr_png, qr_svg
from jiequ.core.scoping import can, organisation_in_scope, restrict
from jiequ.ledger.models import Entity
from jiequ.party.models import Organisation

from . import codes
from .models import Case, DemandCode

SEARCH_RESULTS = 20


def _codes(user):
    return restrict(DemandCode.objects.select_related("entity", "region", "organisation"), user)


def public_url(request: HttpRequest, code: DemandCode) -> str:
    return request.build_absolute_uri(reverse("cases_public:demand", args=[code.token]))


@login_required
@permission_required("cases.view_demandcode", raise_exception=True)
def code_list(request: HttpRequest) -> HttpResponse:
    qs = _codes(request.user).annotate(case_count=Count("cases")).order_by("-created_at", "-pk")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(entity__name__icontains=q)
            | Q(entity__sign_name__icontains=q)
            | Q(entity__address__icontains=q)
            | Q(region__name__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    active = request.GET.get("active", "")
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/code_list.html",
        {
            "page_obj": page,
            "codes": page.object_list,
            "q": q,
            "active": active,
            "querystring": params.urlencode(),
            "can_add": request.user.has_perm("cases.add_demandcode"),
        },
    )


def _areas(user):
    return restrict(
        Region.objects.filter(level__in=[RegionLevel.AREA, RegionLevel.GRID]), user
    ).order_by("path")


def _organisations(user):
    return restrict(Organisation.objects.filter(dissolved_on__isnull=True), user).order_by("name")


def _chosen_organisation(request: HttpRequest) -> tuple[Organisation | None, bool]:
    """The branch picked in the form (None: not picked), and whether the pick is acceptable."""
    pk = request.POST.get("organisation", "")
    if not pk:
        return None, True
    organisation = _organisations(request.user).filter(pk=pk).first() if pk.isdigit() else None
    if organisation is None or not organisation_in_scope(request.user, organisation):
        return None, False
    return organisation, True


@login_required
@permission_required("cases.add_demandcode", raise_exception=True)
def code_add(request: HttpRequest) -> HttpResponse:
    """Search a shop and make its code, or make the code of an area or grid."""
    user = request.user
    if request.method == "POST":
        organisation, ok = _chosen_organisation(request)
        if not ok:
            messages.error(request, _("Choose a branch in your area of work."))
            return redirect("cases:code_add")
        if request.POST.get("entity"):
            entity = get_object_or_404(
                restrict(Entity.objects.all(), user), pk=request.POST["entity"]
            )
            code, created = codes.code_for(entity=entity, organisation=organisation)
        else:
            region = get_object_or_404(_areas(user), pk=request.POST.get("region") or 0)
            code, created = codes.code_for(region=region, organisation=organisation)
        if created:
            messages.success(request, _("Made the demand code of “%(obj)s”.") % {"obj": code})
        else:
            messages.success(
                request, _("“%(obj)s” already has a demand code: here it is.") % {"obj": code}
            )
        return redirect("cases:code_detail", pk=code.pk)
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        entities = (
            restrict(Entity.objects.all(), user)
            .filter(
                Q(name__icontains=q)
                | Q(sign_name__icontains=q)
                | Q(address__icontains=q)
                | Q(credit_code__iexact=q)
            )
            .select_related("region")
            .order_by("sign_name", "name")[:SEARCH_RESULTS]
        )
        coded = set(
            DemandCode.objects.filter(entity__in=entities, is_active=True).values_list(
                "entity_id", flat=True
            )
        )
        results = [(e, e.pk in coded) for e in entities]
    return render(
        request,
        "cases/code_add.html",
        {
            "q": q,
            "results": results,
            "areas": _areas(user),
            "organisations": _organisations(user),
            "limit": SEARCH_RESULTS,
        },
    )


@login_required
@permission_required("cases.view_demandcode", raise_exception=True)
def code_detail(request: HttpRequest, pk: int) -> HttpResponse:
    code = get_object_or_404(_codes(request.user), pk=pk)
    url = public_url(request, code)
    recent = (
        restrict(Case.objects.filter(code=code), request.user)
        .select_related("category")
        .order_by("-received_at")[:10]
    )
    return render(
        request,
        "cases/code_detail.html",
        {
            "code": code,
            "url": url,
            "qr": qr_svg(url),
            "recent": recent,
            "case_count": code.cases.count(),
            "can_change": can(request.user, "change", code),
            "organisations": _organisations(request.user),
        },
    )


@login_required
@permission_required("cases.view_demandcode", raise_exception=True)
def code_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    code = get_object_or_404(_codes(request.user), pk=pk)
    url = public_url(request, code)
    if fmt == "svg":
        response = HttpResponse(qr_svg(url, scale=10), content_type="image/svg+xml")
    elif fmt == "png":
        response = HttpResponse(qr_png(url), content_type="image/png")
    else:
        raise Http404
    response["Content-Disposition"] = f'inline; filename="demand-code-{code.pk}.{fmt}"'
    return response


@login_required
@permission_required("cases.change_demandcode", raise_exception=True)
@require_POST
def code_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire a code (a lost or replaced card), bring it back, or change its branch."""
    code = get_object_or_404(restrict(DemandCode.objects.all(), request.user, "change"), pk=pk)
    if "organisation" in request.POST:
        organisation, ok = _chosen_organisation(request)
        if not ok:
            messages.error(request, _("Choose a branch in your area of work."))
            return redirect("cases:code_detail", pk=pk)
        code.organisation = organisation
        code.save(update_fields=["organisation", "updated_at"])
        messages.success(request, _("Saved “%(obj)s”.") % {"obj": code})
        return redirect("cases:code_detail", pk=pk)
    activate = request.POST.get("active") == "1"
    if activate and not code.is_active:
        twin = DemandCode.objects.filter(
            is_active=True,
            entity=code.entity,
            **({} if code.entity_id else {"region": code.region}),
        ).exclude(pk=code.pk)
        if twin.exists():
            messages.error(
                request,
                _("“%(obj)s” has another active demand code; retire that one first.")
                % {"obj": code},
            )
            return redirect("cases:code_detail", pk=pk)
    code.is_active = activate
    code.save(update_fields=["is_active", "updated_at"])
    if activate:
        messages.success(request, _("The demand code works again."))
    else:
        messages.success(
            request, _("The demand code is retired: its QR code now leads to a “not found” page.")
        )
    return redirect("cases:code_detail", pk=pk)
