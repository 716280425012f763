"""Dashboard speed: server-side render time per page and time until every Vega view is drawn.

    python benchmarks/pages.py [--db PATH]      # default: build the demo warehouse in a temp dir

Server side: each page rendered in-process: first in a fresh process (one-off engine start-up
costs included; the server pays them at start-up, see immstat.web.warmup), then uncached in a
warm process (a new URL: runs all its queries), then from the app's page cache; ratio printed. Browser: Debian's chromium opens each page on a
real uvicorn server; "ready" = ms from navigation start until every chart's Vega view has
rendered (``window.immstat.ready``), first visit (browser cache cold for the page; server
cache warm only for the pages warmed at start-up) and repeat visit. Target: < 1000 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.request import urlopen

PAGES = ["/", "/map", "/map?level=state", "/map?level=county", "/aor/HOU", "/facility/ABQHOLD",
         "/detention", "/encounters"]
TARGET_MS = 1000
WARMED = ["/", "/map", "/detention", "/encounters"]  # see immstat.web.warmup.PAGES
READY_MS = "() => window.immstat.ready.then(() => performance.now())"


def demo_db(folder: Path) -> Path:
    from immstat.analysis.demo import build_demo

    path = folder / "immstat.duckdb"
    build_demo(path)
    return path


def server_side(db: Path) -> None:
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    warnings.filterwarnings("ignore")
    client = TestClient(build_app(db))  # no `with`: start-up warm-up off, to see the costs
    print(f"\nServer-side render, ms{'':20}fresh  uncached   cached   uncached/cached")
    for url in PAGES:
        fresh = _timed(lambda: client.get(url))
        other = url + ("&" if "?" in url else "?") + "bench=1"  # same page, not in the cache
        uncached = _timed(lambda: client.get(other))
        cached = statistics.median(_timed(lambda: client.get(url)) for _ in range(5))
        print(f"  {url:28} {fresh:8.0f} {uncached:9.0f} {cached:8.1f} {uncached / cached:9.0f}x")


def _timed(call) -> float:
    start = time.perf_counter()
    response = call()
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - start) * 1000


def browser_side(db: Path) -> None:
    from playwright.sync_api import sync_playwright

    from immstat.web import harness

    if harness.chromium_path() is None:
        print("\nBrowser timing skipped: chromium not found (apt-get install -y chromium).")
        return
    with harness.running_server(db) as base, sync_playwright() as p:
        for url in WARMED:  # wait for the server's start-up warm-up to finish (pages it caches)
            urlopen(base + url).read()
        browser = harness.launch(p)
        page = browser.new_page(viewport=harness.DESKTOP)
        page.goto(base + "/encounters")  # load the vendored JS once, as a returning visitor has
        print(f"\nBrowser: navigation start → all Vega views drawn, ms   first   repeat  (< {TARGET_MS})")
        worst = 0.0
        for url in PAGES:
            first, repeat = (_ready(page, base + url) for _ in range(2))
            worst = max(worst, repeat)
            flag = "ok" if max(first, repeat) < TARGET_MS else "SLOW"
            print(f"  {url:32} {first:22.0f} {repeat:8.0f}  {flag}")
        browser.close()
    print(f"\nSlowest repeat visit: {worst:.0f} ms ({'meets' if worst < TARGET_MS else 'misses'} "
          f"the {TARGET_MS} ms target)")


def _ready(page, url: str) -> float:
    page.goto(url)
    return page.evaluate(READY_MS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="warehouse to serve (default: build the demo)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_db(Path(tmp))
        server_side(db)
        browser_side(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
