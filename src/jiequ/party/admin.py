from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cadre, CoverageLink, Officer, Organisation, RuleOverride


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "category", "parent", "region", "term_ends_on"]
    list_filter = ["level", "category"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "region"]


@admin.register(CoverageLink)
class CoverageLinkAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "entity", "kind", "since"]
    list_filter = ["kind"]
    raw_id_fields = ["organisation", "entity"]


@admin.register(Cadre)
class CadreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department_kind", "department", "post", "subdistrict"]
    list_filter = ["department_kind"]
    search_fields = ["name", "department"]
    # Phones stay encrypted; the admin shows neither the phone nor its hash.
    exclude = ["phone_encrypted", "phone_hash"]


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "role", "origin", "member", "cadre", "started_on", "ended_on"]
    list_filter = ["role", "origin"]
    raw_id_fields = ["organisation", "member", "cadre", "entity"]


@admin.register(RuleOverride)
class RuleOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["region", "key", "value", "reason", "updated_at"]
    list_filter = ["key"]
