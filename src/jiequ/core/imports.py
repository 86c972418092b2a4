"""Bulk import from Excel or CSV: all-or-nothing, row-by-row errors, idempotent.

An app declares an `Importer` for a model: the row form that validates one row (a ModelForm
that knows the acting user), the columns, and the natural key that finds the record a row
updates. `run()` reads the whole file, validates every row, and saves nothing unless every
row is valid; then it saves all rows in one transaction. Rows equal to what is stored already
change nothing (no write, no history row), so re-importing the same file is a no-op.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was saved."""


@dataclass
class RowError:
    row: int  # the row number a person sees in Excel (header is row 1)
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(upload: Any) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Headers and (row number, cells) of an uploaded .xlsx or .csv file; blank rows skipped."""
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if size is not None and size > settings.JIEQU_IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (at most %(mb)d MB).")
            % {"mb": settings.JIEQU_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    raw = upload.read()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFileError(_("This is not a readable Excel (.xlsx) file.")) from exc
        table = [
            [_cell_text(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)
        ]
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK text."))
        if "\x00" in text:
            raise ImportFileError(_("The CSV file contains binary data."))
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ImportFileError(_("Only .xlsx and .csv files can be imported."))

    numbered = [(i, row) for i, row in enumerate(table, start=1) if any(row)]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    headers, body = numbered[0][1], numbered[1:]
    if not body:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if len(body) > settings.JIEQU_IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("Too many rows (%(n)d); at most %(max)d per file.")
            % {"n": len(body), "max": settings.JIEQU_IMPORT_MAX_ROWS}
        )
    return headers, body


class Importer:
    model: type[models.Model]
    form_class: type[forms.ModelForm]
    # Columns in file order, as form field names. Exports use the same names and labels.
    columns: Sequence[str] = ()
    # Columns an export carries that an import accepts and ignores (derived values).
    ignored_columns: Sequence[str] = ()
    # Form fields whose values together find the record a row updates.
    key_fields: Sequence[str] = ()

    def __init__(self, user: Any) -> None:
        self.user = user

    # -- headers ------------------------------------------------------------------------
    def header_aliases(self) -> dict[str, str]:
        """Accepted header → column: the field name, and its label in every language."""
        form = self.form_class(user=self.user)
        aliases: dict[str, str] = {}
        for name in [*self.columns, *self.ignored_columns]:
            aliases[name.lower()] = name
            for code, _label in settings.LANGUAGES:
                with translation.override(code):
                    label = form.fields[name].label if name in form.fields else None
                    label = label or self.model._meta.get_field(name).verbose_name
                    aliases[str(label).strip().lower()] = name
        return aliases

    def map_headers(self, headers: list[str]) -> list[str | None]:
        aliases = self.header_aliases()
        mapped, unknown = [], []
        for header in headers:
            column = aliases.get(header.strip().lower())
            if header.strip() and column is None:
                unknown.append(header)
            mapped.append(column)
        if unknown:
            raise ImportFileError(
                _("Unknown columns: %(cols)s. Use the column names of the template.")
                % {"cols": "、".join(unknown)}
            )
        required = [
            name for name, f in self.form_class(user=self.user).fields.items() if f.required
        ]
        missing = [c for c in required if c not in mapped]
        if missing:
            labels = [str(self.form_class(user=self.user).fields[c].label) for c in missing]
            raise ImportFileError(
                _("Missing required columns: %(cols)s.") % {"cols": "、".join(labels)}
            )
        return mapped

    # -- rows ---------------------------------------------------------------------------
    def find_existing(self, data: dict[str, str]) -> models.Model | None:
        """The stored record this row updates, if any. Apps override for their natural key."""
        raise NotImplementedError

    def differs_from_stored(self, instance: models.Model) -> bool:
        """Does the validated row change any stored value? (Compares model values, not text.)"""
        stored = type(instance)._default_manager.get(pk=instance.pk)
        skip = {"created_at", "updated_at"}
        return any(
            getattr(stored, f.attname) != getattr(instance, f.attname)
            for f in instance._meta.concrete_fields
            if f.name not in skip
        )

    def run(self, upload: Any) -> ImportResult:
        headers, body = read_rows(upload)
        mapped = self.map_headers(headers)
        result = ImportResult(rows=len(body))
        pending: list[tuple[forms.ModelForm, bool]] = []
        seen_keys: dict[tuple, int] = {}
        for number, cells in body:
            data = {
                column: (cells[i] if i < len(cells) else "")
                for i, column in enumerate(mapped)
                if column and column not in self.ignored_columns
            }
            key = tuple(data.get(k, "") for k in self.key_fields)
            if key in seen_keys:
                result.errors.append(
                    RowError(
                        number,
                        "",
                        _("Duplicate of row %(row)d in this file.") % {"row": seen_keys[key]},
                    )
                )
                continue
            seen_keys[key] = number
            instance = self.find_existing(data)
            if instance is not None:
                # Columns the file leaves out keep their stored values rather than being blanked.
                stored = self.form_class(instance=instance, user=self.user)
                for name in stored.fields:
                    if name not in data:
                        value = stored[name].value()
                        data[name] = "" if value is None else value
            form = self.form_class(data=data, instance=instance, user=self.user)
            if not form.is_valid():
                for name, messages in form.errors.items():
                    label = str(form.fields[name].label) if name in form.fields else ""
                    result.errors.extend(RowError(number, label, m) for m in messages)
                continue
            pending.append((form, instance is None))
        if result.errors:
            return result
        with transaction.atomic():
            for form, is_new in pending:
                if is_new:
                    form.save()
                    result.created += 1
                elif self.differs_from_stored(form.instance):
                    form.save()
                    result.updated += 1
                else:
                    result.unchanged += 1
        return result
