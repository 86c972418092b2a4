"""Encrypted personal fields with a keyed-hash look-up column.

A phone number is stored twice: encrypted (Fernet, so it can be shown to a role that needs it)
and as an HMAC-SHA256 of its normalised form (so "is this phone already registered?" is an
indexed equality query without decrypting anything). The key comes from JIEQU_FIELD_KEY, or in
development from a file generated once under var/.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _master_key() -> bytes:
    value = os.environ.get("JIEQU_FIELD_KEY")
    if not value:
        if not settings.DEBUG and getattr(settings, "JIEQU_REQUIRE_FIELD_KEY", False):
            raise ImproperlyConfigured("JIEQU_FIELD_KEY must be set in production")
        path = settings.VAR_DIR / "field_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        value = path.read_text().strip()
    return hashlib.sha256(value.encode()).digest()


def _derived(purpose: bytes) -> bytes:
    return hmac.new(_master_key(), purpose, hashlib.sha256).digest()


@cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived(b"encrypt")))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""  # a key rotated without re-encrypting: show nothing rather than fail


def lookup_hash(text: str) -> str:
    """Keyed hash for equality look-ups; empty text hashes to empty."""
    return hmac.new(_derived(b"lookup"), text.encode(), hashlib.sha256).hexdigest() if text else ""
