from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiequ.core.forms import ScopedModelForm

from .models import RegistrySource

HEADER_FIELDS = {
    "external_id": _("column holding the registry number"),
    "name": _("column holding the registered name"),
    "credit_code": _("column holding the credit code"),
    "address": _("column holding the address"),
}


class RegistrySourceForm(ScopedModelForm):
    """A source and the columns of its files; left empty, the usual headers are tried."""

    class Meta:
        model = RegistrySource
        fields = ["name", "department"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in HEADER_FIELDS.items():
            self.fields[f"header_{key}"] = forms.CharField(
                label=label, required=False, initial=self.instance.column_map.get(key, "")
            )

    def save(self, commit: bool = True) -> RegistrySource:
        source = super().save(commit=False)
        source.column_map = {
            key: self.cleaned_data[f"header_{key}"].strip()
            for key in HEADER_FIELDS
            if self.cleaned_data.get(f"header_{key}", "").strip()
        }
        if source.subdistrict_id is None:
            scope = self.user.scope_region
            source.subdistrict = scope if scope.level == "subdistrict" else scope.subdistrict
        if commit:
            source.save()
        return source
