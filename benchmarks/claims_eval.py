"""Claim extraction vs the labelled corpora: value recall and kind+period recall (and precision)
on each corpus's tuning and held-out halves, ImmStat vs a naive baseline.

    python benchmarks/claims_eval.py [--json] [--problems tuning] [--corpus corpus2]

- **immstat**: ``immstat.analysis.claims.extract``.
- **naive**: every run of digits is a claim; its kind is the first synonyms-table phrase in the
  sentence and its period the first time phrase in the sentence; scope national, bound eq.

corpus1 (``corpus.yaml``) was written with the first rules; corpus2 (``corpus2.yaml``, issue 18)
was written and committed before the rules for issue 18 were changed, split by a hash of the item
id. Rules were tuned on the tuning halves only. ``--problems`` lists mismatches of one half
(never look at held-out mismatches while tuning). Goal on corpus2 held-out: value recall ≥ 0.95,
kind+period recall ≥ 0.90.

Measured once at the end of issue 18 (commit after "property test — extraction never fails"):

    half               items figures   value R      P   kind+period R      P
    corpus1/tuning       140     128     1.000  1.000           0.992  0.992
    corpus1/heldout       25      24     1.000  1.000           1.000  1.000
    corpus2/tuning        88     121     0.992  1.000           0.975  0.983
    corpus2/heldout       76     110     1.000  0.991           0.864  0.856

corpus2 held-out: value recall meets the goal; kind+period recall misses it by 0.036 (15 of 110
figures wrong, 11 allowed). The misses: a stock named in the subject's phrase taken for the
measure ("1.4 million of the people on the docket have final orders" → docket, twice); a kind
phrase too far away or behind a quote ("the non-detained docket, the roster of …, has grown to
7.6 million", "'1,500, 1,600 a day,' the official said of arrests"); a verb split around its
object ("transferred 1,134 inmates to ICE custody"); a database named only by its proper name
("the death master file"); "booked into ICE detention" read as detention, twice; and periods:
"since Friday" (no rule for a weekday after "since"), "In March and April … respectively" (the
second month has no "in"), "at the start of the year" taken as a 287(g) count's time, a unit of
capacity given the sentence's date, "since the spring" preferred to "in March". The labels were
written by the same person as the rules, so even these numbers are likely optimistic for text
written by others.
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

GOAL = {"value": 0.95, "kind+period": 0.90}


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


def score(items, extractor=ev.extract) -> tuple[dict, dict[str, list[str]], float]:
    """Headline scores, mismatches per item and sentences per second."""
    start = time.perf_counter()
    total, problems = ev.evaluate(items, extractor)
    return ev.summary(total), problems, len(items) / max(time.perf_counter() - start, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--corpus", choices=sorted(ev.CORPORA), help="one corpus only")
    parser.add_argument("--split", choices=ev.SPLITS, help="one half only")
    parser.add_argument("--problems", choices=ev.SPLITS, help="list ImmStat's mismatches on that half")
    args = parser.parse_args()
    report: dict[str, dict] = {}
    for corpus in [args.corpus] if args.corpus else sorted(ev.CORPORA):
        items = ev.load_corpus(name=corpus)
        for split in [args.split] if args.split else ev.SPLITS:
            subset = [i for i in items if i.split == split]
            ours, problems, speed = score(subset)
            naive, _, _ = score(subset, naive_extract)
            report[f"{corpus}/{split}"] = {"items": len(subset), "immstat": ours, "naive": naive,
                                           "sentences_per_s": round(speed)}
            if args.problems == split and not args.json:
                for item_id, found in problems.items():
                    print(f"{corpus} {item_id}: " + "; ".join(found))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{'half':18} {'items':>5} {'figures':>7}   {'value R':>7} {'P':>6}   {'kind+period R':>13} {'P':>6}"
              f"   naive: {'value R':>7} {'kind+period R':>13}")
        for name, r in report.items():
            o, n = r["immstat"], r["naive"]
            print(f"{name:18} {r['items']:5d} {o['value']['expected']:7d}   {o['value']['recall']:7.3f} "
                  f"{o['value']['precision']:6.3f}   {o['kind+period']['recall']:13.3f} "
                  f"{o['kind+period']['precision']:6.3f}   naive: {n['value']['recall']:7.3f} "
                  f"{n['kind+period']['recall']:13.3f}")
    held = report.get("corpus2/heldout")
    if held is None:
        return 0
    met = all(held["immstat"][k]["recall"] >= goal for k, goal in GOAL.items())
    if not args.json:
        print(f"\ncorpus2 held-out goal (value ≥ {GOAL['value']}, kind+period ≥ {GOAL['kind+period']}): "
              f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
