"""A strict HTML check for rendered pages (used by tests/test_html_validity.py).

``problems(html)`` lists what is wrong, each as one line with its position:

- every parse error html5lib (the WHATWG parsing algorithm) reports: stray or misnested tags,
  unclosed elements at the end, bad attributes, duplicate attributes …;
- balanced tags: every non-void element is closed explicitly, in order (stricter than HTML's
  optional end tags, so a forgotten ``</div>`` or ``</li>`` is caught);
- no markup inside an attribute value (``aria-label="<b>"`` or a note written inside ``<input …>``);
- unique ``id`` values;
- ``<label for>`` names a labelable element (input, select, textarea …) on the page, and every
  visible form control has a label (``<label for>``, a wrapping label, ``aria-label`` or
  ``aria-labelledby``);
- ``aria-labelledby``/``aria-describedby``/``aria-controls`` and in-page ``href="#…"`` point at ids
  that exist.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import html5lib

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
LABELABLE = {"input", "select", "textarea", "button", "meter", "output", "progress"}
ID_REFS = ("aria-labelledby", "aria-describedby", "aria-controls")
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z]")


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.ids: dict[str, tuple[int, int]] = {}
        self.tags_by_id: dict[str, str] = {}
        self.label_for: list[tuple[str, tuple[int, int]]] = []
        self.refs: list[tuple[str, str, tuple[int, int]]] = []
        self.controls: list[tuple[str, dict, tuple[int, int], bool]] = []
        self.labels_open = 0
        self.foreign = 0  # inside <svg> or <math>: XML rules, self-closing allowed

    def _where(self) -> str:
        line, col = self.getpos()
        return f"line {line}, col {col + 1}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag in ("svg", "math"):
            self.foreign += 1
        if tag == "label":
            self.labels_open += 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag not in VOID and not self.foreign:
            self.problems.append(f"{self._where()}: <{tag} /> is not a void element; close it with </{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"{self._where()}: end tag </{tag}> for a void element")
            return
        if not self.stack:
            self.problems.append(f"{self._where()}: </{tag}> closes nothing")
            return
        open_tag, pos = self.stack[-1]
        if open_tag != tag:
            self.problems.append(f"{self._where()}: </{tag}> but <{open_tag}> (line {pos[0]}) is "
                                 "still open")
            if any(t == tag for t, _ in self.stack):
                while self.stack and self.stack[-1][0] != tag:
                    self.stack.pop()
                self.stack.pop()
            return
        self.stack.pop()
        if tag in ("svg", "math"):
            self.foreign -= 1
        if tag == "label":
            self.labels_open -= 1

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where, pos = self._where(), self.getpos()
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("<") or "<" in name or (value and MARKUP.search(value)):
                self.problems.append(f"{where}: markup inside <{tag}> attribute {name}={value!r:.60}")
        ident = values.get("id")
        if ident is not None:
            if ident in self.ids:
                first = self.ids[ident]
                self.problems.append(f"{where}: id {ident!r} repeats (first on line {first[0]})")
            else:
                self.ids[ident], self.tags_by_id[ident] = pos, tag
        if tag == "label" and values.get("for"):
            self.label_for.append((values["for"] or "", pos))
        for name in ID_REFS:
            for target in (values.get(name) or "").split():
                self.refs.append((name, target, pos))
        href = values.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            self.refs.append(("href", href[1:], pos))
        if tag in ("input", "select", "textarea") and values.get("type") not in ("hidden", "submit",
                                                                                  "button", "reset"):
            self.controls.append((tag, values, pos, self.labels_open > 0))

    def finish(self) -> list[str]:
        for tag, pos in self.stack:
            self.problems.append(f"line {pos[0]}: <{tag}> is never closed")
        for target, pos in self.label_for:
            if target not in self.ids:
                self.problems.append(f"line {pos[0]}: <label for={target!r}> names no element")
            elif self.tags_by_id[target] not in LABELABLE:
                self.problems.append(f"line {pos[0]}: <label for={target!r}> names a "
                                     f"<{self.tags_by_id[target]}>, which cannot be labelled")
        labelled = {t for t, _ in self.label_for}
        for tag, values, pos, wrapped in self.controls:
            if not (wrapped or values.get("id") in labelled or values.get("aria-label")
                    or values.get("aria-labelledby")):
                self.problems.append(f"line {pos[0]}: <{tag} name={values.get('name')!r}> has no label")
        for name, target, pos in self.refs:
            if target not in self.ids:
                self.problems.append(f"line {pos[0]}: {name} points at #{target}, which is not on "
                                     "the page")
        return self.problems


def parse_errors(html: str) -> list[str]:
    """html5lib's parse errors, as 'line L, col C: code (details)'."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(html)
    out = []
    for (line, col), code, datavars in parser.errors:
        details = ", ".join(f"{k}={v}" for k, v in (datavars or {}).items())
        out.append(f"line {line}, col {col}: {code}" + (f" ({details})" if details else ""))
    return out


def problems(html: str) -> list[str]:
    """Every problem found in one rendered page (empty when the page passes)."""
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return parse_errors(html) + walker.finish()
