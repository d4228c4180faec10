"""Read a field officer's export into a :class:`pandas.DataFrame`, as is.

:func:`read_table` reads CSV/TXT/TSV, Excel (``.xlsx``/``.xlsm``), SPSS
(``.sav``/``.zsav``), Stata (``.dta``), Parquet, JSON lines (``.jsonl``/``.ndjson``)
and JSON (``.json``, an array of records). It does no scoring and no column
matching. Every problem with the file becomes an :class:`InputError` whose message
is one paragraph naming the file (and the row/column where known), in Bahasa
Indonesia by default or English (``lang="en"``).

Attributes of every returned frame (``df.attrs``):

``source``
    the file name (basename).
``source_path``
    the full path as given (``str``).
``source_rows``
    ``numpy`` int64 array, one per data row, with the row number the user sees in
    their file. CSV / Excel: the spreadsheet row (header on row 1 -> first data row
    is 2; header found on row 5 of a sheet -> first data row is 6). SPSS, Stata,
    Parquet, JSON: the 1-based case number. JSON lines: the 1-based line number
    (equal to the case number when the file has no blank lines).
``value_labels`` / ``column_labels``
    SPSS and Stata only: ``{column: {code: label}}`` and ``{column: label}``.
``encoding`` / ``delimiter``
    text files only: what was detected.
``sheet`` / ``header_row``
    Excel only: the sheet read and the 1-based row where the header was found.

Decisions (documented because callers depend on them):

* Fully blank rows are dropped wherever they are; the other rows keep their true
  row numbers in ``source_rows``. The index is always a fresh ``RangeIndex``.
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

import codecs
import csv
import io
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indeks.errors import FileError
from indeks.i18n import tr

__all__ = ["InputError", "SUPPORTED_EXTENSIONS", "read_table"]

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


def _err(key: str, path: Path, lang: str, **values: Any) -> InputError:
    values.setdefault("name", path.name)
    return InputError(tr(M[key], lang, **values), path)


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300].rstrip(".")


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
    ext = path.suffix.lower()
    if not path.exists():
        raise _err("missing", path, lang, path=str(path))
    if path.is_dir():
        raise _err("directory", path, lang)
    if ext not in SUPPORTED_EXTENSIONS:
        raise InputError(unsupported_type_message(path.name, ext, lang), path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _err("unreadable", path, lang, detail=_detail(exc)) from exc
    if size == 0:
        raise _err("empty", path, lang)

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
    df.attrs["source"] = path.name
    df.attrs["source_path"] = str(path)
    return df


def _finish(df: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Drop fully blank rows, keep true row numbers, reset the index."""
    rows = np.asarray(rows, dtype=np.int64)
    n, k = df.shape
    if n and k:
        isna = df.isna().to_numpy()
        blank = isna.all(axis=1)
        str_cols = [
            i for i, dt in enumerate(df.dtypes) if dt == object or isinstance(dt, pd.StringDtype)
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
                        | (
                            s.astype(object).map(
                                lambda v: isinstance(v, str) and not v.strip(), na_action="ignore"
                            )
                            == True
                        )
                    ).to_numpy()  # noqa: E712
                blank = blank.copy()
                blank[idx[ws]] = True
        if blank.any():
            keep = ~blank
            attrs = dict(df.attrs)
            df = df.loc[keep].copy()
            df.attrs.update(attrs)
            rows = rows[keep]
    df = df.reset_index(drop=True)
    df.attrs["source_rows"] = rows
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


# --------------------------------------------------------------------------- text

_MAGIC = ((b"PK\x03\x04", "looks_xlsx"), (b"\xd0\xcf\x11\xe0", "looks_xls"), (b"%PDF", "looks_pdf"))


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


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f\v") or ch == "\ufffd")
    return bad / len(text) > 0.01 or "\x00" in text


def _count_outside_quotes(line: str, delim: str) -> int:
    n, inq = 0, False
    for ch in line:
        if ch == '"':
            inq = not inq
        elif ch == delim and not inq:
            n += 1
    return n


