"""Rendering that holds the interpreter lock for long stretches, in one worker process.

vl-convert (chart → SVG) and WeasyPrint (HTML → PDF) keep the lock for their whole call: up to
seconds for a county map or a long brief. In a server's process that stalls every other request,
cache hits and ``/health`` included (measured: light requests' p99 4.2 s while briefs were
built). So a server, and the CLI alike, render in one long-lived worker process, started on
first use.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from immstat.core.errors import ReportError, TimeLimit

T = TypeVar("T")
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def run_apart(func: Callable[..., T], *args, seconds: float, too_long: str) -> T:
    """``func(*args)`` in the worker process (a module-level function, picklable arguments);
    raises TimeLimit with ``too_long`` after ``seconds``, and func's own errors as they are."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        pool = _POOL
    future = pool.submit(func, *args)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        future.cancel()
        raise TimeLimit(f"{too_long} took longer than {seconds:g} s.") from None
    except BrokenProcessPool as exc:
        with _POOL_LOCK:
            _POOL = None
        raise ReportError(f"The rendering worker process stopped ({exc}); try again.") from exc
