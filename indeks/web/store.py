"""Results kept in memory for paging and downloads, keyed by a random token.

Nothing is written to disk. A result is kept for ``ttl`` seconds after it was last
opened (default 30 minutes), however many other officers upload meanwhile; only when
the results together would exceed ``max_bytes`` (default 512 MiB) are the least
recently opened ones dropped early. A token whose result was dropped is remembered
(a bounded list of recent tokens), so its page can say *why* it is gone.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

EXPIRED_AGE = "age"
EXPIRED_MEMORY = "memory"
_REMEMBER = 10_000  # recently dropped tokens remembered for the "expired" page


class ResultStore:
    def __init__(
        self,
        ttl: float = 1800.0,
        max_bytes: int = 512 * 1024 * 1024,
        sizeof: Callable[[Any], int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = ttl
        self.max_bytes = max_bytes
        self._sizeof = sizeof or (lambda v: 0)
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()
        self._dropped: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def _drop(self, key: str, reason: str) -> None:
        _, size, _ = self._items.pop(key)
        self._bytes -= size
        self._dropped[key] = reason
        while len(self._dropped) > _REMEMBER:
            self._dropped.popitem(last=False)

    def _expire(self, now: float) -> None:
        # ordered by last use: the oldest come first
        while self._items:
            key, (t, _, _) = next(iter(self._items.items()))
            if now - t <= self.ttl:
                break
            self._drop(key, EXPIRED_AGE)

    def put(self, value: Any) -> str:
        token = secrets.token_urlsafe(18)
        size = max(0, int(self._sizeof(value)))
        with self._lock:
            now = self._clock()
            self._expire(now)
            while self._items and self._bytes + size > self.max_bytes:
                self._drop(next(iter(self._items)), EXPIRED_MEMORY)
            self._items[token] = (now, size, value)
            self._bytes += size
        return token

    def get(self, token: str) -> Any | None:
        with self._lock:
            now = self._clock()
            self._expire(now)
            item = self._items.get(token)
            if item is None:
                return None
            self._items[token] = (now, item[1], item[2])
            self._items.move_to_end(token)
            return item[2]

    def why_gone(self, token: str) -> str | None:
        """``"age"`` or ``"memory"`` for a token dropped recently, else None."""
        with self._lock:
            self._expire(self._clock())
            return self._dropped.get(token)

    @property
    def nbytes(self) -> int:
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
