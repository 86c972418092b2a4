"""Coupon codes: a random part and its signature, so a forged code is refused without a query.

A code is 16 characters of Crockford's base 32 (no I, L, O or U, so nothing is misread at a
counter): 8 random characters (40 bits from `secrets`) followed by 8 characters of an
HMAC-SHA256 of them, keyed with a key derived from SECRET_KEY (`salted_hmac` with this module's
salt). Someone who makes up a code has one chance in 2^40 of a valid signature; the counter page
is rate-limited as well. Codes signed under a key in SECRET_KEY_FALLBACKS still verify, so a
key rotation does not void coupons already printed.

Shown to people in groups of four: K7QM-2D9X-R4TB-3TXA.
"""

from __future__ import annotations

import hmac
import re
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 8
SIGNATURE_LENGTH = 8
CODE_LENGTH = RANDOM_LENGTH + SIGNATURE_LENGTH
_SALT = "jiequ.offers.coupon-code"
# Characters people type for the ones the alphabet leaves out (Crockford's rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-–—_.·]+")
_URL_CODE = re.compile(r"/r/([0-9A-Za-z\-]+)/?")


def _encode(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    chars = []
    for _ in range(length):
        number, rest = divmod(number, 32)
        chars.append(ALPHABET[rest])
    return "".join(reversed(chars))


def _signature(random_part: str, secret: str | bytes | None = None) -> str:
    digest = salted_hmac(_SALT, random_part, secret=secret, algorithm="sha256").digest()
    return _encode(digest[:5], SIGNATURE_LENGTH)  # 40 bits


def new_code() -> str:
    """A fresh signed code (16 characters, no separators)."""
    return signed("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def signed(random_part: str) -> str:
    """The code made of these 8 random characters and their signature (the demo draws its own
    random parts from its seed; everything else uses `new_code`)."""
    return random_part + _signature(random_part)


def normalise(text: str) -> str:
    """What a person typed or a scanner read → the bare code (upper case, no separators).

    Accepts the redemption URL too (a scanner that types what it reads), lower case, spaces and
    dashes, and O / I / L for 0 / 1.
    """
    text = (text or "").strip()
    match = _URL_CODE.search(text)
    if match:
        text = match.group(1)
    return _SEPARATORS.sub("", text).upper().translate(_READ_AS)


def well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in ALPHABET for c in code)


def signature_valid(code: str) -> bool:
    """True if `code` (normalised) carries a valid signature: no database needed."""
    if not well_formed(code):
        return False
    random_part, signature = code[:RANDOM_LENGTH], code[RANDOM_LENGTH:]
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        hmac.compare_digest(signature, _signature(random_part, secret)) for secret in secrets_to_try
    )


def display(code: str) -> str:
    """ "K7QM2D9XR4TB3TXA" → "K7QM-2D9X-R4TB-3TXA"."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
