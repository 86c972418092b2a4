"""JSON API: service points, volunteers (phones masked, read-only) and tasks, all scoped."""

from rest_framework import serializers

from jiequ.api.viewsets import ScopedReadOnlyViewSet

from .filtersets import ServicePointFilterSet, TaskFilterSet, VolunteerFilterSet
from .models import ServicePoint, Volunteer, VolunteerTask
from .tasks import with_counts


class ServicePointSerializer(serializers.ModelSerializer):
    offers = serializers.ListField(child=serializers.CharField(), read_only=True)
    host = serializers.CharField(read_only=True)

    class Meta:
        model = ServicePoint
        fields = [
            "id",
            "kind",
            "name",
            "address",
            "lat",
            "lon",
            "region",
            "host_entity",
            "host",
            "offers",
            "offer_note",
            "hours",
            "hours_note",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields


class ServicePointViewSet(ScopedReadOnlyViewSet):
    """Service points (meal points, riders' stations) in the caller's scope."""

    queryset = ServicePoint.objects.select_related("host_entity")
    serializer_class = ServicePointSerializer
    filterset_class = ServicePointFilterSet


class VolunteerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    skills = serializers.ListField(child=serializers.CharField(), read_only=True)
    availability = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "name",
            "phone_masked",
            "occupation",
            "platform",
            "skills",
            "availability",
            "point",
            "region",
            "state",
            "signed_up_on",
            "confirmed_on",
            "left_on",
            "consent_at",
        ]
        read_only_fields = fields


class VolunteerViewSet(ScopedReadOnlyViewSet):
    """Volunteers in the caller's scope; phones are masked (138****5678)."""

    queryset = Volunteer.objects.all()
    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilterSet


class VolunteerTaskSerializer(serializers.ModelSerializer):
    skills_wanted = serializers.ListField(child=serializers.CharField(), read_only=True)
    taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = VolunteerTask
        fields = [
            "id",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "point",
            "region",
            "skills_wanted",
            "places",
            "taken",
            "organiser",
            "description",
            "is_cancelled",
        ]
        read_only_fields = fields


class VolunteerTaskViewSet(ScopedReadOnlyViewSet):
    queryset = VolunteerTask.objects.all()
    serializer_class = VolunteerTaskSerializer
    filterset_class = TaskFilterSet

    def get_queryset(self):
        return with_counts(super().get_queryset()).order_by("-starts_at", "-pk")
