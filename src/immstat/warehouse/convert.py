"""The value rules of ``sources/normalize.py`` as DuckDB SQL: raw text in, typed values out.

:class:`SqlConverter` is the :class:`~immstat.sources.normalize.ValueConverter` ingest hands to
the readers. It runs on a private in-memory DuckDB connection (nothing it does touches the
warehouse or its open transaction), in one query per batch over the distinct values of every
column, so the cost is per distinct value, not per row. Every rule is a SQL expression: trim,
redaction regex, strict date shapes (ISO, US m/d/Y, five-digit Excel serials) inside a plausible
range, ``TRY_CAST`` for numbers, a look-up join for codes, a length limit for text; ``CASE``
runs each rule only on the values of columns of its type.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from functools import lru_cache

import duckdb
import numpy as np
import pyarrow as pa

from immstat.sources.normalize import (
    EARLIEST_DATE,
    EXCEL_EPOCH,
    REDACTION_PATTERN,
    TEXT,
    WHITESPACE,
    Converted,
    Request,
    latest_plausible_date,
    lookups,
)

_PAD_US = r"regexp_replace(regexp_replace({x}, '^(\d)/', '0\1/'), '^(\d\d)/(\d)/', '\1/0\2/')"
_US_TIMES = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p")
# result column per value type (the rest are text)
_TYPED = {"date": "v_date", "timestamp": "v_ts", "int": "v_int", "float": "v_float",
          "yes_no": "v_bool"}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _date(text: str = "t") -> str:
    """A date from ISO or US text (strict shapes; impossible dates are NULL) or an Excel serial
    (five digits: 1927 onwards; a bare year is not a date), kept inside [1900-01-01, latest]."""
    day = f"regexp_replace({text}, '[ T].*$', '')"
    iso = f"CASE WHEN regexp_full_match({day}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN " \
          f"try_strptime({day}, '%Y-%m-%d') END"
    padded = _PAD_US.format(x=day)
    us = f"CASE WHEN regexp_full_match({padded}, '\\d{{2}}/\\d{{2}}/\\d{{4}}') THEN " \
         f"try_strptime({padded}, '%m/%d/%Y') END"
    serial = f"CASE WHEN regexp_full_match({text}, '\\d{{5}}(\\.\\d+)?') THEN " \
             f"DATE '{EXCEL_EPOCH}' + CAST(floor(CAST({text} AS DOUBLE)) AS INTEGER) END"
    value = f"coalesce(CAST(coalesce({iso}, {us}) AS DATE), {serial})"
    return f"CASE WHEN {value} BETWEEN DATE '{EARLIEST_DATE}' AND q.latest THEN {value} END"


def _timestamp() -> str:
    """Date-times (ISO or US, optional seconds / AM-PM); a bare date is midnight."""
    norm = "replace(t, 'T', ' ')"
    tries = [f"try_strptime({norm}, '{f}')" for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")]
    tries += [f"try_strptime({_PAD_US.format(x=norm)}, '{f}')" for f in _US_TIMES]
    return f"CAST(coalesce({', '.join(tries)}, CAST({_date()} AS TIMESTAMP)) AS TIMESTAMP_S)"


_WITHIN = "CASE WHEN length(t) > q.max_length THEN NULL ELSE t END"
_LOOKUPS = ", ".join(_quote(kind) for kind in ("criminality", "gender", "aor", "state"))
_TEXT_SQL = f"""CASE WHEN q.type IN ({_LOOKUPS}) THEN lk.value
    WHEN q.type = 'county_fips' THEN CASE WHEN regexp_full_match(t, '\\d{{5}}') THEN t END
    WHEN q.type = 'code' THEN upper({_WITHIN})
    WHEN q.type = '{TEXT}' THEN t
    ELSE {_WITHIN} END"""
_VALUE_SQL = {
    "v_date": _date(),
    "v_ts": _timestamp(),
    "v_int": "CASE WHEN regexp_full_match(t, '-?\\d+(\\.0+)?') THEN "
             "TRY_CAST(TRY_CAST(t AS DOUBLE) AS BIGINT) END",
    "v_float": "CASE WHEN regexp_full_match(regexp_replace(t, '[,$%]', '', 'g'), "
               "'-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?') THEN "
               "TRY_CAST(regexp_replace(t, '[,$%]', '', 'g') AS DOUBLE) END",
    "v_bool": "CASE WHEN lower(t) IN ('yes', 'y', 'true', '1') THEN true "
              "WHEN lower(t) IN ('no', 'n', 'false', '0') THEN false END",
}
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
# trimming by a set of characters is slow in DuckDB: only values that need it are trimmed
_TRIMMED = (f"CASE WHEN regexp_matches(raw, '^{_SPACE_CLASS}|{_SPACE_CLASS}$') "
            f"THEN trim(raw, {_quote(WHITESPACE)}) ELSE raw END")


@lru_cache(maxsize=64)
def query(types: frozenset[str]) -> str:
    """The conversion query for requests of these value types (only their rules are planned)."""
    typed = [(kind, col) for kind, col in _TYPED.items() if kind in types]
    lookup = bool(types & set(lookups()))
    key = f"CASE WHEN q.type IN ({_LOOKUPS}) THEN lower(regexp_replace(r.t0, '\\s+', ' ', 'g')) END" \
        if lookup else "NULL"
    join = "LEFT JOIN lookup lk ON lk.kind = c.type AND lk.key = c.lookup_key" if lookup else \
        "LEFT JOIN (SELECT NULL AS value) lk ON false"
    return f"""
