"""What a number counts: the noun phrase written right after it.

"2,100 people across the country" counts *people*; "1,200 administrative arrests" counts
*arrests*; "20 sectors" counts sectors; "on June 29" and "a day" are no noun phrase at all. The
head is the last word of the phrase (modifiers come first in English: "local police and
sheriff's departments" → departments). Only a plural head counts something; a singular head
("the 3,000 daily target") says nothing about the unit.

Person nouns ("people", "migrants", "Venezuelans") are read from the reviewed synonyms table
(``people:``) plus one rule of English: a capitalised plural ending in -ans, -ians, -ese or -is
is a nationality ("Guatemalans", "Chinese", "Somalis").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s*([A-Za-z][\w'’.-]*[\w]|[A-Za-z]|\d+-[A-Za-z][\w-]*)")
# Words that end a noun phrase: prepositions, verbs and auxiliaries, relative pronouns, adverbs.
_STOP = frozenset("""
    a an the of in on at for from to into onto with without by per across over under during since
    until through throughout out about around after before between among than as via near inside
    outside within who whom whose which that what where when while whereas because if or nor but so
    is are was were be been being am has have had having do does did will would could should may
    might must can shall says said say told according including include includes included
    remain remained remains stood stands stand reached reach rose fell dropped climbed jumped grew
    this these those its their his her our your my it they them he she we you i
    last next each every per daily weekly monthly annually yearly alone already still now then
    again most least ago earlier later only just nearly almost roughly about
""".split())
_PERSONAL = frozenset({"his", "her", "their", "my", "our", "your"})
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ans|ians|ese|is)$")
# participles that are adjectives before a noun ("1,000 undocumented immigrants"); other -ed words
# after a number are verbs ("222,000 faced charges") and end the phrase
_ADJECTIVES_ED = frozenset({"undocumented", "unaccompanied", "convicted", "unauthorized", "suspected",
                            "alleged", "armed", "detained", "naturalized", "registered", "sworn", "licensed",
                            "documented"})
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "personnel", "staff",
                                "chinese", "japanese", "vietnamese", "sudanese", "congolese", "senegalese"})


@dataclass(frozen=True)
class NounPhrase:
    """The words after a number up to the first stop word or punctuation; ``head`` is the last."""

    start: int
    end: int
    words: tuple[str, ...]

    @property
    def head(self) -> str | None:
        return self.words[-1] if self.words else None

    @property
    def plural(self) -> bool:
        head = (self.head or "").lower()
        if head.endswith(("'s", "’s")):
            return False  # a possessive modifier ("sheriff's offices")
        return head in _IRREGULAR_PLURALS or (
            len(head) > 3 and head.endswith("s") and not head.endswith(("ss", "us", "is"))
        ) or bool(self.head and _NATIONALITY.match(self.head))


def noun_phrase(text: str, pos: int, max_words: int = 5) -> NounPhrase:
    """The noun phrase that starts at ``pos`` (right after a number)."""
    words: list[str] = []
    start = end = pos
    cursor = pos
    while len(words) < max_words:
        m = _TOKEN.match(text, cursor)
        if not m:
            break
        word = m.group(1)
        lower = word.lower().rstrip(".")
        if lower in ("and", "&") and words:
            nxt = _TOKEN.match(text, m.end())
            if nxt and nxt.group(1).lower() not in _STOP:
                cursor = m.end()
                continue
            break
        if lower in _STOP or (lower.endswith("ed") and lower not in _ADJECTIVES_ED):
            break
        if not words:
            start = m.start(1)
        words.append(word.rstrip("."))
        end = m.start(1) + len(word.rstrip("."))
        cursor = m.end()
        if word.endswith(".") or re.match(r"\s*[.,;:)\]—–!?]", text[cursor:cursor + 2]) \
                or NounPhrase(start, end, tuple(words)).plural:
            break  # the head is the first plural noun; what follows it modifies it
    return NounPhrase(start, end, tuple(words))


def is_person(word: str | None, people: frozenset[str]) -> bool:
    """True for a noun that stands for people (synonyms table ``people:`` or a nationality)."""
    if not word:
        return False
    return word.lower().rstrip("'’") in people or bool(_NATIONALITY.match(word))


def personal(text: str, start: int) -> bool:
    """True when the number follows a possessive pronoun ("her two children"): one family's
    details, not an enforcement figure."""
    before = re.search(r"([A-Za-z]+)\s*$", text[max(0, start - 12):start])
    return bool(before and before.group(1).lower() in _PERSONAL)
