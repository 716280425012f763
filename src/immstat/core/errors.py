"""Every error ImmStat raises on purpose.

All inherit from :class:`ImmstatError`, whose message says what went wrong *and how to fix it*;
the CLI prints it on one line and exits 1, the HTTP API turns it into a 4xx.

    ImmstatError
    ├── SourceError            a file cannot be read as any supported source
    │   ├── UnknownSource      no manifest entry recognises the file
    │   ├── HeaderNotFound     no row carries the expected column names
    │   └── MissingColumns     the header lacks required columns
    ├── IngestError            the warehouse refused a load (nothing was written)
    ├── WarehouseError         the DuckDB file is missing, locked or from another version
    ├── QueryError             a query was asked for something invalid
    │   ├── UnknownName        unknown metric / dimension / value (lists valid names)
    │   ├── PrivacyError       the query would break a privacy rule
    │   └── LimitError         over a serving limit (answer cells, text size; says how to narrow)
    │       └── TimeLimit      the computation took longer than the request time limit
    ├── ConfigError            a settings / targets / claims file is invalid
    └── ReportError            a report cannot be drawn or printed (chart or PDF engine)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ImmstatError(Exception):
    """Base class: ``str(err)`` is a complete, one-line, fix-telling message."""

    http_status = 400


class SourceError(ImmstatError):
    """A file could not be read."""

    http_status = 422


class UnknownSource(SourceError):
    """No source in the registry recognises the file."""


class HeaderNotFound(SourceError):
    """No header row with the expected column names was found."""


class MissingColumns(SourceError):
    """The header row lacks columns the source requires."""


class IngestError(ImmstatError):
    """The warehouse refused a load; the warehouse is unchanged."""

    http_status = 409


class WarehouseError(ImmstatError):
    """The warehouse file cannot be used."""

    http_status = 503


class QueryError(ImmstatError):
    """A query asked for something invalid."""


class UnknownName(QueryError):
    """An unknown metric, dimension or value; the message lists valid names."""

    http_status = 404

    def __init__(self, kind: str, name: str, valid: Iterable[str]):
        valid = sorted(valid)
        close = difflib.get_close_matches(str(name)[:200], valid, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        shown = _shorten(str(name))
        super().__init__(f"Unknown {kind} {shown!r}.{hint} Valid choices: {', '.join(valid)}.")
        self.kind, self.name, self.valid = kind, name, valid


class PrivacyError(QueryError):
    """The query would break a privacy rule (see README, 'Privacy rules')."""

    http_status = 403


class LimitError(QueryError):
    """A request is over a serving limit (answer cells, text size); the message says how to narrow."""

    http_status = 413


class TimeLimit(LimitError):
    """A request's computation ran past the time limit and was stopped."""

    http_status = 503


class ConfigError(ImmstatError):
    """A configuration or reviewed-data file is invalid."""


class ReportError(ImmstatError):
    """A report could not be rendered (chart renderer or PDF engine missing or failing)."""

    http_status = 500


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + f"…({len(text)} chars)"
