"""SPSS (.sav / .zsav) and Stata (.dta) files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indeks.io.read_common import (
    SPSS_EXTENSIONS,
    _detail,
    _err,
    _finish,
)

# --------------------------------------------------------------------------- spss / stata


def _read_stat(path: Path, ext: str, lang: str) -> pd.DataFrame:
    import pyreadstat

    kind = "SPSS" if ext in SPSS_EXTENSIONS else "Stata"
    try:
        if kind == "SPSS":
            df, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
        else:
            df, meta = pyreadstat.read_dta(str(path), apply_value_formats=False, user_missing=False)
    except Exception as exc:
        raise _err("bad_stat", path, lang, kind=kind, detail=_detail(exc)) from exc
    for i in range(df.shape[1]):
        col = df.iloc[:, i]
        if col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            blank = (
                col.map(lambda v: isinstance(v, str) and not v.strip(), na_action="ignore")
                .fillna(False)
                .astype(bool)
            )
            if blank.any():
                df.isetitem(i, col.mask(blank))
    value_labels = {k: dict(v) for k, v in (meta.variable_value_labels or {}).items()}
    column_labels = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    df = _finish(df, np.arange(1, len(df) + 1, dtype=np.int64))
    df.attrs["value_labels"] = value_labels
    df.attrs["column_labels"] = column_labels
    return df
