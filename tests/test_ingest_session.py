"""Ingest after queries: Ibis turns DuckDB's Python replacement scans off on the connection it
wraps, and the streaming ingest hands batches to DuckDB that way — ingest must run on its own
session (the real demo failed on its second FOIA file once a release had been built)."""

from __future__ import annotations

from pathlib import Path

from immstat import Warehouse

DEMO = Path(__file__).parents[1] / "src/immstat/data/demo/ice-foia-2019-ICFO-53623"


def test_ingest_after_a_query_and_a_release(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as wh:
        [first] = wh.ingest([DEMO / "ICERemovals_FY2016.csv.gz"])  # builds the release (Ibis)
        wh.query("removals", grain="fy")
        [second] = wh.ingest([DEMO / "ICERemovals_FY2017.csv.gz"])
        assert second.rows_in == second.rows_loaded + second.rows_rejected > 0
        assert first.rows_loaded > 0
        total = wh.query("removals", grain="fy").table.column("value").to_pylist()
        assert sum(v for v in total if v) > first.rows_loaded
