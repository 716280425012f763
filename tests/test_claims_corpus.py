"""Every item of the labelled claims corpus is a test (known failures are strict xfails)."""

from __future__ import annotations

import pytest

from immstat.analysis.claims.evaluate import evaluate, load_corpus, score_item

ITEMS = load_corpus()


def _param(item):
    marks = [pytest.mark.xfail(reason=item.known_failure, strict=True)] if item.known_failure else []
    return pytest.param(item, id=item.id, marks=marks)


@pytest.mark.parametrize("item", [_param(i) for i in ITEMS])
def test_corpus_item(item):
    _, problems = score_item(item)
    assert not problems, f"{item.text!r}: " + "; ".join(problems)


def test_corpus_size_and_mix():
    assert len(ITEMS) >= 90
    assert sum(1 for i in ITEMS if not i.claims) >= 15
    assert len({i.id for i in ITEMS}) == len(ITEMS)


def test_recall_of_value_unit_period_meets_goal():
    total, _ = evaluate(ITEMS)
    row = next(r for r in total.rows() if r["field"] == "value+unit+period")
    assert row["recall"] >= 0.9 and row["precision"] >= 0.9
