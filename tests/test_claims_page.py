"""The /claims page on the demo warehouse (real published data): relative and per-office verdicts
show the kind of comparison, the figures compared, every file read with its release date, and the
tolerance; the page stays valid HTML."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from html_validity import problems

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(demo_db):
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    with TestClient(build_app(demo_db)) as c:
        yield c


def verdict_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="claim-\d+".*?</tr>', html, re.S)


def text_of(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_relative_claim_shows_both_periods_files_and_tolerance(client):
    """March 2024 ADP 38,372 against March 2023 27,693 (ICE detention statistics): +38.6%."""
    text = "ICE detention rose 39% in March 2024 compared with March 2023, to about 38,000 people."
    page = client.post("/claims", data={"text": text, "date": "2026-03-01"})
    assert page.status_code == 200 and not problems(page.text)
    row = next(r for r in verdict_rows(page.text) if 'data-kind="change"' in r)
    words = text_of(row)
    assert 'data-verdict="supported"' in row and "+38.6%" in words
    assert "compared: Average daily detained population" in words and "= 38,372" in words
    assert "against:" in words and "= 27,693" in words
    for file, released in (("FY24_detentionStats.xlsx", "2024-10-07"),
                           ("FY23_detentionStats.xlsx", "2023-09-30")):
        assert re.search(rf"{re.escape(file)} ?, released {released}", words), file
        assert re.search(rf'<tr id="src-\d+">\s*<td>\d+</td>\s*<td>{re.escape(file)}', page.text)
    assert "Tolerance: 39 %: 38 % to 40 %" in words


def test_per_office_claim_lists_the_offices(client, demo_db):
    from immstat import Warehouse
    from immstat.core.reference import aors

    offices = {a["code"] for a in aors()}
    with Warehouse(demo_db, read_only=True) as wh:
        values = [r["value"] for r in wh.query("adp", by=["aor"], fy=2024).table.to_pylist()
                  if r["aor"] in offices and r["value"] is not None]
    average = sum(values) / len(values)
    text = f"ICE detention averaged about {average:,.0f} people per field office in fiscal 2024."
    page = client.post("/claims", data={"text": text, "date": "2025-01-01"})
    assert page.status_code == 200 and not problems(page.text)
    row = next(r for r in verdict_rows(page.text) if 'data-kind="per_office"' in r)
    words = text_of(row)
    assert 'data-verdict="supported"' in row and "per field office" in words
    assert f"{len(values)} field offices" in words and "HOU:" in words
    assert "released" in words and "Tolerance: about" in words
