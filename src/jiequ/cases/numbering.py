"""Case numbers: the day received and a running number that day, e.g. 20261124-0007."""

from __future__ import annotations

from datetime import date

from django.db.models.functions import Length

from .models import Case


def format_number(day: date, sequence: int) -> str:
    return f"{day:%Y%m%d}-{sequence:04d}"


def next_number(day: date) -> str:
    """The next free number of `day`.

    Two cases created at the same moment may both read the same last number; the unique
    constraint refuses the second, and services.create_case retries with the next one.
    """
    prefix = f"{day:%Y%m%d}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .annotate(length=Length("number"))
        .order_by("-length", "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last and last[len(prefix) :].isdigit() else 1
    return format_number(day, sequence)
