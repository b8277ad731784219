"""A small fixed-window rate limit in the cache, for the public self-referral form.

Per client address: at most ``limit`` submissions per ``window`` seconds. With several processes
the cache must be shared (configure a shared cache in production; docs/configuration.md).
"""

import time

from django.core.cache import cache


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; False once the limit in this window is reached."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    cache.add(bucket, 0, timeout=window)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window)
        count = 1
    return count <= limit
