"""The data chain: department registry extracts imported, compared and linked to the ledger.

import_extract() reads a department's file with the source's column mapping, all or nothing,
and records what is new, changed and no longer listed. reconcile() then links each registry
record to a ledger entity with the matcher: confident links are made, doubtful ones wait for a
person, the rest are proposed as new entities. Entities whose record vanished from the latest
extract are flagged as possibly closed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiequ.core.imports import ImportFileError, RowError, read_rows
from jiequ.core.validators import credit_code_valid, normalise_credit_code

from . import matching
from .models import (
    Entity,
    EntityState,
    LinkState,
    RegistryImport,
    RegistryRecord,
    RegistrySource,
)

FIELDS = ("external_id", "name", "credit_code", "address")
# Headers tried when a source has no mapping yet (market-supervision extracts use these).
DEFAULT_HEADERS = {
    "external_id": ["注册号", "编号", "id"],
    "name": ["企业名称", "名称", "主体名称", "name"],
    "credit_code": ["统一社会信用代码", "信用代码", "credit_code"],
    "address": ["住所", "经营场所", "地址", "address"],
}
# Links a person made are never redone by the matcher.
SETTLED = (LinkState.CONFIRMED,)


@dataclass
class ExtractReport:
    already_imported: bool = False
    record: RegistryImport | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _column_indexes(source: RegistrySource, headers: list[str]) -> dict[str, int]:
    wanted = {
        f: [source.column_map[f]] if source.column_map.get(f) else DEFAULT_HEADERS[f]
        for f in FIELDS
    }
    found: dict[str, int] = {}
    normalised = [h.strip().lower() for h in headers]
    for name, options in wanted.items():
        for option in options:
            if option.strip().lower() in normalised:
                found[name] = normalised.index(option.strip().lower())
                break
    missing = [" / ".join(wanted[f]) for f in ("external_id", "name") if f not in found]
    if missing:
        raise ImportFileError(
            _("The file has no column for: %(cols)s. Check the column mapping of this source.")
            % {"cols": "、".join(missing)}
        )
    return found


def import_extract(source: RegistrySource, upload: Any, user: Any) -> ExtractReport:
    """Import one extract: every row checked first, then all saved in one transaction."""
    raw = upload.read()
    upload.seek(0)
    checksum = hashlib.sha256(raw).hexdigest()
    last = source.imports.order_by("-created_at").first()
    if last is not None and last.checksum == checksum:
        return ExtractReport(already_imported=True, record=last)
    headers, body = read_rows(upload)
    columns = _column_indexes(source, headers)
    rows: dict[str, dict[str, str]] = {}
    errors: list[RowError] = []
    for number, cells in body:
        values = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items()}
        values.setdefault("credit_code", "")
        values.setdefault("address", "")
        values["credit_code"] = normalise_credit_code(values["credit_code"])
        ext = values["external_id"]
        if not ext:
            errors.append(RowError(number, _("registry number"), _("This row has no number.")))
        elif ext in rows:
            errors.append(
                RowError(
                    number,
                    _("registry number"),
                    _("The number %(id)s appears twice.") % {"id": ext},
                )
            )
        if not values["name"] and not values["credit_code"]:
            errors.append(RowError(number, _("registered name"), _("No name and no credit code.")))
        if values["credit_code"] and not credit_code_valid(values["credit_code"]):
            errors.append(
                RowError(
                    number,
                    _("unified social credit code"),
                    _("The check character of this credit code is wrong; please check for a typo."),
                )
            )
        rows[ext] = values
    if errors:
        return ExtractReport(errors=errors)
    with transaction.atomic():
        extract = RegistryImport.objects.create(
            source=source,
            file_name=getattr(upload, "name", ""),
            checksum=checksum,
            imported_by=user,
            rows=len(rows),
        )
        existing = {r.external_id: r for r in source.records.select_for_update()}
        for ext, values in rows.items():
            record = existing.get(ext)
            if record is None:
                RegistryRecord.objects.create(source=source, last_import=extract, **values)
                extract.created += 1
                continue
            changed = {
                f: [getattr(record, f), values[f]]
                for f in FIELDS
                if getattr(record, f) != values[f]
            }
            for f in FIELDS:
                setattr(record, f, values[f])
            record.last_import, record.removed_in = extract, None
            record.changed_fields = changed
            if changed and record.link_state not in SETTLED:
                record.link_state = LinkState.NEW  # changed details are matched again
            record.save()
            extract.updated += bool(changed)
            extract.unchanged += not changed
        gone = [r for ext, r in existing.items() if ext not in rows and r.removed_in_id is None]
        for record in gone:
            record.removed_in = extract
            record.save(update_fields=["removed_in", "updated_at"])
        extract.removed = len(gone)
        extract.save()
        reconcile(source)
    return ExtractReport(record=extract)


def reconcile(source: RegistrySource) -> dict[str, int]:
    """Link the source's open records to the subdistrict's entities with the matcher."""
    open_records = list(
        source.records.filter(removed_in__isnull=True).exclude(link_state__in=SETTLED)
    )
    taken = set(
        source.records.filter(link_state__in=SETTLED, entity__isnull=False).values_list(
            "entity_id", flat=True
        )
    )
    entities = Entity.objects.filter(region__path__startswith=source.subdistrict.path).exclude(
        pk__in=taken
    )
    ledger = [
        matching.LedgerRecord(str(e.pk), e.name, e.sign_name, e.credit_code, e.address)
        for e in entities.only("pk", "name", "sign_name", "credit_code", "address")
    ]
    registry = [
        matching.RegistryRecord(str(r.pk), r.name, r.credit_code, r.address) for r in open_records
    ]
    # The subdistrict's own road list parses its addresses better than any generic rule.
    roads = list(source.subdistrict.roads.values_list("name", flat=True))
    pairs = matching.match_records(ledger, registry, roads=roads) if ledger and registry else []
    best: dict[int, list[tuple[int, float, str]]] = {}
    for pair in pairs:
        best.setdefault(int(pair.registry_id), []).append(
            (int(pair.ledger_id), pair.score, pair.decision)
        )
    counts = {"auto": 0, "review": 0, "new": 0}
    for record in open_records:
        options = sorted(best.get(record.pk, []), key=lambda o: -o[1])
        matched = next((o for o in options if o[2] == "match"), None)
        if matched:
            record.entity_id, record.score, record.link_state = (
                matched[0],
                matched[1],
                LinkState.AUTO,
            )
        elif options:
            record.entity_id, record.score = None, options[0][1]
            record.link_state = LinkState.REVIEW
        else:
            record.entity_id, record.score, record.link_state = None, None, LinkState.NEW
        record.candidates = [[o[0], round(o[1], 4)] for o in options[:3]]
        counts[record.link_state] += 1
    RegistryRecord.objects.bulk_update(
        open_records, ["entity", "score", "link_state", "candidates"], batch_size=500
    )
    return counts


def decide(record: RegistryRecord, entity: Entity | None) -> None:
    """A person's decision: link to `entity`, or (None) no entity — propose a new one."""
    record.entity = entity
    record.link_state = LinkState.CONFIRMED if entity is not None else LinkState.NEW
    record.save()


def possibly_closed(entities: QuerySet) -> QuerySet:
    """Entities still in business whose registry record is missing from the latest extract."""
    return entities.filter(
        registry_records__removed_in__isnull=False,
        state__in=[EntityState.OPERATING, EntityState.UNVERIFIED],
    ).distinct()
