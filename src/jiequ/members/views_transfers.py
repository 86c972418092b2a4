"""Transfer pages: the list (which marks expired letters first), overdue, add, detail, the
transitions and the history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.columns import display_value, field_label
from jiequ.core.scoping import can, restrict

from . import dues, transfers
from .filtersets import TransferFilterSet
from .forms import CancelTransferForm, CompleteTransferForm, TransferForm
from .models import Member, Transfer, TransferDirection, TransferState

TRANSFER_COLUMNS = [
    "letter_number",
    "member",
    "direction",
    "organisation",
    "counterpart",
    "issued_on",
    "valid_until",
    "state",
    "returned_on",
]

EXPORT_COLUMNS = [
    "letter_number",
    "member",
    "direction",
    "organisation",
    "counterpart",
    "counterpart_province",
    "counterpart_city",
    "issued_on",
    "valid_days",
    "valid_until",
    "dues_paid_to",
    "state",
    "returned_on",
    "closed_on",
    "closing_reason",
]

DETAIL_FIELDS = [
    "member",
    "direction",
    "organisation",
    "counterpart",
    "counterpart_province",
    "counterpart_city",
    "issued_on",
    "valid_days",
    "valid_until",
    "state",
    "returned_on",
    "closed_on",
    "closing_reason",
    "note",
]


class TransferMixin:
    model = Transfer
    url_prefix = "members:transfer"

    def get_queryset(self):
        return super().get_queryset().select_related("member", "organisation")


class TransferListView(TransferMixin, generic.ObjectListView):
    filterset_class = TransferFilterSet
    columns = TRANSFER_COLUMNS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        transfers.expire_overdue(timezone.localdate())
        return super().get(request, *args, **kwargs)


class TransferOverdueView(TransferListView):
    template_name = "members/transfer_overdue.html"

    def get_queryset(self):
        return transfers.overdue(super().get_queryset(), timezone.localdate())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["export_url"] = None
        return context


class TransferExportView(TransferMixin, generic.ObjectExportView):
    filterset_class = TransferFilterSet
    columns = EXPORT_COLUMNS
    basename = "transfers"


class TransferAddView(TransferMixin, generic.ObjectEditView):
    form_class = TransferForm
    template_name = "members/transfer_form.html"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        member_pk = self.request.GET.get("member")
        if member_pk and member_pk.isdigit():
            member = (
                Member.objects.restrict(self.request.user)
                .filter(pk=member_pk)
                .select_related("record_organisation", "organisation")
                .first()
            )
            if member is not None:
                initial["member"] = member.pk
                direction = TransferDirection.IN if member.is_mobile else TransferDirection.OUT
                initial.setdefault("direction", direction)
                initial.setdefault(
                    "organisation", (member.record_organisation or member.organisation).pk
                )
                paid = dues.paid_up_to(member)
                if paid is not None:
                    initial["dues_paid_to"] = paid
                if member.is_mobile:
                    initial.setdefault("counterpart", member.record_elsewhere_name)
                    initial.setdefault("counterpart_province", member.record_province)
                    initial.setdefault("counterpart_city", member.record_city)
        return initial


class TransferHistoryView(TransferMixin, generic.ObjectHistoryView):
    """The change log with each change's reason (from core/object_history.html)."""


def _transfer(request: HttpRequest, pk: int, action: str = "view") -> Transfer:
    return get_object_or_404(
        restrict(Transfer.objects.select_related("member", "organisation"), request.user, action),
        pk=pk,
    )


def _detail(
    request: HttpRequest, transfer: Transfer, status: int = 200, error: str = "", **forms: Any
) -> HttpResponse:
    user = request.user
    can_change = can(user, "change", transfer)

    return render(
        request,
        "members/transfer_detail.html",
        {
            "object": transfer,
            "transfer": transfer,
            "verbose_name_plural": Transfer._meta.verbose_name_plural,
            "list_url": reverse("members:transfer_list"),
            "history_url": reverse("members:transfer_history", args=[transfer.pk]),
            "field_rows": [
                (field_label(Transfer, f), display_value(transfer, f)) for f in DETAIL_FIELDS
            ],
            "dues_paid_to": transfer.dues_paid_to,
            "past_validity": transfer.state == TransferState.ISSUED
            and transfers.past_validity(transfer),
            "can_complete": can_change and transfers.can_move(transfer, TransferState.COMPLETED),
            "can_cancel": can_change and transfers.can_move(transfer, TransferState.CANCELLED),
            "complete_form": forms.get("complete_form") or CompleteTransferForm(transfer=transfer),
            "cancel_form": forms.get("cancel_form") or CancelTransferForm(),
            "member_visible": can(user, "view", transfer.member),
            "error": error,
        },
        status=status,
    )


@login_required
@permission_required("members.view_transfer", raise_exception=True)
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _transfer(request, pk))


@login_required
@require_POST
def transfer_complete(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk, "change")
    form = CompleteTransferForm(request.POST, transfer=transfer)
    if not form.is_valid():
        return _detail(request, transfer, 400, complete_form=form)
    data = form.cleaned_data
    try:
        transfers.complete(
            transfer,
            on=data["on"],
            by=request.user,
            returned_on=data.get("returned_on"),
            left_reason=data.get("left_reason", ""),
            reason=data.get("reason", ""),
        )
    except transfers.TransferError as exc:
        form.add_error(None, str(exc))
        transfer.refresh_from_db()
        return _detail(request, transfer, 400, error=str(exc), complete_form=form)
    messages.success(
        request, _("Transfer %(letter)s completed.") % {"letter": transfer.letter_number}
    )
    return redirect(transfer)


@login_required
@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk, "change")
    form = CancelTransferForm(request.POST)
    if not form.is_valid():
        return _detail(request, transfer, 400, cancel_form=form)
    try:
        transfers.cancel(transfer, reason=form.cleaned_data["reason"], by=request.user)
    except transfers.TransferError as exc:
        form.add_error(None, str(exc))
        transfer.refresh_from_db()
        return _detail(request, transfer, 400, error=str(exc), cancel_form=form)
    messages.success(
        request, _("Transfer %(letter)s cancelled.") % {"letter": transfer.letter_number}
    )
    return redirect(transfer)
