"""Dashboard pages on the real demo (bundled ICE, CBP and 287(g) files, no synthetic source): every
page leads with published figures that equal the API, says which days they cover and which source
family they come from, shows what ICE's latest release changed, and the 287(g) and data-health
views; the API routes for the revision ledger and the checks return the CLI's JSON.

Goldens are ICE's published figures (issues 13, 17 and 19): ERO statistics arrests FY2023 146,474,
86% of the 170,590 ICE reported; FY2026 year-to-date ADP 66,978 through 4 Apr 2026 (the 9 Apr 2026
release; 67,973 in the 12 Feb 2026 release); 741 agencies on ICE's 287(g) list of 13 Aug 2025.
"""

from __future__ import annotations

import json
import re
import warnings
from html import unescape
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from immstat.analysis.health import CHECKS

PAGES = ["/", "/?fy=2023", "/map", "/map?g287=1", "/map?metric=cbp_encounters&level=state",
         "/aor/HOU", "/detention", "/encounters", "/287g", "/287g?state=TX", "/health",
         "/targets", "/capacity", "/facility/EROFCB"]


@pytest.fixture(scope="module")
def client(demo_db):
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    with TestClient(build_app(demo_db)) as c:
        yield c


@pytest.fixture(scope="module")
def pages(client) -> dict[str, str]:
    out = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        out[url] = response.text
    return out


def api_value(client, metric: str, **params) -> float | None:
    """The value of a one-cell answer (with ``grain="fy"``: the row of ``fy``)."""
    body = client.get(f"/api/v1/query/{metric}", params=params).json()
    rows = [dict(zip(body["columns"], r)) for r in body["rows"]]
    if "fiscal_year" in body["columns"]:
        rows = [r for r in rows if r["fiscal_year"] == int(params["fy"])]
    assert len(rows) == 1, body
    return rows[0]["value"]


def specs(html: str) -> dict[str, dict]:
    found = re.findall(r'<script type="application/json" id="([\w-]+)-spec">(.*?)</script>', html, re.S)
    return {key: json.loads(text) for key, text in found}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# ------------------------------------------------------------------ real numbers lead
def test_no_page_is_synthetic(pages):
    for url, html in pages.items():
        assert 'data-testid="synthetic-badge"' not in html, url


def test_overview_tiles_equal_the_api_for_their_own_year(client, pages):
    tiles = re.findall(r'data-metric="(\w+)" data-fy="(\d+)" data-value="([^"]+)"', pages["/"])
    assert {m for m, _, _ in tiles} >= {"ero_stats_arrests", "detention_stats_removals",
                                        "detention_stats_adp", "usbp_encounters_monthly"}
    for metric, fy, shown in tiles:
        expected = api_value(client, metric, fy=fy, grain="fy")
        assert float(shown) == pytest.approx(expected, rel=1e-12), metric


def test_tiles_say_to_date_through_the_data_end(pages):
    page = text(pages["/"])
    assert "66,978 people, FY2026 to date (through 4 April 2026)" in page
    assert "FY2025 to date (through 31 December 2024)" in page  # ERO statistics end with Q1
    assert "FY2026 to date (through 31 July 2026)" in page  # Border Patrol, monthly to July


def test_coverage_is_stated_with_icEs_total(pages):
    page = text(pages["/?fy=2023"])
    assert "146,474" in page
    assert "covers 86% of the 170,590 arrests ICE reported for FY2023" in page


def test_changes_are_like_for_like(client, pages):
    whole = text(pages["/?fy=2023"])
    assert "+19.6% vs FY2022 FY2022: 122,443" in whole  # 146,474 against 122,443, whole years
    latest = text(pages["/"])
    # FY2025 to 31 Dec 2024 against Oct-Dec 2023, never against all of FY2024
    same = api_value(client, "ero_stats_arrests", **{"from": "2023-10-01", "to": "2023-12-31"})
    now = api_value(client, "ero_stats_arrests", fy=2025)
    assert f"{(now - same) / same * 100:+.1f}% vs the same days of FY2024 (1 Oct–31 Dec)" in latest
    # ADP to 4 Apr 2026: the published months cut at the last whole one, against the same
    # months of FY2025 (day-weighted means of ICE's monthly figures)
    now, same = (api_value(client, "detention_stats_adp", **{"from": f"{y - 1}-10-01", "to": f"{y}-03-31"})
                 for y in (2026, 2025))
    assert f"{(now - same) / same * 100:+.1f}% vs the same days of FY2025 (1 Oct–31 Mar)" in latest
    assert f"FY2025, 1 Oct 2024–31 Mar 2025: {same:,.0f}" in latest


