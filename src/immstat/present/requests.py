"""Size rules for what HTTP clients send: the claim checker's text and any request body.

:func:`claim_text` validates the ``{text, date}`` of a claims request (API and dashboard alike);
:class:`BodyLimit` is an ASGI middleware that refuses a request body larger than the server
will read (413, before the body is parsed), so no route ever holds a huge upload in memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from immstat.core.errors import ImmstatError, LimitError
from immstat.core.parse import parse_date

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]
BODY_OVERHEAD = 4  # a form or JSON body may escape text to up to ~4x its size (%XX, \uXXXX)


def claim_text(text: str | None, date: str | None, max_bytes: int) -> tuple[str, dt.date | None]:
    """The text and document date of a claims request, or a 4xx error that says how to fix it."""
    text = text or ""
    if not text.strip():
        raise ImmstatError("The text is empty; paste a paragraph with numbers to check.")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise LimitError(f"The text is {size:,} bytes; the limit is {max_bytes:,} bytes "
                         f"({max_bytes / 1000:g} kB). Check a shorter excerpt.")
    return text, parse_date(date, "date", ImmstatError)


def body_limit(max_text_bytes: int) -> int:
    """The largest request body read for texts of up to ``max_text_bytes``."""
    return BODY_OVERHEAD * max_text_bytes + 4096


class BodyLimit:
    """ASGI middleware: a body over ``max_bytes`` gets a one-line JSON 413 and is never parsed."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        messages: list[Message] = []
        size, more = 0, True
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(send)
                return
            more = message.get("more_body", False)

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": f"The request body is larger than {self.max_bytes:,} bytes; "
                                    "send a shorter text."}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
