from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Created/updated times; `updated_at` also guards edits against silent overwrites."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class EncryptedPhoneMixin:
    """For models with `phone_encrypted` and `phone_hash` columns (see jiequ.core.crypto)."""

    phone_encrypted: str
    phone_hash: str

    def set_phone(self, e164: str) -> None:
        """Store a normalised phone: encrypted for showing, keyed-hashed for look-ups."""
        from . import crypto

        self.phone_encrypted = crypto.encrypt(e164)
        self.phone_hash = crypto.lookup_hash(e164)

    @property
    def phone_masked(self) -> str:
        """ "138****5678", or "" when there is no phone: how phones appear on screens."""
        from .crypto import decrypt
        from .validators import mask_phone

        phone = decrypt(self.phone_encrypted)
        return mask_phone(phone) if phone else ""
