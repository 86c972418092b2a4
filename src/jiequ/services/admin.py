from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Delivery, Need, Project, ProjectResource, Resource, Talent, TalentInvite


@admin.register(Need, Resource)
class SupplyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "state", "starts_on", "region"]
    list_filter = ["category", "state"]
    search_fields = ["title", "description"]
    raw_id_fields = ["organisation", "entity", "region"]


class AllocationInline(admin.TabularInline):
    model = ProjectResource
    raw_id_fields = ["resource"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(SupplyAdmin):
    inlines = [AllocationInline]
    raw_id_fields = [*SupplyAdmin.raw_id_fields, "needs"]


@admin.register(Delivery)
class DeliveryAdmin(SimpleHistoryAdmin):
    list_display = ["project", "organisation", "delivered_on", "participants", "rating"]
    raw_id_fields = ["project", "organisation", "recorded_by"]


@admin.register(Talent)
class TalentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "region", "source", "withdrawn_at"]
    search_fields = ["name", "skills"]
    # The phone stays encrypted and masked, here as everywhere.
    exclude = ["phone_encrypted", "phone_hash", "token"]
    raw_id_fields = ["region", "entered_by", "projects"]
    filter_horizontal = ["councils"]


admin.site.register(TalentInvite)
