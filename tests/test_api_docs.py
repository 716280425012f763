"""/api/docs works with no network: the page names only this server's URLs, every asset it names
is served from the package (and nothing else on disk is), and the API app alone serves it."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def client(make_warehouse, tmp_path):
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    make_warehouse().close()
    with TestClient(build_app(tmp_path / "wh.duckdb", web=False)) as c:
        yield c


def test_docs_page_uses_only_local_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    assert not re.search(r"https?://", page.text), "the docs page names an outside URL"
    assets = re.findall(r'(?:href|src)="([^"]+)"', page.text)
    assert len(assets) == 3
    for url in assets:
        got = client.get(url)
        assert got.status_code == 200 and len(got.content) > 500, url
    assert '"validatorUrl": null' in page.text  # no badge fetched from the online validator
    assert client.get("/openapi.json").json()["info"]["title"] == "ImmStat API"


@pytest.mark.parametrize("name", ["../app.py", "LICENSE-swagger-ui.txt", "%2e%2e%2fapp.py", "x.js"])
def test_only_the_listed_assets_are_served(client, name):
    assert client.get(f"/api/docs/assets/{name}").status_code == 404
