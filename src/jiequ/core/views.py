"""Generic views every resource uses: list, detail, edit, delete, export, import, history.

An app subclasses them with `model`, `filterset_class`, `columns` and the form; scoping,
permissions, htmx partial rendering and the change log come from here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DeleteView, DetailView, ListView, UpdateView

from .columns import display_stored, display_value, field_label
from .exports import FORMATS, export_response
from .forms import ScopedModelForm
from .imports import Importer, ImportFileError
from .scoping import can, permission_name, restrict


class ScopedViewMixin(LoginRequiredMixin):
    """Refuses users whose role lacks the action; narrows every query to the user's scope."""

    model: type[models.Model]
    action = "view"
    url_prefix = ""  # e.g. "areas:building" → "areas:building_list", "areas:building_edit"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm(
            permission_name(self.model, self.action)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> models.QuerySet:
        return restrict(self.model._default_manager.all(), self.request.user, self.action)

    def url(self, view: str, *args: Any) -> str | None:
        """The URL of one of this resource's views, or None if the resource has no such view."""
        try:
            return reverse(f"{self.url_prefix}_{view}", args=args)
        except NoReverseMatch:
            return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meta = self.model._meta
        context.update(
            verbose_name=meta.verbose_name,
            verbose_name_plural=meta.verbose_name_plural,
            list_url=self.url("list"),
            perms_for={a: user.has_perm(permission_name(self.model, a)) for a in _ACTIONS},
        )
        return context


_ACTIONS = ("view", "add", "change", "delete", "import", "export")


class ObjectListView(ScopedViewMixin, ListView):
    filterset_class: Any = None
    columns: list[str] = []
    paginate_by = 25
    template_name = "core/object_list.html"

    def get_queryset(self) -> models.QuerySet:
        qs = super().get_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=qs, request=self.request
        )
        if not self.filterset.is_bound:
            return qs
        # An invalid filter (e.g. a region outside the user's scope) matches nothing.
        return self.filterset.qs if self.filterset.is_valid() else qs.none()

    def get_template_names(self) -> list[str]:
        if (
            self.request.headers.get("HX-Request")
            and self.request.headers.get("HX-Target") == "object-table"
        ):
            return ["core/_object_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filter_form=self.filterset.form,
            headers=[field_label(self.model, c) for c in self.columns],
            rows=[
                (obj, [display_value(obj, c) for c in self.columns])
                for obj in context["object_list"]
            ],
            querystring=params.urlencode(),
            export_url=self.url("export"),
            import_url=self.url("import"),
            add_url=self.url("add"),
            export_formats=FORMATS,
        )
        return context


class ObjectDetailView(ScopedViewMixin, DetailView):
    fields: list[str] = []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        context.update(
            field_rows=[(field_label(self.model, f), display_value(obj, f)) for f in self.fields],
            can_change=can(user, "change", obj),
            can_delete=can(user, "delete", obj),
            edit_url=self.url("edit", obj.pk),
            delete_url=self.url("delete", obj.pk),
            history_url=self.url("history", obj.pk),
        )
        return context


class ObjectEditView(ScopedViewMixin, UpdateView):
    """Create (no pk in the URL) or change one record."""

    form_class: type[ScopedModelForm]
    template_name = "core/object_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.action = "change" if "pk" in kwargs else "add"
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset: models.QuerySet | None = None) -> models.Model | None:
        if "pk" not in self.kwargs:
            return None
        return super().get_object(queryset)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        # A new record can be pre-filled from the link that leads here (?name=…&address=…).
        initial = super().get_initial()
        if self.object is None:
            names = getattr(self.form_class._meta, "fields", None) or []
            initial.update({k: v for k, v in self.request.GET.items() if k in names})
        return initial

    def form_valid(self, form: ScopedModelForm) -> HttpResponse:
        created = self.object is None
        response = super().form_valid(form)
        message = _("Created “%(obj)s”.") if created else _("Saved “%(obj)s”.")
        messages.success(self.request, message % {"obj": self.object})
        return response


class ObjectDeleteView(ScopedViewMixin, DeleteView):
    action = "delete"
    template_name = "core/object_confirm_delete.html"

    def get_success_url(self) -> str:
        return self.url("list")

    def form_valid(self, form: Any) -> HttpResponse:
        name = str(self.object)
        try:
            response = super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("“%(obj)s” cannot be deleted: other records still refer to it.") % {"obj": name},
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("Deleted “%(obj)s”.") % {"obj": name})
        return response


class ObjectExportView(ScopedViewMixin, View):
    action = "export"
    filterset_class: Any = None
    columns: list[str] = []
    basename = "export"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.get_queryset()
        filterset = self.filterset_class(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound:
            qs = filterset.qs if filterset.is_valid() else qs.none()
        if request.GET.get("template"):
            qs = qs.none()  # the import template: the header row only
        return export_response(qs, self.columns, request.GET.get("format", "csv"), self.basename)


class ObjectImportView(ScopedViewMixin, View):
    """Upload → validate every row → save all or nothing → a report."""

    action = "import"
    importer_class: type[Importer]
    template_name = "core/object_import.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # An import creates and changes records, so it needs those rights as well.
        user = request.user
        if user.is_authenticated and not all(
            user.has_perm(permission_name(self.model, a)) for a in ("add", "change")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra: Any) -> dict[str, Any]:
        importer = self.importer_class(self.request.user)
        meta = self.model._meta
        form = importer.form_class(user=self.request.user)
        return {
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": self.url("list"),
            "template_url": self.url("export") + "?format=xlsx&template=1",
            "columns": [
                (str(form.fields[c].label), form.fields[c].required) for c in importer.columns
            ],
            **extra,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context())

    def post(self, request: HttpRequest) -> HttpResponse:
        upload = request.FILES.get("file")
        if upload is None:
            return render(
                request,
                self.template_name,
                self.context(file_error=_("Choose a file to import.")),
                status=400,
            )
        try:
            result = self.importer_class(request.user).run(upload)
        except ImportFileError as exc:
            return render(
                request, self.template_name, self.context(file_error=str(exc)), status=400
            )
        status = 200 if result.ok else 400
        return render(request, self.template_name, self.context(result=result), status=status)


class ObjectHistoryView(ScopedViewMixin, DetailView):
    """Who changed what, when: the change log of one record."""

    template_name = "core/object_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        records = list(self.object.history.select_related("history_user").order_by("-history_id"))
        entries = []
        for newer, older in zip(records, [*records[1:], None], strict=True):
            changes = []
            if older is not None:
                delta = newer.diff_against(older)
                for change in delta.changes:
                    changes.append(
                        (
                            field_label(self.model, change.field),
                            display_stored(self.model, change.field, change.old),
                            display_stored(self.model, change.field, change.new),
                        )
                    )
            entries.append({"record": newer, "changes": changes})
        context["entries"] = entries
        context["detail_url"] = self.object.get_absolute_url()
        return context
