from jiequ.core.imports import Importer

from .forms import BuildingImportForm
from .models import Building


class BuildingImporter(Importer):
    model = Building
    form_class = BuildingImportForm
    columns = ["name", "kind", "road", "number", "address", "floors", "lat", "lon"]
    ignored_columns = ["region"]
    key_fields = ["name"]

    def find_existing(self, data: dict[str, str]) -> Building | None:
        # A building is known by its name within the subdistricts the user may change.
        name = data.get("name", "").strip()
        if not name:
            return None
        matches = Building.objects.restrict(self.user, "change").filter(name=name)
        return matches.first() if matches.count() == 1 else None
