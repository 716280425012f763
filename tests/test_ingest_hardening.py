"""Hostile and awkward files: a missing path, other text encodings, a re-saved copy of a loaded
file, an xlsx zip bomb, formula cells without a saved result, identifiers in rejected rows."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from immstat.core.errors import SourceError
from immstat.metrics.warehouse import Warehouse
from ingest_checks import SMALL_HEADER, q, snapshot, write_small_csv


@pytest.fixture()
def wh(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        yield warehouse


# ---------------------------------------------------------------- missing path
@pytest.mark.parametrize("name, words", [("nope.csv", "no such file"), ("", "is a folder")])
def test_missing_path_is_one_line(tmp_path, cli, name, words):
    target = tmp_path / name if name else tmp_path
    done = cli("ingest", target, "--db", tmp_path / "w.duckdb")
    assert done.exit_code == 1 and "Traceback" not in done.stderr
    lines = (done.stderr + done.stdout).strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and str(target) in lines[0]


# ---------------------------------------------------------------- encodings
ROWS = [["2024-05-01", "SEA", "Located", "3 Other Immigration Violator", "WA", "Peña-Núñez"],
        ["2024-05-02", "ATL", "Located", "1 Convicted Criminal", "GA", "Ōsaka’s “id”"]]


def _text(rows=ROWS) -> str:
    lines = ["ICE Administrative Arrests", "Release date: 2024-06-30", ",".join(SMALL_HEADER)]
    return "\r\n".join(lines + [",".join(r) for r in rows]) + "\r\n"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""),
    ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")])
def test_other_encodings_are_decoded(wh, tmp_path, encoding, bom):
    text = _text() if encoding != "cp1252" else _text([r[:5] + [f"Peña{i}"] for i, r in enumerate(ROWS)])
    path = tmp_path / "arrests.csv"
    path.write_bytes(bom + text.encode(encoding))
    [report] = wh.ingest([path])
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    assert q(wh, "SELECT count(*) FROM arrests WHERE aor IN ('SEA', 'ATL')") == 2
    keys = {r[0] for r in q(wh, "SELECT person_key FROM arrests", one=False)}
    assert len(keys) == 2 and None not in keys  # the identifiers were read as text


def test_undecodable_text_names_the_encodings(wh, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(_text().encode("utf-8")[:-20] + b"\x81\x8d\x90\n")  # not utf-8, not cp1252
    before = snapshot(wh)
    with pytest.raises(SourceError) as caught:
        wh.ingest([path])
    message = str(caught.value)
    assert "UTF-8" in message and "UTF-16" in message and "Windows-1252" in message
    assert "0x81" in message and "\n" not in message and snapshot(wh) == before


def test_bad_bytes_after_the_sniffed_part_are_one_line(wh, tmp_path):
    path = write_small_csv(tmp_path / "big.csv", "2024-06-30", 40_000)
    path.write_bytes(path.read_bytes() + b"2024-05-01,SEA,Located,x,WA,\xff\xfe\xfd\n")
    with pytest.raises(SourceError) as caught:
        wh.ingest([path])
    assert "utf-8" in str(caught.value) and "CSV UTF-8" in str(caught.value)


# ---------------------------------------------------------------- re-saved copies
@pytest.mark.parametrize("resave", [
    lambda b: b + b"\n",  # one extra newline (the example)
    lambda b: b.replace(b"\r\n", b"\n"),  # line endings changed by an editor
    lambda b: b.replace(b",", b"|"),  # saved with another delimiter
])
def test_resaved_copy_is_refused_not_counted_twice(wh, tmp_path, resave):
    original = write_small_csv(tmp_path / "arrests.csv", "2024-06-30", 30)
    [first] = wh.ingest([original])
    before = snapshot(wh)
    copy = tmp_path / "arrests (1).csv"
    copy.write_bytes(resave(original.read_bytes()))
    [again] = wh.ingest([copy])
    assert again.skipped and again.source_id == first.source_id and again.rows_loaded == 0
    assert "refused" in again.message and "same rows as arrests.csv" in again.message
    assert snapshot(wh) == before
    assert wh.query("arrests", fy=2024).value() == 30


def test_resaved_copy_in_another_format_is_refused(wh):
    messy = Path(__file__).parent / "fixtures" / "messy"
    [xlsx, parquet] = wh.ingest([messy / "banner_row9.xlsx", messy / "same_data.parquet"])
    assert xlsx.rows_loaded == 11 and parquet.skipped and "refused" in parquet.message
    assert q(wh, "SELECT count(*) FROM arrests") == 11


def test_different_rows_are_not_a_copy(wh, tmp_path):
    wh.ingest([write_small_csv(tmp_path / "a.csv", "2024-06-30", 30, aor="SEA")])
    [b] = wh.ingest([write_small_csv(tmp_path / "b.csv", "2024-06-30", 30, aor="ATL")])
    assert not b.skipped and q(wh, "SELECT count(*) FROM arrests") == 60


# ---------------------------------------------------------------- xlsx zip bomb
BOMB_CHILD = r"""
import json, re, sys, time
from immstat.metrics.warehouse import Warehouse
start = time.perf_counter()
try:
    with Warehouse(sys.argv[1]) as wh:
        wh.ingest([sys.argv[2]])
    error = None
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
# peak RSS of this process image (ru_maxrss would carry the forking pytest's high-water mark)
peak = re.search(r"VmHWM:\s+(\d+) kB", open("/proc/self/status").read())
print(json.dumps({"error": error, "seconds": time.perf_counter() - start,
                  "rss": int(peak[1]) * 1024}))
