"""Organisation pages: list with rule flags, detail with findings, committee and coverage,
add/edit, delete, export, history, and the terms page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core import views as generic
from jiequ.core.columns import field_label
from jiequ.core.exports import rows_response
from jiequ.core.scoping import organisation_in_scope, restrict

from . import checks
from .filtersets import OrganisationFilterSet
from .forms import ORGANISATION_FIELDS, OrganisationForm
from .models import INSIDE_ORIGINS, CoverageLink, Officer, OfficerRole, Organisation, Origin

ROLE_ORDER = {role: i for i, role in enumerate(OfficerRole.values)}


class OrganisationMixin:
    model = Organisation
    url_prefix = "party:organisation"

    def get_queryset(self):
        return checks.annotate_facts(super().get_queryset().select_related("region", "parent"))


def flag_text(findings: list[checks.Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    parts = []
    if errors:
        parts.append(_("%(n)d broken") % {"n": errors})
    if warnings:
        parts.append(_("%(n)d warnings") % {"n": warnings})
    return " · ".join(parts) or _("in order")


LIST_HEADERS = [
    ("name", None),
    ("level", None),
    ("category", None),
    ("region", None),
    ("parent", None),
    (None, "full members"),
    (None, "probationary members"),
    ("term_ends_on", None),
    (None, "rule check"),
]


def _headers(names: list[tuple[str | None, str | None]]) -> list[str]:
    labels = {
        "full members": _("full members"),
        "probationary members": _("probationary members"),
        "covered units": _("covered units"),
        "committee posts": _("committee posts"),
        "rule check": _("rule check"),
    }
    return [field_label(Organisation, f) if f else labels[label] for f, label in names]


class OrganisationListView(OrganisationMixin, generic.ObjectListView):
    filterset_class = OrganisationFilterSet

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        found = checks.check_many(page)
        context["headers"] = _headers(LIST_HEADERS)
        context["rows"] = [
            (
                org,
                [
                    org.name,
                    org.get_level_display(),
                    org.get_category_display(),
                    str(org.region),
                    str(org.parent) if org.parent_id else "",
                    org.full_member_count,
                    org.probationary_member_count,
                    org.term_ends_on,
                    flag_text(found[org.pk]),
                ],
            )
            for org in page
        ]
        return context


class OrganisationDetailView(OrganisationMixin, generic.ObjectDetailView):
    template_name = "party/organisation_detail.html"
    fields = [f for f in ORGANISATION_FIELDS if f != "notes"] + ["term_ends_on", "notes"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org, user = self.object, self.request.user
        facts = checks.facts_of(org)
        in_scope = organisation_in_scope(user, org)
        officers = list(
            restrict(Officer.objects.filter(organisation=org), user)
            .select_related("member", "member__organisation", "cadre", "entity")
            .order_by("-started_on")
        )
        officers.sort(key=lambda o: (ROLE_ORDER.get(o.role, 99), o.started_on))
        current = [o for o in officers if o.is_current]
        context.update(
            facts=facts,
            findings=checks.check_organisation(org, facts),
            children=checks.annotate_facts(
                restrict(org.children.all(), user).select_related("region")
            ),
            links=restrict(CoverageLink.objects.filter(organisation=org), user).select_related(
                "entity"
            ),
            current_officers=current,
            past_officers=[o for o in officers if not o.is_current],
            mix=committee_mix(current),
            can_add_link=in_scope and user.has_perm("party.add_coveragelink"),
            can_delete_link=in_scope and user.has_perm("party.delete_coveragelink"),
            can_add_officer=in_scope and user.has_perm("party.add_officer"),
            can_change_officer=in_scope and user.has_perm("party.change_officer"),
            can_view_cadres=user.has_perm("party.view_cadre"),
            can_view_members=user.has_perm("members.view_member"),
        )
        return context


def committee_mix(officers: list[Officer]) -> dict[str, Any]:
    """How many current posts are held from inside and outside, and from where."""
    total = len(officers)
    inside = sum(o.origin in INSIDE_ORIGINS for o in officers)
    by_origin = []
    for value, label in Origin.choices:
        n = sum(o.origin == value for o in officers)
        if n:
            by_origin.append((label, n, round(100 * n / total)))
    return {
        "total": total,
        "inside": inside,
        "outside": total - inside,
        "inside_share": round(100 * inside / total) if total else 0,
        "outside_share": round(100 * (total - inside) / total) if total else 0,
        "by_origin": by_origin,
    }


class OrganisationEditView(OrganisationMixin, generic.ObjectEditView):
    form_class = OrganisationForm

    def get_queryset(self):
        return super(OrganisationMixin, self).get_queryset().select_related("region", "parent")


class OrganisationDeleteView(OrganisationMixin, generic.ObjectDeleteView):
    template_name = "party/organisation_confirm_delete.html"

    def get_queryset(self):
        return super(OrganisationMixin, self).get_queryset()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["member_count"] = self.object.members.count()
        context["child_count"] = self.object.children.count()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        org = self.object
        members = org.members.count()
        if members:
            messages.error(
                self.request,
                _(
                    "“%(obj)s” still has %(n)d members (counting those who left): move them to "
                    "another organisation before deleting it."
                )
                % {"obj": org, "n": members},
            )
            return HttpResponseRedirect(org.get_absolute_url())
        children = org.children.count()
        if children:
            messages.error(
                self.request,
                _("“%(obj)s” still has %(n)d organisations under it: move or delete them first.")
                % {"obj": org, "n": children},
            )
            return HttpResponseRedirect(org.get_absolute_url())
        return super().form_valid(form)


EXPORT_FIELDS = [
    "name",
    "level",
    "category",
    "parent",
    "region",
    "service_position",
    "founded_on",
    "term_started_on",
    "term_ends_on",
    "dissolved_on",
]


class OrganisationExportView(OrganisationMixin, generic.ObjectExportView):
    filterset_class = OrganisationFilterSet
    basename = "organisations"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.get_queryset()
        filterset = self.filterset_class(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        organisations = list(qs)
        found = checks.check_many(organisations)
        headers = _headers(
            [(f, None) for f in EXPORT_FIELDS]
            + [(None, "full members"), (None, "probationary members")]
            + [(None, "covered units"), (None, "committee posts"), (None, "rule check")]
        )
        rows = []
        for org in organisations:
            row = [_cell(org, f) for f in EXPORT_FIELDS]
            row += [
                org.full_member_count,
                org.probationary_member_count,
                org.covered_unit_count,
                org.officer_count,
                "；".join(f.message for f in found[org.pk]),
            ]
            rows.append(row)
        return rows_response(headers, rows, request.GET.get("format", "csv"), self.basename)


def _cell(org: Organisation, name: str) -> Any:
    field = Organisation._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(org, f"get_{name}_display")()
    value = getattr(org, name)
    return "" if value is None else str(value) if hasattr(value, "pk") else value


class OrganisationHistoryView(OrganisationMixin, generic.ObjectHistoryView):
    def get_queryset(self):
        return super(OrganisationMixin, self).get_queryset()


@login_required
@permission_required("party.view_organisation", raise_exception=True)
def terms(request: HttpRequest) -> HttpResponse:
    """Organisations whose term ends within the warning window, and those overdue."""
    organisations = restrict(Organisation.objects.all(), request.user).select_related(
        "region", "parent"
    )
    return render(
        request,
        "party/terms.html",
        {
            "overdue": checks.overdue(organisations).order_by("term_ends_on"),
            "ending": checks.ending_soon(organisations).order_by("term_ends_on"),
            "today": timezone.localdate(),
        },
    )
