"""The targets file: publicly stated targets as reviewed data, loaded and checked here.

The bundled file is ``immstat/data/targets/targets.yaml`` (its header documents every field);
users pass their own with ``--targets FILE``. A bad entry raises :class:`ConfigError` naming the
file, the entry and the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from immstat.core.errors import ConfigError
from immstat.core.reference import data_path

UNITS = {"arrests/day": "day", "removals/year": "year", "arrests/day per field office": "day"}
SCOPES = ("national", "per_field_office")
CONFIDENCE = ("high", "medium", "low")
REQUIRED = ("id", "title", "number", "unit", "scope", "metric", "announced", "period",
            "stated_by", "source", "confidence")
OPTIONAL = ("low", "high", "notes", "published_metric", "published_where", "published_note")


@dataclass(frozen=True)
class Target:
    id: str
    title: str
    number: float
    unit: str
    scope: str
    metric: str
    announced: dt.date
    announced_precision: str  # 'day' | 'month'
    start: dt.date
    end: dt.date | None  # None = open-ended
    stated_by: str
    publication: str
    summary: str
    confidence: str
    low: float | None = None
    high: float | None = None
    notes: str = ""
    published_metric: str | None = None
    published_where: dict = field(default_factory=dict)
    published_note: str = ""

    @property
    def annual(self) -> bool:
        """A total to reach over the period (removals/year), not a daily rate."""
        return UNITS[self.unit] == "year"

    @property
    def daily_rate(self) -> float:
        """The target expressed per day (annual totals spread over 365 days)."""
        return self.number / 365.0 if self.annual else self.number

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("announced", "start", "end"):
            out[key] = out[key].isoformat() if out[key] else None
        out["daily_rate"] = self.daily_rate
        return out


def default_path() -> Path:
    return data_path("targets", "targets.yaml")


def load_targets(path: str | Path | None = None) -> list[Target]:
    """Read and validate a targets file (the bundled one by default)."""
    path = Path(path) if path else default_path()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Targets file {path} does not exist; pass an existing YAML file to "
                          "--targets (see the bundled targets.yaml for the format).") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"Targets file {path} is not valid YAML ({_one_line(exc)}); fix the "
                          "syntax (the bundled targets.yaml shows the format).") from None
    entries = doc.get("targets") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"Targets file {path} needs a top-level 'targets:' list with at least one "
                          "entry (see the bundled targets.yaml).")
    targets = [parse_entry(entry, i, path) for i, entry in enumerate(entries, 1)]
    ids = [t.id for t in targets]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{path}: target id {dupes[0]!r} is used twice; give every entry a unique id.")
    return targets


def office_target() -> Target | None:
    """The per-field-office target of the bundled targets file, if it states one (dashboard office
    page and field-office brief)."""
    try:
        return next((t for t in load_targets() if t.scope == "per_field_office"), None)
    except ConfigError:
        return None


def parse_entry(entry, index: int, path: Path | str = "<targets>") -> Target:
    """One validated :class:`Target` from a YAML mapping (``index`` is 1-based, for messages)."""
    where = f"{path}: entry {index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} is not a mapping; write each target as 'key: value' lines.")
    if isinstance(entry.get("id"), str):
        where = f"{path}: target {entry['id']!r} (entry {index})"
    missing = [k for k in REQUIRED if entry.get(k) in (None, "")]
    if missing:
        raise ConfigError(f"{where} lacks field {missing[0]!r}; add it (required: {', '.join(REQUIRED)}).")
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ConfigError(f"{where} has unknown field {unknown[0]!r}; valid fields: "
                          f"{', '.join(REQUIRED + OPTIONAL)}.")
    check = _Checker(where)
    announced, precision = check.date(entry["announced"], "announced", month_ok=True)
    period = check.mapping(entry["period"], "period", ("start", "end"))
    start, _ = check.date(period["start"], "period.start")
    end = (
        None
        if str(period.get("end", "open")).lower() == "open"
        else check.date(period["end"], "period.end")[0]
    )
    if end is not None and end < start:
        raise ConfigError(
            f"{where}: field 'period.end' ({end}) is before period.start ({start}); fix the dates."
        )
    source = check.mapping(entry["source"], "source", ("publication", "summary"))
    number = check.number(entry["number"], "number")
    low = check.number(entry["low"], "low") if entry.get("low") is not None else None
    high = check.number(entry["high"], "high") if entry.get("high") is not None else None
    if low is not None and high is not None and not low <= number <= high:
        raise ConfigError(
            f"{where}: field 'number' ({number:g}) must lie between low ({low:g}) and "
            f"high ({high:g}); use the midpoint of a range."
        )
    return Target(
        id=check.text(entry["id"], "id"),
        title=check.text(entry["title"], "title"),
        number=number,
        unit=check.choice(entry["unit"], "unit", tuple(UNITS)),
        scope=check.choice(entry["scope"], "scope", SCOPES),
        metric=check.text(entry["metric"], "metric"),
        announced=announced,
        announced_precision=precision,
        start=start,
        end=end,
        stated_by=check.text(entry["stated_by"], "stated_by"),
        publication=check.text(source["publication"], "source.publication"),
        summary=check.text(source["summary"], "source.summary"),
        confidence=check.choice(entry["confidence"], "confidence", CONFIDENCE),
        low=low,
        high=high,
        notes=str(entry.get("notes") or "").strip(),
        published_metric=entry.get("published_metric"),
        published_where=check.filters(entry.get("published_where")),
        published_note=str(entry.get("published_note") or "").strip(),
    )


class _Checker:
    """Field checks that raise a ConfigError naming the entry and the field."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, name: str, problem: str, fix: str):
        raise ConfigError(f"{self.where}: field {name!r} {problem}; {fix}.")

    def text(self, value, name: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(name, f"must be text, got {value!r}", "write it as a string")
        return " ".join(value.split())

    def number(self, value, name: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.fail(name, f"must be a positive number, got {value!r}", "write e.g. 3000 (no commas)")
        return float(value)

    def choice(self, value, name: str, valid: tuple[str, ...]) -> str:
        if value not in valid:
            self.fail(name, f"is {value!r}", f"use one of: {', '.join(valid)}")
        return value

    def date(self, value, name: str, month_ok: bool = False) -> tuple[dt.date, str]:
        if isinstance(value, dt.date):
            return value, "day"
        text = str(value).strip()
        try:
            if month_ok and len(text) == 7:
                return dt.date.fromisoformat(text + "-01"), "month"
            return dt.date.fromisoformat(text), "day"
        except ValueError:
            fmt = "YYYY-MM-DD or YYYY-MM" if month_ok else "YYYY-MM-DD"
            self.fail(name, f"is not a date ({text[:30]!r})", f"write it as {fmt}")
        raise AssertionError  # unreachable: fail() raises

    def mapping(self, value, name: str, keys: tuple[str, ...]) -> dict:
        if not isinstance(value, dict) or keys[0] not in value:
            self.fail(
                name,
                f"must be a mapping with {', '.join(keys)}",
                f"write e.g. {name}: {{{keys[0]}: ...}}",
            )
        return value

    def filters(self, value) -> dict[str, list[str]]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
            self.fail(
                "published_where",
                "must map a dimension to a list of values",
                "write e.g. {arresting_agency: [ICE]}",
            )
        return {str(k): [str(v) for v in vals] for k, vals in value.items()}


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]
