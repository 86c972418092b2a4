"""Forms of the members app: staff entry, check-in, liaison reports, transfers, dues."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import organisation_in_scope, region_in_scope
from jiequ.core.validators import normalise_phone
from jiequ.ledger.models import Entity
from jiequ.party import rules
from jiequ.party.models import Organisation

from . import dues, services, transfers
from .models import (
    ConsentSource,
    LiaisonChannel,
    Member,
    RecordLocation,
    Transfer,
    TransferDirection,
)

STAFF_CONSENT_TEXT = gettext_lazy(
    "The member agrees that the subdistrict Party working committee keeps the information above "
    "to contact them and to connect them with a Party organisation. It is not shared outside the "
    "Party organisations, and they can ask for it to be deleted at any time."
)

MEMBER_FIELDS = [
    "name",
    "membership",
    "joined_on",
    "full_on",
    "organisation",
    "other_organisations",
    "record_location",
    "record_organisation",
    "record_elsewhere_name",
    "record_province",
    "record_city",
    "workplace",
    "mobile_certificate_number",
    "mobile_certificate_valid_until",
    "dues_category",
    "dues_base",
]
EDIT_ONLY_FIELDS = ["left_on", "left_reason"]


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthField(forms.DateField):
    """A month (YYYY-MM, the browser's month picker) stored as its first day."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = gettext_lazy("Give a month as YYYY-MM.")

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        return result.replace(day=1) if result else result


def subdistrict_organisations(user: Any) -> Any:
    """Organisations of the user's subdistrict: where a membership record here may be held."""
    region = getattr(user, "scope_region", None)
    if region is None:
        return Organisation.objects.all() if user.is_superuser else Organisation.objects.none()
    subdistrict = region.subdistrict or region
    return Organisation.objects.filter(region__path__startswith=subdistrict.path)


class MemberForm(ScopedModelForm):
    """Staff entry of a member, with the member's consent recorded."""

    phone = forms.CharField(
        label=gettext_lazy("mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(label=STAFF_CONSENT_TEXT, required=False)

    class Meta:
        model = Member
        fields = [*MEMBER_FIELDS, *EDIT_ONLY_FIELDS]
        widgets = {
            "joined_on": date_input(),
            "full_on": date_input(),
            "mobile_certificate_valid_until": date_input(),
            "left_on": date_input(),
            "other_organisations": forms.CheckboxSelectMultiple,
            "record_location": forms.RadioSelect,
            "dues_base": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        adding = not self.instance.pk
        if adding:
            for name in EDIT_ONLY_FIELDS:
                del self.fields[name]
            self.fields["phone"].required = True
            self.fields["consent"].required = True
        else:
            del self.fields["consent"]
            self.fields["phone"].help_text = _(
                "Leave empty to keep the number on record (%(masked)s)."
            ) % {"masked": self.instance.phone_masked}
        # The number on record is never put back into the page.
        self.initial.pop("phone", None)
        scope = Organisation.objects.restrict(user).filter(dissolved_on__isnull=True)
        self.fields["organisation"].queryset = scope
        self.fields["other_organisations"].queryset = scope
        self.fields["other_organisations"].required = False
        self.fields["record_organisation"].queryset = subdistrict_organisations(user)
        self.fields["workplace"].queryset = Entity.objects.restrict(user)
        self.fields["record_location"].choices = RecordLocation.choices
        self.fields["record_location"].help_text = _(
            "For an organisation of this subdistrict choose it below; for one elsewhere give "
            "its name, province and city (the member is then a mobile member)."
        )
        if adding:
            self.fields["record_location"].initial = RecordLocation.HERE
        self.order_fields(["name", "phone"])

    def clean_phone(self) -> str:
        text = self.cleaned_data.get("phone", "").strip()
        if not text:
            if not self.instance.pk:
                raise ValidationError(_("Give the member's mobile phone number."))
            return ""
        phone = normalise_phone(text)
        if services.phone_taken(phone, exclude_pk=self.instance.pk):
            raise ValidationError(
                _(
                    "This phone number is already on another member's record; find that member "
                    "instead of entering them twice."
                )
            )
        return phone

    def clean_organisation(self) -> Organisation:
        organisation = self.cleaned_data["organisation"]
        if not organisation_in_scope(self.user, organisation):
            raise ValidationError(_("You cannot add members to this organisation."))
        return organisation

    def clean_other_organisations(self) -> Any:
        others = self.cleaned_data.get("other_organisations") or []
        outside = [o for o in others if not organisation_in_scope(self.user, o)]
        if outside:
            raise ValidationError(
                _("Outside your scope: %(names)s.") % {"names": "、".join(map(str, outside))}
            )
        return others

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        location = cleaned.get("record_location")
        if location == RecordLocation.HERE:
            if not cleaned.get("record_organisation"):
                self.add_error(
                    "record_organisation",
                    _("Choose the organisation of this subdistrict that holds the record."),
                )
            cleaned["record_elsewhere_name"] = ""
            cleaned["record_province"] = ""
            cleaned["record_city"] = ""
        elif location == RecordLocation.ELSEWHERE:
            cleaned["record_organisation"] = None
            for name, message in (
                ("record_elsewhere_name", _("Give the name of the organisation that holds it.")),
                ("record_province", _("Give its province.")),
                ("record_city", _("Give its city.")),
            ):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, message)
        today = timezone.localdate()
        for name in ("joined_on", "full_on", "left_on"):
            day = cleaned.get(name)
            if day and day > today:
                self.add_error(name, _("This date cannot be in the future."))
        joined, full = cleaned.get("joined_on"), cleaned.get("full_on")
        if joined and full and full < joined:
            self.add_error("full_on", _("A member becomes full after joining, not before."))
        base = cleaned.get("dues_base")
        if base is not None and base < 0:
            self.add_error("dues_base", _("The amount cannot be negative."))
        if cleaned.get("left_on") and not (cleaned.get("left_reason") or "").strip():
            self.add_error("left_reason", _("Give the reason the member left."))
        main = cleaned.get("organisation")
        others = cleaned.get("other_organisations")
        if main is not None and others and main in others:
            self.add_error(
                "other_organisations",
                _("The main organisation is already where the member takes part."),
            )
        return cleaned

    def save(self, commit: bool = True) -> Member:
        member = super().save(commit=False)
        phone = self.cleaned_data.get("phone")
        if phone:
            member.set_phone(phone)
        if not member.pk:
            member.consent_source = ConsentSource.STAFF
            member.consent_at = timezone.now()
            member.consent_text = str(STAFF_CONSENT_TEXT)
            member._change_reason = _("Entered by staff with the member's consent")
        if self.user is not None:
            member._history_user = self.user
        if commit:
            member.save()
            self.save_m2m()
        return member


class CheckInForm(forms.Form):
    area = forms.ModelChoiceField(label=gettext_lazy("area"), queryset=Region.objects.none())
    checked_in_on = forms.DateField(label=gettext_lazy("checked in on"), widget=date_input())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].queryset = Region.objects.restrict(user).filter(level=RegionLevel.AREA)
        self.fields["checked_in_on"].initial = timezone.localdate()

    def clean_area(self) -> Region:
        area = self.cleaned_data["area"]
        if not region_in_scope(self.user, area):
            raise ValidationError(_("This area is outside your scope."))
        return area

    def clean_checked_in_on(self) -> date:
        day = self.cleaned_data["checked_in_on"]
        if day > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return day


class LiaisonReportForm(forms.Form):
    reported_on = forms.DateField(label=gettext_lazy("reported on"), widget=date_input())
    channel = forms.ChoiceField(label=gettext_lazy("channel"), choices=LiaisonChannel.choices)
    summary = forms.CharField(
        label=gettext_lazy("what was reported"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()

    def clean_reported_on(self) -> date:
        day = self.cleaned_data["reported_on"]
        if day > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return day

    def clean_summary(self) -> str:
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise ValidationError(_("Write what was reported."))
        return summary


class PaymentForm(forms.Form):
    """One month's dues of one member (on the member's page)."""

    month = MonthField(label=gettext_lazy("month"))
    amount = forms.DecimalField(
        label=gettext_lazy("amount (yuan)"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=gettext_lazy("Leave empty for the monthly dues."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    paid_on = forms.DateField(label=gettext_lazy("paid on"), widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].initial = today.replace(day=1)
        self.fields["paid_on"].initial = today

    def clean_paid_on(self) -> date:
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return day


TRANSFER_FIELDS = [
    "member",
    "direction",
    "organisation",
    "counterpart",
    "counterpart_province",
    "counterpart_city",
    "letter_number",
    "issued_on",
    "valid_days",
    "dues_paid_to",
    "note",
]


class TransferForm(ScopedModelForm):
    dues_paid_to = MonthField(
        label=gettext_lazy("dues paid up to"),
        required=False,
        help_text=gettext_lazy("Leave empty for the month the member's payments reach."),
    )

    class Meta:
        model = Transfer
        fields = TRANSFER_FIELDS
        widgets = {
            "issued_on": date_input(),
            "direction": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
            "valid_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["member"].queryset = Member.objects.restrict(user).filter(left_on__isnull=True)
        self.fields["organisation"].queryset = Organisation.objects.restrict(user).filter(
            dissolved_on__isnull=True
        )
        self.fields["direction"].choices = TransferDirection.choices
        self.fields["valid_days"].required = False
        default_days = rules.value("transfer_valid_days", getattr(user, "scope_region", None))
        self.fields["valid_days"].help_text = _("Leave empty for %(days)s days (%(source)s).") % {
            "days": default_days,
            "source": rules.RULES["transfer_valid_days"].source,
        }
        self.fields["issued_on"].initial = timezone.localdate()
        self.fields["counterpart_province"].required = True
        self.fields["counterpart_city"].required = True

    def clean_organisation(self) -> Organisation:
        organisation = self.cleaned_data["organisation"]
        if not organisation_in_scope(self.user, organisation):
            raise ValidationError(_("This organisation is outside your scope."))
        return organisation

    def clean_letter_number(self) -> str:
        return self.cleaned_data["letter_number"].strip()

    def clean_issued_on(self) -> date:
        day = self.cleaned_data["issued_on"]
        if day > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        member, direction = cleaned.get("member"), cleaned.get("direction")
        letter = cleaned.get("letter_number")
        if direction and letter and transfers.letter_taken(direction, letter, self.instance.pk):
            self.add_error(
                "letter_number",
                _(
                    "An introduction letter numbered %(letter)s has already been recorded for "
                    "a %(direction)s; letter numbers cannot repeat."
                )
                % {"letter": letter, "direction": TransferDirection(direction).label},
            )
        if member is not None and direction:
            try:
                transfers.check_new(member, direction, exclude_pk=self.instance.pk)
            except transfers.TransferError as exc:
                self.add_error("member", str(exc))
        organisation = cleaned.get("organisation")
        if cleaned.get("valid_days") in (None, ""):
            region = organisation.region if organisation is not None else None
            cleaned["valid_days"] = int(rules.value("transfer_valid_days", region))
            self.instance.valid_days = cleaned["valid_days"]
        elif cleaned["valid_days"] < 1:
            self.add_error("valid_days", _("A letter is valid for at least one day."))
        if not cleaned.get("dues_paid_to") and member is not None:
            paid = dues.paid_up_to(member)
            if paid is None:
                self.add_error(
                    "dues_paid_to",
                    _("No dues payment is recorded for this member: give the month paid up to."),
                )
            else:
                cleaned["dues_paid_to"] = paid
                self.instance.dues_paid_to = paid
        return cleaned

    def save(self, commit: bool = True) -> Transfer:
        transfer = super().save(commit=False)
        transfer._change_reason = _("Introduction letter issued")
        if self.user is not None:
            transfer._history_user = self.user
        if commit:
            transfer.save()
        return transfer


class CompleteTransferForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("completed on"), widget=date_input())
    returned_on = forms.DateField(
        label=gettext_lazy("return slip received on"), widget=date_input(), required=False
    )
    left_reason = forms.CharField(
        label=gettext_lazy("reason for leaving"), max_length=100, required=False
    )
    reason = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args: Any, transfer: Transfer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if transfer.direction == TransferDirection.OUT:
            self.fields["returned_on"].required = True
            self.fields["left_reason"].initial = _(
                "Membership record transferred out to %(org)s"
            ) % {"org": transfer.counterpart}
        else:
            del self.fields["returned_on"]
            del self.fields["left_reason"]


class CancelTransferForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)
