"""Sections of the ATD, Facilities, Monthly Bond, Segregation and Vulnerable-population sheets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

from immstat.core import reference
from immstat.core.calendar import MONTH_NAMES, month_number
from immstat.core.parse import NotANumber, date_in_text, parse_number
from immstat.sources.detention_stats.grid import Grid, block_at, squash
from immstat.sources.detention_stats.layout import Context, cross

_MONTH_TITLE = rf"^({'|'.join(MONTH_NAMES)}) (\d{{4}})"


# ------------------------------------------------------------------ ATD
def read_atd(grid: Grid, ctx: Context) -> None:
    for title, breakdown in ((r"^ATD Active Population Counts", "technology"),
                             (r"^ATD Active Population by Status", "status")):
        for block in grid.blocks(title):
            for row_number, label, values in cross(block):
                named = {_atd_measure(name): raw for name, raw in values}
                ctx.out.add("atd_population", ctx.sheet, row_number,
                            {"breakdown": breakdown, "category": label},
                            {m: named.get(m) for m in ("participants", "daily_tech_cost",
                                                       "alip_days")})
    for block in grid.blocks(r"^Active ATD Participants"):
        aor = name = None
        for row_number, label, values in cross(block):
            code = aor_code(label)
            if label.lower() == "total" or code:
                aor, name, technology = code, label, "Total"
            else:
                technology = label
            ctx.out.add("atd", ctx.sheet, row_number,
                        {"aor": aor, "aor_name": name, "technology": technology},
                        {"participants": values[0][1] if values else None,
                         "avg_length_in_program_days": values[1][1] if len(values) > 1 else None})
    for block in grid.blocks(r"Court Appearance"):
        hearings = re.search(r"(Total|Final) Hearings", block.title, re.IGNORECASE)
        for row_number, label, values in cross(block):
            ctx.out.add("atd_court", ctx.sheet, row_number,
                        {"hearings": hearings[1].lower() if hearings else None, "outcome": label},
                        {"appearances": values[0][1] if values else None,
                         "share": values[1][1] if len(values) > 1 else None})


def _atd_measure(header: str) -> str:
    low = header.lower()
    return "daily_tech_cost" if "cost" in low else "alip_days" if "alip" in low else "participants"


@lru_cache(maxsize=1)
def _aor_keys() -> dict[str, str]:
    return {re.sub(r"[^a-z]", "", alias): code for alias, code in reference.aor_aliases().items()}


def aor_code(label: str) -> str | None:
    """AOR code for an ATD row label ('Atlanta', 'WashingtonDC', 'New York', 'St Paul')."""
    key = re.sub(r"[^a-z]", "", label.lower())
    if len(key) < 4:
        return None
    keys = _aor_keys()
    if key in keys:
        return keys[key]
    hits = {code for alias, code in keys.items()
            if len(alias) >= 6 and (key.startswith(alias) or alias.startswith(key))}
    return hits.pop() if len(hits) == 1 else None


# ------------------------------------------------------------------ facilities
_FACILITY_COLUMNS = (  # (canonical, header pattern); the first header that matches wins
    ("name", r"^name$"), ("address", r"^address$"), ("city", r"^city$"), ("state", r"^state$"),
    ("zip", r"^zip"), ("aor", r"^aor$"), ("type_detailed", r"^type detailed"),
    ("gender", r"^male/female"), ("alos_days", r"^fy ?\d+ alos"),
    ("adp_level_a", r"^level a"), ("adp_level_b", r"^level b"), ("adp_level_c", r"^level c"),
    ("adp_level_d", r"^level d"), ("adp_male_crim", r"^male crim"),
    ("adp_male_noncrim", r"^male non-?crim"), ("adp_female_crim", r"^female crim"),
    ("adp_female_noncrim", r"^female non-?crim"), ("adp_threat_level_1", r"^ice threat level 1"),
    ("adp_threat_level_2", r"^ice threat level 2"), ("adp_threat_level_3", r"^ice threat level 3"),
    ("adp_no_threat_level", r"^no ice threat level"), ("adp_mandatory", r"^mandatory"),
    ("guaranteed_minimum", r"^guaranteed minimum"),
    ("last_inspection_type", r"^last inspection type"),
    ("last_inspection_end_date", r"^(last|odo) inspection (end )?date"),
    ("last_inspection_standard", r"^(odo )?last inspection standard"),
    ("last_final_rating", r"^(last final rating|last inspection rating - final|odo final rating)"),
)
FACILITY_NUMBERS = tuple(c for c, _ in _FACILITY_COLUMNS[8:23])


def read_facilities(grid: Grid, ctx: Context) -> None:
    for r, c in grid.find(r"^Name$", col=0):
        if squash(grid.cell(r, 1) or "").lower() != "address":
            continue
        block = block_at(grid, r, c, header_row=r, end=grid.width)
        positions = _positions([squash(h).lower() if h else "" for h in block.header()])
        for row_number, cells in block.rows():
            text = {k: cells[i] for k, i in positions.items()}
            if not text.get("name"):
                continue
            fields: dict[str, str | dt.date | None] = {
                k: text.get(k) for k, _ in _FACILITY_COLUMNS
                if k not in FACILITY_NUMBERS and k != "last_inspection_end_date"}
            fields["zip"] = _zip(text.get("zip"))
            inspected = text.get("last_inspection_end_date")
            inspected_on = date_in_text(inspected)
            fields["last_inspection_end_date"] = inspected_on
            fields["last_inspection_note"] = inspected if inspected_on is None else None
            ctx.out.add("facilities", ctx.sheet, row_number, fields,
                        {k: text.get(k) for k in FACILITY_NUMBERS})


def _positions(header: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for canonical, pattern in _FACILITY_COLUMNS:
        hit = next((i for i, h in enumerate(header) if re.match(pattern, h)), None)
        if hit is not None:
            out[canonical] = hit
    return out


def _zip(text: str | None) -> str | None:
    """ZIP codes stored as numbers lose leading zeros (3820 → 03820)."""
    return text.zfill(5) if text and text.isdigit() and len(text) < 5 else text


# ------------------------------------------------------------------ bond, segregation, SRMS
def read_bond(grid: Grid, ctx: Context) -> None:
    """Measures × months. A month whose every measure is 0 or blank was not reported (the FY26
    workbook prints zeros for the months before the fiscal year): its values become None."""
    for r, row in enumerate(grid.rows):
        dates = {c: d for c, text in enumerate(row) if (d := date_in_text(text))}
        if len(dates) < 3:
            continue
        block = block_at(grid, r, 0, header_row=r, end=grid.width)
        rows = [(n, cells) for n, cells in block.rows() if cells[0]]
        empty = {c for c in dates if all((cells[c] or "0").strip() in ("0", "0.0")
                                         for _, cells in rows if c < len(cells))}
        for row_number, cells in rows:
            for c, month in dates.items():
                raw = None if c in empty or c >= len(cells) else cells[c]
                ctx.out.add("bond", ctx.sheet, row_number,
                            {"month": month, "measure": squash(cells[0] or "")}, {"value": raw})
        return


def read_segregation(grid: Grid, ctx: Context) -> None:
    """Month title ('March 2026'), usually a 'Facilities | Placement Count' header (some months
    lack it), then facility rows and a 'Grand Total' row (kept, as published)."""
    for r, c, match in _titles(grid, _MONTH_TITLE):
        month = date_in_text(f"{month_number(match[1])}/1/{match[2]}")
        first = next((i for i in range(r + 1, len(grid.rows)) if grid.cell(i, c)), r + 1)
        header = first if not _is_number(grid.cell(first, c + 1)) else r
        for row_number, cells in block_at(grid, r, c, header_row=header, end=c + 2).rows():
            if cells[0]:
                ctx.out.add("segregation", ctx.sheet, row_number,
                            {"month": month, "facility": squash(cells[0])}, {"placements": cells[1]})


def _titles(grid: Grid, pattern: str) -> Iterator[tuple[int, int, re.Match[str]]]:
    """(row, col, match) of each first-column cell whose text matches ``pattern``."""
    for r, c in grid.find(pattern, col=0):
        match = re.search(pattern, squash(grid.cell(r, c) or ""), re.IGNORECASE)
        if match is not None:  # always, as find() matched the same text
            yield r, c, match


def _is_number(text: str | None) -> bool:
    try:
        return parse_number(text) is not None
    except NotANumber:
        return False


def read_vulnerable(grid: Grid, ctx: Context) -> None:
    pattern = r"Fiscal Year \(FY\) ?(\d{4}) Quarter (\d)"
    for r, c, match in _titles(grid, pattern):
        for row_number, label, values in cross(block_at(grid, r, c)):
            raw = [v for _, v in values] + [None, None, None]
            ctx.out.add("vulnerable", ctx.sheet, row_number,
                        {"data_fiscal_year": int(match[1]), "quarter": int(match[2]),
                         "placement_reason": label},
                        {"placements": raw[0], "avg_consecutive_days": raw[1],
                         "avg_cumulative_days": raw[2]})
