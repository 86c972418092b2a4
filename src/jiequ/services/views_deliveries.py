"""Deliveries of projects to organisations: list, export, detail, record, feedback, history.

Staff record deliveries; the receiving branch's secretary adds the feedback and rating of
their own branch's deliveries (the feedback form has only those fields)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiequ.core import views as generic

from .filtersets import DeliveryFilterSet
from .forms import DeliveryForm, FeedbackForm
from .models import Delivery

DELIVERY_COLUMNS = ["delivered_on", "organisation", "project", "what", "participants", "rating"]
DELIVERY_EXPORT = [
    "delivered_on",
    "organisation",
    "project",
    "what",
    "participants",
    "rating",
    "feedback",
    "recorded_by",
]


class DeliveryMixin:
    model = Delivery
    url_prefix = "services:delivery"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("organisation", "project", "recorded_by")


class DeliveryListView(DeliveryMixin, generic.ObjectListView):
    filterset_class = DeliveryFilterSet
    columns = DELIVERY_COLUMNS


class DeliveryExportView(DeliveryMixin, generic.ObjectExportView):
    filterset_class = DeliveryFilterSet
    columns = DELIVERY_EXPORT
    basename = "deliveries"


class DeliveryDetailView(DeliveryMixin, generic.ObjectDetailView):
    template_name = "core/object_detail.html"
    fields = DELIVERY_EXPORT


class DeliveryEditView(DeliveryMixin, generic.ObjectEditView):
    form_class = DeliveryForm

    def get_form_class(self) -> Any:
        # Those who run projects record deliveries; the receiving branch gives its feedback.
        if self.request.user.has_perm("services.change_project"):
            return DeliveryForm
        return FeedbackForm


class DeliveryHistoryView(DeliveryMixin, generic.ObjectHistoryView):
    pass