def test_freshness_line_on_the_overview(pages):
    fresh = re.search(r'data-testid="freshness">(.*?)</ul>', pages["/"], re.S).group(1)
    assert "No new detention statistics since 9 Apr 2026" in fresh
    assert "ICE published every two weeks before" in fresh
    assert "Record-level FOIA releases: newest release" in fresh  # the 2019 release's kinds count


def test_every_panel_names_one_source_family(pages):
    for url in ("/", "/aor/HOU", "/detention"):
        figures = re.findall(r'<figure class="card.*?</figure>', pages[url], re.S)
        assert figures
        for fig in figures:
            families = re.findall(r'<p class="family (family-\w+)">', fig)
            assert len(families) == 1, (url, fig[:200])
    overview = pages["/"]
    assert "Published by ICE: ERO enforcement statistics" in overview
    assert "Record-level FOIA data" in overview and "no criminality column" in overview


def test_field_office_card_leads_with_published_figures_and_foia_history(client, pages):
    html = pages["/aor/HOU"]
    for metric in ("ero_stats_arrests", "ero_stats_detentions", "ero_stats_removals"):
        shown = re.search(rf'data-metric="{metric}" data-fy="(\d+)" data-value="([^"]+)"', html)
        expected = api_value(client, metric, fy=shown.group(1), grain="fy", where="aor=HOU")
        assert float(shown.group(2)) == pytest.approx(expected), metric
    assert "nationally" in text(html)  # the office's tiles never borrow the national coverage
    history = text(html)
    assert "FY2016–FY2019 from ICE's own records" in history  # read from the files' periods
    assert "(FOIA release 2019-ICFO-53623)" in history and "no criminality column" in history
    agencies = client.get("/api/v1/query/agencies_287g", params={"where": "aor=HOU"}).json()
    newest = agencies["rows"][0][0]
    assert f"{newest:,.0f} agencies in the office's area" in text(html)


# ------------------------------------------------------------------ revisions
def test_what_changed_panel_on_every_page(pages):
    for url, html in pages.items():
        assert "What changed in the latest release" in html, url
        assert "The 9 Apr 2026 release of FY2026 against the 12 Feb 2026 release" in html, url


def test_revised_figures_carry_a_badge_with_the_old_value(pages):
    table = re.search(r'data-testid="month-table">(.*?)</table>', pages["/detention"], re.S).group(1)
    january = re.search(r"<tr><td>Jan 2026.*?</tr>", table, re.S).group(0)
    assert "71,929" in january and "revised" in january and "was 71,955" in january
    assert "revised" not in re.search(r"<tr><td>Mar 2026.*?</tr>", table, re.S).group(0)
    assert "1–4 Apr only" in table
    tile = text(pages["/"])
    assert "67,973 in the 12 Feb 2026 release (130 days)" in tile  # FY2026 YTD ADP, extended


def test_revised_months_are_marked_on_the_chart(pages):
    spec = specs(pages["/detention"])["stats-adp"]
    marks = spec["layer"][1]["data"]["values"]
    revised = sorted(m["month"] for m in marks if m["kind"] == "revised")
    assert revised == ["2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01"]
    partial = [m for m in marks if m["kind"] == "partial"]
    assert [(m["month"], m["label"]) for m in partial] == [("2026-04-01", "to 4 Apr 2026")]


