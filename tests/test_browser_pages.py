"""The dashboard in a real browser: Debian's chromium driven by Playwright against real uvicorn
servers on loopback ports — the real demo (every page) and a demo-like warehouse with synthetic
record-level arrests (suppressed cells drawn hatched). Screenshots of every page (desktop and
phone) go to test-artifacts/screenshots/. Skips only when chromium cannot be found; fails then if
CI=true.
"""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qs, urlparse
from urllib.request import urlopen

import pytest

from builders import FY, SMALL_STATE
from immstat.core import reference
from immstat.web import harness

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {"overview": "/", "map": "/map", "map-state-month": "/map?level=state&month=2025-03",
         "map-state-per-capita": "/map?level=state&per_capita=1", "aor": "/aor/HOU",
         "facility": "/facility/ABQHOLD", "detention": "/detention", "encounters": "/encounters",
         "not-found": "/aor/XXX"}
OTHER_PAGES = ("targets", "capacity", "claims", "glossary")  # other modules' pages, screenshot when mounted
# every page on the real demo (bundled ICE, CBP and 287(g) files)
REAL_PAGES = {"real-overview": "/", "real-overview-fy2023": "/?fy=2023", "real-map": "/map",
              "real-map-287g": "/map?g287=1",
              "real-map-cbp-state": "/map?metric=cbp_encounters&level=state",
              "real-map-per-capita": "/map?per_capita=1&fy=2024",
              "real-aor": "/aor/HOU", "real-facility": "/facility/EROFCB",
              "real-detention": "/detention", "real-encounters": "/encounters",
              "real-287g": "/287g", "real-287g-state": "/287g?state=TX", "real-health": "/health",
              "real-targets": "/targets", "real-capacity": "/capacity", "real-claims": "/claims",
              "real-glossary": "/glossary"}

COUNT_SHAPES = """(key) => {
  const view = window.immstat.views[key];
  let shapes = 0, hatched = 0;
  (function walk(node) {
    if (!node) return;
    if (node.marktype === 'shape') {
      for (const item of node.items) { shapes += 1; if (item.fill === 'url(#immstat-hatch)') hatched += 1; }
    }
    for (const item of node.items || []) { if (item.items) walk(item); }
  })(view.scenegraph().root);
  const svg = (sel) => document.querySelectorAll(`[data-chart=map] svg ${sel}[fill="url(#immstat-hatch)"]`).length;
  return {shapes, hatched, paths: svg('g.mark-shape path'), legend: svg('.role-legend-symbol path')};
}"""


@pytest.fixture(scope="session")
def chromium() -> str:
    path = harness.chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI; install it with `apt-get install -y chromium`.")
        pytest.skip("chromium not found (install it with `apt-get install -y chromium`).")
    return path


@pytest.fixture(scope="session")
def server(web_db):
    with harness.running_server(web_db) as base:
        yield base


@pytest.fixture(scope="session")
def real_server(demo_db):
    with harness.running_server(demo_db, timeout=120) as base:
        yield base


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = harness.launch(p)
        yield browser
        browser.close()


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, viewport):
    context = browser.new_context(viewport=harness.DESKTOP if viewport == "desktop" else harness.PHONE)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def open_page(page, base: str, path: str):
    page.goto(base + path, timeout=90_000)
    harness.wait_for_charts(page, 60_000)
    return page


def check_and_shoot(page, artifacts, viewport, name: str, expected_errors: list[str]) -> None:
    """No console errors, every chart drawn, no sideways scrolling; then a full-page screenshot."""
    assert page.errors == expected_errors
    charts = page.locator("[data-chart]")
    for i in range(charts.count()):
        assert charts.nth(i).get_attribute("data-ready") == "true"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, "page scrolls sideways"
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{viewport}.png"), full_page=True)


def _mounted_pages() -> dict[str, str]:
    from immstat.web import NAV

    extra = {n: f"/{n}" for n in OTHER_PAGES if f"/{n}" in dict(NAV)}
    return {**PAGES, **extra}


