"""Fuzz suite (issue 14): hostile files end in a correct result or exit 1 with one message.

Bounds (asserted, not hoped for):

* time: every case under ``CASE_SECONDS`` (30 s; most take well under 1 s); the corpus run
  as a whole is killed after ``CORPUS_SECONDS`` (240 s);
* memory: the peak resident memory of the process that runs the whole corpus (including
  a 200 MB XLSX zip bomb, a 250 MB sparse file and a 300,000-character cell) stays under
  ``MEMORY_MB`` (1,500 MiB);
* outcome: exit 0 (and then every input row is scored or rejected exactly once) or exit 1
  with one message and no traceback; exit 3 (internal error) is a failure.

The corpus is made at test time by :mod:`fuzz_corpus` (truncated, bit-flipped,
oversized and bomb files; nothing large is checked in). Hypothesis then generates CSV,
XLSX and JSON bytes and mutated instrument definitions. CI time: about 1-2 minutes.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

HERE = Path(__file__).resolve().parent
CASE_SECONDS = 30
CORPUS_SECONDS = 240
MEMORY_MB = 1500
ERROR_HEADS = ("Tidak dapat diproses", "Cannot be processed")

DRIVER = r"""
import io, json, resource, sys, time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
sys.path.insert(0, {here!r})
from fuzz_corpus import make_corpus
from indeks.cli import main

out = []
for inst, path in make_corpus(Path({dir!r})):
    o, e = io.StringIO(), io.StringIO()
    t0 = time.monotonic()
    code = 0
    with redirect_stdout(o), redirect_stderr(e):
        try:
            main(["score", inst, str(path), "--lang", "en"])
        except SystemExit as exc:
            code = exc.code or 0
        except BaseException as exc:
            code = "raised " + type(exc).__name__
    rows = None
    if code == 0:
        import indeks
        from indeks.io import read_table
        df = read_table(path)
        r = indeks.score(inst, df).respondents
        rows = [len(df), int(r["status"].isin(["scored", "rejected"]).sum()), len(r)]
    out.append({{"file": path.name, "code": code, "seconds": time.monotonic() - t0,
                 "err": e.getvalue()[-3000:], "rows": rows}})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"cases": out, "peak_mb": peak}}))
