"""The community talents' register (staff only): list, export, detail, entry, history, the
sign-up QR code, and withdrawal on the person's request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.areas.models import Region, RegionLevel
from jiequ.core import views as generic
from jiequ.core.qr import qr_svg
from jiequ.core.scoping import restrict

from . import talents
from .filtersets import TalentFilterSet
from .forms_talents import TalentForm
from .models import Talent

TALENT_COLUMNS = [
    "name",
    "skills",
    "category",
    "region",
    "phone_masked",
    "council_names",
    "project_count",
]
TALENT_EXPORT = [
    "name",
    "phone_masked",
    "skills",
    "category",
    "occupation",
    "region",
    "council_names",
    "project_count",
    "source",
    "consented_on",
    "withdrawn_on",
    "notes",
]


def private_url(request: HttpRequest, talent: Talent) -> str:
    """The absolute private link of a talent's own record ("" while the public pages are not
    wired into the site's URLs)."""
    try:
        return request.build_absolute_uri(reverse("services_public:talent_me", args=[talent.token]))
    except NoReverseMatch:
        return ""


class TalentMixin:
    model = Talent
    url_prefix = "services:talent"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("region").prefetch_related("councils")


class CountedMixin(TalentMixin):
    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .annotate(projects_n=Count("projects", distinct=True))
            .order_by("name", "pk")
        )


class TalentListView(CountedMixin, generic.ObjectListView):
    filterset_class = TalentFilterSet
    columns = TALENT_COLUMNS
    template_name = "services/talent_list.html"


class TalentExportView(CountedMixin, generic.ObjectExportView):
    filterset_class = TalentFilterSet
    columns = TALENT_EXPORT
    basename = "talents"


class TalentDetailView(TalentMixin, generic.ObjectDetailView):
    template_name = "services/talent_detail.html"
    fields = [*TALENT_EXPORT[1:11], "entered_by", "consent_text"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        talent, user = self.object, self.request.user
        context.update(
            councils=talent.councils.all(),
            projects=restrict(talent.projects.all(), user),
            private_url=private_url(self.request, talent) if talent.is_active else "",
        )
        return context


class TalentEditView(TalentMixin, generic.ObjectEditView):
    form_class = TalentForm


class TalentHistoryView(TalentMixin, generic.ObjectHistoryView):
    pass


@login_required
@permission_required("services.change_talent", raise_exception=True)
@require_POST
def talent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """On the person's request (by phone, in person): off the register, phone erased."""
    talent = get_object_or_404(restrict(Talent.objects.all(), request.user, "change"), pk=pk)
    talents.withdraw(talent)
    messages.success(request, _("“%(name)s” has left the register.") % {"name": talent})
    return redirect(talent)


@login_required
@permission_required("services.add_talent", raise_exception=True)
def talent_invite(request: HttpRequest) -> HttpResponse:
    """The sign-up QR code of a subdistrict or area, to print or show on a phone."""
    regions = restrict(
        Region.objects.filter(level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA]),
        request.user,
        "view",
    ).filter(path__startswith=request.user.scope_region.path if request.user.scope_region else "/")
    chosen = regions.filter(pk=request.GET.get("region") or 0).first() or regions.first()
    context: dict[str, Any] = {"regions": regions, "region": chosen}
    if chosen is not None:
        invite = talents.invite_for(chosen, created_by=request.user)
        try:
            url = request.build_absolute_uri(
                reverse("services_public:talent_join", args=[invite.token])
            )
        except NoReverseMatch:
            url = ""
        context.update(url=url, qr=qr_svg(url) if url else "")
    return render(request, "services/talent_invite.html", context)