def _detect_delimiter(text: str, ext: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return "\t" if ext == ".tsv" else ","
    header = lines[0]
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return "\t" if ext == ".tsv" else ","
    tied = [d for d in DELIMITERS if counts[d] == best]
    if len(tied) == 1:
        return tied[0]

    def consistency(d: str) -> int:
        return sum(1 for ln in lines[1:20] if _count_outside_quotes(ln, d) == best)

    return max(tied, key=consistency)


def _zero_padded(sample_rows: list[list[str]], ncols: int) -> set[int]:
    pat = re.compile(r"0\d+")
    found: set[int] = set()
    for row in sample_rows:
        for i, v in enumerate(row[:ncols]):
            if i not in found and v and v[0] == "0" and pat.fullmatch(v.strip()):
                found.add(i)
    return found


_DEC_COMMA = re.compile(r"^\s*[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\s*$")


def _decimal_commas(df: pd.DataFrame, skip: set[str]) -> None:
    for i, name in enumerate(df.columns):
        if name in skip:
            continue
        col = df.iloc[:, i]
        if not (col.dtype == object or isinstance(col.dtype, pd.StringDtype)):
            continue
        vals = col.dropna()
        if vals.empty or not all(isinstance(v, str) for v in vals.iloc[:1000]):
            continue
        vals = vals.astype(str)
        nonblank = vals[vals.str.strip() != ""]
        if nonblank.empty or not nonblank.str.contains(",", regex=False).any():
            continue
        if not nonblank.str.match(_DEC_COMMA).all():
            continue
        conv = (
            col.astype(object)
            .where(col.notna(), None)
            .map(
                lambda v: (
                    None
                    if v is None or not str(v).strip()
                    else float(str(v).strip().replace(".", "").replace(",", "."))
                ),
            )
        )
        df.isetitem(i, pd.to_numeric(conv, errors="coerce").astype("float64"))


def _read_text(path: Path, lang: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _err("unreadable", path, lang, detail=_detail(exc)) from exc

    for magic, key in _MAGIC:
        if data.startswith(magic):
            raise _err("binary", path, lang, what=tr(M[key], lang))

    encoding, bom = _detect_encoding(data[:_SAMPLE_BYTES])
    if encoding and encoding != "utf-8":
        try:
            text = data[bom:].decode(encoding)
        except UnicodeDecodeError:
            raise _err("binary", path, lang, what="") from None
        if _looks_binary(text[:20000]):
            raise _err("binary", path, lang, what="")
        data = text.encode("utf-8")
        bom = 0
        pa_encoding = "utf-8"
        sample_text = text[:_SAMPLE_BYTES]
    else:
        head = data[bom : bom + _SAMPLE_BYTES]
        dec = codecs.getincrementaldecoder("utf-8")()
        try:
            sample_text = dec.decode(head, final=len(data) <= bom + _SAMPLE_BYTES)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
            try:
                sample_text = head.decode("cp1252")
            except UnicodeDecodeError:
                encoding = "latin-1"
                sample_text = head.decode("latin-1")
        if _looks_binary(sample_text[:20000]):
            raise _err("binary", path, lang, what="")
        pa_encoding = encoding
    if encoding == "utf-8" and bom:
        encoding_name = "utf-8-sig"
    else:
        encoding_name = encoding

    if not sample_text.strip():
        raise _err("no_header", path, lang)

    delim = _detect_delimiter(sample_text, path.suffix.lower())
    # header + sample rows, for zero-padded ids
    sample_rows = _csv_rows(sample_text, delim, limit=ZERO_PAD_SAMPLE_ROWS + 1)
    lead_blank = 0
    while sample_rows and not any(c.strip() for c in sample_rows[0]):
        sample_rows.pop(0)
        lead_blank += 1

    body = memoryview(data)[bom:]
    end = len(body)
    while end and body[end - 1] in (10, 13):
        end -= 1
    body = body[:end]

    df = None
    if lead_blank == 0:
        df = _pyarrow_read(pa, pacsv, body, delim, pa_encoding, sample_rows)
    if df is None:
        df = _fallback_read(path, lang, pa, pacsv, bytes(body), delim, pa_encoding, encoding_name)
        if df is None:
            raise _err("no_header", path, lang)
        df, lead_blank, encoding_name = df
    header_row = 1 + lead_blank
    if delim == ";":
        _decimal_commas(df, set(df.attrs.get("_text_cols", ())))
    df.attrs.pop("_text_cols", None)
    df = _finish(df, np.arange(header_row + 1, header_row + 1 + len(df), dtype=np.int64))
    df.attrs["encoding"] = encoding_name
    df.attrs["delimiter"] = delim
    return df


def _csv_rows(text: str, delim: str, limit: int | None = None) -> list[list[str]]:
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for row in reader:
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def _pa_options(pacsv, delim, encoding, column_names=None, skip_rows=0, column_types=None):
    read = pacsv.ReadOptions(
        encoding=encoding, column_names=column_names, skip_rows=skip_rows, block_size=1 << 24
    )
    parse = pacsv.ParseOptions(delimiter=delim, newlines_in_values=True, ignore_empty_lines=False)
    conv = pacsv.ConvertOptions(strings_can_be_null=True, column_types=column_types or {})
    return read, parse, conv


def _pyarrow_read(pa, pacsv, body, delim, encoding, sample_rows):
    """Fast path. Returns None when the file needs the tolerant fallback."""
    if not sample_rows:
        return None
    header = sample_rows[0]
    names = _dedupe(header)
    text_idx = _zero_padded(sample_rows[1:], len(names))
    types = {names[i]: pa.string() for i in text_idx}
    try:
        read, parse, conv = _pa_options(pacsv, delim, encoding, names, 1, types)
        table = pacsv.read_csv(
            pa.BufferReader(body), read_options=read, parse_options=parse, convert_options=conv
        )
        if any(
            pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type) for f in table.schema
        ):
            return None  # invalid UTF-8 somewhere after the sample: decode in the fallback
        temporal = [
            f.name for f in table.schema if pa.types.is_temporal(f.type) and f.name not in types
        ]
        if temporal:
            types.update({n: pa.string() for n in temporal})
            read, parse, conv = _pa_options(pacsv, delim, encoding, names, 1, types)
            table = pacsv.read_csv(
                pa.BufferReader(body), read_options=read, parse_options=parse, convert_options=conv
            )
    except (
        pa.ArrowInvalid,
        pa.ArrowNotImplementedError,
        pa.ArrowTypeError,
        UnicodeDecodeError,
        LookupError,
    ):
        return None
    df = table.to_pandas()
    df.attrs["_text_cols"] = list(types)
    return df


def _fallback_read(path, lang, pa, pacsv, data: bytes, delim, encoding, encoding_name):
    """Tolerant path: normalise the rows with the csv module, then parse types."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            encoding_name = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding_name = "latin-1"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    header = None
    lead_blank = 0
    width = 0
    rowno = 0
    sample: list[list[str]] = []
    try:
        for row in reader:
            rowno += 1
            if header is None:
                if not any(c.strip() for c in row):
                    lead_blank += 1
                    continue
                header = row
                width = len(header)
                writer.writerow(_dedupe(header))
                continue
            n = len(row)
            if n > width:
                if any(c.strip() for c in row[width:]):
                    raise _err(
                        "ragged",
                        path,
                        lang,
                        row=rowno,
                        got=n,
                        expected=width,
                        header_row=lead_blank + 1,
                        delim="\\t" if delim == "\t" else delim,
                    )
                row = row[:width]
            elif n < width:
                row = row + [""] * (width - n)
            if len(sample) < ZERO_PAD_SAMPLE_ROWS:
                sample.append(row)
            writer.writerow(row)
    except csv.Error as exc:
        raise _err(
            "csv_parse",
            path,
            lang,
            delim=delim,
            encoding=encoding_name,
            detail=f"row {rowno + 1}: {_detail(exc)}",
        ) from exc
    if header is None:
        return None
    names = _dedupe(header)
    types = {names[i]: pa.string() for i in _zero_padded(sample, width)}
    norm = out.getvalue().encode("utf-8")
    try:
        read, parse, conv = _pa_options(pacsv, ",", "utf-8", None, 0, types)
        table = pacsv.read_csv(
            pa.BufferReader(norm), read_options=read, parse_options=parse, convert_options=conv
        )
        temporal = [
            f.name for f in table.schema if pa.types.is_temporal(f.type) and f.name not in types
        ]
        if temporal:
            types.update({n: pa.string() for n in temporal})
            read, parse, conv = _pa_options(pacsv, ",", "utf-8", None, 0, types)
            table = pacsv.read_csv(
                pa.BufferReader(norm), read_options=read, parse_options=parse, convert_options=conv
            )
    except pa.ArrowException as exc:
        raise _err(
            "csv_parse", path, lang, delim=delim, encoding=encoding_name, detail=_detail(exc)
        ) from exc
    df = table.to_pandas()
    df.attrs["_text_cols"] = list(types)
    return df, lead_blank, encoding_name


# --------------------------------------------------------------------------- excel


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _read_excel(path: Path, sheet, lang: str) -> pd.DataFrame:
    import zipfile

    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        IndexError,
        EOFError,
    ) as exc:
        raise _err("bad_excel", path, lang) from exc
    except Exception as exc:  # openpyxl's InvalidFileException and friends
        raise _err("bad_excel", path, lang) from exc
    try:
        names = wb.sheetnames
        listing = ", ".join(f"'{n}'" for n in names)
        if sheet is None:
            if not names:
                raise _err("bad_excel", path, lang)
            ws = wb.worksheets[0]
        elif isinstance(sheet, bool) or not isinstance(sheet, (str, int, np.integer)):
            raise _err("bad_sheet_arg", path, lang, sheet=sheet)
        elif isinstance(sheet, (int, np.integer)):
            if not 0 <= int(sheet) < len(names):
                raise _err("no_sheet", path, lang, sheet=f"#{int(sheet)}", sheets=listing)
            ws = wb.worksheets[int(sheet)]
        else:
            match = [n for n in names if n == sheet] or [
                n for n in names if n.strip().casefold() == sheet.strip().casefold()
            ]
            if not match:
                raise _err("no_sheet", path, lang, sheet=f"'{sheet}'", sheets=listing)
            ws = wb[match[0]]
        title = ws.title
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    except InputError:
        raise
    except Exception as exc:
        raise _err("bad_excel", path, lang) from exc
    finally:
        try:
            wb.close()
        except Exception:
            pass

    # trim trailing blank rows
    while rows and all(_is_blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise _err("empty_sheet", path, lang, sheet=title)

    # header detection
    scan = rows[:HEADER_SCAN_ROWS]
    counts = [sum(not _is_blank(v) for v in r) for r in scan]
    widest = max(counts)
    need = max(math.ceil(widest / 2), min(2, widest), 1)
    hdr = None
    for i, r in enumerate(scan):
        cells = [v for v in r if not _is_blank(v)]
        if len(cells) >= need and sum(isinstance(v, str) for v in cells) / len(cells) > 0.5:
            hdr = i
            break
    if hdr is None:
        hdr = next(i for i, c in enumerate(counts) if c)

    data_rows = rows[hdr + 1 :]
    width = max([len(rows[hdr])] + [len(r) for r in data_rows])
    # last column that holds anything (header or data)
    used = 0
    for r in [rows[hdr]] + data_rows:
        for j in range(len(r) - 1, used - 1, -1):
            if not _is_blank(r[j]):
                used = max(used, j + 1)
                break
    width = used
    header = list(rows[hdr][:width]) + [None] * max(0, width - len(rows[hdr]))
    header = [h.strip() if isinstance(h, str) else h for h in header]
    names = _dedupe(header)

    cols: list[list[Any]] = [[] for _ in range(width)]
    for r in data_rows:
        n = len(r)
        for j in range(width):
            cols[j].append(r[j] if j < n else None)
    frame = {}
    for j, name in enumerate(names):
        s = pd.Series(cols[j], dtype=object)
        s = s.where(~s.map(lambda v: isinstance(v, str) and not v.strip()), None) if len(s) else s
        frame[j] = s.infer_objects()
    df = pd.DataFrame(frame)
    if df.shape[1] == 0:
        df = pd.DataFrame(index=range(len(data_rows)))
    df.columns = names
    first = hdr + 2  # 1-based row of the first data row
    df = _finish(df, np.arange(first, first + len(data_rows), dtype=np.int64))
    df.attrs["sheet"] = title
    df.attrs["header_row"] = hdr + 1
    return df


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


# --------------------------------------------------------------------------- parquet / json


def _read_parquet(path: Path, lang: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
        df = table.to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _err("bad_parquet", path, lang, detail=_detail(exc)) from exc
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    df.attrs = {}
    return _finish(df, np.arange(1, len(df) + 1, dtype=np.int64))


def _records_frame(records: list[dict]) -> pd.DataFrame:
    order: dict[str, None] = {}
    for r in records:
        for k in r:
            order.setdefault(k, None)
    keys = list(order)
    cols = {}
    for j, k in enumerate(keys):
        s = pd.Series([r.get(k) for r in records], dtype=object)
        cols[j] = s.infer_objects()
    df = pd.DataFrame(cols, index=range(len(records)))
    df.columns = _dedupe(keys)
    return df


def _load_json_text(path: Path, lang: str) -> str:
    data = path.read_bytes()
    enc, bom = _detect_encoding(data[:_SAMPLE_BYTES])
    try:
        return data[bom:].decode(enc or "utf-8")
    except UnicodeDecodeError:
        return data[bom:].decode("cp1252", errors="replace")


def _read_json(path: Path, lang: str) -> pd.DataFrame:
    text = _load_json_text(path, lang)
    if not text.strip():
        raise _err("no_header", path, lang)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _err("bad_json", path, lang, line=exc.lineno, col=exc.colno, detail=exc.msg) from exc
    if isinstance(obj, dict):
        # accept a wrapper such as KoboToolbox's {"count": .., "results": [...]}
        lists = [
            v for v in obj.values() if isinstance(v, list) and all(isinstance(x, dict) for x in v)
        ]
        if len(lists) == 1:
            obj = lists[0]
    if not isinstance(obj, list) or not all(isinstance(x, dict) for x in obj):
        raise _err("json_shape", path, lang)
    df = _records_frame(obj)
    return _finish(df, np.arange(1, len(df) + 1, dtype=np.int64))


def _read_jsonl(path: Path, lang: str) -> pd.DataFrame:
    text = _load_json_text(path, lang)
    records, lines = [], []
    for no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _err("jsonl_line", path, lang, line=no, detail=exc.msg) from exc
        if not isinstance(obj, dict):
            raise _err("jsonl_line", path, lang, line=no, detail=tr(M["not_object"], lang))
        records.append(obj)
        lines.append(no)
    if not records:
        raise _err("no_header", path, lang)
    df = _records_frame(records)
    return _finish(df, np.asarray(lines, dtype=np.int64))
