"""JSON API of members: read-only, scoped, the phone masked."""

from rest_framework import serializers

from jiequ.api.viewsets import ScopedReadOnlyViewSet

from .filtersets import MemberFilterSet, current_only
from .models import Member


class MemberSerializer(serializers.ModelSerializer):
    phone_masked = serializers.CharField(read_only=True)
    record_held_by = serializers.CharField(read_only=True)
    is_mobile = serializers.BooleanField(read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "phone_masked",
            "membership",
            "joined_on",
            "full_on",
            "organisation",
            "other_organisations",
            "record_location",
            "record_organisation",
            "record_elsewhere_name",
            "record_province",
            "record_city",
            "record_held_by",
            "is_mobile",
            "checked_in_area",
            "checked_in_on",
            "workplace",
            "mobile_certificate_number",
            "mobile_certificate_valid_until",
            "consent_source",
            "left_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MemberViewSet(ScopedReadOnlyViewSet):
    """Party members in the caller's scope; phones are masked (138****5678)."""

    queryset = Member.objects.select_related(
        "organisation", "record_organisation"
    ).prefetch_related("other_organisations")
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet

    def get_queryset(self):
        # The list: current members unless ?status=left or ?status=all, as on the list page.
        qs = super().get_queryset()
        return current_only(qs, self.request.query_params) if self.action == "list" else qs
