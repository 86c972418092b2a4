from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"menu": menu_for(user) if user is not None else [], "map_settings": _map_settings}


def _map_settings():
    # Called lazily by the template engine only on pages that draw a map.
    return {
        "tileUrl": settings.JIEQU_MAP["TILE_URL"],
        "tileCrs": settings.JIEQU_MAP["TILE_CRS"],
        "attribution": settings.JIEQU_MAP["ATTRIBUTION"],
        "maxZoom": settings.JIEQU_MAP["MAX_ZOOM"],
        "dataUrl": reverse("areas:map_data"),
        "labels": {
            "subdistrict": _("Subdistrict"),
            "area": _("Area"),
            "grid": _("Grid"),
            "road": _("Road"),
            "building": _("Building"),
            "shop": _("Street shop"),
            "floors": _("floors"),
            "noData": _("Nothing to show in your area of work."),
        },
    }