"""


def check_outcome(code, err: str, where: str) -> None:
    assert code in (0, 1), f"{where}: exit {code}\n{err}"
    assert "Traceback" not in err and "Exception ignored" not in err, f"{where}:\n{err}"
    if code == 1:
        text = " ".join(err.split())
        heads = sum(text.count(h) for h in ERROR_HEADS)
        assert heads >= 1 and text.count(ERROR_HEADS[0]) <= 1, f"{where}: not one message\n{err}"


@pytest.mark.skipif(sys.platform != "linux", reason="FIFO, /dev/zero and ru_maxrss in kB")
def test_corpus_of_hostile_files(tmp_path):
    code = DRIVER.format(here=str(HERE), dir=str(tmp_path / "corpus"))
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=CORPUS_SECONDS
    )
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    cases = report["cases"]
    assert len(cases) > 100
    for c in cases:
        check_outcome(c["code"], c["err"], c["file"])
        assert c["seconds"] < CASE_SECONDS, c
        if c["rows"] is not None:
            n_in, n_status, n_out = c["rows"]
            assert n_in == n_status == n_out, c
    by_name = {c["file"]: c for c in cases}
    # the dangerous ones end as refusals, each naming why
    assert "compression ratio" in " ".join(by_name["bomb.xlsx"]["err"].split())
    assert "INDEKS_MAX_FILE_MB" in " ".join(by_name["oversized.csv"]["err"].split())
    assert "INDEKS_MAX_COLUMNS" in " ".join(by_name["many-cols.csv"]["err"].split())
    assert "INDEKS_MAX_CELL_CHARS" in " ".join(by_name["long-cell.csv"]["err"].split())
    if "zero.csv" in by_name:
        assert "not a regular file" in " ".join(by_name["zero.csv"]["err"].split())
    assert by_name["cells.json"]["code"] == 0  # list/dict/bool cells: per-cell issues
    assert report["peak_mb"] < MEMORY_MB, report["peak_mb"]


# ---------------------------------------------------------------- hypothesis over bytes


def run_cli(args) -> tuple[int, str, str, float]:
    from indeks.cli import main

    o, e = io.StringIO(), io.StringIO()
    t0 = time.monotonic()
    code = 0
    with redirect_stdout(o), redirect_stderr(e):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code or 0
    return code, o.getvalue(), e.getvalue(), time.monotonic() - t0


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_text_cell = st.one_of(
    st.sampled_from(["4", "3", "Puas", "Sangat puas", "", " ", "-", "99", "4,0", "1e999", "nan"]),
    st.sampled_from(["[/x]", "[red]", "=cmd()", "\x00", "\x0b", '"', "\n", ";", "\t", "\ufeff"]),
    st.text(max_size=12),
)


@FUZZ
@given(
    rows=st.lists(st.lists(_text_cell, min_size=0, max_size=12), min_size=0, max_size=8),
    header=st.lists(st.sampled_from(["id", "U1", "U2", "u3", "Q4", "[/x]", "", "U1"]), max_size=12),
    delim=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    tail=st.binary(max_size=40),
)
def test_generated_csv_bytes(tmp_path_factory, rows, header, delim, encoding, tail):
    lines = [delim.join(header)] + [delim.join(r) for r in rows]
    data = "\n".join(lines).encode(encoding, "replace") + tail
    p = tmp_path_factory.mktemp("csv") / "data.csv"
    p.write_bytes(data)
    code, out, err, seconds = run_cli(["score", "ikm", p, "--lang", "en"])
    check_outcome(code, err, repr(data[:200]))
    assert seconds < CASE_SECONDS


_json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        _text_cell,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


@FUZZ
@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(["id", "U1", "U2", "U3", "U9", "x"]), _json_value, max_size=6
        ),
        max_size=6,
    ),
    lines=st.booleans(),
)
def test_generated_json(tmp_path_factory, records, lines):
    d = tmp_path_factory.mktemp("json")
    if lines:
        p = d / "data.jsonl"
        p.write_text("\n".join(json.dumps(r) for r in records))
    else:
        p = d / "data.json"
        p.write_text(json.dumps(records))
    code, out, err, seconds = run_cli(["score", "ikm", p, "--lang", "en"])
    check_outcome(code, err, json.dumps(records)[:300])
    assert seconds < CASE_SECONDS


@settings(FUZZ, max_examples=20)
@given(
    cells=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(-5, 100),
                st.floats(allow_nan=False, allow_infinity=False, width=32),
                # what a worksheet can hold (openpyxl refuses control characters)
                _text_cell.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
            ),
            max_size=11,
        ),
        max_size=8,
    ),
    damage=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_generated_xlsx(tmp_path_factory, cells, damage):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id"] + [f"U{i}" for i in range(1, 10)])
    for r in cells:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    data = bytearray(buf.getvalue())
    if damage is not None:  # one flipped byte somewhere in the zip
        data[damage % len(data)] ^= 0xFF
    p = tmp_path_factory.mktemp("xlsx") / "data.xlsx"
    p.write_bytes(bytes(data))
    code, out, err, seconds = run_cli(["score", "ikm", p, "--lang", "en"])
    check_outcome(code, err, f"{cells!r} damage={damage}")
    assert seconds < CASE_SECONDS


# ---------------------------------------------------------------- hostile definitions
# The loader belongs to indeks.instruments; these cases only *use* it: what `instruments
# check` accepts, `score` must run (exit 0 or 1, never a traceback).

DEFS = Path(__file__).resolve().parents[1] / "indeks" / "instruments" / "definitions"
_HOSTILE = [
    "1e999999999",
    '"1e999999999"',
    "-1",
    "400",
    "inf",
    "nan",
    '"false"',
    "[1, 2]",
    "{ a = 1 }",
    '"{n.__class__}"',
    '"{n:>300000000}"',
    "0",
    "true",
    '""',
    "1" + "0" * 400,
]


@FUZZ
@given(
    which=st.sampled_from(sorted(p.name for p in DEFS.glob("*.toml"))),
    line_pick=st.integers(0, 10_000),
    value=st.sampled_from(_HOSTILE),
    cut=st.one_of(st.none(), st.integers(0, 10_000)),
    bom=st.booleans(),
)
def test_mutated_definitions(tmp_path_factory, which, line_pick, value, cut, bom):
    text = (DEFS / which).read_text(encoding="utf-8")
    lines = text.splitlines()
    assignable = [
        i for i, ln in enumerate(lines) if " = " in ln and not ln.lstrip().startswith("#")
    ]
    i = assignable[line_pick % len(assignable)]
    key = lines[i].split(" = ", 1)[0]
    lines[i] = f"{key} = {value}"
    text = "\n".join(lines)
    if cut is not None:
        text = text[: cut % (len(text) + 1)]
    d = tmp_path_factory.mktemp("def")
    p = d / "def.toml"
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    code, out, err, seconds = run_cli(["instruments", "check", p])
    check_outcome(code, err, f"{which}: line {i + 1}: {lines[i]!r} cut={cut}")
    assert seconds < CASE_SECONDS
    if code == 0:
        data = d / "data.csv"
        data.write_text("id,U1,U2,U3\nr1,4,3,2\nr2,1,2,3\n")
        code, out, err, seconds = run_cli(["score", p, data, "--lang", "en"])
        check_outcome(code, err, f"score after check passed: {which}: {lines[i]!r} cut={cut}")
        assert seconds < CASE_SECONDS
