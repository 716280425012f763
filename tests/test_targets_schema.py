"""The targets file: the bundled one is valid and holds the required targets; bad entries fail clearly."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from immstat.analysis.targets import load_targets
from immstat.analysis.targets.schema import default_path
from immstat.core.errors import ConfigError


def test_bundled_targets_hold_the_stated_targets():
    targets = {t.id: t for t in load_targets()}
    daily = [(t.low, t.high, t.number) for t in targets.values() if t.unit == "arrests/day"]
    assert (1200, 1500, 1350) in daily and any(n == 3000 for *_, n in daily)
    office = [t for t in targets.values() if t.scope == "per_field_office"]
    assert [t.number for t in office] == [75] and office[0].announced.month == 1
    million = [t for t in targets.values() if t.unit == "removals/year"]
    assert million[0].number == 1_000_000 and million[0].end is not None
    three = next(t for t in targets.values() if t.number == 3000)
    assert three.announced == dt.date(2025, 5, 1) and three.announced_precision == "month"
    for t in targets.values():
        assert t.publication and t.summary and t.stated_by and len(t.summary) < 400


def _write(tmp_path, mutate):
    doc = yaml.safe_load(default_path().read_text())
    mutate(doc["targets"][1])
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.mark.parametrize(("mutate", "field", "fix"), [
    (lambda e: e.pop("unit"), "'unit'", "add it"),
    (lambda e: e.update(unit="arrests/week"), "'unit'", "use one of"),
    (lambda e: e.update(number="3,000"), "'number'", "no commas"),
    (lambda e: e.update(announced="May 2025"), "'announced'", "YYYY-MM-DD or YYYY-MM"),
    (lambda e: e.update(period={"start": "2025-06-01", "end": "2025-01-01"}), "'period.end'", "fix the dates"),
    (lambda e: e.update(scope="global"), "'scope'", "national, per_field_office"),
    (lambda e: e.update(colour="red"), "'colour'", "valid fields"),
    (lambda e: e.update(low=4000, high=5000), "'number'", "between low"),
])
def test_bad_entry_names_entry_and_field(tmp_path, mutate, field, fix):
    path = _write(tmp_path, mutate)
    with pytest.raises(ConfigError) as err:
        load_targets(path)
    message = str(err.value)
    assert "target 'ice-3000-per-day' (entry 2)" in message and field in message and fix in message
    assert str(path) in message and "\n" not in message


def test_file_level_errors(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match="does not exist"):
        load_targets(missing)
    bad = tmp_path / "bad.yaml"
    bad.write_text("targets: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_targets(bad)
    empty = tmp_path / "empty.yaml"
    empty.write_text("other: 1\n")
    with pytest.raises(ConfigError, match="top-level 'targets:' list"):
        load_targets(empty)
    doc = yaml.safe_load(default_path().read_text())
    doc["targets"][2]["id"] = doc["targets"][0]["id"]
    dup = tmp_path / "dup.yaml"
    dup.write_text(yaml.safe_dump(doc))
    with pytest.raises(ConfigError, match="used twice"):
        load_targets(dup)
