"""Run metrics on Apache Spark through Ibis, for data that has outgrown one machine.

The warehouse tables are exported as parquet next to the DuckDB file (refreshed whenever the
``sources`` table changes) and registered in a Spark session; the same Ibis expressions then run
there. Point ``IMMSTAT_SPARK_MASTER`` at a cluster (``spark://host:7077``, ``yarn``) and put the
export folder on storage the cluster can read to scale out (see README, "Spark engine").
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from immstat.core import settings
from immstat.core.errors import ConfigError

_SESSION = None
_BACKENDS: dict[Path, tuple[str, object]] = {}  # export folder → (fingerprint, Ibis backend)


def session():
    """One shared SparkSession per process (start-up costs ~10 s)."""
    global _SESSION
    if _SESSION is None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise ConfigError("--engine spark needs PySpark: pip install -e '.[spark]' "
                              "(and Java 17).") from exc
        master = settings.get("spark_master")
        if master.startswith("local"):  # on a cluster the executors must reach the driver
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (SparkSession.builder.master(master).appName("immstat")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
        if master.startswith("local"):  # a cluster keeps its own sizing
            builder = (builder.config("spark.sql.shuffle.partitions", "4")
                       .config("spark.driver.memory", "2g"))
        _SESSION = builder.getOrCreate()
        _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def export_parquet(wh, stamp: str | None = None) -> Path:
    """Export every table to ``<db>.spark/<table>.parquet`` unless the export is current."""
    folder = wh.path.with_suffix(".spark")
    folder.mkdir(exist_ok=True)
    stamp = stamp or _fingerprint(wh)
    marker = folder / "FINGERPRINT"
    if marker.exists() and marker.read_text() == stamp:
        return folder
    for (table,) in wh._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE'").fetchall():
        target = folder / f"{table}.parquet"
        wh._con.execute(f"COPY \"{table}\" TO '{target.as_posix()}' (FORMAT parquet)")
    marker.write_text(stamp)
    return folder


def _fingerprint(wh) -> str:
    rows = wh._con.execute("SELECT source_id, sha256, superseded_by FROM sources ORDER BY 1").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def backend(wh):
    """An Ibis PySpark backend with every warehouse table registered (cached while current:
    registering re-reads every parquet footer and costs seconds per call)."""
    import ibis

    stamp = _fingerprint(wh)
    folder = export_parquet(wh, stamp)
    cached = _BACKENDS.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    con = ibis.pyspark.connect(session())
    for path in sorted(folder.glob("*.parquet")):
        con.read_parquet(str(path), table_name=path.stem)
    _BACKENDS[folder] = (stamp, con)
    return con
