"""JSON API of cases: scoped list and detail, creation, and transitions through the workflow.

POST /api/cases/                      a new case (services.create_case)
POST /api/cases/{id}/transition/      {action, reason, tried, assignee, resolution, to_level,
                                       council, urgent, urgent_reason, loaded_at}
    200 the case after the action; 400 {"detail": "<why, in Chinese>"} when the workflow
    refuses; 409 when `loaded_at` is older than the case (someone acted in between).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from jiequ.api.viewsets import ScopedModelViewSet
from jiequ.core.scoping import restrict

from . import services, workflow
from .filtersets import CaseFilterSet
from .models import Case, CaseCategory, CaseEvent, Level, RequestType, Source


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name", read_only=True)
    action_label = serializers.CharField(read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "at",
            "actor",
            "action",
            "action_label",
            "from_state",
            "to_state",
            "from_level",
            "to_level",
            "reason",
            "tried",
            "is_public",
        ]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.__str__", read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "source",
            "request_type",
            "category",
            "category_name",
            "title",
            "description",
            "entity",
            "lat",
            "lon",
            "address",
            "region",
            "level",
            "organisation",
            "council",
            "assignee",
            "state",
            "is_urgent",
            "urgent_reason",
            "suspension_reason",
            "received_at",
            "level_since",
            "due_on",
            "is_overdue",
            "resolved_at",
            "closed_at",
            "resolution",
            "solved_level",
            "escalated_to_district_at",
            "district_reference",
            "reporter_name",
            "phone_masked",
            "rating",
            "rating_comment",
            "rated_at",
            "allowed_actions",
            "updated_at",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, case: Case) -> list[str]:
        request = self.context.get("request")
        return workflow.allowed_actions(case, request.user) if request else []


class CaseDetailSerializer(CaseSerializer):
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "events"]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    request_type = serializers.ChoiceField(choices=RequestType.choices, default="request")
    category = serializers.PrimaryKeyRelatedField(queryset=CaseCategory.objects.all())
    title = serializers.CharField(max_length=100)
    description = serializers.CharField()
    entity = serializers.IntegerField(required=False, allow_null=True)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    lon = serializers.DecimalField(max_digits=10, decimal_places=6, required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organisation = serializers.IntegerField(required=False, allow_null=True)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    consent_text = serializers.CharField(required=False, allow_blank=True)
    submission_key = serializers.CharField(max_length=64, required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, a) for a in workflow.ACTIONS])
    reason = serializers.CharField(required=False, allow_blank=True)
    tried = serializers.CharField(required=False, allow_blank=True)
    resolution = serializers.CharField(required=False, allow_blank=True)
    assignee = serializers.IntegerField(required=False, allow_null=True)
    to_level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    council = serializers.IntegerField(required=False, allow_null=True)
    urgent = serializers.BooleanField(required=False, default=False)
    urgent_reason = serializers.CharField(required=False, allow_blank=True)
    loaded_at = serializers.CharField(required=False, allow_blank=True)


def _scoped_pk(model, user, pk):
    if pk in (None, ""):
        return None
    return restrict(model.objects.filter(pk=pk), user).first()


class CaseViewSet(ScopedModelViewSet):
    """Cases in the caller's scope; phones are masked. Changes go through the workflow."""

    queryset = Case.objects.select_related("category__parent").order_by("-received_at")
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDetailSerializer
        if self.action == "create":
            return CaseCreateSerializer
        if self.action == "transition":
            return TransitionSerializer
        return CaseSerializer

    def get_queryset(self):
        if self.action == "transition":
            # Which cases: those the caller may read; whether they may act: the workflow.
            return restrict(super(ScopedModelViewSet, self).get_queryset(), self.request.user)
        return super().get_queryset()

    def create(self, request, *args, **kwargs):
        from jiequ.ledger.models import Entity
        from jiequ.party.models import Organisation

        data_in = CaseCreateSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = dict(data_in.validated_data)
        user = request.user
        entity = _scoped_pk(Entity, user, data.pop("entity", None))
        organisation = _scoped_pk(Organisation, user, data.pop("organisation", None))
        if request.data.get("entity") and entity is None:
            return Response({"entity": [str(_not_found())]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            with transaction.atomic():
                case, created = services.create_case(
                    **data, entity=entity, organisation=organisation, user=user
                )
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        body = CaseDetailSerializer(case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        from jiequ.accounts.models import User
        from jiequ.councils.models import Council

        case = self.get_object()
        if not request.user.has_perm("cases.change_case"):
            raise PermissionDenied(workflow.refusal_for_user(case, request.user))
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        name = data.pop("action")
        kwargs = {k: v for k, v in data.items() if v not in (None, "")}
        if "assignee" in kwargs:
            kwargs["assignee"] = User.objects.filter(pk=kwargs["assignee"], is_active=True).first()
        if "council" in kwargs:
            kwargs["council"] = Council.objects.filter(pk=kwargs["council"]).first()
        try:
            case = workflow.apply(case, name, user=request.user, **kwargs)
        except workflow.StaleCase as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        except workflow.TransitionRefused as exc:
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)


def _not_found():
    from django.utils.translation import gettext as _

    return _("No such shop in your area of work.")
