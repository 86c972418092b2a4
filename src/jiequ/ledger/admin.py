from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Entity,
    MemberRegistration,
    RegistryRecord,
    RegistrySource,
    SignupCode,
    SurveyRound,
    Visit,
)


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sign_name", "credit_code", "kind", "state", "region"]
    list_filter = ["state", "kind", "is_street_shop", "industry"]
    search_fields = ["name", "sign_name", "credit_code", "address"]
    raw_id_fields = ["region", "road", "building"]


@admin.register(SurveyRound)
class SurveyRoundAdmin(SimpleHistoryAdmin):
    list_display = ["subdistrict", "number", "opened_on", "due_on", "closed_on"]
    list_filter = ["subdistrict"]


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["entity", "visitor", "visited_on", "state_found", "worker_count"]
    list_filter = ["state_found", "round"]
    raw_id_fields = ["entity", "visitor", "round"]
    # Contact phones stay encrypted; the admin shows neither the phone nor its hash.
    exclude = ["contact_phone_encrypted", "contact_phone_hash"]


@admin.register(SignupCode)
class SignupCodeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "target", "region", "is_active"]
    list_filter = ["target", "is_active"]
    raw_id_fields = ["entity", "building", "region"]


@admin.register(MemberRegistration)
class MemberRegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "membership", "record_organisation", "state", "updated_at"]
    list_filter = ["state", "membership"]
    readonly_fields = ["consent_text", "consent_at", "submissions"]
    raw_id_fields = ["code", "region", "entity", "reviewed_by"]


@admin.register(RegistrySource)
class RegistrySourceAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "subdistrict"]


@admin.register(RegistryRecord)
class RegistryRecordAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "source", "link_state", "entity", "score"]
    list_filter = ["source", "link_state"]
    search_fields = ["name", "credit_code", "external_id"]
    raw_id_fields = ["entity"]
