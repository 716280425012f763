"""Run the dashboard for real and look at it: a uvicorn server on a loopback port and Debian's
chromium driven by Playwright. Shared by the browser tests and ``benchmarks/pages.py``.

Never downloads a browser: chromium comes from the system (``apt-get install chromium``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
READY_JS = "() => window.immstat.ready.then(views => views.length)"


def chromium_path() -> str | None:
    """The system chromium ($IMMSTAT_CHROMIUM, then the usual Debian paths), or None."""
    for candidate in (os.environ.get("IMMSTAT_CHROMIUM"), *CHROMIUM_CANDIDATES,
                      shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(db: Path, timeout: float = 30.0) -> Iterator[str]:
    """Serve ``db`` with ``immstat serve`` (uvicorn, API + dashboard) on a free loopback port;
    yields the base URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "immstat", "serve", "--db", str(db), "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, timeout)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_until_up(base: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"the server exited with {proc.returncode}: {output[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on {base} within {timeout:.0f} s")


def launch(playwright):
    """Launch the system chromium headless (raises if there is none)."""
    path = chromium_path()
    if path is None:
        raise FileNotFoundError("chromium not found; install it with `apt-get install -y chromium`.")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


def wait_for_charts(page, timeout_ms: int = 15000) -> None:
    """Wait until every chart on the page has been drawn (or has failed)."""
    page.wait_for_function("() => window.immstat !== undefined", timeout=timeout_ms)
    page.evaluate(READY_JS)
