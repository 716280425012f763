"""Score extraction against the labelled corpora (``data/claims/corpus.yaml``, ``corpus2.yaml``).

Expected and extracted claims of one item are paired by value (or by low/high for ranges);
each field is then compared on the pairs. Precision = correct / extracted claims, recall =
correct / expected claims, so a missed or invented claim counts against every field.
"value" recall is the share of labelled figures found; "value+unit+period" (reported as
kind+period) also needs the right kind, rate and period.

Each item is in the ``tuning`` or the ``heldout`` half of its corpus (corpus.yaml calls the
held-out half ``holdout``). corpus2 splits by :func:`split_for` — a hash of the item id — so no
item can be moved between halves after the fact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from immstat.analysis.claims.extract import extract
from immstat.analysis.claims.models import Claim
from immstat.core.errors import ConfigError
from immstat.core.reference import data_path

Extractor = Callable[[str, "dt.date | None"], list[Claim]]
FIELDS = ("value", "kind", "rate", "period", "scope", "bound", "unit", "metric", "value+unit+period")
CORPORA = {"corpus1": "corpus.yaml", "corpus2": "corpus2.yaml"}
SPLITS = ("tuning", "heldout")


def split_for(item_id: str) -> str:
    """The half of corpus2 an item belongs to: even first byte of sha256(id) → tuning."""
    return "tuning" if hashlib.sha256(item_id.encode()).digest()[0] % 2 == 0 else "heldout"


@dataclass
class CorpusItem:
    id: str
    text: str
    doc_date: dt.date | None
    claims: list[dict[str, Any]]
    known_failure: str | None = None
    split: str = "tuning"


@dataclass
class Tally:
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    extracted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    def add(self, other: Tally) -> None:
        for name in FIELDS:
            self.correct[name] += other.correct[name]
            self.expected[name] += other.expected[name]
            self.extracted[name] += other.extracted[name]

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for name in FIELDS:
            c, e, x = self.correct[name], self.expected[name], self.extracted[name]
            out.append({"field": name, "correct": c, "expected": e, "extracted": x,
                        "precision": c / x if x else 1.0, "recall": c / e if e else 1.0})
        return out


def load_corpus(path: Path | None = None, name: str = "corpus1") -> list[CorpusItem]:
    """A labelled corpus: ``path``, or a bundled one by name (corpus1, corpus2)."""
    path = path or data_path("claims", CORPORA[name])
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
        return [
            CorpusItem(
                i["id"],
                i["text"],
                i.get("doc_date"),
                i.get("claims") or [],
                i.get("known_failure"),
                {"holdout": "heldout"}.get(i.get("split", "tuning"), i.get("split", "tuning")),
            )
            for i in items
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"Cannot read claims corpus {path}: {exc}. Fix the YAML (see its header)."
        ) from None


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-3 * max(1.0, abs(b))


def _same_number(expected: dict[str, Any], claim: Claim) -> bool:
    if "value" in expected:
        return _close(claim.value, float(expected["value"]))
    return _close(claim.low, float(expected["low"])) and _close(claim.high, float(expected["high"]))


def field_ok(name: str, expected: dict[str, Any], claim: Claim) -> bool | None:
    """Whether ``claim`` gets field ``name`` right; None when the label does not give it."""
    if name == "value":
        return True
    if name == "value+unit+period":
        checks = [field_ok(n, expected, claim) for n in ("kind", "rate", "period")]
        return all(c is not False for c in checks)
    if name not in expected and name not in ("unit", "bound"):
        return None
    want = expected.get(name, {"unit": "count", "bound": "eq"}.get(name))
    if name == "period":
        period = claim.period
        if want is None:
            return period is None or not period.resolved
        return period is not None and [period.start, period.end] == list(want)
    if name == "scope":
        return claim.scope.level == "national" if want == "national" else claim.scope.code == want
    return getattr(claim, name) == want


def score_item(item: CorpusItem, extractor: Extractor = extract) -> tuple[Tally, list[str]]:
    """Tally for one item and a list of human-readable mismatches."""
    claims = extractor(item.text, item.doc_date)
    tally, problems, free = Tally(), [], list(claims)
    for expected in item.claims:
        match = next((c for c in free if _same_number(expected, c)), None)
        for name in FIELDS:
            if name in expected or name in ("value", "value+unit+period", "unit", "bound"):
                tally.expected[name] += 1
        if match is None:
            problems.append(f"missing claim {expected}")
            continue
        free.remove(match)
        for name in FIELDS:
            ok = field_ok(name, expected, match)
            if ok is None:
                continue
            tally.extracted[name] += 1
            if ok:
                tally.correct[name] += 1
            else:
                got = match.to_dict().get(name.split("+")[0]) if "+" not in name else "…"
                problems.append(
                    f"{name}: expected {expected.get(name)!r}, got {got!r} for {match.text!r}"
                )
    for extra in free:
        for name in FIELDS:
            tally.extracted[name] += 1
        problems.append(f"unexpected claim {extra.text!r} (kind={extra.kind})")
    return tally, problems


def evaluate(
    items: list[CorpusItem] | None = None, extractor: Extractor = extract
) -> tuple[Tally, dict[str, list[str]]]:
    """Score every corpus item (default: the whole bundled corpus): total tally, problems per item id."""
    total, problems = Tally(), {}
    for item in items if items is not None else load_corpus():
        tally, item_problems = score_item(item, extractor)
        total.add(tally)
        if item_problems:
            problems[item.id] = item_problems
    return total, problems


def summary(tally: Tally) -> dict[str, dict[str, float]]:
    """Value and kind+period precision/recall of a tally (the headline numbers)."""
    rows = {r["field"]: r for r in tally.rows()}
    return {name: {"precision": rows[field]["precision"], "recall": rows[field]["recall"],
                   "expected": rows[field]["expected"]}
            for name, field in (("value", "value"), ("kind+period", "value+unit+period"))}
