"""Forms of the community talents' register: staff entry (with the person's consent) and the
person's own sign-up behind the QR code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import region_in_scope, restrict
from jiequ.core.validators import normalise_phone
from jiequ.councils.models import Council

from .models import Category, Project, Talent, TalentSource
from .talents import CONSENT_TEXT, STAFF_CONSENT_TEXT, phone_taken

TALENT_FIELDS = [
    "name",
    "skills",
    "category",
    "occupation",
    "region",
    "councils",
    "projects",
    "notes",
]


class TalentForm(ScopedModelForm):
    phone = forms.CharField(
        label=gettext_lazy("mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(label=STAFF_CONSENT_TEXT, required=False)

    class Meta:
        model = Talent
        fields = TALENT_FIELDS
        widgets = {
            "councils": forms.CheckboxSelectMultiple,
            "projects": forms.SelectMultiple(attrs={"size": 6}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.order_fields([*TALENT_FIELDS[:1], "phone", *TALENT_FIELDS[1:], "consent"])
        self.fields["region"].queryset = restrict(
            Region.objects.filter(level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA]), user
        )
        self.fields["councils"].queryset = restrict(Council.objects.filter(is_active=True), user)
        self.fields["projects"].queryset = restrict(Project.objects.all(), user)
        if self.instance.pk:
            self.fields["phone"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; type a new number to change it."
            ) % {"masked": self.instance.phone_masked or "—"}
            del self.fields["consent"]
        else:
            self.fields["consent"].required = True
            self.fields["consent"].error_messages["required"] = _(
                "Only people who agreed may be entered: tick the consent once they have."
            )

    def clean_phone(self) -> str:
        text = self.cleaned_data.get("phone", "").strip()
        if not text:
            return ""
        phone = normalise_phone(text)
        if phone_taken(phone, exclude=self.instance if self.instance.pk else None):
            raise forms.ValidationError(_("This phone number is already on the register."))
        return phone

    def clean_region(self) -> Region:
        region = self.cleaned_data["region"]
        if not region_in_scope(self.user, region):
            raise forms.ValidationError(_("You may only enter talents in your own region."))
        return region

    def save(self, commit: bool = True) -> Talent:
        talent = super().save(commit=False)
        phone = self.cleaned_data.get("phone")
        if phone:
            talent.set_phone(phone)
        if not talent.pk:
            talent.source = TalentSource.STAFF
            talent.consent_text = str(STAFF_CONSENT_TEXT)
            talent.consented_at = timezone.now()
            talent.entered_by = self.user
        if commit:
            talent.save()
            self.save_m2m()
        return talent


class JoinForm(forms.Form):
    """The person's own sign-up (public, phone first)."""

    name = forms.CharField(label=gettext_lazy("full name"), max_length=50)
    phone = forms.CharField(
        label=gettext_lazy("mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    skills = forms.CharField(
        label=gettext_lazy("skills"),
        max_length=200,
        help_text=gettext_lazy("e.g. 法律咨询、摄影、调解邻里纠纷、书法"),
    )
    category = forms.ChoiceField(label=gettext_lazy("main field"), choices=Category.choices)
    occupation = forms.CharField(label=gettext_lazy("occupation"), max_length=100, required=False)
    region = forms.ModelChoiceField(
        label=gettext_lazy("area"), queryset=Region.objects.none(), empty_label=None
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].error_messages["required"] = _(
            "Please read and tick the consent: without it you cannot be on the register."
        )
        # The areas of the code's subdistrict (or the code's own area).
        choices = Region.objects.filter(pk=region.pk)
        if region.level == RegionLevel.SUBDISTRICT:
            choices = Region.objects.filter(pk=region.pk) | region.children.filter(
                level=RegionLevel.AREA
            )
        self.fields["region"].queryset = choices.order_by("path")
        self.fields["region"].initial = region.pk

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])
