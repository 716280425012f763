"""Shared fixtures for the API/chart tests: a small warehouse (real facility data + synthetic arrests).

Uses the lead's ``demo_db`` fixture or ``immstat.analysis.demo.build_demo`` when they exist; otherwise
ingests the bundled real facility parquet and a small synthetic arrests file written here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from immstat import Warehouse
from immstat.core import reference

DEMO_DIR = Path(reference.data_path("demo"))


def synthetic_arrests(path: Path, rows: int = 20_000, seed: int = 6) -> Path:
    """A small synthetic FOIA-style arrests parquet, marked synthetic in its metadata."""
    rng = np.random.default_rng(seed)
    county_aor = reference.read_csv_rows("reference", "county_aor.csv")
    pick = rng.integers(0, len(county_aor), rows)
    # concentrate arrests in a few big AORs so some cells are large and some suppressed
    big = [i for i, r in enumerate(county_aor) if r["aor"] in ("HOU", "MIA", "NYC", "LOS", "DAL")]
    pick = np.where(rng.random(rows) < 0.8, rng.choice(big, rows), pick)
    start = dt.date(2023, 10, 1)
    days = rng.integers(0, 731, rows)
    people = rng.integers(0, int(rows * 0.8), rows)
    data = {
        "Apprehension Date": [(start + dt.timedelta(days=int(d))).isoformat() for d in days],
        "Apprehension State": [county_aor[i]["state"] for i in pick],
        "Apprehension County FIPS": [county_aor[i]["county_fips"] for i in pick],
        "Apprehension AOR": [county_aor[i]["aor"] for i in pick],
        "Apprehension Method": rng.choice(["CAP Local Incarceration", "Located", "Non-Custodial Arrest"],
                                          rows).tolist(),
        "Apprehension Criminality": rng.choice(["1 Convicted Criminal", "2 Pending Criminal Charges",
                                                "3 Other Immigration Violator"], rows).tolist(),
        "Gender": rng.choice(["Male", "Female"], rows, p=[0.85, 0.15]).tolist(),
        "Citizenship Country": rng.choice(["MEXICO", "GUATEMALA", "HONDURAS", "VENEZUELA"], rows).tolist(),
        "Final Order Yes No": rng.choice(["YES", "NO"], rows).tolist(),
        "Unique Identifier": [f"P{p:07d}" for p in people],
    }
    table = pa.table(data).replace_schema_metadata({
        b"immstat.synthetic": b"true",
        b"immstat.banner": b"SYNTHETIC DATA generated for ImmStat tests; release 2025-07-28"})
    pq.write_table(table, path)
    return path


def build_small_warehouse(folder: Path) -> Path:
    db = folder / "api-test.duckdb"
    files = sorted(DEMO_DIR.glob("*.parquet"))
    files.append(synthetic_arrests(folder / "arrests-synthetic-2025-07-28.parquet"))
    with Warehouse(db) as wh:
        wh.ingest(files)
    return db


@pytest.fixture(scope="session")
def api_db(request, tmp_path_factory) -> Path:
    """Path of a read-only test warehouse: the lead's demo_db once ``immstat.analysis.demo`` exists."""
    try:
        import immstat.analysis.demo  # noqa: F401
    except ModuleNotFoundError:
        return build_small_warehouse(tmp_path_factory.mktemp("api-wh"))
    return Path(request.getfixturevalue("mixed_demo_db"))  # issue 13: the demo is real now


def person_keys(db: Path, limit: int = 2000) -> list[str]:
    """Some person keys in the warehouse (to prove no route leaks them)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT DISTINCT person_key FROM arrests WHERE person_key IS NOT NULL LIMIT ?",
            [limit]).fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="session")
def live_server(api_db):
    """A real uvicorn server on a free loopback port, in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    from immstat.cli.compose import build_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_app(api_db), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