def test_revisions_api_is_the_cli_json(client, demo_db):
    from immstat.cli import app as cli_app

    api = client.get("/api/v1/revisions/detention_stats_adp", params={"fy": 2026}).json()
    result = CliRunner().invoke(cli_app, ["revisions", "detention_stats_adp", "--fy", "2026",
                                          "--format", "json", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert api == json.loads(result.output)
    ytd = next(f for f in api["figures"] if f["period"] == "FY2026" and not f["cell"])
    assert [round(v["value"]) for v in ytd["versions"]] == [67456, 67973, 66978]
    csv = client.get("/api/v1/revisions/detention_stats_adp", params={"fy": 2026, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "2026-04-09" in csv.text


@pytest.mark.parametrize("url,status", [("/api/v1/revisions/arrests", 400),
                                        ("/api/v1/revisions/nosuch", 404),
                                        ("/api/v1/revisions/detention_stats_adp?as_of=2026-13-01", 400),
                                        ("/api/v1/revisions/detention_stats_adp?by=nosuch", 404)])
def test_revisions_api_refuses_with_a_reason(client, url, status):
    response = client.get(url)
    assert response.status_code == status and response.json()["error"]


# ------------------------------------------------------------------ data health
def test_checks_api_is_the_cli_json(client, demo_db):
    from immstat.cli import app as cli_app

    api = client.get("/api/v1/checks").json()
    result = CliRunner().invoke(cli_app, ["check", "--format", "json", "--no-store", "--db",
                                          str(demo_db)])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert set(api) == set(cli)
    assert [(c["name"], c["status"], c["rule"]) for c in api["checks"]] == \
           [(c["name"], c["status"], c["rule"]) for c in cli["checks"]]
    assert [f["family"] for f in api["freshness"]] == [f["family"] for f in cli["freshness"]]


def test_data_health_page_lists_every_check_with_its_rule(client, pages):
    html = pages["/health"]
    report = client.get("/api/v1/checks").json()
    for check in CHECKS:
        section = re.search(rf'<section class="card check check-\w+" id="{check.name}".*?</section>',
                            html, re.S)
        assert section, check.name
        assert check.rule[:60] in text(section.group(0))
    counts = text(re.search(r'data-testid="health-counts">(.*?)</p>', html, re.S).group(1))
    assert f"{report['counts']['fail']} failed" in counts
    assert "overdue" in text(re.search(r'data-testid="freshness-table">(.*?)</table>', html, re.S).group(1))


# ------------------------------------------------------------------ 287(g)
def test_287g_page_counts_and_state_view(client, pages):
    national = pages["/287g"]
    assert re.search(r'data-testid="g287-agencies" data-value="741.0"', national)
    assert "+281 since the list of 16 May 2025 (460)" in text(national)
    rows = dict(re.findall(r'<a href="/287g\?state=(\w\w)">[^<]+</a></td><td class="num">([\d,]+)<',
                           national))
    assert (rows["FL"], rows["TX"]) == ("255", "105")
    texas = pages["/287g?state=TX"]
    assert re.search(r'data-testid="g287-agencies" data-value="105.0"', texas)
    layer = specs(texas)["g287-map"]
    assert all(t["filter"] == "substring(datum.id, 0, 2) === '48'" for t in
               (layer["layer"][i]["transform"][0] for i in range(3)))


def test_growth_chart_shows_only_the_snapshots(pages):
    spec = specs(pages["/287g"])["g287-growth"]
    rows = spec["datasets"][spec["data"]["name"]] if "name" in spec.get("data", {}) else \
        spec["data"]["values"]
    when = sorted({r["when"] for r in rows})
    assert len(when) == 18 and when[0].startswith("2025-05-16") and when[-1].startswith("2025-08-13")
    assert spec["mark"]["type"] == "point"  # points, never a line between snapshots


def test_287g_map_layer_colours_counties_by_type(client, pages):
    spec = specs(pages["/map?g287=1"])["map"]
    counties = spec["datasets"]["immstat_counties"]
    types = ("Task Force", "Jail Enforcement", "Warrant Service Officer")
    for c in counties:
        assert c["category"] == (c["types"][0] if len(c["types"]) == 1 else "several types")
        assert set(c["types"]) <= set(types)
    by_county = client.get("/api/v1/query/agreements_287g", params={"by": "county"}).json()
    with_county = {r[0] for r in by_county["rows"] if r[0] and r[1]}
    assert {c["id"] for c in counties} == with_county
    assert spec["layer"][-1]["encoding"]["color"]["scale"]["domain"][-1] == "several types"


# ------------------------------------------------------------------ issue 15's web bullets
def test_every_time_axis_carries_a_year(pages):
    seen = 0
    for url, html in pages.items():
        for key, spec in specs(html).items():
            temporal = spec.get("config", {}).get("axisTemporal", {})
            if "%Y" in temporal.get("format", ""):
                seen += 1
            else:  # charts without the shared config set their own year-bearing format
                assert "%Y" in json.dumps(spec), (url, key)
    assert seen > 20


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: dict[str, dict] = {}
        self.label_text: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("id"):
            self.inputs[attrs["id"]] = attrs
        if tag == "label":
            self._label = attrs.get("for")
            self.label_text[self._label] = ""

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label:
            self.label_text[self._label] += data


def test_map_checkboxes_are_well_formed(pages):
    parser = _Inputs()
    parser.feed(pages["/map?g287=1"])
    for box in ("f-per_capita", "f-g287"):
        assert set(parser.inputs[box]) <= {"type", "id", "name", "value", "checked", "disabled"}
        assert ">" not in parser.label_text[box] and "<" not in parser.label_text[box]
    assert "checked" in parser.inputs["f-g287"]
    assert parser.label_text["f-per_capita"].strip().startswith("Per 100,000 residents")


def test_skewed_state_map_uses_quantile_classes(pages):
    spec = specs(pages["/map?metric=cbp_encounters&level=state"])["map"]
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["field"] == "class" and len(colour["scale"]["domain"]) == 7
    areas = [a for a in spec["datasets"]["immstat_areas"] if a["status"] == "value"]
    sizes = [sum(a["class"] == c for a in areas) for c in colour["scale"]["domain"]]
    assert max(sizes) - min(sizes) <= 2  # about the same number of states per colour
    assert "suppressed (<11)" not in colour_domain(spec)  # published: nothing is suppressed


def colour_domain(spec: dict) -> list:
    return spec["layer"][0]["encoding"]["color"]["scale"]["domain"]


def test_facility_types_have_their_own_colours_and_no_null(pages):
    spec = specs(pages["/detention"])["adp-type"]
    colour = spec["encoding"]["color"]["scale"]
    assert len(set(colour["range"])) == len(colour["domain"]) >= 12
    assert None not in colour["domain"] and "null" not in colour["domain"]
    assert "not recorded" in colour["domain"]
    types = re.search(r'data-testid="facility-types">(.*?)</p>', pages["/detention"], re.S).group(1)
    linked = dict(re.findall(r'<a class="term" href="/glossary#([\w-]+)" title="[^"]+">([^<]+)</a>', types))
    assert {"digsa", "igsa", "spc", "cdf"} <= set(linked) and "other-immigration-violator" not in linked


def test_both_population_figures_are_explained(pages):
    two = text(re.search(r'data-testid="two-populations">(.*?)</section>', pages["/detention"],
                         re.S).group(1))
    assert "midnight" in two and "during a day" in two and "41 of 41 months" in two


def test_capacity_assumptions_in_words(pages):
    table = re.search(r'<table id="capacity-assumptions">(.*?)</table>', pages["/capacity"],
                      re.S).group(1)
    assert "book_in_share" not in table and "other_alos" not in table
    assert "Share of ICE arrests that lead to a book-in into detention" in table
    assert re.search(r"<td class=\"num\">\d+\.\d%</td>", table)  # the share as a percentage


def test_real_series_first_on_the_targets_page(pages):
    html = pages["/targets"]
    first = html.index("ICE's published figures")
    assert first < html.index("Daily pace from ICE's records")
    assert "immstat demo --sandbox" in html


@pytest.mark.parametrize("url", ["/287g?state=%3Cscript%3E", "/287g?state=ZZ", "/map?g287=yes",
                                 "/?fy=1850", "/?fy=latest%27"])
def test_bad_parameters_fall_back_with_a_notice(client, url):
    response = client.get(url)
    assert response.status_code == 200 and 'class="notice"' in response.text
    assert "<script>" not in response.text.split("<main")[1]
