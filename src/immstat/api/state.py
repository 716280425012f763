"""Per-app state: the read-only warehouse behind one lock, and an LRU cache of rendered queries.

DuckDB connections (and the Ibis backend on top) are not safe to share between threads, and
FastAPI runs sync endpoints on a thread pool, so every warehouse call holds :attr:`lock`. The
warehouse is read-only for the app's lifetime, so a rendered answer never goes stale: answers are
cached by their normalised parameters and served without touching DuckDB.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from immstat.metrics.warehouse import Warehouse

CACHE_SIZE = 512


@dataclass(frozen=True)
class Rendered:
    """A response body ready to send, with its media type and strong ETag (hash of the body)."""

    body: bytes
    media_type: str
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "etag", '"' + hashlib.sha256(self.body).hexdigest()[:40] + '"')


class ApiState:
    def __init__(self, db_path: str | Path | None):
        self.db_path = Path(db_path) if db_path else None
        self.lock = threading.RLock()
        self._wh: Warehouse | None = None
        self._cache: OrderedDict[tuple, Rendered] = OrderedDict()
        self._cache_lock = threading.Lock()

    def call(self, func: Callable[[Warehouse], object]):
        """Run ``func(warehouse)`` under the lock, opening the warehouse on first use."""
        with self.lock:
            if self._wh is None:
                self._wh = Warehouse(self.db_path, read_only=True)
            return func(self._wh)

    @property
    def warehouse_name(self) -> str:
        return self._wh.path.name if self._wh else (self.db_path.name if self.db_path else "")

    def lookup(self, key: tuple) -> Rendered | None:
        """The cached rendering for ``key``, if any (marks it recently used)."""
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
            return hit

    def cached(self, key: tuple, render: Callable[[], Rendered]) -> Rendered:
        """The cached rendering for ``key``, computing (outside the cache lock) on a miss."""
        hit = self.lookup(key)
        if hit is not None:
            return hit
        with self.lock:  # requests waiting for the same answer find it done when they get in
            value = self.lookup(key) or render()
        with self._cache_lock:
            self._cache[key] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        with self.lock:
            if self._wh is not None:
                self._wh.close()
                self._wh = None
