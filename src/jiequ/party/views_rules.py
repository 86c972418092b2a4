"""The rules page: every number the checks use, its source, and a subdistrict's own values."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.scoping import region_in_scope

from . import rules
from .forms import (
    ClearOverrideForm,
    RuleOverrideForm,
    clear_override,
    format_rule_value,
    set_override,
)
from .models import RuleOverride


def user_subdistrict(user: Any) -> Region | None:
    region = getattr(user, "scope_region", None)
    if region is None:
        return None
    return region if region.level == RegionLevel.SUBDISTRICT else region.subdistrict


def may_edit(user: Any, subdistrict: Region | None) -> bool:
    """A subdistrict's admin sets its rules: the subdistrict must be the user's whole scope."""
    return (
        subdistrict is not None
        and region_in_scope(user, subdistrict)
        and (user.has_perm("party.add_ruleoverride") or user.has_perm("party.change_ruleoverride"))
    )


@login_required
@permission_required("party.view_ruleoverride", raise_exception=True)
def rule_list(request: HttpRequest) -> HttpResponse:
    subdistrict = user_subdistrict(request.user)
    overrides = {}
    if subdistrict is not None:
        overrides = {o.key: o for o in RuleOverride.objects.filter(region=subdistrict)}
    rows = []
    for rule in rules.RULES.values():
        in_force = rules.value(rule.key, subdistrict)
        rows.append(
            {
                "rule": rule,
                "default": format_rule_value(rule.default),
                "in_force": format_rule_value(in_force),
                "changed": in_force != rule.default,
                "override": overrides.get(rule.key),
            }
        )
    return render(
        request,
        "party/rules.html",
        {
            "rows": rows,
            "subdistrict": subdistrict,
            "can_edit": may_edit(request.user, subdistrict),
        },
    )


@login_required
def rule_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Set or clear the user's subdistrict's own value of one rule, with a reason."""
    rule = rules.RULES.get(key)
    if rule is None:
        raise Http404
    user = request.user
    subdistrict = user_subdistrict(user)
    if not may_edit(user, subdistrict):
        raise PermissionDenied
    override = RuleOverride.objects.filter(region=subdistrict, key=key).first()
    action = request.POST.get("action", "set")
    form = RuleOverrideForm(
        request.POST if request.method == "POST" and action == "set" else None,
        rule=rule,
        initial={"value": format_rule_value(rules.value(key, subdistrict))},
    )
    clear_form = ClearOverrideForm(
        request.POST if request.method == "POST" and action == "clear" else None, prefix="clear"
    )
    if request.method == "POST":
        if action == "clear":
            if override is None:
                messages.info(request, _("This rule already uses the default."))
                return redirect("party:rules")
            if not user.has_perm("party.delete_ruleoverride"):
                raise PermissionDenied
            if clear_form.is_valid():
                clear_override(subdistrict, key, clear_form.cleaned_data["reason"], user)
                messages.success(
                    request,
                    _("“%(rule)s” is back to the default, %(value)s.")
                    % {"rule": rule.label, "value": format_rule_value(rule.default)},
                )
                return redirect("party:rules")
        else:
            needed = "party.change_ruleoverride" if override else "party.add_ruleoverride"
            if not user.has_perm(needed):
                raise PermissionDenied
            if form.is_valid():
                set_override(
                    subdistrict, key, form.cleaned_data["value"], form.cleaned_data["reason"], user
                )
                messages.success(
                    request,
                    _("“%(rule)s” in %(region)s is now %(value)s.")
                    % {
                        "rule": rule.label,
                        "region": subdistrict,
                        "value": format_rule_value(form.cleaned_data["value"]),
                    },
                )
                return redirect("party:rules")
    history = (
        RuleOverride.history.filter(region=subdistrict, key=key)
        .select_related("history_user")
        .order_by("-history_id")
    )
    return render(
        request,
        "party/rule_edit.html",
        {
            "rule": rule,
            "subdistrict": subdistrict,
            "override": override,
            "default": format_rule_value(rule.default),
            "form": form,
            "clear_form": clear_form,
            "history": [
                {
                    "record": h,
                    "value": format_rule_value(h.value),
                    "reason": h.history_change_reason or h.reason,
                }
                for h in history
            ],
        },
    )
