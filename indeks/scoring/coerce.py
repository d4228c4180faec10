"""Turn raw answer cells into answer codes, vectorised per column.

A cell may hold a number (``4``, ``4.0``), a number written as text (``"4"``,
``"4,0"``), an answer label in any of the definition's wordings (``"Sangat puas"``,
``"sangat puas "``, ``"SP"``), a numbered label (``"4 - Sangat Puas"``), a declared
missing code (``9``, ``99``) or missing label (``"-"``, ``"Tidak menjawab"``), or be
empty.  Anything else is an issue with its row and column, never a guess.

Work is done once per *distinct* value of a column (``pandas.factorize``), so a
million rows with a handful of distinct answers cost a handful of look-ups.  Distinct
values are keyed by (type, value): ``True`` and ``1`` are different answers (Python and
pandas treat them as equal), so a boolean is never read as the code 1 or 0.  A boolean is
an answer only when the scale declares it as a label (``"true"`` / ``"false"``, e.g.
``labels = { 1 = ["Ya", "true"] }``); otherwise it is an ``unknown_label``.  A cell
holding a list, a dict or another container (JSON, Parquet) is an ``unknown_label`` of
that cell, never an error of the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indeks.instruments.model import Item, Scale

_WS = re.compile(r"\s+")
_NUMBERED = re.compile(r"^\s*(-?\d+(?:[.,]0+)?)\s*[-.):=]\s*(\D.*)$")
_LETTERED = re.compile(r"^\s*([a-eA-E])\s*[.)]\s+(\S.*)$")
_NUMBER = re.compile(r"^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)\s*$")

# kinds of outcome per distinct value
OK, MISSING, UNKNOWN, OUT_OF_RANGE, NOT_A_CODE = 0, 1, 2, 3, 4


def norm_label(text: str) -> str:
    """Lower case, hyphens and underscores as spaces, single spaces, no surrounding quotes/dots."""
    t = str(text).replace("\u00a0", " ").replace("-", " ").replace("_", " ").replace("/", " / ")
    t = _WS.sub(" ", t).strip().strip("\"'.;:").strip().lower()
    return t


def label_table(item: Item, scale: Scale) -> dict[str, int]:
    table: dict[str, int] = {}
    for source in (scale.labels, item.labels):
        for code, texts in source.items():
            for t in texts:
                table[norm_label(t)] = code
    for t, code in item.user_labels:  # the user's own statement (--labels) wins
        table[norm_label(t)] = code
    return table


@dataclass
class Coerced:
    codes: np.ndarray  # float64, NaN where missing or invalid (positional codes)
    from_number: np.ndarray  # bool: the cell held a number (not a label)
    problems: list[tuple[str, np.ndarray, np.ndarray]]  # (issue code, positions, raw values)
    valid: np.ndarray  # bool: a usable answer code


@dataclass
class CodedColumn:
    """One column's answers as small integer codes (what the engine works with)."""

    codes: np.ndarray  # ``dtype`` integers, 0 where the cell is not a usable answer
    valid: np.ndarray  # bool: a usable answer code
    problems: list[tuple[str, np.ndarray, np.ndarray]]  # (issue code, positions, raw values)
    from_number: np.ndarray | None = None  # bool: the cell held a number; None: every cell

    def problem_positions(self) -> np.ndarray:
        """Positions of every cell with a problem (sorted, distinct)."""
        if not self.problems:
            return np.zeros(0, dtype="int64")
        return np.unique(np.concatenate([pos for _, pos, _ in self.problems]))


def code_dtype(scale: Scale) -> np.dtype:
    """The smallest integer type that holds every code of ``scale`` (and its reversal)."""
    lo, hi = int(scale.min), int(scale.max)
    for dt in (np.int8, np.int16, np.int32):
        info = np.iinfo(dt)
        if info.min <= min(lo, 0) and max(hi, lo + hi) <= info.max:
            return np.dtype(dt)
    return np.dtype(np.int64)


def _classify_number(x: float, scale: Scale) -> int:
    if np.isnan(x):
        return MISSING
    if x in scale.missing_codes:
        return MISSING
    if x != np.floor(x):
        return NOT_A_CODE
    if x < scale.min or x > scale.max:
        return OUT_OF_RANGE
    return OK