"""


def _bomb(path: Path, part: str, megabytes: int) -> None:
    """A valid-looking xlsx whose ``part`` expands to ``megabytes`` of repetitive XML."""
    ok = openpyxl.Workbook()
    ok.active.append(["Apprehension Date"])
    ok.save(path.with_suffix(".tmp.xlsx"))
    with zipfile.ZipFile(path.with_suffix(".tmp.xlsx")) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename != part:
                out.writestr(info, src.read(info))
        with out.open(part, "w", force_zip64=True) as handle:
            block = b"<si><t>a</t></si>" * 60_000
            for _ in range(megabytes * (1 << 20) // len(block)):
                handle.write(block)


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_xlsx_bomb_is_refused_fast_and_small(tmp_path, part):
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb, part, 400)
    assert bomb.stat().st_size < 2 << 20  # a tiny file …
    done = subprocess.run([sys.executable, "-c", BOMB_CHILD, str(tmp_path / "w.duckdb"), str(bomb)],
                          capture_output=True, text=True, timeout=120)
    out = json.loads(done.stdout)
    assert out["error"].startswith("SourceError") and "refused" in out["error"], out
    assert part in out["error"] and "zip bomb" in out["error"]
    assert out["seconds"] < 5 and out["rss"] < 400 << 20, out  # … refused in seconds, small


def test_real_workbooks_pass_the_bomb_check(shared_data):
    from immstat.sources.xlsx_guard import inspect_xlsx

    for path in sorted((shared_data / "ice").rglob("*.xlsx")):
        inspect_xlsx(path)  # raises on a refusal


# ---------------------------------------------------------------- formula cells
def test_formula_without_saved_result_is_rejected_with_a_reason(wh, tmp_path):
    """openpyxl writes formulas with no cached value (the file was never opened in Excel)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ICE Administrative Arrests"])
    sheet.append(["Release date: 2024-06-30"])
    sheet.append(SMALL_HEADER + ["Apprehension County"])
    sheet.append(["2024-05-01", "SEA", "Located", "3 Other Immigration Violator", "WA", "P1", "King"])
    sheet.append(["=DATE(2024,5,2)", "SEA", "Located", "3 Other Immigration Violator", "WA", "P2", "X"])
    sheet.append(["2024-05-03", "ATL", "Located", "1 Convicted Criminal", "GA", "P3", '="Fulton"'])
    sheet.append(["2024-05-04", "ATL", "Located", "1 Convicted Criminal", "GA", "P4", "DeKalb"])
    sheet.append(["=TODAY()"])  # a row with nothing but an uncalculated formula
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    [report] = wh.ingest([path])
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (5, 2, 3)
    reasons = {r["row_number"]: r["reason"] for r in wh.rejects(report.source_id)}
    assert reasons == {5: "formula without a saved result in Apprehension Date",
                       6: "formula without a saved result in Apprehension County",
                       8: "formula without a saved result (column 1)"}
    assert q(wh, "SELECT count(*) FROM arrests WHERE county IS NULL") == 0  # never silently null


# ---------------------------------------------------------------- rejects hold no identifiers
IDENTIFIERS = ("A201234567", "1985-03-04", "EID-778899", "P-SECRET-1", "LM-42")


def test_rejects_keep_no_identifier_values(wh, tmp_path):
    header = ["Apprehension Date", "Apprehension AOR", "Apprehension Method",
              "Apprehension Criminality", "Alien File Number", "Birth Date", "EID Subject ID",
              "Unique Identifier", "Apprehension Landmark"]
    good = ["2024-05-01", "SEA", "Located", "3 Other Immigration Violator", *IDENTIFIERS]
    lines = ["Release date: 2024-06-30", ",".join(header), ",".join(good),
             ",".join(["2024-02-30", *good[1:]]),  # impossible date: rejected, date kept
             ",".join(good + ["extra", "fields"]),  # malformed: the raw line is not kept
             ",".join(["", *good[1:]])]  # blank date
    path = tmp_path / "ids.csv"
    path.write_text("\n".join(lines) + "\n")
    [report] = wh.ingest([path])
    assert (report.rows_loaded, report.rows_rejected) == (1, 3)
    rejects = wh.rejects(report.source_id)
    assert {r["row_number"] for r in rejects} == {4, 5, 6}
    text = json.dumps(q(wh, "SELECT * FROM rejects", one=False), default=str)
    assert not [i for i in IDENTIFIERS if i in text], text
    assert "2024-02-30" in text  # the value that caused the rejection, not an identifier
