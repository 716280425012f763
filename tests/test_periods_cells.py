"""Properties of every cell's period (metrics/periods.py): inside its calendar period and the
request, never past the data end, and partial exactly when it stops short or starts late."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from immstat.core.calendar import fiscal_year, fy_bounds, period_of, period_span
from immstat.metrics.engine import Request
from immstat.metrics.periods import DataEnds, result_end, stamp
from immstat.metrics.registry import get_metric

METRIC = get_metric("detention_stats_adp")
days = st.dates(min_value=dt.date(2015, 10, 1), max_value=dt.date(2027, 9, 30))


@settings(max_examples=300, deadline=None)
@given(grain=st.sampled_from(["day", "week", "month", "fy", None]), a=days, b=days,
       data=st.tuples(days, days), window=st.booleans())
def test_cells_stay_inside_their_period_and_the_data(grain, a, b, data, window):
    lo, hi = sorted((a, b))
    data_lo, data_hi = sorted(data)
    req = Request(METRIC, grain=grain, start=lo if window else None, end=hi if window else None)
    ends = DataEnds(data_lo, data_hi, "test")
    probe = [lo, hi, data_lo, data_hi]
    periods = sorted({period_of(d, grain) for d in probe}) if grain else [None]
    frame = stamp(pd.DataFrame({"period": periods, "value": 1.0}), req, ends)
    for period, first, last, partial in zip(frame["period"], frame["period_start"],
                                            frame["period_end"], frame["partial"]):
        cal_lo, cal_hi = period_span(period, grain) if grain else (req.start, req.end)
        want_lo = max(d for d in (cal_lo, req.start) if d is not None) if (cal_lo or req.start) else None
        want_hi = min(d for d in (cal_hi, req.end) if d is not None) if (cal_hi or req.end) else None
        assert last <= data_hi and first >= data_lo
        if want_hi is not None:
            assert last <= want_hi
            assert partial == (last < want_hi or (want_lo is not None and first > want_lo))
        if want_lo is not None:
            assert first >= want_lo


def test_release_ends_apply_per_fiscal_year():
    ends = DataEnds(dt.date(2024, 10, 1), dt.date(2026, 4, 4), "solved",
                    {2025: (dt.date(2025, 9, 20), "solved"), 2026: (dt.date(2026, 4, 4), "solved")})
    req = Request(METRIC, grain="month", start=fy_bounds(2025)[0], end=fy_bounds(2026)[1])
    frame = stamp(pd.DataFrame({"period": [dt.date(2025, 9, 1), dt.date(2026, 3, 1),
                                           dt.date(2026, 4, 1)], "value": 1.0}), req, ends)
    assert list(frame["period_end"]) == [dt.date(2025, 9, 20), dt.date(2026, 3, 31),
                                         dt.date(2026, 4, 4)]
    assert list(frame["partial"]) == [True, False, True]
    assert result_end(Request(METRIC, start=fy_bounds(2025)[0], end=fy_bounds(2025)[1]),
                      ends)[0] == dt.date(2025, 9, 20)
    assert fiscal_year(result_end(req, ends)[0]) == 2026
