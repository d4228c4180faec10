"""Read a field officer's export into a :class:`pandas.DataFrame`, as is.

:func:`read_table` reads CSV/TXT/TSV, Excel (``.xlsx``/``.xlsm``), SPSS
(``.sav``/``.zsav``), Stata (``.dta``), Parquet, JSON lines (``.jsonl``/``.ndjson``)
and JSON (``.json``, an array of records). It does no scoring and no column
matching. Every problem with the file becomes an :class:`InputError` whose message
is one paragraph naming the file (and the row/column where known), in Bahasa
Indonesia by default or English (``lang="en"``).

The index of every returned frame (``int64``, named ``"source_row"``, :data:`ROW_INDEX`)
holds, for each data row, the row number the user sees in their file. CSV / Excel: the
spreadsheet row (header on row 1 -> first data row is 2; header found on row 5 of a sheet
-> first data row is 6). SPSS, Stata, Parquet, JSON: the 1-based case number. JSON
lines: the 1-based line number (equal to the case number when the file has no blank
lines). Being the index, the numbers survive slicing, filtering
(``df[df.kota == "Kupang"]``, ``df.iloc[2:]``) and ``pd.concat``; the scoring engine
reports problems on these rows. A frame whose index was reset has lost them: scoring
then warns (``UserWarning``) and numbers the rows 1..n.

Attributes of every returned frame (``df.attrs``):

``source``
    the file name (basename).
``source_path``
    the full path as given (``str``).
``value_labels`` / ``column_labels``
    SPSS and Stata only: ``{column: {code: label}}`` and ``{column: label}``.
``encoding`` / ``delimiter``
    text files only: what was detected.
``sheet`` / ``header_row``
    Excel only: the sheet read and the 1-based row where the header was found.

Decisions (documented because callers depend on them):

* Fully blank rows are dropped wherever they are; the other rows keep their true
  row numbers in the index; the blank rows between data rows are listed in
  ``attrs["blank_rows"]`` (scoring reports each as ``blank_row``).
* Text files: encoding is UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, as
  Excel's "Unicode text" writes; also BOM-less UTF-16 detected from NUL bytes) or
  cp1252 as the fallback (latin-1 if even cp1252 cannot decode it). The delimiter
  is the one of ``, ; <tab> |`` occurring most often (outside quotes) on the
  header line, ties broken by consistency over the first lines.
* Types are inferred as pandas/pyarrow do (numbers become numbers, text stays
  text, ``true/false`` become booleans), with three exceptions:
  - dates and timestamps are NOT parsed: they stay as the text of the file;
  - a column in which one of the first ~500 rows holds a zero-padded digit
    string (``"007"``, ``"0812345678"``) is read as text so ids and phone numbers
    keep their leading zeros (a zero-padded value appearing only later in a file
    cannot be recovered: that column is numeric and ``"007"`` becomes ``7``);
  - in semicolon-delimited files (Indonesian Excel), a text column whose every
    non-empty value is a number written with a decimal comma (``"3,5"``,
    ``"1.234,5"``) is converted to float here (``3.5``, ``1234.5``).
* Rows shorter than the header are padded with missing values. A row longer than
  the header is an error naming its row number, unless all the surplus fields are
  empty (a trailing delimiter), which are ignored.
* Duplicate column names get pandas' suffixes (``q1``, ``q1.1``); empty header
  cells become ``Unnamed: <0-based position>``.
* Excel: the header is the first row (of the first 30) whose non-empty cells are
  mostly (>50%) text and number at least half of the widest row of those 30 rows
  (and at least two when the widest row has two or more); when no row qualifies,
  the first non-empty row. Title rows above it are skipped. Formulas are read as
  their cached values.
* SPSS/Stata: the numeric codes are kept (``apply_value_formats=False``);
  user-defined missing values (SPSS missing values/ranges, Stata ``.a``-``.z``)
  are read as NaN (pyreadstat's ``user_missing=False``); empty strings in text
  variables become NaN.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from indeks.io.read_common import (
    EXCEL_EXTENSIONS,
    JSON_EXTENSIONS,
    JSONL_EXTENSIONS,
    PARQUET_EXTENSIONS,
    ROW_INDEX,
    SPSS_EXTENSIONS,
    STATA_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    TEXT_EXTENSIONS,
    InputError,
    _detail,
    _err,
    unsupported_type_message,
)
from indeks.io.read_excel import _read_excel
from indeks.io.read_records import _read_json, _read_jsonl, _read_parquet
from indeks.io.read_stat import _read_stat
from indeks.io.read_text import _read_text

__all__ = [
    "EXCEL_EXTENSIONS",
    "JSONL_EXTENSIONS",
    "JSON_EXTENSIONS",
    "PARQUET_EXTENSIONS",
    "ROW_INDEX",
    "SPSS_EXTENSIONS",
    "STATA_EXTENSIONS",
    "SUPPORTED_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "InputError",
    "read_table",
    "unsupported_type_message",
]

# --------------------------------------------------------------------------- entry


def read_table(
    path: str | os.PathLike, sheet: str | int | None = None, lang: str = "id"
) -> pd.DataFrame:
    """Read ``path`` as is and return a DataFrame (see the module docstring).

    ``sheet`` selects an Excel sheet by name or 0-based index (default: the first)
    and is ignored for other formats. Raises :class:`InputError` for every
    unusable input; no other exception escapes.
    """
    path = Path(path)
    try:
        return _read_table(path, sheet, lang)
    except InputError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # never let a library traceback reach a field officer
        raise _err("unexpected", path, lang, detail=_detail(exc)) from exc


def _read_table(path: Path, sheet, lang: str) -> pd.DataFrame:
    from indeks import limits

    ext = path.suffix.lower()
    if not path.exists():
        raise _err("missing", path, lang)
    if path.is_dir():
        raise _err("directory", path, lang)
    if ext not in SUPPORTED_EXTENSIONS:
        raise InputError(unsupported_type_message(path.name, ext, lang), path)
    try:
        # only regular files: a device (/dev/zero), FIFO or socket, also behind a link, never
        size = limits.check_regular_file(path, lang).st_size
    except (OSError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise _err("unreadable", path, lang, detail=_detail(exc)) from exc
    if size == 0:
        raise _err("empty", path, lang)
    limits.check_file_size(path, size, lang)
    possible_cell = size
    if ext in EXCEL_EXTENSIONS:
        possible_cell = limits.check_xlsx(path, lang) or size  # zip bomb: before parsing

    if ext in TEXT_EXTENSIONS:
        df = _read_text(path, lang)
    elif ext in EXCEL_EXTENSIONS:
        df = _read_excel(path, sheet, lang)
    elif ext in SPSS_EXTENSIONS or ext in STATA_EXTENSIONS:
        df = _read_stat(path, ext, lang)
    elif ext in PARQUET_EXTENSIONS:
        df = _read_parquet(path, lang)
    elif ext in JSONL_EXTENSIONS:
        df = _read_jsonl(path, lang)
    else:
        df = _read_json(path, lang)
    limits.check_table(df, path, lang, possible_cell=possible_cell)
    df.attrs["source"] = path.name
    df.attrs["source_path"] = str(path)
    return df
