"""Targets vs pace and the capacity model over HTTP (same JSON as the CLI's --format json)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from immstat.analysis.capacity import capacity, validate_history
from immstat.analysis.targets import pace
from immstat.api.answers import json_answer
from immstat.present.http import ERRORS

router = APIRouter(prefix="/api/v1", tags=["targets"])

AsOf = Annotated[str | None, Query(max_length=10, description="Measure up to / use releases up to "
                                   "this date (YYYY-MM-DD).", examples=["2026-04-30"])]


@router.get("/targets", responses=ERRORS, summary="Publicly stated targets vs actual pace.")
def targets(request: Request, as_of: AsOf = None) -> Response:
    """Each bundled target: actuals by day/week/month, cumulative gap, required rate, projection
    with band, per-office ranking, published real-data comparison, sources and assumptions."""
    return json_answer(request, ("targets", as_of), lambda wh: [p.to_dict() for p in pace(wh, as_of=as_of)])


@router.get(
    "/capacity", responses=ERRORS, summary="Little's law what-if: beds, removals, time to steady state."
)
def capacity_route(
    request: Request,
    arrests_per_day: Annotated[
        float, Query(ge=0, le=100_000, description="ICE arrests per day.", examples=[3000])
    ],
    alos: Annotated[
        float | None,
        Query(
            gt=0,
            le=1000,
            description="Average stay (days) of ICE-arrested detainees; default: published.",
            examples=[45],
        ),
    ] = None,
    beds: Annotated[
        float | None, Query(gt=0, le=2_000_000, description="Bed capacity.", examples=[60000])
    ] = None,
    removals_per_year: Annotated[
        float | None,
        Query(gt=0, le=10_000_000, description="Removals a year to reach.", examples=[1000000]),
    ] = None,
    book_in_share: Annotated[
        float | None,
        Query(
            gt=0,
            le=1,
            description="Share of ICE arrests booked into detention; default: published.",
            examples=[0.8],
        ),
    ] = None,
    other_admissions: Annotated[
        float | None,
        Query(
            ge=0,
            le=100_000,
            description="CBP-arrest book-ins per day; default: published.",
            examples=[120],
        ),
    ] = None,
    as_of: AsOf = None,
) -> Response:
    """Beds needed for N arrests a day (L = λ·W), with every assumption and its source."""
    params: dict[str, Any] = dict(
        alos=alos,
        beds=beds,
        removals_per_year=removals_per_year,
        book_in_share=book_in_share,
        other_admissions=other_admissions,
        as_of=as_of,
    )
    key = ("capacity", arrests_per_day, json.dumps(params, sort_keys=True))
    return json_answer(request, key, lambda wh: capacity(wh, arrests_per_day, **params).to_dict())


@router.get(
    "/capacity/history",
    responses=ERRORS,
    summary="Little's law on history: predicted vs published ADP per fiscal year.",
)
def capacity_history(request: Request, as_of: AsOf = None) -> Response:
    return json_answer(request, ("capacity-history", as_of), lambda wh: validate_history(wh, as_of))
