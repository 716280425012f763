"""HTTP API through FastAPI's TestClient: contract with the CLI, errors, caching, privacy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from builders import leaked_keys
from immstat.cli.compose import build_app
from immstat.core import reference
from immstat.metrics import DIMENSIONS, all_metrics


@pytest.fixture(scope="module")
def client(api_db):
    with TestClient(build_app(api_db)) as c:
        yield c


def error_of(response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"], str) and body["error"] and "\n" not in body["error"]
    return body["error"]


# ------------------------------------------------------------------ simple routes
def test_health(client, api_db):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok" and body["warehouse"] == Path(api_db).name
    assert body["sources"] >= 2 and body["synthetic"] is True
    assert "/" not in body["warehouse"]


def test_metrics_match_registry(client):
    body = client.get("/api/v1/metrics").json()
    assert [m["name"] for m in body] == [m.name for m in all_metrics()]
    assert all(isinstance(m["mappable"], bool) for m in body)


def test_sources_show_file_names_only(client):
    body = client.get("/api/v1/sources").json()
    assert body and all("/" not in s["file_name"] and "path" not in s for s in body)
    assert any(s["synthetic"] for s in body) and any(not s["synthetic"] for s in body)


# ------------------------------------------------------------------ query contract
CLI_CASES = [
    ("arrests", ["--by", "aor", "--fy", "2025"], "by=aor&fy=2025"),
    ("arrests", ["--where", "aor=HOU,MIA", "--grain", "month", "--fy", "2025"],
     "where=aor=HOU,MIA&grain=month&fy=2025"),
    ("criminality_share", ["--by", "aor", "--grain", "fy"], "by=aor&grain=fy"),
    ("adp", ["--by", "state", "--fy", "2025"], "by=state&fy=2025"),
    ("arrests_per_day", ["--where", "criminality:convicted", "--from", "2024-10-01", "--to",
                         "2024-12-31", "--grain", "month"],
     "where=criminality:convicted&from=2024-10-01&to=2024-12-31&grain=month"),
]


@pytest.mark.parametrize(("metric", "args", "qs"), CLI_CASES)
def test_query_json_equals_cli(client, api_db, cli, metric, args, qs):
    done = cli("query", metric, *args, "--format", "json", "--db", api_db, check=True)
    response = client.get(f"/api/v1/query/{metric}?{qs}")
    assert response.status_code == 200, response.text
    assert response.json() == json.loads(done.stdout)


def test_query_csv_has_synthetic_header(client):
    synthetic = client.get("/api/v1/query/arrests?by=aor&fy=2025&format=csv")
    assert synthetic.headers["content-type"].startswith("text/csv")
    first, header, *rows = synthetic.text.splitlines()
    assert first.startswith("# SYNTHETIC DATA")
    assert header == "aor,value,suppressed,period_start,period_end,partial"
    real = client.get("/api/v1/query/adp?by=state&fy=2025&format=csv").text
    assert real.startswith("state,value,suppressed,period_start,period_end,partial\r\n")


def test_suppressed_cells_have_no_value(client):
    body = client.get("/api/v1/query/arrests?by=citizenship&from=2025-03-01"
                      "&to=2025-03-31").json()
    assert body["suppressed"] > 0
    cells = [dict(zip(body["columns"], row)) for row in body["rows"]]
    assert cells and body["columns"][-3:] == ["period_start", "period_end", "partial"]
    for cell in cells:
        assert (cell["value"] is None) == cell["suppressed"]


def test_etag_and_304(client):
    url = "/api/v1/query/arrests?by=criminality&fy=2025"
    first = client.get(url)
    etag = first.headers["etag"]
    assert etag.startswith('"') and "max-age" in first.headers["cache-control"]
    assert client.get(url).headers["etag"] == etag
    again = client.get(url, headers={"If-None-Match": f'"other", {etag}'})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get(url + "&format=csv", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_parameter_order_and_spelling_share_cache(client):
    a = client.get("/api/v1/query/arrests?by=aor&by=criminality&fy=2025")
    b = client.get("/api/v1/query/arrests?fy=2025&by=aor&by=criminality")
    assert a.headers["etag"] == b.headers["etag"]
    c = client.get("/api/v1/query/arrests?where=aor:HOU&fy=2025")
    d = client.get("/api/v1/query/arrests?where=aor=HOU&fy=2025")
    assert c.json() == d.json()


# ------------------------------------------------------------------ hostile input
LONG = "A" * 10_000
HOSTILE = [
    ("/api/v1/query/arrests'%3B%20DROP%20TABLE%20arrests%3B--", 404),
    ("/api/v1/query/..%2F..%2Fetc%2Fpasswd", 404),
    ("/api/v1/query/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 404),
    ("/api/v1/query/arr%00ests", 404),
    ("/api/v1/query/%F0%9F%92%A3%E2%80%AE%20arrests", 404),
    (f"/api/v1/query/{LONG}", 422),
    ("/api/v1/query/arrests?by=aor;DROP%20TABLE%20sources", 404),
    ("/api/v1/query/arrests?by=%00", 404),
    (f"/api/v1/query/arrests?by={LONG}", 404),
    ("/api/v1/query/arrests?by=aor&by=aor", 400),
    ("/api/v1/query/arrests?by=person_key", 404),
    ("/api/v1/query/arrests?where=aor=HOU'%20OR%201=1--", 404),
    ("/api/v1/query/arrests?where=aor", 400),
    (f"/api/v1/query/arrests?where=aor={LONG}", 400),
    ("/api/v1/query/arrests?where=person_key=P0000001", 404),
    ("/api/v1/query/arrests?where=criminality=%E2%9C%93%00", 404),
    ("/api/v1/query/arrests?fy=2025;DROP", 422),
    ("/api/v1/query/arrests?fy=1e309", 422),
    ("/api/v1/query/arrests?fy=99999999999999999999999", 422),
    ("/api/v1/query/arrests?fy=2025&from=2025-01-01", 400),
    ("/api/v1/query/arrests?from=2025-13-45&grain=day", 400),
    ("/api/v1/query/arrests?from=..%2F..%2Fetc%2Fpasswd&grain=day", 422),
    ("/api/v1/query/arrests?from=%00&grain=day", 400),
    ("/api/v1/query/arrests?by=aor&from=2025-01-05&to=2025-02-09", 403),  # offices: whole months
    ("/api/v1/query/arrests?by=state&grain=day", 403),
    ("/api/v1/query/arrests?grain=%3Cscript%3E", 422),
    ("/api/v1/query/arrests?format=xml", 422),
    ("/api/v1/query/arrests?as_of=yesterday", 400),
    ("/api/v1/query/arrests?from=2025-01-01&to=9999-12-31", 400),
    ("/api/v1/query/arrests?fy=2100", 400),
    ("/api/v1/nope", 404),
    ("/api/v1/../../etc/passwd", 404),
]


@pytest.mark.parametrize(("url", "status"), HOSTILE)
def test_hostile_input_is_a_helpful_4xx(client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.text[:300]
    message = error_of(response)
    assert len(message) < 2_000 and "Traceback" not in message


def test_writes_are_refused(client):
    response = client.post("/api/v1/query/arrests")
    assert response.status_code == 405 and "read-only" in error_of(response)


@pytest.mark.parametrize("value", ["../../etc/passwd", "'; DROP TABLE arrests; --", LONG[:100],
                                   "\u202e\U0001f4a3", "0' OR '1'='1"])
def test_free_text_filter_values_are_literals(client, value):
    """Free-text dimensions (county, method) accept any short string as a literal, never SQL."""
    response = client.get("/api/v1/query/arrests", params={"where": f"method={value}", "fy": 2025})
    assert response.status_code == 200
    body = response.json()
    cells = [dict(zip(body["columns"], row)) for row in body["rows"]]
    assert all(c["value"] in (None, 0) or c["suppressed"] for c in cells)


# ------------------------------------------------------------------ OpenAPI
def test_openapi_documents_every_parameter_with_examples(client):
    spec = client.get("/openapi.json").json()
    ops = [(p, op) for p, item in spec["paths"].items() if p.startswith("/api/")
           for op in item.values()]
    assert {p for p, _ in ops} >= {"/api/v1/health", "/api/v1/metrics", "/api/v1/sources",
                                   "/api/v1/query/{metric}"}
    missing = [(path, param["name"]) for path, op in ops for param in op.get("parameters", [])
               if not ("example" in param or "examples" in param or "examples" in param["schema"])]
    assert not missing, f"parameters without examples: {missing}"
    for path, op in ops:
        for status, response in op["responses"].items():
            assert response.get("description"), (path, status)
            for media in response.get("content", {}).values():
                assert "schema" in media or "example" in media, (path, status)


# ------------------------------------------------------------------ privacy: walk every route
def sample_urls(app) -> list[str]:
    """One or more GET URLs for every route of the app, with sample path and query values."""
    facility = reference.read_csv_rows("reference", "facilities.csv")[0]["facility_code"]
    samples = {"metric": [m.name for m in all_metrics()], "aor": ["HOU", "MIA"],
               "facility": [facility, "LAFAYLA"], "county": ["48201"], "fips": ["48201"],
               "state": ["TX"], "level": ["state", "aor", "county"]}
    urls = []
    for route in iter_route_contexts(app.routes):  # flattens included routers
        path = route.path or ""
        if "GET" not in (getattr(route, "methods", None) or {"GET"}):
            continue
        variants = [""]
        segments = path.split("/")
        for i, seg in enumerate(segments):
            if seg.startswith("{"):
                name = seg[1:-1].split(":")[0]
                values = samples.get(segments[i - 1]) or samples.get(name) or ["x"]
                variants = [f"{v}/{value}" for v in variants for value in values]
            elif i:
                variants = [f"{v}/{seg}" for v in variants]
        urls += [v or "/" for v in variants]
        if path == "/api/v1/query/{metric}":
            for m in all_metrics():
                for dim in m.dimensions:
                    grain = "&grain=month" if DIMENSIONS[dim].fine_geography else ""
                    urls.append(f"/api/v1/query/{m.name}?by={dim}&fy=2025{grain}")
                urls.append(f"/api/v1/query/{m.name}?grain=month&fy=2025&format=csv")
    return urls


def test_no_route_returns_person_level_data(client, api_person_keys):
    keys = api_person_keys
    assert keys, "the test warehouse must hold person keys for this test to mean anything"
    urls = sample_urls(client.app)
    assert len(urls) > 50
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.text[:300])
        text = response.text
        assert "person_key" not in text, url
        leaked = leaked_keys(text, keys)
        assert not leaked, (url, leaked[:3])
