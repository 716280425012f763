"""`kill -9` in the middle of an ingest leaves the warehouse exactly as it was; the same file then
loads cleanly, every row accounted for.

The child reports its progress (rows read so far, batch by batch), so the kill lands mid-load
whatever the machine's speed: after the first batch went in, and past the half of the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from immstat.metrics.warehouse import Warehouse
from ingest_checks import q, snapshot, write_big_csv, write_small_csv

BIG_ROWS = 2_000_000
CHILD = ["-m", "immstat.metrics.ingest_progress"]  # prints rows read so far, batch by batch


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return write_big_csv(tmp_path_factory.mktemp("kill9") / "big.csv", BIG_ROWS)


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, BIG_ROWS // 2])
def test_kill9_mid_ingest_leaves_warehouse_unchanged(tmp_path, big, kill_after):
    db = tmp_path / "w.duckdb"
    with Warehouse(db) as wh:
        [small] = wh.ingest([write_small_csv(tmp_path / "small.csv", "2024-10-15", 25)])
        assert small.rows_loaded == 25
        before = snapshot(wh)

    child = subprocess.Popen([sys.executable, *CHILD, str(db), str(big)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in child.stdout:
        assert line.strip() != "finished", "the ingest finished before it could be killed"
        if int(line) >= kill_after:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read()

    with Warehouse(db) as wh:
        assert snapshot(wh) == before
        [report] = wh.ingest([big])
        assert (report.rows_in, report.rows_loaded, report.skipped) == (BIG_ROWS, BIG_ROWS, False)
        assert q(wh, "SELECT count(*) FROM arrests WHERE source_id = ?", report.source_id) == BIG_ROWS
        assert q(wh, "SELECT rows_in, rows_loaded, rows_rejected FROM sources WHERE source_id = ?",
                 report.source_id, one=False) == [(BIG_ROWS, BIG_ROWS, 0)]
        assert q(wh, "SELECT count(*) FROM sources") == 2
