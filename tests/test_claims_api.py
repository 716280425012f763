"""Claim checker over HTTP and on the dashboard: contract, 4xx errors, OpenAPI models, the
/claims page (form, highlighted quotes, verdict badges, SYNTHETIC badge, escaping)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from immstat.cli.compose import build_app

TEXT = ("CBP recorded more than 200,000 encounters in March 2022. "
        "ICE made 1,200 arrests a day in May 2025. "
        "Immigration courts face a backlog of 3.7 million pending cases.")


@pytest.fixture(scope="module")
def client(mixed_demo_db):
    with TestClient(build_app(mixed_demo_db)) as c:
        yield c


def test_verify_route(client):
    r = client.post("/api/v1/claims/verify", json={"text": TEXT, "date": "2026-03-01"})
    assert r.status_code == 200 and r.headers["etag"]
    rows = r.json()
    assert [x["verdict"] for x in rows] == ["supported", "unverifiable", "out_of_scope"]
    assert rows[0]["value"] == 250_404 and rows[0]["metric"] == "cbp_encounters"
    assert rows[0]["sources"] and all(s["release_date"] for s in rows[0]["sources"])
    assert rows[1]["verdict"] == "unverifiable"  # May 2025 arrests: synthetic or no data, never supported
    assert rows[1]["synthetic"] == any(s["synthetic"] for s in rows[1]["sources"])
    assert TEXT[rows[0]["start"]:rows[0]["end"]] == rows[0]["text"]
    again = client.post("/api/v1/claims/verify", json={"text": TEXT, "date": "2026-03-01"})
    assert again.content == r.content  # cached, identical


def test_extract_route(client):
    rows = client.post("/api/v1/claims/extract", json={"text": TEXT}).json()
    assert [x["metric"] for x in rows] == ["cbp_encounters", "arrests_per_day", "out_of_scope"]
    assert rows[0]["period"]["start"] == "2022-03-01" and rows[0]["bound"] == "gt"


@pytest.mark.parametrize("body,status,words", [
    ({"text": ""}, 400, "empty"),
    ({"text": "   \n"}, 400, "empty"),
    ({"text": "ICE " * 12_501}, 413, "50 kB"),
    ({"text": "ICE arrested 1,000 people.", "date": "2026-13-01"}, 400, "YYYY-MM-DD"),
    ({}, 422, "text"),
    ({"text": ["a"]}, 422, "text"),
])
@pytest.mark.parametrize("route", ["extract", "verify"])
def test_bad_input(client, route, body, status, words):
    r = client.post(f"/api/v1/claims/{route}", json=body)
    assert r.status_code == status
    error = r.json()["error"]
    assert words in error and "\n" not in error


def test_openapi_models(client):
    spec = client.get("/openapi.json").json()
    for route in ("extract", "verify"):
        post = spec["paths"][f"/api/v1/claims/{route}"]["post"]
        assert "requestBody" in post and {"200", "400", "413", "422"} <= set(post["responses"])
    schemas = spec["components"]["schemas"]
    assert {"ClaimsRequest", "ClaimOut", "VerdictOut", "CheckOut"} <= set(schemas)
    assert {"verdict", "value", "sources", "accepted"} <= set(schemas["VerdictOut"]["properties"])


def test_claims_page_form(client):
    r = client.get("/claims")
    assert r.status_code == 200
    assert '<textarea id="claims-text" name="text"' in r.text and '<label for="claims-text">' in r.text
    assert 'href="/claims"' in r.text  # in the navigation


def test_claims_page_results(client):
    text = TEXT + " <script>alert('x')</script>"
    r = client.post("/claims", data={"text": text, "date": "2026-03-01"})
    assert r.status_code == 200
    html = r.text
    assert '<mark class="v-supported"><a href="#claim-1"' in html
    assert 'data-verdict="contradicted"' not in html and 'data-verdict="supported"' in html
    assert 'data-verdict="out_of_scope"' in html and 'class="badge v-unverifiable"' in html
    assert "cbp-nationwide-encounters-fy20-fy23-state.csv" in html and "250,404" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_claims_page_marks_synthetic_results(synthetic_claims_db):
    with TestClient(build_app(synthetic_claims_db)) as c:
        html = c.post("/claims", data={"text": "ICE made 1,200 arrests a day in May 2025.",
                                       "date": "2026-03-01"}).text
    assert "SYNTHETIC" in html and 'data-testid="synthetic-badge"' in html
    assert 'class="badge v-unverifiable"' in html and 'data-verdict="supported"' not in html


def test_claims_page_get_and_errors(client):
    r = client.get("/claims", params={"text": "CBP recorded more than 200,000 encounters in March 2022."})
    assert r.status_code == 200 and 'data-verdict="supported"' in r.text
    empty = client.post("/claims", data={"text": " "})
    assert empty.status_code == 400 and 'data-testid="claims-error"' in empty.text
    none = client.post("/claims", data={"text": "The weather was fine on Tuesday."})
    assert none.status_code == 200 and 'data-testid="claims-none"' in none.text
