"""Display values of model fields, shared by list tables, detail pages and exports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _


def field_label(model: type[models.Model], name: str) -> str:
    """A column's heading: the field's verbose name, or a label the model gives a property."""
    labels = getattr(model, "column_labels", {})
    if name in labels:
        return str(labels[name])
    return str(model._meta.get_field(name).verbose_name)


def display_value(obj: models.Model, name: str) -> Any:
    """What a person should read for `obj.<name>`: choice labels, related names, plain numbers."""
    if name in getattr(obj, "column_labels", {}):
        return getattr(obj, name)
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.ForeignKey):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def display_stored(model: type[models.Model], name: str, value: Any) -> Any:
    """A stored value as a person reads it (for change history): labels and names, not ids."""
    if value is None or value == "":
        return ""
    field = model._meta.get_field(name)
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    return value
