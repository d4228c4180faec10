"""Respondent ids as keys: for pairing waves (pre/post) and for duplicate checks.

The same client is often typed differently in two exports: ``"007"`` in a text
column, ``7`` or ``7.0`` in a column Excel read as numbers, ``" 7 "`` with stray
spaces, ``"K007"`` and ``"k007"``.  :func:`normalize_ids` turns every such spelling
into one key:

* surrounding whitespace is removed and text is case-folded (``"K007"`` -> ``"k007"``);
* numbers are written without a fractional part when they are whole
  (``7``, ``7.0``, ``"7.0"`` -> ``"7"``); other numbers keep their decimals
  (``7.5`` -> ``"7.5"``);
* leading zeros are dropped only when the whole id consists of digits
  (``"007"`` -> ``"7"``, ``"000"`` -> ``"0"``; ``"K007"`` keeps its zeros);
* missing values (``None``, NaN, ``pd.NA``) and empty/blank text become ``None``.

Duplicates within one data set are judged on a stricter key
(:func:`duplicate_key_text`: trimmed, case kept, numbers by value), hashed for the
check across the parts of a big job (:func:`key_hashes`).

Vectorised: whole-number and plain-ASCII text columns go through pyarrow compute
kernels (:func:`normalize_ids_arrow`, no Python object per id); anything else (mixed
cells, non-ASCII text, fractional numbers) through pandas string operations.  Both give
the same keys.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["normalize_ids", "normalize_ids_arrow"]

# what str.strip() removes from ASCII text
_ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"

# whole numbers written as digits with an optional all-zero fraction: "007", "7.0", "12.000"
_WHOLE = r"^[0-9]+(?:\.0+)?$"


def normalize_ids(values) -> np.ndarray:
    """Normalised id keys (numpy object array of ``str`` or ``None``), same length as ``values``."""
    fast = _fast_arrow(values)
    if fast is not None:
        out = np.asarray(fast.to_numpy(zero_copy_only=False), dtype=object)
        return out
    return _normalize_general(values)


def _normalize_general(values) -> np.ndarray:
    ser = (
        pd.Series(values, dtype=object)
        if not isinstance(values, pd.Series)
        else values.astype(object)
    )
    ser = ser.reset_index(drop=True)
    n = len(ser)
    out = pd.Series(np.full(n, None, dtype=object), dtype=object)
    if n == 0:
        return out.to_numpy(dtype=object)
    missing = ser.isna().to_numpy()
    # text cells: .str.len() is NaN for anything that is not a str
    try:
        is_text = ser.str.len().notna().to_numpy()
    except AttributeError:  # no text at all (an all-number column)
        is_text = np.zeros(n, bool)
    other = ~missing & ~is_text

    if other.any():
        vals = ser[other]
        num = pd.to_numeric(vals, errors="coerce")
        numf = num.astype("float64")
        whole = numf.notna() & np.isfinite(numf) & (numf == np.floor(numf)) & (numf.abs() < 2.0**53)
        txt = vals.astype(str)
        if whole.any():
            txt[whole] = numf[whole].astype("int64").astype(str)
        frac = numf.notna() & ~whole
        if frac.any():
            txt[frac] = numf[frac].map(repr)  # shortest round-trip text, e.g. 7.5
        out[other] = txt.to_numpy(dtype=object)

    if is_text.any():
        t = ser[is_text].str.strip().str.casefold()
        digits = t.str.match(_WHOLE)
        if digits.any():
            d = (
                t[digits]
                .str.replace(r"\.0+$", "", regex=True)
                .str.replace(r"^0+(?=[0-9])", "", regex=True)
            )
            t = t.copy()
            t[digits] = d
        out[is_text] = t.to_numpy(dtype=object)

    # strip/case-fold the text of non-text values too (e.g. a bool becomes "true")
    res = out.where(out.isna(), out.astype(str).str.strip().str.casefold())
    res = res.where(res.notna() & (res != ""), None)
    arr = np.array(res.to_numpy(dtype=object), dtype=object)
    arr[pd.isna(arr)] = None
    return arr


def _fast_arrow(values):
    """Normalised keys as a pyarrow string array when a fast path applies, else None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ser = values if isinstance(values, pd.Series) else pd.Series(values)
    dtype = ser.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        arr = pa.array(ser, from_pandas=True)
        return pc.cast(pc.cast(arr, pa.int64()), pa.string())
    if pd.api.types.is_float_dtype(dtype):
        v = ser.to_numpy(dtype="float64", na_value=np.nan)
        nan = np.isnan(v)
        with np.errstate(invalid="ignore"):
            whole = ~nan & np.isfinite(v) & (v == np.floor(v)) & (np.abs(v) < 2.0**53)
        if (whole | nan).all():
            ints = pa.array(np.where(whole, v, 0).astype("int64"), mask=nan)
            return pc.cast(ints, pa.string())
        return None
    if isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype):
        try:
            arr = pa.array(ser, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: the general path
            return None
        if len(arr) and not pc.all(pc.string_is_ascii(arr)).as_py():
            return None
        t = pc.ascii_lower(pc.utf8_trim(arr, characters=_ASCII_SPACE))
        digits = pc.match_substring_regex(t, _WHOLE)
        if pc.any(digits).as_py():
            d = pc.replace_substring_regex(t, r"\.0+$", "")
            d = pc.replace_substring_regex(d, r"^0+([0-9])", r"\1")
            t = pc.if_else(digits, d, t)
        return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)
    return None


