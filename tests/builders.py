"""Warehouses for the tests, built once and kept on disk between runs.

:func:`cached` is the one way a test fixture builds a warehouse: ``build(folder)`` writes into an
empty folder and may return a picklable value (e.g. ingest reports). The folder is kept under
``.test-cache/`` at the repo root, keyed by everything that can change what it holds: the package
version, every file of ``src/immstat`` (code and the bundled data files), the source of the test
module that defines ``build``, and the size and modification time of the input files it names
(real files in ../shared/data). A build runs under a file lock, so pytest-xdist workers that need
the same warehouse build it once and share it. Each session gets its own copy of the folder: a
test that writes to its warehouse never changes the cache.
"""

from __future__ import annotations

import calendar
import datetime as dt
import fcntl
import hashlib
import inspect
import os
import pickle
import random
import re
import shutil
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("IMMSTAT_TEST_CACHE", REPO / ".test-cache"))
RESULT = "result.pickle"


@cache
def code_digest() -> str:
    """Digest of the package version and every file under src/immstat (code and bundled data)."""
    from immstat import __version__

    digest = hashlib.sha256(__version__.encode())
    src = REPO / "src" / "immstat"
    for path in sorted(src.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(src)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(name: str, build: Callable, inputs: Iterable[Path]) -> str:
    digest = hashlib.sha256(f"{name}\n{code_digest()}".encode())
    for source in {inspect.getsourcefile(getattr(build, "func", build)), __file__}:  # partial: its func
        digest.update(Path(source or "").read_bytes())
    for path in inputs:
        stat = Path(path).stat()
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def cached(name: str, build: Callable[[Path], Any], into: Path,
           inputs: Iterable[Path] = ()) -> tuple[Path, Any]:
    """A copy in ``into`` of the folder ``build`` makes, built once for its key; and its result."""
    key = _key(name, build, inputs)
    CACHE.mkdir(parents=True, exist_ok=True)
    done = CACHE / f"{name}-{key}"
    with (CACHE / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.is_dir():
            for old in CACHE.glob(f"{name}-{'?' * len(key)}"):  # older keys of the same warehouse
                shutil.rmtree(old, ignore_errors=True)
            work = CACHE / f".{name}-{key}.building"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            try:
                (work / RESULT).write_bytes(pickle.dumps(build(work)))
            except BaseException:
                shutil.rmtree(work, ignore_errors=True)
                raise
            work.rename(done)
        # copied under the lock: a worker with another key would remove this folder as stale
        shutil.copytree(done, into, dirs_exist_ok=True, symlinks=True)
    return into, pickle.loads((into / RESULT).read_bytes())


# ------------------------------------------------------------------ rows straight into a warehouse
def load_rows(wh, spec, rows: list[dict], synthetic: bool = True) -> None:
    """Put hand-made canonical rows of a manifest source straight into a warehouse (metrics
    tests whose answer is known by construction; ingest has its own tests)."""
    from immstat.sources.records import canonical_schema

    schema = canonical_schema(spec)
    full = [{f.name: r.get(f.name) for f in schema} for r in rows]
    for i, r in enumerate(full):
        r["source_row"] = i + 8
    table = pa.Table.from_pylist(full, schema=schema)
    sid = wh._con.execute("SELECT coalesce(max(source_id), 0) + 1 FROM sources").fetchall()[0][0]
    wh._con.execute(
        "INSERT INTO sources (source_id, path, file_name, sha256, kind, dataset, release_date, rows_in,"
        " rows_loaded, rows_rejected, loaded_at, immstat_version, synthetic, record_level, tables)"
        " VALUES (?, 'test', 'test.parquet', ?, ?, ?, ?, ?, ?, 0, now(), 'test', ?, true, ?)",
        [sid, f"sha{sid}", spec.kind, spec.kind, dt.date(2025, 6, 1), len(rows), len(rows),
         synthetic, spec.table])
    wh._con.register("_rows", table)
    cols = [f.name for f in schema if f.name != "source_row"]
    wh._con.execute(
        f'INSERT INTO "{spec.table}" (event_id, {", ".join(cols)}, fiscal_year, source_id, source_row) '
        f"SELECT md5(CAST(source_row AS VARCHAR) || '{sid}'), {', '.join(cols)}, "
        f"fiscal_year({spec.date_column}), {sid}, source_row FROM _rows")
    wh._con.unregister("_rows")


def load_arrest_rows(wh, rows: list[dict], synthetic: bool = True) -> None:
    from immstat.sources.ice_foia import ARRESTS

    load_rows(wh, ARRESTS, rows, synthetic)


# ------------------------------------------------------------------ the attack warehouse
# One small synthetic warehouse, released once per session, for the release's property tests
# (tests/test_release_attacks.py, tests/test_suppression_properties.py): realistic blanks (about
# 1 % of office and criminality values), one state shared by two offices, facilities that belong
# to one office each.
AORS = ["ATL", "BOS", "CHI", "DAL", "SEA"]
WEIGHTS = [0.55, 0.25, 0.12, 0.06, 0.02]
STATES = {"ATL": ["GA", "SC"], "BOS": ["MA"], "CHI": ["IL"], "DAL": ["TX", "OK"], "SEA": ["WA", "OK"]}
FACILITIES = {"ATL": ["GA1", "GA2"], "BOS": ["MA1"], "CHI": ["IL1", "IL2"], "DAL": ["TX1"],
              "SEA": ["WA1", "WA2"]}
CRIMS = ["convicted", "pending", "other"]
FYS = [2024, 2025]
MONTHS = [dt.date(2023 + (m >= 3), (m + 9) % 12 + 1, 1) for m in range(24)]  # Oct 2023 …


def _attack_rows(rng, n: int, date_name: str, extra) -> list[dict]:
    out = []
    for _ in range(n):
        aor = AORS[rng.choice(len(AORS), p=WEIGHTS)]
        month = MONTHS[rng.integers(len(MONTHS))]
        days = calendar.monthrange(month.year, month.month)[1]
        day = month + dt.timedelta(days=int(rng.integers(days)))
        row = {date_name: day, "aor": None if rng.random() < 0.01 else aor,
               "state": STATES[aor][rng.integers(len(STATES[aor]))] if rng.random() < 0.97 else None,
               "criminality": None if rng.random() < 0.01 else CRIMS[rng.choice(3, p=[.45, .35, .2])],
               "gender": "unknown" if rng.random() < 0.01 else ["male", "female"][rng.integers(2)],
               "person_key": f"p{rng.integers(n // 2)}"}
        out.append({**row, **extra(rng, aor)})
    return out


def build_attack(folder: Path) -> None:
    """The attack warehouse ``attacks.duckdb``, its release built."""
    from immstat import Warehouse
    from immstat.sources.ice_foia import ARRESTS, DETAINERS

    rng = np.random.default_rng(14)
    with Warehouse(folder / "attacks.duckdb") as wh:
        load_rows(wh, ARRESTS, _attack_rows(rng, 3000, "apprehension_date", lambda r, _: {
            "final_order": [True, False, None][r.choice(3, p=[.3, .6, .1])]}))
        load_rows(wh, DETAINERS, _attack_rows(rng, 1500, "detainer_prepare_date", lambda r, aor: {
            "facility_code": FACILITIES[aor][r.integers(len(FACILITIES[aor]))]}))
        wh.release()


# ------------------------------------------------------------------ the dashboard's warehouse
SMALL_STATE = "VT"
SMALL_AOR = "ELP"
FY = 2025


def build_web(folder: Path) -> None:
    """Demo-like warehouse ``immstat.duckdb``: the bundled real facility population (FY2025) plus
    synthetic arrests FY2024-25, of which Vermont gets only 5, so its cells are suppressed; its
    release built."""
    from immstat import Warehouse
    from immstat.core import reference

    path = folder / "immstat.duckdb"
    facility_file = reference.data_path("demo", "facilities-daily-population-latest.parquet")
    table = pq.read_table(facility_file)
    keep = pc.greater_equal(table.column("date"), pc.cast(dt.date(2024, 10, 1), table.column("date").type))
    subset = path.parent / "facilities-daily-population-fy2025.parquet"
    pq.write_table(table.filter(keep).replace_schema_metadata(table.schema.metadata), subset)
    with Warehouse(path) as wh:
        wh.load_reference()
        wh.ingest([subset])
        load_arrest_rows(wh, _arrest_rows())
        wh.release()


# One field office per state (Texas: Houston only, New York: New York City only), so every
# office-month holds about 100 arrests and the small cells are Vermont's, by design.
WEB_PLACES = {"AZ": "PHO", "FL": "MIA", "MA": "BOS", "GA": "ATL", "IL": "CHI", "CO": "DEN",
              "WA": "SEA", "NJ": "NEW", "MD": "BAL", "MI": "DET", "LA": "NOL", "UT": "SLC",
              "PA": "PHI", "MN": "SPM", "VA": "WAS", "TX": "HOU", "NY": "NYC"}


def _arrest_rows() -> list[dict]:
    rng = random.Random(6)
    counties: dict[str, list[dict]] = {}
    for c in _county_aor():
        if WEB_PLACES.get(c["state"]) == c["aor"]:
            counties.setdefault(c["state"], []).append(c)
    small = [c for c in _county_aor() if c["state"] == SMALL_STATE]
    start = dt.date(2023, 10, 1)
    rows = []
    for i in range(40_000):
        county = rng.choice(counties[rng.choice(sorted(counties))])
        rows.append(_arrest(rng, county, start + dt.timedelta(days=rng.randrange(731))))
    for i in range(5):
        rows.append(_arrest(rng, small[i % len(small)], dt.date(2025, 3, 1 + i)))
    lone = [c for c in _county_aor() if c["state"] == "NM" and c["aor"] == SMALL_AOR]
    for i in range(6):  # and one office (El Paso: New Mexico only here) gets only 6
        rows.append(_arrest(rng, lone[i % len(lone)], dt.date(2025, 3, 10 + i)))
    return rows


def _arrest(rng, county: dict, day: dt.date) -> dict:
    return dict(person_key=f"p{rng.randrange(30_000)}", apprehension_date=day, aor=county["aor"],
                state=county["state"], county_fips=county["county_fips"],
                method=rng.choice(["CAP Local Incarceration", "Located", "Non-Custodial Arrest"]),
                criminality=rng.choices(["convicted", "pending", "other"], [5, 3, 2])[0],
                final_order=rng.random() < 0.3, gender=rng.choice(["male", "female"]))


def _county_aor() -> list[dict]:
    from immstat.core import reference

    return reference.read_csv_rows("reference", "county_aor.csv")


# ------------------------------------------------------------------ other small warehouses
def build_ingested(folder: Path, files: list[Path], reference: bool = False,
                   release_date: dt.date | None = None) -> list:
    """``immstat.duckdb`` with ``files`` ingested in order (reference tables first when asked);
    returns the ingest reports."""
    from immstat import Warehouse

    with Warehouse(folder / "immstat.duckdb") as wh:
        if reference:
            wh.load_reference()
        return wh.ingest(files, release_date=release_date)


def build_synthetic_claims(folder: Path) -> None:
    """``s.duckdb``: only a small SYNTHETIC FOIA release (arrests, detainers, FY2024–2025)."""
    from immstat import Warehouse
    from immstat.sources import synth

    with Warehouse(folder / "s.duckdb") as wh:
        wh.load_reference()
        for kind in ("arrests", "detainers"):
            wh.ingest(synth.generate(kind, None, folder / kind, fiscal_years=[2024, 2025], scale=0.3))


def build_mixed(folder: Path, sandbox: Path) -> None:
    """TEST-ONLY ``immstat.duckdb``: the demo's make-up before issue 13 — the bundled real
    *published* tables plus the sandbox's SYNTHETIC FOIA release (in folder ``sandbox``). For
    surface tests written against synthetic FY2024–FY2026 records; the product never builds this
    mixture (the real FOIA 2019 records are left out, as they were then)."""
    from immstat import Warehouse
    from immstat.analysis.demo import bundled_files

    real = [p for p in bundled_files() if p.parent.name != "ice-foia-2019-ICFO-53623"]
    synthetic = sorted((sandbox / "sandbox-synthetic").glob("*.parquet"))
    with Warehouse(folder / "immstat.duckdb") as wh:
        wh.load_reference()
        wh.ingest(real + synthetic)


HEX_RUN = re.compile(r"[0-9a-f]{64,}")


def leaked_keys(text: str, keys: frozenset[str]) -> list[str]:
    """The person keys (sha256 hex, 64 characters each) found in ``text``: the same answer as
    ``[k for k in keys if k in text]``, in one pass — a key can only stand inside a run of 64 or
    more hex characters, so only the 64-character windows of those runs are looked up."""
    assert all(len(k) == 64 and HEX_RUN.fullmatch(k) for k in keys), "person keys are sha256 hex"
    return sorted({run[i:i + 64] for run in HEX_RUN.findall(text)
                   for i in range(len(run) - 63)} & keys)


def person_keys(db: Path, limit: int = 2000) -> list[str]:
    """Some person keys in warehouse ``db`` (to prove that no route leaks them)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT DISTINCT person_key FROM arrests WHERE person_key IS NOT NULL LIMIT ?",
            [limit]).fetchall()]
    finally:
        con.close()
