"""Rendering that holds the interpreter lock for long stretches, in one worker process.

vl-convert (chart → SVG) and WeasyPrint (HTML → PDF) keep the lock for their whole call: up to
seconds for a county map or a long brief. In a server's process that stalls every other request,
cache hits and ``/health`` included (measured: light requests' p99 4.2 s while briefs were
built). So a server, and the CLI alike, render in one long-lived worker process, started on
first use. The worker exits when the process that started it is gone: a server stopped by a
signal, or killed, does not shut its pool down, and the worker would wait for work forever.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from immstat.core.errors import ReportError, TimeLimit

T = TypeVar("T")
PARENT_CHECK_SECONDS = 0.5
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def run_apart(func: Callable[..., T], *args, seconds: float, too_long: str) -> T:
    """``func(*args)`` in the worker process (a module-level function, picklable arguments);
    raises TimeLimit with ``too_long`` after ``seconds``, and func's own errors as they are."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_exit_with_parent, initargs=(os.getpid(),))
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


def _exit_with_parent(parent: int) -> None:
    """In the worker: exit as soon as ``parent`` (the process that started it) is gone."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="immstat-parent-watch", daemon=True).start()