def normalize_ids_arrow(values):
    """Normalised id keys as a pyarrow string array (null for a missing id)."""
    import pyarrow as pa

    fast = _fast_arrow(values)
    if fast is not None:
        return fast
    return pa.array(_normalize_general(values), type=pa.string(), from_pandas=True)


# 64-bit polynomial hash of the bytes of each text (mod 2**64), then a splitmix64 finish
_BASE = np.uint64(0x100000001B3)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_LEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix(h: np.ndarray) -> np.ndarray:
    h ^= h >> np.uint64(30)
    h *= _MIX1
    h ^= h >> np.uint64(27)
    h *= _MIX2
    h ^= h >> np.uint64(31)
    return h


# texts up to this many bytes are hashed one place at a time over all texts
_SHORT = 24


def _powers(m: int) -> np.ndarray:
    """_BASE ** (p + 1) mod 2**64 for places p = 0..m-1."""
    return np.cumprod(np.full(m, _BASE, dtype="uint64"))


def _by_place(data: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """sum over places p of (byte + 1) * _BASE ** (p + 1) for each text (short texts:
    one pass over the texts per place)."""
    powers = _powers(int(lens.max()))
    shortest = int(lens.min())
    last = data.size - 1
    acc = np.zeros(starts.size, dtype="uint64")
    for p, w in enumerate(powers):
        at = starts + p
        if p >= shortest:  # some texts end before this place: they add nothing
            np.minimum(at, last, out=at)
        b = data[at].astype("uint64")
        b += np.uint64(1)
        if p >= shortest:
            b[lens <= p] = 0
        b *= w
        acc += b
    return acc


def _by_byte(data: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """:func:`_by_place` over every byte at once (long texts)."""
    first = np.repeat(starts - np.cumsum(np.r_[0, lens[:-1]]), lens)
    at = np.arange(int(lens.sum()), dtype="int64") + first
    place = at - np.repeat(starts, lens)
    terms = data[at].astype("uint64") + np.uint64(1)
    terms *= _powers(int(lens.max()))[place]
    return np.add.reduceat(terms, np.r_[0, np.cumsum(lens[:-1])])


def text_hashes(values) -> np.ndarray:
    """A uint64 hash of each text of a pyarrow string array (nulls hash as the empty
    text), from its UTF-8 bytes with numpy: no Python object per text.

    Equal texts have equal hashes; different texts rarely share one (callers that need
    certainty check the texts that share a hash)."""
    from indeks.scoring.texts import text_bytes

    off, lengths, data = text_bytes(values)
    h = lengths.astype("uint64") * _LEN
    filled = np.flatnonzero(lengths > 0)
    if filled.size:
        starts, lens = off[filled], lengths[filled]
        by_place = _by_place if int(lens.max()) <= _SHORT else _by_byte
        h[filled] += by_place(data, starts, lens)
    return _splitmix(h)


def duplicate_key_text(series: pd.Series, forms=None):
    """(key text as a pyarrow string array, empty mask): the ids as duplicates are
    judged within one data set.  Numbers by value (``7`` = ``7.0``), text trimmed, case
    kept; per form (``text + "\\x00" + form``) for multi-form instruments; an empty id
    is null.  The one normalisation behind the engine's duplicate check, the hashes
    parts hand over (:func:`key_hashes`) and the exact second check across parts, so a
    hash and the exact check always see the same key."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(series)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        v = series.to_numpy(dtype="float64", na_value=np.nan)
        empty = np.isnan(v)
        with np.errstate(invalid="ignore"):
            whole = ~empty & (np.abs(v) < 2**53) & (v == np.floor(np.where(empty, 0, v)))
        # whole numbers as integer text (Arrow's cast writes what str(int) writes)
        text = pc.cast(pa.array(np.where(whole, v, 0).astype("int64"), mask=~whole), pa.string())
        other = ~empty & ~whole
        if other.any():  # other numbers as Python writes them (repr of the float)
            texts = np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)
            texts[other] = pd.Series(v[other]).astype(str).to_numpy()
            text = pa.array(texts, type=pa.string(), from_pandas=True)
    elif isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        # Arrow text: trimmed by the kernel pandas' str.strip() calls for it
        text = pc.utf8_trim_whitespace(pa.array(series, type=pa.string(), from_pandas=True))
        empty = pc.fill_null(pc.equal(text, ""), True).to_numpy(zero_copy_only=False)
        empty = np.asarray(empty, dtype=bool)
    else:
        t = series.astype("string").str.strip()
        empty = (t.isna() | (t == "")).fillna(True).to_numpy(dtype=bool)
        text = pa.array(t, type=pa.string(), from_pandas=True)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    if forms is not None:
        f = pd.Series(forms, dtype=object).fillna("").astype(str).to_numpy(dtype=object)
        joined = pc.binary_join_element_wise(text, pa.array(f, type=pa.string()), "\x00")
        text = pc.if_else(pa.array(empty), text, joined)
    if n and empty.any():
        text = pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), text)
    return text, empty


def key_hashes(text, empty: np.ndarray) -> np.ndarray:
    """uint64 hash of each key of :func:`duplicate_key_text`; 0 exactly for an empty id."""
    h = text_hashes(text)
    h[empty] = 0
    h[~empty & (h == 0)] = 1
    return h
