from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import OutboxAttempt, OutboxMessage


class AttemptInline(admin.TabularInline):
    model = OutboxAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "finished_at", "outcome", "error", "reference"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "channel", "recipient", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "channel"]
    search_fields = ["subject", "recipient", "idempotency_key"]
    raw_id_fields = ["case", "region"]
    exclude = ["recipient_encrypted"]
    inlines = [AttemptInline]

    # Messages are never deleted: a failed one stays to be seen and retried.
    def has_delete_permission(self, request, obj=None):
        return False
