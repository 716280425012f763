"""Vega-Lite specs (Altair) for the targets and capacity pages, built from their ``to_dict()``s.

``immstat.present.charts`` draws metric Results; these draw derived series (actual vs target with a
projection band, office rankings, the approach to a new detained population). Same conventions:
Okabe–Ito colours, the SYNTHETIC note as a subtitle when the data are synthetic.
"""

from __future__ import annotations

import altair as alt

from immstat.core.formats import SYNTHETIC_NOTE
from immstat.present.charts import HEIGHT, OKABE_ITO, WIDTH, finish

ACTUAL, TARGET, BAND = OKABE_ITO[0], OKABE_ITO[3], OKABE_ITO[5]


def _title(text: str, synthetic: bool | None) -> alt.TitleParams:
    sub = [SYNTHETIC_NOTE] if synthetic else []
    return alt.TitleParams(text, subtitle=sub, anchor="start", subtitleColor="#b00020")


def pace_spec(item: dict, grain: str = "week") -> dict | None:
    """Actual per day by ``grain`` vs the target line, with the projection band ahead."""
    rows = item["series"].get(grain) or []
    if not rows:
        return None
    t = item["target"]
    per_office = t["scope"] == "per_field_office"
    unit = "per office per day" if per_office else "per day"
    data = [{"period": r["period"], "value": r["actual_per_day"], "series": "actual",
             "suppressed": r["suppressed"], "days": r["days"]} for r in rows]
    base = alt.Chart(alt.Data(values=data))
    x = alt.X("period:T", title=None)
    y_title = f"{t['unit'].split('/')[0]} {unit}"
    actual = base.mark_line(point=True, color=ACTUAL).encode(
        x=x, y=alt.Y("value:Q", title=y_title),
        tooltip=[alt.Tooltip("period:T", title=grain), alt.Tooltip("value:Q", format=",.1f", title="actual"),
                 alt.Tooltip("days:Q"), alt.Tooltip("suppressed:Q", title="suppressed cells")])
    rule = (
        alt.Chart(
            alt.Data(values=[{"target": t["daily_rate"], "label": f"target {t['daily_rate']:,.0f}"}])
        )
        .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
        .encode(y="target:Q", tooltip=["label:N"])
    )
    layers = [actual, rule]
    proj = item.get("projection") or {}
    if proj.get("model"):
        start = rows[-1]["period"]
        band = [
            {
                "period": start,
                "low": proj["per_day_low"],
                "high": proj["per_day_high"],
                "level": proj["level_per_day"],
            },
            {
                "period": proj["end"],
                "low": proj["per_day_low"],
                "high": proj["per_day_high"],
                "level": proj["level_per_day"],
            },
        ]
        pb = alt.Chart(alt.Data(values=band))
        layers.append(
            pb.mark_area(opacity=0.3, color=BAND).encode(
                x=x,
                y="low:Q",
                y2="high:Q",
                tooltip=[
                    alt.Tooltip("low:Q", format=",.0f", title="band low"),
                    alt.Tooltip("high:Q", format=",.0f", title="band high"),
                ],
            )
        )
        layers.append(pb.mark_line(strokeDash=[2, 2], color=ACTUAL).encode(x=x, y="level:Q"))
    title = f"{t['title']}: actual {unit} by {grain} vs target"
    chart = alt.layer(*layers).properties(
        title=_title(title, item["synthetic"]), width=WIDTH, height=HEIGHT
    )
    return finish(chart)


def ranking_spec(item: dict, top: int = 25) -> dict | None:
    """Arrests per day by field office vs the per-office target."""
    rows = [r for r in (item.get("ranking") or []) if r["per_day"] is not None][:top]
    if not rows:  # offices whose months are suppressed have no bar (their pace is unknown)
        return None
    t = item["target"]
    bars = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color=ACTUAL)
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X("per_day:Q", title="arrests per day"),
            tooltip=[
                alt.Tooltip("name:N"),
                alt.Tooltip("per_day:Q", format=",.1f"),
                alt.Tooltip("share_of_target:Q", format=".0%", title="of target"),
            ],
        )
    )
    rule = (
        alt.Chart(alt.Data(values=[{"target": t["daily_rate"]}]))
        .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
        .encode(x="target:Q")
    )
    chart = alt.layer(bars, rule).properties(
        title=_title(f"Arrests per day by field office vs {t['daily_rate']:,.0f}", item["synthetic"]),
        width=WIDTH,
        height=max(14 * len(rows), 120),
    )
    return finish(chart)


def trajectory_spec(result: dict) -> dict | None:
    """The detained population approaching its new steady state (capacity what-if)."""
    steady = result["outputs"].get("steady_state")
    if not steady:
        return None
    line = (
        alt.Chart(alt.Data(values=steady["trajectory"], name="trajectory"))
        .mark_line(color=ACTUAL)
        .encode(
            x=alt.X("day:Q", title="days after the change"),
            y=alt.Y("population:Q", title="people detained", scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("day:Q"), alt.Tooltip("population:Q", format=",.0f")],
        )
    )
    layers = [line]
    beds = (result["outputs"].get("beds") or {}).get("capacity")
    if beds:
        layers.append(
            alt.Chart(alt.Data(values=[{"beds": beds}]))
            .mark_rule(color=TARGET, strokeDash=[6, 4])
            .encode(y="beds:Q")
        )
    chart = alt.layer(*layers).properties(
        title=_title(
            "Detained population approaching the new steady state (M/M/∞)", result["synthetic"]
        ),
        width=WIDTH,
        height=HEIGHT,
    )
    return finish(chart)
