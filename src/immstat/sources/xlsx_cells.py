"""Parse the cells of a block of xlsx sheet XML with numpy over its bytes: no Python per cell.

A block holds whole ``<row>`` elements. Cell starts, references, the ``s`` (style) and ``t``
(type) attributes, ``<v>`` values, inline ``<t>`` texts and ``<f>`` formulas are located by
vectorised byte comparisons and matched to their cell with ``searchsorted``; references and
numbers are parsed digit by digit over all cells at once; value texts are gathered into one Arrow
string array. Cells written without a reference (allowed, rare) are parsed by a slower regex path.

Values are rendered as text the way fastexcel/calamine render them (``dtypes="string"``), so a
file reads the same as before: strings as written, numbers as their shortest decimal ('1982',
'0.3'), numbers in a date/time format as 'YYYY-MM-DD HH:MM:SS' ('.mmm' when there are
milliseconds; Excel's 1900 leap-year bug kept), booleans 'true'/'false', errors empty.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_LT, _GT, _SLASH, _QUOTE, _EQ, _SPACE = (ord(c) for c in '<>/"= ')
_NAME_END = np.zeros(256, bool)  # bytes that end a tag name
_NAME_END[list(b" >/\t\r\n")] = True
_SPACE_LIKE = np.zeros(256, bool)
_SPACE_LIKE[list(b" \t\r\n")] = True
PAD = 16
_DAY_MS = 86_400_000
_UNIX = dt.date(1970, 1, 1)
EPOCHS = {False: (dt.date(1899, 12, 30) - _UNIX).days, True: (dt.date(1904, 1, 1) - _UNIX).days}
_YEAR_10000 = (dt.date(9999, 12, 31) - _UNIX).days * 86_400 + 86_400
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"))


@dataclass
class Cells:
    """The cells of a block, in document order."""

    row: np.ndarray  # int64, 1-based sheet row
    col: np.ndarray  # int64, 0-based (column A = 0)
    value: pa.Array  # text as rendered; null when the cell holds no value or an error
    has_value: np.ndarray  # bool: the cell holds a value (errors too): it counts for the range
    formula_missing: np.ndarray  # bool: a formula with no saved result


@dataclass(frozen=True)
class Styles:
    """What the cells need from the workbook: shared strings, date styles, date system."""

    strings: pa.Array
    date_styles: np.ndarray  # bool per cellXfs index
    date1904: bool = False


def parse_cells(block: bytes, styles: Styles, end: int | None = None) -> Cells:
    """The cells in ``block[:end]``; past ``end`` at least ``PAD`` bytes must follow (the next
    block's start, or padding), so look-ahead needs no bounds checks and nothing is copied."""
    end = len(block) if end is None else end
    if len(block) - end < PAD:
        block = bytes(block[:end]) + b"\0" * PAD
    a = np.frombuffer(block, np.uint8)
    words = _words(block)
    lt = np.flatnonzero(a[:end] == _LT)  # every tag; a cell's content ends at the next one
    head = words[lt]  # '<' and the next three bytes of each tag
    second, third = (head >> 8).astype(np.uint8), (head >> 16).astype(np.uint8)
    named = _NAME_END[third]
    is_cell = (second == ord("c")) & named
    starts = lt[is_cell]
    if not len(starts):
        return _empty()
    if not (words[starts + 2] == _WORD[b' r="']).all():
        return _slow(bytes(block[:end]), styles)
    col, digits_at = _column(a, starts + 6)
    row, digits = _number(a, digits_at, 8)
    style, kind, closed = _attributes(a, words, starts, digits_at + digits + 1)
    owner = np.cumsum(is_cell) - 1  # per tag: the cell it is in (or after)

    def owned(letter: str, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cell, tag number) of each ``<letter`` tag inside a cell that is not empty."""
        tags = np.flatnonzero((second == ord(letter)) & ends & (owner >= 0))
        cells = owner[tags]
        keep = ~closed[cells]
        return cells[keep], tags[keep]

    n = len(starts)
    v_cell, v_tag = owned("v", third == _GT)  # <v>…</v>
    v_start, v_end = lt[v_tag] + 3, lt[np.minimum(v_tag + 1, len(lt) - 1)]
    good = v_end > v_start  # <v></v>: no saved result
    v_cell, v_start, v_end = v_cell[good], v_start[good], v_end[good]
    has_v = np.zeros(n, bool)
    has_v[v_cell] = True
    value = _render(a, _gather(block, n, v_cell, v_start, v_end), kind, style, has_v, styles,
                    v_cell, v_start)
    t_cell, t_tag = owned("t", named)
    inline = kind[t_cell] == ord("i")
    t_cell, t_tag = t_cell[inline], t_tag[inline]
    has_is = np.zeros(n, bool)
    has_is[t_cell] = True
    if len(t_cell):
        value = _inline(block, a, lt, value, t_cell, t_tag)
    formula = np.zeros(n, bool)
    formula[owned("f", named)[0]] = True
    has_value = has_v | has_is
    return Cells(row, col, value, has_value, formula & ~has_value)


def _words(block: bytes) -> np.ndarray:
    """The four bytes starting at every position, as one little-endian integer (an unaligned
    view, no copy): a four-byte pattern is then checked with one comparison."""
    return np.ndarray((len(block) - 3,), dtype="<u4", buffer=block, strides=(1,))


_WORD = {p: int.from_bytes(p, "little") for p in (b' r="', b' s="', b' t="')}
_TYPE_LENGTH = np.ones(256, np.int64)  # characters in a t="…" value, by its first letter
_TYPE_LENGTH[ord("S")], _TYPE_LENGTH[ord("i")] = 3, 9


def _column(a: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column index from 1–3 letters at ``p``; and where the row digits start."""
    col = a[p].astype(np.int64) - 64
    more = np.ones(len(p), bool)
    length = np.ones(len(p), np.int64)
    for k in (1, 2):
        c = a[p + k]
        more &= (c >= 65) & (c <= 90)
        col = np.where(more, col * 26 + c - 64, col)
        length += more
    return col - 1, p + length


def _number(a: np.ndarray, p: np.ndarray, width: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """Unsigned decimal integers starting at ``p`` (and how many digits each had), read from a
    window of ``width`` bytes per number at once."""
    if not len(p):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    digits = a[p[:, None] + np.arange(width)].astype(np.int64) - 48
    going = np.logical_and.accumulate((digits >= 0) & (digits <= 9), axis=1)
    count = going.sum(axis=1)
    place = np.clip(count[:, None] - 1 - np.arange(width), 0, None)
    return (np.where(going, digits * 10 ** place, 0)).sum(axis=1), count


def _attributes(a: np.ndarray, words: np.ndarray, starts: np.ndarray, after_ref: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cell: its style index (0 when absent), the first letter of its type ('n' when absent;
    'S' for t="str", to tell it from t="s") and whether it is empty (``<c … />``).

    Read at fixed places after the reference (`` s="…"`` then `` t="…"``, as spreadsheet
    programs write them); cells with other attributes are read by :func:`_any_attributes`."""
    has_s = words[after_ref] == _WORD[b' s="']
    number, digits = _number(a, after_ref + 4, 6)
    style = np.where(has_s, number, 0)
    p = np.where(has_s, after_ref + 5 + digits, after_ref)
    has_t = words[p] == _WORD[b' t="']
    first, second = a[p + 4], a[p + 5]
    kind = np.where(has_t, np.where((first == ord("s")) & (second == ord("t")), ord("S"), first),
                    ord("n")).astype(np.uint8)
    length = _TYPE_LENGTH[kind]  # s, n, b, e, d: 1; str: 3; inlineStr: 9 (checked below)
    p = np.where(has_t, p + 5 + length, p)
    odd = has_t & (a[p - 1] != _QUOTE)
    closed = (a[p] == _SLASH) & (a[p + 1] == _GT)
    odd |= ~((a[p] == _GT) | closed)
    if odd.any():
        style[odd], kind[odd], closed[odd] = _any_attributes(a, starts[odd])
    return style, kind, closed


def _any_attributes(a: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Style, type letter and emptiness of cells whose attributes are in any order."""
    gt = np.flatnonzero(a == _GT)
    tag_end = gt[np.searchsorted(gt, starts)]
    n = len(starts)
    style = np.zeros(n, np.int64)
    kind = np.full(n, ord("n"), np.uint8)
    eq = np.flatnonzero((a[:-1] == _EQ) & (a[1:] == _QUOTE))
    eq = eq[_SPACE_LIKE[a[eq - 2]]]
    cell = np.searchsorted(starts, eq, "right") - 1
    inside = (cell >= 0) & (eq < tag_end[np.maximum(cell, 0)])
    eq, cell = eq[inside], cell[inside]
    name = a[eq - 1]
    s_cell, s_eq = cell[name == ord("s")], eq[name == ord("s")]
    style[s_cell] = _number(a, s_eq + 2)[0]
    t_cell, t_eq = cell[name == ord("t")], eq[name == ord("t")]
    first, second = a[t_eq + 2], a[t_eq + 3]
    kind[t_cell] = np.where((first == ord("s")) & (second == ord("t")), ord("S"), first)
    return style, kind, a[tag_end - 1] == _SLASH


def _gather(block: bytes, n: int, cells: np.ndarray, start: np.ndarray, end: np.ndarray
            ) -> pa.Array:
    """String array of ``n`` cells: ``block[start:end]`` for ``cells`` (in order, not
    overlapping), null for the others. The block is cut, without a copy, into alternate gaps and
    values (one Arrow array over its buffer); Arrow's ``take`` then copies just the values."""
    k = len(cells)
    bounds = np.empty(2 * k + 2, np.int64)
    bounds[0], bounds[-1] = 0, end[-1] if k else 0
    bounds[1:-1:2], bounds[2:-1:2] = start, end
    pieces = pa.LargeStringArray.from_buffers(2 * k + 1, pa.py_buffer(bounds), pa.py_buffer(block))
    index = np.zeros(n, np.int64)
    index[cells] = 2 * np.arange(k) + 1
    valid = np.zeros(n, bool)
    valid[cells] = True
    return unescape(pieces.take(pa.array(index, mask=~valid)).cast(pa.string()))


def unescape(text: pa.Array) -> pa.Array:
    """XML text → characters: line ends normalised as an XML parser does (CR LF and CR → LF),
    then entities (numeric references by Python, they are rare)."""
    if pc.any(pc.match_substring(text, "\r")).as_py():
        text = pc.replace_substring(pc.replace_substring(text, "\r\n", "\n"), "\r", "\n")
    if not pc.any(pc.match_substring(text, "&")).as_py():
        return text
    for entity, char in _ENTITIES:
        text = pc.replace_substring(text, entity, char)
    numeric = pc.fill_null(pc.match_substring(text, "&#"), False)
    if pc.any(numeric).as_py():
        fixed = [html.unescape(v) for v in text.filter(numeric).to_pylist()]
        text = pc.replace_with_mask(text, numeric, pa.array(fixed, pa.string()))
    return pc.replace_substring(text, "&amp;", "&")


def _render(a: np.ndarray, text: pa.Array, kind: np.ndarray, style: np.ndarray,
            has_v: np.ndarray, styles: Styles, v_cell: np.ndarray, v_start: np.ndarray) -> pa.Array:
    """Each cell's value as text, by its type (see the module docstring)."""
    shared = (kind == ord("s")) & has_v
    if shared.any():
        index, _ = _number(a, v_start[shared[v_cell]])
        padded = pa.concat_arrays([styles.strings, pa.nulls(1, pa.string())])
        strings = padded.take(pa.array(np.minimum(index, len(styles.strings))))
        text = pc.replace_with_mask(text, pa.array(shared), strings)
    boolean = (kind == ord("b")) & has_v
    if boolean.any():
        truth = pc.if_else(pc.equal(text.filter(pa.array(boolean)), "1"), "true", "false")
        text = pc.replace_with_mask(text, pa.array(boolean), truth)
    number = (kind == ord("n")) & has_v
    dated = number & styles.date_styles[np.minimum(style, len(styles.date_styles) - 1)]
    if dated.any():
        text = pc.replace_with_mask(text, pa.array(dated),
                                    _datetimes(text.filter(pa.array(dated)), styles.date1904))
    plain = number & ~dated
    if plain.any():
        text = pc.replace_with_mask(text, pa.array(plain), _numbers(text.filter(pa.array(plain))))
    error = kind == ord("e")
    if error.any():
        text = pc.if_else(pa.array(error), pa.scalar(None, pa.string()), text)
    return text


def _numbers(text: pa.Array) -> pa.Array:
    """Numbers as fastexcel writes them: whole numbers as integers, others rounded to nine
    decimals without trailing zeros or an exponent ('1E-07' → '0.0000001')."""
    simple = pc.match_substring_regex(text, r"^-?[1-9]\d{0,14}$|^0$")
    if pc.all(simple).as_py():
        return text
    other = text.filter(pc.invert(simple))
    encoded = other.dictionary_encode()
    shown = []
    for raw in encoded.dictionary.to_pylist():
        x = float(raw)
        whole = f"{int(x)}" if x or math.copysign(1, x) > 0 else "-0"
        shown.append(whole if x.is_integer() else f"{x:.9f}".rstrip("0").rstrip("."))
    return pc.replace_with_mask(text, pc.invert(simple),
                                pa.array(shown, pa.string()).take(encoded.indices))


def _datetimes(text: pa.Array, date1904: bool) -> pa.Array:
    """Excel serial date-times → 'YYYY-MM-DD HH:MM:SS[.mmm]' (milliseconds rounded)."""
    serial = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    if not date1904:
        serial = np.where(serial < 60, serial + 1, serial)  # 1900-02-29 never existed
    ms = np.round(serial * _DAY_MS).astype(np.int64) + EPOCHS[date1904] * _DAY_MS
    seconds, milli = np.divmod(ms, 1000)
    shown = pc.strftime(pa.array(seconds, pa.timestamp("s")), "%Y-%m-%d %H:%M:%S")
    if (seconds >= _YEAR_10000).any():  # chrono's sign for years past 9999
        shown = pc.if_else(pa.array(seconds >= _YEAR_10000),
                           pc.binary_join_element_wise("+", shown, ""), shown)
    if not milli.any():
        return shown
    fraction = pc.utf8_slice_codeunits(pc.cast(pa.array(milli + 1000), pa.string()), 1, 4)
    with_ms = pc.binary_join_element_wise(shown, fraction, ".")
    return pc.if_else(pa.array(milli > 0), with_ms, shown)


def _inline(block: bytes, a: np.ndarray, lt: np.ndarray, value: pa.Array, cells: np.ndarray,
            tags: np.ndarray) -> pa.Array:
    """Inline strings: the text of the cell's ``<t>`` (runs of rich text joined)."""
    at = lt[tags]
    start, end = at + 3, lt[np.minimum(tags + 1, len(lt) - 1)]
    attributed = np.flatnonzero(a[at + 2] != _GT)  # <t xml:space="preserve">, <t/>
    for k in attributed:
        close = block.find(b">", int(at[k]))
        start[k] = end[k] if block[close - 1:close] == b"/" else close + 1
    n = len(value)
    first = np.ones(len(cells), bool)
    first[1:] = cells[1:] != cells[:-1]
    texts = _gather(block, n, cells[first], start[first], end[first])
    if not first.all():  # rich text: several runs in one cell
        runs: dict[int, list[str]] = {}
        for c, s, e in zip(cells, start, end):
            runs.setdefault(int(c), []).append(bytes(a[s:e]).decode("utf-8"))
        joined = {c: html.unescape("".join(parts)) for c, parts in runs.items() if len(parts) > 1}
        mask = np.zeros(n, bool)
        mask[list(joined)] = True
        texts = pc.replace_with_mask(texts, pa.array(mask), pa.array(
            [joined[c] for c in sorted(joined)], pa.string()))
    has = np.zeros(n, bool)
    has[cells] = True
    return pc.if_else(pa.array(has), texts, value)


def _empty() -> Cells:
    none = np.zeros(0, np.int64)
    return Cells(none, none, pa.array([], pa.string()), np.zeros(0, bool), np.zeros(0, bool))


_ROW = re.compile(rb"<row\b([^>]*?)(/?)>")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')


def _slow(block: bytes, styles: Styles) -> Cells:
    """Cells without references (or with attributes in another order): a regex per cell, each
    cell placed after the one before it in its row."""
    rows, cols, starts = [], [], []
    pieces: list[bytes] = []
    row, col = 0, -1
    position = 0
    for match in re.finditer(rb"<row\b[^>]*?/?>|<c\b", block):
        if match.group().startswith(b"<row"):
            attrs = dict(_ATTR.findall(match.group()))
            row = int(attrs[b"r"]) if b"r" in attrs else row + 1
            col = -1
            continue
        cell = _CELL.match(block, match.start())
        if cell is None:
            continue
        attrs = dict(_ATTR.findall(cell.group(1)))
        ref = re.match(rb"([A-Z]{1,3})(\d+)$", attrs.get(b"r", b""))
        if ref:
            col = _letters(ref[1].decode())
            row = int(ref[2])
        else:
            col += 1
        pieces.append(b'<c r="A1"' + b"".join(
            b' %s="%s"' % (k, v) for k, v in sorted(attrs.items()) if k != b"r")
            + (b">" + cell.group(2) + b"</c>" if cell.group(2) is not None else b"/>"))
        rows.append(row)
        cols.append(col)
        starts.append(position)
        position += len(pieces[-1])
    if not pieces:
        return _empty()
    parsed = parse_cells(b"".join(pieces), styles)
    return Cells(np.array(rows, np.int64), np.array(cols, np.int64), parsed.value,
                 parsed.has_value, parsed.formula_missing)


def _letters(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
