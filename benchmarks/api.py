"""API latency under 20 concurrent loopback clients, vs a naive pandas endpoint, in one run.

    python benchmarks/api.py [--db PATH] [--requests 2000] [--clients 20] [--naive-requests 200]

- **immstat**: ``immstat serve`` (its own process) answering a mix of ``/api/v1/query`` URLs
  on the real demo (FOIA arrests and removals, ERO statistics, detention, CBP, 287(g); JSON and
  CSV; two refused as real readers' are).
- **naive**: the same kind of server with one endpoint that reads the whole arrests table into
  pandas on every request, filters the fiscal year and counts by AOR (no cache, no lock).

Then the mix again from 18 clients while 2 ask for uncached briefs (HTML and PDF: seconds of
work each). Both servers are hit by the same asyncio client. Prints p50/p95/p99 latency,
throughput and statuses, and the naive/immstat ratio on the one query both serve.
Goal: immstat p95 < 100 ms on the mix, with and without the briefs, and no 5xx answer.
Without --db the demo warehouse is built in a temporary folder (``immstat.analysis.demo.build_demo``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from immstat.web.warmup import PAGES

HEAVY_CLIENTS = 2
SAME_QUERY = "/api/v1/query/arrests?by=aor&fy=2017"
NAIVE_QUERY = "/naive/arrests_by_aor?fy=2017"
NAIVE_APP = """
import json, sys, duckdb, pandas as pd, uvicorn
from fastapi import FastAPI, Response
app = FastAPI()
DB = sys.argv[1]

