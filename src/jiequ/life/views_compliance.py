"""The compliance view: organisations × the last 12 months, and one branch's missing meetings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.scoping import restrict, user_organisation_ids
from jiequ.party.models import Category, Organisation
from jiequ.party.rules import RULES

from . import compliance as c

WINDOW = 12


def _window(request: HttpRequest) -> tuple[list, dict]:
    """The 12 months ending with ?end=YYYY-MM (default: this month) and links to move it."""
    today = timezone.localdate()
    end = c.parse_month(request.GET.get("end", "")) or c.month_start(today)
    end = min(end, c.month_start(today))
    months = c.last_months(WINDOW, end)
    earlier = c.add_months(end, -WINDOW)
    later = c.add_months(end, WINDOW)
    nav = {
        "earlier": f"{earlier:%Y-%m}",
        "later": f"{later:%Y-%m}" if later <= c.month_start(today) else "",
        "latest": end != c.month_start(today),
    }
    return months, nav


def _check_permission(request: HttpRequest) -> None:
    if not request.user.has_perm("life.view_meeting"):
        raise PermissionDenied


@login_required
def compliance_grid(request: HttpRequest) -> HttpResponse:
    """Every organisation in scope × 12 months: what is missing (red) or inquorate."""
    _check_permission(request)
    user = request.user
    if user_organisation_ids(user) is not None and user.scope_organisation_id:
        # A branch secretary lands on their own branch.
        return redirect("life:compliance_organisation", user.scope_organisation_id)
    months, nav = _window(request)
    organisations = restrict(Organisation.objects.all(), user)
    areas = restrict(Region.objects.filter(level=RegionLevel.AREA), user)
    area_id = request.GET.get("area", "")
    area = areas.filter(pk=area_id).first() if area_id.isdigit() else None
    if area is not None:
        organisations = organisations.filter(region__path__startswith=area.path)
    category = request.GET.get("category", "")
    if category in Category.values:
        organisations = organisations.filter(category=category)
    table = c.compliance(organisations.order_by("region__path", "name"), months)
    rows = [r for r in table.rows if r.owes_anything or r.missing or r.inquorate]
    missing_in = c.parse_month(request.GET.get("missing_in", ""))
    if missing_in is not None:
        rows = [r for r in rows if (m := r.month(missing_in)) is not None and m.missing]
    if request.GET.get("gaps"):
        rows = [r for r in rows if r.missing or r.inquorate]
    shown = c.ComplianceTable(months=table.months, rows=rows, today=table.today)
    return render(
        request,
        "life/compliance.html",
        {
            "table": shown,
            "columns": list(zip(months, shown.month_totals, shown.month_inquorate, strict=True)),
            "nav": nav,
            "end": f"{months[-1]:%Y-%m}",
            "areas": areas,
            "area": area,
            "categories": Category.choices,
            "category": category,
            "missing_in": missing_in,
            "gaps": bool(request.GET.get("gaps")),
            "kinds": [(k, c.SHORT_LABELS[k], RULES[c.RULE_KEYS[k]]) for k in c.KIND_ORDER],
            "quorum_rule": RULES["quorum_share_percent"],
            "hidden": len(table.rows) - len(rows),
        },
    )


@login_required
def compliance_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """One branch (and its groups): each kind month by month, and the missing meetings with
    the rule that requires them."""
    _check_permission(request)
    user = request.user
    organisation = get_object_or_404(restrict(Organisation.objects.all(), user), pk=pk)
    months, nav = _window(request)
    subtree = restrict(Organisation.objects.all(), user).filter(pk__in=organisation.subtree_ids())
    table = c.compliance(subtree.order_by("level", "name"), months)
    rows = sorted(table.rows, key=lambda r: r.organisation.pk != organisation.pk)
    can_add = user.has_perm("life.add_meeting")
    sections = []
    for row in rows:
        missing = sorted(row.missing, key=lambda cell: cell.month, reverse=True)
        by_kind = [
            (kind, [cell for cell in missing if cell.kind == kind])
            for kind in row.kinds
            if any(cell.kind == kind for cell in missing)
        ]
        sections.append(
            {
                "row": row,
                "rules": c.rule_summary(row.organisation),
                "by_kind": row.by_kind(),
                "missing": missing,
                "missing_by_kind": by_kind,
                "inquorate": row.inquorate,
                "add_url": reverse("life:meeting_add") + f"?organisation={row.organisation.pk}"
                if can_add
                else "",
            }
        )
    return render(
        request,
        "life/compliance_organisation.html",
        {
            "organisation": organisation,
            "months": months,
            "sections": sections,
            "nav": nav,
            "end": f"{months[-1]:%Y-%m}",
            "quorum_rule": RULES["quorum_share_percent"],
            "show_grid_link": user_organisation_ids(user) is None,
            "status": {"held": c.HELD, "missing": c.MISSING, "due": c.DUE, "not_due": c.NOT_DUE},
        },
    )
