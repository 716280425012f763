"""Releases: same bytes twice is a no-op, a newer release replaces the older one atomically, an
older release after a newer one is refused, and parts of one release coexist."""

from __future__ import annotations

import pytest

from immstat.core.errors import IngestError
from immstat.metrics.warehouse import Warehouse
from ingest_checks import snapshot, write_small_csv


@pytest.fixture()
def wh(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        yield warehouse


def test_same_file_twice_is_a_no_op(wh, tmp_path):
    path = write_small_csv(tmp_path / "a.csv", "2024-06-30", 12)
    [first] = wh.ingest([path])
    before = snapshot(wh)
    copy = tmp_path / "renamed copy.csv"
    copy.write_bytes(path.read_bytes())
    [again, renamed] = wh.ingest([path, copy])
    assert again.skipped and renamed.skipped
    assert again.source_id == renamed.source_id == first.source_id
    assert (again.rows_in, again.rows_loaded, again.rows_rejected) == (0, 0, 0)
    assert snapshot(wh) == before


def test_newer_release_replaces_older_rows(wh, tmp_path):
    [old] = wh.ingest([write_small_csv(tmp_path / "old.csv", "2024-03-31", 10, aor="SEA")])
    [new] = wh.ingest([write_small_csv(tmp_path / "new.csv", "2024-06-30", 7, aor="ATL")])
    assert new.release_date.isoformat() == "2024-06-30"
    rows = wh._con.execute("SELECT source_id, superseded_by, rows_loaded FROM sources ORDER BY 1").fetchall()
    assert rows == [(old.source_id, new.source_id, 10), (new.source_id, None, 7)]
    assert wh._con.execute("SELECT source_id, aor, count(*) FROM arrests GROUP BY ALL").fetchall() \
        == [(new.source_id, "ATL", 7)]
    # the old release's rejects / column stats stay as provenance of what was once loaded
    assert wh._con.execute("SELECT count(DISTINCT source_id) FROM source_columns").fetchone()[0] == 2


def test_older_release_after_newer_is_refused_and_changes_nothing(wh, tmp_path):
    wh.ingest([write_small_csv(tmp_path / "new.csv", "2024-06-30", 7)])
    before = snapshot(wh)
    older = write_small_csv(tmp_path / "old.csv", "2024-03-31", 10, start_day=3)
    with pytest.raises(IngestError) as caught:
        wh.ingest([older])
    message = str(caught.value)
    assert str(older) in message and "oldest first" in message and "2024-03-31" in message
    assert snapshot(wh) == before
    # and the warehouse still works: a newer file after the refusal loads
    [newer] = wh.ingest([write_small_csv(tmp_path / "newer.csv", "2024-09-30", 4)])
    assert newer.rows_loaded == 4 and wh.table_rows("arrests") == 4


def test_parts_of_one_release_coexist(wh, tmp_path):
    [a] = wh.ingest([write_small_csv(tmp_path / "part1.csv", "2024-06-30", 5, aor="SEA")])
    [b] = wh.ingest([write_small_csv(tmp_path / "part2.csv", "2024-06-30", 6, aor="ATL")])
    assert a.source_id != b.source_id
    assert wh._con.execute("SELECT count(*) FROM sources WHERE superseded_by IS NULL").fetchone()[0] == 2
    assert wh._con.execute("SELECT aor, count(*) FROM arrests GROUP BY 1 ORDER BY 1").fetchall() \
        == [("ATL", 6), ("SEA", 5)]


def test_event_ids_are_stable_content_hashes(wh, tmp_path):
    """Same content → same event IDs in another warehouse; repeated rows get distinct IDs."""
    path = write_small_csv(tmp_path / "a.csv", "2024-06-30", 10)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines + lines[-3:] + lines[-1:]))  # identical rows repeated
    [report] = wh.ingest([path])
    assert report.rows_loaded == 14
    ids = wh._con.execute("SELECT event_id FROM arrests ORDER BY source_row").fetchall()
    assert len(set(ids)) == 14
    with Warehouse(tmp_path / "other.duckdb") as other:
        other.ingest([path])
        assert other._con.execute("SELECT event_id FROM arrests ORDER BY source_row").fetchall() == ids
