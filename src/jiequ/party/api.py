"""JSON API of Party organisations (read-only), with their counts and rule findings."""

from rest_framework import serializers

from jiequ.api.viewsets import ScopedReadOnlyViewSet

from . import checks, rules
from .filtersets import OrganisationFilterSet
from .models import Organisation


class FindingSerializer(serializers.Serializer):
    severity = serializers.CharField()
    rule = serializers.CharField()
    message = serializers.CharField()
    source = serializers.CharField()


class OrganisationSerializer(serializers.ModelSerializer):
    full_member_count = serializers.IntegerField(read_only=True)
    probationary_member_count = serializers.IntegerField(read_only=True)
    covered_unit_count = serializers.IntegerField(read_only=True)
    officer_count = serializers.IntegerField(read_only=True)
    findings = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "level",
            "category",
            "parent",
            "region",
            "service_position",
            "founded_on",
            "term_started_on",
            "term_years",
            "term_ends_on",
            "dissolved_on",
            "full_member_count",
            "probationary_member_count",
            "covered_unit_count",
            "officer_count",
            "findings",
            "created_at",
            "updated_at",
        ]

    def get_findings(self, obj: Organisation) -> list[dict]:
        values = self.context.setdefault("rule_values", rules.RuleValues())
        findings = checks.check_organisation(obj, checks.facts_of(obj), values)
        return FindingSerializer(findings, many=True).data


class OrganisationViewSet(ScopedReadOnlyViewSet):
    queryset = Organisation.objects.select_related("region")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def get_queryset(self):
        return checks.annotate_facts(super().get_queryset())
