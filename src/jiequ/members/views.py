"""Member pages: list, detail, staff entry, export, history, check-in, liaison, dues payments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.columns import display_value, field_label
from jiequ.core.scoping import can, organisation_in_scope, restrict
from jiequ.party import rules
from jiequ.party.models import Officer

from . import dues, liaison, services
from .filtersets import MemberFilterSet, current_only
from .forms import CheckInForm, LiaisonReportForm, MemberForm, PaymentForm
from .models import DuesPayment, LiaisonReport, Member, Transfer

MEMBER_COLUMNS = [
    "name",
    "phone_masked",
    "membership",
    "organisation",
    "record_held_by",
    "checked_in_on",
    "workplace",
]

EXPORT_COLUMNS = [
    "name",
    "phone_masked",
    "membership",
    "joined_on",
    "full_on",
    "organisation",
    "record_location",
    "record_held_by",
    "checked_in_area",
    "checked_in_on",
    "workplace",
    "mobile_certificate_number",
    "mobile_certificate_valid_until",
    "dues_category",
    "consent_source",
    "left_on",
    "left_reason",
]

DETAIL_FIELDS = [
    "phone_masked",
    "membership",
    "joined_on",
    "full_on",
    "organisation",
    "record_held_by",
    "workplace",
    "mobile_certificate_number",
    "mobile_certificate_valid_until",
    "consent_source",
    "consent_at",
    "left_on",
    "left_reason",
]


class MemberMixin:
    model = Member
    url_prefix = "members:member"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "record_organisation", "workplace", "checked_in_area")
        )


class MemberListView(MemberMixin, generic.ObjectListView):
    filterset_class = MemberFilterSet
    columns = MEMBER_COLUMNS

    def get_queryset(self):
        return current_only(super().get_queryset(), self.request.GET)


class MemberExportView(MemberMixin, generic.ObjectExportView):
    filterset_class = MemberFilterSet
    columns = EXPORT_COLUMNS
    basename = "members"

    def get_queryset(self):
        return current_only(super().get_queryset(), self.request.GET)


class MemberDetailView(MemberMixin, generic.ObjectDetailView):
    template_name = "members/member_detail.html"
    fields = DETAIL_FIELDS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(member_context(self.request, self.object))
        return context


def member_context(request: HttpRequest, member: Member, **forms: Any) -> dict[str, Any]:
    """What the member page shows besides the fields: posts, liaison, transfers, dues."""
    user = request.user
    today = timezone.localdate()
    can_change = can(user, "change", member)
    in_scope = organisation_in_scope(user, member.organisation)
    context: dict[str, Any] = {
        "member": member,
        "other_organisations": member.other_organisations.all(),
        "posts": restrict(
            Officer.objects.filter(member=member).select_related("organisation"), user
        ),
        "transfers": restrict(Transfer.objects.filter(member=member), user),
        "can_transfer": user.has_perm("members.add_transfer") and in_scope and member.is_active,
        "payments": restrict(DuesPayment.objects.filter(member=member), user)[:12],
        "monthly_dues": dues.monthly_dues(member),
        "dues_note": dues.dues_note(member),
        "paid_up_to": dues.paid_up_to(member),
        "can_pay": user.has_perm("members.add_duespayment") and in_scope,
        "can_check_in": can_change and member.is_active,
        "can_report": user.has_perm("members.add_liaisonreport")
        and in_scope
        and member.is_mobile
        and member.is_active,
        "certificate_state": liaison.certificate_state(member, today),
    }
    if member.is_mobile:
        context["reports"] = restrict(
            LiaisonReport.objects.filter(member=member).select_related("recorded_by"), user
        )
        context["next_due"] = liaison.next_due(member)
        context["next_due_overdue"] = context["next_due"] < today
        context["interval_rule"] = rules.RULES["liaison_interval_days"]
        context["interval_days"] = liaison.interval_days(member)
    context["check_in_form"] = forms.get("check_in_form") or CheckInForm(user=user)
    context["report_form"] = forms.get("report_form") or LiaisonReportForm()
    context["payment_form"] = forms.get("payment_form") or PaymentForm()
    return context


class MemberEditView(MemberMixin, generic.ObjectEditView):
    form_class = MemberForm

    def form_valid(self, form: MemberForm) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            # Two people saved the same phone at the same moment: the second is refused.
            form.add_error("phone", _("This phone number is already on another member's record."))
            return self.form_invalid(form)


class MemberHistoryView(MemberMixin, generic.ObjectHistoryView):
    """The change log with each change's reason (from core/object_history.html)."""


