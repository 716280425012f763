"""The real UWCHR Seattle removal files (ICE ERO-LESA FOIA production, six banner lines,
redacted date of birth and event number) load through the REMOVALS manifest."""

from __future__ import annotations

import datetime as dt

import pytest

from immstat import Warehouse
from immstat.sources.detect import plan_file

FILES = {"SeattleAORExpeditedRemovals.csv": 6529, "SeattleAOROtherRemovals.csv": 20384}


@pytest.fixture(scope="module")
def seattle(shared_data, ingested):
    paths = [shared_data / "uwchr" / "ice-air" / name for name in FILES]
    # both files are parts of one production (period ends 07/06/2019, says the banner)
    db, reports = ingested("uwchr", paths, release_date=dt.date(2019, 7, 6))
    wh = Warehouse(db)
    yield wh, reports
    wh.close()


def test_detected_as_removals(shared_data):
    plan = plan_file(shared_data / "uwchr" / "ice-air" / "SeattleAORExpeditedRemovals.csv")
    assert plan.kind == "ice_removals" and not plan.synthetic
    assert plan.conversions[0].sheet.header_row == 6  # six banner lines above the header


def test_rows_accounted(seattle):
    wh, reports = seattle
    for report, (name, rows) in zip(reports, FILES.items()):
        assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (rows, rows, 0), name
    assert wh.table_rows("removals") == sum(FILES.values())


def test_redactions_counted_never_loaded(seattle):
    wh, _ = seattle
    got = wh._con.execute("""SELECT s.file_name, c.raw_name, c.n_redacted FROM source_columns c
        JOIN sources s USING (source_id) WHERE c."column" = '(not loaded)' ORDER BY 1, 2""").fetchall()
    expected = sorted((name, col, rows) for name, rows in FILES.items()
                      for col in ("Date of Birth", "Event Number"))
    assert got == expected
    columns = [r[0] for r in wh._con.execute("DESCRIBE removals").fetchall()]
    assert not {"birth_date", "date_of_birth", "event_number"} & set(columns)


def test_golden_values(seattle):
    wh, _ = seattle
    q = lambda sql: wh._con.execute(sql).fetchall()  # noqa: E731
    assert q("SELECT min(departed_date), max(departed_date) FROM removals") == [
        (dt.date(2011, 11, 30), dt.date(2019, 7, 2))]
    assert q("SELECT count(*) FROM removals WHERE aor IS NOT NULL") == [(0,)]  # not in the file
    assert q("SELECT count(*) FROM removals WHERE case_category = '[8F] Expedited Removal'")[0][0] > 0
    assert q("SELECT count(*) FROM removals WHERE gender IS NULL") == [(0,)]
