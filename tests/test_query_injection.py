"""Hostile input reaches SQL only as validated names or escaped literals: clean errors, never a
SQL error, never a leak. Also: no code path returns person_key."""

from __future__ import annotations

import datetime as dt
import inspect
import json

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import load_arrest_rows
from immstat.core.errors import ImmstatError, UnknownName
from immstat.metrics import all_metrics
from immstat.metrics.dimensions import DIMENSIONS

HOSTILE = [
    "' OR 1=1 --", "'; DROP TABLE arrests; --", 'HOU"; SELECT * FROM arrests; --', "HOU'", "\\",
    "ä½ å¥½", "💥", "\x00", "x" * 10_000, "../../etc/passwd", "%27%20OR%201=1", "person_key",
    "HOU) OR (1=1", "*", "NULL", "aor=HOU",
]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    from immstat import Warehouse

    wh = Warehouse(tmp_path_factory.mktemp("inj") / "w.duckdb")
    load_arrest_rows(wh, [{"apprehension_date": dt.date(2025, 1, 1), "aor": "HOU",
                           "criminality": "other", "method": "Located", "person_key": f"SECRET{i}"}
                          for i in range(50)])
    yield wh
    wh.close()


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("where", ["aor", "method", "citizenship"])
def test_hostile_filter_values(wh, value, where):
    closed = DIMENSIONS[where].valid_values() is not None
    try:
        r = wh.query("arrests", where={where: [value]}, fy=2025)
    except UnknownName as err:  # a closed domain names its values, in one line
        assert closed and "\n" not in str(err)
        return
    except ImmstatError:
        assert not closed or len(value) > 100  # too long: refused before any lookup
        return
    except duckdb.Error as exc:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"SQL error leaked: {exc}")
    assert not closed, "an out-of-domain value of a closed domain must be refused, not 0"
    assert r.value() in (0.0, None)  # a value no record has selects empty released cells
    assert wh.table_rows("arrests") == 50


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_names_and_dates(wh, value):
    for call in (lambda: wh.query(value), lambda: wh.query("arrests", by=[value]),
                 lambda: wh.query("arrests", grain=value), lambda: wh.query("arrests", fy=value),
                 lambda: wh.query("arrests", date_from=value, grain="day"),
                 lambda: wh.query("arrests", as_of=value, fy=2025)):
        with pytest.raises(ImmstatError) as err:
            call()
        assert len(str(err.value)) < 2000 and "\n" not in str(err.value)  # never echoes 10 kB input


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(min_size=1, max_size=200))
def test_any_text_as_filter_value_is_safe(wh, value):
    try:
        wh.query("arrests", where={"method": [value]}, fy=2025)
    except ImmstatError:
        pass


def test_no_metric_output_contains_person_keys(wh):
    for metric in all_metrics():
        if metric.table != "arrests":
            continue
        for by in ([], ["aor"]):
            text = json.dumps(wh.query(metric.name, by=by, fy=2025).to_dict())
            assert "SECRET" not in text and "person_key" not in text


def test_person_key_is_not_a_dimension_or_filter(wh):
    from immstat.metrics import DIMENSIONS

    assert all(d.column != "person_key" for d in DIMENSIONS.values())
    with pytest.raises(ImmstatError):
        wh.query("arrests", by=["person_key"])
    with pytest.raises(ImmstatError):
        wh.query("arrests", where={"person_key": ["SECRET1"]})


def test_ingest_hashes_person_ids(make_warehouse, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from immstat.sources.ice_foia import ARRESTS

    names = [c.raw[0] for c in ARRESTS.columns]
    row = {n: "" for n in names}
    row.update({"Apprehension Date": "2025-01-02", "Apprehension AOR": "HOU",
                "Apprehension Method": "Located", "Apprehension Criminality": "3 Other Immigration Violator",
                "Unique Identifier": "RAWID123"})
    path = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_pylist([row] * 3), path)
    wh = make_warehouse()
    wh.ingest([path])
    keys = {k for (k,) in wh._con.execute("SELECT person_key FROM arrests").fetchall()}
    assert len(keys) == 1 and "RAWID123" not in next(iter(keys))
    dump = json.dumps(wh.sources(), default=str) + json.dumps(wh.rejects(1), default=str)
    assert "RAWID123" not in dump


def test_result_and_surface_modules_never_name_person_key():
    import immstat.cli.query as cli_query
    import immstat.metrics.result as result

    for module in (result, cli_query):
        assert "person_key" not in inspect.getsource(module)
