from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Booking, Duty, DutySwap, MenuFeed, Position, Room, RotaMember, SignUp


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "address", "region", "floor_area", "is_active"]
    search_fields = ["name", "address"]
    raw_id_fields = ["region", "organisation"]


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "kind", "capacity", "needs_approval", "is_active"]
    list_filter = ["kind", "needs_approval"]
    search_fields = ["name"]


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    list_display = ["room", "starts_at", "ends_at", "organisation", "council", "state"]
    list_filter = ["state"]
    raw_id_fields = ["room", "organisation", "council", "booked_by", "decided_by"]
    date_hierarchy = "starts_at"


@admin.register(RotaMember)
class RotaMemberAdmin(SimpleHistoryAdmin):
    list_display = ["position", "member", "cadre", "order", "is_active"]
    raw_id_fields = ["member", "cadre"]


@admin.register(Duty)
class DutyAdmin(SimpleHistoryAdmin):
    list_display = ["day", "position", "member", "cadre"]
    list_filter = ["position"]
    raw_id_fields = ["member", "cadre"]
    date_hierarchy = "day"


@admin.register(DutySwap)
class DutySwapAdmin(SimpleHistoryAdmin):
    list_display = ["duty_a", "duty_b", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = [
        "duty_a",
        "duty_b",
        "a_member",
        "a_cadre",
        "b_member",
        "b_cadre",
        "proposed_by",
        "answered_by",
    ]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "capacity", "audience", "organiser"]
    list_filter = ["kind", "audience"]
    search_fields = ["title"]
    raw_id_fields = ["room", "organiser", "audience_organisation"]
    date_hierarchy = "starts_at"


@admin.register(SignUp)
class SignUpAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "member", "state", "queued_at", "attended"]
    list_filter = ["state"]
    raw_id_fields = ["activity", "member", "signed_up_by"]


@admin.register(MenuFeed)
class MenuFeedAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "updated_at"]
    raw_id_fields = ["organisation"]
    # The token is the key to the feed: not shown.
    exclude = ["token"]
