"""Validate Little's law on history: predicted ADP = book-ins per day × ALOS vs published ADP.

All three figures are ICE's published fiscal-year (to date) figures for all arresting agencies.
Known biases: ICE's ALOS is measured over people booked out in the year, so when the
population grows (stays still running are not counted) the prediction runs low, and when it
shrinks after long stays end (FY2021) it runs high; the law itself assumes a steady state.
"""

from __future__ import annotations

from statistics import median

from immstat.analysis.capacity.defaults import fy_figures

MIN_DAYS = 335  # a fiscal year counts as (nearly) complete with at least 11 months of data


def validate_history(wh, as_of=None) -> dict:
    """Per fiscal year: published ADP, predicted ADP, absolute and % error; plus a summary."""
    adp = fy_figures(wh, "detention_stats_adp", False, as_of)
    alos = fy_figures(wh, "detention_stats_alos", False, as_of)
    book_ins = fy_figures(wh, "detention_stats_book_ins", False, as_of)
    rows = []
    for (_, fy), published in sorted(adp.values.items(), key=lambda kv: kv[0][1]):
        stay, admitted = alos.get(fy), book_ins.get(fy)
        if published is None or stay is None or admitted is None:
            continue
        days = book_ins.days(fy)
        predicted = admitted / days * stay
        rows.append({"fiscal_year": fy, "days": days, "complete": days >= MIN_DAYS,
                     "book_ins": admitted, "book_ins_per_day": admitted / days, "alos_days": stay,
                     "published_adp": published, "predicted_adp": predicted,
                     "error": predicted - published, "error_pct": 100 * (predicted - published) / published,
                     "source": adp.cite(fy)})
    full = [abs(r["error_pct"]) for r in rows if r["complete"]]
    summary = {"fiscal_years": len(rows), "complete_years": len(full), "min_days": MIN_DAYS,
               "median_abs_error_pct": median(full) if full else None,
               "mean_abs_error_pct": sum(full) / len(full) if full else None,
               "max_abs_error_pct": max(full) if full else None}
    return {"rows": rows, "summary": summary, "method": __doc__.strip().splitlines()[0],
            "caveat": " ".join(__doc__.strip().splitlines()[3:]).strip()}
