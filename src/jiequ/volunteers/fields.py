"""A list of choice keys in one text column, searchable on SQLite and PostgreSQL alike.

Skills, offers and availability are short lists of fixed keys. They are stored as ",a,b," so
"who has key a" is `field__contains=",a,"` on any database (SQLite has no JSON containment).
The value in Python is a `ChoiceList`: a list of keys that prints as its labels, so tables,
detail pages and exports show "急救、摄影" without extra code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db import models
from django.db.models.query_utils import DeferredAttribute


class ChoiceList(list):
    """Keys of a choice list that print as their labels, joined by "、"."""

    def __init__(self, keys: Iterable[str] = (), labels: dict[str, Any] | None = None) -> None:
        super().__init__(keys)
        self.labels = labels or {}

    def label_list(self) -> list[str]:
        return [str(self.labels.get(k, k)) for k in self]

    def __str__(self) -> str:
        return "、".join(self.label_list())


def contains(name: str, key: str) -> models.Q:
    """A filter for records whose list `name` holds `key`."""
    return models.Q(**{f"{name}__contains": f",{key},"})


class _ChoiceListAttribute(DeferredAttribute):
    """Wraps whatever is assigned (a form's list, a stored string) into a ChoiceList."""

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = self.field.to_python(value)


class ChoiceListField(models.CharField):
    """A CharField holding a list of keys of `options` (a TextChoices class's choices)."""

    descriptor_class = _ChoiceListAttribute

    def __init__(self, *args: Any, options: Sequence[tuple[str, Any]] = (), **kwargs: Any) -> None:
        self.options = list(options)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        # The options only shape forms and labels; migrations need the column alone.
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs

    def _wrap(self, keys: Iterable[str]) -> ChoiceList:
        return ChoiceList(keys, dict(self.options))

    def to_python(self, value: Any) -> ChoiceList:
        if isinstance(value, ChoiceList):
            return value
        if value is None or value == "":
            return self._wrap([])
        if isinstance(value, str):
            return self._wrap(k for k in value.split(",") if k)
        return self._wrap(str(k) for k in value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> ChoiceList:
        return self.to_python(value)

    def get_prep_value(self, value: Any) -> str:
        keys = self.to_python(value)
        return f",{','.join(keys)}," if keys else ""

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: Any) -> None:
        # Each key must be one of the options; the stored length is the column's concern.
        known = {k for k, _label in self.options}
        bad = [k for k in self.to_python(value) if known and k not in known]
        if bad:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], params={"value": bad[0]}
            )

    def run_validators(self, value: Any) -> None:
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs: Any) -> forms.Field:
        defaults = {
            "choices": self.options,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update({k: v for k, v in kwargs.items() if k in ("label", "required", "widget")})
        return forms.MultipleChoiceField(**defaults)
