"""Dashboard pages over HTTP (no browser): every page renders, numbers match the API, unknown
codes get a friendly 404, hostile parameters never give a 5xx, provenance is on the page.

The warehouse is the demo-like ``web_db`` (tests/builders.py ``build_web``; deterministic, so small cells are known): the bundled
real facility population (FY2025) plus synthetic arrests FY2024-25, of which Vermont gets only 5,
so its cells are suppressed.
"""

from __future__ import annotations

import re
import warnings

import pytest

from builders import FY, SMALL_STATE


@pytest.fixture(scope="module")
def client(web_db):
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    with TestClient(build_app(web_db)) as c:
        yield c


PAGES = ["/", f"/?fy={FY}", "/map", "/map?level=state", "/map?level=county&month=2025-03",
         "/map?level=state&per_capita=1", "/map?metric=adp&level=state", "/aor/HOU", "/aor/hou",
         "/facility/ABQHOLD", "/detention", "/encounters"]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_with_sources_footer(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert "Sources for this page" in html
    assert "<script src=\"https://" not in html and "cdn" not in html.lower()


def test_synthetic_badge_only_where_synthetic_numbers_are(client):
    assert 'data-testid="synthetic-badge"' in client.get("/").text  # arrests are synthetic
    assert 'data-testid="synthetic-badge"' not in client.get("/facility/ABQHOLD").text  # real


def test_record_history_is_named_from_its_own_files(client):
    """Synthetic FY2024-25 records are never called ICE's FY2016–FY2019 FOIA release."""
    for url in ("/", "/aor/HOU"):
        html = re.sub(r"\s+", " ", client.get(url).text)
        assert "SYNTHETIC records in ICE's FOIA layout, FY2024–FY2025" in html and "SYNTHETIC record-level arrests and removals" in html, url
        assert "2019-ICFO-53623" not in html and "FY2016" not in html, url


def test_provenance_lists_file_release_and_sha(client):
    sources = client.get("/api/v1/sources").json()
    facility = next(s for s in sources if s["kind"] == "ddp_facility_daily_population")
    html = client.get("/detention").text
    assert facility["file_name"] in html and facility["sha256"][:12] in html
    assert str(facility["release_date"]) in html


def test_csv_links_return_the_chart_numbers(client):
    html = client.get("/aor/HOU").text
    links = re.findall(r'href="(/api/v1/query/[^"]+format=csv)"', html)
    assert links
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("url,needle", [("/aor/XXX", "No field office"),
                                        ("/facility/NOSUCH", "No facility"),
                                        ("/facility/%3Cscript%3E", "No facility"),
                                        ("/county/99999", "No county")])
def test_unknown_codes_get_a_friendly_404(client, url, needle):
    response = client.get(url)
    assert response.status_code == 404
    assert needle in response.text and "<script>" not in response.text.split("<main")[1]


def test_county_click_target_redirects_to_its_field_office(client):
    response = client.get("/county/48201", follow_redirects=False)  # Harris County, TX
    assert response.status_code == 303 and response.headers["location"] == "/aor/HOU"


@pytest.mark.parametrize("query", ["fy=abc", "fy=1850", "metric=persons_arrested", "metric=%27;DROP",
                                   "level=facility", "month=2031-13", "per_capita=yes",
                                   "metric=" + "x" * 5000, "level=%E2%98%83"])
def test_bad_filters_fall_back_with_a_notice(client, query):
    response = client.get(f"/map?{query}")
    assert response.status_code == 200
    assert 'class="notice"' in response.text


def test_small_state_is_suppressed_on_the_page(client):
    html = client.get(f"/map?metric=arrests&level=state&fy={FY}").text
    api = client.get("/api/v1/query/arrests", params={"by": "state", "fy": FY}).json()
    assert [SMALL_STATE, None, True] in [r[:3] for r in api["rows"]]
    listed = re.search(r'data-testid="suppressed-areas">(.*?)</p>', html, re.S).group(1)
    assert "Suppressed (&lt;11)" in listed and "Vermont" in listed
