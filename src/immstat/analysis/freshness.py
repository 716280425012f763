"""Freshness: per source family, its newest release, its expected cadence and the days since.

Families and cadences are data (``data/reference/source-cadence.csv``: kind patterns, title,
publisher, cadence in days and in words). A family is *overdue* when more than ``GRACE`` times its
cadence has passed since its newest real (non-synthetic) release — e.g. "no new detention
statistics since 9 Apr 2026 (47 days; ICE published every two weeks before)". ``today`` is
injectable for tests and for reproducible reports.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from functools import lru_cache

from immstat.core.reference import read_csv_rows

CADENCE_FILE = ("reference", "source-cadence.csv")
GRACE = 1.5


def families() -> list[dict]:
    """The declared source families (see module docstring)."""
    return [dict(f) for f in _declared()]


@lru_cache(maxsize=1)
def _declared() -> tuple[dict, ...]:
    out = []
    for row in read_csv_rows(*CADENCE_FILE):
        days = int(row["cadence_days"]) if row["cadence_days"] else None
        out.append({**row, "kinds": row["kinds"].split("|"), "cadence_days": days})
    return tuple(out)


def _family_of(kind: str, declared: list[dict]) -> dict | None:
    return next((f for f in declared if any(fnmatch.fnmatch(kind, p) for p in f["kinds"])), None)


def family_of(kind: str) -> dict | None:
    """The declared family of a source kind (title, publisher, cadence), or None."""
    return _family_of(kind, families())


def freshness(wh, today: dt.date | None = None) -> list[dict]:
    """One row per declared family: newest release, days since ``today``, status and sentence.

    Status is ``current``, ``overdue``, ``irregular`` (no cadence declared) or ``not loaded``.
    """
    today = today or dt.date.today()
    declared = families()
    newest: dict[str, dict] = {}
    count: dict[str, int] = {}
    for src in wh.sources():
        family = _family_of(src["kind"], declared)
        if family is None or src["synthetic"] or src["release_date"] is None:
            continue
        name = family["family"]
        count[name] = count.get(name, 0) + 1
        if name not in newest or src["release_date"] > newest[name]["release_date"]:
            newest[name] = src
    return [_row(f, newest.get(f["family"]), count.get(f["family"], 0), today) for f in declared]


def _row(family: dict, src: dict | None, n: int, today: dt.date) -> dict:
    row = {"family": family["family"], "title": family["title"], "publisher": family["publisher"],
           "cadence_days": family["cadence_days"], "cadence": family["cadence"], "files": n,
           "latest_release": None, "latest_file": None, "days_since": None, "today": today.isoformat()}
    if src is None:
        return {**row, "status": "not loaded", "sentence": f"no {family['title']} loaded"}
    released = src["release_date"]
    days = (today - released).days
    row.update(latest_release=released.isoformat(), latest_file=src["file_name"], days_since=days)
    when = f"{released:%-d %b %Y}"
    cadence = family["cadence_days"]
    if cadence is None:
        status = "irregular"
        sentence = (f"{family['title']}: newest release {when} ({days} days ago; published "
                    f"{family['cadence']})")
    elif days > GRACE * cadence:
        status = "overdue"
        sentence = (f"no new {family['title']} since {when} ({days} days; {family['publisher']} "
                    f"published {family['cadence']} before)")
    else:
        status = "current"
        sentence = (f"{family['title']}: newest release {when} ({days} days ago; "
                    f"{family['publisher']} publishes {family['cadence']})")
    return {**row, "status": status, "sentence": sentence}
