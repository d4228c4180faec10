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
from indeks.scoring.coerce import _typed_keys
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


# a text column with more distinct values than this (ids, names) is tested with
# vectorised string kernels instead of one Python call per value
_MANY = 2_000
_LEAD_RE = (
    r"^\s*[^a-z0-9]*(?:nilai|skor|rata|rerata|jumlah|total|nrr|ikm|average|mean|sum|subtotal)"
)


def _text_tests(reps: np.ndarray, head: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(filled, equals the header, summary label) of distinct texts, plus a False slot
    for the missing-value code; the same answers as :func:`_blank`, :func:`norm_header`
    and :func:`is_summary_label`, which only run on the few texts a prefilter keeps."""
    t = pd.Series(reps, dtype="str")
    stripped = t.str.strip()
    filled = (stripped != "").to_numpy(dtype=bool)
    tail = stripped
    slash = stripped.str.contains("/", regex=False).to_numpy(dtype=bool)
    if slash.any():  # only the texts with a slash are split (a Python call each)
        tail = stripped.copy()
        tail[slash] = stripped[slash].str.rsplit("/", n=1).str[-1]
    normed = tail.str.lower().str.replace(r"[\s_\-.:()#'\"\[\]]+", "", regex=True)
    same = (normed == head).to_numpy(dtype=bool)
    maybe = np.flatnonzero(t.str.lower().str.contains(_LEAD_RE, regex=True).to_numpy(dtype=bool))
    label = np.zeros(len(reps), dtype=bool)
    if maybe.size:
        label[maybe] = [is_summary_label(reps[i]) for i in maybe]
    sentinel = np.zeros(1, dtype=bool)
    return (
        np.concatenate([filled, sentinel]),
        np.concatenate([same, sentinel]),
        np.concatenate([label, sentinel]),
    )


def find_excluded(
    inst: Instrument, data: pd.DataFrame, match: ColumnMatch, valid: list[np.ndarray]
) -> Excluded | None:
    """Rows of ``data`` that are not respondents, or None when there are none.

    ``valid`` holds one bool array per item of ``inst`` (the coerced answers' validity).
    Vectorised per column: each test runs once per distinct cell value of a column
    (keyed by type and value), then whole-row counts decide; only the rows found
    are visited one by one, to write what identified them."""
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
    m, ncol = cand.size, data.shape[1]
    whole = m == n
    filled = np.zeros((m, ncol), bool)
    same = np.zeros((m, ncol), bool)
    label = np.zeros((m, ncol), bool)
    bad = np.zeros((m, ncol), bool)
    label_text: dict[int, np.ndarray] = {}
    bad_text: dict[int, np.ndarray] = {}
    for c in range(ncol):
        col = data.iloc[:, c] if whole else data.iloc[cand, c]
        it = item_pos.get(c)
        dt = col.dtype
        if pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt):
            x = col.to_numpy(dtype="float64", na_value=np.nan)
            f = ~np.isnan(x)
            filled[:, c] = f
            if it is not None:
                sc = inst.scales[it.scale]
                with np.errstate(invalid="ignore"):
                    b = f & ~np.isin(x, np.asarray(sc.missing_codes, dtype="float64"))
                    b &= (x != np.floor(x)) | (x > sc.max)
                if b.any():
                    bad[:, c] = b
                    txt = np.full(m, "", dtype=object)
                    txt[b] = [f"{v:g}" for v in x[b]]
                    bad_text[c] = txt
            continue
        # text, mixed and boolean columns: decide once per distinct (type, value)
        values = col.to_numpy(dtype=object)
        # (pandas' factorize of arrow-backed text is slower than of the object values)
        keys = values if isinstance(dt, pd.StringDtype) else _typed_keys(col)
        codes, uniques = pd.factorize(keys, use_na_sentinel=True)
        k = len(uniques)
        first = np.zeros(k, dtype="int64")
        seen = codes >= 0
        first[codes[seen][::-1]] = np.flatnonzero(seen)[::-1]  # first row of each value
        reps = values[first] if k else np.empty(0, dtype=object)
        idx = np.where(codes < 0, k, codes)
        if k > _MANY and pd.api.types.infer_dtype(reps, skipna=False) == "string":
            u_filled, u_same, u_label = _text_tests(reps, head_norm[c])
        else:
            u_filled = np.array([not _blank(v) for v in reps] + [False], dtype=bool)
            u_same = np.array(
                [isinstance(v, str) and norm_header(v) == head_norm[c] for v in reps] + [False],
                dtype=bool,
            )
            u_label = np.array([is_summary_label(v) for v in reps] + [False], dtype=bool)
        f = u_filled[idx]
        filled[:, c] = f
        same[:, c] = u_same[idx] & f
        if u_label.any():
            label[:, c] = u_label[idx] & f
            label_text[c] = np.array([str(v).strip() for v in reps] + [""], dtype=object)[idx]
        if it is not None:
            sc = inst.scales[it.scale]
            u_bad = np.zeros(k + 1, dtype=bool)
            u_txt = np.full(k + 1, "", dtype=object)
            for q, v in enumerate(reps):
                xv = _number(v)
                if xv is None or xv in sc.missing_codes:
                    continue
                if xv != np.floor(xv) or xv > sc.max:
                    u_bad[q] = True
                    u_txt[q] = v if isinstance(v, str) else f"{xv:g}"
            if u_bad.any():
                bad[:, c] = u_bad[idx] & f
                bad_text[c] = u_txt[idx]
    n_filled = filled.sum(axis=1)
    n_same = same.sum(axis=1)
    n_bad = bad.sum(axis=1)
    is_blank = n_filled == 0
    is_header = ~is_blank & (n_same >= 2) & (2 * n_same >= n_filled)
    is_label = ~is_blank & ~is_header & label.any(axis=1)
    is_numbers = ~is_blank & ~is_header & ~is_label & (n_bad >= 2) & (2 * n_bad >= len(matched))
    hit = np.flatnonzero(is_blank | is_header | is_label | is_numbers)
    if not hit.size:
        return None
    pos_out, codes_out, values_out = [], [], []
    for r in hit:  # only the rows found, to say what identified each
        pos_out.append(cand[r])
        if is_blank[r]:
            codes_out.append("blank_row")
            values_out.append("")
        elif is_header[r]:
            same_h = [headers[c] for c in np.flatnonzero(same[r])]
            codes_out.append("repeated_header")
            values_out.append(", ".join(same_h[:4]) + (" ..." if len(same_h) > 4 else ""))
        elif is_label[r]:
            c = int(np.argmax(label[r]))
            codes_out.append("summary_row")
            values_out.append(str(label_text[c][r]))
        else:
            texts = [str(bad_text[c][r]) for c in np.flatnonzero(bad[r])]
            codes_out.append("summary_row")
            values_out.append(", ".join(texts[:4]) + (" ..." if len(texts) > 4 else ""))
    return Excluded(np.asarray(pos_out, dtype="int64"), codes_out, values_out)
