"""Validate a query against the registry and the privacy rules before anything runs.

Everything a user types (metric, dimensions, filter values, dates) is checked here; unknown names
get a "did you mean"; values with a closed domain must be in it; free-text values are length-
and count-limited and reach SQL only as literals.
"""

from __future__ import annotations

from immstat.core import calendar as cal
from immstat.core.errors import QueryError, UnknownName
from immstat.core.parse import parse_date
from immstat.metrics.dimensions import DIMENSIONS, GRAINS
from immstat.metrics.engine import Request
from immstat.metrics.registry import Metric

MAX_VALUE_LENGTH = 100
MAX_VALUES = 60
FIRST_FY, LAST_FY = 1990, 2100  # any date asked for lies in these fiscal years


def check_where(metric: Metric, where: dict[str, list[str]] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for dim, values in (where or {}).items():
        if dim not in metric.dimensions:
            raise UnknownName(f"dimension of {metric.name}", dim, metric.dimensions)
        values = [values] if isinstance(values, str) else list(values)
        if not values or len(values) > MAX_VALUES:
            raise QueryError(f"--where {dim}: give 1 to {MAX_VALUES} values.")
        clean = []
        for value in values:
            value = str(value).strip()
            if not value or len(value) > MAX_VALUE_LENGTH:
                raise QueryError(f"--where {dim}: values must be 1 to {MAX_VALUE_LENGTH} characters.")
            clean.append(_in_domain(dim, value))
        out[dim] = clean
    return out


def _in_domain(dim: str, value: str) -> str:
    valid = DIMENSIONS[dim].valid_values()
    if valid is None:
        return value
    for candidate in valid:
        if candidate.lower() == value.lower():
            return candidate
    raise UnknownName(f"value of {dim}", value, valid)


def check_by(metric: Metric, by: list[str] | None) -> list[str]:
    by = list(by or [])
    for dim in by:
        if dim not in metric.dimensions:
            raise UnknownName(f"dimension of {metric.name}", dim, metric.dimensions)
    if len(set(by)) != len(by):
        raise QueryError("--by lists a dimension twice; give each once.")
    return by


def build_request(metric: Metric, by=None, where=None, fy=None, date_from=None, date_to=None,
                  grain=None, as_of=None) -> Request:
    by = check_by(metric, by)
    where = check_where(metric, where)
    if grain is not None and grain not in GRAINS:
        raise UnknownName("grain", grain, GRAINS)
    start, end = _in_range(date_from, "--from"), _in_range(date_to, "--to")
    if fy is not None:
        if start or end:
            raise QueryError("Give either --fy or --from/--to, not both.")
        try:
            fy = int(fy)
        except (TypeError, ValueError):
            raise QueryError(f"--fy {str(fy)[:20]!r} is not a year; use e.g. --fy 2025.") from None
        if not FIRST_FY <= fy <= LAST_FY:
            raise QueryError(f"--fy {fy} is out of range ({FIRST_FY}–{LAST_FY}).")
        start, end = cal.fy_bounds(fy)
    if start and end and start > end:
        raise QueryError(f"--from {start} is after --to {end}.")
    return Request(metric, by, where, grain, start, end, _in_range(as_of, "--as-of"))


def _in_range(value, name: str):
    """A user-given date inside fiscal years FIRST_FY–LAST_FY (far-future dates: one-line error)."""
    day = parse_date(value, name)
    lo, hi = cal.fy_bounds(FIRST_FY)[0], cal.fy_bounds(LAST_FY)[1]
    if day is not None and not lo <= day <= hi:
        raise QueryError(f"{name} {day} is out of range ({lo} to {hi}); give a date in that range.")
    return day
