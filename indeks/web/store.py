"""Results kept in memory for paging and downloads: an LRU keyed by a random token.

Nothing is written to disk. Entries expire after ``ttl`` seconds and the oldest
entries are dropped beyond ``max_entries``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from typing import Any


class ResultStore:
    def __init__(self, max_entries: int = 8, ttl: float = 1800.0):
        self.max_entries = max_entries
        self.ttl = ttl
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for key in [k for k, (t, _) in self._items.items() if now - t > self.ttl]:
            del self._items[key]

    def put(self, value: Any) -> str:
        token = secrets.token_urlsafe(18)
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            self._items[token] = (now, value)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> Any | None:
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            item = self._items.get(token)
            if item is None:
                return None
            self._items[token] = (now, item[1])
            self._items.move_to_end(token)
            return item[1]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
