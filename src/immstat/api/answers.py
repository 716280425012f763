"""Cached answers as HTTP responses: JSON bodies with a strong ETag, and 304 on a match."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from immstat.metrics import Warehouse
from immstat.present.state import Rendered, serve_state

CACHE_CONTROL = "public, max-age=300"


def json_body(data: Any) -> Rendered:
    body = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    return Rendered(body.encode(), "application/json")


def json_answer(request: Request, key: Hashable, compute: Callable[[Warehouse], Any]) -> Response:
    """``compute(warehouse)`` as JSON, cached by ``key`` (computed under the request time limit)."""
    state = serve_state(request)
    return respond(request, state.cached(key, lambda: json_body(compute(state.warehouse()))))


def respond(request: Request, rendered: Rendered, headers: dict[str, str] | None = None) -> Response:
    """The rendered answer with its ETag; for GET, 304 Not Modified when If-None-Match has it."""
    headers = {"ETag": rendered.etag, **(headers or {})}
    if request.method == "GET":
        headers.setdefault("Cache-Control", CACHE_CONTROL)
        if etag_matches(request.headers.get("if-none-match"), rendered.etag):
            return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags
