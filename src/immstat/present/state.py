"""What a running server keeps: a read-only warehouse per worker thread, a response cache bounded
in bytes, and the per-request limits. Shared by the API routes, the dashboard and the report route.

Reads never wait on each other. DuckDB connections (and the Ibis backend on top) must not be
shared between threads, so each worker thread opens its own read-only :class:`Warehouse` (DuckDB
shares one database instance, hence one buffer pool, between them); there is no global lock.
The warehouse is read-only for the app's lifetime, so a rendered answer never goes stale: answers
are cached by their normalised parameters and served without touching DuckDB. Requests for the
same uncached answer wait for the first one (per key, never across keys).

At most ``IMMSTAT_WORKERS`` computations run at once (one per CPU core by default; a cache hit or
``/health`` never waits for one): beyond that, Python work on more threads only makes every
request, and the event loop that answers ``/health``, wait longer for the interpreter lock. Every
computation runs under a time limit (``IMMSTAT_REQUEST_SECONDS``), counted from when it got its
turn: a watchdog interrupts the thread's DuckDB query when it is over, and the request ends with a
503 that says so (as does a request that waited the whole limit for its turn).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from immstat.core import settings
from immstat.core.errors import QueryError, TimeLimit
from immstat.metrics.warehouse import Warehouse

T = TypeVar("T")
MB = 1_000_000
LARGEST_SHARE = 8  # one answer may take at most 1/8 of the cache
MAX_REFUSALS = 4096  # refused requests remembered (each only a message)


@dataclass(frozen=True)
class Limits:
    """Per-request limits, from the settings registry unless given."""

    max_cells: int
    seconds: float
    cache_bytes: int
    max_text_bytes: int
    workers: int = 2

    @classmethod
    def from_settings(cls) -> Limits:
        workers = int(settings.number("workers", zero_ok=True)) or max(2, os.cpu_count() or 2)
        return cls(int(settings.number("max_cells")), settings.number("request_seconds"),
                   int(settings.number("cache_mb") * MB), int(settings.number("max_text_kb") * 1000),
                   workers)


@dataclass(frozen=True)
class Rendered:
    """A response body ready to send, with its media type and strong ETag (hash of the body)."""

    body: bytes
    media_type: str
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "etag", '"' + hashlib.sha256(self.body).hexdigest()[:40] + '"')


def _copy_of(error: QueryError) -> QueryError:
    """A fresh exception with ``error``'s type, message and fields: raising one shared object in
    several threads at once would mix their tracebacks and contexts."""
    fresh = Exception.__new__(type(error))
    fresh.args = error.args
    fresh.__dict__.update(error.__dict__)
    return fresh


class ResponseCache:
    """Least-recently-used answers up to ``max_bytes`` of bodies in all (large ones not kept), and
    the last :data:`MAX_REFUSALS` refusals: a request the warehouse refuses (unknown name, privacy
    rule, cell limit) is refused again without recomputing. A time limit is not a refusal: it
    depends on the load, so it is never remembered."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._refusals: OrderedDict[Hashable, QueryError] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable) -> Rendered | None:
        """The answer for ``key``, if kept; raises the remembered refusal if it was refused."""
        with self._lock:
            refused = self._refusals.get(key)
            if refused is not None:
                raise _copy_of(refused)
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def refuse(self, key: Hashable, error: QueryError) -> None:
        with self._lock:
            self._refusals[key] = error
            self._refusals.move_to_end(key)
            while len(self._refusals) > MAX_REFUSALS:
                self._refusals.popitem(last=False)

    def put(self, key: Hashable, value: Rendered) -> None:
        size = len(value.body)
        if size * LARGEST_SHARE > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self.bytes -= len(old.body) if old else 0
            self._items[key] = value
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.bytes -= len(dropped.body)

    def get_or_make(self, key: Hashable, make: Callable[[], Rendered]) -> Rendered:
        """The cached answer, or ``make()`` once while other requests for ``key`` wait for it."""
        hit = self.get(key)
        if hit is not None:
            return hit
        with self._lock:
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:
            try:
                value = self.get(key) or make()
            except TimeLimit:
                raise
            except QueryError as error:
                self.refuse(key, error)
                raise
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        self.put(key, value)
        return value

    def __len__(self) -> int:
        return len(self._items)


class ServeState:
    """The state of one app: ``app.state.immstat``."""

    def __init__(self, db_path: str | Path | None, limits: Limits | None = None):
        self.db_path = Path(db_path) if db_path else settings.default_db_path()
        self.limits = limits or Limits.from_settings()
        self.cache = ResponseCache(self.limits.cache_bytes)
        self._local = threading.local()
        self._opened: list[Warehouse] = []
        self._opened_lock = threading.Lock()
        self._summary: dict | None = None
        self._turns = threading.BoundedSemaphore(self.limits.workers)
        self._memo: dict[Hashable, Any] = {}
        self._memo_lock = threading.Lock()

    @property
    def warehouse_name(self) -> str:
        return self.db_path.name

    def warehouse(self) -> Warehouse:
        """This thread's read-only warehouse (opened on first use; raises WarehouseError)."""
        wh = getattr(self._local, "wh", None)
        if wh is None:
            wh = Warehouse(self.db_path, read_only=True)
            self._local.wh = wh
            with self._opened_lock:
                self._opened.append(wh)
        return wh

    def run(self, func: Callable[[Warehouse], T], seconds: float | None = None) -> T:
        """``func(warehouse)`` on this thread's warehouse, stopped after the time limit."""
        wh = self.warehouse()
        return self.limited(lambda: func(wh), seconds)

    def limited(self, func: Callable[[], T], seconds: float | None = None) -> T:
        """``func()`` (which uses this thread's warehouse) in its turn, under the time limit."""
        wh = self.warehouse()
        if getattr(self._local, "in_turn", False):  # nested: the outer call holds the turn and limit
            return func()
        limit = self.limits.seconds if seconds is None else seconds
        if not self._turns.acquire(timeout=limit):
            raise TimeLimit(f"The server is busy: no computation slot was free within {limit:g} s; "
                            "try again in a moment.")
        self._local.in_turn = True
        watch = _Watchdog(wh, limit)
        try:
            return func()
        except duckdb.InterruptException as exc:
            if watch.fired:
                raise TimeLimit(
                    f"This request took longer than the {limit:g} s limit and was stopped; narrow it "
                    "(a shorter period, a coarser grain, fewer breakdowns) or run it locally with "
                    "the `immstat` command.") from exc
            raise
        finally:
            watch.stop()
            self._local.in_turn = False
            self._turns.release()

    def lookup(self, key: Hashable) -> Rendered | None:
        """The cached answer for ``key``, if any."""
        return self.cache.get(key)

    def cached(self, key: Hashable, render: Callable[[], Rendered]) -> Rendered:
        """The cached answer for ``key``, else ``render()`` under the time limit (then cached)."""
        return self.cache.get_or_make(key, lambda: self.limited(render))

    def memo(self, key: Hashable, compute: Callable[[Warehouse], T]) -> T:
        """``compute(warehouse)`` once per app (small values that several pages share, e.g. what
        the latest release changed; the warehouse never changes while served)."""
        with self._memo_lock:
            if key in self._memo:
                return self._memo[key]
        value = self.run(compute)
        with self._memo_lock:
            return self._memo.setdefault(key, value)

    def summary(self) -> dict:
        """Active sources and whether any is synthetic (the warehouse never changes while served)."""
        if self._summary is None:
            active = self.warehouse().sources(include_superseded=False)
            self._summary = {"sources": len(active),
                             "synthetic": any(bool(s["synthetic"]) for s in active)}
        return self._summary

    def close(self) -> None:
        with self._opened_lock:
            for wh in self._opened:
                wh.close()
            self._opened.clear()
        self._local = threading.local()


def serve_state(request: Any) -> ServeState:
    """The :class:`ServeState` of the app serving ``request`` (a Starlette/FastAPI request)."""
    state = request.app.state.immstat
    if not isinstance(state, ServeState):
        raise TypeError("the app has no ImmStat state; build it with immstat.api.create_app")
    return state


class _Watchdog:
    """Interrupts a warehouse's running query once ``seconds`` have passed, until stopped."""

    def __init__(self, wh: Warehouse, seconds: float):
        self.fired = False
        self._wh = wh
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, args=(seconds,), daemon=True,
                                        name="immstat-watchdog")
        self._thread.start()

    def _watch(self, seconds: float) -> None:
        if self._done.wait(seconds):
            return
        while True:
            with self._lock:  # never interrupts after stop(): the next request is safe
                if self._done.is_set():
                    return
                self.fired = True
                self._wh.interrupt()
            if self._done.wait(0.05):
                return

    def stop(self) -> None:
        with self._lock:
            self._done.set()
