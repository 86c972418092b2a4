"""Forms of the applications app: a new application, a step, stopping, extending probation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import organisation_in_scope
from jiequ.core.validators import normalise_phone
from jiequ.ledger.models import Entity
from jiequ.party.models import Level, Organisation

from .models import Application

CONSENT_TEXT = gettext_lazy(
    "The applicant agrees that the Party organisation keeps the information above to follow "
    "their application to join the Party. It is not shared outside the Party organisations."
)

# The organisations that take in applications and hold the general meetings that vote.
BRANCH_LEVELS = [Level.BRANCH, Level.JOINT_BRANCH]


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def branches_for(user: Any) -> Any:
    """Branches the user may file applications with (in scope, not dissolved)."""
    return Organisation.objects.restrict(user).filter(
        level__in=BRANCH_LEVELS, dissolved_on__isnull=True
    )


class ApplicationForm(ScopedModelForm):
    """A new application: the person, the branch, and the day the letter was handed in."""

    phone = forms.CharField(
        label=gettext_lazy("mobile phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applied_on = forms.DateField(
        label=gettext_lazy("application letter handed in on"),
        widget=date_input(),
        help_text=gettext_lazy("Step 1 of the procedure."),
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea)
    consent = forms.BooleanField(label=CONSENT_TEXT)

    class Meta:
        model = Application
        fields = ["name", "birth_date", "organisation", "workplace"]
        widgets = {"birth_date": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = gettext_lazy("full name")
        self.fields["organisation"].queryset = branches_for(self.user)
        self.fields["workplace"].queryset = Entity.objects.restrict(self.user)
        self.fields["consent"].error_messages["required"] = _(
            "Record the applicant's consent before saving their details."
        )
        self.fields["note"].widget.attrs["rows"] = 2
        if not self.is_bound:
            self.initial.setdefault("applied_on", timezone.localdate())
            scoped = getattr(self.user, "scope_organisation", None)
            if scoped is not None and scoped.level in BRANCH_LEVELS:
                self.initial.setdefault("organisation", scoped.pk)
        self.order_fields(
            ["name", "birth_date", "phone", "organisation", "workplace", "applied_on", "note"]
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise ValidationError(_("Write the applicant's full name."))
        return name

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_birth_date(self) -> Any:
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return born

    def clean_organisation(self) -> Organisation:
        organisation = self.cleaned_data["organisation"]
        if not organisation_in_scope(self.user, organisation):
            raise ValidationError(_("You cannot add applications to this organisation."))
        return organisation


class StepForm(forms.Form):
    """Recording the next step: when it was done, who took part, a note."""

    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=25)
    done_on = forms.DateField(label=gettext_lazy("done on"), widget=date_input())
    people = forms.CharField(
        label=gettext_lazy("people"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Names separated by 、 or commas."),
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, step: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 2
        if step is not None:
            self.initial.setdefault("number", step.number)
            self.initial.setdefault("done_on", timezone.localdate())
            if step.people is not None:
                # Not required here: a missing name is refused with the rule that asks for it.
                self.fields["people"].label = step.people.label
            else:
                self.fields["people"].help_text = gettext_lazy(
                    "Optional: who took part, names separated by 、 or commas."
                )


class StopForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        max_length=200,
        help_text=gettext_lazy("Why the application does not go on (it stays in the history)."),
        error_messages={"required": gettext_lazy("Give the reason.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason."))
        return reason


class ExtendForm(forms.Form):
    months = forms.IntegerField(label=gettext_lazy("extend by (months)"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        max_length=200,
        help_text=gettext_lazy("What the branch general meeting decided, and why."),
        error_messages={"required": gettext_lazy("Give the reason.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason."))
        return reason
