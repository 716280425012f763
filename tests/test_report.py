"""Reports on the demo warehouse: figures equal `immstat query`, every page carries the synthetic
watermark and running footer, every footnote reaches the PDF, output is byte-for-byte
reproducible, and the HTML is self-contained. Page PNGs go to test-artifacts/reports/."""

from __future__ import annotations

import html as htmllib
import io
import json
import re
import shutil
import subprocess

import pytest

from immstat import Warehouse, __version__
from immstat.core.formats import fmt_value
from immstat.reports import build_brief, render_html, render_pdf

DATE = "2026-05-01"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out_dir(artifacts):
    folder = artifacts / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def fy_brief(mixed_demo_db):
    with Warehouse(mixed_demo_db, read_only=True) as wh:
        brief = build_brief(wh, date=DATE)
    return brief, render_html(brief)


@pytest.fixture(scope="module")
def fy_pdf(fy_brief, out_dir):
    pdf = render_pdf(fy_brief[1])
    (out_dir / "brief-fy.pdf").write_bytes(pdf)
    (out_dir / "brief-fy.html").write_text(fy_brief[1], encoding="utf-8")
    return pdf


@pytest.fixture(scope="module")
def fy_pages(fy_pdf) -> list[str]:
    """Text of each page of the FY brief's PDF."""
    return pdf_pages(fy_pdf)


@pytest.fixture(scope="module")
def aor_html(mixed_demo_db):
    with Warehouse(mixed_demo_db, read_only=True) as wh:
        return render_html(build_brief(wh, aor="HOU", date=DATE))


def query_fy_value(cli, db, metric: str, fy: int, *extra: str) -> float:
    out = json.loads(cli("query", metric, "--grain", "fy", "--format", "json", "--db", db, *extra,
                         check=True).stdout)
    col = out["columns"].index("fiscal_year")
    return next(row[out["columns"].index("value")] for row in out["rows"] if row[col] == fy)


def headline_cell(html: str, metric: str) -> str:
    row = re.search(rf'<tr data-metric="{metric}">(.*?)</tr>', html, re.S).group(1)
    return htmllib.unescape(re.search(r'<td class="n value"[^>]*>([^<]*)</td>', row).group(1))


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("metric", ["arrests", "detention_stats_adp", "criminality_share"])
def test_headline_figures_equal_immstat_query(cli, mixed_demo_db, fy_brief, fy_pages, metric):
    brief, html = fy_brief
    expected = fmt_value(query_fy_value(cli, mixed_demo_db, metric, brief.fy),
                         "share" if metric.endswith("share") else "")
    assert headline_cell(html, metric) == expected
    text = " ".join(fy_pages)
    assert expected in text


def test_office_figures_equal_immstat_query(cli, mixed_demo_db, aor_html):
    fy = int(re.search(r"fiscal year (\d{4})", aor_html).group(1))
    value = query_fy_value(cli, mixed_demo_db, "arrests", fy, "--where", "aor=HOU")
    assert headline_cell(aor_html, "arrests") == fmt_value(value)
    published = query_fy_value(cli, mixed_demo_db, "ero_stats_arrests", fy, "--where", "aor=HOU")
    assert headline_cell(aor_html, "ero_stats_arrests") == fmt_value(published)
    # the ranking is by ICE's published per-office arrests (ERO statistics), FY2024: HOU third
    assert "Houston field office (HOU)" in aor_html and "ranks 3 of 25 field offices" in aor_html


def test_pdf_pages_watermark_footer_and_footnotes(fy_brief, fy_pages, out_dir):
    brief, _ = fy_brief
    pages = fy_pages
    assert 4 <= len(pages) <= 16  # sections, methods with data health and terms, the appendix
    for number, text in enumerate(pages, 1):
        flat = " ".join(text.split())
        assert "SYNTHETIC DATA" in flat, f"page {number} lacks the synthetic statement"
        assert f"Page {number} of {len(pages)}" in flat
        assert f"ImmStat {__version__}" in flat and f"generated {DATE}" in flat
    everything = " ".join(" ".join(pages).split())
    assert brief.notes, "the brief cites no sources"
    for note in brief.notes:
        assert f"[{note['number']}] {note['file']}" in everything
        assert note["sha_prefix"] in everything and note["release_date"] in everything
    if shutil.which("pdftoppm"):
        for old in out_dir.glob("brief-fy-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(out_dir / "brief-fy.pdf"),
                        str(out_dir / "brief-fy")], check=True, timeout=120)
        assert len(list(out_dir.glob("brief-fy-*.png"))) == len(pages)


