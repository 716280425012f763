"""The scalar parsers: dates, numbers and ``--where`` filters, each written once.

* :func:`parse_date` reads a date a *user* gives (CLI option, query parameter, YAML field):
  ``YYYY-MM-DD`` only (``YYYY-MM`` too where a month is allowed); anything else raises a typed
  error naming the option.
* :func:`date_in_text` finds a date in a *published* cell or banner (ISO or US ``M/D/YYYY``),
  returning None when there is none.
* :func:`parse_number` reads a *published* number: thousands separators, a leading ``$`` and
  footnote marks (``1,234*``) are dropped; blank cells and not-applicable marks (``-``, ``N/A``,
  a lone ``*``) are None; any other text (``12%``, ``about 5``) raises :class:`NotANumber`.
* :func:`parse_where` reads ``DIM=VALUE[,VALUE]`` (or ``DIM:VALUE``) filters.

Record-level columns are converted in bulk by the vectorised normaliser
(``immstat.sources.normalize``), not by these functions.
"""

from __future__ import annotations

import datetime as dt
import re

from immstat.core.errors import ImmstatError, QueryError

NOT_APPLICABLE = frozenset({"-", "--", "—", "n/a", "na", "*", "**"})
_NUMBER = re.compile(r"^\$?(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)[*†]*$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class NotANumber(ValueError):
    """A cell holds text where a number belongs."""


def parse_date(value: object, name: str, error: type[ImmstatError] = QueryError,
               month_ok: bool = False) -> dt.date | None:
    """A user-given date (``YYYY-MM-DD``; ``YYYY-MM`` → its 1st if ``month_ok``), None if blank.

    A bad value raises ``error`` naming ``name`` and the format to use."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if month_ok and _MONTH.match(text):
        text += "-01"
    try:
        if len(text) <= 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    fmt = "YYYY-MM-DD or YYYY-MM" if month_ok else "YYYY-MM-DD"
    raise error(f"{name} {text[:40]!r} is not a date; use {fmt}.")


def date_in_text(text: str | None) -> dt.date | None:
    """The date in a published cell: ISO at the start ('2025-02-01 00:00:00') or US anywhere
    ('as of 04/02/2026'); None when there is none or it is not a real day."""
    if not text:
        return None
    iso = _ISO.match(text.strip())
    us = _US.search(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if us:
            return dt.date(int(us[3]), int(us[1]), int(us[2]))
    except ValueError:
        return None
    return None


def parse_number(text: str | None) -> float | None:
    """A published number, or None for a blank / not-applicable mark; raises NotANumber."""
    if text is None or text.strip().lower() in NOT_APPLICABLE or not text.strip():
        return None
    match = _NUMBER.match(text.strip().replace(",", ""))
    if not match:
        raise NotANumber(text)
    return float(match.group(1))


def parse_where(items: list[str] | None) -> dict[str, list[str]]:
    """['aor=HOU,MIA', 'criminality:other'] → {'aor': ['HOU', 'MIA'], 'criminality': ['other']}."""
    out: dict[str, list[str]] = {}
    for item in items or []:
        sep = "=" if "=" in item else ":" if ":" in item else None
        if sep is None:
            raise QueryError(f"--where {item[:40]!r}: write DIMENSION=VALUE (e.g. aor=HOU or aor=HOU,MIA).")
        dim, values = item.split(sep, 1)
        out.setdefault(dim.strip(), []).extend(v.strip() for v in values.split(",") if v.strip())
    return out
