"""Run metrics on Apache Spark through Ibis, for data that has outgrown one machine.

Only what Spark needs is exported, as parquet, to a private (0700) folder next to the DuckDB file
(refreshed whenever the ``sources`` table changes): the published tables for queries, and — for
``immstat release --engine spark`` — the record tables without ``person_key`` (metrics that follow
a person are counted on DuckDB). The same Ibis expressions then run there. Point
``IMMSTAT_SPARK_MASTER`` at a cluster (``spark://host:7077``, ``yarn``) and put the export folder
on storage the cluster can read to scale out (see README, "Spark engine").
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
    """Export the tables Spark may read to ``<db>.spark/<table>.parquet`` (mode 0700, never a
    ``person_key`` column, no release or system tables) unless the export is current."""
    folder = wh.path.with_suffix(".spark")
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    stamp = stamp or _fingerprint(wh)
    marker = folder / "FINGERPRINT"
    if marker.exists() and marker.read_text() == stamp:
        return folder
    con = wh.cursor()
    for table, columns in _exportable(con).items():
        target = folder / f"{table}.parquet"
        cols = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"COPY (SELECT {cols} FROM \"{table}\") TO '{target.as_posix()}' (FORMAT parquet)")
        os.chmod(target, 0o600)
    marker.write_text(stamp)
    return folder


def _exportable(con) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN "
        "information_schema.tables t USING (table_schema, table_name) WHERE t.table_schema = 'main' "
        "AND t.table_type = 'BASE TABLE' AND c.column_name <> 'person_key' AND c.table_name NOT IN "
        "('rejects', 'meta', 'source_columns') AND c.table_name NOT LIKE 'release_%' "
        "ORDER BY c.table_name, c.ordinal_position").fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def _fingerprint(wh) -> str:
    rows = wh.cursor().execute("SELECT source_id, sha256, superseded_by FROM sources ORDER BY 1").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def backend(wh):
    """An Ibis PySpark backend with the exported tables registered (cached while current:
    registering re-reads every parquet footer and costs seconds per call)."""
    import ibis

    spark = session()  # first: without PySpark, one clean error and nothing exported
    stamp = _fingerprint(wh)
    folder = export_parquet(wh, stamp)
    cached = _BACKENDS.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    con = ibis.pyspark.connect(spark)
    for path in sorted(folder.glob("*.parquet")):
        con.read_parquet(str(path), table_name=path.stem)
    _BACKENDS[folder] = (stamp, con)
    return con
