"""Claim extraction vs the labelled corpus: precision/recall per field, ImmStat vs a naive baseline.

    python benchmarks/claims_eval.py [--json] [--problems]

- **immstat**: ``immstat.analysis.claims.extract`` (qualifiers, masks, nearest-kind rule, period resolution).
- **naive**: every run of digits is a claim; its kind is the first synonyms-table phrase in the
  sentence and its period the first time phrase in the sentence; scope national, bound eq.

Scores are printed for the items used to tune the rules ("tuning"), for the items written
afterwards ("holdout") and for all. Goal: recall of value+unit+period ≥ 0.9.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time

from immstat.analysis.claims import Claim
from immstat.analysis.claims import evaluate as ev
from immstat.analysis.claims.lexicon import lexicon
from immstat.analysis.claims.models import NATIONAL
from immstat.analysis.claims.periods import find_periods
from immstat.analysis.claims.text import sentences


def naive_extract(text, doc_date=None):
    """The baseline: digits + first kind word + first period of the sentence."""
    out = []
    for s, e in sentences(text):
        sentence = text[s:e]
        kinds = lexicon().find(sentence)
        periods = find_periods(sentence, doc_date)
        for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", sentence):
            value = float(m.group(0).rstrip(",").replace(",", ""))
            out.append(Claim(value, None, None, None, "eq", "count", kinds[0][2] if kinds else None, None,
                             periods[0].period if periods else None, NATIONAL, sentence, s + m.start(),
                             s + m.end(), m.group(0)))
    return out


def run(extractor, items):
    start = time.perf_counter()
    total, problems = ev.evaluate(items, extractor)
    return total, problems, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--problems", action="store_true", help="list every mismatch of ImmStat's extractor")
    args = parser.parse_args()
    items = ev.load_corpus()
    splits = {"tuning": [i for i in items if i.split == "tuning"],
              "holdout": [i for i in items if i.split == "holdout"], "all": items}
    report = {}
    for split, subset in splits.items():
        for name, extractor in (("immstat", ev.extract), ("naive", naive_extract)):
            total, problems, seconds = run(extractor, subset)
            report[(split, name)] = (total.rows(), problems, seconds)
    if args.json:
        print(json.dumps({f"{s}/{n}": rows for (s, n), (rows, _, _) in report.items()}, indent=2))
        return 0
    for split, subset in splits.items():
        print(f"\n{split}: {len(subset)} sentences, {sum(len(i.claims) for i in subset)} expected claims")
        print(f"{'field':20} {'immstat P':>10} {'R':>7}   {'naive P':>8} {'R':>7}")
        ours, naive = report[(split, "immstat")][0], report[(split, "naive")][0]
        for a, b in zip(ours, naive):
            print(f"{a['field']:20} {a['precision']:10.3f} {a['recall']:7.3f}   {b['precision']:8.3f} {b['recall']:7.3f}")
        seconds = report[(split, "immstat")][2]
        print(f"immstat: {len(subset) / seconds:,.0f} sentences/s")
    if args.problems:
        for item_id, problems in report[("all", "immstat")][1].items():
            print(f"{item_id}: " + "; ".join(problems))
    recall = next(r for r in report[("all", "immstat")][0] if r["field"] == "value+unit+period")["recall"]
    print(f"\nrecall of value+unit+period (all): {recall:.3f} (goal ≥ 0.9)")
    return 0 if recall >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
