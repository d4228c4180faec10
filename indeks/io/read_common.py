"""What every reader shares: supported extensions, the error type, the message table,
and the final clean-up of a frame (blank rows, true row numbers, column names)."""

from __future__ import annotations

import codecs
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indeks.errors import FileError
from indeks.i18n import tr

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
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

DELIMITERS = (",", ";", "\t", "|")
HEADER_SCAN_ROWS = 30  # Excel: rows examined for the header
ZERO_PAD_SAMPLE_ROWS = 500  # text files: rows examined for zero-padded ids
_SAMPLE_BYTES = 1 << 16
ROW_INDEX = "source_row"  # name of the index holding each data row's row number in its file


class InputError(FileError):
    """An input file that cannot be used. ``message`` is one readable paragraph."""


# --------------------------------------------------------------------------- messages

M = {
    "missing": {
        "id": "Berkas '{name}' tidak ditemukan ({path}). Periksa nama dan folder berkas.",
        "en": "File '{name}' was not found ({path}). Check the file name and folder.",
    },
    "directory": {
        "id": "'{name}' adalah folder, bukan berkas data. Pilih berkas hasil ekspor survei.",
        "en": "'{name}' is a folder, not a data file. Choose the exported survey file.",
    },
    "unreadable": {
        "id": "Berkas '{name}' tidak dapat dibuka: {detail}.",
        "en": "File '{name}' cannot be opened: {detail}.",
    },
    "extension": {
        "id": "Berkas '{name}' berjenis '{ext}', yang tidak didukung. Jenis yang didukung: {supported}.{hint}",
        "en": "File '{name}' has type '{ext}', which is not supported. Supported types: {supported}.{hint}",
    },
    "xls_hint": {
        "id": " Buka berkas di Excel lalu simpan sebagai 'Excel Workbook (.xlsx)' atau 'CSV'.",
        "en": " Open it in Excel and save it as 'Excel Workbook (.xlsx)' or 'CSV'.",
    },
    "empty": {
        "id": "Berkas '{name}' kosong (0 byte). Ekspor ulang data survei lalu unggah kembali.",
        "en": "File '{name}' is empty (0 bytes). Export the survey data again and upload it anew.",
    },
    "no_header": {
        "id": "Berkas '{name}' tidak berisi baris judul kolom maupun data.",
        "en": "File '{name}' contains no header row and no data.",
    },
    "binary": {
        "id": "Berkas '{name}' bukan berkas teks/CSV (isinya tampak biner{what}). Ekspor data sebagai CSV atau Excel (.xlsx).",
        "en": "File '{name}' is not a text/CSV file (its content looks binary{what}). Export the data as CSV or Excel (.xlsx).",
    },
    "looks_xlsx": {
        "id": ": tampaknya berkas Excel .xlsx; ganti ekstensinya menjadi .xlsx",
        "en": ": it looks like an Excel .xlsx workbook; rename it to .xlsx",
    },
    "looks_xls": {
        "id": ": tampaknya berkas Excel lama .xls; simpan sebagai .xlsx",
        "en": ": it looks like an old Excel .xls workbook; save it as .xlsx",
    },
    "looks_pdf": {"id": ": tampaknya dokumen PDF", "en": ": it looks like a PDF document"},
    "ragged": {
        "id": "Berkas '{name}', baris {row}: baris ini berisi {got} kolom, padahal baris judul (baris {header_row}) hanya {expected} kolom. "
        "Biasanya ada pemisah ('{delim}') tambahan atau tanda kutip yang tidak ditutup di baris tersebut; perbaiki lalu unggah kembali.",
        "en": "File '{name}', row {row}: this row has {got} fields but the header (row {header_row}) has only {expected}. "
        "Usually an extra delimiter ('{delim}') or an unclosed quote is on that row; fix it and upload again.",
    },
    "csv_parse": {
        "id": "Berkas '{name}' tidak dapat dibaca sebagai tabel teks (pemisah '{delim}', pengodean {encoding}): {detail}.",
        "en": "File '{name}' cannot be read as a text table (delimiter '{delim}', encoding {encoding}): {detail}.",
    },
    "bad_excel": {
        "id": "Berkas '{name}' tidak dapat dibaca sebagai buku kerja Excel (.xlsx/.xlsm): berkas rusak atau bukan berkas Excel. "
        "Buka di Excel lalu simpan ulang sebagai 'Excel Workbook (.xlsx)', atau ekspor sebagai CSV.",
        "en": "File '{name}' cannot be read as an Excel workbook (.xlsx/.xlsm): it is damaged or not an Excel file. "
        "Open it in Excel and save it again as 'Excel Workbook (.xlsx)', or export it as CSV.",
    },
    "no_sheet": {
        "id": "Berkas '{name}' tidak memiliki lembar {sheet}. Lembar yang ada: {sheets}.",
        "en": "File '{name}' has no sheet {sheet}. Its sheets are: {sheets}.",
    },
    "bad_sheet_arg": {
        "id": "Pilihan lembar untuk berkas '{name}' harus nama lembar atau nomor urut (mulai 0), bukan {sheet!r}.",
        "en": "The sheet chosen for file '{name}' must be a sheet name or a 0-based number, not {sheet!r}.",
    },
    "empty_sheet": {
        "id": "Lembar '{sheet}' pada berkas '{name}' kosong.",
        "en": "Sheet '{sheet}' of file '{name}' is empty.",
    },
    "empty_sheet_of_many": {
        "id": "Lembar '{sheet}' pada berkas '{name}' kosong. Lembar yang ada: {sheets}; pilih lembar data dengan --sheet NAMA.",
        "en": "Sheet '{sheet}' of file '{name}' is empty. Its sheets are: {sheets}; choose the data sheet with --sheet NAME.",
    },
    "bad_stat": {
        "id": "Berkas '{name}' tidak dapat dibaca sebagai berkas {kind}: {detail}. Simpan ulang dari {kind} atau ekspor sebagai CSV.",
        "en": "File '{name}' cannot be read as a {kind} file: {detail}. Save it again from {kind} or export it as CSV.",
    },
    "bad_parquet": {
        "id": "Berkas '{name}' tidak dapat dibaca sebagai berkas Parquet: {detail}.",
        "en": "File '{name}' cannot be read as a Parquet file: {detail}.",
    },
    "bad_json": {
        "id": "Berkas '{name}' bukan JSON yang sah (baris {line}, kolom {col}): {detail}.",
        "en": "File '{name}' is not valid JSON (line {line}, column {col}): {detail}.",
    },
    "json_shape": {
        "id": 'Berkas \'{name}\' harus berisi daftar (array) objek JSON, satu objek per responden, misalnya [{{"id": 1, "q1": 4}}, ...].',
        "en": 'File \'{name}\' must hold a JSON array of objects, one object per respondent, e.g. [{{"id": 1, "q1": 4}}, ...].',
    },
    "jsonl_line": {
        "id": 'Berkas \'{name}\', baris {line}: {detail}. Setiap baris harus berisi satu objek JSON, misalnya {{"id": 1, "q1": 4}}.',
        "en": 'File \'{name}\', line {line}: {detail}. Every line must hold one JSON object, e.g. {{"id": 1, "q1": 4}}.',
    },
    "not_object": {"id": "baris ini bukan objek JSON", "en": "this line is not a JSON object"},
    "unexpected": {
        "id": "Berkas '{name}' tidak dapat dibaca: {detail}.",
        "en": "File '{name}' cannot be read: {detail}.",
    },
}


def unsupported_type_message(name: str, suffix: str, lang: str = "id", supported=None) -> str:
    """The one message for a file type the readers cannot open (CLI and web page)."""
    hint = tr(M["xls_hint"], lang) if suffix in (".xls", ".ods", ".xlsb") else ""
    shown = suffix or tr({"id": "(tanpa ekstensi)", "en": "(none)"}, lang)
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
        isna = df.isna().to_numpy()
        blank = isna.all(axis=1)
        str_cols = [
            i
            for i, dt in enumerate(df.dtypes)
            if pd.api.types.is_object_dtype(dt) or isinstance(dt, pd.StringDtype)
        ]
        if str_cols:
            # rows whose only non-missing cells are whitespace-only text count as blank
            cand = ~blank
            for i in range(k):
                if i not in str_cols:
                    cand &= isna[:, i]
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
