"""Chart specs from real Results render with vl-convert and mark synthetic/suppressed data."""

from __future__ import annotations

import json
import re

import pytest
import vl_convert as vlc

from immstat.present import charts

VL = "6.4"
SMALL = {"date_from": "2025-03-01", "date_to": "2025-03-31"}  # Vermont and El Paso are small then


@pytest.fixture(scope="module")
def db(web_db):
    return web_db


def svg(spec: dict) -> str:
    return vlc.vegalite_to_svg(spec, vl_version=VL)


def subtitle(spec: dict) -> list[str]:
    return spec["title"]["subtitle"]


def test_line_marks_synthetic_and_renders(wh):
    result = wh.query("arrests", by=["criminality"], grain="month", fy=2025)
    spec = charts.line(result, "Arrests by month")
    assert any("SYNTHETIC" in s for s in subtitle(spec))
    assert spec["mark"]["invalid"] == "break-paths-show-domains"  # suppressed cells leave gaps
    out = svg(spec)
    assert out.startswith("<svg") and "Arrests by month" in out and "SYNTHETIC" in out
    assert set(spec["encoding"]["color"]["scale"]["range"]) <= set(charts.OKABE_ITO)


def test_bars_label_suppressed_rows(wh):
    result = wh.query("arrests", by=["aor"], **SMALL)
    assert result.suppressed > 0
    spec = charts.bars(result, "aor", "Arrests by field office", top=None)
    out = svg(spec)
    assert out.count("suppressed (&lt;11)") + out.count("suppressed (<11)") >= result.suppressed
    assert f"{result.suppressed} cell(s) suppressed" in " ".join(subtitle(spec))


def test_stacked_share_and_facility_trend_render(wh):
    mix = wh.query("arrests", by=["criminality"], grain="month", fy=2025)
    assert "<svg" in svg(charts.stacked_share(mix, "criminality", "Criminality mix"))
    adp = wh.query("adp", grain="month", fy=2025)
    spec = charts.facility_trend(adp, "Detained population")
    assert not subtitle(spec) or not any("SYNTHETIC" in s for s in subtitle(spec))
    assert "<svg" in svg(spec)


@pytest.mark.parametrize("level", ["state", "aor"])  # record-level arrests have no county tables
def test_choropleth_levels_render_with_suppressed_legend(wh, level):
    result = wh.query("arrests", by=[level], **SMALL)
    spec = charts.choropleth(result, level, title=f"Arrests by {level}")
    rows = spec["datasets"]["immstat_areas"]
    shown = {r["key"] for r in rows if r["status"] == "value"}
    hidden = {r["key"] for r in rows if r["status"] == "suppressed (<11)"}
    flag = result.columns.index("suppressed")
    assert shown == {r[0] for r in result.rows() if not r[flag]} & {r["key"] for r in rows}
    assert hidden == {r[0] for r in result.rows() if r[flag]} & {r["key"] for r in rows}
    assert all(r["value"] is None for r in rows if r["status"] != "value")
    assert shown and hidden
    out = svg(spec)
    assert out.count("<path") > (40 if level == "state" else 3000)
    if hidden:
        assert "suppressed (&lt;11)" in out or "suppressed (<11)" in out


def test_aor_map_colours_counties_by_their_office(wh):
    result = wh.query("arrests", by=["aor"], fy=2025)
    spec = charts.choropleth(result, "aor", "/static/geo/counties-10m.json")
    rows = spec["datasets"]["immstat_areas"]
    assert "/static/geo/counties-10m.json" in json.dumps(spec)
    assert "immstat_shapes" not in spec["datasets"]
    values = {r[0]: r[1] for r in result.rows()}
    houston = [r for r in rows if r["key"] == "HOU"]
    assert len(houston) > 20 and all(r["value"] == values["HOU"] for r in houston)
    assert "Houston" in houston[0]["name"]
    json.dumps(spec)  # plain JSON, ready for vega-embed


def test_map_refuses_results_it_cannot_draw(wh):
    with pytest.raises(ValueError, match="query it by state"):
        charts.choropleth(wh.query("arrests", by=["aor"], fy=2025), "state")
    with pytest.raises(ValueError, match="one value per area"):
        charts.choropleth(wh.query("arrests", by=["state"], grain="month", fy=2025), "state")


def test_time_axes_carry_the_year(wh):
    result = wh.query("arrests", grain="month", fy=2025)
    out = svg(charts.line(result, "ICE arrests per month"))
    months = re.findall(r">((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d)<", out)
    assert len(months) >= 3 and "October<" not in out


def test_shares_are_drawn_as_percentages(wh):
    result = wh.query("criminality_share", grain="month", fy=2025)
    spec = charts.line(result, "Share with no conviction or charge")
    assert spec["encoding"]["y"]["axis"]["format"] == "%"
    assert spec["encoding"]["y"]["title"] == "per cent"
    assert re.search(r">\d+%<", svg(spec))


def test_facility_types_get_their_own_colours_and_a_blank_label(wh):
    result = wh.query("adp", by=["facility_type"], grain="month", fy=2025)
    spec = charts.stacked_area(result, "facility_type", "By facility type")
    scale = spec["encoding"]["color"]["scale"]
    assert len(set(scale["range"])) == len(scale["domain"]) > len(charts.OKABE_ITO)
    assert charts.BLANK_LABEL in scale["domain"] and None not in scale["domain"]
    assert "null" not in svg(spec)


def test_revised_and_partial_marks_render(wh):
    from immstat.present.overlays import Mark, mark_periods

    result = wh.query("detention_stats_adp", grain="month", fy=2026)
    spec = mark_periods(charts.line(result, "ADP"), [
        Mark("2026-01-01", 71929.5, "revised", "Jan 2026: 71,955 → 71,929"),
        Mark("2026-04-01", 61028.75, "partial", "to date", "to 4 Apr 2026")])
    out = svg(spec)
    assert "to 4 Apr 2026" in out and "Apr 2026" in out