def coerce_column(values: pd.Series, item: Item, scale: Scale) -> Coerced:
    """Answer codes of one column as floats (NaN where not usable), with the problems."""
    cc = coerce_codes(values, item, scale)
    codes = cc.codes.astype("float64")
    codes[~cc.valid] = np.nan
    from_number = np.ones(len(values), bool) if cc.from_number is None else cc.from_number
    return Coerced(codes, from_number, cc.problems, cc.valid)


def coerce_codes(
    values: pd.Series, item: Item, scale: Scale, dtype: np.dtype | None = None
) -> CodedColumn:
    """Answer codes of one column as small integers (``dtype``, default :func:`code_dtype`)."""
    dtype = code_dtype(scale) if dtype is None else np.dtype(dtype)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return _numeric_codes(values, scale, dtype)
    return _text_codes(values, item, scale, dtype)


def _numeric_codes(values: pd.Series, scale: Scale, dtype: np.dtype) -> CodedColumn:
    """A number column: one vectorised test says which cells are whole codes on the scale.

    Casting to the code type and comparing with the original is exact: a cell equals its
    cast only when it is a whole number the type holds (NaN, fractions and numbers
    outside the type never do), then the scale's bounds are checked on the small codes.
    """
    dt = values.dtype
    if isinstance(dt, np.dtype) and dt.kind in "iuf":
        x = values.to_numpy()
    else:  # nullable / extension numbers: NaN for missing
        x = values.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore", over="ignore"):
        codes = x.astype(dtype)
    ok = codes == x
    info = np.iinfo(dtype)
    if scale.min > info.min:
        ok &= codes >= scale.min
    if scale.max < info.max:
        ok &= codes <= scale.max
    problems: list[tuple[str, np.ndarray, np.ndarray]] = []
    n_ok = np.count_nonzero(ok)
    if n_ok == ok.size:
        return CodedColumn(codes, ok, problems)
    codes *= ok  # 0 where not usable
    if x.dtype.kind == "f" and np.count_nonzero(np.isnan(x)) == ok.size - n_ok:
        return CodedColumn(codes, ok, problems)  # every unusable cell is blank
    bad_pos = np.flatnonzero(~ok)
    xb = x[bad_pos].astype("float64", copy=False)
    nan = np.isnan(xb)
    mcode = (
        np.isin(xb, np.asarray(scale.missing_codes, dtype="float64"))
        if scale.missing_codes
        else np.zeros(xb.size, bool)
    )
    frac = ~nan & ~mcode & (xb != np.floor(np.where(nan, 0, xb)))
    oor = ~nan & ~mcode & ~frac
    if oor.any():
        problems.append(("out_of_range", bad_pos[oor], _fmt_numbers(xb[oor])))
    if frac.any():
        problems.append(("not_a_code", bad_pos[frac], _fmt_numbers(xb[frac])))
    return CodedColumn(codes, ok, problems)


def _text_codes(values: pd.Series, item: Item, scale: Scale, dtype: np.dtype) -> CodedColumn:
    """Object / string / mixed columns: decided once per distinct (type, value)."""
    codes_idx, uniques = pd.factorize(_typed_keys(values), use_na_sentinel=True)
    table = label_table(item, scale)
    missing_labels = {norm_label(t) for t in scale.missing_labels}
    k = len(uniques)
    u_code = np.zeros(k + 1, dtype=dtype)  # last slot: NA sentinel
    u_kind = np.full(k + 1, MISSING, dtype="int8")
    u_number = np.zeros(k + 1, bool)
    for j, u in enumerate(uniques):
        code, kind, is_num = _decide(u, table, missing_labels, scale)
        u_kind[j], u_number[j] = kind, is_num
        if kind == OK:
            u_code[j] = int(code)
    idx = np.where(codes_idx < 0, k, codes_idx)
    kinds = u_kind[idx]
    valid = kinds == OK
    problems = []
    arr = None
    for kind, name in (
        (UNKNOWN, "unknown_label"),
        (OUT_OF_RANGE, "out_of_range"),
        (NOT_A_CODE, "not_a_code"),
    ):
        if not (u_kind == kind).any():
            continue
        mask = kinds == kind
        pos = np.flatnonzero(mask)
        arr = values.to_numpy() if arr is None else arr
        problems.append((name, pos, np.asarray([str(v) for v in arr[pos]], dtype=object)))
    return CodedColumn(u_code[idx], valid, problems, u_number[idx])


class _Tagged(tuple):
    """A distinct-value key that never equals a plain value: ("bool", True) or ("cell", text)."""

    __slots__ = ()


