"""Respondent ids as keys for pairing waves (pre/post) of the same respondents.

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

Vectorised with pandas string operations; no Python loop per id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["normalize_ids"]

# whole numbers written as digits with an optional all-zero fraction: "007", "7.0", "12.000"
_WHOLE = r"^[0-9]+(?:\.0+)?$"


def normalize_ids(values) -> np.ndarray:
    """Normalised id keys (numpy object array of ``str`` or ``None``), same length as ``values``."""
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
