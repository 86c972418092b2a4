"""Photos attached to a case: checked by their content (not their name), renamed, counted.

Used by the staff form, the API and the public demand page alike.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 4
# Pillow's format name → the file extension the stored copy gets.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"


def validate_photo(uploaded_file: Any) -> str:
    """Refuse anything but a JPEG, PNG or WebP image of at most 5 MB; return its extension.

    The type is read from the file's content, so a renamed document or a broken image is
    refused whatever its name says.
    """
    name = getattr(uploaded_file, "name", "") or _("the file")
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, 2)
        size = uploaded_file.tell()
    if size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; a photo may be at most %(max)d MB.")
            % {"name": name, "size": size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as image:
            kind = image.format
            image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise ValidationError(
            _("“%(name)s” is not a photo: upload a JPEG, PNG or WebP image.") % {"name": name},
            code="not_image",
        ) from exc
    finally:
        uploaded_file.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s image: upload a JPEG, PNG or WebP image.")
            % {"name": name, "kind": kind},
            code="wrong_type",
        )
    return FORMATS[kind]


def validate_photos(files: Iterable[Any], already: int = 0) -> list[Any]:
    """Check each photo and the count (at most 4 per case, counting those already attached).

    Every problem is reported at once, so the person can fix them in one go. The files come
    back renamed to a random name with the extension of their real type (the phone's file
    names say nothing useful and may say too much).
    """
    files = [f for f in files if f]
    errors: list[ValidationError] = []
    if already + len(files) > MAX_PHOTOS:
        errors.append(
            ValidationError(
                _("A case can have at most %(max)d photos; this would make %(n)d.")
                % {"max": MAX_PHOTOS, "n": already + len(files)},
                code="too_many",
            )
        )
    for upload in files:
        try:
            extension = validate_photo(upload)
        except ValidationError as exc:
            errors.append(exc)
        else:
            upload.name = f"{secrets.token_hex(8)}.{extension}"
    if errors:
        raise ValidationError(errors)
    return files
