"""The staff page of the outbox: what left, what waits, what failed and why; "retry now"."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import can, restrict

from . import dispatch
from .filtersets import MessageFilterSet
from .models import MessageState, OutboxMessage


class MessageListView(generic.ObjectListView):
    model = OutboxMessage
    url_prefix = "outbox:message"
    filterset_class = MessageFilterSet
    columns = ["subject", "channel", "recipient", "state", "attempts", "next_attempt_at"]
    template_name = "outbox/message_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("case")

    def get_template_names(self) -> list[str]:
        if (
            self.request.headers.get("HX-Request")
            and self.request.headers.get("HX-Target") == "object-table"
        ):
            return ["outbox/_message_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = dict(
            restrict(OutboxMessage.objects.all(), self.request.user)
            .values_list("state")
            .annotate(n=Count("pk"))
            .order_by()
        )
        context["state_counts"] = [
            (value, label, counts.get(value, 0)) for value, label in MessageState.choices
        ]
        context["current_state"] = self.request.GET.get("state", "")
        context["can_retry"] = self.request.user.has_perm("outbox.change_outboxmessage")
        return context


class MessageDetailView(generic.ObjectDetailView):
    model = OutboxMessage
    url_prefix = "outbox:message"
    template_name = "outbox/message_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("case", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        message = self.object
        context["payload"] = json.dumps(message.payload, ensure_ascii=False, indent=2)
        context["tries"] = message.tries.all()
        context["can_retry"] = message.can_retry and can(self.request.user, "change", message)
        return context


class MessageHistoryView(generic.ObjectHistoryView):
    model = OutboxMessage
    url_prefix = "outbox:message"


@login_required
@permission_required("outbox.change_outboxmessage", raise_exception=True)
@require_POST
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        restrict(OutboxMessage.objects.all(), request.user, "change"), pk=pk
    )
    try:
        state = dispatch.retry_now(message, user=request.user)
    except dispatch.RetryRefused as exc:
        messages.error(request, exc.message)
        return redirect(message)
    if state == MessageState.SENT:
        messages.success(request, _("Sent “%(obj)s”.") % {"obj": message.subject})
    else:
        message.refresh_from_db()
        messages.error(
            request,
            _("Tried again; not sent yet: %(error)s") % {"error": message.last_error or "—"},
        )
    return redirect(request.POST.get("next") or message.get_absolute_url())
