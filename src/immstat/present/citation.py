"""Citable downloads: a Result as CSV plus its W3C CSV-on-the-Web metadata (JSON-LD).

The CSV holds counts as integers and every other value rounded to a stated precision, the blank
category as :data:`~immstat.core.formats.BLANK_LABEL`, booleans as ``true``/``false`` and each
cell's period (``period_start``, ``period_end``, ``partial``). The metadata
(:func:`csvw_metadata`, https://www.w3.org/TR/tabular-metadata/) says what the file is: title,
unit, period, data end, partial flags, suppression rule, sources (file, sha256, release date),
ImmStat version and retrieval time, and a ``tableSchema`` whose columns match the CSV header.
Both are named by :func:`filename` / :func:`metadata_filename`:
``immstat-<metric>-<breakdown>-<period>.csv`` and ``…-metadata.json`` beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from immstat._version import __version__
from immstat.core.formats import BLANK_LABEL, SYNTHETIC_NOTE, day_label
from immstat.metrics import DIMENSIONS, Result

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
DEFAULT_PRECISION = 2  # decimal digits of non-count values when the metric states none
COUNT_KINDS = ("count", "count_distinct", "sum")
DATE_COLUMNS = ("date", "week", "month", "period_start", "period_end")
BOOLEAN = {"base": "boolean", "format": "true|false"}


# ------------------------------------------------------------------ names
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", str(text).lower()).strip("-") or "x"


def period_slug(fy=None, start=None, end=None) -> str:
    """``fy2026``, ``2025-01-01_2025-06-30``, ``from-2025-01-01``, ``to-…``, ``all``."""
    if fy:
        return f"fy{int(fy)}"
    if start and end:
        return f"{start}_{end}"
    if start or end:
        return f"from-{start}" if start else f"to-{end}"
    return "all"


def filename(result: Result) -> str:
    """``immstat-<metric>-<breakdown>-<period>.csv`` (breakdown: dimensions and grain, or total)."""
    f = result.filters
    return download_name(result.metric.name, result.by, result.grain, f.get("fy"), f.get("from"),
                         f.get("to"))


def download_name(metric: str, by: list[str], grain: str | None, fy=None, start=None,
                  end=None) -> str:
    """:func:`filename` from the request alone (before computing it)."""
    parts = [*by, *([grain] if grain else [])]
    breakdown = "-by-".join(_slug(p) for p in parts) if parts else "total"
    return f"immstat-{_slug(metric)}-{breakdown}-{period_slug(fy, start, end)}.csv"


def metadata_filename(csv_name: str) -> str:
    """The metadata file beside a CSV: ``x.csv`` → ``x.csv-metadata.json`` (CSVW's default)."""
    return f"{csv_name}-metadata.json"


# ------------------------------------------------------------------ values
def is_count(result: Result) -> bool:
    """Whether the metric's values are counts (written as integers)."""
    measure = result.metric.measure
    return measure.kind in COUNT_KINDS or (measure.kind == "published"
                                           and bool(getattr(measure, "additive", False)))


def precision(result: Result) -> int:
    """Decimal digits of the value column (0 for counts)."""
    if is_count(result):
        return 0
    return result.precision if result.precision is not None else DEFAULT_PRECISION


def _cell(column: str, value: Any, digits: int) -> str:
    if column == "value":
        if value is None:
            return ""
        return str(round(value)) if digits == 0 else f"{value:.{digits}f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return "" if column in DATE_COLUMNS or column == "fiscal_year" else BLANK_LABEL
    return str(value)


def csv_text(result: Result) -> str:
    """The CSV: a ``#`` comment line first when SYNTHETIC (CSVW's default comment prefix)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.synthetic:
        out.write(f"# {SYNTHETIC_NOTE}.\r\n")
    writer.writerow(result.columns)
    digits = precision(result)
    for row in result.rows():
        writer.writerow([_cell(c, v, digits) for c, v in zip(result.columns, row)])
    return out.getvalue()


# ------------------------------------------------------------------ metadata
def _column(result: Result, name: str) -> dict:
    unit, digits = result.metric.unit, precision(result)
    if name in DIMENSIONS:
        return {"titles": DIMENSIONS[name].label, "datatype": "string",
                "dc:description": f"{DIMENSIONS[name].label}; blank in the data reads "
                                  f"'{BLANK_LABEL}'."}
    known = {
        "fiscal_year": ("Fiscal year", "integer", "US federal fiscal year (1 Oct–30 Sep), named "
                        "by the year it ends."),
        "date": ("Day", "date", "The day."),
        "week": ("Week", "date", "The Monday the week starts on."),
        "month": ("Month", "date", "The first day of the month."),
        "value": (f"{result.metric.title} ({unit})", "integer" if digits == 0 else "decimal",
                  f"Unit: {unit}. " + ("Counts, as integers." if digits == 0 else
                                       f"Rounded to {digits} decimal places.")
                  + " Empty where suppressed."),
        "suppressed": ("Suppressed", BOOLEAN, f"true: a record-derived count of 1 to "
                       f"{result.min_cell - 1} (or a cell that would reveal one) is withheld."),
        "period_start": ("Period start", "date", "First day with data in the cell's period."),
        "period_end": ("Period end", "date", "Last day with data in the cell's period "
                       "(the data end when the period is partial)."),
        "partial": ("Partial period", BOOLEAN, "true: the data stop before the period ends (or "
                    "start after it begins): a to-date figure, not a whole period."),
    }
    title, datatype, text = known.get(name, (name, "string", name))
    return {"titles": title, "datatype": datatype, "dc:description": text}


def _sources(result: Result) -> list[dict]:
    out = []
    for s in result.sources:
        ref = {"dc:title": s["file"], "dc:identifier": f"sha256:{s['sha256']}",
               "dc:issued": _iso(s["release_date"]), "schema:isBasedOn": s["kind"]}
        if s.get("data_start") or s.get("data_end"):
            ref["dc:temporal"] = f"{_iso(s.get('data_start')) or '..'}/{_iso(s.get('data_end')) or '..'}"
        if s["synthetic"]:
            ref["rdfs:comment"] = SYNTHETIC_NOTE
        out.append(ref)
    return out


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else (str(value) if value else None)


def suppression_rule(result: Result) -> str:
    if not result.metric.record_derived:
        return "Published aggregate: shown as published, not suppressed."
    return (f"Record-derived: counts of 1 to {result.min_cell - 1} are withheld (value empty, "
            f"suppressed true), with complementary cells so none can be recomputed; 0 is shown. "
            f"{result.suppressed} cell(s) suppressed here.")


def period_words(result: Result) -> str:
    """The period asked for and what the data cover in it, in words."""
    f = result.filters
    asked = f"FY{int(f['fy'])}" if f.get("fy") else (
        f"{f.get('from') or 'the start of the data'} to {f.get('to') or 'the end of the data'}")
    if result.data_end is None:
        return asked
    partial = " (partial: to date)" if result.partial else ""
    return f"{asked}; data through {day_label(result.data_end)}{partial}"


def csvw_metadata(result: Result, csv_url: str, retrieved: dt.datetime | None = None) -> dict:
    """CSVW table metadata (JSON-LD) describing ``csv_text(result)`` published at ``csv_url``."""
    retrieved = retrieved or dt.datetime.now(dt.UTC).replace(microsecond=0)
    lo, hi = result.data_span
    comments = [suppression_rule(result), *result.notes]
    if result.data_end_basis:
        comments.append(f"Data end found from: {result.data_end_basis}.")
    if result.partial:
        comments.append("Rows with partial = true are to date, not whole periods.")
    if result.synthetic:
        comments.insert(0, SYNTHETIC_NOTE)
    start = result.filters.get("from") or lo
    end = result.data_end or result.filters.get("to") or hi
    meta: dict[str, Any] = {
        "@context": [CSVW_CONTEXT, {"@language": "en"}],
        "url": csv_url,
        "dc:title": result.metric.title + (" — SYNTHETIC" if result.synthetic else ""),
        "dc:description": result.metric.description,
        "dc:creator": f"ImmStat {__version__}",
        "dc:created": retrieved.isoformat(),
        "dc:temporal": f"{_iso(start) or '..'}/{_iso(end) or '..'}",
        "schema:unitText": result.metric.unit,
        "schema:temporalCoverage": period_words(result),
        "schema:softwareVersion": __version__,
        "prov:generatedAtTime": retrieved.isoformat(),
        "dc:source": _sources(result),
        "rdfs:comment": comments,
        "dialect": {"header": True, "commentPrefix": "#", "encoding": "utf-8"},
        "tableSchema": {"columns": [{"name": c, **_column(result, c)} for c in result.columns]},
    }
    return meta
