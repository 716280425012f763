"""Serving without a global lock: per-thread read-only warehouses, a cache bounded in bytes, and
per-request limits (answer cells, body and text size, time), on real warehouses and a real server.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from immstat.cli.compose import build_app
from immstat.core.errors import PrivacyError, TimeLimit, UnknownName
from immstat.present.state import Limits, Rendered, ResponseCache, ServeState
from immstat.web.harness import free_port

SLOW_SQL = "SELECT count(*) FROM range(20000000000) a WHERE a.range % 7 = 3"
LIMITS = Limits(max_cells=200_000, seconds=30.0, cache_bytes=64_000_000, max_text_bytes=50_000)


@pytest.fixture
def empty_db(make_warehouse) -> Path:
    wh = make_warehouse()
    wh.close()
    return wh.path


# ------------------------------------------------------------------ the cache
def test_cache_is_bounded_in_bytes_least_recently_used_first():
    cache = ResponseCache(max_bytes=1000)
    for i in range(10):
        cache.put(i, Rendered(b"x" * 100, "text/plain"))
    assert cache.bytes == 1000 and len(cache) == 10
    assert cache.get(0) is not None  # 0 becomes the most recently used
    cache.put("new", Rendered(b"y" * 120, "text/plain"))
    assert cache.bytes <= 1000
    assert cache.get(1) is None and cache.get(2) is None and cache.get(0) is not None
    cache.put("huge", Rendered(b"z" * 200, "text/plain"))  # over 1/8 of the cache: not kept
    assert cache.get("huge") is None and cache.bytes <= 1000


def test_cache_computes_each_answer_once_while_others_wait():
    cache, calls = ResponseCache(10_000), []

    def make() -> Rendered:
        calls.append(1)
        time.sleep(0.2)
        return Rendered(b"answer", "text/plain")

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: cache.get_or_make("k", make), range(6)))
    assert len(calls) == 1 and {a.body for a in answers} == {b"answer"}


def test_refusals_are_remembered_but_time_limits_are_not():
    cache, calls = ResponseCache(10_000), []

    def refuse() -> Rendered:
        calls.append("refused")
        raise PrivacyError("county breakdowns are not released")

    def overrun() -> Rendered:
        calls.append("overrun")
        raise TimeLimit("took too long")

    for _ in range(3):
        with pytest.raises(PrivacyError, match="county"):
            cache.get_or_make("refused", refuse)
        with pytest.raises(TimeLimit):
            cache.get_or_make("slow", overrun)
    assert calls.count("refused") == 1 and calls.count("overrun") == 3
    assert cache.get_or_make("fine", lambda: Rendered(b"ok", "text/plain")).body == b"ok"


def test_a_remembered_refusal_is_raised_as_a_fresh_copy():
    """Threads answering the same refused request each raise their own exception object (one
    shared object would collect every thread's traceback), with the same type, text and fields."""
    cache = ResponseCache(10_000)

    def unknown() -> Rendered:
        raise UnknownName("metric", "arests", ["arrests", "removals"])

    raised = []
    for _ in range(3):
        with pytest.raises(UnknownName) as caught:
            cache.get_or_make("typo", unknown)
        raised.append(caught.value)
    assert len({id(e) for e in raised}) == 3
    assert {str(e) for e in raised} == {str(raised[0])} and "Did you mean 'arrests'" in str(raised[0])
    assert all(e.name == "arests" and e.valid == ["arrests", "removals"] for e in raised)


# ------------------------------------------------------------------ warehouses and time
def test_each_thread_has_its_own_read_only_warehouse(empty_db):
    state = ServeState(empty_db, LIMITS)
    mine = state.warehouse()
    assert state.warehouse() is mine and mine.read_only
    with ThreadPoolExecutor(2) as pool:
        theirs = pool.submit(state.warehouse).result()
    assert theirs is not mine
    state.close()


def test_a_request_over_the_time_limit_is_stopped_and_the_connection_stays_usable(empty_db):
    state = ServeState(empty_db, replace(LIMITS, seconds=0.3))
    wh = state.warehouse()
    started = time.monotonic()
    with pytest.raises(TimeLimit, match=r"longer than the 0.3 s limit"):
        state.limited(lambda: wh.cursor().execute(SLOW_SQL).fetchall())
    assert time.monotonic() - started < 5
    assert state.limited(lambda: wh.cursor().execute("SELECT 42").fetchall()) == [(42,)]
    time.sleep(0.5)  # a stopped watchdog never interrupts the thread's next query
    assert wh.cursor().execute("SELECT 43").fetchall() == [(43,)]
    state.close()


def test_slow_requests_in_other_threads_do_not_block_a_read(empty_db):
    state = ServeState(empty_db, replace(LIMITS, seconds=3, workers=3))
    threads = [threading.Thread(target=lambda: pytest.raises(
        TimeLimit, state.run, lambda wh: wh.cursor().execute(SLOW_SQL).fetchall())) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert state.run(lambda wh: wh.sources()) == []
    assert time.monotonic() - started < 1.0  # no global lock: not behind the slow ones
    for t in threads:
        t.join()
    state.close()


def test_computations_beyond_the_workers_wait_their_turn(empty_db):
    state = ServeState(empty_db, replace(LIMITS, seconds=1.0, workers=1))
    slow = threading.Thread(target=lambda: pytest.raises(
        TimeLimit, state.run, lambda wh: wh.cursor().execute(SLOW_SQL).fetchall()))
    slow.start()
    time.sleep(0.1)
    with pytest.raises(TimeLimit, match="busy"):
        state.run(lambda wh: wh.sources(), seconds=0.2)
    slow.join()
    assert state.run(lambda wh: wh.sources()) == []  # the turn is free again
    state.close()


# ------------------------------------------------------------------ limits over HTTP
def test_answers_over_the_cell_limit_are_refused_with_how_to_narrow(api_db):
    with TestClient(build_app(api_db, web=False, limits=replace(LIMITS, max_cells=50))) as client:
        small = client.get("/api/v1/query/arrests?fy=2025")
        assert small.status_code == 200
        big = client.get("/api/v1/query/arrests?by=aor&grain=month&fy=2025")
        assert big.status_code == 413, big.text
        message = big.json()["error"]
        assert "at most 50" in message and "coarser grain" in message and "\n" not in message


def test_bodies_and_texts_over_the_limit_are_refused(api_db):
    with TestClient(build_app(api_db, limits=replace(LIMITS, max_text_bytes=1000))) as client:
        huge = client.post("/api/v1/claims/extract", content=b"{" + b" " * 100_000 + b"}",
                           headers={"content-type": "application/json"})
        assert huge.status_code == 413 and set(huge.json()) == {"error"}
        long = client.post("/api/v1/claims/extract", json={"text": "ICE made 300 arrests. " * 60})
        assert long.status_code == 413 and "limit is 1,000 bytes" in long.json()["error"]
        fine = client.post("/api/v1/claims/extract", json={"text": "ICE made 300 arrests in May 2025."})
        assert fine.status_code == 200
        page = client.post("/claims", content=("text=" + "x" * 9000).encode(),
                           headers={"content-type": "application/x-www-form-urlencoded"})
        assert page.status_code == 413


# ------------------------------------------------------------------ a real server under load
SEVEN = "&".join(f"by={d}" for d in ("aor", "criminality", "method", "gender", "citizenship",
                                      "program", "arresting_agency"))
HEAVY = ["/api/v1/report?fy=2025&date=2026-01-0{n}&format=pdf",  # seconds of Python (GIL) work
         f"/api/v1/query/arrests?{SEVEN}&grain=day&fy=2025&as_of=2026-01-0{{n}}",  # DuckDB, 413
         "/api/v1/report?fy=2025&aor=HOU&date=2026-03-0{n}"]


@pytest.mark.slow
def test_health_answers_fast_while_heavy_requests_run(api_db, tmp_path):
    server, base = _serve(api_db, tmp_path)
    try:
        _wait_for(base, server)
        heavy = [u.format(n=n) for n in range(1, 3) for u in HEAVY]

        def hammer(url: str) -> int:
            with httpx.Client(base_url=base, timeout=120) as http:
                return http.get(url).status_code

        with ThreadPoolExecutor(len(heavy)) as pool:
            futures = [pool.submit(hammer, u) for u in heavy]
            latencies = []
            with httpx.Client(base_url=base, timeout=10) as http:
                time.sleep(0.5)  # let the heavy requests start
                while not all(f.done() for f in futures) and len(latencies) < 200:
                    started = time.perf_counter()
                    assert http.get("/api/v1/health").status_code == 200
                    latencies.append(time.perf_counter() - started)
                    time.sleep(0.05)
            codes = [f.result() for f in futures]
        busy = len(latencies)
        assert busy >= 5, "the heavy requests finished before health was measured"
        ninetieth = sorted(latencies)[int(0.9 * busy)]
        assert statistics.median(latencies) < 0.1 and ninetieth < 0.1, latencies
        # 403/413: the release (or the cell limit) refuses the seven-way day query;
        # 503: a request waited, or ran, past the time limit under this load
        assert all(code in (200, 403, 413, 503) for code in codes), codes
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["terminate", "kill"])
def test_the_rendering_worker_exits_with_the_server(api_db, tmp_path, stop):
    """A brief is rendered in a worker process; a server stopped by a signal (or killed) left it
    waiting for work forever, 600 MB each. It now exits with the server."""
    import psutil

    server, base = _serve(api_db, tmp_path)
    try:
        _wait_for(base, server)
        assert httpx.get(f"{base}/api/v1/report?fy=2025&aor=HOU", timeout=120).status_code == 200
        workers = psutil.Process(server.pid).children(recursive=True)
        assert workers, "the brief was not rendered in a worker process"
    finally:
        getattr(server, stop)()
        server.wait(10)
    _, alive = psutil.wait_procs(workers, timeout=10)
    for process in alive:
        process.kill()
    assert not alive, f"{len(alive)} worker process(es) outlived the server"


def _serve(db: Path, home: Path) -> tuple[subprocess.Popen, str]:
    """``immstat serve`` on a free port, in its own process (which a test may stop or kill)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "immstat", "serve", "--db", str(db),
                               "--port", str(port)], env={**os.environ, "IMMSTAT_HOME": str(home)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return server, f"http://127.0.0.1:{port}"


def _wait_for(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(server.stdout.read().decode() if server.stdout else "server exited")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")
