"""Simulated events → FOIA-looking columns: dirty values, redactions, labels, per-format text.

:func:`add_dirt` decides, reproducibly, which rows are exact duplicates, which extra rows carry a
blank or impossible date (the reader must reject them), which AORs are unknown codes, which
criminality cells are blank and which values carry stray whitespace. :class:`Truth` counts what
the reader must load from exactly those decisions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from immstat.sources.synth import calibration as cal
from immstat.sources.synth import labels as lab
from immstat.sources.synth.layouts import TABLES, Layout
from immstat.sources.synth.population import Events, mix64, out_minute
from immstat.sources.synth.timeline import EPOCH, Timeline

EXCEL_EPOCH_OFFSET = 25569  # Excel serial of 1970-01-01
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)
_TEXT_FORMATS = {"csv": ("%m/%d/%Y", "%m/%d/%Y %H:%M"), "parquet": ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S")}


@dataclass
class Dirt:
    rejected: np.ndarray  # bool: extra row whose date is blank (1) or impossible (2)
    date_flaw: np.ndarray  # 0 fine, 1 blank, 2 impossible
    impossible_text: np.ndarray  # index into IMPOSSIBLE_DATE_TEXT
    unknown_aor: np.ndarray
    blank_crim: np.ndarray
    padded: np.ndarray


def add_dirt(ev: Events, rng, duplicates: int, rejects: int) -> tuple[Events, Dirt]:
    n = len(ev["date"])
    if n == 0:
        duplicates = rejects = 0
    dup = rng.integers(0, max(n, 1), duplicates)
    rej = rng.integers(0, max(n, 1), rejects)
    rows = np.concatenate([np.arange(n), dup, rej])
    position = np.concatenate([np.arange(n), dup + 0.5, rng.random(rejects) * max(n, 1)])
    order = np.argsort(position, kind="stable")
    rows = rows[order]
    rejected = np.concatenate([np.zeros(n + duplicates, bool), np.ones(rejects, bool)])[order]
    m = len(rows)
    blank_share = cal.DIRTY["blank_date"] / (cal.DIRTY["blank_date"] + cal.DIRTY["impossible_date"])
    flaw = np.where(rejected, np.where(rng.random(m) < blank_share, 1, 2), 0)
    dirt = Dirt(rejected, flaw, rng.integers(0, len(cal.IMPOSSIBLE_DATE_TEXT), m),
                rng.random(m) < cal.DIRTY["unknown_aor"], rng.random(m) < cal.DIRTY["blank_criminality"],
                rng.random(m) < cal.DIRTY["whitespace"])
    return {k: v[rows] for k, v in ev.items()}, dirt


@dataclass
class Truth:
    """What the reader must make of the rows written so far."""

    written: int = 0
    rejected: int = 0
    by_fy: Counter = field(default_factory=Counter)
    by_fy_aor: Counter = field(default_factory=Counter)
    by_fy_crim: Counter = field(default_factory=Counter)
    border_removals: Counter = field(default_factory=Counter)  # removals topped up, per FY

    def add(self, ev: Events, dirt: Dirt, timeline: Timeline) -> None:
        self.written += len(dirt.rejected)
        self.rejected += int(dirt.rejected.sum())
        keep = ~dirt.rejected
        fy = timeline.fiscal_year_of(ev["date"][keep]) if keep.any() else np.zeros(0, np.int64)
        aor = np.where(dirt.unknown_aor[keep], -1, ev["aor"][keep])
        crim = np.where(dirt.blank_crim[keep], -1, ev["crim"][keep])
        self.by_fy.update(fy.tolist())
        self.by_fy_aor.update(zip(fy.tolist(), aor.tolist()))
        self.by_fy_crim.update(zip(fy.tolist(), crim.tolist()))

    def to_dict(self) -> dict:
        def nest(counter: Counter, names) -> dict:
            out: dict = {}
            for (fy, code), n in sorted(counter.items()):
                out.setdefault(str(fy), {})["null" if code < 0 else names[code]] = n
            return out

        return {"rows_written": self.written, "expected_rejected": self.rejected,
                "expected_loaded": self.written - self.rejected,
                "by_fiscal_year": {str(k): v for k, v in sorted(self.by_fy.items())},
                "by_fiscal_year_aor": nest(self.by_fy_aor, lab.AOR_CODES),
                "by_fiscal_year_criminality": nest(self.by_fy_crim, cal.CRIMINALITY_CODES),
                "border_removals_by_fiscal_year": {str(k): v for k, v in
                                                   sorted(self.border_removals.items())}}


def render(layout: Layout, ev: Events, dirt: Dirt, rng, fmt: str) -> tuple[list, dict[int, list]]:
    """Columns in header order (Arrow arrays) and, for xlsx, text overrides per column index."""
    m = len(dirt.rejected)
    cols, overrides = [], {}
    for i, header in enumerate(layout.header):
        src = layout.source(header)
        if src is None:
            cols.append(pa.nulls(m, pa.string()))
            continue
        name, how = src
        if how == "redacted":
            cols.append(pc.take(pa.array(cal.REDACTIONS), rng.integers(0, len(cal.REDACTIONS), m)))
        elif how.startswith("const:"):
            cols.append(pc.take(pa.array([how[6:]]), np.zeros(m, np.int64)))
        elif how == "pid":
            cols.append(_hex(ev[name]))
        elif how == "int":
            cols.append(pa.array(ev[name], pa.int64(), mask=ev[name] < 0))
        elif how == "date" or how.startswith("ts"):
            cols.append(_when(ev, name, how, fmt))
            if header == layout.date_header:
                cols[-1], overrides[i] = _date_flaws(cols[-1], dirt, fmt)
        else:
            codes = ev[name]
            if header == layout.crim_header:
                codes = np.where(dirt.blank_crim, -1, codes)
            text = pc.take(pa.array(TABLES[how]()), pa.array(codes, pa.int64(), mask=codes < 0))
            if header == layout.aor_header:
                unknown = pc.take(pa.array(cal.UNKNOWN_AOR), rng.integers(0, 2, m))
                text = pc.if_else(pa.array(dirt.unknown_aor), unknown, text)
            if header in (layout.aor_header, layout.crim_header):
                padded = pc.binary_join_element_wise("  ", text, " ", "")
                text = pc.if_else(pa.array(dirt.padded), padded, text)
            cols.append(text)
    return cols, overrides


def _hex(pid: np.ndarray) -> pa.Array:
    """Anonymised identifier: 16 hex digits of a keyed hash of the person id (same in every kind)."""
    raw = mix64(pid, 0x5EED).astype(">u8").view(np.uint8).reshape(-1, 8)
    digits = np.empty((len(pid), 16), np.uint8)
    digits[:, 0::2], digits[:, 1::2] = _HEX[raw >> 4], _HEX[raw & 15]
    buf = pa.py_buffer(digits.tobytes())
    return pa.Array.from_buffers(pa.binary(16), len(pid), [None, buf]).cast(pa.string())


def _when(ev: Events, name: str, how: str, fmt: str) -> pa.Array:
    days = ev[name]
    missing = days < 0
    if how == "date":
        minutes = np.zeros(len(days), np.int64)
    elif how == "ts:out":
        minutes = out_minute(days)
    else:
        minutes = ev[how[3:]]
    if fmt == "xlsx":
        serial = days + EXCEL_EPOCH_OFFSET + minutes / 1440.0
        return pa.array(serial, pa.float64(), mask=missing)
    seconds = (days * 86400 + minutes * 60).astype("datetime64[s]")
    stamp = pa.array(seconds, pa.timestamp("s"), mask=missing)
    return pc.strftime(stamp, format=_TEXT_FORMATS[fmt][0 if how == "date" else 1])


def _date_flaws(col: pa.Array, dirt: Dirt, fmt: str) -> tuple[pa.Array, list]:
    blank = pa.array(dirt.date_flaw == 1)
    col = pc.if_else(blank, pa.scalar(None, col.type), col)
    bad = np.flatnonzero(dirt.date_flaw == 2)
    texts = [cal.IMPOSSIBLE_DATE_TEXT[k] for k in dirt.impossible_text[bad]]
    if fmt == "xlsx":
        return col, list(zip(bad.tolist(), texts))
    full = np.full(len(dirt.date_flaw), None, object)
    full[bad] = texts
    return pc.coalesce(pa.array(full, pa.string()), col), []


def banner(layout: Layout, timeline: Timeline, seed: int) -> list[str]:
    """The six lines above the header; line 3 carries the release date detect.py reads."""
    fys = timeline.fiscal_years
    start = EPOCH + dt.timedelta(days=timeline.start)
    scenario = any(b != "published" for b in timeline.basis.values())
    return [
        "ERO-LESA Statistical Tracking Unit",
        f"SYNTHETIC DATA — generated by ImmStat, not an ICE record (seed {seed})",
        f"Release date: {timeline.release_date.isoformat()}",
        f"{layout.title}, FY{fys[0]} - FY{fys[-1]} ({start:%m/%d/%Y} - "
        f"{timeline.release_date:%m/%d/%Y})",
        cal.scenario_text() if scenario else "All fiscal-year arrest and removal totals are "
                                             "published figures.",
        "Calibrated to national ICE ERO administrative arrests and removals (ICE annual reports); "
        "every other share is an ImmStat assumption.",
    ]
