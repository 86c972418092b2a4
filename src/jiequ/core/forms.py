"""Form pieces every app shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that knows who is acting, so it can limit choices and check scope.

    It also refuses to save over a change someone else made after this form was opened:
    the page carries the record's `updated_at` as it was, and a newer one is a conflict.
    """

    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and getattr(instance, "updated_at", None):
            self.fields["loaded_at"].initial = instance.updated_at.isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        loaded = self.data.get(self.add_prefix("loaded_at")) if self.is_bound else None
        if loaded and self.instance.pk:
            stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            if stored is not None and stored.updated_at.isoformat() != loaded:
                raise forms.ValidationError(
                    _(
                        "Someone else changed this record while you were editing it. "
                        "Reload the page to see their change, then edit again."
                    ),
                    code="conflict",
                )
        return cleaned


class ChoiceLabelField(forms.TypedChoiceField):
    """A choice field for imports that accepts a choice's value or its label in any language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = gettext_lazy(
            "“%(value)s” is not one of the allowed values."
        )

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in ("", None):
            return value
        text = str(value).strip()
        from django.conf import settings

        for choice_value, label in self.choices:
            if text == str(choice_value):
                return choice_value
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    if text.lower() == str(label).lower():
                        return choice_value
        return text
