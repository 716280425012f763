"""'What changed in the latest release' and the revision badges, as pages show them.

ICE replaces its detention statistics every two weeks and past months change silently. The
change list comes from :func:`immstat.analysis.revisions.latest_changes` (the newest release
against the one before it in the same fiscal year), computed once per served app
(:meth:`~immstat.present.state.ServeState.memo`); a figure *revised* since the previous release
(``restated``) gets a badge wherever it is shown, and a diamond on the charts that draw it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from immstat.analysis.revisions import latest_changes
from immstat.analysis.revisions.latest import KIND_WORDS
from immstat.core.formats import fmt_value, month_label
from immstat.present.overlays import Mark
from immstat.present.panels import Panel
from immstat.present.state import ServeState

TOPIC = "detention"
SHOWN = 6


@dataclass
class Changes:
    """The newest published release against the previous one (rows as latest_changes gives them)."""

    summary: str
    rows: list[dict] = field(default_factory=list)
    release: dict | None = None
    previous: dict | None = None

    @property
    def revised(self) -> list[dict]:
        return [r for r in self.rows if r["kind"] == "restated"]

    def badge(self, metric: str, cell: dict, period: str) -> dict | None:
        """The change of one figure (``period`` 'FY2026' or '2026-01'), if the release changed it."""
        key = f"{metric}|{';'.join(f'{k}={v}' for k, v in sorted(cell.items()))}|{period}"
        return next((r for r in self.rows if r["key"] == key), None)

    def marks(self, panel: Panel) -> list[Mark]:
        """Diamonds for the monthly figures of ``panel`` that the latest release revised."""
        result = panel.result
        if result is None or "month" not in result.columns:
            return []
        where = {k: v[0] for k, v in (panel.params.get("where") or {}).items() if len(v) == 1}
        out = []
        for r in self.revised:
            if r["metric"] != panel.metric or r["grain"] != "month":
                continue
            if set(r["cell"]) != set(result.by) - {"month"} | set(where) or any(
                    r["cell"][k] != v for k, v in where.items()):
                continue
            out.append(Mark(f"{r['period']}-01", r["new"], "revised", describe(r),
                            series=next(iter(r["cell"].values()), None)))
        return out


def what_changed(state: ServeState) -> Changes:
    """The latest release's changes to the published detention figures (computed once)."""
    data = state.memo(("latest-changes", TOPIC), lambda wh: latest_changes(wh, topic=TOPIC))
    rows = [{**r, "label": period_label(r["period"]), "words": KIND_WORDS.get(r["kind"], r["kind"]),
             "text": describe(r)} for r in data["changes"]]
    return Changes(data["summary"], rows, data["release"], data["previous"])


def period_label(period: str) -> str:
    """'2026-01' → 'Jan 2026'; 'FY2026' stays."""
    if period.startswith("FY"):
        return period
    return month_label(dt.date.fromisoformat(f"{period}-01"))


def release_day(iso: str | None) -> str:
    return f"{dt.date.fromisoformat(iso):%-d %b %Y}" if iso else "—"


def describe(row: dict) -> str:
    """'Jan 2026: 71,955 in the 12 Feb 2026 release, 71,929 in the 9 Apr 2026 release (−0.04%)'."""
    unit = row.get("unit", "")
    old = fmt_value(row["old"], unit) if row["old"] is not None else "not printed"
    new = fmt_value(row["new"], unit) if row["new"] is not None else "not printed"
    pct = f" ({row['change_pct']:+.2f}%)" if row.get("change_pct") is not None else ""
    return (f"{period_label(row['period'])}: {old} in the {release_day(row['old_release'])} "
            f"release, {new} in the {release_day(row['new_release'])} release{pct}")