# inferred dtypes that cannot hold a boolean or a container cell
_PLAIN_KINDS = {"string", "empty", "integer", "floating", "mixed-integer-float", "decimal"}
# group labels also need 1 and 1.0 made one label, so mixed int/float columns are keyed
_PLAIN_LABEL_KINDS = _PLAIN_KINDS - {"mixed-integer-float"}


def _key(v):
    if isinstance(v, (bool, np.bool_)):
        return _Tagged(("bool", bool(v)))
    if isinstance(v, (list, dict, tuple, set, frozenset, np.ndarray)):
        return _Tagged(("cell", _container_text(v)))
    return v


def _container_text(v) -> str:
    try:
        text = repr(v.tolist() if isinstance(v, np.ndarray) else v)
    except Exception:  # a hostile object's repr may fail; the cell is still reported
        text = f"<{type(v).__name__}>"
    return text if len(text) <= 200 else text[:199] + "\u2026"


def _typed_keys(values: pd.Series):
    """The values, with booleans and container cells replaced by keys of their own type.

    Only columns whose inferred dtype may hold such cells pay the per-cell pass
    (``numpy.frompyfunc``); plain text or number columns are returned as they are.
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.map({True: _Tagged(("bool", True)), False: _Tagged(("bool", False))})
    if values.dtype != object:
        return values
    if pd.api.types.infer_dtype(values, skipna=True) in _PLAIN_KINDS:
        return values
    keyed = np.frompyfunc(_key, 1, 1)(values.to_numpy(dtype=object))
    return np.asarray(keyed, dtype=object)


def _label_key(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (float, np.floating)) and float(v).is_integer() and abs(v) < 2**53:
        return int(v)  # 1 and 1.0 are one group, labelled 1 whichever comes first
    if isinstance(v, (list, dict, tuple, set, frozenset, np.ndarray)):
        return _container_text(v)
    return v


def typed_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Group-by columns keyed by type, like answers: a boolean group value is the text
    ``"True"``/``"False"`` (never merged with the number 1/0, whichever row comes first),
    a whole float the integer (``1.0`` and ``1`` are group ``1``), and a list/dict cell
    its text (a group of its own, never a crash). Only mixed object columns change."""
    out = None
    for c in frame.columns:
        s = frame[c]
        if s.dtype != object or pd.api.types.infer_dtype(s, skipna=True) in _PLAIN_LABEL_KINDS:
            continue
        if out is None:
            out = frame.copy()
        keyed = np.frompyfunc(_label_key, 1, 1)(s.to_numpy(dtype=object))
        out[c] = pd.Series(np.asarray(keyed, dtype=object), index=s.index, dtype=object)
    return frame if out is None else out


def _fmt_numbers(x: np.ndarray) -> np.ndarray:
    return np.asarray([f"{v:g}" for v in x], dtype=object)


def _decide(u, table, missing_labels, scale: Scale) -> tuple[float, int, bool]:
    """(code, kind, came_from_number) for one distinct raw value."""
    if isinstance(u, _Tagged):
        if u[0] == "bool":
            # a boolean is an answer only when the scale declares "true"/"false" as a label
            code = table.get("true" if u[1] else "false")
            return (np.nan, UNKNOWN, False) if code is None else (float(code), OK, False)
        return np.nan, UNKNOWN, False
    if isinstance(u, (bool, np.bool_)):
        return np.nan, UNKNOWN, False
    if isinstance(u, (int, float, np.integer, np.floating)):
        x = float(u)
        kind = _classify_number(x, scale)
        return (x if kind == OK else np.nan), kind, True
    text = str(u)
    if not text.strip():
        return np.nan, MISSING, False
    key = norm_label(text)
    if key in missing_labels:
        return np.nan, MISSING, False
    if key in table:
        return float(table[key]), OK, False
    if _NUMBER.match(text):
        x = float(text.strip().replace(",", "."))
        kind = _classify_number(x, scale)
        return (x if kind == OK else np.nan), kind, True
    m = _NUMBERED.match(text)
    if m:
        num = float(m.group(1).replace(",", "."))
        rest = norm_label(m.group(2))
        if rest in table:
            # the number written beside a known label must agree with it
            if float(table[rest]) == num:
                return num, OK, False
            return np.nan, UNKNOWN, False
        kind = _classify_number(num, scale)
        return (num if kind == OK else np.nan), kind, True
    m = _LETTERED.match(text)
    if m:
        rest = norm_label(m.group(2))
        if rest in table:
            return float(table[rest]), OK, False
    return np.nan, UNKNOWN, False
