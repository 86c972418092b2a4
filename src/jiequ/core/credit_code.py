"""Unified social credit codes (GB 32100-2015). Plain Python: the matcher uses it too."""

from __future__ import annotations

import re
import unicodedata

# 31 characters (no I, O, S, V, Z) and the weights of positions 1–17.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_CHARS)}
_SPACE = re.compile(r"\s+")


def normalise_credit_code(value: str) -> str:
    """Upper case, NFKC (full-width to half-width), all whitespace removed.

    >>> normalise_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ")
    '91350100M000100Y43'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters (which must be valid characters)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_valid(value: str) -> bool:
    """True if `value` is an 18-character code whose check character is right.

    >>> credit_code_valid("91350100M000100Y43"), credit_code_valid("91350100M000100Y44")
    (True, False)
    """
    code = normalise_credit_code(value)
    if len(code) != 18 or any(c not in _VALUE for c in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]
