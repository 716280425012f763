"""ICE's FOIA release 2019-ICFO-53623 (UWCHR's frozen copy in ../shared/data): every file loads
with exact row accounting, and the fiscal-year totals equal the row counts and ICE's published
annual totals (ERO reports FY2016–FY2018) — through the metrics and in the raw tables."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil

import pytest

from immstat import Warehouse
from immstat.core.published import annual_totals
from immstat.sources.detect import plan_file
from ingest_checks import q

FOIA = "uwchr/ice-enforce/foia"
# data rows per file (SOURCES.md; counted independently below from the gzip text)
ROWS = {
    "EROArrests_FY2016": 110_104, "EROArrests_FY2017": 143_470, "EROArrests_FY2018": 158_581,
    "EROArrests_FY2019": 131_904,
    "ICERemovals_FY2016": 240_255, "ICERemovals_FY2017": 226_119, "ICERemovals_FY2018": 256_085,
    "ICERemovals_FY2019": 241_513,
    "EROEncounters_FY2016": 368_645, "EROEncounters_FY2017": 439_903, "EROEncounters_FY2019": 396_384,
}
KINDS = {"EROArrests": "ice_arrests_2019", "ICERemovals": "ice_removals_2019",
         "EROEncounters": "ice_encounters_2019"}
ARRESTS = {2016: 110_104, 2017: 143_470, 2018: 158_581, 2019: 131_904}
REMOVALS = {2016: 240_255, 2017: 226_119, 2018: 256_085, 2019: 241_513}


@pytest.fixture(scope="module")
def foia(shared_data, built):
    files = {name: shared_data / FOIA / f"{name}.csv.gz" for name in ROWS}

    def build(folder):
        with Warehouse(folder / "wh.duckdb") as wh:
            return {name: wh.ingest([path])[0] for name, path in files.items()}

    folder, reports = built("foia2019", build, inputs=files.values())
    wh = Warehouse(folder / "wh.duckdb")
    yield wh, reports
    wh.close()


def test_every_file_accounted_for(foia, shared_data):
    wh, reports = foia
    for name, rows in ROWS.items():
        r = reports[name]
        with gzip.open(shared_data / FOIA / f"{name}.csv.gz", "rt", encoding="utf-8") as f:
            lines = sum(1 for line in f if line.strip())
        assert lines - 6 == rows, name  # five banner lines and the header
        assert (r.rows_in, r.rows_loaded, r.rows_rejected) == (rows, rows, 0), name
        assert r.kind == KINDS[name.split("_")[0]] and not r.synthetic
        table = {"ice_arrests_2019": "arrests", "ice_removals_2019": "removals",
                 "ice_encounters_2019": "encounters"}[r.kind]
        assert q(wh, f"SELECT count(*) FROM {table} WHERE source_id = ?", r.source_id) == rows


@pytest.mark.parametrize("fy, expected", ARRESTS.items())
def test_arrests_per_fiscal_year(foia, fy, expected):
    wh, _ = foia
    assert wh.query("arrests", fy=fy).value() == expected
    assert q(wh, "SELECT count(*) FROM arrests WHERE fiscal_year = ?", fy) == expected
    if fy in (2016, 2017, 2018):  # equal to ICE's published annual totals
        assert annual_totals("arrests")[fy] == expected


@pytest.mark.parametrize("fy, expected", REMOVALS.items())
def test_removals_in_the_fiscal_year_of_their_removal_date(foia, fy, expected):
    wh, _ = foia
    assert wh.query("removals", fy=fy).value() == expected
    assert q(wh, "SELECT count(*) FROM removals WHERE fiscal_year = ?", fy) == expected
    if fy < 2019:
        assert annual_totals("removals")[fy] == expected
    # some removals departed in the fiscal year before their removal date
    assert q(wh, "SELECT count(*) FROM removals WHERE fiscal_year = ? AND "
                 "fiscal_year(departed_date) < fiscal_year", fy) > 3000


def test_fy2019_is_partial_and_says_so(foia):
    wh, reports = foia
    result = wh.query("arrests", fy=2019)
    [source] = [s for s in result.sources if s["file"] == "EROArrests_FY2019.csv.gz"]
    assert source["data_end"] == dt.date(2019, 8, 31)  # the banner: (10/1/2018 - 8/31/2019)
    assert any("FY2019 is partial" in n and "31 Aug 2019" in n for n in result.notes)
    assert "data_end" in str(result.to_dict()["sources"])
    assert not any("partial" in n for n in wh.query("arrests", fy=2018).notes)
    row = q(wh, "SELECT data_start, data_end, data_period_basis, release_scope FROM sources "
                "WHERE source_id = ?", reports["EROArrests_FY2019"].source_id, one=False)[0]
    assert row == (dt.date(2018, 10, 1), dt.date(2019, 8, 31), "stated in the file",
                   "FOIA 2019-ICFO-53623")


def test_missing_criminality_is_null_for_the_whole_file_and_said(foia):
    wh, reports = foia
    assert q(wh, "SELECT count(*) FROM arrests WHERE criminality IS NOT NULL") == 0
    lacking = q(wh, "SELECT columns_not_provided FROM sources WHERE source_id = ?",
                reports["EROArrests_FY2016"].source_id)
    assert "criminality" in lacking.split(",") and "aor" not in lacking.split(",")
    result = wh.query("arrests", by=["criminality"], fy=2017)
    assert [r[:3] for r in result.rows()] == [[None, 143_470.0, False]]  # one blank group, nothing hidden
    assert any("has no criminality" in n for n in result.notes)
    by_aor = wh.query("arrests", by=["aor"], fy=2017)
    assert sum(r[1] or 0 for r in by_aor.rows()) <= 143_470
    assert len(by_aor.rows()) >= 25


def test_identifiers_never_loaded_and_redactions_counted(foia):
    wh, reports = foia
    for table in ("arrests", "removals", "encounters"):
        columns = [r[0] for r in q(wh, f"DESCRIBE {table}", one=False)]
        assert not [c for c in columns if c in ("birth_date", "date_of_birth") or "landmark" in c]
    stats = dict(((r[0], r[1]), r[2:]) for r in q(
        wh, 'SELECT "column", raw_name, n_redacted, n_null FROM source_columns WHERE source_id = ?',
        reports["EROArrests_FY2016"].source_id, one=False))
    assert stats[("(not loaded)", "Birth Date")] == (110_104, 110_104)  # redacted in every row
    assert ("(not loaded)", "Apprehension Landmark") in stats
    assert stats[("operation", "Operation")][0] == 21_698  # "(B)(7)(E)" → counted null
    threat = q(wh, "SELECT n_redacted FROM source_columns WHERE source_id = ? AND raw_name = "
                   "'RC Threat Level'", reports["ICERemovals_FY2016"].source_id)
    assert threat > 0


def test_offices_are_recognised(foia):
    wh, reports = foia
    # every 'X Area of Responsibility' maps to an AOR code; only headquarters is not an office
    hq = q(wh, "SELECT n_unreadable FROM source_columns WHERE source_id = ? AND \"column\" = 'aor'",
           reports["EROArrests_FY2016"].source_id)
    assert hq == 12
    assert q(wh, "SELECT count(DISTINCT aor) FROM arrests") == 24  # Harlingen: from FY2020


def test_detected_by_content_not_name(shared_data, tmp_path):
    for name, kind in (("EROArrests_FY2018", "ice_arrests_2019"),
                       ("ICERemovals_FY2018", "ice_removals_2019"),
                       ("EROEncounters_FY2017", "ice_encounters_2019")):
        renamed = tmp_path / "download"
        shutil.copy(shared_data / FOIA / f"{name}.csv.gz", renamed)
        assert plan_file(renamed).kind == kind
