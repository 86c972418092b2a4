"""JSON API of the supply lists (read-only; changes go through the pages, where the owner and
quantity rules are checked), with a need's or a resource's matching suggestions."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiequ.api.viewsets import ScopedReadOnlyViewSet

from . import suggest
from .filtersets import DeliveryFilterSet, NeedFilterSet, ProjectFilterSet, ResourceFilterSet
from .models import Delivery, Need, Project, Resource, decode_groups
from .projects import with_committed

SUPPLY_FIELDS = [
    "id",
    "title",
    "category",
    "target_groups",
    "owner_kind",
    "owner",
    "organisation",
    "department_kind",
    "department_name",
    "entity",
    "quantity",
    "unit",
    "starts_on",
    "ends_on",
    "description",
    "region",
    "lat",
    "lon",
    "state",
    "created_at",
    "updated_at",
]


class SupplySerializer(serializers.ModelSerializer):
    owner = serializers.CharField(read_only=True)
    owner_kind = serializers.CharField(read_only=True)
    target_groups = serializers.SerializerMethodField()

    def get_target_groups(self, obj) -> list[str]:
        return decode_groups(obj.target_groups)


class NeedSerializer(SupplySerializer):
    class Meta:
        model = Need
        fields = [*SUPPLY_FIELDS, "raised_on", "met_on"]


class ResourceSerializer(SupplySerializer):
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = Resource
        fields = [*SUPPLY_FIELDS, "remaining"]


class ProjectSerializer(SupplySerializer):
    class Meta:
        model = Project
        fields = [*SUPPLY_FIELDS, "needs"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "project",
            "organisation",
            "delivered_on",
            "what",
            "participants",
            "rating",
            "feedback",
            "created_at",
            "updated_at",
        ]


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    title = serializers.CharField(source="record.title")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class NeedViewSet(ScopedReadOnlyViewSet):
    queryset = Need.objects.select_related("organisation", "entity")
    serializer_class = NeedSerializer
    filterset_class = NeedFilterSet

    @action(detail=True)
    def suggestions(self, request: Request, pk: str | None = None) -> Response:
        """The resources that could meet this need, best first, with the reasons."""
        shown = suggest.for_need(self.get_object(), request.user)
        return Response(SuggestionSerializer(shown, many=True).data)


class ResourceViewSet(ScopedReadOnlyViewSet):
    queryset = with_committed(Resource.objects.select_related("organisation", "entity"))
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet

    @action(detail=True)
    def suggestions(self, request: Request, pk: str | None = None) -> Response:
        """The open needs this resource could meet, best first, with the reasons."""
        shown = suggest.for_resource(self.get_object(), request.user)
        return Response(SuggestionSerializer(shown, many=True).data)


class ProjectViewSet(ScopedReadOnlyViewSet):
    queryset = Project.objects.select_related("organisation", "entity").prefetch_related("needs")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet


class DeliveryViewSet(ScopedReadOnlyViewSet):
    queryset = Delivery.objects.all()
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
