"""The outbox's settings: read from Django settings when set there, else from the environment.

Read at call time (not import time) so tests and a running worker see changes.

The settings, their defaults and meanings are in DEFAULTS below and in docs/outbox.md.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "JIEQU_DISTRICT_PLATFORM_URL": "",
    "JIEQU_DISTRICT_PLATFORM_TOKEN": "",
    "JIEQU_DISTRICT_PLATFORM_TIMEOUT": 10.0,
    "JIEQU_DISTRICT_INBOUND_TOKEN": "",
    "JIEQU_OUTBOX_MAX_ATTEMPTS": 8,
    "JIEQU_OUTBOX_BACKOFF_BASE": 60.0,
    "JIEQU_OUTBOX_BACKOFF_MAX": 21600.0,
    "JIEQU_OUTBOX_LEASE": 300.0,
    "JIEQU_OUTBOX_BATCH": 50,
    "JIEQU_OUTBOX_LOOP_INTERVAL": 5.0,
    "JIEQU_OUTBOX_SEND_ON_COMMIT": True,
    # channel → adapter class (dotted path)
    "JIEQU_OUTBOX_ADAPTERS": {
        "notice": "jiequ.outbox.adapters.console.ConsoleAdapter",
        "sms": "jiequ.outbox.adapters.sms_console.SmsConsoleAdapter",
        "district": "jiequ.outbox.adapters.district.DistrictAdapter",
    },
}


def get(name: str) -> Any:
    """The value of one setting: Django settings, then the environment, then the default."""
    default = DEFAULTS[name]
    if hasattr(settings, name):
        return getattr(settings, name)
    raw = os.environ.get(name)
    if raw is None or isinstance(default, dict):
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
