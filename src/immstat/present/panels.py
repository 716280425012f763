"""Panels: one metric query rendered as a tile or a chart, with its API links and provenance.

A page or a report is a list of panels. :func:`fetch` runs one query on a warehouse and turns
"this metric is not registered / has no rows yet" into a message instead of an error, so a page
never fails because an optional source has not been loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import duckdb
from ibis.common.exceptions import IbisError

from immstat.analysis.freshness import family_of
from immstat.core.errors import ImmstatError, UnknownName
from immstat.metrics import Result, Warehouse, get_metric

NO_DATA = "No data yet: load the source for this metric (see `immstat sources`)."
NO_ROWS = "No data for this selection (the loaded sources do not cover this period or filter)."
SANDBOX = "immstat demo --sandbox"
RECORDS_FAMILY = "Record-level FOIA data: ICE's own records, counts under 11 suppressed"


@dataclass
class Panel:
    """One query (metric + parameters) and what the page shows for it."""

    key: str
    title: str
    metric: str
    params: dict = field(default_factory=dict)
    result: Result | None = None
    message: str | None = None
    spec: dict | None = None
    notes: list[str] = field(default_factory=list)  # lines the page adds under the chart

    @property
    def ok(self) -> bool:
        return self.result is not None

    @property
    def synthetic(self) -> bool:
        return bool(self.result and self.result.synthetic)

    @property
    def sources(self) -> list[Mapping[str, Any]]:
        return list(self.result.sources) if self.result else []

    @property
    def record_derived(self) -> bool:
        return registered(self.metric) and get_metric(self.metric).record_derived

    @property
    def family(self) -> str:
        """Which source family the numbers come from (ICE published vs record-level FOIA): the
        two are never added together, so every panel says which one it shows."""
        if self.record_derived:
            return RECORDS_FAMILY
        kinds = [str(s["kind"]) for s in self.sources]
        found = next((f for f in map(family_of, kinds) if f), None)
        return f"Published by {found['publisher']}: {found['title']}" if found else "Published"

    @property
    def sandbox(self) -> bool:
        """No real rows for a record-level metric: the page points to the synthetic sandbox."""
        return self.result is None and self.record_derived

    @property
    def coverage(self) -> list[dict]:
        """Per fiscal year: the published figures' share of ICE's annual total (where known)."""
        return list((self.result.coverage or {}).get("years") or []) if self.result else []

    def coverage_text(self, fy: int) -> str | None:
        return next((c["text"] for c in self.coverage if c["fiscal_year"] == fy), None)

    def api_url(self, fmt: str = "json") -> str:
        return api_url(self.metric, self.params, fmt)

    def draw(self, chart: Callable[..., dict], *args: Any, **kwargs: Any) -> None:
        """Set :attr:`spec` to ``chart(result, *args, **kwargs)`` if the panel has a result."""
        if self.result is not None:
            self.spec = chart(self.result, *args, **kwargs)


def api_url(metric: str, params: dict, fmt: str = "json") -> str:
    """The /api/v1/query URL that returns exactly the numbers of a panel."""
    pairs: list[tuple[str, str]] = [("by", b) for b in params.get("by") or []]
    for dim, values in (params.get("where") or {}).items():
        pairs.append(("where", f"{dim}:{','.join(values)}"))
    for name, key in (("fy", "fy"), ("from", "date_from"), ("to", "date_to"), ("grain", "grain")):
        if params.get(key) is not None:
            pairs.append((name, _text(params[key])))
    if fmt != "json":
        pairs.append(("format", fmt))
    return f"/api/v1/query/{metric}" + (f"?{urlencode(pairs)}" if pairs else "")


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def registered(metric: str) -> bool:
    try:
        get_metric(metric)
    except UnknownName:
        return False
    return True


def fetch(wh: Warehouse, key: str, title: str, metric: str, **params) -> Panel:
    """Run one query on ``wh``; a missing metric, table or rows gives a panel with a message, not
    an error. A query stopped by the server's time limit still raises."""
    panel = Panel(key, title, metric, params)
    if not registered(metric):
        panel.message = NO_DATA
        return panel
    try:
        result = wh.query(metric, **params)
    except ImmstatError as exc:
        panel.message = str(exc)
        return panel
    except duckdb.InterruptException:
        raise
    except duckdb.CatalogException:
        panel.message = NO_DATA
        return panel
    except (IbisError, duckdb.Error) as exc:  # e.g. a warehouse built before a column existed
        panel.message = (f"Cannot compute {metric} with these options on this warehouse "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0][:120]}). If the "
                         "warehouse is older than this ImmStat, rebuild it (`immstat demo --no-serve`).")
        return panel
    if result.table.num_rows == 0:
        panel.message = NO_ROWS
    else:
        panel.result = result
    return panel


def page_sources(panels: list[Panel]) -> list[Mapping[str, Any]]:
    """Distinct sources behind a page's panels, in first-seen order (for the provenance footer)."""
    seen: dict[int, Mapping[str, Any]] = {}
    for panel in panels:
        for src in panel.sources:
            seen.setdefault(src["source_id"], src)
    return list(seen.values())


def any_synthetic(panels: list[Panel]) -> bool:
    return any(p.synthetic for p in panels)
