"""Citable downloads, query edge cases, like-for-like changes and targets measured from their own
start — on ICE's real detention-statistics workbooks (../shared/data/ice/detention-stats).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from immstat import Warehouse
from immstat.analysis.compare import year_change
from immstat.analysis.targets import load_targets
from immstat.analysis.targets.published import published_pace
from immstat.cli import app
from immstat.cli.compose import build_app
from immstat.core.formats import BLANK_LABEL
from immstat.present.citation import csv_text, csvw_metadata, filename

pytestmark = pytest.mark.shared

# CSVW table-description properties (https://www.w3.org/TR/tabular-metadata/) and the column ones
TABLE_KEYS = {"@context", "url", "tableSchema", "dialect", "notes", "tableDirection", "suppressOutput",
              "transformations", "@id", "@type"}
COLUMN_KEYS = {"name", "titles", "datatype", "null", "required", "separator", "default", "lang",
               "propertyUrl", "valueUrl", "aboutUrl", "virtual", "suppressOutput", "textDirection",
               "ordered"}
DATATYPES = {"string", "integer", "decimal", "date", "boolean", "double"}
PREFIXED = re.compile(r"^(dc|dcat|schema|prov|rdfs|xsd|foaf):[A-Za-z]+$")


@pytest.fixture(scope="module")
def db(shared_data, tmp_path_factory):
    folder = shared_data / "ice" / "detention-stats"
    path = tmp_path_factory.mktemp("downloads") / "wh.duckdb"
    with Warehouse(path) as w:
        w.ingest(sorted(folder.glob("*.xlsx")) + sorted((folder / "earlier-releases").glob("*.xlsx")))
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(build_app(db, web=False)) as c:
        yield c


def check_csvw(meta: dict, text: str) -> None:
    """The metadata is CSVW JSON-LD describing exactly this CSV."""
    assert meta["@context"][0] == "http://www.w3.org/ns/csvw"
    for key in meta:
        assert key in TABLE_KEYS or PREFIXED.match(key), key
    header = next(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))
    columns = meta["tableSchema"]["columns"]
    assert [c["name"] for c in columns] == header
    for c in columns:
        assert set(c) - {"dc:description"} <= COLUMN_KEYS
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_]*", c["name"]) and c["titles"]
        base = c["datatype"]["base"] if isinstance(c["datatype"], dict) else c["datatype"]
        assert base in DATATYPES
    for key in ("dc:title", "schema:unitText", "dc:temporal", "dc:source", "prov:generatedAtTime",
                "schema:softwareVersion", "rdfs:comment"):
        assert meta[key], key
    for source in meta["dc:source"]:
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", source["dc:identifier"]) and source["dc:issued"]


def test_csv_is_citable(wh):
    r = wh.query("detention_stats_book_ins", fy=2026, by=["arresting_agency"], grain="month")
    text = csv_text(r)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert filename(r) == "immstat-detention_stats_book_ins-arresting_agency-by-month-fy2026.csv"
    assert all(re.fullmatch(r"\d+", row["value"]) for row in rows)  # counts as integers
    april = [row for row in rows if row["month"] == "2026-04-01"]
    assert {row["partial"] for row in april} == {"true"} and april[0]["period_end"] == "2026-04-04"
    adp = list(csv.DictReader(io.StringIO(csv_text(wh.query("detention_stats_adp", fy=2026)))))
    assert adp[0]["value"] == "66978.05"  # a stated precision (2), not 66978.048387
    meta = csvw_metadata(r, filename(r))
    check_csvw(meta, text)
    assert "data through 4 April 2026" in meta["schema:temporalCoverage"]
    assert [s["dc:title"] for s in meta["dc:source"]] == ["FY26_detentionStats_04092026.xlsx"]


def test_api_download_headers_and_metadata(client):
    url = "/api/v1/query/detention_stats_adp?fy=2026&grain=month&format=csv"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="immstat-detention_stats_adp-month-fy2026.csv"')
    link = re.fullmatch(r'<([^>]+)>; rel="describedby"; type="application/csvw\+json"',
                        response.headers["link"])
    assert link
    meta = client.get(link[1])
    assert meta.status_code == 200 and meta.headers["content-type"] == "application/csvw+json"
    assert meta.headers["content-disposition"].endswith('-fy2026.csv-metadata.json"')
    body = meta.json()
    check_csvw(body, response.text)
    assert body["url"].endswith("format=csv") and "fy=2026" in body["url"]


@pytest.mark.parametrize(("query", "message"), [
    ("detention_stats_adp?fy=2031", "FY2031 is outside the data"),
    ("detention_stats_adp?from=2025-01-01&to=9999-12-31", "out of range"),
    ("detention_stats_removals?grain=month", "per fiscal year only"),
])
def test_api_edges_are_4xx(client, query, message):
    response = client.get(f"/api/v1/query/{query}")
    assert response.status_code == 400 and message in response.json()["error"]


def test_cli_edges(db, tmp_path):
    runner = CliRunner()
    out = runner.invoke(app, ["query", "detention_stats_adp", "--fy", "2031", "--db", str(db)])
    assert out.exit_code == 1 and "FY2031 is outside the data (detention_stats_adp: FY2019–FY2026" \
        in out.output and "Traceback" not in out.output
    far = runner.invoke(app, ["query", "detention_stats_adp", "--to", "9999-12-31", "--db", str(db)])
    assert far.exit_code == 1 and "out of range" in far.output
    missing = tmp_path / "typo.duckdb"
    for command in (["sources"], ["query", "detention_stats_adp"], ["targets"]):
        result = runner.invoke(app, [*command, "--db", str(missing)])
        assert result.exit_code == 1 and "No warehouse at" in result.output, command
        assert not missing.exists(), command
    target = tmp_path / "adp.csv"
    ok = runner.invoke(app, ["query", "detention_stats_adp", "--fy", "2025", "--grain", "month",
                             "--format", "csv", "-o", str(target), "--db", str(db)])
    assert ok.exit_code == 0, ok.output
    meta = json.loads((tmp_path / "adp.csv-metadata.json").read_text())
    check_csvw(meta, target.read_text())
    assert meta["url"] == "adp.csv"


def test_cli_read_only_while_another_reader_holds_it(db):
    """`immstat sources` works while the server (a read-only opener) holds the file."""
    with Warehouse(db, read_only=True):
        out = CliRunner().invoke(app, ["sources", "--format", "json", "--db", str(db)])
    assert out.exit_code == 0 and "FY26_detentionStats_04092026.xlsx" in out.stdout


def test_blank_category_label():
    from immstat.present import charts

    assert charts.BLANK_LABEL == BLANK_LABEL == "not recorded"


# ------------------------------------------------------------------ like for like
def test_year_to_date_against_the_same_days(wh):
    change = year_change(wh, "detention_stats_book_ins", 2026)
    assert change.comparable and change.span == (dt.date(2025, 10, 1), dt.date(2026, 3, 31))
    assert change.prior_span == (dt.date(2024, 10, 1), dt.date(2025, 3, 31))
    months = wh.query("detention_stats_book_ins", date_from="2024-10-01", date_to="2025-03-31")
    assert change.prior == months.value() and "same days of FY2025" in change.text
    whole = year_change(wh, "detention_stats_adp", 2020)
    assert whole.comparable and whole.text.endswith("vs FY2019")
    assert not year_change(wh, "detention_stats_adp", 2027).comparable


def test_change_never_compares_a_partial_with_a_whole_year(wh):
    change = year_change(wh, "detention_stats_adp", 2026)
    fy25 = wh.query("detention_stats_adp", fy=2025).value()
    assert change.prior != fy25 and change.span[1] < dt.date(2026, 4, 4)


# ------------------------------------------------------------------ targets
def test_targets_measured_from_their_own_start(wh):
    targets = {t.id: t for t in load_targets()}
    day = dt.date(2026, 5, 1)
    first = published_pace(wh, targets["ice-1200-1500-per-day"], day)
    fy25 = next(r for r in first["rows"] if r["fiscal_year"] == 2025)
    assert (fy25["from"], fy25["through"], round(fy25["per_day"])) == ("2025-02-01", "2025-09-20", 806)
    later = published_pace(wh, targets["ice-3000-per-day"], day)
    fy25 = next(r for r in later["rows"] if r["fiscal_year"] == 2025)
    assert (fy25["from"], round(fy25["per_day"])) == ("2025-06-01", 970)
    fy26 = next(r for r in later["rows"] if r["fiscal_year"] == 2026)
    assert fy26["days"] == 186 and round(fy26["per_day"]) == 1113 and fy26["partial"]
    assert first["status"] == "ok" and not first["synthetic"]


def test_targets_file_says_what_the_reporting_says():
    t = {x.id: x for x in load_targets()}
    assert "Washington Post" in t["ice-1200-1500-per-day"].publication
    assert "Homan" in t["ice-1200-1500-per-day"].summary
    assert "press secretary" in t["ice-75-per-field-office"].summary
    assert "ImmStat's arithmetic" in t["ice-75-per-field-office"].notes
    miller = t["ice-3000-per-day"]
    assert "Miller" in miller.stated_by and "Fox News" in miller.publication
    assert "New York Times" in miller.publication
    million = t["one-million-removals-2025"]
    assert million.confidence == "low" and "question" in million.title.lower()
    assert (million.start, million.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
