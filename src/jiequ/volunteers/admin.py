"""Admin: read-mostly views for the superuser; phones never shown."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ServicePoint, TaskSignup, Volunteer, VolunteerCode, VolunteerTask


@admin.register(ServicePoint)
class ServicePointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "address", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address", "host_name"]
    raw_id_fields = ["region", "host_entity"]


@admin.register(VolunteerCode)
class VolunteerCodeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "is_active", "created_at"]
    readonly_fields = ["token"]
    raw_id_fields = ["point", "region"]


@admin.register(Volunteer)
class VolunteerAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "phone_masked", "occupation", "platform", "state"]
    list_filter = ["state", "occupation", "platform"]
    search_fields = ["name"]
    exclude = ["phone_encrypted", "phone_hash", "token"]
    readonly_fields = ["phone_masked", "consent_text", "consent_at"]
    raw_id_fields = ["code", "point", "region", "reviewed_by"]


@admin.register(VolunteerTask)
class VolunteerTaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "places", "is_cancelled"]
    list_filter = ["kind", "is_cancelled"]
    search_fields = ["title", "place"]
    raw_id_fields = ["point", "region"]


@admin.register(TaskSignup)
class TaskSignupAdmin(SimpleHistoryAdmin):
    list_display = ["task", "volunteer", "state", "hours"]
    list_filter = ["state"]
    raw_id_fields = ["task", "volunteer", "confirmed_by"]
