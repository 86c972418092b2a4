from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Entity


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sign_name", "credit_code", "kind", "state", "region"]
    list_filter = ["state", "kind", "is_street_shop", "industry"]
    search_fields = ["name", "sign_name", "credit_code", "address"]
    raw_id_fields = ["region", "road", "building"]
