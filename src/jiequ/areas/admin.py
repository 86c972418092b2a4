from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Building, Region, Road


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "path"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]


@admin.register(Road)
class RoadAdmin(SimpleHistoryAdmin):
    list_display = ["name", "subdistrict"]
    list_filter = ["subdistrict"]
    search_fields = ["name"]


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "address", "floors", "region"]
    list_filter = ["kind", "subdistrict"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["road"]
    raw_id_fields = ["region"]
