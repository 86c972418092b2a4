"""CSV and Excel exports of a (filtered, scoped) list."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .columns import display_value, field_label

FORMATS = ("csv", "xlsx")


def table(queryset: models.QuerySet, columns: Sequence[str]) -> tuple[list[str], list[list]]:
    headers = [field_label(queryset.model, c) for c in columns]
    rows = [[display_value(obj, c) for c in columns] for obj in queryset]
    return headers, rows


def export_response(
    queryset: models.QuerySet, columns: Sequence[str], fmt: str, basename: str
) -> HttpResponse:
    """A download of the queryset's rows; headers are the field names in the active language."""
    headers, rows = table(queryset, columns)
    return rows_response(headers, rows, fmt, basename)


def _cell(value: Any) -> Any:
    # Excel cells take plain values; lazy translations and model instances become text.
    if isinstance(value, datetime):
        # openpyxl refuses aware times: write the local (Shanghai) wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, bool | int | float | Decimal | str | date):
        return value
    return str(value)


def rows_response(
    headers: Sequence[Any], rows: Sequence[Sequence[Any]], fmt: str, basename: str
) -> HttpResponse:
    """A CSV (with a byte-order mark, so Excel reads Chinese) or XLSX download of a table.

    For tables that are not one queryset's fields: counts, findings, computed columns.
    """
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    headers = [str(h) for h in headers]
    if fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = basename[:31]
        ws.append(headers)
        for row in rows:
            ws.append([_cell(c) for c in row])
        for i, header in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 4)
        ws.freeze_panes = "A2"
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{fmt}"'
    return response
