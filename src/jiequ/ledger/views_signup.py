"""The public sign-up page behind the QR code, posters, and the staff review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.models import Building, Region, RegionLevel
from jiequ.core import ratelimit
from jiequ.core import views as generic
from jiequ.core.scoping import organisation_in_scope, restrict
from jiequ.members.services import MemberError
from jiequ.party.models import Organisation

from . import signup
from .filtersets import RegistrationFilterSet
from .forms_signup import CONSENT_TEXT, SignupForm
from .models import Entity, MemberRegistration, SignupCode

SIGNUPS_PER_IP = 10  # per 10 minutes; a real person needs one or two


def join(request: HttpRequest, token: str) -> HttpResponse:
    code = (
        SignupCode.objects.filter(token=token, is_active=True)
        .select_related("entity", "building", "region")
        .first()
    )
    if code is None:
        raise Http404
    form = SignupForm(request.POST or None, initial={"workplace": code.workplace})
    if request.method == "POST":
        if not ratelimit.allow(f"join:{ratelimit.client_ip(request)}", SIGNUPS_PER_IP, 600):
            return render(
                request,
                "ledger/join.html",
                {"form": form, "code": code, "limited": True},
                status=429,
            )
        if form.is_valid() and not form.cleaned_data["website"]:
            data = form.cleaned_data
            signup.register(
                code,
                signup.RegistrationData(
                    name=data["name"],
                    phone=data["phone"],
                    record_organisation=data["record_organisation"],
                    record_province=data["record_province"],
                    record_city=data["record_city"],
                    membership=data["membership"],
                    workplace=data["workplace"],
                    consent_text=str(CONSENT_TEXT),
                ),
            )
            return redirect("join_done", token=token)
    return render(request, "ledger/join.html", {"form": form, "code": code})


def join_done(request: HttpRequest, token: str) -> HttpResponse:
    code = get_object_or_404(SignupCode, token=token)
    return render(request, "ledger/join_done.html", {"code": code})


@login_required
@permission_required("ledger.add_signupcode", raise_exception=True)
@require_POST
def code_create(request: HttpRequest) -> HttpResponse:
    """Make (or find) the code of an entity, building or area the user can see."""
    user = request.user
    if "entity" in request.POST:
        target = get_object_or_404(restrict(Entity.objects.all(), user), pk=request.POST["entity"])
    elif "building" in request.POST:
        target = get_object_or_404(
            restrict(Building.objects.all(), user), pk=request.POST["building"]
        )
    else:
        target = get_object_or_404(
            restrict(Region.objects.filter(level__in=[RegionLevel.AREA, RegionLevel.GRID]), user),
            pk=request.POST.get("area"),
        )
    code = signup.code_for(target, created_by=user)
    return redirect("ledger:code_poster", pk=code.pk)


@login_required
@permission_required("ledger.view_signupcode", raise_exception=True)
def code_poster(request: HttpRequest, pk: int) -> HttpResponse:
    code = get_object_or_404(restrict(SignupCode.objects.all(), request.user), pk=pk)
    url = request.build_absolute_uri(reverse("join", args=[code.token]))
    response = HttpResponse(signup.poster_pdf(code, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="signup-code-{code.pk}.pdf"'
    return response


class RegistrationListView(generic.ObjectListView):
    model = MemberRegistration
    url_prefix = "ledger:registration"
    filterset_class = RegistrationFilterSet
    columns = ["name", "membership", "record_organisation", "workplace", "state", "updated_at"]
    template_name = "ledger/registration_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("code", "reviewed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Areas and grids a poster can be printed for (posters for a whole area or grid).
        context["review_organisations"] = review_organisations(self.request.user)
        context["poster_regions"] = restrict(
            Region.objects.filter(level__in=[RegionLevel.AREA, RegionLevel.GRID]),
            self.request.user,
        )
        return context


def review_organisations(user):
    """Organisations a reviewer may make a confirmed registrant a member of."""
    return Organisation.objects.restrict(user).filter(dissolved_on__isnull=True)


def _review_organisation(request: HttpRequest) -> Organisation | None:
    pk = request.POST.get("organisation", "")
    if not pk.isdigit():
        return None
    organisation = review_organisations(request.user).filter(pk=pk).first()
    if organisation is None or not organisation_in_scope(request.user, organisation):
        return None
    return organisation


@login_required
@require_POST
def registration_review(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(
        restrict(MemberRegistration.objects.all(), request.user, "change"), pk=pk
    )
    confirm = request.POST.get("decision") == "confirm"
    organisation = None
    if confirm:
        organisation = _review_organisation(request)
        if organisation is None:
            messages.error(
                request,
                _("Choose the organisation where “%(name)s” takes part, then confirm.")
                % {"name": registration.name},
            )
            return redirect("ledger:registration_list")
    try:
        signup.review(registration, confirm=confirm, by=request.user, organisation=organisation)
    except MemberError as exc:
        messages.error(request, str(exc))
        return redirect("ledger:registration_list")
    messages.success(
        request,
        (_("Confirmed “%(name)s”.") if confirm else _("Rejected “%(name)s”."))
        % {"name": registration.name},
    )
    return redirect("ledger:registration_list")
