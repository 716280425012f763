"""Load one file into the warehouse in one transaction: all of it or none of it.

Steps, inside ``BEGIN … COMMIT``: provenance row → stream canonical batches into a temporary
stage (rejects straight into ``rejects``, without raw values of identifier columns) → insert
into the destination table with file-derived event IDs, the fiscal year and (record-level) the
person key (an HMAC with the warehouse's secret, see ``warehouse/keys.py``) → period, columns not
provided and content fingerprint (``warehouse/provenance.py``) → a file whose rows are already
loaded from another file is refused (rolled back) → retire older releases of the same dataset →
final row accounting. A crash or ``kill -9`` before COMMIT leaves the warehouse as it was
(DuckDB discards uncommitted WAL entries on reopen).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from immstat._version import __version__
from immstat.core.errors import ImmstatError, IngestError, SourceError
from immstat.sources.detect import plan_file
from immstat.sources.manifest import IDENTIFIER_PATTERN
from immstat.sources.records import BATCH_ROWS
from immstat.warehouse import keys
from immstat.warehouse.convert import shared_converter
from immstat.warehouse.provenance import fingerprint, record_period, same_rows_as
from immstat.warehouse.readahead import read_ahead
from immstat.warehouse.schema import duck_type, first_row

ProgressFn = Callable[[int], None]
INFERRED_BASIS = "latest date in the data"
INSERT_SLICE = 1 << 16  # rows per Arrow slice handed to DuckDB


@dataclass
class IngestReport:
    path: str
    kind: str
    source_id: int | None
    rows_in: int
    rows_loaded: int
    rows_rejected: int
    synthetic: bool
    release_date: dt.date | None
    skipped: bool = False
    message: str = ""
    reason: str = ""
    top_reject_reasons: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict:
        out = dict(self.__dict__)
        out["release_date"] = self.release_date.isoformat() if self.release_date else None
        out["top_reject_reasons"] = [list(x) for x in self.top_reject_reasons]
        return out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path, kind: str | None = None,
                release_date: dt.date | None = None, progress: ProgressFn | None = None,
                batch_rows: int = BATCH_ROWS) -> IngestReport:
    """Ingest ``path``; a file already loaded (same sha256, or other bytes with the same rows)
    gives a report with ``skipped=True`` and changes nothing."""
    path = Path(path)
    if not path.is_file():
        what = "is a folder, not a file; pass the files in it" if path.is_dir() else "no such file"
        raise SourceError(f"{path}: {what}. Check the path and ingest again.")
    sha = file_sha256(path)
    known = first_row(con.execute("SELECT source_id, kind, synthetic, release_date FROM sources "
                        "WHERE sha256 = ?", [sha]))
    if known:
        return IngestReport(str(path), known[1], known[0], 0, 0, 0, bool(known[2]), known[3],
                            skipped=True,
                            message=f"already loaded as source {known[0]} (same sha256); nothing to do")
    plan = plan_file(path, kind)
    converter = shared_converter()
    # Batches reach DuckDB as Python variables found by name (see _append); Ibis turns that
    # lookup off on the connection it wraps, so ingest runs on a session of its own.
    con.execute("SET python_enable_replacements = true")
    con.execute("BEGIN TRANSACTION")
    try:
        report = _load(con, plan, sha, release_date, progress, batch_rows, converter)
        source_id = int(report.source_id or 0)
        digest = first_row(con.execute("SELECT content_fingerprint FROM sources WHERE source_id = ?",
                                       [source_id]))[0]
        duplicate = same_rows_as(con, source_id, digest)
        if duplicate and report.rows_loaded:
            con.execute("ROLLBACK")
            return _refused_copy(report, duplicate)
        con.execute("COMMIT")
        return report
    except BaseException as exc:
        con.execute("ROLLBACK")
        if isinstance(exc, ImmstatError | KeyboardInterrupt):
            raise
        if isinstance(exc, duckdb.Error):
            raise IngestError(
                f"{path}: the warehouse refused the load ({exc}); nothing was written."
            ) from exc
        raise


def _refused_copy(report: IngestReport, duplicate: tuple) -> IngestReport:
    """A re-saved copy of a loaded file: refused, so its rows are not counted twice."""
    report.message = (f"refused: same rows as {duplicate[1]} (source {duplicate[0]}), already "
                      "loaded; this copy was not loaded, so nothing is counted twice")
    report.skipped, report.source_id = True, duplicate[0]
    report.rows_in = report.rows_loaded = report.rows_rejected = 0
    report.top_reject_reasons = ()
    return report


def _load(con, plan, sha: str, release_date, progress, batch_rows, converter) -> IngestReport:
    release, basis = (release_date, "given") if release_date else plan.release_date()
    source_id = _register_source(con, plan, sha, release, basis)
    inferred = release is None  # then it is inferred from the data, once loaded
    # a person key is scoped to the file's FOIA number, else to its release date: without both,
    # rows are staged until the data give the date
    staged = inferred and plan.release_scope() is None
    stages = _create_stages(con, plan) if staged else {}
    ordinal: dict[str, int] = {}
    loaded_rows = rejected_rows = 0
    for table, batch in read_ahead(plan.batches(converter, batch_rows)):
        n = batch.rows.num_rows
        if n:
            first = ordinal.get(table, 0)
            ordinal[table] = first + n
            rows = batch.rows.append_column("_ordinal", pa.array(np.arange(first, first + n)))
            # in slices, so DuckDB scans (and inserts) them on several threads
            rows = pa.Table.from_batches(rows.to_batches(INSERT_SLICE))
            if staged:
                _append(con, f'INSERT INTO "stage_{table}" SELECT * FROM _arrow', rows)
            else:
                _insert_rows(con, plan, table, rows, source_id, release, sha)
        if batch.rejects.num_rows:
            _append(con, f"INSERT INTO rejects SELECT {source_id}, * FROM _arrow",
                    _without_identifiers(batch.rejects))
        loaded_rows += n
        rejected_rows += batch.rejects.num_rows
        if progress:
            progress(n + batch.rejects.num_rows)
    if inferred:
        dated = ({t: f'"{stage}"' for t, stage in stages.items()} if staged else
                 {t: f'"{t}" WHERE source_id = {source_id}' for t in plan.destinations()})
        release = _data_through(con, plan, dated)
        basis = INFERRED_BASIS if basis in ("unknown", INFERRED_BASIS) else basis
        con.execute(
            "UPDATE sources SET release_date = ?, release_date_basis = ? WHERE source_id = ?",
            [release, basis, source_id],
        )
        for table, stage in stages.items():
            _insert_rows(con, plan, table, stage, source_id, release, sha)
            con.execute(f'DROP TABLE "{stage}"')
    if basis != INFERRED_BASIS:  # without a stated release date a file may be one part of many
        _retire_older(con, plan, source_id, release)
    for column, raw_name, redacted, unreadable, nulls in plan.column_stats():
        con.execute(
            "INSERT INTO source_columns VALUES (?,?,?,?,?,?)",
            [source_id, column, raw_name, redacted, unreadable, nulls],
        )
    rows_in = loaded_rows + rejected_rows
    record_period(con, plan, source_id)
    con.execute(
        "UPDATE sources SET rows_in = ?, rows_loaded = ?, rows_rejected = ?, release_scope = ?, "
        "content_fingerprint = ? WHERE source_id = ?",
        [rows_in, loaded_rows, rejected_rows, _scope(plan, release),
         fingerprint(con, plan, source_id), source_id],
    )
    reasons = con.execute(
        "SELECT reason, count(*) n FROM rejects WHERE source_id = ? GROUP BY 1 ORDER BY 2 DESC LIMIT 5",
        [source_id],
    ).fetchall()
    return IngestReport(
        str(plan.path),
        plan.kind,
        source_id,
        rows_in,
        loaded_rows,
        rejected_rows,
        plan.synthetic,
        release,
        reason=plan.reason,
        message=f"loaded into {', '.join(plan.destinations())}",
        top_reject_reasons=tuple((r, n) for r, n in reasons),
    )


def _scope(plan, release) -> str:
    """The release a person key is scoped to: its FOIA number, else its release date."""
    return plan.release_scope() or f"release|{release}"


def _without_identifiers(rejects: pa.Table) -> pa.Table:
    """Rejects keep reason, column and row number; never a raw value of an identifier column."""
    column = pc.fill_null(rejects["column"], "")
    identifier = pc.match_substring_regex(column, IDENTIFIER_PATTERN)
    raw = pc.if_else(identifier, pa.scalar(None, pa.string()), rejects["raw_value"])
    return rejects.set_column(rejects.schema.get_field_index("raw_value"), "raw_value", raw)


def _register_source(con, plan, sha: str, release, basis: str) -> int:
    source_id = first_row(con.execute("SELECT nextval('source_id_seq')"))[0]
    con.execute(
        "INSERT INTO sources (source_id, path, file_name, sha256, kind, title, dataset, release_date,"
        " release_date_basis, loaded_at, immstat_version, synthetic, record_level, licence, banner,"
        " tables) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            source_id,
            str(plan.path.resolve()),
            plan.path.name,
            sha,
            plan.kind,
            plan.title,
            plan.dataset,
            release,
            basis,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            __version__,
            plan.synthetic,
            plan.record_level,
            plan.licence,
            "\n".join(plan.banner),
            ",".join(plan.destinations()),
        ],
    )
    return source_id


def _create_stages(con, plan) -> dict[str, str]:
    stages = {}
    for table, schema in plan.destinations().items():
        cols = ", ".join(f'"{f.name}" {duck_type(f.type)}' for f in schema)
        con.execute(f'CREATE OR REPLACE TEMP TABLE "stage_{table}" ({cols}, _ordinal BIGINT)')
        stages[table] = f"stage_{table}"
    return stages


def _data_through(con, plan, rows: dict[str, str]) -> dt.date | None:
    """The latest event date in a file's rows (``rows``: table → its stage, or its loaded rows)."""
    dates = []
    for table, relation in rows.items():
        column = plan.date_columns.get(table)
        if column and column in plan.destinations()[table].names:
            dates.append(
                first_row(con.execute(f'SELECT max(CAST("{column}" AS DATE)) FROM {relation}'))[0]
            )
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _append(con, sql: str, _arrow: pa.Table, params: list | None = None) -> None:
    """Run ``sql`` reading the Arrow table ``_arrow`` (a Python variable DuckDB finds by name;
    ingest_file turns that lookup on for its session).

    Not ``con.register``: inside the ingest transaction a registered table's view — and with it
    the whole Arrow batch — is kept until COMMIT, so memory would grow with the file."""
    con.execute(sql, params or [])


