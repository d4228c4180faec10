"""Sniffing a text export without pandas: encoding, delimiter, header, zero-padded ids.

Kept free of pandas so that the command line can start reading a big file on a thread
while pandas is still being imported (:mod:`indeks.io.csvhead`)."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from typing import Any

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
DELIMITERS = (",", ";", "\t", "|")
ZERO_PAD_SAMPLE_ROWS = 500  # text files: rows examined for zero-padded ids
_SAMPLE_BYTES = 1 << 16


def _dedupe(names: list[Any]) -> list[str]:
    """pandas-style: empty -> 'Unnamed: i'; duplicates -> 'x', 'x.1', 'x.2'."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        if (
            name is None
            or (isinstance(name, float) and math.isnan(name))
            or str(name).strip() == ""
        ):
            base = f"Unnamed: {i}"
        elif isinstance(name, float) and name.is_integer():
            base = str(int(name))
        else:
            base = str(name)
        cand, k = base, 0
        while cand in seen:
            k += 1
            cand = f"{base}.{k}"
        seen.add(cand)
        out.append(cand)
    return out


def _detect_encoding(head: bytes) -> tuple[str, int]:
    """Return (codec, BOM length) from the first bytes, or ('', 0) if undecided."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF32_LE) and len(head) >= 4 and head[2:4] == b"\x00\x00":
        return "utf-32-le", 4
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    sample = head[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        even = sample[0::2]
        odd = sample[1::2]
        z_even = even.count(0) / len(even)
        z_odd = odd.count(0) / max(1, len(odd))
        if z_odd > 0.4 and z_even < 0.05:
            return "utf-16-le", 0
        if z_even > 0.4 and z_odd < 0.05:
            return "utf-16-be", 0
    return "", 0


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f\v") or ch == "\ufffd")
    return bad / len(text) > 0.01 or "\x00" in text


def _count_outside_quotes(line: str, delim: str) -> int:
    n, inq = 0, False
    for ch in line:
        if ch == '"':
            inq = not inq
        elif ch == delim and not inq:
            n += 1
    return n


def _detect_delimiter(text: str, ext: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return "\t" if ext == ".tsv" else ","
    header = lines[0]
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return "\t" if ext == ".tsv" else ","
    tied = [d for d in DELIMITERS if counts[d] == best]
    if len(tied) == 1:
        return tied[0]

    def consistency(d: str) -> int:
        return sum(1 for ln in lines[1:20] if _count_outside_quotes(ln, d) == best)

    return max(tied, key=consistency)


def _zero_padded(sample_rows: list[list[str]], ncols: int) -> set[int]:
    pat = re.compile(r"0\d+")
    found: set[int] = set()
    for row in sample_rows:
        for i, v in enumerate(row[:ncols]):
            if i not in found and v and v[0] == "0" and pat.fullmatch(v.strip()):
                found.add(i)
    return found


def _csv_rows(text: str, delim: str, limit: int | None = None) -> list[list[str]]:
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for row in reader:
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows
