"""`kill -9` in the middle of an ingest leaves the warehouse exactly as it was; the same file then
loads cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from immstat.metrics.warehouse import Warehouse
from ingest_checks import snapshot, write_big_csv, write_small_csv

BIG_ROWS = 1_200_000
CHILD = """
import sys
from immstat.metrics.warehouse import Warehouse
wh = Warehouse(sys.argv[1])
print("started", flush=True)
wh.ingest([sys.argv[2]])
print("finished", flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [1.5, 4.0])
def test_kill9_mid_ingest_leaves_warehouse_unchanged(tmp_path, delay):
    db = tmp_path / "w.duckdb"
    with Warehouse(db) as wh:
        [small] = wh.ingest([write_small_csv(tmp_path / "small.csv", "2024-10-15", 25)])
        assert small.rows_loaded == 25
        before = snapshot(wh)
    big = write_big_csv(tmp_path / "big.csv", BIG_ROWS)

    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(big)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started", child.stderr.read()
    time.sleep(delay)
    assert child.poll() is None, "the ingest finished before it could be killed; use a bigger file"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with Warehouse(db) as wh:
        assert snapshot(wh) == before
        [report] = wh.ingest([big])
        assert (report.rows_in, report.rows_loaded, report.skipped) == (BIG_ROWS, BIG_ROWS, False)
        loaded = wh._con.execute("SELECT count(*) FROM arrests WHERE source_id = ?",
                                [report.source_id]).fetchone()[0]
        assert loaded == BIG_ROWS
        assert wh._con.execute("SELECT count(*) FROM sources").fetchone()[0] == 2
