"""Record-derived answers as views of the protected release.

A request names released cells: its breakdown and filter dimensions pick a lattice table, its
grain (or window) picks a time level. Filters select cells; several filter values, or a window
longer than one period, are added up from released cells and the sum is suppressed when any
summand is. Shares are computed from released outcome (or category) counts, per-day values from
released counts over calendar days (clipped only to the release's data span, the same for every
group), both rounded (``suppression.SHARE_DIGITS`` / ``RATE_DIGITS``) and suppressed with their
inputs. Non-additive measures (distinct persons, medians) are never combined across cells.
Anything outside the lattice is refused with a one-line error listing what exists.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from immstat.core.calendar import fiscal_year, fy_bounds, month_end, period_span
from immstat.core.errors import PrivacyError
from immstat.metrics.engine import Request
from immstat.metrics.lattice import UNKNOWN
from immstat.metrics.measures import CategoryShare, CountDistinct, Median, PerDay, Share
from immstat.metrics.release.count import EPOCH_ORDINAL, as_period
from immstat.metrics.suppression import RATE_DIGITS, SHARE_DIGITS

MAX_CELLS = 200_000  # a view larger than this is refused (ask for fewer dimensions or a coarser grain)


def answer(release: dict, info: dict, req: Request) -> tuple[pd.DataFrame, int | None]:
    """(frame with by…, period, value, suppressed; digits of the value) for a request."""
    metric = req.metric
    lattice, family = metric.released_lattice, metric.family
    if lattice is None or family is None:
        raise ValueError(f"{metric.name} is a published aggregate, not a view of the release")
    dims = tuple(sorted({*req.by, *req.where}))
    if family.name not in info["families"]:  # no records of this family: no cells, not zeros
        columns = [*req.by, *(["period"] if req.grain else []), "value", "suppressed"]
        return pd.DataFrame({c: pd.Series(dtype="bool" if c == "suppressed" else object)
                             for c in columns}), None
    span = [dt.date.fromisoformat(d) for d in info["families"][family.name]["span"]]
    grain = _source_grain(metric, lattice, dims, req)
    periods = _periods(grain, req, span)
    measure = metric.measure
    if isinstance(measure, CountDistinct | Median):
        return _nonadditive(release, metric, dims, grain, periods, req), None
    table_dims = tuple(sorted({*dims, measure.dim})) if isinstance(measure, CategoryShare) else dims
    part = f"outcome:{metric.name}" if isinstance(measure, Share) else \
        "all" if not table_dims and grain != "day" else "count"
    cells = _grid(release, family.name, part, table_dims, grain, periods, req)
    out_keys = [*req.by, "period"] if req.grain else list(req.by)
    cells["period_out"] = cells["period"] if req.grain else 0
    if isinstance(measure, Share | CategoryShare):
        return _share(cells, measure, out_keys), SHARE_DIGITS
    frame = _with_blanks(_sum(cells, out_keys), release, family, grain, periods, req, out_keys)
    if isinstance(measure, PerDay):
        days = _days(frame, req, span)
        frame["value"] = (frame["value"] / days.where(days > 0)).round(RATE_DIGITS)
        return frame, RATE_DIGITS
    return frame, 0


def _with_blanks(frame: pd.DataFrame, release, family, grain: str, periods, req: Request,
                 out_keys: list[str]) -> pd.DataFrame:
    """A count by one dimension, unfiltered. By a core dimension (office, criminality), by month
    or coarser: the records whose core fields are blank — left out of every broken-down table
    (lattice.py) — as one more group with no key, from the release's national "incomplete"
    cells. And when no record has the dimension at all (a release without the column), only its
    blank groups, as one group with no key — never a row of zeros per category."""
    by = req.by[0] if len(req.by) == 1 else None
    if by is None or req.where:
        return frame
    if by in family.lattice.core and grain in ("month", "fy", "all"):
        cells = _grid(release, family.name, "incomplete", (), grain, periods, req)
        cells[by] = None
        cells["period_out"] = cells["period"] if req.grain else 0
        blank = _sum(cells, out_keys)
        if blank["suppressed"].any() or (blank["value"] > 0).any():
            frame = pd.concat([frame, blank[frame.columns]], ignore_index=True)
    known = frame[by].notna() & (frame[by] != UNKNOWN)
    if frame["suppressed"].any() or not (~known).any() or (frame["value"][known] != 0).any():
        return frame
    rest = [k for k in out_keys if k != by]
    blank = frame[~known].assign(**{by: None})
    if rest:
        blank = blank.groupby(rest, sort=True, as_index=False).agg(
            value=("value", "sum"), suppressed=("suppressed", "any")).assign(**{by: None})
    else:
        blank = pd.DataFrame({by: [None], "value": [blank["value"].sum()], "suppressed": [False]})
    return blank[frame.columns].reset_index(drop=True)


def refuse(metric, what: str) -> PrivacyError:
    lattice = metric.released_lattice
    return PrivacyError(f"{metric.name} is not released {what}; released tables: "
                        f"{'; '.join(lattice.describe())}. Weeks and arbitrary windows of coarser "
                        "tables are not released.")


def _source_grain(metric, lattice, dims, req: Request) -> str:
    grains = lattice.grains(dims)
    label = f"by {' × '.join(dims)}" if dims else "nationally"
    if not grains:
        raise refuse(metric, label)
    if req.grain is not None:
        if req.grain not in grains:
            raise refuse(metric, f"{label} by {req.grain}")
        return req.grain
    if req.start is None and req.end is None:
        return "all"
    start, end = req.start, req.end
    if start is None or end is None:
        raise refuse(metric, f"{label} over an open-ended window (give --fy, or --from and --to)")
    if start == fy_bounds(fiscal_year(start))[0] and end == fy_bounds(fiscal_year(end))[1] \
            and "fy" in grains:
        return "fy"
    if start.day == 1 and end == month_end(end) and "month" in grains:
        return "month"
    if "day" in grains:
        return "day"
    raise refuse(metric, f"{label} over {start}…{end} (only whole {'/'.join(grains)} periods)")


def _periods(grain: str, req: Request, span: list[dt.date]) -> np.ndarray:
    """Period codes (ordinal / fiscal year / 0) of ``grain`` inside the window and the data span."""
    lo = max(d for d in (req.start, span[0]) if d is not None)
    hi = min(d for d in (req.end, span[1]) if d is not None)
    if grain == "all":
        return np.zeros(1, dtype=np.int64)
    if lo > hi:
        return np.zeros(0, dtype=np.int64)
    if grain == "fy":
        return np.arange(fiscal_year(lo), fiscal_year(hi) + 1, dtype=np.int64)
    if grain == "day":
        return np.arange(lo.toordinal(), hi.toordinal() + 1, dtype=np.int64)
    months = pd.date_range(lo.replace(day=1), hi, freq="MS")
    return (months.to_numpy().astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL)


def _values(release: dict, key: tuple, dim: str, req: Request) -> list[str]:
    if dim in req.where:
        return list(req.where[dim])
    return release["domains"].get((key[0], dim), [])


def _grid(release, family, part, dims, grain, periods, req: Request) -> pd.DataFrame:
    """Every cell the request touches — released count, or 0 where the release has none."""
    axes = [_values(release, (family,), d, req) for d in dims]
    size = len(periods) * int(np.prod([len(a) for a in axes])) if axes else len(periods)
    if size > MAX_CELLS:
        raise PrivacyError(f"This request spans {size:,} released cells (limit {MAX_CELLS:,}); "
                           "ask for fewer dimensions, filter values or a coarser grain.")
    index = pd.MultiIndex.from_product([*axes, periods], names=[*dims, "period"])
    grid = index.to_frame(index=False)
    stored = release["cells"].get((family, part, "|".join(dims), grain))
    outcome = part.startswith("outcome:")
    if stored is None:
        stored = pd.DataFrame(columns=["period", "v1", "v2", "outcome", "n", "status"])
    names = {"v1": dims[0], "v2": dims[1]} if len(dims) == 2 else {"v1": dims[0]} if dims else {}
    stored = stored.rename(columns=names)[[*dims, "period", "outcome", "n", "status"]]
    if outcome:
        grid = grid.merge(pd.DataFrame({"outcome": ["hit", "miss"]}), how="cross")
    else:
        stored = stored.drop(columns="outcome")
    cells = grid.merge(stored, on=[*dims, "period", *(["outcome"] if outcome else [])], how="left")
    cells["hidden"] = cells["status"].notna() & (cells["status"] != "shown")
    if (family, part, "|".join(dims), grain) in release["withheld"]:
        cells["hidden"] = True  # a table withheld whole: its zeros are hidden too
    cells["n"] = cells["n"].astype("float64").fillna(0.0).where(~cells["hidden"])
    return cells.drop(columns="status")


def _sum(cells: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    group = [k if k != "period" else "period_out" for k in keys]
    if not group:
        cells = cells.assign(_all=0)
        group = ["_all"]
    out = cells.groupby(group, sort=True, dropna=False).agg(
        value=("n", lambda s: s.sum(min_count=1)), suppressed=("hidden", "any")).reset_index()
    out["value"] = out["value"].where(~out["suppressed"])
    return out.rename(columns={"period_out": "period"}).drop(columns=["_all"], errors="ignore")


def _share(cells: pd.DataFrame, measure, keys: list[str]) -> pd.DataFrame:
    if isinstance(measure, CategoryShare):
        hit = cells[measure.dim] == measure.category
    else:
        hit = cells["outcome"] == "hit"
    num = _sum(cells[hit], keys)
    den = _sum(cells, keys)
    out = den.rename(columns={"value": "den"})
    out["num"] = num["value"].to_numpy() if len(num) == len(den) else np.nan
    out["suppressed"] = den["suppressed"].to_numpy() | (num["suppressed"].to_numpy()
                                                        if len(num) == len(den) else True)
    out["value"] = (out["num"] / out["den"].where(out["den"] > 0)).round(SHARE_DIGITS)
    out["value"] = out["value"].where(~out["suppressed"])
    return out.drop(columns=["num", "den"])


def _days(frame: pd.DataFrame, req: Request, span: list[dt.date]) -> pd.Series:
    """Calendar days of each output period ∩ the window ∩ the release's data span."""
    def days(period) -> int:
        if req.grain is None:
            lo, hi = req.start, req.end
        else:
            lo, hi = period_span(as_period(period, req.grain), req.grain)
        lo = max(d for d in (lo, span[0]) if d is not None)
        hi = min(d for d in (hi, span[1]) if d is not None)
        return max((hi - lo).days + 1, 0)

    periods = frame["period"] if "period" in frame.columns else pd.Series([None] * len(frame))
    return pd.Series([days(p) for p in periods], index=frame.index, dtype="float64")


