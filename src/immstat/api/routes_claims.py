"""Claim checker over HTTP: ``POST /api/v1/claims/extract`` and ``POST /api/v1/claims/verify``.

Same JSON as ``immstat claims extract|verify --format json``. The body is ``{text, date}``; text
is plain prose or YAML claims (verify), at most ``IMMSTAT_MAX_TEXT_KB`` (50 kB). Answers are cached
by (text, date) and computed under the request time limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from immstat.analysis.claims import extract
from immstat.analysis.claims.verify import verify
from immstat.api.answers import json_answer
from immstat.api.models import SourceRef
from immstat.present.http import errors
from immstat.present.requests import claim_text
from immstat.present.state import serve_state

router = APIRouter(prefix="/api/v1/claims", tags=["claims"])


class ClaimsRequest(BaseModel):
    text: str = Field(
        description="The text to check (plain prose; for verify also YAML claims), "
        "at most 50 kB of UTF-8.",
        examples=["CBP recorded more than 200,000 encounters in March 2022."],
    )
    date: str | None = Field(
        None,
        description="Document date YYYY-MM-DD: resolves 'this fiscal year', 'last month', 'now'.",
        examples=["2026-03-01"],
    )


class PeriodOut(BaseModel):
    label: str
    calendar: str | None = None
    start: str | None = Field(None, examples=["2022-03-01"])
    end: str | None = Field(None, examples=["2022-03-31"])


class ScopeOut(BaseModel):
    level: str = Field(examples=["national"])
    code: str | None = None
    name: str | None = None


class ClaimOut(BaseModel):
    """One numeric claim, as ``immstat claims extract --format json`` prints it."""

    value: float | None = Field(examples=[200000])
    low: float | None
    high: float | None
    qualifier: str | None = Field(examples=["more than"])
    bound: str = Field(description="eq | approx | gt | ge | lt | le | range", examples=["gt"])
    unit: str = Field(examples=["count"])
    kind: str | None = Field(examples=["encounters"])
    rate: str | None = Field(description="day | week | month | year, for rate claims")
    period: PeriodOut | None
    scope: ScopeOut
    quote: str = Field(description="The sentence the claim is in.")
    start: int = Field(description="Character offset of the claim in the text.")
    end: int
    text: str = Field(examples=["more than 200,000 encounters"])
    per: str | None
    comparison: str | None
    target: bool
    average: bool
    metric: str | None = Field(
        description="Mapped metric, or 'out_of_scope'.", examples=["cbp_encounters"]
    )
    rejected: str | None


class AcceptedOut(BaseModel):
    low: float | None
    high: float | None
    low_open: bool
    high_open: bool
    rule: str = Field(description="The tolerance rule in words.", examples=["more than 200,000"])


class CheckOut(BaseModel):
    """One candidate metric computed for the claim."""

    metric: str
    title: str
    unit: str
    status: str = Field(description="full | partial | no_data | not_applicable")
    reason: str
    value: float | None
    lower_bound: bool
    record_derived: bool
    synthetic: bool
    method: str
    where: dict[str, str]
    note: str
    covered: list[str] | None
    sources: list[SourceRef]


class VerdictOut(BaseModel):
    """The verdict on one claim, as ``immstat claims verify --format json`` prints it."""

    verdict: str = Field(
        description="supported | contradicted | unverifiable | out_of_scope", examples=["supported"]
    )
    label: str = Field(examples=["unverifiable (synthetic data only)"])
    reason: str = Field(
        description="Machine-readable reason (checked, no_data, partial, synthetic, ...)."
    )
    explanation: str
    quote: str
    text: str
    start: int
    end: int
    metric: str | None = Field(examples=["cbp_encounters"])
    metric_title: str | None
    value: float | None = Field(description="The computed value (per the claim's rate, if any).")
    unit: str | None
    lower_bound: bool = Field(
        description="True if the true value can only be higher (partial data, suppressed cells)."
    )
    synthetic: bool = Field(
        description="True if the value comes from synthetic data: never 'supported'."
    )
    period: PeriodOut | None
    scope: ScopeOut
    where: dict[str, str]
    method: str | None
    accepted: AcceptedOut | None
    sources: list[SourceRef]
    checks: list[CheckOut]
    notes: list[str]
    claim: ClaimOut


def _key(kind: str, text: str, doc_date: dt.date | None) -> tuple:
    return ("claims", kind, hashlib.sha256(text.encode("utf-8")).hexdigest(), str(doc_date))


def _answer(request: Request, body: ClaimsRequest, kind: str, compute) -> Response:
    limit = serve_state(request).limits.max_text_bytes
    text, doc_date = claim_text(body.text, body.date, limit)
    return json_answer(request, _key(kind, text, doc_date), lambda wh: compute(wh, text, doc_date))


def _extract(_wh, text: str, doc_date) -> list[dict[str, Any]]:
    return [c.to_dict() for c in extract(text, doc_date)]


def _verify(wh, text: str, doc_date) -> list[dict[str, Any]]:
    return [v.to_dict() for v in verify(wh, text, doc_date)]


BAD_INPUT = errors(400, 413, 422, 503)


@router.post(
    "/extract",
    response_model=list[ClaimOut],
    responses=BAD_INPUT,
    summary="Numeric claims in a text, with kind, period, scope and mapped metric.",
)
def extract_route(request: Request, body: ClaimsRequest) -> Response:
    return _answer(request, body, "extract", _extract)


@router.post(
    "/verify",
    response_model=list[VerdictOut],
    responses=BAD_INPUT,
    summary="Check each numeric claim of a text against the warehouse.",
)
def verify_route(request: Request, body: ClaimsRequest) -> Response:
    """Supported / contradicted / unverifiable / out of scope, with the computed value, metric,
    period, sources and release dates. Synthetic data never make a claim 'supported'."""
    return _answer(request, body, "verify", _verify)
