"""Synthetic data never makes a claim "supported" — absolute, relative (shares, changes,
multiples) and per-office claims alike. The warehouse (conftest ``synthetic_claims_db``) holds only
a SYNTHETIC FOIA release, so the tests do not depend on what the demo bundles."""

from __future__ import annotations

import datetime as dt

import pytest

from immstat import Warehouse
from immstat.analysis.claims.verify import verify

DOC = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def synthetic_wh(synthetic_claims_db):
    with Warehouse(synthetic_claims_db, read_only=True) as wh:
        yield wh


def one(wh, text: str):
    verdicts = verify(wh, text, DOC)
    assert len(verdicts) == 1, [v.claim.text for v in verdicts]
    return verdicts[0]


@pytest.mark.parametrize("template", [
    "ICE made {v} arrests in May 2025.", "ICE made about {v} arrests in May 2025.",
    "ICE made more than 100 arrests in May 2025.", "ICE made at least 10 arrests in fiscal year 2025.",
    "ICE issued {v} detainers in fiscal year 2025.",  # (its May 2025 total is suppressed here)
])
def test_synthetic_is_never_supported(synthetic_wh, template):
    exact = synthetic_wh.query("arrests", date_from="2025-05-01", date_to="2025-05-31").value()
    v = one(synthetic_wh, template.format(v=f"{exact:,.0f}"))
    assert v.synthetic and v.verdict == "unverifiable" and v.reason == "synthetic"
    assert v.label == "unverifiable (synthetic data only)" and v.value is not None
    assert "synthetic" in v.explanation.lower() and all(s["synthetic"] for s in v.sources)


@pytest.mark.parametrize("text", [
    "ICE arrests in May 2025 doubled from the same month a year earlier.",
    "ICE arrests rose 40 percent in May 2025 compared with May 2024.",
    "ICE made about 40 arrests a day per field office in May 2025.",
    "Almost half of those arrested by ICE in fiscal 2025 had no criminal conviction.",
    "ICE arrests in fiscal 2025 were 15 percent higher than in fiscal 2024.",
])
def test_relative_and_per_office_claims_on_synthetic_data_are_never_supported(synthetic_wh, text):
    v = one(synthetic_wh, text)
    assert (v.verdict, v.reason, v.label) == ("unverifiable", "synthetic", "unverifiable (synthetic data only)")
    assert v.synthetic and "synthetic" in v.explanation.lower() and v.value is not None
    assert v.to_dict()["synthetic"] is True and v.to_dict()["comparison"]
