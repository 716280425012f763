"""The metric engine on small warehouses whose answers are known by construction."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from builders import load_arrest_rows
from immstat.core.errors import PrivacyError, QueryError, UnknownName
from immstat.metrics import all_metrics

PERIOD_COLUMNS = ["period_start", "period_end", "partial"]  # every cell's days (metrics/periods.py)


def arrests(n: int, day: dt.date, aor: str = "HOU", criminality: str = "other", **extra) -> list[dict]:
    return [{"apprehension_date": day, "aor": aor, "criminality": criminality, "method": "Located",
             "person_key": f"{aor}{day}{i}", **extra} for i in range(n)]


@pytest.fixture
def wh(make_warehouse):
    wh = make_warehouse()
    rows = (arrests(40, dt.date(2024, 11, 5)) + arrests(25, dt.date(2024, 12, 2), "MIA", "convicted")
            + arrests(3, dt.date(2025, 1, 7), "SEA") + arrests(30, dt.date(2025, 1, 7), "HOU", "pending")
            + arrests(12, dt.date(2023, 10, 1), "MIA", final_order=True)
            + arrests(15, dt.date(2023, 10, 2), "MIA", final_order=False))
    load_arrest_rows(wh, rows)
    return wh


def test_national_fy_totals(wh):
    assert wh.query("arrests", fy=2025).value() == 40 + 25 + 3 + 30
    assert wh.query("arrests", fy=2024).value() == 27
    by_fy = wh.query("arrests", grain="fy").to_dict()
    assert by_fy["columns"] == ["fiscal_year", "value", "suppressed", *PERIOD_COLUMNS]
    assert [row[:3] for row in by_fy["rows"]] == [[2024, 27.0, False], [2025, 98.0, False]]


def test_small_cell_suppressed_with_its_complement(wh):
    r = wh.query("arrests", by=["aor"], fy=2025)
    cells = {row[0]: (row[1], row[2]) for row in r.rows()}
    assert cells["SEA"] == (None, True)  # 3 arrests: primary suppression
    assert r.suppressed >= 2  # and at least one complement (the national total is released)
    assert cells["ATL"] == (0.0, False)  # zeros inside the lattice are shown as 0
    assert r.min_cell == 11 and r.to_dict()["release"]["release_id"] >= 1


def test_zero_is_not_suppressed_and_absent_cells_are_zero(wh):
    r = wh.query("arrests", by=["criminality"], fy=2024)
    cells = {row[0]: row[1:3] for row in r.rows()}
    assert cells["convicted"] == [0.0, False] and cells["pending"] == [0.0, False]
    assert cells["other"] in ([27.0, False], [None, True])  # tiny data: may hide as a complement


def test_shares_and_rates_are_rounded_views_of_released_cells(wh):
    share = wh.query("final_order_share", fy=2024)
    assert share.value() == round(12 / 27, 4) and share.precision == 4
    aperture = wh.query("criminality_share", grain="fy").to_dict()["rows"]
    assert aperture[0][0] == 2024 and aperture[0][1] in (1.0, None)
    per_day = wh.query("arrests_per_day", grain="month", date_from="2024-11-01", date_to="2024-11-30")
    assert per_day.rows() == [["2024-11-01", round(40 / 30, 2), False, "2024-11-01", "2024-11-30",
                               False]]
    assert per_day.precision == 2


def test_share_with_small_numerator_is_suppressed(make_warehouse):
    wh = make_warehouse()
    load_arrest_rows(wh, arrests(5, dt.date(2025, 2, 1), final_order=True)
                     + arrests(200, dt.date(2025, 2, 1), final_order=False))
    r = wh.query("final_order_share", fy=2025)
    assert r.value() is None and r.suppressed == 1


def test_persons_and_rearrests(make_warehouse):
    wh = make_warehouse()
    rows = [{"apprehension_date": dt.date(2025, 3, 1) + dt.timedelta(days=i % 3), "aor": "HOU",
             "criminality": "other", "person_key": f"p{i // 3}"} for i in range(60)]
    load_arrest_rows(wh, rows)
    assert wh.query("persons_arrested", fy=2025).value() == 20
    assert wh.query("rearrest_share", fy=2025).value() == round(40 / 60, 4)  # stated precision


def test_privacy_rules(wh):
    with pytest.raises(PrivacyError, match="state by day.*released tables"):
        wh.query("arrests", by=["state"], grain="day")
    with pytest.raises(PrivacyError, match="by week"):
        wh.query("arrests", grain="week")
    with pytest.raises(PrivacyError, match="state over"):  # state: whole months only
        wh.query("arrests", by=["state"], date_from="2024-11-05", date_to="2024-12-31")
    with pytest.raises(PrivacyError, match="lowered"):
        wh.query("arrests", min_cell=5)
    # national days are released: any window is a sum of released day cells
    assert wh.query("arrests", date_from="2024-11-03", date_to="2024-11-20").value() == 40
    assert wh.query("arrests", date_from="2024-11-01", date_to="2024-11-30").value() == 40
    stricter = wh.query("arrests", min_cell=50, by=["aor"], fy=2025)  # rebuilds the release
    assert stricter.min_cell == 50 and dict((r[0], r[2]) for r in stricter.rows())["MIA"]


def test_seven_dimensions_at_day_grain_is_refused(wh):
    """The high-dimensional breakdown attack: outside the lattice, one line, nothing computed."""
    with pytest.raises(PrivacyError, match="released tables") as err:
        wh.query("arrests", by=["aor", "state", "criminality", "method", "program", "gender",
                                "citizenship"], grain="day")
    assert "\n" not in str(err.value)


def test_unknown_names_say_what_is_valid(wh):
    with pytest.raises(UnknownName, match="Did you mean 'arrests'"):
        wh.query("arests")
    with pytest.raises(UnknownName, match="Did you mean 'aor'"):
        wh.query("arrests", by=["aorr"])
    with pytest.raises(UnknownName, match="Valid choices: convicted, other, pending"):
        wh.query("arrests", where={"criminality": ["violent"]})
    with pytest.raises(QueryError):
        wh.query("arrests", fy=2025, date_from="2024-10-01")


def test_where_filters_and_lists(wh):
    """A multi-value filter adds released cells and is suppressed when any summand is."""
    by_aor = {r[0]: r[1:3] for r in wh.query("arrests", by=["aor"], fy=2025).rows()}
    both = wh.query("arrests", fy=2025, where={"aor": ["hou", "MIA"]}).rows()[0][:2]
    hidden = by_aor["HOU"][1] or by_aor["MIA"][1]
    assert both == ([None, True] if hidden else [95.0, False])
    assert wh.query("arrests", fy=2025, where={"aor": ["ATL", "BOS"]}).value() == 0


def test_overlapping_windows_show_identical_cells(wh):
    a = wh.query("arrests", grain="day", date_from="2024-11-01", date_to="2025-01-10")
    b = wh.query("arrests", grain="day", date_from="2024-12-01", date_to="2025-01-31")
    cells_a = {r[0]: r[1:] for r in a.rows()}
    cells_b = {r[0]: r[1:] for r in b.rows()}
    for day in set(cells_a) & set(cells_b):
        assert cells_a[day] == cells_b[day]


def test_every_metric_runs_and_never_returns_person_key(wh):
    for metric in all_metrics():
        if metric.table != "arrests":
            continue
        r = wh.query(metric.name, by=["aor"], grain="fy")
        text = json.dumps(r.to_dict())
        assert "person_key" not in text and "HOU2024" not in text


def test_cli_query_json_matches_library(wh, tmp_path, cli):
    path = wh.path
    expected = wh.query("arrests", by=["aor"], fy=2025).to_dict()
    wh.close()
    out = cli("query", "arrests", "--by", "aor", "--fy", "2025", "--format", "json", "--db", path,
              check=True)
    assert json.loads(out.stdout) == json.loads(json.dumps(expected))


def test_cli_bad_input_is_one_line_exit_1(wh, cli):
    path = wh.path
    wh.close()
    out = cli("query", "arrests", "--by", "nope", "--db", path)
    assert out.exit_code == 1
    assert "Traceback" not in out.stderr and out.stderr.strip().count("\n") == 0
    assert "Valid choices" in out.stderr
