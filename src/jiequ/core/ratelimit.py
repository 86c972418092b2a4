"""A small fixed-window rate limiter on Django's cache (use Redis in production)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind nginx the address arrives in X-Forwarded-For (see docs/deployment.md).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """True while `key` has been seen at most `limit` times in the current window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds)
        return True
    return count <= limit
