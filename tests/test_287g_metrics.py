"""287(g) metrics on the real lists, through Warehouse.query and the HTTP API: snapshot stock
semantics (never summed), counts of issue 19, geography, agreement and agency types, signing dates.

Issue 19's figures and ours: rows 571 → 753 and the 13 Aug 2025 list's 897 rows (Florida 318,
Texas 137) are rows of the files (checked on the table); its "428 → 557 distinct agencies" count
distinct agency *names* across states, which merges e.g. the Franklin County sheriffs of five
states. agencies_287g counts an agency per state: 460 → 617, and 741 on 13 Aug 2025 (the "897
agencies" there are 897 listed agreements). agreements_287g counts a word-for-word repeated listing
once: 570 → 752 (St. Cloud Police, FL, Task Force, listed twice in every 287g-watch snapshot) and
896 (Volusia County Sheriff's Office, FL, Task Force, twice on ICE's list).
"""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immstat.cli.compose import build_app
from immstat.core.errors import QueryError, UnknownName
from immstat.metrics import DIMENSIONS, all_metrics, get_metric

WATCH = "287g/agreements.csv"
ICE = "287g/participatingAgencies08132025am.xlsx"
FIRST, LAST, AUGUST = "2025-05-16 am", "2025-07-03 pm", "2025-08-13 am"
METRICS_287G = ("agencies_287g", "agreements_287g", "agreements_287g_signed", "agencies_287g_signed")


@pytest.fixture(scope="module")
def db(shared_data, ingested):
    return ingested("g287", [shared_data / WATCH, shared_data / ICE])[0]


@pytest.fixture(scope="module")
def client(db, wh):  # opened after ``wh``: both read-only, one DuckDB instance
    with TestClient(build_app(db, web=False)) as c:
        yield c


@pytest.fixture(scope="module")
def series(wh) -> dict[str, dict[str, float]]:
    """metric → snapshot label → value, from the --by snapshot series."""
    return {m: {label: value for label, value, *_ in wh.query(m, by=["snapshot"]).rows()}
            for m in ("agencies_287g", "agreements_287g")}


def value(wh, metric: str, **options) -> float | None:
    return wh.query(metric, **options).value()


def cells(wh, metric: str, **options) -> dict:
    rows = [row[:-3] for row in wh.query(metric, **options).rows()]  # without each cell's period
    return {tuple(row[:-2]) if len(row) > 3 else row[0]: row[-2] for row in rows}


# ------------------------------------------------------------------ the issue's counts
def test_file_rows_of_the_issue(wh):
    rows = dict(wh.cursor().execute("SELECT snapshot, count(*) FROM agreements_287g GROUP BY 1").fetchall())
    assert (rows[FIRST], rows[LAST], rows[AUGUST]) == (571, 753, 897)
    assert rows["2025-05-19 am"] + rows["2025-05-19 pm"] == 1169  # one date, two collections
    by_state = dict(wh.cursor().execute("SELECT state, count(*) FROM agreements_287g WHERE snapshot = ? "
                                   "GROUP BY 1", [AUGUST]).fetchall())
    assert (by_state["FL"], by_state["TX"]) == (318, 137)


def test_issue_distinct_agencies_are_distinct_names(wh, series):
    """428 → 557 are distinct names; the gap to our counts is exactly the names shared by
    agencies of several states."""
    for label, names in ((FIRST, 428), (LAST, 557)):
        got, shared = wh.cursor().execute(
            "SELECT count(DISTINCT agency), (SELECT sum(n - 1) FROM (SELECT count(DISTINCT state) n "
            "FROM agreements_287g WHERE snapshot = $1 GROUP BY agency)) FROM agreements_287g "
            "WHERE snapshot = $1", [label]).fetchall()[0]
        assert got == names
        assert series["agencies_287g"][label] == names + shared


def test_snapshot_series_first_last_and_august(series):
    agencies, agreements = series["agencies_287g"], series["agreements_287g"]
    assert len(agencies) == 18 and list(agencies) == sorted(agencies)  # 17 + ICE's 13 Aug list
    assert (agencies[FIRST], agencies[LAST], agencies[AUGUST]) == (460, 617, 741)
    assert (agreements[FIRST], agreements[LAST], agreements[AUGUST]) == (570, 752, 896)


def test_august_list_by_state(wh):
    """Florida: 318 rows, 255 agency names, one repeated listing (Volusia). Texas: 137 rows, 111
    spellings of 105 agencies (Galveston, Lavaca, Calhoun, Goliad, Wharton written with both ' and
    ’; Walker as Sheriff's Department and Sheriff's Office)."""
    agencies = cells(wh, "agencies_287g", by=["state"])
    agreements = cells(wh, "agreements_287g", by=["state"])
    assert (agencies["FL"], agencies["TX"]) == (255, 105)
    assert (agreements["FL"], agreements["TX"]) == (317, 137)
    assert sum(agreements.values()) == 896


# ------------------------------------------------------------------ no double counting
def test_default_is_the_newest_snapshot_not_a_sum(wh, series):
    assert value(wh, "agreements_287g") == series["agreements_287g"][AUGUST] == 896
    assert value(wh, "agencies_287g", fy=2025) == 741
    result = wh.query("agencies_287g")
    assert result.notes[-1] == f"snapshot stock: read from snapshot {AUGUST}; snapshots are never summed"
    month = wh.query("agencies_287g", grain="month").notes[-1]
    assert month.startswith("snapshot series: 4 snapshots, 2025-05-29 am … 2025-08-13 am, the newest")


def test_a_day_with_two_collections_reads_the_evening_one(wh, series):
    day = cells(wh, "agreements_287g", grain="day", date_from="2025-05-19", date_to="2025-05-19")
    assert day == {"2025-05-19": series["agreements_287g"]["2025-05-19 pm"]} == {"2025-05-19": 587}
    assert value(wh, "agencies_287g", as_of="2025-05-19") == series["agencies_287g"]["2025-05-19 pm"]
    assert value(wh, "agencies_287g", where={"snapshot": ["2025-05-19 am"]}) == 470


def test_month_cells_are_the_newest_snapshot_of_each_month(wh, series):
    months = cells(wh, "agreements_287g", grain="month")
    newest = {}
    for label, v in series["agreements_287g"].items():
        newest[label[:8] + "01"] = v  # labels sorted → the month's newest wins
    assert months == newest
    assert months["2025-05-01"] == series["agreements_287g"]["2025-05-29 am"]


def test_filters_do_not_move_the_snapshot(wh):
    """Waupaca County (WI, 55135) is on the 3 Jul list but not on 13 Aug: no agency now, not its
    count in an older snapshot."""
    assert value(wh, "agencies_287g", where={"county": ["55135"], "snapshot": [LAST]}) == 1
    assert value(wh, "agencies_287g", where={"county": ["55135"]}) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(dt.date(2025, 5, 1), dt.date(2025, 8, 31)), days=st.integers(0, 120),
       grain=st.sampled_from([None, "day", "week", "month", "fy"]))
def test_every_cell_is_one_snapshot(wh, series, start, days, grain):
    """Whatever the window and grain, a cell's value is the value of the newest snapshot of its
    period inside the window — never a sum, never an interpolation."""
    end = start + dt.timedelta(days=days)
    inside = {k: v for k, v in series["agreements_287g"].items()
              if start <= dt.date.fromisoformat(k[:10]) <= end}
    expected: dict = {}
    for label, v in inside.items():
        day = dt.date.fromisoformat(label[:10])
        key = {None: None, "day": day.isoformat(),
               "week": (day - dt.timedelta(days=day.weekday())).isoformat(),
               "month": day.replace(day=1).isoformat(), "fy": 2025}[grain]
        expected[key] = v
    if grain is None:
        assert value(wh, "agreements_287g", date_from=start, date_to=end) == expected.get(None)
    else:
        assert cells(wh, "agreements_287g", grain=grain, date_from=start, date_to=end) == expected


# ------------------------------------------------------------------ geography and types
@pytest.mark.parametrize("fips, aor, agencies", [
    ("01033", "NOL", 1),   # Colbert County Sheriff's Office, AL (three agreements)
    ("12057", "MIA", 1),   # Hillsborough County Sheriff's Office, FL
    ("12069", "MIA", 2),   # Lake County FL: its sheriff, and Howey in the Hills PD ('Lake Conty')
    ("51670", "WAS", 1),   # Hopewell, VA (an independent city, listed as 'Hopewell County')
])
def test_county_and_aor_of_known_agencies(wh, fips, aor, agencies):
    assert value(wh, "agencies_287g", where={"county": [fips]}) == agencies
    assert fips in cells(wh, "agencies_287g", by=["county"], where={"aor": [aor]})


def test_agencies_without_a_county_count_in_state_totals_only(wh):
    by_county = cells(wh, "agencies_287g", by=["county"], where={"state": ["FL"]})
    by_aor = cells(wh, "agencies_287g", by=["aor"])
    assert by_county[None] == 152 and by_aor[None] == 233  # state agencies, city police
    assert value(wh, "agencies_287g", where={"state": ["FL"]}) == 255
    assert by_aor["MIA"] == 103


def test_county_match_rate(wh):
    named, matched = wh.cursor().execute("SELECT count(DISTINCT agency_key), count(DISTINCT CASE WHEN "
                                    "county_fips IS NOT NULL THEN agency_key END) FROM "
                                    "agreements_287g WHERE county IS NOT NULL").fetchall()[0]
    assert matched / named > 0.99 and named - matched == 3


def test_agreement_types_normalised(wh):
    """'Task Force Model' and 'Task Force Model ' (trailing space) are one model: ICE's list has
    437 + 7 rows of it (one repeated), 122 Jail Enforcement and 331 Warrant Service Officer."""
    types = cells(wh, "agreements_287g", by=["agreement_type"])
    assert types == {"Jail Enforcement": 122, "Task Force": 443, "Warrant Service Officer": 331}
    assert value(wh, "agreements_287g", where={"agreement_type": ["task force"]}) == 443
    assert cells(wh, "agreements_287g", by=["agreement_type"], where={"snapshot": [FIRST]}) == {
        "Jail Enforcement": 91, "Task Force": 274, "Warrant Service Officer": 205}


def test_agency_types_harmonised_across_lists(wh):
    august = cells(wh, "agencies_287g", by=["agency_type"])
    assert set(august) == {"County", "Municipality", "State"}
    assert august["State"] == 65
    july = cells(wh, "agencies_287g", by=["agency_type"], where={"snapshot": [LAST]})
    assert set(july) == {"County", "Municipality", "State", None}  # None: FBI type unmatched
    unmapped = wh.cursor().execute("SELECT DISTINCT agency_type_published FROM agreements_287g WHERE "
                              "agency_type IS NULL AND agency_type_published IS NOT NULL").fetchall()
    assert unmapped == [("Other Agency Types",)]


# ------------------------------------------------------------------ signing dates
def test_signed_since(wh):
    assert value(wh, "agreements_287g_signed") == 896
    months = cells(wh, "agreements_287g_signed", grain="month")
    assert sum(months.values()) == 896 and min(months) == "2019-04-01"  # additive: one date each
    assert value(wh, "agreements_287g_signed", date_from="2025-01-20") == 762
    since = value(wh, "agencies_287g_signed", date_from="2025-01-20")
    assert since == 669 and since <= value(wh, "agencies_287g")
    assert cells(wh, "agreements_287g_signed", grain="fy")[2025] == value(
        wh, "agreements_287g_signed", fy=2025)


def test_signed_reads_only_a_list_with_signing_dates(wh):
    result = wh.query("agreements_287g_signed", as_of="2025-07-31")
    assert result.rows() == [] and "no snapshot" in result.notes[-1]


def test_unknown_snapshot_is_refused_with_a_suggestion(wh):
    with pytest.raises(UnknownName, match="Did you mean '2025-05-19 pm'"):
        wh.query("agencies_287g", where={"snapshot": ["2025-05-19"]})


def test_several_snapshots_are_never_combined(wh):
    two = {"snapshot": [FIRST, LAST]}
    with pytest.raises(QueryError, match="never combined"):
        wh.query("agencies_287g", where=two)
    assert cells(wh, "agencies_287g", by=["snapshot"], where=two) == {FIRST: 460, LAST: 617}


def test_registry_entries():
    for name in METRICS_287G:
        m = get_metric(name)
        assert not m.record_derived and m.snapshots is not None
        assert {"snapshot", "state", "county", "aor", "agreement_type", "agency_type"} <= set(m.dimensions)
        assert all(d in DIMENSIONS for d in m.dimensions)
        assert any("287g-watch" in note for note in m.notes)
    assert [m.name for m in all_metrics() if m.table == "agreements_287g"] == list(METRICS_287G)


# ------------------------------------------------------------------ HTTP API
def test_api_query_matches_the_library(client, wh):
    response = client.get("/api/v1/query/agencies_287g?by=state&where=snapshot=2025-07-03 pm")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == wh.query("agencies_287g", by=["state"], where={"snapshot": [LAST]}).to_dict()
    assert sum(v for _, v, *_ in body["rows"]) >= 617 and body["suppressed"] == 0
    assert {s["file"] for s in body["sources"]} == {"agreements.csv", ICE.split("/")[1]}


def test_api_series_and_errors(client):
    body = client.get("/api/v1/query/agreements_287g?by=snapshot&by=agreement_type").json()
    assert body["columns"] == ["snapshot", "agreement_type", "value", "suppressed", "period_start",
                               "period_end", "partial"]
    assert len({r[0] for r in body["rows"]}) == 18
    latest = client.get("/api/v1/query/agencies_287g").json()
    assert [r[:2] for r in latest["rows"]] == [[741.0, False]] and any("never summed" in n for n in latest["notes"])
    bad = client.get("/api/v1/query/agencies_287g?where=snapshot=2025-05-19")
    assert bad.status_code == 404 and "2025-05-19 pm" in bad.json()["error"]
    assert {m["name"] for m in client.get("/api/v1/metrics").json()} >= set(METRICS_287G)
