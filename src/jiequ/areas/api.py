"""JSON API of regions, roads and buildings (registered in jiequ.api.urls)."""

from rest_framework import serializers

from jiequ.api.serializers import FormValidatedSerializer
from jiequ.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet

from .filtersets import BuildingFilterSet
from .forms import BuildingForm
from .models import Building, Region, Road


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "parent", "path", "boundary"]


class RoadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Road
        fields = ["id", "name", "subdistrict", "line"]


class BuildingSerializer(FormValidatedSerializer):
    form_class = BuildingForm
    region = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Grid, from the point")

    class Meta:
        model = Building
        fields = [
            "id",
            "name",
            "kind",
            "road",
            "number",
            "address",
            "floors",
            "lat",
            "lon",
            "region",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class RegionViewSet(ScopedReadOnlyViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_fields = ["level", "code"]


class RoadViewSet(ScopedReadOnlyViewSet):
    queryset = Road.objects.select_related("subdistrict")
    serializer_class = RoadSerializer
    filterset_fields = ["subdistrict", "name"]


class BuildingViewSet(ScopedModelViewSet):
    queryset = Building.objects.select_related("region", "road")
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilterSet
