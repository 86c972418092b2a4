"""Department registry extracts: sources, imports with what changed, and the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.imports import ImportFileError
from jiequ.core.scoping import restrict

from . import reconcile
from .filtersets import RegistrySourceFilterSet
from .forms_registry import RegistrySourceForm
from .models import Entity, LinkState, RegistryImport, RegistryRecord, RegistrySource


class SourceListView(generic.ObjectListView):
    model = RegistrySource
    url_prefix = "ledger:registry_source"
    columns = ["name", "department", "subdistrict"]
    filterset_class = RegistrySourceFilterSet


class SourceEditView(generic.ObjectEditView):
    model = RegistrySource
    url_prefix = "ledger:registry_source"
    form_class = RegistrySourceForm


@login_required
@permission_required("ledger.view_registrysource", raise_exception=True)
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(restrict(RegistrySource.objects.all(), request.user), pk=pk)
    records = source.records.filter(removed_in__isnull=True)
    counts = {state: records.filter(link_state=state).count() for state in LinkState.values}
    return render(
        request,
        "ledger/registry_source.html",
        {
            "source": source,
            "imports": source.imports.select_related("imported_by")[:10],
            "counts": counts,
            "link_states": LinkState,
            "can_import": request.user.has_perm("ledger.import_registrysource"),
        },
    )


@login_required
@permission_required("ledger.import_registrysource", raise_exception=True)
@require_POST
def source_import(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(restrict(RegistrySource.objects.all(), request.user), pk=pk)
    upload = request.FILES.get("file")
    context = {"source": source}
    if upload is None:
        context["file_error"] = _("Choose a file to import.")
        return render(request, "ledger/registry_import_failed.html", context, status=400)
    try:
        report = reconcile.import_extract(source, upload, request.user)
    except ImportFileError as exc:
        context["file_error"] = str(exc)
        return render(request, "ledger/registry_import_failed.html", context, status=400)
    if not report.ok:
        context["errors"] = report.errors
        return render(request, "ledger/registry_import_failed.html", context, status=400)
    if report.already_imported:
        messages.info(request, _("This file was imported before; nothing changed."))
    return redirect("ledger:registry_import", pk=report.record.pk)


@login_required
@permission_required("ledger.view_registryimport", raise_exception=True)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed since the previous extract of the same source."""
    extract = get_object_or_404(restrict(RegistryImport.objects.all(), request.user), pk=pk)
    records = extract.source.records
    return render(
        request,
        "ledger/registry_import.html",
        {
            "extract": extract,
            "new": records.filter(last_import=extract, created_at__gte=extract.created_at)[:200],
            "changed": records.filter(last_import=extract).exclude(changed_fields={})[:200],
            "removed": extract.removed_records.select_related("entity")[:200],
        },
    )


@login_required
@permission_required("ledger.view_registryrecord", raise_exception=True)
def review_queue(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(restrict(RegistrySource.objects.all(), request.user), pk=pk)
    state = request.GET.get("state", LinkState.REVIEW)
    records = list(
        source.records.filter(link_state=state, removed_in__isnull=True).select_related("entity")[
            :50
        ]
    )
    ids = {c[0] for r in records for c in r.candidates}
    entities = {e.pk: e for e in restrict(Entity.objects.filter(pk__in=ids), request.user)}
    rows = [
        (r, [(entities[c[0]], c[1]) for c in r.candidates if c[0] in entities]) for r in records
    ]
    return render(
        request,
        "ledger/registry_review.html",
        {
            "source": source,
            "rows": rows,
            "state": state,
            "link_states": LinkState,
            "can_decide": request.user.has_perm("ledger.change_registryrecord"),
        },
    )


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        restrict(RegistryRecord.objects.all(), request.user, "change"), pk=pk
    )
    entity = None
    if request.POST.get("entity"):
        entity = get_object_or_404(
            restrict(Entity.objects.all(), request.user), pk=request.POST["entity"]
        )
    reconcile.decide(record, entity)
    messages.success(request, _("Saved the decision on “%(name)s”.") % {"name": record})
    url = reverse("ledger:registry_review", args=[record.source_id])
    return redirect(f"{url}?state={request.POST.get('state', LinkState.REVIEW)}")