def _nonadditive(release, metric, dims, grain, periods, req: Request) -> pd.DataFrame:
    if any(len(v) > 1 for v in req.where.values()) or (req.grain is None and len(periods) > 1):
        raise refuse(metric, "as a sum of cells (it is not additive: ask for one released "
                             "period and one value per filter)")
    stored = release["values"].get((metric.name, "|".join(dims), grain))
    axes = [_values(release, (metric.family.name,), d, req) for d in dims]
    index = pd.MultiIndex.from_product([*axes, periods], names=[*dims, "period"])
    grid = index.to_frame(index=False)
    if stored is None:
        stored = pd.DataFrame(columns=["period", "v1", "v2", "value", "status"])
    names = {"v1": dims[0], "v2": dims[1]} if len(dims) == 2 else {"v1": dims[0]} if dims else {}
    stored = stored.rename(columns=names)[[*dims, "period", "value", "status"]]
    cells = grid.merge(stored, on=[*dims, "period"], how="left")
    hidden = cells["status"].notna() & (cells["status"] != "shown")
    held = release["withheld"]
    if any((metric.family.name, part, "|".join(dims), grain) in held for part in ("count", "all")):
        hidden[:] = True  # its count table is withheld whole
    value = cells["value"].astype("float64")
    if isinstance(metric.measure, CountDistinct):
        value = value.fillna(0.0)
    out = cells[[*req.by]].copy()
    if req.grain:
        out["period"] = cells["period"]
    out["value"] = value.where(~hidden)
    out["suppressed"] = hidden.to_numpy()
    return out.sort_values([*req.by, *(["period"] if req.grain else [])]).reset_index(drop=True)