def _member(request: HttpRequest, pk: int, action: str = "view") -> Member:
    return get_object_or_404(
        restrict(Member.objects.select_related("organisation__region"), request.user, action),
        pk=pk,
    )


def _detail_again(request: HttpRequest, member: Member, **forms: Any) -> HttpResponse:
    """The member page again with a form's errors (nothing was saved)."""
    user = request.user
    context = {
        "object": member,
        "verbose_name_plural": Member._meta.verbose_name_plural,
        "list_url": reverse("members:member_list"),
        "field_rows": [(field_label(Member, f), display_value(member, f)) for f in DETAIL_FIELDS],
        "can_change": can(user, "change", member),
        "edit_url": reverse("members:member_edit", args=[member.pk]),
        "history_url": reverse("members:member_history", args=[member.pk]),
        **member_context(request, member, **forms),
    }
    return render(request, "members/member_detail.html", context, status=400)


@login_required
@require_POST
def member_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk, "change")
    form = CheckInForm(request.POST, user=request.user)
    if not form.is_valid():
        return _detail_again(request, member, check_in_form=form)
    try:
        services.check_in(
            member,
            area=form.cleaned_data["area"],
            on=form.cleaned_data["checked_in_on"],
            by=request.user,
        )
    except services.MemberError as exc:
        form.add_error(None, str(exc))
        return _detail_again(request, member, check_in_form=form)
    messages.success(
        request,
        _("Check-in of %(name)s at %(area)s recorded.")
        % {
            "name": member,
            "area": form.cleaned_data["area"],
        },
    )
    return redirect(member)


@login_required
@permission_required("members.add_liaisonreport", raise_exception=True)
@require_POST
def liaison_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    if not organisation_in_scope(request.user, member.organisation):
        raise PermissionDenied
    form = LiaisonReportForm(request.POST)
    if not form.is_valid():
        return _detail_again(request, member, report_form=form)
    try:
        liaison.add_report(member, by=request.user, **form.cleaned_data)
    except liaison.LiaisonError as exc:
        form.add_error(None, str(exc))
        return _detail_again(request, member, report_form=form)
    messages.success(
        request,
        _("Report recorded; the next one is due on %(date)s.")
        % {"date": liaison.next_due(member).isoformat()},
    )
    return redirect(member)


@login_required
@permission_required("members.add_duespayment", raise_exception=True)
@require_POST
def member_pay(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    if not organisation_in_scope(request.user, member.organisation):
        raise PermissionDenied
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _detail_again(request, member, payment_form=form)
    try:
        payment = dues.record_payment(
            member,
            form.cleaned_data["month"],
            by=request.user,
            amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["paid_on"],
        )
    except dues.DuesError as exc:
        form.add_error(None, str(exc))
        return _detail_again(request, member, payment_form=form)
    messages.success(
        request,
        _("Dues of %(month)s recorded: %(amount)s yuan.")
        % {"month": f"{payment.month:%Y-%m}", "amount": payment.amount},
    )
    return redirect(member)


@login_required
@permission_required("members.view_member", raise_exception=True)
def liaison_due(request: HttpRequest) -> HttpResponse:
    """Mobile members whose report to the home organisation is overdue or due within 30 days,
    and mobile-member certificates that have run out or run out soon."""
    today = timezone.localdate()
    members = Member.objects.restrict(request.user)
    rule = rules.RULES["liaison_interval_days"]
    return render(
        request,
        "members/liaison_due.html",
        {
            "dues": liaison.due_list(members, today),
            "certificates": [
                (m, liaison.certificate_state(m, today))
                for m in liaison.certificates_to_renew(members, today)
            ],
            "rule": rule,
            "interval_days": rules.value("liaison_interval_days", request.user.scope_region),
            "warning_days": liaison.WARNING_DAYS,
            "today": today,
        },
    )
