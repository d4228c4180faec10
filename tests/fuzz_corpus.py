"""Make a corpus of hostile input files (not checked in: made at test time, ~30 MB on disk).

Run as a script to keep the corpus for inspection::

    python tests/fuzz_corpus.py /tmp/corpus

Kinds: truncated and bit-flipped copies of every sample format (CSV, XLSX, SAV,
JSON, JSONL, Parquet), an XLSX zip bomb (inflates to ~200 MB from ~200 kB), a sparse
file over the size limit, a CSV with more columns than allowed, a 300,000-character
cell with 150,000 line breaks, deeply nested JSON, list/dict/boolean cells, markup
and control characters in every place, NUL bytes, UTF-16 without BOM, wrong
extensions, a symbolic link to /dev/zero and a FIFO.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
SOURCES = [
    ("ikm", SAMPLES / "ikm" / "clean.csv"),
    ("ikm", SAMPLES / "ikm" / "semicolon.csv"),
    ("ikm", SAMPLES / "ikm" / "google_forms.xlsx"),
    ("ikm", SAMPLES / "ikm" / "spss.sav"),
    ("whoqol-bref", SAMPLES / "whoqol" / "clean.csv"),
    ("whoqol-bref", SAMPLES / "whoqol" / "google_forms.xlsx"),
    ("dektara", SAMPLES / "dektara" / "pre.csv"),
]
HEAD = ["id"] + [f"U{i}" for i in range(1, 10)]


def _records(rows: int = 40) -> list[dict]:
    rnd = random.Random(7)
    return [
        {"id": f"r{i}", **{h: rnd.choice([1, 2, 3, 4, "4", "Puas", None]) for h in HEAD[1:]}}
        for i in range(rows)
    ]


def _derived(out: Path) -> list[tuple[str, Path]]:
    """JSON, JSONL and Parquet versions of a small IKM table."""
    import pandas as pd

    recs = _records()
    files = []
    p = out / "base.json"
    p.write_text(json.dumps(recs))
    files.append(("ikm", p))
    p = out / "base.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs))
    files.append(("ikm", p))
    p = out / "base.parquet"
    pd.DataFrame(recs).astype(str).to_parquet(p)
    files.append(("ikm", p))
    return files


def xlsx_bomb(path: Path, inflated_mb: int = 200) -> None:
    """A valid workbook whose sheet XML is padded with whitespace (compresses ~1000:1)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(HEAD)
    wb.active.append(["r1"] + [4] * 9)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"<sheetData>", 1)
                with zf.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head + b"<sheetData>")
                    pad = b" " * (1 << 20)
                    for _ in range(inflated_mb):
                        fh.write(pad)
                    fh.write(tail)
            else:
                zf.writestr(info, data)


def make_corpus(out: Path, seed: int = 14) -> list[tuple[str, Path]]:
    """Write the corpus into ``out``; returns (instrument, path) for every case."""
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    cases: list[tuple[str, Path]] = []
    sources = SOURCES + _derived(out)
    for n, (inst, src) in enumerate(sources):
        data = src.read_bytes()
        ext = src.suffix
        for frac in (0.0, 0.01, 0.3, 0.5, 0.77, 0.99):  # truncated
            p = out / f"trunc{n}-{int(frac * 100)}{ext}"
            p.write_bytes(data[: max(1, int(len(data) * frac))])
            cases.append((inst, p))
        for k in range(6):  # bit flips: 1, 10 or 100 random bits
            b = bytearray(data)
            for _ in range((1, 10, 100)[k % 3]):
                i = rnd.randrange(len(b))
                b[i] ^= 1 << rnd.randrange(8)
            p = out / f"flip{n}-{k}{ext}"
            p.write_bytes(bytes(b))
            cases.append((inst, p))
        p = out / f"wrongext{n}.csv"  # binary content behind a .csv name
        p.write_bytes(data)
        cases.append((inst, p))

    def add(name: str, content: bytes | str, inst: str = "ikm") -> None:
        p = out / name
        p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        cases.append((inst, p))

    row = ",".join(HEAD)
    add("empty.csv", b"")
    add("bom-only.csv", b"\xef\xbb\xbf")
    add("header-only.csv", row + "\n")
    add("nul.csv", row + "\nr1," + "\x00," * 8 + "4\n")
    add("utf16-nobom.csv", (row + "\nr1," + ",".join("4" * 9) + "\n").encode("utf-16-le"))
    add(
        "markup.csv",
        row + ',[/x]grp\n[red]r1,[/x],4,4,4,4,4,4,4,4,[bold]a\n"[/b]",3,3,3,3,3,3,3,3,3,[/]\n',
    )
    add("control.csv", row + "\nr1,a\x0bb,4,4,4,4,4,4,4,4\nr\x0c2,3,3,3,3,3,3,3,3,3\n")
    add("ragged.csv", row + "\nr1,4,4,4,4,4,4,4,4,4,4,4,4\n")
    add("quote.csv", row + '\nr1,"4,4,4,4\n')
    add("long-cell.csv", row + '\nr1,"' + "a\n" * 150_000 + '",4,4,4,4,4,4,4,4\n')
    add("many-cols.csv", ",".join(f"c{i}" for i in range(6000)) + "\n" + ",".join("1" * 6000))
    add("deep.json", "[" * 100_000 + "]" * 100_000)
    add("deep-obj.json", '[{"id": 1, "U1": ' + "[" * 5000 + "]" * 5000 + "}]")
    add(
        "cells.json",
        json.dumps(
            [
                {
                    "id": [1],
                    "U1": True,
                    "U2": {"a": 1},
                    "U3": [4],
                    "U4": 1,
                    **{h: 4 for h in HEAD[5:]},
                },
                {
                    "id": {"x": 2},
                    "U1": 1,
                    "U2": False,
                    "U3": 4.5,
                    "U4": "1e999",
                    **{h: 4 for h in HEAD[5:]},
                },
            ]
        ),
    )
    add("numbers.json", json.dumps([{"id": 1, **{h: 1e308 for h in HEAD[1:]}}]))
    add("not-array.json", '{"id": 1}')
    add("scalar-lines.jsonl", "1\n2\n[3]\n")
    add("xls-named.xlsx", b"\xd0\xcf\x11\xe0" + bytes(600))
    add("pdf.csv", b"%PDF-1.4\n" + bytes(range(256)) * 4)
    bomb = out / "bomb.xlsx"
    xlsx_bomb(bomb)
    cases.append(("ikm", bomb))
    sparse = out / "oversized.csv"
    with open(sparse, "wb") as fh:  # a sparse file: over the size limit, no disk used
        fh.write((row + "\n").encode())
        fh.truncate(250 * 1024 * 1024)
    cases.append(("ikm", sparse))
    if os.path.exists("/dev/zero"):
        link = out / "zero.csv"
        link.symlink_to("/dev/zero")
        cases.append(("ikm", link))
    if hasattr(os, "mkfifo"):
        fifo = out / "fifo.csv"
        os.mkfifo(fifo)
        cases.append(("ikm", fifo))
    return cases


if __name__ == "__main__":  # pragma: no cover - manual use
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "fuzz-corpus")
    for inst, p in make_corpus(target):
        print(inst, p)
