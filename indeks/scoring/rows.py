"""Rows that are not respondents: recap-sheet summary rows, repeated header rows, blank rows.

Officers keep their answers in recap sheets: below the respondents come rows such as
``JUMLAH``, ``RATA-RATA``, ``NRR per unsur``, ``NRR tertimbang`` and ``IKM``; two
exports pasted one below the other repeat the header row; blank rows separate blocks.
Scored as respondents they change the result (a RATA-RATA row is one more respondent
with the average answers). :func:`find_excluded` finds them so the engine excludes
them *before* scoring: they never count in ``n``, and each one is listed as an issue
(``summary_row``, ``repeated_header``, ``blank_row``) with its spreadsheet row.

Only rows in which not every matched item cell holds a valid answer code are examined
(a summary row always has at least one sum, average or empty item cell), so a clean
file costs one vectorised pass over the validity masks.

A row is

* ``blank_row`` when every cell is empty (only whitespace counts as empty);
* ``repeated_header`` when at least two cells, and at least half of its filled cells,
  repeat their own column's header (compared as :func:`~indeks.scoring.columns.norm_header`);
* ``summary_row`` when a text cell is a summary label: one of ``rata-rata``,
  ``rata2``, ``rerata``, ``nilai rata-rata``, ``jumlah``, ``total``, ``nrr``,
  ``ikm``, ``average``, ``mean``, ``sum`` followed only by qualifier words (``per
  unsur``, ``tertimbang``, ``x bobot``, ``unit pelayanan``, ``nilai``, ``skor``...) and
  numbers (so a comment such as "total pelayanan baik" is not a label); or when no
  at least two item cells, and at least half of the items, hold fractions (3.25) or
  numbers above the scale (35): averages and totals (an average may be whole, 3.0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indeks.instruments.model import Instrument
from indeks.scoring.columns import ColumnMatch, norm_header

__all__ = ["Excluded", "find_excluded", "is_summary_label"]

_LEADS = (
    ("nilai", "rata", "rata"),
    ("skor", "rata", "rata"),
    ("rata", "rata"),
    ("rata2",),
    ("ratarata",),
    ("rerata",),
    ("jumlah",),
    ("total",),
    ("nrr",),
    ("ikm",),
    ("average",),
    ("mean",),
    ("sum",),
    ("subtotal",),
)
_QUALIFIERS = frozenset(
    """per unsur tertimbang x kali bobot nilai skor unit pelayanan konversi interval
    keseluruhan seluruh semua responden total jumlah nrr ikm rata rata2 mutu kinerja
    akhir butir item pertanyaan dan tiap setiap weighted score scores all""".split()
)
_WORD = re.compile(r"[a-z]+[0-9]*|[0-9]+(?:[.,][0-9]+)?")


def is_summary_label(text: object) -> bool:
    """True for a recap sheet's summary label ("RATA-RATA", "NRR per unsur", "IKM = 78,33")."""
    if not isinstance(text, str):
        return False
    words = _WORD.findall(text.lower())
    if not words or len(words) > 8:
        return False
    for lead in _LEADS:
        if tuple(words[: len(lead)]) == lead:
            rest = words[len(lead) :]
            return all(w in _QUALIFIERS or w[0].isdigit() for w in rest)
    return False


@dataclass
class Excluded:
    """Positions (0-based) of rows that are not respondents, with the issue code and
    the value that identified each (the label, the repeated headers, or the sums)."""

    positions: np.ndarray
    codes: list[str]
    values: list[str]
    rows: np.ndarray | None = None  # their spreadsheet rows (set when they are dropped)

    def mask(self, n: int) -> np.ndarray:
        m = np.zeros(n, bool)
        m[self.positions] = True
        return m


def _blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _number(v) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        return None if np.isnan(float(v)) else float(v)
    if isinstance(v, str):
        t = v.strip().replace(" ", "")
        if re.fullmatch(r"[-+]?\d+([.,]\d+)?", t):
            return float(t.replace(",", "."))
    return None


def find_excluded(
    inst: Instrument, data: pd.DataFrame, match: ColumnMatch, valid: list[np.ndarray]
) -> Excluded | None:
    """Rows of ``data`` that are not respondents, or None when there are none.

    ``valid`` holds one bool array per item of ``inst`` (the coerced answers' validity)."""
    n = len(data)
    item_cols = [match.items.get(it.id) for it in inst.items]
    matched = [j for j, c in enumerate(item_cols) if c is not None]
    if n == 0 or not matched:
        return None
    answered = np.zeros(n, dtype="int32")
    for j in matched:
        answered += valid[j]
    cand = np.flatnonzero(answered < len(matched))
    if cand.size == 0:
        return None
    headers = [str(c) for c in data.columns]
    head_norm = [norm_header(h) for h in headers]
    item_pos = {headers.index(item_cols[j]): inst.items[j] for j in matched}
    sub = data.iloc[cand].to_numpy(dtype=object)
    pos_out, codes, values = [], [], []
    for r, p in enumerate(cand):
        cells = sub[r]
        filled = [(c, v) for c, v in enumerate(cells) if not _blank(v)]
        if not filled:
            pos_out.append(p)
            codes.append("blank_row")
            values.append("")
            continue
        same = [
            headers[c] for c, v in filled if isinstance(v, str) and norm_header(v) == head_norm[c]
        ]
        if len(same) >= 2 and 2 * len(same) >= len(filled):
            pos_out.append(p)
            codes.append("repeated_header")
            values.append(", ".join(same[:4]) + (" ..." if len(same) > 4 else ""))
            continue
        label = next((str(v).strip() for _, v in filled if is_summary_label(v)), None)
        if label is not None:
            pos_out.append(p)
            codes.append("summary_row")
            values.append(label)
            continue
        bad = []
        for c, v in filled:
            it = item_pos.get(c)
            if it is None:
                continue
            x = _number(v)
            sc = inst.scales[it.scale]
            if x is None or x in sc.missing_codes:
                continue
            if x != np.floor(x) or x > sc.max:
                bad.append(v if isinstance(v, str) else f"{x:g}")
        if len(bad) >= 2 and 2 * len(bad) >= len(matched):
            pos_out.append(p)
            codes.append("summary_row")
            values.append(", ".join(f"{b}" for b in bad[:4]) + (" ..." if len(bad) > 4 else ""))
    if not pos_out:
        return None
    return Excluded(np.asarray(pos_out, dtype="int64"), codes, values)
