"""Every dashboard page, the API docs and the claims results parse as strict, valid HTML (see
tests/html_validity.py for the rules): served by the real app over the demo warehouse.

A page route added to ``immstat.web.PAGES`` is checked automatically; a route with a path
parameter this file has no example for fails until one is added to ``EXAMPLES``.
"""

from __future__ import annotations

import pytest

from html_validity import problems
from immstat.web import PAGES

pytestmark = pytest.mark.slow

EXAMPLES = {"/aor/{code}": ["/aor/HOU", "/aor/XXX"], "/county/{fips}": ["/county/48201", "/county/99999"],
            "/facility/{code}": ["/facility/ABQHOLD", "/facility/NOSUCH"]}
VARIANTS = ["/map?level=county&month=2025-03", "/map?level=state&per_capita=1", "/map?level=aor",
            "/?fy=2025", "/detention?fy=2024", "/claims?date=2025-06-30&text=ICE+held+about+39%2C000+"
            "people+in+detention+in+March+2024.+CBP+recorded+more+than+2.8+million+encounters+in+"
            "fiscal+year+2022.", "/api/docs", "/no-such-page"]
# published figures only: a claim about record-level arrests runs the query-time suppression audit
# over the FOIA records (about a minute on two cores until the protected release is merged)
CLAIMS_TEXT = ("ICE held about 39,000 people in detention in March 2024, up 39% from March 2023. "
               "ICE detention averaged about 1,500 people per field office in fiscal 2024. "
               "<b>bold</b> & \"quotes\"")
# The one known defect (issue 15): map.html writes the per-capita note inside the checkbox's
# <input> tag. Those four symptoms alone make the map pages xfail; anything else fails them, and
# once the webpages branch's fix is merged they simply pass.
MAP_CHECKBOX = ("invalid-character-in-attribute-name", "unexpected-end-tag (name=p)",
                "markup inside <input> attribute <p", "</p> but <label>")


def page_paths() -> list[str]:
    """Every GET page route of the dashboard, path parameters filled from EXAMPLES."""
    out = []
    for page in PAGES:
        for route in page.router.routes:
            if "GET" not in getattr(route, "methods", ()):
                continue
            if "{" not in route.path:
                out.append(route.path)
                continue
            assert route.path in EXAMPLES, f"add examples of {route.path} to EXAMPLES in {__file__}"
            out += EXAMPLES[route.path]
    return out


def cases() -> list[str]:
    return list(dict.fromkeys(page_paths() + VARIANTS))


@pytest.fixture(scope="module")
def client(demo_db):
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    with TestClient(build_app(demo_db)) as c:
        yield c


def assert_valid(html: str, where: str) -> None:
    found = problems(html)
    if where.startswith("/map") and found and all(any(k in p for k in MAP_CHECKBOX) for p in found):
        pytest.xfail("map.html writes the per-capita note inside the checkbox's <input> (issue 15)")
    assert not found, f"{where}: {len(found)} HTML problem(s):\n" + "\n".join(found[:25])


@pytest.mark.parametrize("path", cases())
def test_page_is_valid_html(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), f"{path}: HTTP {response.status_code}"
    if response.headers["content-type"].startswith("text/html"):
        assert_valid(response.text, path)


def test_claims_results_are_valid_html(client):
    response = client.post("/claims", data={"text": CLAIMS_TEXT, "date": "2025-06-30"})
    assert response.status_code == 200 and 'data-testid="claims-verdicts"' in response.text
    assert "<b>bold</b>" not in response.text  # the pasted text is escaped, not markup
    assert_valid(response.text, "POST /claims")


def test_the_checker_catches_what_it_promises():
    good = ('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><form>'
            '<label for="a">A</label><input id="a" name="a"><a href="#a">x</a></form></body></html>')
    assert problems(good) == []
    bad = {
        "markup inside <input>": good.replace('<input id="a" name="a">', '<input id="a" name="a" <p>>'),
        "id 'a' repeats": good.replace("<a href", '<span id="a"></span><a href'),
        "names no element": good.replace('for="a"', 'for="b"'),
        "cannot be labelled": good.replace('<input id="a" name="a">', '<span id="a"></span>'),
        "has no label": good.replace('<label for="a">A</label>', ""),
        "is never closed": good.replace("</body></html>", "<main>"),
        "still open": good.replace("</form>", "<div></form>"),
        "points at #zz": good.replace('href="#a"', 'href="#zz"'),
        "unexpected-end-tag": good.replace("</form>", "</form></span>"),
    }
    for expected, html in bad.items():
        assert any(expected in p for p in problems(html)), (expected, problems(html))
