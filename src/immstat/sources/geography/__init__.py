"""Reference geography built from public-domain / CC0 files only (no GPL data in the repo).

``build_reference(shared_data_dir)`` rebuilds the bundled CSVs in ``immstat/data/reference/``:
``aor.csv`` (checked against the ICE office list), ``counties.csv``, ``county_aor.csv`` and
``facilities.csv``. Run ``python -m immstat.sources.geography /path/to/shared/data`` after an
input changes; the tests check that the bundled files equal a fresh build.
"""

from __future__ import annotations

from immstat.sources.geography.names import county_fips, county_key

__all__ = ["county_fips", "county_key"]
