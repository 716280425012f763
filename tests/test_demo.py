"""`immstat demo` builds from real bundled files only; the SYNTHETIC sandbox is its own warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pytest

from immstat import Warehouse
from immstat.analysis.demo import build_demo, build_sandbox, bundled_files
from immstat.core.errors import ConfigError


@pytest.fixture(scope="module")
def demo(demo_db):
    with Warehouse(demo_db, read_only=True) as wh:
        yield wh


def test_no_synthetic_source_and_every_row_accounted(demo):
    sources = demo.sources()
    assert sources and not any(s["synthetic"] for s in sources)
    for s in sources:
        assert s["rows_in"] == s["rows_loaded"] + s["rows_rejected"], s["file_name"]
    files = {s["file_name"] for s in sources}
    assert {p.name for p in bundled_files()} <= files


def test_real_headlines(demo):
    assert demo.query("arrests", fy=2017).value() == 143_470  # FOIA 2019-ICFO-53623
    assert demo.query("removals", fy=2018).value() == 256_085
    assert demo.query("ero_stats_arrests", fy=2023).coverage["years"][0]["share"] == 0.859
    months = demo.query("usbp_encounters_monthly", grain="month", fy=2026).rows()
    assert months[-1][0] == "2026-07-01"
    assert not any(demo.query(m, grain="fy").synthetic for m in
                   ("arrests", "removals", "ero_stats_removals", "detention_stats_adp"))


@pytest.mark.parametrize("as_of, adp", [("2026-02-05", 67_456.09), ("2026-02-20", 67_972.92),
                                        (None, 66_978.05)])
def test_all_three_fy2026_detention_releases(demo, as_of, adp):
    """SOURCES.md: FY2026 year-to-date ADP as printed in the 2 Feb, 12 Feb and 9 Apr releases."""
    value = demo.query("detention_stats_adp", grain="fy", fy=2026, as_of=as_of).rows()[0][1]
    assert value == pytest.approx(adp, abs=0.01)


def test_bundled_foia_files_are_unmodified(shared_data):
    for path in bundled_files():
        if path.parent.name == "ice-foia-2019-ICFO-53623":
            original = shared_data / "uwchr/ice-enforce/foia" / path.name
            assert hashlib.sha256(path.read_bytes()).digest() == \
                hashlib.sha256(original.read_bytes()).digest(), path.name


def test_sandbox_is_synthetic_and_separate(sandbox_db, demo_db):
    assert sandbox_db != demo_db
    with Warehouse(sandbox_db, read_only=True) as wh:
        loaded = [s for s in wh.sources() if not s["kind"].startswith("reference")]
        assert loaded and all(s["synthetic"] for s in loaded)
        result = wh.query("removals", fy=2024)
        assert result.synthetic and result.value() == 271_484  # ICE's published FY2024 total
        assert any("SYNTHETIC" in n for n in wh.query("arrests", fy=2026).notes)


def test_the_two_never_mix(demo_db, sandbox_db, tmp_path):
    real_copy = tmp_path / "immstat.duckdb"
    shutil.copy(demo_db, real_copy)
    with pytest.raises(ConfigError, match="holds real sources"):
        build_sandbox(real_copy)
    synthetic_copy = tmp_path / "old-demo.duckdb"
    shutil.copy(sandbox_db, synthetic_copy)
    with pytest.raises(ConfigError, match="holds SYNTHETIC sources"):
        build_demo(synthetic_copy)


def test_rebuilding_changes_nothing(demo_db, tmp_path):
    copy = tmp_path / "immstat.duckdb"
    shutil.copy(demo_db, copy)
    shutil.copy(demo_db.with_name(demo_db.name + ".key"), copy.with_name(copy.name + ".key"))
    summary = build_demo(copy)
    assert all(r.skipped for r in summary.reports)
    with Warehouse(copy, read_only=True) as wh:
        assert wh.query("arrests", fy=2016).value() == 110_104
        assert max(s["loaded_at"] for s in wh.sources()) < dt.datetime.now()
