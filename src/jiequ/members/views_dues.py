"""The dues page: one organisation, one month — who paid, who did not, the totals; record
payments for several members at once (all or nothing); export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.core.exports import rows_response
from jiequ.core.scoping import organisation_in_scope
from jiequ.party.models import Organisation

from . import dues
from .models import Member


def _organisation(request: HttpRequest, organisations) -> Organisation | None:
    pk = request.GET.get("organisation") or request.POST.get("organisation")
    chosen = organisations.filter(pk=pk).first() if pk and str(pk).isdigit() else None
    if chosen is not None:
        return chosen
    scoped = getattr(request.user, "scope_organisation", None)
    if scoped is not None and organisations.filter(pk=scoped.pk).exists():
        return scoped
    return organisations.first()


def _members(request: HttpRequest, organisation: Organisation):
    return (
        Member.objects.restrict(request.user)
        .filter(organisation_id__in=organisation.subtree_ids(), left_on__isnull=True)
        .select_related("organisation__region")
        .order_by("organisation__name", "name")
    )


@login_required
@permission_required("members.view_duespayment", raise_exception=True)
def dues_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisations = Organisation.objects.restrict(user).filter(dissolved_on__isnull=True)
    organisation = _organisation(request, organisations)
    month_text = request.GET.get("month") or request.POST.get("month")
    month = dues.parse_month(month_text) if month_text else timezone.localdate().replace(day=1)
    if month is None:
        messages.error(request, _("Give a month as YYYY-MM."))
        month = timezone.localdate().replace(day=1)
    sheet = None
    if organisation is not None:
        sheet = dues.dues_sheet(_members(request, organisation), month, organisation.region)
    if request.method == "POST":
        return _record(request, organisation, sheet)
    fmt = request.GET.get("format")
    if fmt and sheet is not None:
        if not user.has_perm("members.export_duespayment"):
            raise PermissionDenied
        return _export(sheet, organisation, fmt)
    can_pay = (
        organisation is not None
        and user.has_perm("members.add_duespayment")
        and organisation_in_scope(user, organisation)
    )
    return render(
        request,
        "members/dues.html",
        {
            "organisations": organisations,
            "organisation": organisation,
            "month": month,
            "sheet": sheet,
            "can_pay": can_pay,
            "can_export": user.has_perm("members.export_duespayment"),
            "today": timezone.localdate(),
        },
    )


def _record(request: HttpRequest, organisation: Organisation | None, sheet) -> HttpResponse:
    """Record the ticked members' payments for the month: all of them, or none."""
    user = request.user
    if (
        organisation is None
        or sheet is None
        or not user.has_perm("members.add_duespayment")
        or not organisation_in_scope(user, organisation)
    ):
        raise PermissionDenied
    url = reverse("members:dues") + f"?organisation={organisation.pk}&month={sheet.month:%Y-%m}"
    rows = {str(r.member.pk): r for r in sheet.rows}
    ticked = request.POST.getlist("pay")
    if not ticked:
        messages.error(request, _("Tick the members whose dues were paid."))
        return redirect(url)
    paid_on = dues_date(request.POST.get("paid_on"))
    if paid_on is None:
        messages.error(request, _("Give the date the dues were paid (not in the future)."))
        return redirect(url)
    errors, plan = [], []
    for pk in ticked:
        row = rows.get(pk)
        if row is None:
            errors.append(_("A ticked member is not in this list."))
            continue
        text = (request.POST.get(f"amount_{pk}") or "").strip()
        try:
            amount = Decimal(text) if text else None
        except InvalidOperation:
            errors.append(_("%(name)s: the amount is not a number.") % {"name": row.member})
            continue
        if amount is not None and (amount <= 0 or amount.as_tuple().exponent < -2):
            errors.append(
                _("%(name)s: the amount must be more than zero, in yuan and fen.")
                % {"name": row.member}
            )
            continue
        plan.append((row.member, amount))
    if not errors:
        try:
            with transaction.atomic():
                for member, amount in plan:
                    dues.record_payment(
                        member, sheet.month, by=user, amount=amount, paid_on=paid_on
                    )
        except dues.DuesError as exc:
            errors.append(str(exc))
    if errors:
        for error in errors:
            messages.error(request, error)
        messages.error(request, _("Nothing was recorded; correct the list and try again."))
        return redirect(url)
    messages.success(
        request,
        _("Dues of %(month)s recorded for %(n)d members.")
        % {"month": f"{sheet.month:%Y-%m}", "n": len(plan)},
    )
    return redirect(url)


def dues_date(text: str | None) -> date | None:
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if day <= timezone.localdate() else None


def _export(sheet: dues.DuesSheet, organisation: Organisation, fmt: str) -> HttpResponse:
    headers = [
        _("name"),
        _("organisation"),
        _("dues category"),
        _("monthly dues (yuan)"),
        _("paid"),
        _("amount paid (yuan)"),
        _("paid on"),
    ]
    rows = [
        [
            r.member.name,
            str(r.member.organisation),
            r.member.get_dues_category_display(),
            "" if r.dues is None else str(r.dues),
            _("yes") if r.paid else _("no"),
            str(r.payment.amount) if r.payment else "",
            r.payment.paid_on.isoformat() if r.payment else "",
        ]
        for r in sheet.rows
    ]
    rows.append(
        [
            _("Total"),
            "",
            "",
            str(sheet.due_total),
            f"{sheet.paid_count}/{len(sheet.rows)}",
            str(sheet.paid_total),
            "",
        ]
    )
    return rows_response(headers, rows, fmt, f"dues-{sheet.month:%Y-%m}-{organisation.pk}")