def test_html_is_self_contained_and_marked(fy_brief):
    _, html = fy_brief
    assert "<script" not in html and "<link" not in html and " src=" not in html
    without_ns = re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"', "", html)
    assert "http://" not in without_ns and "https://" not in without_ns
    assert html.count("<svg") >= 8
    assert 'class="watermark"' in html and 'class="banner"' in html
    assert len(set(re.findall(r'\bid="([^"]+)"', html))) == len(re.findall(r'\bid="([^"]+)"', html))
    for section in ("Methods and caveats", "Fiscal years", "Suppression of small counts",
                    "Redactions and rejected rows", "Releases and revisions", "Synthetic data"):
        assert section in html


def test_cli_pdf_is_reproducible(cli, mixed_demo_db, aor_html, out_dir):
    out = out_dir / "brief-hou.pdf"
    cli("report", "--aor", "HOU", "--date", DATE, "--db", mixed_demo_db, "-o", out, check=True)
    assert out.read_bytes() == render_pdf(aor_html), "same options gave different PDF bytes"
    for old in out_dir.glob("brief-hou-*.png"):
        old.unlink()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(out), str(out_dir / "brief-hou")],
                       check=True, timeout=120)
    for number, text in enumerate(pdf_pages(out.read_bytes()), 1):
        assert "SYNTHETIC DATA" in " ".join(text.split()), f"page {number} lacks the statement"


def test_api_report_matches_library(mixed_demo_db, aor_html):
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    with TestClient(build_app(mixed_demo_db, web=False)) as client:
        ok = client.get("/api/v1/report", params={"aor": "hou", "date": DATE})
        assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/html")
        assert ok.text == aor_html, "the same options gave a different document"
        bad = client.get("/api/v1/report", params={"aor": "XYZ"})
        assert bad.status_code == 404 and "HOU" in bad.json()["error"]
        assert client.get("/api/v1/report", params={"fy": 2001}).status_code == 400


MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December"


def svg_labels(html: str) -> list[str]:
    """The text of every SVG <text> element (tspans joined by a space)."""
    return [" ".join(re.sub(r"<[^>]+>", " ", m).split())
            for m in re.findall(r"<text\b[^>]*>(.*?)</text>", html, re.S)]


def test_brief_html_is_valid(fy_brief, aor_html):
    from html_validity import problems

    for name, html in (("FY brief", fy_brief[1]), ("HOU brief", aor_html)):
        found = problems(html)
        assert not found, f"{name}: " + "\n".join(found[:20])


def test_every_time_axis_label_carries_a_year(fy_brief, aor_html):
    for html in (fy_brief[1], aor_html):
        labels = [t for t in svg_labels(html) if re.fullmatch(rf"(?:{MONTHS})(?: \d{{4}})?", t)]
        assert len(labels) >= 3, "no month tick labels found"
        bare = [t for t in labels if not re.search(r"\d{4}", t)]
        assert not bare, f"month labels without a year: {bare[:5]}"


def test_partial_periods_are_marked(fy_brief, demo_db):
    """FY2026 detention statistics end on 4 Apr 2026 (solved from the 9 Apr 2026 release): the
    headline says 'to date', the monthly charts mark April as partial."""
    brief, html = fy_brief
    if brief.fy != 2026:
        pytest.skip("the demo's newest fiscal year is not FY2026")
    adp = next(h for s in brief.sections for h in s.headlines if h.metric == "detention_stats_adp")
    assert adp.note.startswith("FY2026 to date (through 4 April 2026)")
    figure = next(f for s in brief.sections for f in s.figures if f.key == "detention-adp")
    assert "The last month is partial: data through 4 April 2026." in figure.caption
    assert "to 4 Apr" in figure.svg


def test_revisions_appendix_lists_every_release(fy_brief):
    """The three FY2026 releases (2 Feb, 12 Feb, 9 Apr 2026): YTD ADP 67,456 → 67,973 → 66,978,
    October 2025 restated by the 9 Apr release (63,187 → 63,178 → 63,176)."""
    brief, html = fy_brief
    if brief.fy != 2026:
        pytest.skip("the demo's newest fiscal year is not FY2026")
    appendix = {s.key: s for s in brief.appendix}["revisions"]
    table = next(f for f in appendix.figures if f.key == "revisions-detention_stats_adp")
    assert table.columns[:4] == ["Period", "Release 2 February 2026", "Release 12 February 2026",
                                 "Release 9 April 2026"]
    rows = {r[0]: r for r in table.rows}
    assert rows["FY2026"][1:4] == ["67,456*", "67,973*", "66,978*"]
    assert rows["2025-10"][1:6] == ["63,187", "63,178", "63,176", "2026-04-09", "restated"]
    assert rows["2026-04"][1:4] == ["—", "—", "61,029*"]
    assert table.cites and 'id="revisions"' in html and "Appendix: revisions" in html


def test_methods_list_every_health_check_with_rule_and_result(fy_brief):
    from immstat.analysis.health import CHECKS

    brief, html = fy_brief
    health = next(m for m in brief.methods if m["title"] == "Data health")
    for check in CHECKS:
        item = next(i for i in health["items"] if isinstance(i, dict)
                    and i["head"].startswith(check.title))
        assert check.rule in item["text"] and check.tolerance in item["text"]
        assert re.search(r": (passed|FAILED|not run)\.$", item["head"]), item["head"]
    assert htmllib.escape(CHECKS[0].rule, quote=False)[:80] in html


