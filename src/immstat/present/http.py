"""The HTTP error contract every route shares: ``{"error": "..."}`` and the documented statuses.

A route lists the statuses it can answer with ``responses=ERRORS`` (or a subset), so
``/openapi.json`` documents each error the route may return.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    error: str = Field(examples=["Unknown metric 'arests'. Did you mean 'arrests'? Valid choices: ..."])


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "Invalid request: the message says how to fix it."),
        (403, "Refused by a privacy rule (e.g. an arbitrary date window on record-level data)."),
        (404, "Unknown metric, dimension, value or field office; the message lists valid names."),
        (413, "Over a serving limit (answer cells, text size): the message says how to narrow it."),
        (422, "Malformed parameter (wrong type or out of range)."),
        (500, "The chart renderer or PDF engine failed; the message says what to install."),
        (503, "The warehouse cannot be opened, or the request ran past the time limit."),
    )}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error responses for ``statuses``."""
    return {status: ERRORS[status] for status in statuses}
