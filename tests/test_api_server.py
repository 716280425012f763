"""The API on a real uvicorn server (loopback, free port): main flows and schemathesis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def test_main_flows_over_http(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as http:
        assert http.get("/api/v1/health").json()["status"] == "ok"
        names = [m["name"] for m in http.get("/api/v1/metrics").json()]
        assert "arrests" in names
        first = http.get("/api/v1/query/arrests", params={"by": "aor", "fy": 2025})
        assert first.status_code == 200 and first.json()["metric"] == "arrests"
        cached = http.get("/api/v1/query/arrests", params={"by": "aor", "fy": 2025},
                          headers={"If-None-Match": first.headers["etag"]})
        assert cached.status_code == 304
        bad = http.get("/api/v1/query/..%2F..%2Fetc%2Fpasswd")
        assert bad.status_code == 404 and set(bad.json()) == {"error"}
        huge = http.get("/api/v1/query/arrests", params={"where": "aor=" + "A" * 10_000})
        assert huge.status_code == 400 and set(huge.json()) == {"error"}


def test_concurrent_clients_get_identical_answers(live_server):
    from concurrent.futures import ThreadPoolExecutor

    urls = [f"/api/v1/query/arrests?by=criminality&grain=month&fy={fy}" for fy in (2024, 2025)] * 10

    def fetch(url):
        with httpx.Client(base_url=live_server, timeout=60) as http:
            return url, http.get(url).text

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(fetch, urls))
    by_url: dict[str, set] = {}
    for url, text in answers:
        by_url.setdefault(url, set()).add(text)
    assert all(len(texts) == 1 for texts in by_url.values())


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors_or_schema_violations(live_server, tmp_path):
    report = tmp_path / "junit.xml"
    run = subprocess.run(
        [SCHEMATHESIS, "run", f"{live_server}/openapi.json", "--checks",
         "not_a_server_error,response_schema_conformance,status_code_conformance,"
         "content_type_conformance", "--max-examples", "30", "--phases", "examples,fuzzing",
         "--include-path-regex", "^/api/", "--report", "junit", "--report-junit-path", str(report),
         "--no-color", "--seed", "6", "--request-timeout", "60"],  # a PDF brief on 2 busy cores
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 failures" in run.stdout.replace("No failures", "0 failures") or "passed" in run.stdout


def test_openapi_over_http_is_valid_json(live_server):
    spec = json.loads(httpx.get(f"{live_server}/openapi.json", timeout=30).text)
    assert spec["info"]["title"] == "ImmStat API"
