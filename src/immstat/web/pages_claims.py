"""``/claims``: "check a text" — paste prose, see each numeric claim highlighted with its verdict.

A plain HTML form (POST, or GET with ``?text=`` for shareable links) and a server-rendered
result; no JavaScript needed. Numbers come from :func:`immstat.analysis.claims.verify.verify`.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.analysis.claims.verify import verify
from immstat.core.errors import ImmstatError
from immstat.core.formats import MISSING, fmt_value
from immstat.present.requests import body_limit, claim_text
from immstat.present.state import serve_state
from immstat.web.render import render

router = APIRouter(include_in_schema=False)
EXAMPLE = ("CBP recorded more than 200,000 encounters in March 2022, and nearly 2.8 million in fiscal year "
           "2022. ICE held about 39,000 people in detention in March 2024. ICE made 1,200 arrests a day in "
           "May 2025. Immigration courts face a backlog of 3.7 million pending cases.")


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, text: str | None = None, date: str | None = None) -> HTMLResponse:
    return _page(request, text, date)


@router.post("/claims", response_class=HTMLResponse)
async def claims_post(request: Request) -> HTMLResponse:
    limit = serve_state(request).limits.max_text_bytes
    body = await request.body()
    if len(body) > body_limit(limit):  # form encoding grows text up to 3×
        return _page(request, None, None, status=413,
                     message=f"The text is too long; the limit is {limit:,} bytes.")
    form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return _page(request, (form.get("text") or [""])[0], (form.get("date") or [""])[0])


def _page(request: Request, text: str | None, date: str | None, status: int = 200,
          message: str = "") -> HTMLResponse:
    verdicts, segments = [], []
    if text is not None and not message:
        try:
            state = serve_state(request)
            text, doc_date = claim_text(text, date, state.limits.max_text_bytes)
            verdicts = state.run(lambda wh: verify(wh, text, doc_date))
            segments = highlight(text, verdicts)
        except ImmstatError as exc:
            status, message = exc.http_status, str(exc)
    rows = [view(v.to_dict()) for v in verdicts]
    sources = {s["source_id"]: s for r in rows for s in r["read"]}
    counts = {k: sum(r["verdict"] == k for r in rows) for k in ("supported", "contradicted", "unverifiable",
                                                               "out_of_scope")}
    return render("claims.html", status, title="Check a text", active="/claims", text=text or "",
                  date=date or "", rows=rows, segments=segments, message=message, example=EXAMPLE,
                  counts=counts, synthetic=any(r["synthetic"] for r in rows),
                  sources=sorted(sources.values(), key=lambda s: s["source_id"]), charts=False)


KINDS = {"share": "share", "change": "change", "multiple": "multiple", "per_office": "per field office"}


def view(row: dict) -> dict:
    """A verdict's JSON plus what the page prints: the compared value with its unit, the kind of
    comparison, its inputs (a share's part and whole, a change's two periods, each office's value)
    and every file read (the base period's files too), in first-read order."""
    comparison = row.get("comparison") or {}
    kind = comparison.get("kind")
    inputs = [(label, comparison[side]) for side, label in (("current", "compared"), ("base", "against"))
              if comparison.get(side)] if kind in ("share", "change", "multiple") else []
    offices = sorted((comparison.get("offices") or {}).items(), key=lambda kv: -kv[1])
    read: dict[int, dict] = {}
    for src in [*row["sources"], *(s for _, ev in inputs for s in ev.get("sources") or [])]:
        read.setdefault(src["source_id"], src)
    return {**row, "kind": KINDS.get(kind or ""), "shown": shown(row["value"], row["unit"], kind),
            "inputs": [(label, ev, fmt_value(ev.get("value"), ev.get("unit") or ""))
                       for label, ev in inputs], "offices": offices, "read": list(read.values())}


def shown(value: float | None, unit: str | None, kind: str | None) -> str:
    """The number the data give, as the claim would write it (38.2%, 2.4×, 12.3 per field office)."""
    if value is None:
        return MISSING
    if unit == "percent":
        return f"{value:+.1f}%" if kind == "change" else f"{value:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}×"
    if unit == "days":
        return f"{fmt_value(value)} days"
    return fmt_value(value) + (" per field office" if kind == "per_office" else "")


def highlight(text: str, verdicts) -> list[tuple[str, int | None, str | None]]:
    """The text as (piece, claim number or None, verdict) segments; overlapping claims keep the first."""
    out: list[tuple[str, int | None, str | None]] = []
    pos = 0
    for n, v in enumerate(verdicts, 1):
        start, end = v.claim.start, v.claim.end
        if start < pos or end > len(text) or text[start:end] != v.claim.text:
            continue  # YAML claims have no place in the text
        if start > pos:
            out.append((text[pos:start], None, None))
        out.append((text[start:end], n, v.verdict))
        pos = end
    out.append((text[pos:], None, None))
    return out
