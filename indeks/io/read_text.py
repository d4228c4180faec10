"""CSV / TXT / TSV: encoding and delimiter detection, pyarrow fast path, tolerant fallback."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from indeks.i18n import tr
from indeks.io.read_common import (
    _SAMPLE_BYTES,
    ZERO_PAD_SAMPLE_ROWS,
    M,
    _dedupe,
    _detail,
    _detect_encoding,
    _err,
    _finish,
)
from indeks.io.sniff import (  # noqa: F401  (names used by the chunk reader)
    _count_outside_quotes,
    _csv_rows,
    _detect_delimiter,
    _looks_binary,
    _zero_padded,
)

# --------------------------------------------------------------------------- text

_MAGIC = ((b"PK\x03\x04", "looks_xlsx"), (b"\xd0\xcf\x11\xe0", "looks_xls"), (b"%PDF", "looks_pdf"))


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
        table = _pyarrow_read(pa, pacsv, body, delim, pa_encoding, sample_rows)
        if table is not None:
            # the file's bytes are not needed once Arrow has parsed them: free them
            # before the frame is built, so they never sit beside table and frame
            del body, data
            df = _to_frame(pa, *table)
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


def _pa_options(pacsv, delim, encoding, column_names=None, skip_rows=0, column_types=None):
    read = pacsv.ReadOptions(
        encoding=encoding, column_names=column_names, skip_rows=skip_rows, block_size=1 << 24
    )
    parse = pacsv.ParseOptions(delimiter=delim, newlines_in_values=True, ignore_empty_lines=False)
    conv = pacsv.ConvertOptions(strings_can_be_null=True, column_types=column_types or {})
    return read, parse, conv


def _pyarrow_read(pa, pacsv, body, delim, encoding, sample_rows):
    """Fast path: (Arrow table, names of the columns read as text), or None when the
    file needs the tolerant fallback."""
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
    return table, list(types)


def _to_frame(pa, table, text_cols: list[str]) -> pd.DataFrame:
    """The parsed table as a frame: columns handed over one by one (Arrow buffers freed
    as they are converted), and the memory pool's unused space returned, so the
    reader's buffers do not stay alive beside the frame."""
    df = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    pa.default_memory_pool().release_unused()
    df.attrs["_text_cols"] = text_cols
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
