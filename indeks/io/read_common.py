"""What every reader shares: supported extensions, the error type, the message table,
and the final clean-up of a frame (blank rows, true row numbers, column names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indeks.errors import FileError
from indeks.i18n import catalogue, tr
from indeks.io.sniff import (  # noqa: F401  (names used by the readers)
    _SAMPLE_BYTES,
    DELIMITERS,
    TEXT_EXTENSIONS,
    ZERO_PAD_SAMPLE_ROWS,
    _dedupe,
    _detect_encoding,
)

EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
SPSS_EXTENSIONS = (".sav", ".zsav")
STATA_EXTENSIONS = (".dta",)
PARQUET_EXTENSIONS = (".parquet",)
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
JSON_EXTENSIONS = (".json",)
SUPPORTED_EXTENSIONS: tuple[str, ...] = (
    TEXT_EXTENSIONS
    + EXCEL_EXTENSIONS
    + SPSS_EXTENSIONS
    + STATA_EXTENSIONS
    + PARQUET_EXTENSIONS
    + JSONL_EXTENSIONS
    + JSON_EXTENSIONS
)

HEADER_SCAN_ROWS = 30  # Excel: rows examined for the header
ROW_INDEX = "source_row"  # name of the index holding each data row's row number in its file


class InputError(FileError):
    """An input file that cannot be used. ``message`` is one readable paragraph."""


# --------------------------------------------------------------------------- messages

M = catalogue("io/read")


def unsupported_type_message(name: str, suffix: str, lang: str = "id", supported=None) -> str:
    """The one message for a file type the readers cannot open (CLI and web page)."""
    hint = tr(M["xls_hint"], lang) if suffix in (".xls", ".ods", ".xlsb") else ""
    shown = suffix or tr(M["no_extension"], lang)
    return tr(
        M["extension"],
        lang,
        name=name,
        ext=shown,
        supported=", ".join(supported or SUPPORTED_EXTENSIONS),
        hint=hint,
    )


def _err(key: str, file: Path, lang: str, **values: Any) -> InputError:
    """The InputError of message ``key`` about ``file`` ({name} and {path} filled in)."""
    values.setdefault("name", file.name)
    values.setdefault("path", str(file))
    return InputError(tr(M[key], lang, **values), file)


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300].rstrip(".")


def _finish(df: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Drop fully blank rows; the index holds the true row numbers (see :data:`ROW_INDEX`)."""
    rows = np.asarray(rows, dtype=np.int64)
    blank_rows: tuple[int, ...] = ()  # a tuple: pandas compares attrs with ==
    n, k = df.shape
    if n and k:
        # missing cells column by column, stopping once no row can be blank (a filled
        # id or answer column settles most rows at once)
        isna: dict[int, np.ndarray] = {}

        def missing(i: int) -> np.ndarray:
            if i not in isna:
                isna[i] = df.iloc[:, i].isna().to_numpy(dtype=bool)
            return isna[i]

        blank = np.ones(n, dtype=bool)
        for i in range(k):
            if not blank.any():
                break
            blank &= missing(i)
        str_cols = [
            i
            for i, dt in enumerate(df.dtypes)
            if pd.api.types.is_object_dtype(dt) or isinstance(dt, pd.StringDtype)
        ]
        if str_cols:
            # rows whose only non-missing cells are whitespace-only text count as blank
            cand = ~blank
            for i in range(k):
                if not cand.any():
                    break
                if i not in str_cols:
                    cand &= missing(i)
            idx = np.flatnonzero(cand)
            if idx.size:
                ws = np.ones(idx.size, dtype=bool)
                for i in str_cols:
                    s = df.iloc[idx, i]
                    ws &= (
                        s.isna()
                        | s.astype(object)
                        .map(lambda v: isinstance(v, str) and not v.strip(), na_action="ignore")
                        .eq(True)
                    ).to_numpy()
                blank = blank.copy()
                blank[idx[ws]] = True
        if blank.any():
            keep = ~blank
            # blank rows between data rows are listed (issue blank_row); trailing ones are not
            last = np.flatnonzero(keep)
            inner = blank & (np.arange(n) < (last[-1] if last.size else 0))
            blank_rows = tuple(int(r) for r in rows[inner])
            attrs = dict(df.attrs)
            df = df.loc[keep].copy()
            df.attrs.update(attrs)
            rows = rows[keep]
    df.index = pd.Index(rows, name=ROW_INDEX)
    df.attrs["blank_rows"] = blank_rows
    return df
