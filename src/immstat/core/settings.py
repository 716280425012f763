"""Settings registry: every tunable, its default, its environment variable and its help text.

The README's settings table is checked against :data:`SETTINGS` by a test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from immstat.core.errors import ConfigError, PrivacyError

MIN_CELL_FLOOR = 11  # privacy rule: counts 1..10 are never shown; can be raised, never lowered


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "IMMSTAT_HOME", "~/.local/share/immstat",
            "Folder holding the default warehouse file immstat.duckdb."),
    Setting("min_cell", "IMMSTAT_MIN_CELL", str(MIN_CELL_FLOOR),
            "Smallest record-derived count shown; may be raised, never set below 11."),
    Setting("engine", "IMMSTAT_ENGINE", "duckdb", "Query engine: duckdb or spark."),
    Setting("port", "IMMSTAT_PORT", "8000", "Default port for `immstat serve` and `immstat demo`."),
    Setting("spark_master", "IMMSTAT_SPARK_MASTER", "local[2]",
            "Spark master URL for --engine spark (e.g. spark://host:7077 for a cluster)."),
    Setting("max_cells", "IMMSTAT_MAX_CELLS", "200000",
            "Largest answer the HTTP API returns, in cells (rows × columns); larger ones are refused "
            "with a 413 that says how to narrow the query."),
    Setting("request_seconds", "IMMSTAT_REQUEST_SECONDS", "30",
            "Time limit of one HTTP request's computation (query, page, claims, report), in seconds."),
    Setting("cache_mb", "IMMSTAT_CACHE_MB", "64",
            "Size limit of the server's response cache, in megabytes (rendered bodies, counted in bytes)."),
    Setting("max_text_kb", "IMMSTAT_MAX_TEXT_KB", "50",
            "Largest text the claim checker takes over HTTP, in kilobytes (1,000 bytes)."),
    Setting("workers", "IMMSTAT_WORKERS", "0",
            "Computations the server runs at once (0: one per CPU core, at least 2); more wait "
            "their turn, cached answers and /api/v1/health never wait."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """Value of a setting: its environment variable, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env, setting.default)


def markdown_rows() -> list[str]:
    """The README's settings table rows, generated from :data:`SETTINGS` (a test compares)."""
    return [f"| {s.name} | `{s.env}` | `{s.default}` | {s.help} |" for s in SETTINGS]


def number(name: str, zero_ok: bool = False) -> float:
    """A numeric setting; a bad value raises ConfigError naming the variable."""
    setting = _BY_NAME[name]
    raw = get(name)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (value > 0 or (zero_ok and value == 0)):
        kind = "a number ≥ 0" if zero_ok else "a positive number"
        raise ConfigError(f"{setting.env}={raw[:20]!r} is not {kind}; unset it to use the "
                          f"default {setting.default}.")
    return value


def default_db_path() -> Path:
    """``$IMMSTAT_HOME/immstat.duckdb``."""
    return Path(get("home")).expanduser() / "immstat.duckdb"


def min_cell(requested: int | None = None) -> int:
    """The effective minimum cell size: configured or requested, never below the floor."""
    try:
        configured = int(get("min_cell"))
    except ValueError as exc:
        raise ConfigError(f"IMMSTAT_MIN_CELL must be a whole number >= {MIN_CELL_FLOOR}.") from exc
    value = max(configured, requested or 0)
    if configured < MIN_CELL_FLOOR or (requested is not None and requested < MIN_CELL_FLOOR):
        raise PrivacyError(
            f"min_cell cannot be lowered below {MIN_CELL_FLOOR}; ask for {MIN_CELL_FLOOR} or more."
        )
    return value