def test_terms_the_brief_uses_are_defined(fy_brief):
    brief, html = fy_brief
    terms = next(m for m in brief.methods if m["title"] == "Terms")
    heads = {i["head"].rstrip(".") for i in terms["items"] if isinstance(i, dict)}
    assert {"ADP", "ICE"} <= heads
    if "DIGSA" in html.split('id="methods"')[0]:  # a facility table shows the type
        assert "DIGSA" in heads and "Dedicated Intergovernmental Service Agreement" in html


@pytest.fixture(scope="module")
def real_brief(demo_db):
    with Warehouse(demo_db, read_only=True) as wh:
        brief = build_brief(wh, date=DATE)
        office = build_brief(wh, aor="HOU", date=DATE)
    return brief, render_html(brief), office, render_html(office)


def test_real_demo_brief_leads_with_published_numbers(real_brief):
    """The real demo: FY2026 by default (ICE's newest detention statistics); every headline is a
    published ICE or CBP figure; nothing synthetic anywhere."""
    from immstat.reports.content import HEADLINES

    brief, html, office, office_html = real_brief
    assert (brief.fy, brief.synthetic, office.synthetic) == (2026, False, False)
    for page in (html, office_html):
        assert "SYNTHETIC" not in page.split("</style>")[1]  # the stylesheet's comment names it
    first = brief.sections[0]
    assert [h.metric for h in first.headlines] == [m for _, m in HEADLINES]
    heads = {h.metric: h for h in first.headlines}
    assert fmt_value(heads["detention_stats_adp"].value) == "66,978"
    assert heads["detention_stats_removals"].note.startswith("FY2026 to date (through 4 April 2026)")
    assert heads["ero_stats_arrests"].message.startswith("no figure for FY2026")
    assert heads["usbp_encounters_monthly"].note.startswith("FY2026 to date (through 31 July 2026)")


def test_a_same_days_change_names_the_figures_it_divides(real_brief):
    """The FY columns hold whole years; a change on the same days of both years names its own
    two figures, so a reader can check it: ADP FY2026 to 4 Apr is compared on 1 Oct–31 Mar
    (the last whole month), against 41,286 in FY2025."""
    brief, html, _, _ = real_brief
    heads = {h.metric: h for h in brief.sections[0].headlines}
    checked = 0
    for head in heads.values():
        found = re.search(r"change on the same days \((.+?)\): ([\d,.%]+) vs ([\d,.%]+) in FY(\d+)",
                          head.note or "")
        if not found or "%" in found.group(2):  # shares: the change is in points
            continue
        value, prior = (float(x.replace(",", "")) for x in found.group(2, 3))
        shown = float(head.change.rstrip("%"))
        rounding = sum((0.05 if "." in x else 0.5) / float(x.replace(",", ""))
                       for x in found.group(2, 3)) * 100 + 0.05  # the figures are rounded
        assert abs((value / prior - 1) * 100 - shown) <= rounding, (head.label, head.note)
        assert int(found.group(4)) == brief.fy - 1
        checked += 1
    assert checked >= 2
    adp = heads["detention_stats_adp"].note
    assert "change on the same days (1 Oct–31 Mar): " in adp and "vs 41,286 in FY2025" in adp


def test_real_demo_history_keeps_sources_apart(real_brief):
    """FOIA 2019-ICFO-53623 arrests equal ICE's annual totals FY2016-FY2018, FY2019 ends 31 Aug;
    ERO statistics FY2023 146,474 = 86% of the 170,590 ICE reported."""
    brief, html, _, _ = real_brief
    section = next(s for s in brief.sections if s.key == "history")
    arrests = next(f for f in section.figures if f.key == "history-arrests")
    rows = {r[0]: r for r in arrests.rows}
    assert rows["FY2016"][1] == rows["FY2016"][3] == "110,104"
    assert rows["FY2019"][1] == "131,904 (to 31 Aug 2019)" and rows["FY2019"][3] == "143,099"
    assert rows["FY2023"][2:] == ["146,474", "170,590"] and "FY2023 86%" in arrests.caption
    assert rows["FY2025"][2] == "20,453 (to 31 Dec 2024)"


def test_real_demo_office_brief(cli, real_brief, demo_db):
    _, _, office, office_html = real_brief
    assert office.fy == 2024  # the newest year ICE's ERO statistics cover in full
    value = query_fy_value(cli, demo_db, "ero_stats_arrests", 2024, "--where", "aor=HOU")
    assert headline_cell(office_html, "ero_stats_arrests") == fmt_value(value) == "8,698"
    assert "23.8 a day over the 366 days of the year" in office_html
