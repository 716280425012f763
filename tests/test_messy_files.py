"""Every file in tests/fixtures/messy/ either fails with a fix-telling error (warehouse unchanged)
or loads with exactly the expected rows, rejects and reasons. Add a file + an entry in
expected.json, get a test. Row counts are checked against an independent count of the data rows
below the header (openpyxl / the csv module / pyarrow), not against ImmStat's own readers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from immstat.core import errors
from immstat.metrics.warehouse import Warehouse
from ingest_checks import snapshot, write_small_csv

MESSY = Path(__file__).parent / "fixtures" / "messy"
EXPECTED = json.loads((MESSY / "expected.json").read_text(encoding="utf-8"))
FIXTURES = sorted(p for p in MESSY.iterdir() if p.suffix in {".xlsx", ".csv", ".parquet"})
HEADER_MARKERS = {"apprehension date", "arrest date"}


def test_every_fixture_has_an_expectation():
    names = {p.name for p in FIXTURES}
    assert names == set(EXPECTED) - {"_doc"}, "add the new file to expected.json (and README.md)"


def test_readme_lists_every_fixture():
    readme = (MESSY / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in FIXTURES if f"`{p.name}`" not in readme] == []


# ---------------------------------------------------------------- independent row counting
def _blank(values) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def _rows_below_header(rows: list[list]) -> tuple[int, int]:
    """(1-based header row, data rows below it up to the last non-blank row)."""
    header = next(i for i, r in enumerate(rows)
                  if HEADER_MARKERS & {str(v).strip().lower() for v in r if v is not None})
    body = rows[header + 1:]
    while body and _blank(body[-1]):
        body.pop()
    return header + 1, len(body)


def count_data_rows(path: Path) -> tuple[int | None, int]:
    if path.suffix == ".parquet":
        return None, pq.ParquetFile(path).metadata.num_rows
    if path.suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        delimiter = "|" if text.count("|") > text.count(",") else ","
        return _rows_below_header(list(csv.reader(text.splitlines(), delimiter=delimiter)))
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return _rows_below_header([list(r) for r in book.worksheets[0].iter_rows(values_only=True)])
    finally:
        book.close()


# ---------------------------------------------------------------- warehouse helpers
BASE_ROWS = 3


@pytest.fixture()
def warehouse(tmp_path):
    """A warehouse already holding one small, valid file of the same release as the fixtures."""
    wh = Warehouse(tmp_path / "w.duckdb")
    [report] = wh.ingest([write_small_csv(tmp_path / "base.csv", "2024-10-15", BASE_ROWS)])
    assert report.rows_loaded == BASE_ROWS
    yield wh
    wh.close()


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# ---------------------------------------------------------------- the test
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_messy_file(path: Path, warehouse: Warehouse):
    want = EXPECTED[path.name]
    before = snapshot(warehouse)
    if "error" in want:
        with pytest.raises(errors.ImmstatError) as caught:
            warehouse.ingest([path])
        assert type(caught.value).__name__ == want["error"]
        message = str(caught.value)
        assert str(path) in message and "\n" not in message
        for words in want["message"]:
            assert words.lower() in message.lower(), f"{words!r} not in {message!r}"
        assert snapshot(warehouse) == before, "a refused file must leave the warehouse unchanged"
        return

    header_row, data_rows = count_data_rows(path)
    [report] = warehouse.ingest([path])
    assert (report.rows_loaded, report.rows_rejected) == (want["rows_loaded"], want["rows_rejected"])
    assert report.rows_in == report.rows_loaded + report.rows_rejected == data_rows
    if "header_row" in want:
        assert header_row == want["header_row"]
        assert f"header row {header_row} " in report.reason
    sid = report.source_id
    con = warehouse._con
    reasons = dict(con.execute(
        "SELECT reason, count(*) FROM rejects WHERE source_id = ? GROUP BY 1", [sid]).fetchall())
    assert reasons == want["reasons"]
    assert con.execute("SELECT rows_in, rows_loaded, rows_rejected FROM sources WHERE source_id = ?",
                       [sid]).fetchone() == (data_rows, want["rows_loaded"], want["rows_rejected"])
    assert con.execute("SELECT count(*) FROM arrests WHERE source_id = ?", [sid]).fetchone()[0] \
        == want["rows_loaded"]
    assert con.execute("SELECT max(length(raw_value)) <= 300 OR max(length(raw_value)) IS NULL "
                       "FROM rejects WHERE source_id = ?", [sid]).fetchone()[0]
    if "reject_rows" in want:
        rows = con.execute("SELECT row_number FROM rejects WHERE source_id = ? ORDER BY 1",
                           [sid]).fetchall()
        assert [r[0] for r in rows] == want["reject_rows"]
    for column, (redacted, unreadable) in want.get("stats", {}).items():
        got = con.execute('SELECT n_redacted, n_unreadable FROM source_columns '
                          'WHERE source_id = ? AND "column" = ?', [sid, column]).fetchone()
        assert got == (redacted, unreadable), column
    for column, values in want.get("values", {}).items():
        got = con.execute(f'SELECT "{column}" FROM arrests WHERE source_id = ? AND "{column}" IS NOT NULL',
                          [sid]).fetchall()
        assert sorted(_text(r[0]) for r in got) == sorted(values), column
    if "same_as" in want:
        assert _content(warehouse, sid) == _content_of(MESSY / want["same_as"], warehouse.path.parent)


CONTENT = ("apprehension_date, state, county, aor, program, method, criminality, final_order, "
           "birth_year, citizenship_country, gender, departed_date")


def _content(wh: Warehouse, source_id: int) -> list[tuple]:
    return wh._con.execute(f"SELECT {CONTENT} FROM arrests WHERE source_id = ? ORDER BY ALL",
                          [source_id]).fetchall()


def _content_of(path: Path, folder: Path) -> list[tuple]:
    with Warehouse(folder / "other.duckdb") as other:
        [report] = other.ingest([path])
        return _content(other, report.source_id)


# ---------------------------------------------------------------- batch size changes nothing
LOADING = [p for p in FIXTURES if "error" not in EXPECTED[p.name]]


def _everything(wh: Warehouse, source_id: int) -> dict[str, list]:
    """Every loaded row, reject and column count of one source (event ids included; person keys
    differ between warehouses by design)."""
    out = {}
    for table, order, excluded in (("arrests", "source_row", "source_id, person_key"),
                                   ("rejects", "row_number, reason", "source_id"),
                                   ("source_columns", '"column", raw_name', "source_id")):
        rows = wh.cursor().execute(f'SELECT * EXCLUDE ({excluded}) FROM "{table}" WHERE source_id = ? '
                              f"ORDER BY {order}", [source_id]).fetchall()
        out[table] = rows
    return out


@pytest.mark.parametrize("path", LOADING, ids=lambda p: p.name)
def test_batch_size_changes_nothing(path: Path, tmp_path):
    """Rows read two at a time (blank rows held across batches, malformed lines between them,
    row numbers carried on) load exactly as in one batch."""
    from immstat.warehouse.ingest import ingest_file

    results = []
    for batch_rows in (2, 1_000_000):
        with Warehouse(tmp_path / f"w{batch_rows}.duckdb") as wh:
            report = ingest_file(wh.cursor(), path, batch_rows=batch_rows)
            results.append((report.rows_in, report.rows_loaded, report.rows_rejected,
                            _everything(wh, report.source_id)))
    assert results[0] == results[1]