def _insert_rows(con, plan, table: str, relation: pa.Table | str, source_id: int, release,
                 sha: str) -> None:
    """Insert canonical rows (an Arrow batch, or the name of a stage) into ``table``."""
    names = [f.name for f in plan.destinations()[table] if f.name != "source_row"]
    out_cols, select, params = [], [], []
    for name in names:
        if name == "person_key":
            if plan.record_level:
                out_cols.append("person_key")
                select.append(keys.person_key_sql("person_key"))
                params += keys.person_key_params(_secret(con, plan), _scope(plan, release))
            continue
        out_cols.append(f'"{name}"')
        select.append(f'"{name}"')
    date_col = plan.date_columns.get(table)
    if "fiscal_year" in names:  # published tables state their own fiscal year
        out_cols.remove('"fiscal_year"')
        select.remove('"fiscal_year"')
        fiscal = "CAST(fiscal_year AS INTEGER)"
    elif date_col in names:
        fiscal = f'fiscal_year(CAST("{date_col}" AS DATE))'
    else:
        fiscal = "NULL"
    # event_id: md5 of (file sha256, row ordinal in the file) — derived from the file's content,
    # stable across runs, unique per row (identical rows stay distinct events). Content alone
    # would not be stable across releases anyway: FOIA releases re-key the person identifiers.
    source = f'"{relation}"' if isinstance(relation, str) else "_arrow"
    sql = (f'INSERT INTO "{table}" (event_id, {", ".join(out_cols)}, fiscal_year, source_id, '
           f"source_row) SELECT md5('{sha}:{table}:' || CAST(_ordinal AS VARCHAR)), "
           f'{", ".join(select)}, {fiscal}, {source_id}, source_row FROM {source}')
    if isinstance(relation, str):
        con.execute(sql, params)
    else:
        _append(con, sql, relation, params)


