"""Synthetic FOIA generator: round trip through the real reader, determinism, synthetic flag,
linkage of one release, and the scale smoke test."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immstat import Warehouse
from immstat.core.errors import ConfigError
from immstat.sources.synth import KINDS, generate, generate_release, read_truth

SMALL = {"fiscal_years": [2025], "scale": 0.002}


def _nested(rows) -> dict:
    out: dict = {}
    for fy, key, n in rows:
        out.setdefault(str(fy), {})["null" if key is None else key] = n
    return out


def _check_round_trip(wh: Warehouse, path: Path, truth: dict) -> None:
    [report] = wh.ingest([path], release=False)  # the reader is under test, not the release
    assert report.kind == truth["kind"] and report.synthetic
    assert report.rows_in == truth["rows_written"] == report.rows_loaded + report.rows_rejected
    assert report.rows_loaded == truth["expected_loaded"]
    assert report.rows_rejected == truth["expected_rejected"]
    table, sid = truth["table"], report.source_id
    by_fy = wh._con.execute(f"SELECT fiscal_year, count(*) FROM {table} WHERE source_id = ? "
                           "GROUP BY 1", [sid]).fetchall()
    assert {str(k): v for k, v in by_fy} == truth["by_fiscal_year"]
    for column, key in (("aor", "by_fiscal_year_aor"), ("criminality", "by_fiscal_year_criminality")):
        rows = wh._con.execute(f"SELECT fiscal_year, {column}, count(*) FROM {table} "
                              "WHERE source_id = ? GROUP BY ALL", [sid]).fetchall()
        assert _nested(rows) == truth[key], column


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), fmt=st.sampled_from(["csv", "parquet", "xlsx"]),
       seed=st.integers(0, 10_000), rows=st.integers(50, 600))
def test_round_trip_matches_truth(tmp_path_factory, kind, fmt, seed, rows):
    out = tmp_path_factory.mktemp("synth")
    [path] = generate(kind, rows, out, fmt, seed=seed, fiscal_years=[2024, 2025])
    truth = read_truth(out, kind)
    if kind == "arrests":
        assert truth["rows_written"] == rows
    with Warehouse(out / "wh.duckdb") as wh:
        _check_round_trip(wh, path, truth)


def test_published_totals_load_exactly_at_scale_one(tmp_path):
    [path] = generate("arrests", None, tmp_path, "parquet", seed=0, fiscal_years=[2023, 2024])
    truth = read_truth(tmp_path, "arrests")
    assert truth["by_fiscal_year"] == {"2023": 170590, "2024": 113431}  # ICE annual reports
    assert truth["arrest_total_basis"] == {"2023": "published", "2024": "published"}
    with Warehouse(tmp_path / "wh.duckdb") as wh:
        _check_round_trip(wh, path, truth)


def test_removals_equal_published_totals(tmp_path):
    """Interior removals plus border removals: each fiscal year equals ICE's published total."""
    [path] = generate("removals", None, tmp_path, "parquet", seed=3, fiscal_years=[2023, 2024])
    truth = read_truth(tmp_path, "removals")
    assert truth["removals_per_fiscal_year"] == {"2023": 142_580, "2024": 271_484}
    assert {k: truth["by_fiscal_year"][k] for k in ("2023", "2024")} == {"2023": 142_580,
                                                                         "2024": 271_484}
    with Warehouse(tmp_path / "wh.duckdb") as wh:
        _check_round_trip(wh, path, truth)
        assert wh.query("removals", fy=2024).value() == 271_484
        assert wh.query("removals", fy=2024).synthetic


def test_scenario_years_are_labelled(tmp_path):
    generate("arrests", 100, tmp_path, "csv", **SMALL)
    truth = read_truth(tmp_path, "arrests")
    assert truth["arrest_total_basis"] == {"2025": "scenario: constant"}
    banner = (tmp_path / "arrests.csv").read_text().splitlines()[:6]
    assert "SYNTHETIC" in banner[1] and "not an ICE figure" in banner[4]
    assert "removals" in banner[4] and "assumption" in banner[4]
    with Warehouse(tmp_path / "wh.duckdb") as wh:  # the assumption travels with every result
        wh.ingest([tmp_path / "arrests.csv"])
        result = wh.query("arrests", fy=2025)
        assert result.synthetic and "not an ICE figure" in result.sources[0]["assumption"]
        assert any("not an ICE figure" in n for n in result.notes)
    assert banner[2].startswith("Release date: ")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_same_seed_same_bytes(tmp_path, fmt):
    digests = []
    for name in ("a", "b"):
        generate_release(tmp_path / name, fmt, seed=7, **SMALL)
        digests.append({k: hashlib.sha256((tmp_path / name / f"{k}.{fmt}").read_bytes()).hexdigest()
                        for k in KINDS})
    assert digests[0] == digests[1]
    generate_release(tmp_path / "c", fmt, seed=8, **SMALL)
    assert hashlib.sha256((tmp_path / "c" / f"arrests.{fmt}").read_bytes()).hexdigest() \
        != digests[0]["arrests"]


@pytest.fixture(scope="module")
def release_wh(tmp_path_factory):
    """One linked synthetic release (xlsx, all kinds) ingested into one warehouse."""
    out = tmp_path_factory.mktemp("release")
    paths = generate_release(out, "xlsx", seed=11, fiscal_years=[2024, 2025], scale=0.004)
    wh = Warehouse(out / "wh.duckdb")
    for kind in KINDS:
        _check_round_trip(wh, paths[kind][0], read_truth(out, kind))
    yield wh
    wh.close()


