from jiequ.core.imports import Importer

from .forms import ENTITY_FIELDS, EntityImportForm
from .models import Entity


class EntityImporter(Importer):
    """Entities are known by their credit code, else by registered or sign name in scope."""

    model = Entity
    form_class = EntityImportForm
    columns = ENTITY_FIELDS
    key_fields = ["credit_code", "name", "sign_name", "address"]

    def find_existing(self, data: dict[str, str]) -> Entity | None:
        from jiequ.core.validators import normalise_credit_code

        mine = Entity.objects.restrict(self.user, "change")
        code = normalise_credit_code(data.get("credit_code", ""))
        if code:
            return mine.filter(credit_code=code).first()
        name, sign = data.get("name", "").strip(), data.get("sign_name", "").strip()
        if not (name or sign):
            return None
        matches = mine.filter(name=name, sign_name=sign, address=data.get("address", "").strip())
        return matches.first() if matches.count() == 1 else None
