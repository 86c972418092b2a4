from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, CaseCategory, CaseEvent, CasePhoto, DeadlineRule, DemandCode


@admin.register(CaseCategory)
class CaseCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    list_display = ["request_type", "level", "category", "working_days"]
    list_filter = ["request_type", "level"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "at",
        "actor",
        "actor_label",
        "action",
        "from_state",
        "to_state",
        "from_level",
        "to_level",
        "reason",
        "tried",
        "is_public",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    """Read-mostly: states change only through the workflow (the case pages and the API)."""

    list_display = ["number", "title", "level", "state", "due_on", "region", "organisation"]
    list_filter = ["state", "level", "source", "request_type"]
    search_fields = ["number", "title", "description"]
    raw_id_fields = ["entity", "region", "organisation", "council", "assignee", "code", "category"]
    # The workflow owns these; the reporter's phone stays encrypted and out of the admin.
    readonly_fields = [
        "number",
        "state",
        "level",
        "due_on",
        "level_since",
        "resolved_at",
        "closed_at",
        "solved_level",
        "escalated_to_district_at",
        "rating",
        "rated_at",
    ]
    exclude = ["phone_encrypted", "phone_hash", "follow_token", "submission_key"]
    inlines = [CaseEventInline]


@admin.register(CasePhoto)
class CasePhotoAdmin(admin.ModelAdmin):
    list_display = ["case", "image", "uploaded_at"]
    raw_id_fields = ["case", "uploaded_by"]


@admin.register(DemandCode)
class DemandCodeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "entity", "region", "organisation", "is_active"]
    raw_id_fields = ["entity", "region", "organisation"]