def test_every_format_is_flagged_synthetic(tmp_path):
    for fmt in ("xlsx", "csv", "parquet"):
        [path] = generate("detention_stints", 60, tmp_path / fmt, fmt, **SMALL)
        with Warehouse(tmp_path / fmt / "wh.duckdb") as wh:
            wh.ingest([path], release=False)
            assert [s["synthetic"] for s in wh.sources()] == [True]
            assert "SYNTHETIC" in wh._con.execute("SELECT banner FROM sources").fetchone()[0]


def test_release_is_linked(release_wh):
    q = lambda sql: release_wh._con.execute(sql).fetchone()[0]  # noqa: E731
    assert q("SELECT count(DISTINCT release_date) FROM sources") == 1  # one key salt → linkable
    # every removal follows an arrest of the same person, except the removals of people never
    # arrested in the interior that bring each fiscal year to ICE's published removals
    border = sum(read_truth(release_wh.path.parent, "removals")["border_removals_by_fiscal_year"]
                 .values())
    assert border > 0
    assert q("""SELECT count(*) FROM removals r WHERE NOT EXISTS (SELECT 1 FROM arrests a
                WHERE a.person_key = r.person_key AND a.apprehension_date <= r.departed_date)""") \
        == border
    # every stay starts 0–2 days after an arrest of the same person
    assert q("""SELECT count(*) FROM detention_stints s WHERE s.book_in_date = s.stay_book_in_date
                AND NOT EXISTS (SELECT 1 FROM arrests a WHERE a.person_key = s.person_key
                AND s.book_in_date - a.apprehension_date BETWEEN 0 AND 2)""") == 0
    assert q("SELECT count(*) FROM detention_stints WHERE book_out_at < book_in_at") == 0
    assert q("""SELECT count(*) FROM detention_stints WHERE release_reason = 'Removed' AND NOT EXISTS
                (SELECT 1 FROM removals r WHERE r.person_key = detention_stints.person_key
                AND r.departed_date = detention_stints.book_out_date)""") == 0
    mean_stay = q("""SELECT avg(stay_book_out_date - stay_book_in_date) FROM (SELECT DISTINCT
                     person_key, stay_book_in_date, stay_book_out_date FROM detention_stints
                     WHERE stay_book_out_date IS NOT NULL)""")
    assert 30 < mean_stay < 60
    assert q("SELECT count(*) FROM (SELECT person_key FROM arrests GROUP BY 1 HAVING count(*) > 1)") > 0
    assert 0.5 < q("""SELECT avg((EXISTS (SELECT 1 FROM arrests a WHERE a.person_key = d.person_key
                       AND a.apprehension_date >= d.detainer_prepare_date))::INT) FROM detainers d""") < 0.95


def test_other_share_rises_in_fy2025(release_wh):
    share = dict(release_wh._con.execute(
        "SELECT fiscal_year, avg((criminality = 'other')::INT) FROM arrests GROUP BY 1").fetchall())
    assert share[2025] > share[2024] + 0.05


def test_redactions_counted_not_loaded(release_wh):
    rows = release_wh._con.execute(
        "SELECT raw_name, sum(n_redacted), sum(n_null) FROM source_columns "
        "WHERE \"column\" = '(not loaded)' AND raw_name = 'Birth Date' GROUP BY 1").fetchall()
    loaded = release_wh._con.execute("SELECT sum(rows_loaded) FROM sources").fetchone()[0]
    assert rows == [("Birth Date", loaded, loaded)]


def test_bad_requests_say_how_to_fix(tmp_path):
    with pytest.raises(ConfigError, match="choose one of"):
        generate("arrest", 10, tmp_path, "csv")
    with pytest.raises(ConfigError, match="future"):
        generate("arrests", 10, tmp_path, "csv", fiscal_years=[2099])
    with pytest.raises(ConfigError, match="xlsx"):
        generate("arrests", 10, tmp_path, "json")


def test_xlsx_spills_into_sheets_with_banner(tmp_path):
    from immstat.sources.synth.writers import XlsxSink

    path = tmp_path / "t.xlsx"
    import pyarrow as pa

    sink = XlsxSink(path, ["ERO-LESA", "SYNTHETIC", "Release date: 2025-01-01", "p", "", "x"],
                    ("A", "B"), ["other", "other"], sheet="Arrests", max_rows=12)
    sink.write([pa.array([str(i) for i in range(10)]), pa.array(range(10))], {})
    sink.close()
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    assert reader.sheet_names == ["Arrests", "Arrests (2)"]
    assert reader.load_sheet("Arrests (2)", header_row=6).to_arrow().num_rows == 5


@pytest.mark.slow
def test_million_rows_parquet_smoke(tmp_path):
    start = time.perf_counter()
    [path] = generate("arrests", 1_000_000, tmp_path, "parquet", seed=1)
    seconds = time.perf_counter() - start
    print(f"\n1,000,000 synthetic arrest rows (parquet): {seconds:.1f} s, "
          f"{path.stat().st_size / 1e6:.0f} MB")
    assert json.loads((tmp_path / "arrests-truth.json").read_text())["rows_written"] == 1_000_000
