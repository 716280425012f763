"""Person keys: HMAC-SHA256 with a per-warehouse secret kept beside the warehouse (mode 0600,
never in a table), scoped to one release."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from immstat.metrics.warehouse import Warehouse
from immstat.warehouse.keys import key_path, person_key, person_key_params, person_key_sql
from ingest_checks import SMALL_HEADER, q, write_small_csv


def _keys(wh) -> dict[int, str]:
    """source_row → person_key (the small file's identifiers are B0, B1, … in row order)."""
    return dict(q(wh, "SELECT source_row, person_key FROM arrests ORDER BY 1", one=False))


def test_key_is_an_hmac_with_the_warehouse_secret(tmp_path):
    path = write_small_csv(tmp_path / "a.csv", "2024-06-30", 5)
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.ingest([path])
        keys = _keys(wh)
        secret_file = key_path(wh.path)
        secret = bytes.fromhex(secret_file.read_text().strip())
        scope = q(wh, "SELECT release_scope FROM sources")
        tables = " ".join(r[0] for r in q(wh, "SHOW TABLES", one=False))
        dump = str(q(wh, "SELECT * FROM sources", one=False))
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert len(secret) == 32 and secret.hex() not in dump and "key" not in tables
    assert scope == "release|2024-06-30"
    # row 4 of the file is the first data row, identifier B0
    assert keys[4] == person_key(secret, scope, "B0")
    # nobody holding the public file can recompute it without the secret
    for guess in (hashlib.md5(f"{scope}|B0".encode()).hexdigest(),
                  hashlib.sha256(f"{scope}|B0".encode()).hexdigest(),
                  hashlib.sha256(b"B0").hexdigest(), person_key(b"\0" * 32, scope, "B0")):
        assert keys[4] != guess


def test_two_warehouses_give_different_keys(tmp_path):
    path = write_small_csv(tmp_path / "a.csv", "2024-06-30", 5)
    out = []
    for name in ("one", "two"):
        with Warehouse(tmp_path / f"{name}.duckdb") as wh:
            wh.ingest([path])
            out.append(_keys(wh))
    assert out[0].keys() == out[1].keys() and not set(out[0].values()) & set(out[1].values())


def test_keys_link_within_a_release_not_across(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.ingest([write_small_csv(tmp_path / "part1.csv", "2024-06-30", 3, aor="SEA"),
                   write_small_csv(tmp_path / "part2.csv", "2024-06-30", 3, aor="ATL")])
        same = q(wh, "SELECT count(DISTINCT person_key) FROM arrests")
        wh.ingest([write_small_csv(tmp_path / "next.csv", "2024-09-30", 3, aor="HOU")])
        linked = q(wh, "SELECT count(*) FROM arrests a JOIN arrests b USING (person_key) "
                       "WHERE a.aor = 'SEA' AND b.aor = 'HOU'")
    assert same == 3  # B0..B2 in both parts of one release: one key each
    assert linked == 0  # the next release re-keys them


@pytest.mark.parametrize("banner, scope", [
    (["ICE Administrative Arrests", "2019-ICFO-53623"], "FOIA 2019-ICFO-53623"),
    (["ICE Administrative Arrests"], "release|2024-05-08"),
])
def test_without_a_release_date_the_latest_date_in_the_data_is_used(tmp_path, banner, scope):
    """No release date in the file: it is the latest event date. A FOIA number scopes the keys
    (rows go straight in); without one the keys wait for the date (rows are staged first)."""
    path = tmp_path / "a.csv"
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerows([[line] for line in banner] + [SMALL_HEADER])
        out.writerows([f"2024-05-0{1 + i}", "SEA", "Located", "3 Other Immigration Violator",
                       "WA", f"B{i}"] for i in range(8))
    with Warehouse(tmp_path / "w.duckdb") as wh:
        [report] = wh.ingest([path])
        secret = bytes.fromhex(key_path(wh.path).read_text().strip())
        source = q(wh, "SELECT release_date, release_date_basis, release_scope FROM sources",
                   one=False)[0]
        keys = _keys(wh)
    assert report.rows_loaded == 8 and report.release_date == dt.date(2024, 5, 8)
    assert source == (dt.date(2024, 5, 8), "latest date in the data", scope)
    first = len(banner) + 2  # the first data row, identifier B0
    assert keys[first] == person_key(secret, scope, "B0")
    assert keys[first + 7] == person_key(secret, scope, "B7")


def test_the_secret_survives_reopening(tmp_path):
    db = tmp_path / "w.duckdb"
    with Warehouse(db) as wh:
        wh.ingest([write_small_csv(tmp_path / "a.csv", "2024-06-30", 2, aor="SEA")])
    first = key_path(db).read_bytes()
    key_path(db).chmod(0o644)  # loosened by someone: tightened again at the next ingest
    with Warehouse(db) as wh:
        wh.ingest([write_small_csv(tmp_path / "b.csv", "2024-06-30", 2, aor="ATL")])
        assert q(wh, "SELECT count(DISTINCT person_key) FROM arrests") == 2
    assert key_path(db).read_bytes() == first
    assert stat.S_IMODE(key_path(db).stat().st_mode) == 0o600


@settings(max_examples=40, deadline=None)
@given(secret=st.binary(min_size=32, max_size=32), scope=st.text(max_size=30),
       raw=st.one_of(st.none(), st.text(min_size=1, max_size=40)))
def test_sql_hmac_equals_python_hmac(secret, scope, raw):
    """The key ingest computes in DuckDB is RFC 2104 HMAC-SHA256 (Python's hmac module)."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE t (person_key VARCHAR)")
    con.execute("INSERT INTO t VALUES (?)", [raw])
    [(got,)] = con.execute(f"SELECT {person_key_sql('person_key')} FROM t",
                           person_key_params(secret, scope)).fetchall()
    assert got == (None if raw is None else person_key(secret, scope, raw))
