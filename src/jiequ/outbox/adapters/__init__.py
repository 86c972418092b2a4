"""Adapters send one message through one channel. See base.py for what they return and raise."""

from __future__ import annotations

from django.utils.module_loading import import_string

from jiequ.outbox import conf

from .base import Adapter, NotConfigured, PermanentError, SendResult, TemporaryError

__all__ = [
    "Adapter",
    "NotConfigured",
    "PermanentError",
    "SendResult",
    "TemporaryError",
    "adapter_for",
]


def adapter_for(channel: str) -> Adapter:
    """The adapter configured for `channel` (JIEQU_OUTBOX_ADAPTERS)."""
    path = conf.get("JIEQU_OUTBOX_ADAPTERS").get(channel)
    if not path:
        raise NotConfigured(f"no adapter for channel {channel!r}")
    return import_string(path)()
