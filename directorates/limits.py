"""Counting what one person or one address does in a stretch of time, in the shared cache.

The cache is shared by every application server (the database by default), so a limit holds
however many workers answer. Counting is not transactional: two requests at the same instant
may both pass, which is close enough for slowing down abuse.
"""

import hashlib
import math
import time

from django.core.cache import cache


def _cache_key(scope: str, key: str) -> str:
    return f"limits:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"


def counted_in_window(scope: str, key: str) -> int:
    """How many events `key` has in its current window, without counting one more."""
    count, ends = cache.get(_cache_key(scope, key), (0, 0))
    return count if ends > time.time() else 0


def count_in_window(scope: str, key: str, *, window: int) -> int:
    """Count one more event for `key` and return how many there were in the current window.

    The window starts with the first event and lasts `window` seconds; the key is hashed, so
    addresses and e-mails are not kept in the cache as they were typed.
    """
    cache_key = _cache_key(scope, key)
    now = time.time()
    count, ends = cache.get(cache_key, (0, now + window))
    if ends <= now:
        count, ends = 0, now + window
    count += 1
    cache.set(cache_key, (count, ends), timeout=max(1, math.ceil(ends - now)))
    return count
