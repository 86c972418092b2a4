"""Validators for Chinese identifiers: unified social credit codes and phone numbers."""

from __future__ import annotations

import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .credit_code import (  # noqa: F401 (re-exported: forms and the demo import them from here)
    CREDIT_CODE_CHARS,
    credit_code_check_char,
    credit_code_valid,
    normalise_credit_code,
)


def validate_credit_code(value: str) -> None:
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    bad = [c for c in code if c not in CREDIT_CODE_CHARS]
    if bad:
        raise ValidationError(
            _("“%(chars)s” cannot appear in a unified social credit code."),
            code="chars",
            params={"chars": "".join(dict.fromkeys(bad))},
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong; please check for a typo."),
            code="check",
        )


def normalise_phone(value: str) -> str:
    """A Chinese phone number in E.164 (+8613…), or ValidationError if it cannot exist."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This phone number does not exist."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """ "+8613812345678" → "138****5678": how phones appear on screens and in exports."""
    digits = e164.removeprefix("+86")
    if len(digits) < 7:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"