def _secret(con, plan) -> bytes:
    """The warehouse's person-key secret (made at the first record-level ingest)."""
    path = first_row(con.execute("SELECT path FROM duckdb_databases() "
                                 "WHERE database_name = current_database()"))[0]
    if not path:
        raise IngestError(f"{plan.path}: record-level files need a warehouse file (its person-key "
                          "secret is kept beside it); open a Warehouse with a path.")
    return keys.warehouse_secret(Path(path))


def _retire_older(con, plan, source_id: int, release) -> None:
    """Newer release of a dataset replaces older ones (policy 'replace_older')."""
    if plan.replace_policy != "replace_older":
        return
    rows = con.execute(
        "SELECT source_id, release_date, tables FROM sources WHERE dataset = ? AND source_id <> ? "
        "AND superseded_by IS NULL AND release_date_basis <> ?",
        [plan.dataset, source_id, INFERRED_BASIS],
    ).fetchall()
    newer = [r for r in rows if r[1] is not None and release is not None and r[1] > release]
    if newer:
        raise IngestError(
            f"{plan.path}: a newer release ({newer[0][1]}) of {plan.kind} is already loaded "
            f"(source {newer[0][0]}); this older release ({release}) would replace nothing. "
            "Ingest releases oldest first, or pass --release-date if the date was misread."
        )
    older = [r for r in rows if r[1] is not None and release is not None and r[1] < release]
    for old_id, _, tables in older:
        for table in (tables or "").split(","):
            if table:
                con.execute(f'DELETE FROM "{table}" WHERE source_id = ?', [old_id])
        con.execute("UPDATE sources SET superseded_by = ? WHERE source_id = ?", [source_id, old_id])