@pytest.mark.parametrize("name", list(_mounted_pages()))
def test_page_draws_without_console_errors(page, server, artifacts, viewport, name):
    open_page(page, server, _mounted_pages()[name])
    expected = ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    check_and_shoot(page, artifacts, viewport, name, expected if name == "not-found" else [])


@pytest.mark.parametrize("name", list(REAL_PAGES))
def test_real_demo_page_draws_without_console_errors(page, real_server, artifacts, viewport, name):
    open_page(page, real_server, REAL_PAGES[name])
    check_and_shoot(page, artifacts, viewport, name, [])


@pytest.mark.parametrize("path", ["/", "/glossary"])
def test_navigation_leaves_the_first_screen_to_the_page(page, real_server, viewport, path):
    """On a phone the links are one sideways-scrolling row, with the current page's link in view."""
    open_page(page, real_server, path)
    header = page.locator("header.site").bounding_box()
    limit = 0.15 * page.viewport_size["height"]
    assert header["height"] <= limit, f"the header takes {header['height']:.0f} px"
    nav = page.locator("header.site nav").bounding_box()
    current = page.locator("header.site nav a[aria-current]").bounding_box()
    assert nav["x"] <= current["x"] and current["x"] + current["width"] <= nav["x"] + nav["width"]


def _topo_ids(name: str, feature: str) -> list[str]:
    topo = json.loads(reference.data_path("geo", name).read_text())
    return [g.get("id") for g in topo["objects"][feature]["geometries"]]


def _topo_count(name: str, feature: str) -> int:
    return len(_topo_ids(name, feature))


def test_map_draws_one_shape_per_state(page, server, viewport):
    if viewport == "phone":
        pytest.skip("shape counts do not depend on the viewport")
    open_page(page, server, f"/map?level=state&fy={FY}")
    counts = page.evaluate(COUNT_SHAPES, "map")
    assert counts["shapes"] == _topo_count("states-albers-10m.json", "states")


def test_county_map_draws_one_shape_per_county(page, real_server, viewport):
    """Counties are mapped from published data (287(g) agreements); record-level arrests have no
    county tables (README, "What is released")."""
    if viewport == "phone":
        pytest.skip("shape counts do not depend on the viewport")
    open_page(page, real_server, "/map?metric=agencies_287g&level=county")
    counts = page.evaluate(COUNT_SHAPES, "map")
    assert counts["shapes"] == _topo_count("counties-albers-10m.json", "counties")


def test_suppressed_cells_render_hatched(page, server, viewport):
    open_page(page, server, f"/map?level=state&fy={FY}")
    api = json.load(urlopen(f"{server}/api/v1/query/arrests?by=state&fy={FY}"))
    flag = api["columns"].index("suppressed")
    suppressed = [row[0] for row in api["rows"] if row[flag]]
    assert SMALL_STATE in suppressed
    ids = set(_topo_ids("states-albers-10m.json", "states"))
    drawn = {s["code"] for s in reference.states() if s["fips"] in ids}
    counts = page.evaluate(COUNT_SHAPES, "map")
    assert counts["hatched"] == counts["paths"] == len([s for s in suppressed if s in drawn])
    assert counts["legend"] == 1  # the "suppressed (<11)" legend entry is hatched too
    assert page.get_by_test_id("suppressed-areas").is_visible()


def test_tiles_equal_the_api(page, real_server, viewport):
    open_page(page, real_server, "/")
    tiles = page.locator(".tile-value[data-value]")
    assert tiles.count() >= 5
    for i in range(tiles.count()):
        tile = tiles.nth(i)
        metric, fy = tile.get_attribute("data-metric"), tile.get_attribute("data-fy")
        api = json.load(urlopen(f"{real_server}/api/v1/query/{metric}?fy={fy}&grain=fy"))
        assert float(tile.get_attribute("data-value")) == pytest.approx(api["rows"][0][1], rel=1e-12)


def test_287g_layer_draws_counties_over_the_office_map(page, real_server, viewport):
    if viewport == "phone":
        pytest.skip("shape counts do not depend on the viewport")
    open_page(page, real_server, "/map?g287=1")
    counties = json.load(urlopen(f"{real_server}/api/v1/query/agreements_287g?by=county"))
    with_agreement = {r[0] for r in counties["rows"] if r[0] and r[1]}
    drawn = page.evaluate("""() => {
      const ids = new Set();
      (function walk(node) {
        if (!node) return;
        if (node.marktype === 'shape') {
          for (const item of node.items) { if (item.datum && item.datum.category) ids.add(item.datum.id); }
        }
        for (const item of node.items || []) { if (item.items) walk(item); }
      })(window.immstat.views.map.scenegraph().root);
      return [...ids];
    }""")
    topo = set(_topo_ids("counties-albers-10m.json", "counties"))
    assert set(drawn) == with_agreement & topo


def test_filter_change_updates_url_and_chart(page, server, viewport):
    open_page(page, server, f"/map?level=aor&fy={FY}")
    before = page.evaluate(COUNT_SHAPES, "map")["shapes"]
    with page.expect_navigation():
        page.select_option("#f-level", "state")
    harness.wait_for_charts(page)
    assert parse_qs(urlparse(page.url).query)["level"] == ["state"]
    after = page.evaluate(COUNT_SHAPES, "map")["shapes"]
    assert after == _topo_count("states-albers-10m.json", "states") != before
    with page.expect_navigation():
        page.select_option("#f-fy", str(FY - 1))
    harness.wait_for_charts(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["fy"] == [str(FY - 1)] and query["level"] == ["state"]
    assert f"FY{FY - 1}" in page.locator("#map-h").inner_text()


def test_clicking_a_county_opens_its_field_office(page, server, viewport):
    if viewport == "phone":
        pytest.skip("one viewport is enough for the click target")
    open_page(page, server, f"/map?level=aor&fy={FY}")
    point = page.evaluate("""() => {
      const view = window.immstat.views.map;
      view.container().scrollIntoView({block: 'center'});
      let found = null;
      (function walk(node) {
        if (!node || found) return;
        if (node.marktype === 'shape') {
          for (const item of node.items) { if (item.datum && item.datum.id === '48201') found = item; }
        }
        for (const item of node.items || []) { if (item.items) walk(item); }
      })(view.scenegraph().root);
      const box = view.container().querySelector('svg').getBoundingClientRect();
      const [ox, oy] = view.origin();
      const b = found.bounds;
      return {x: box.left + ox + (b.x1 + b.x2) / 2, y: box.top + oy + (b.y1 + b.y2) / 2};
    }""")
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert urlparse(page.url).path == "/aor/HOU"


def test_keyboard_reaches_filters_and_downloads(page, real_server, viewport):
    open_page(page, real_server, "/aor/HOU")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    seen = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()"))
    assert "f-fy" in seen
    assert any(text.startswith("Download CSV") for text in seen)


def test_api_docs_render_offline(page, server, viewport, artifacts):
    """/api/docs draws every operation from vendored assets: any request off the server is
    refused and recorded, and none may happen."""
    if viewport == "phone":
        pytest.skip("one viewport is enough to prove the assets are local")
    outside = []

    def only_local(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(server + "/api/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    paths = {p for p in json.load(urlopen(f"{server}/openapi.json"))["paths"]}
    shown = set(page.locator(".opblock-summary-path").evaluate_all("els => els.map(e => e.dataset.path)"))
    assert shown == paths and outside == [] and page.errors == []
    assert "ImmStat API" in page.locator(".info .title").inner_text()
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "api-docs-desktop.png"))


def test_glossary_terms_have_anchors_and_sources(page, server, viewport):
    open_page(page, server, "/glossary#digsa")
    term = page.locator("dt#digsa")
    assert "DIGSA" in term.inner_text() and term.is_visible()
    definition = term.locator("xpath=following-sibling::dd[1]").inner_text()
    assert "Dedicated Intergovernmental Service Agreement" in definition and "Source: ICE" in definition
    assert page.locator("header.site nav a[href='/glossary']").count() == 1

