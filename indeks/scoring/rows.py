"""Rows that are not respondents: recap-sheet summary rows, repeated header rows, blank rows.

Officers keep their answers in recap sheets: below the respondents come rows such as
``JUMLAH``, ``RATA-RATA``, ``NRR per unsur``, ``NRR tertimbang`` and ``IKM``; two
exports pasted one below the other repeat the header row; blank rows separate blocks.
Scored as respondents they change the result (a RATA-RATA row is one more respondent
with the average answers). :func:`find_excluded` finds them so the engine excludes
them *before* scoring: they never count in ``n``, and each one is listed as an issue
(``summary_row``, ``repeated_header``, ``blank_row``) with its spreadsheet row.

Rows are examined when not every matched item cell holds a valid answer code, or when a
text column holds a summary label (a RATA-RATA of whole averages, the JUMLAH of one
respondent: valid codes beside a label); a clean file costs one vectorised pass over the
validity masks and one regex kernel per text column.

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
import pyarrow as pa
import pyarrow.compute as pc

from indeks.instruments.model import Instrument
from indeks.scoring.coerce import _typed_keys
from indeks.scoring.columns import ColumnMatch, norm_header
from indeks.scoring.texts import first_bytes

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

# what str.strip() removes (str.isspace), for Arrow's trim kernel
SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
# norm_header's characters to remove, as RE2 reads them for ASCII text (``\s`` of
# Python's ``re`` on ASCII text is these six plus four separators; RE2's ``\s`` is not)
_STRIP_ASCII = r"[\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f _\-.:()#'\"\[\]]+"


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
_LEAD_WORDS = (
    "nilai", "skor", "rata", "rerata", "jumlah", "total", "nrr", "ikm", "average", "mean",
    "sum", "subtotal",
)  # fmt: skip
_LEAD_RE = r"^\s*[^a-z0-9]*(?:" + "|".join(_LEAD_WORDS) + ")"
# by a text's first byte: may it match _LEAD_RE?  Not when it is an ASCII letter or digit
# other than a lead word's first letter (then the word must start right there); empty
# text never does; any other first byte (space, punctuation, non-ASCII) may
_MAY_LEAD = np.ones(256, dtype=bool)
_MAY_LEAD[0] = False
for _b in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _MAY_LEAD[_b] = chr(_b).lower() in {w[0] for w in _LEAD_WORDS}
_ALNUM = np.zeros(256, dtype=bool)
_ALNUM[list(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")] = True
_LOWER = np.arange(256, dtype="uint8")
_LOWER[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")] += 32


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
    inst: Instrument,
    data: pd.DataFrame,
    match: ColumnMatch,
    valid: list[np.ndarray],
    *,
    answered: np.ndarray | None = None,
    flagged: np.ndarray | None = None,
) -> Excluded | None:
    """Rows of ``data`` that are not respondents, or None when there are none.

    ``valid`` holds one bool array per item of ``inst`` (the coerced answers' validity);
    ``answered`` (optional) their count per row; ``flagged`` (optional) marks the rows
    with at least one item cell that held a value but not a usable answer code (every
    such cell had an issue in coercion). Vectorised per column: each test runs once per
    distinct cell value of a column (keyed by type and value), then whole-row counts
    decide; only the rows found are visited one by one, to write what identified them.

    Only *suspect* rows are examined cell by cell: a row can be excluded only when it
    has no answer at all (blank), a text cell repeating its header or holding a summary
    label, or an item cell with a sum or an average (never a usable code), so rows
    without any of these cost nothing beyond the counts.
    """
    n = len(data)
    item_cols = [match.items.get(it.id) for it in inst.items]
    matched = [j for j, c in enumerate(item_cols) if c is not None]
    if n == 0 or not matched:
        return None
    if answered is None:
        answered = np.zeros(n, dtype="int32")
        for j in matched:
            answered += valid[j]
    headers = [str(c) for c in data.columns]
    head_norm = [norm_header(h) for h in headers]
    item_pos = {headers.index(str(item_cols[j])): inst.items[j] for j in matched}
    # a summary label may stand beside item cells that all hold valid codes (a RATA-RATA
    # of whole averages, the JUMLAH of one respondent): other text columns are searched
    # on every row for a label
    label_at = _label_rows(data, item_pos)
    labelled = np.zeros(n, dtype=bool)
    for hits in label_at.values():
        labelled |= hits
    cand = np.flatnonzero((answered < len(matched)) | labelled)
    if cand.size == 0:
        return None
    m, ncol = cand.size, data.shape[1]
    whole = m == n
    suspect = answered[cand] == 0
    if flagged is not None:
        suspect |= flagged[cand]
    numeric: list[int] = []
    text: dict[int, _TextCells] = {}
    dtypes = list(data.dtypes)
    for c in range(ncol):
        dt = dtypes[c]
        if pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt):
            numeric.append(c)
            if flagged is None and c in item_pos:
                x = _numbers_at(data, c, cand, whole)
                b, _ = _numeric_bad(x, inst.scales[item_pos[c].scale])
                suspect |= b
            continue
        full = data.iloc[:, c]
        if c not in item_pos and isinstance(dt, pd.StringDtype) and not _few_distinct(full):
            # ids, names, comments: Arrow kernels over the rows; labels found above
            at = label_at.get(c)
            cells = _string_cells(
                full, None if whole else cand, head_norm[c], None if at is None else at[cand]
            )
        else:
            col = full if whole else data.iloc[cand, c]
            cells = _text_cells(col, head_norm[c], item_pos.get(c), inst)
        text[c] = cells
        for mark in (cells.same, cells.label, cells.bad):
            if mark is not None:
                suspect |= mark
    rows = np.flatnonzero(suspect)  # positions within ``cand``
    if not rows.size:
        return None
    sub = cand[rows]
    s = rows.size
    filled = np.zeros((s, ncol), bool)
    same = np.zeros((s, ncol), bool)
    label = np.zeros((s, ncol), bool)
    bad = np.zeros((s, ncol), bool)
    label_text: dict[int, np.ndarray] = {}
    bad_text: dict[int, np.ndarray] = {}
    for c in numeric:
        x = _numbers_at(data, c, sub, False)
        filled[:, c] = ~np.isnan(x)
        it = item_pos.get(c)
        if it is not None:
            b, txt = _numeric_bad(x, inst.scales[it.scale])
            if b.any():
                bad[:, c] = b
                bad_text[c] = txt
    for c, cells in text.items():
        filled[:, c] = cells.filled[rows]
        if cells.same is not None:
            same[:, c] = cells.same[rows]
        if cells.label is not None and cells.label_text is not None:
            label[:, c] = cells.label[rows]
            label_text[c] = cells.label_text[rows]
        if cells.bad is not None and cells.bad_text is not None:
            bad[:, c] = cells.bad[rows]
            bad_text[c] = cells.bad_text[rows]
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
        pos_out.append(sub[r])
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
            texts = [str(bad_text[int(c)][r]) for c in np.flatnonzero(bad[r])]
            codes_out.append("summary_row")
            values_out.append(", ".join(texts[:4]) + (" ..." if len(texts) > 4 else ""))
    return Excluded(np.asarray(pos_out, dtype="int64"), codes_out, values_out)


def _label_rows(data: pd.DataFrame, item_pos: dict) -> dict[int, np.ndarray]:
    """Rows with a summary label in each text column that is not an item column (a mask
    per column position, only for columns with a label).

    Text is searched with one Arrow regex kernel over the rows (the label's first word),
    then :func:`is_summary_label` decides on the few hits; a column of a few distinct
    values (roles, units), or one mixing texts with other types, is tested once per
    distinct value."""
    found: dict[int, np.ndarray] = {}
    dtypes = list(data.dtypes)
    for c in range(data.shape[1]):
        dt = dtypes[c]
        if c in item_pos or (
            pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt)
        ):
            continue
        col = data.iloc[:, c]
        if isinstance(col.dtype, pd.StringDtype) and _few_distinct(col):
            # text of a few distinct values (roles, units): each tested once, factorized
            # by the text array itself (no million Python strings made)
            codes, uniq = pd.factorize(col)
            texts = np.asarray(uniq, dtype=object)
            is_label = np.array([is_summary_label(v) for v in texts] + [False], dtype=bool)
            if is_label.any():
                found[c] = is_label[np.where(codes < 0, len(uniq), codes)]
            continue
        arrow = _as_arrow_text(col)
        if arrow is not None:
            # the regex only on texts whose first byte lets them start a label (an id
            # column of "K0001", "BNN-7" ... has none)
            maybe = np.flatnonzero(_MAY_LEAD[first_bytes(arrow)])
            rows = maybe[:0]
            if maybe.size:
                some = arrow.take(pa.array(maybe)) if maybe.size < len(arrow) else arrow
                hit = pc.match_substring_regex(some, _LEAD_RE, ignore_case=True)
                rows = maybe[np.flatnonzero(hit.to_numpy(zero_copy_only=False) == True)]  # noqa: E712
            if rows.size:
                values = col.iloc[rows].to_numpy(dtype=object)
                is_label = np.array([is_summary_label(v) for v in values], bool)
                if is_label.any():
                    found[c] = np.zeros(len(data), dtype=bool)
                    found[c][rows[is_label]] = True
            continue
        try:
            codes, uniq = pd.factorize(col.to_numpy(dtype=object))
        except TypeError:  # unhashable cells further down: the texts only
            values = col.to_numpy(dtype=object)
            codes, uniq = pd.factorize(np.where(_IS_TEXT(values).astype(bool), values, None))
        is_label = np.array([is_summary_label(v) for v in uniq] + [False], dtype=bool)
        if is_label.any():
            found[c] = is_label[np.where(codes < 0, len(uniq), codes)]
    return found


def _few_distinct(col: pd.Series) -> bool:
    """The first 1,000 cells hold few distinct values (as :func:`_as_arrow_text` decides)."""
    head = col.iloc[:1000]
    return head.nunique(dropna=False) * 20 < min(len(col), 1000)


def _as_arrow_text(col: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The column's texts as Arrow strings (other values as nulls), or None when testing
    its few distinct values is cheaper (roles, units)."""
    if isinstance(col.dtype, pd.StringDtype):
        return pa.array(col)
    values = col.to_numpy(dtype=object)
    try:
        if len(set(values[:1000].tolist())) * 20 < min(len(values), 1000):
            return None
    except TypeError:  # unhashable cells (lists from JSON): the texts only
        pass
    try:
        return pa.array(values, from_pandas=True, type=pa.string())
    except (pa.ArrowException, TypeError, ValueError):  # mixed: the texts only
        is_text = _IS_TEXT(values).astype(bool)
        return pa.array(np.where(is_text, values, None), from_pandas=True, type=pa.string())


_IS_TEXT = np.frompyfunc(lambda v: isinstance(v, str), 1, 1)


def _numbers_at(data: pd.DataFrame, c: int, rows: np.ndarray, whole: bool) -> np.ndarray:
    """Column ``c`` of a number column at ``rows`` as floats (NaN for missing)."""
    col = data.iloc[:, c]
    x = col.to_numpy(dtype="float64", na_value=np.nan)
    return x if whole else x[rows]


def _numeric_bad(x: np.ndarray, sc) -> tuple[np.ndarray, np.ndarray]:
    """(cells holding a fraction or a number above the scale, their text) of number cells."""
    with np.errstate(invalid="ignore"):
        b = ~np.isnan(x) & ~np.isin(x, np.asarray(sc.missing_codes, dtype="float64"))
        b &= (x != np.floor(x)) | (x > sc.max)
    txt = np.full(x.size, "", dtype=object)
    if b.any():
        txt[b] = [f"{v:g}" for v in x[b]]
    return b, txt


@dataclass
class _TextCells:
    """Per-row tests of one text (or mixed, or boolean) column; None: no cell of that kind."""

    filled: np.ndarray
    same: np.ndarray | None
    label: np.ndarray | None
    label_text: np.ndarray | None
    bad: np.ndarray | None
    bad_text: np.ndarray | None


def _string_cells(
    col: pd.Series, rows: np.ndarray | None, head: str, label: np.ndarray | None
) -> _TextCells:
    """:func:`_text_cells` of a text column of many distinct values that is not an item
    (ids, names, comments), at ``rows`` (None: all), with Arrow kernels over the rows:
    no Python string per cell.  ``label``: its summary-label rows (found by
    :func:`_label_rows`).  The same answers as :func:`_blank` and :func:`norm_header`:
    trimmed by what ``str.strip`` removes; ASCII text is normalised in Arrow exactly as
    :func:`norm_header` does, other text (rare) by :func:`norm_header` itself."""
    arr = pa.array(col)
    if rows is not None:
        arr = arr.take(pa.array(rows))
    trimmed = pc.utf8_trim(arr, characters=SPACE)
    filled = _bools(pc.not_equal(trimmed, ""))
    # a text can normalise to the header only when its first byte is the header's first
    # letter (either case) or is not an ASCII letter or digit (removed, a slash, non-ASCII)
    first = first_bytes(trimmed)
    maybe = filled & (~_ALNUM[first] | (_LOWER[first] == (ord(head[0]) if head else -1)))
    if head and pc.any(pc.match_substring(trimmed, "/")).as_py():  # a path: its last part
        maybe |= _bools(pc.match_substring(trimmed, "/"))
    elif not head:
        maybe = filled.copy()
    same = np.zeros(len(arr), dtype=bool)
    at = np.flatnonzero(maybe)
    if at.size:
        some = trimmed.take(pa.array(at))
        tail = pc.replace_substring_regex(some, pattern="(?s)^.*/", replacement="")
        normed = pc.replace_substring_regex(
            pc.ascii_lower(tail), pattern=_STRIP_ASCII, replacement=""
        )
        same[at] = _bools(pc.equal(normed, head))
        other = np.flatnonzero(~_bools(pc.string_is_ascii(some)))
        if other.size:  # non-ASCII text: Python's own lower() and whitespace
            values = arr.take(pa.array(at[other])).to_pylist()
            same[at[other]] = [norm_header(v) == head for v in values]
    out = _TextCells(filled, same if same.any() else None, None, None, None, None)
    if label is not None and (label & filled).any():
        out.label = label & filled
        at = np.flatnonzero(out.label)
        text = np.full(len(arr), "", dtype=object)
        text[at] = [str(v).strip() for v in arr.take(pa.array(at)).to_pylist()]
        out.label_text = text
    return out


def _bools(arr) -> np.ndarray:
    """A boolean Arrow array as numpy (null -> False)."""
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _text_cells(col: pd.Series, head: str, it, inst: Instrument) -> _TextCells:
    """Each test once per distinct (type, value) of a text column, mapped back to rows."""
    dt = col.dtype
    if isinstance(dt, pd.StringDtype):  # text only: its own distinct values
        codes, uniq = pd.factorize(col, use_na_sentinel=True)
        reps = np.asarray(uniq, dtype=object)
    else:
        values = col.to_numpy(dtype=object)
        codes, _ = pd.factorize(_typed_keys(col), use_na_sentinel=True)
        k0 = int(codes.max()) + 1 if codes.size else 0
        first = np.zeros(k0, dtype="int64")
        seen = codes >= 0
        first[codes[seen][::-1]] = np.flatnonzero(seen)[::-1]  # first row of each value
        reps = values[first] if k0 else np.empty(0, dtype=object)
    k = len(reps)
    idx = np.where(codes < 0, k, codes)
    if k > _MANY and pd.api.types.infer_dtype(reps, skipna=False) == "string":
        u_filled, u_same, u_label = _text_tests(reps, head)
    else:
        u_filled = np.array([not _blank(v) for v in reps] + [False], dtype=bool)
        u_same = np.array(
            [isinstance(v, str) and norm_header(v) == head for v in reps] + [False],
            dtype=bool,
        )
        u_label = np.array([is_summary_label(v) for v in reps] + [False], dtype=bool)
    f = u_filled[idx]
    out = _TextCells(f, None, None, None, None, None)
    if (u_same & u_filled).any():
        out.same = u_same[idx] & f
    if (u_label & u_filled).any():
        out.label = u_label[idx] & f
        out.label_text = np.array([str(v).strip() for v in reps] + [""], dtype=object)[idx]
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
        if (u_bad & u_filled).any():
            out.bad = u_bad[idx] & f
            out.bad_text = u_txt[idx]
    return out
