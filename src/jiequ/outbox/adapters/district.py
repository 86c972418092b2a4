"""Hand-off to the district city-operations platform (城运平台): one HTTP POST of JSON.

Headers: `Authorization: Bearer <JIEQU_DISTRICT_PLATFORM_TOKEN>` and `Idempotency-Key: <the
message's key>`, so a message sent twice (a worker that crashed after sending and before
marking it sent) is one case on the platform. The answer decides what happens next:

- 2xx: sent; the platform's number (`reference`, else `id` / `number`) goes on the case;
- 4xx other than 408/429: the platform refuses this message as it is: given up, with the error;
- 408, 429, 5xx, a timeout, a refused connection: tried again later.

Stdlib urllib only, so the hand-off adds no dependency.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.utils.translation import gettext as _

from jiequ.outbox import conf
from jiequ.outbox.models import OutboxMessage

from .base import NotConfigured, PermanentError, SendResult, TemporaryError

log = logging.getLogger("jiequ.outbox")

RETRYABLE_4XX = {408, 425, 429}


class DistrictAdapter:
    def send(self, message: OutboxMessage) -> SendResult:
        url = conf.get("JIEQU_DISTRICT_PLATFORM_URL")
        if not url:
            raise NotConfigured(
                _(
                    "The district platform's address is not configured "
                    "(JIEQU_DISTRICT_PLATFORM_URL); the hand-off waits."
                )
            )
        body = json.dumps(message.payload, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        request.add_header("Accept", "application/json")
        request.add_header("Idempotency-Key", message.idempotency_key)
        token = conf.get("JIEQU_DISTRICT_PLATFORM_TOKEN")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        timeout = float(conf.get("JIEQU_DISTRICT_PLATFORM_TIMEOUT"))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, _read(exc)
        except TimeoutError as exc:
            raise TemporaryError(
                _("The district platform did not answer within %(s)s seconds.") % {"s": timeout}
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise TemporaryError(
                    _("The district platform did not answer within %(s)s seconds.") % {"s": timeout}
                ) from exc
            raise TemporaryError(
                _("The district platform cannot be reached: %(reason)s") % {"reason": reason}
            ) from exc
        detail = _summary(raw)
        if 200 <= status < 300:
            return SendResult(reference=_reference(raw))
        if 400 <= status < 500 and status not in RETRYABLE_4XX:
            raise PermanentError(
                _("The district platform refused the hand-off (HTTP %(status)s): %(detail)s")
                % {"status": status, "detail": detail}
            )
        raise TemporaryError(
            _("The district platform answered HTTP %(status)s: %(detail)s")
            % {"status": status, "detail": detail}
        )

    def after_sent(self, message: OutboxMessage, result: SendResult) -> None:
        """Keep the platform's own number on the case (inside the transaction marking it sent)."""
        if not result.reference or message.case_id is None:
            return
        from jiequ.cases.models import Case

        case = Case.objects.filter(pk=message.case_id).first()
        if case is None or case.district_reference == result.reference:
            return
        case.district_reference = result.reference[:50]
        case._change_reason = "区城运平台受理编号"
        case.save(update_fields=["district_reference", "updated_at"])


def _read(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read()
    except OSError:
        return b""


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _reference(raw: bytes) -> str:
    data = _json(raw)
    if isinstance(data, dict):
        for key in ("reference", "id", "number", "case_number"):
            if data.get(key):
                return str(data[key])[:100]
    return ""


def _summary(raw: bytes) -> str:
    """A short readable account of the receiver's answer for the error column."""
    data = _json(raw)
    if isinstance(data, dict):
        for key in ("error", "detail", "message", "reason"):
            if data.get(key):
                return str(data[key])[:300]
    return raw.decode("utf-8", "replace").strip()[:300] or "—"
