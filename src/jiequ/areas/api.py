"""JSON API of regions, roads and buildings (registered in jiequ.api.urls)."""

from rest_framework import serializers

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


class BuildingSerializer(serializers.ModelSerializer):
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

    def validate(self, attrs):
        # The same validation as the web form: grid from the point, scope, unique name.
        instance = self.instance
        data = {k: getattr(instance, k) for k in BuildingForm.Meta.fields} if instance else {}
        data.update(attrs)
        if data.get("road") is not None:
            data["road"] = data["road"].pk
        form = BuildingForm(data=data, instance=instance, user=self.context["request"].user)
        if not form.is_valid():
            raise serializers.ValidationError(
                {k if k != "__all__" else "non_field_errors": v for k, v in form.errors.items()}
            )
        self._form = form
        return attrs

    def save(self, **kwargs):
        self.instance = self._form.save()
        return self.instance


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
