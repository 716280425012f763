"""The test helpers that other tests lean on: the cached warehouse builder and the one-pass
person-key search."""

from __future__ import annotations

import hashlib
import os

from hypothesis import given, settings
from hypothesis import strategies as st

import builders
from builders import cached, leaked_keys

KEYS = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(50)]


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(KEYS), st.text("0123456789abcdefABCDEF\"<> x", max_size=80)),
                      max_size=12),
       keys=st.sets(st.sampled_from(KEYS), max_size=20))
def test_leaked_keys_equals_the_naive_search(parts, keys):
    text = "".join(parts)
    assert leaked_keys(text, frozenset(keys)) == sorted(k for k in keys if k in text)


def test_cached_builds_once_per_key_and_copies(tmp_path, monkeypatch):
    monkeypatch.setattr(builders, "CACHE", tmp_path / "cache")
    source = tmp_path / "input.txt"
    source.write_text("one")
    calls = []

    def build(folder):
        calls.append(1)
        (folder / "out.txt").write_text(source.read_text())
        return len(calls)

    first, result = cached("t", build, tmp_path / "a", inputs=[source])
    (first / "out.txt").write_text("changed by a test")  # a copy: the cache keeps its own
    second, again = cached("t", build, tmp_path / "b", inputs=[source])
    assert (result, again, len(calls)) == (1, 1, 1)
    assert (second / "out.txt").read_text() == "one"
    source.write_text("two")  # an input changed: built again, the old entry removed
    os.utime(source, ns=(1, 1))
    third, result = cached("t", build, tmp_path / "c", inputs=[source])
    assert result == 2 and (third / "out.txt").read_text() == "two"
    assert len([p for p in (tmp_path / "cache").iterdir() if p.is_dir()]) == 1
