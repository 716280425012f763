"""The bottom layer: calendar and fiscal-year rules, parsing, formatting, errors, settings and
bundled reference data. Imports nothing else from ImmStat."""
