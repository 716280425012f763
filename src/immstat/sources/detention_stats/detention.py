"""Sections of the "Detention FYxx" sheet, each found by its title text."""

from __future__ import annotations

import re

from immstat.sources.detention_stats.grid import Grid
from immstat.sources.detention_stats.layout import Context, add_cross, add_pairs, cross, monthly
from immstat.sources.detention_stats.values import fiscal_year_in

_AGENCY_ROW = re.compile(r"^(?:(ICE|CBP)\s+)?Average$", re.IGNORECASE)


def read_detention(grid: Grid, ctx: Context) -> None:
    _by_agency(grid, ctx, r"Average Daily Population by Arresting Agency", "adp", "adp")
    _by_agency(grid, ctx, r"Average Length of Stay by Arresting Agency", "alos", "alos_days")
    _by_label(grid, ctx, r"Average Daily Population by (Facility Type|Month)", "adp_facility_type",
              "facility_type", "adp")
    _by_label(grid, ctx, r"Average Length of Stay by (Facility Type|Month)", "alos_facility_type",
              "facility_type", "alos_days")
    _by_label(grid, ctx, r"Initial Book-Ins by Arresting Agency", "book_ins", "agency", "book_ins")
    _book_outs(grid, ctx)
    for block in grid.blocks(r"Currently Detained by Criminality"):
        add_cross(block, ctx, "currently_detained", "criminality", "agency", "detained",
                  skip=r"percent")
    for block in grid.blocks(r"Currently Detained by Processing Disposition"):
        add_cross(block, ctx, "currently_detained_disposition", "disposition", "facility_type",
                  "detained")
    for block in grid.blocks(r"Initial Book-Ins by (Facility Type|Criminality)"):
        add_cross(block, ctx, "book_ins_facility_type", "facility_type", "criminality", "book_ins")
    for block in grid.blocks(r"Final (Book Outs|Releases)( by Facility Type)? ?:"):
        add_pairs(block, ctx, "book_outs_facility_type", "facility_type", "book_outs")
    for block in grid.blocks(r"^ICE Removals"):
        add_pairs(block, ctx, "removals", "category", "removals")
    for block in grid.blocks(r"Fear Decisions in an ICE Detention Facility"):
        add_pairs(block, ctx, "fear_detained", "facility_type", "detained")
    _fear_time(grid, ctx)


def _by_agency(grid: Grid, ctx: Context, title: str, table: str, value: str) -> None:
    """Agency blocks: an '<Agency> Average' row, then its criminality rows."""
    for block in grid.blocks(title):
        agency = "Total"
        for row in monthly(block, ctx):
            label = row.labels[0] or ""
            match = _AGENCY_ROW.match(label)
            if match:
                agency, criminality = (match[1].upper() if match[1] else "Total"), "Total"
            else:
                criminality = label
            for month, raw in row.months:
                ctx.out.add(table, ctx.sheet, row.row_number,
                            {"agency": agency, "criminality": criminality, "month": month},
                            {value: raw, f"{value}_fy_to_date": row.total})


def _by_label(grid: Grid, ctx: Context, title: str, table: str, label: str, value: str) -> None:
    for block in grid.blocks(title):
        for row in monthly(block, ctx):
            for month, raw in row.months:
                ctx.out.add(table, ctx.sheet, row.row_number, {label: row.labels[0], "month": month},
                            {value: raw, f"{value}_fy_to_date": row.total})


def _book_outs(grid: Grid, ctx: Context) -> None:
    """Monthly layout (FY21 on: reason, criminality, Oct … Sep, Total) or the FY19–FY20
    annual layout (reason × criminality columns, fiscal-year totals only, month = None)."""
    for block in grid.blocks(r"Final (Book Outs|Releases) by Release Reason"):
        rows = list(monthly(block, ctx))
        for row in rows:
            reason, criminality = (row.labels + [None])[:2]
            fields = {"release_reason": reason, "criminality": criminality or "Total"}
            for month, raw in row.months:
                ctx.out.add("book_outs", ctx.sheet, row.row_number, {**fields, "month": month},
                            {"book_outs": raw, "book_outs_fy_to_date": row.total})
        if rows:
            continue
        for row_number, reason, values in cross(block):
            for criminality, raw in values:
                ctx.out.add("book_outs", ctx.sheet, row_number,
                            {"release_reason": reason, "criminality": criminality, "month": None,
                             "book_outs": None}, {"book_outs_fy_to_date": raw})


def _fear_time(grid: Grid, ctx: Context) -> None:
    for block in grid.blocks(r"Average Time from USCIS Fear Decision"):
        for row_number, label, values in cross(block):
            release_fy = fiscal_year_in(label)
            if release_fy is None:
                ctx.out.reject(ctx.sheet, row_number, "ICE Release Fiscal Year",
                               "fear_decision_time: not a fiscal year", label)
                continue
            for facility_type, raw in values:
                ctx.out.add("fear_decision_time", ctx.sheet, row_number,
                            {"release_fiscal_year": release_fy, "facility_type": facility_type},
                            {"days": raw})