@app.get("/naive/arrests_by_aor")
def arrests_by_aor(fy: int):
    con = duckdb.connect(DB, read_only=True)
    df = con.execute("SELECT * FROM arrests").df()
    con.close()
    d = pd.to_datetime(df["apprehension_date"])
    df = df[(d.dt.year + (d.dt.month >= 10)) == fy]
    counts = df.groupby("aor").size()
    rows = [[k, float(v) if v >= 11 else None, bool(v < 11)] for k, v in counts.items()]
    return Response(json.dumps({"columns": ["aor", "value", "suppressed"], "rows": rows}),
                    media_type="application/json")

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def query_mix() -> list[str]:
    """About 40 distinct URLs a reader of the real demo asks, two of them refused (as real readers'
    are): every period asked is inside its source's data."""
    urls = []
    for fy in (2017, 2018):  # ICE FOIA record-level arrests and removals (2019-ICFO-53623)
        for by in ("aor", "state", "criminality", "method", "gender"):
            urls.append(f"/api/v1/query/arrests?by={by}&fy={fy}")
        urls += [f"/api/v1/query/arrests?grain=month&fy={fy}",
                 f"/api/v1/query/arrests_per_day?by=aor&fy={fy}",
                 f"/api/v1/query/criminality_share?grain=month&fy={fy}",
                 f"/api/v1/query/arrests?by=criminality&grain=month&fy={fy}&format=csv",
                 f"/api/v1/query/removals?by=aor&fy={fy}",
                 f"/api/v1/query/removals?by=citizenship&grain=month&fy={fy}"]
    for fy in (2023, 2024):  # ICE's ERO statistics workbook and detention statistics
        urls += [f"/api/v1/query/ero_stats_arrests?by=aor&fy={fy}",
                 f"/api/v1/query/ero_stats_removals?by=criminality&grain=month&fy={fy}",
                 f"/api/v1/query/detention_stats_adp?grain=month&fy={fy}"]
    urls += ["/api/v1/query/usbp_encounters?by=sector&fy=2019",
             "/api/v1/query/cbp_encounters?by=state&grain=month&fy=2023&format=csv",
             "/api/v1/query/usbp_encounters_monthly?grain=month&fy=2025",
             "/api/v1/query/adp?by=state&fy=2025",
             "/api/v1/query/facility_population?by=facility&fy=2025",
             "/api/v1/query/agreements_287g?by=state",
             "/api/v1/query/arrests?by=county&fy=2017",  # refused: no county tables for arrests
             "/api/v1/query/arrests?grain=week&fy=2017",  # refused: weeks are not released
             "/api/v1/health", "/api/v1/metrics", "/api/v1/sources"]
    return urls


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(cmd: list[str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server failed: {proc.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


async def hammer(base: str, urls: list[str], total: int | None, clients: int,
                 until: asyncio.Event | None = None) -> tuple[list[float], float, dict]:
    """GETs cycling through ``urls`` from ``clients`` concurrent keep-alive connections: ``total``
    of them, or (``total=None``) until ``until`` is set.

    The client is a few lines of asyncio HTTP/1.1, not httpx: on a 2-core machine the load
    generator shares the CPUs with the server, and httpx's own per-request cost (about 1 ms of
    Python) would be measured as server latency."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sent = 0

    def more() -> bool:
        return (total is None or sent < total) and not (until is not None and until.is_set())

    async def worker() -> None:
        nonlocal sent
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while more():
                url, sent = urls[sent % len(urls)], sent + 1
                t0 = time.perf_counter()
                writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                status = await read_response(reader)
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, time.perf_counter() - t0, statuses


async def light_under_heavy(base: str, light: list[str], clients: int) -> tuple[tuple, tuple]:
    """The light mix from ``clients - HEAVY_CLIENTS`` connections for as long as
    ``HEAVY_CLIENTS`` connections ask for uncached briefs (seconds of work each)."""
    done = asyncio.Event()

    async def heavy_then_stop() -> tuple:
        try:
            briefs = heavy_urls()
            return await hammer(base, briefs, len(briefs), HEAVY_CLIENTS)
        finally:
            done.set()

    heavy_task = asyncio.ensure_future(heavy_then_stop())
    light_result = await hammer(base, light, None, clients - HEAVY_CLIENTS, until=done)
    return light_result, await heavy_task


def heavy_urls() -> list[str]:
    """Briefs nobody asked for before (a distinct printed date each): HTML and PDF, nation and
    field office; each is built from the warehouse, then rendered."""
    return [f"/api/v1/report?fy=2018&date=2026-01-{day:02d}" + extra
            for day, extra in enumerate(("", "&aor=HOU", "&format=pdf", "&aor=NYC",
                                         "&aor=LOS&format=pdf", ""), start=1)]


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked body); return its status."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return int(head[0].split()[1])


def warm_up(base: str) -> None:
    """Wait for the server's start-up warming (it renders the main pages in the background) so
    it does not compete with the measured requests: each page waits for its render."""
    t0 = time.perf_counter()
    with httpx.Client(base_url=base, timeout=300) as http:
        for page in PAGES:
            http.get(page)
    print(f"server warm-up (main pages rendered) finished after {time.perf_counter() - t0:.1f} s")


def summary(name: str, latencies: list[float], wall: float, statuses: dict) -> dict:
    q = statistics.quantiles([x * 1000 for x in latencies], n=100)
    out = {"p50": q[49], "p95": q[94], "p99": q[98], "rps": len(latencies) / wall,
           "errors": sum(n for status, n in statuses.items() if status >= 500)}
    print(f"{name:<34} n={len(latencies):>5}  p50 {out['p50']:7.1f} ms  p95 {out['p95']:7.1f} ms  "
          f"p99 {out['p99']:7.1f} ms  {out['rps']:7.1f} req/s  statuses {statuses}")
    return out


def demo_db(folder: Path) -> Path:
    from immstat.analysis.demo import build_demo

    path = folder / "immstat.duckdb"
    print(f"building the demo warehouse in {path} …")
    build_demo(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--naive-requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_db(Path(tmp))
        immstat_bin = str(Path(sys.executable).with_name("immstat"))
        port, naive_port = free_port(), free_port()
        server = start([immstat_bin, "serve", "--db", str(db), "--port", str(port)], port)
        naive = start([sys.executable, "-c", NAIVE_APP, str(db), str(naive_port)], naive_port)
        try:
            base, naive_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{naive_port}"
            print(f"{os.cpu_count()} CPUs; {args.clients} concurrent clients; warehouse {db.name}")
            warm_up(base)
            mix = query_mix()
            cold = asyncio.run(hammer(base, mix, len(mix), args.clients))
            summary(f"immstat first hits ({len(mix)} URLs)", *cold)
            result = summary("immstat query mix", *asyncio.run(
                hammer(base, mix, args.requests, args.clients)))
            light, heavy = asyncio.run(light_under_heavy(base, mix, args.clients))
            under = summary("immstat mix while 2 ask for briefs", *light)
            summary(f"immstat briefs ({len(heavy_urls())}, uncached)", *heavy)
            same = summary("immstat  " + SAME_QUERY, *asyncio.run(
                hammer(base, [SAME_QUERY], args.naive_requests, args.clients)))
            slow = summary("naive pandas " + NAIVE_QUERY, *asyncio.run(
                hammer(naive_base, [NAIVE_QUERY], args.naive_requests, args.clients)))
        finally:
            for proc in (server, naive):
                proc.terminate()
                proc.wait(10)
    print(f"naive/immstat on the same query: p95 {slow['p95'] / same['p95']:.0f}x slower, "
          f"throughput {same['rps'] / slow['rps']:.0f}x higher with immstat")
    for name, out in (("the mix", result), ("the mix while briefs are built", under)):
        verdict = "OK" if out["p95"] < 100 and not out["errors"] else "MISSED"
        print(f"goal p95 < 100 ms and no 5xx on {name}: {out['p95']:.1f} ms, "
              f"{out['errors']} server errors: {verdict}")


if __name__ == "__main__":
    main()
