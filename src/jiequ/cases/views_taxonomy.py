"""The taxonomy and the time limits: shared by the whole installation, kept by admins."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core.scoping import restrict

from .deadlines import DEFAULT_DAYS
from .forms import CategoryForm, DeadlineRuleForm
from .models import Case, CaseCategory, DeadlineRule, Level, RequestType


@login_required
@permission_required("cases.view_casecategory", raise_exception=True)
def category_list(request: HttpRequest) -> HttpResponse:
    categories = list(CaseCategory.objects.order_by("code"))
    # Cases counted among those this user may read (the taxonomy is shared, the cases are not).
    counts = dict(
        restrict(Case.objects.all(), request.user)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    tops = [c for c in categories if c.parent_id is None]
    children: dict[int, list[CaseCategory]] = {}
    for c in categories:
        c.case_count = counts.get(c.pk, 0)
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c)
    for top in tops:
        top.case_count += sum(child.case_count for child in children.get(top.pk, []))
    tree = [(top, children.get(top.pk, [])) for top in tops]
    return render(
        request,
        "cases/category_list.html",
        {
            "tree": tree,
            "can_change": request.user.has_perm("cases.change_casecategory"),
            "can_add": request.user.has_perm("cases.add_casecategory"),
        },
    )


@login_required
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    category = get_object_or_404(CaseCategory, pk=pk) if pk else None
    action = "change" if category else "add"
    if not request.user.has_perm(f"cases.{action}_casecategory"):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    parent_pk = request.GET.get("parent", "")
    if category is None and parent_pk.isdigit():
        parent = CaseCategory.objects.filter(pk=parent_pk, parent__isnull=True).first()
        if parent is not None:
            initial.update(parent=parent.pk, kind=parent.kind)
    form = CategoryForm(request.POST or None, instance=category, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved “%(obj)s”.") % {"obj": saved})
        return redirect("cases:category_list")
    return render(
        request,
        "cases/taxonomy_form.html",
        {
            "form": form,
            "object": category,
            "title": _("Edit category") if category else _("New category"),
            "back_url": reverse("cases:category_list"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("cases.view_deadlinerule", raise_exception=True)
def deadline_list(request: HttpRequest) -> HttpResponse:
    rules = DeadlineRule.objects.select_related("category__parent").order_by(
        "request_type", "level", "category__code"
    )
    defaults = [(RequestType(k).label, v) for k, v in DEFAULT_DAYS.items()]
    return render(
        request,
        "cases/deadline_list.html",
        {
            "rules": rules,
            "defaults": defaults,
            "levels": Level.choices,
            "can_change": request.user.has_perm("cases.change_deadlinerule"),
            "can_add": request.user.has_perm("cases.add_deadlinerule"),
            "can_delete": request.user.has_perm("cases.delete_deadlinerule"),
        },
    )


@login_required
def deadline_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(DeadlineRule, pk=pk) if pk else None
    action = "change" if rule else "add"
    if not request.user.has_perm(f"cases.{action}_deadlinerule"):
        raise PermissionDenied
    form = DeadlineRuleForm(request.POST or None, instance=rule, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Time limit saved."))
        return redirect("cases:deadline_list")
    return render(
        request,
        "cases/taxonomy_form.html",
        {
            "form": form,
            "object": rule,
            "title": _("Edit time limit") if rule else _("New time limit"),
            "back_url": reverse("cases:deadline_list"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def deadline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("cases.delete_deadlinerule"):
        raise PermissionDenied
    rule = get_object_or_404(DeadlineRule, pk=pk)
    rule.delete()
    messages.success(request, _("Time limit removed; the next rule or the default applies."))
    return redirect("cases:deadline_list")
