from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    Council,
    CouncilMeeting,
    CouncilMember,
    Decision,
    PulseBoard,
    PulseTopic,
    Task,
)


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "organisation", "meets_every_days", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region", "road", "building", "organisation"]


@admin.register(CouncilMember)
class CouncilMemberAdmin(SimpleHistoryAdmin):
    list_display = ["council", "kind", "post", "name", "entity", "organisation", "department"]
    list_filter = ["kind", "post", "department"]
    raw_id_fields = ["council", "entity", "organisation", "member", "cadre"]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    raw_id_fields = ["case", "topic"]
    extra = 0


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["council", "held_on", "state", "guests", "closed_at"]
    list_filter = ["state", "council__kind"]
    raw_id_fields = ["council", "closed_by", "created_by"]
    filter_horizontal = ["present"]
    inlines = [AgendaInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "kind", "title", "case", "applied_at"]
    list_filter = ["kind"]
    raw_id_fields = [
        "meeting",
        "agenda_item",
        "case",
        "entity",
        "region",
        "owner_member",
        "owner_user",
        "category",
    ]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "council", "due_on", "done_on"]
    raw_id_fields = [
        "council",
        "meeting",
        "decision",
        "case",
        "owner_member",
        "owner_user",
        "done_by",
    ]


@admin.register(PulseBoard)
class PulseBoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "council", "is_active"]
    raw_id_fields = ["region", "council"]


@admin.register(PulseTopic)
class PulseTopicAdmin(SimpleHistoryAdmin):
    list_display = ["title", "board", "votes", "state", "hidden_at"]
    list_filter = ["state"]
    search_fields = ["title"]
    raw_id_fields = ["board", "hidden_by"]
    # Phones stay encrypted; the admin shows neither the phone nor its hash.
    exclude = ["phone_encrypted", "phone_hash", "submission_key"]
