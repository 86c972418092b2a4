"""The public demand form (no account) and the reporter's rating form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiequ.core.validators import normalise_phone

from . import photos as photo_checks
from .models import CaseCategory

CONSENT_TEXT = _(
    "I agree that the subdistrict keeps my name and phone number to contact me about this "
    "demand. They are used only to handle it, shown to the people handling it with the number "
    "masked, and never made public."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to 4 photos in one input; each checked by its content (JPEG, PNG, WebP, ≤ 5 MB)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return photo_checks.validate_photos(files)


class PublicDemandForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=CaseCategory.objects.none(),
        widget=forms.RadioSelect,  # shown as big buttons
        empty_label=None,
        error_messages={"required": _("Choose what the problem is about.")},
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=1000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("What happened, where exactly, since when…")}
        ),
        error_messages={"required": _("Describe the problem in a few words.")},
    )
    photos = MultiplePhotoField(
        label=_("Photos (up to 4)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": photo_checks.ACCEPT}),
    )
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Your mobile phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseCategory.objects.filter(
            parent__isnull=True, is_active=True
        ).order_by("code")

    def clean_description(self) -> str:
        text = " ".join(self.cleaned_data["description"].split())
        if len(text) < 5:
            raise ValidationError(_("Write a little more (at least 5 characters)."))
        return text

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("reporter_name") or data.get("phone")) and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Tick the box to let us keep your name and phone, or leave them empty "
                    "(you can still follow the demand with its private link)."
                ),
            )
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose 1 to 5 stars.")},
    )
    rating_comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