WITH r AS (SELECT i, k, {_TRIMMED} AS t0,
                  coalesce(regexp_matches({_TRIMMED}, {_quote(REDACTION_PATTERN)}), false) AS redacted
           FROM _values),
     c AS (SELECT r.i, r.k, r.redacted, CASE WHEN r.redacted OR r.t0 = '' THEN NULL ELSE r.t0 END AS t,
                  q.type, q.max_length, q.latest, {key} AS lookup_key
           FROM r JOIN _requests q USING (k)),
     v AS (SELECT c.*, lk.value AS lookup_value FROM c {join})
SELECT k, t, redacted,
       {"".join(f"CASE WHEN q.type = '{kind}' THEN {_VALUE_SQL[col]} END AS {col}, "
                for kind, col in typed)}
       {_TEXT_SQL.replace("lk.value", "q.lookup_value")} AS v_text
FROM v q ORDER BY i"""


class SqlConverter:
    """Converts raw text with DuckDB SQL (a :class:`~immstat.sources.normalize.ValueConverter`).

    One instance per process is enough (:func:`shared_converter`); calls are serialised."""

    def __init__(self) -> None:
        self._con = duckdb.connect()
        self._con.execute("SET enable_progress_bar = false")
        self._lock = threading.Lock()
        table = pa.table({"kind": [k for k, m in lookups().items() for _ in m],
                          "key": [key for m in lookups().values() for key in m],
                          "value": [v for m in lookups().values() for v in m.values()]})
        self._con.register("_lookup", table)
        self._con.execute("CREATE TABLE lookup AS SELECT * FROM _lookup")
        self._con.unregister("_lookup")

    def __call__(self, raw: pa.Array, value_type: str, max_length: int = 500,
                 latest: dt.date | None = None) -> Converted:
        return self.many([Request(raw, value_type, max_length, latest)])[0]

    def many(self, requests: Sequence[Request]) -> list[Converted]:
        """Convert several columns at once (one query)."""
        arrays = [r.raw.combine_chunks() if isinstance(r.raw, pa.ChunkedArray) else r.raw
                  for r in requests]
        lengths = [len(a) for a in arrays]
        total = sum(lengths)
        values = pa.table({
            "i": pa.array(np.arange(total, dtype=np.int64)),
            "k": pa.array(np.repeat(np.arange(len(arrays), dtype=np.int32), lengths)),
            "raw": pa.concat_arrays([a.cast(pa.string()) for a in arrays]) if arrays
            else pa.array([], pa.string())})
        kinds = pa.table({
            "k": pa.array(range(len(requests)), pa.int32()),
            "type": [r.value_type for r in requests],
            "max_length": pa.array([r.max_length for r in requests], pa.int64()),
            "latest": pa.array([r.latest or latest_plausible_date() for r in requests], pa.date32())})
        with self._lock:
            self._con.register("_values", values)
            self._con.register("_requests", kinds)
            try:
                out = self._con.sql(query(frozenset(r.value_type for r in requests))
                                    ).to_arrow_table()
            finally:
                self._con.unregister("_values")
                self._con.unregister("_requests")
        result, start = [], 0
        for request, n in zip(requests, lengths):
            part = out.slice(start, n)
            start += n
            value = part[_TYPED.get(request.value_type, "v_text")].combine_chunks()
            text = part["t"].combine_chunks()
            bad = pa.array(text.is_valid().to_numpy(zero_copy_only=False)
                           & value.is_null().to_numpy(zero_copy_only=False))
            result.append(Converted(values=value, bad=bad,
                                    redacted=part["redacted"].combine_chunks(), text=text))
        return result


@lru_cache(maxsize=1)
def shared_converter() -> SqlConverter:
    """The process's converter (its connection and look-up table are made once)."""
    return SqlConverter()
