"""A small fixed-window rate limit on Django's cache (shared across workers with Redis)."""

from django.core.cache import cache


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy
    # rewrites REMOTE_ADDR (configure that in the proxy, not here).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True when the client has gone over `limit` in the window."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return False
    return count > limit
