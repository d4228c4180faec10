"""Write scoring results: ``.csv``, ``.xlsx``, ``.json``, ``.sav``, ``.parquet``.

:func:`write_table_outputs` writes an ordered ``{key: DataFrame}`` mapping (keys such
as ``summary``, ``respondents``, ``issues``, ``pairs``, ``unmatched``, ``items``)
plus a ``meta`` dict, choosing the format from the extension of ``path``. It
returns the list of files written, the main file first.

Decisions:

* **Atomic.** Every file is first written to a temporary file in the target
  directory (``.<name>.<random>.tmp``) and moved into place with ``os.replace``
  only when *all* files of the job were written. On any failure the temporary
  files are removed and :class:`OutputError` is raised (naming the output path);
  an existing output file is then left untouched. Writing over the input file
  (``protect=``) is refused.
* **Main table.** ``respondents`` when present, else the first entry.
* **Companion files** (``.csv``, ``.sav``, ``.parquet``, which hold one table per
  file): every other entry goes to ``<stem>.<sheet>.<ext>`` next to the main file,
  where ``<sheet>`` is the *localised* sheet name (``lang="id"``: ``hasil.csv`` +
  ``hasil.ringkasan.csv`` + ``hasil.masalah.csv``; ``lang="en"``:
  ``results.summary.csv`` ...). See :data:`SHEET_NAMES`. ``meta`` goes to
  ``<stem>.info.csv`` (localised key, value rows; only when ``meta`` is
  non-empty) for CSV, into the schema metadata (key ``indeks_meta``, JSON) for
  Parquet; SAV only gets "instrument version" as its file label.
* **CSV**: UTF-8 *with* BOM (so Excel shows Indonesian text correctly; every
  reader of this package and pandas skip it), comma-delimited, ``.`` decimal
  point, missing values as empty fields, written with pyarrow's CSV writer.
* **Formula neutralisation** (CSV and XLSX): a *text* cell starting with ``=``,
  ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe
  (``"=1+1"`` -> ``"'=1+1"``); numbers, including negative numbers, are untouched.
  Column names are neutralised the same way.
* **XLSX**: an ``info`` sheet first (instrument, version, provisional warning in a
  red bold cell, source file, generation time, package version, other scalar
  meta), then one sheet per entry with localised names, bold frozen header, column
  widths from the content, number format ``0.00`` for float columns or
  ``meta["precision"][column]`` decimals. A table longer than Excel's limit
  (1,048,575 data rows) continues on further sheets (``responden_2``, ...) and the
  info sheet says so. A table may be a DataFrame or a
  :class:`indeks.io.spool.FrameSpool` (a streamed job's respondents, read back from
  disk part by part).
* **JSON**: ``{"meta": meta, "<key>": [records...], ...}`` with the *original*
  (English) keys, NaN/inf as ``null``, UTF-8 with ``ensure_ascii=False``; floats
  are written with Python's shortest round-trip repr.
* **SAV**: column names are made SPSS-safe by :func:`spss_safe_names` (letters,
  digits, underscore; starts with a letter; at most 64 characters; unique ignoring
  case). When a name had to change and no variable label is given for it, the
  original name becomes its variable label. ``value_labels`` /
  ``variable_labels`` are keyed by original names. Text columns are written as
  SPSS strings (missing text becomes an empty string, as SPSS has no text NaN).
* **Parquet**: pyarrow, no index; meta as JSON under schema metadata
  ``b"indeks_meta"``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indeks.errors import FileError
from indeks.i18n import catalogue, tr
from indeks.scoring.meta import INFO_KEYS, ResultMeta

__all__ = [
    "OutputError",
    "OUTPUT_EXTENSIONS",
    "SHEET_NAMES",
    "sheet_name",
    "neutralise_formulas",
    "spss_safe_names",
    "write_table_outputs",
]

OUTPUT_EXTENSIONS: tuple[str, ...] = (".csv", ".xlsx", ".json", ".sav", ".parquet")
EXCEL_MAX_ROWS = 1_048_576

SHEET_NAMES = catalogue("io/sheet_names")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# the same as first bytes of UTF-8 text (each is one ASCII byte)
_FORMULA_BYTES = np.frombuffer("".join(_FORMULA_START).encode("ascii"), dtype="uint8")

M = catalogue("io/writers")

INFO_LABELS = catalogue("io/info_labels")


class OutputError(FileError):
    """Results could not be written. ``message`` is one readable paragraph."""


# --------------------------------------------------------------------------- helpers


def sheet_name(key: str, lang: str = "id") -> str:
    """Localised sheet name of ``key``; unknown keys keep their key."""
    names = SHEET_NAMES.get(key)
    return tr(names, lang) if names else str(key)


def _neutralise_value(v: Any) -> Any:
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return v


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` whose text cells (and column names) cannot run as formulas.

    Text starting with ``= + - @``, tab or CR gets a leading ``'``; numbers are
    never changed (a negative *number* stays a number).  Each distinct text is
    checked once (categories once per category), not once per cell.
    """
    out = df.copy(deep=False)
    out.columns = [_neutralise_value(c) for c in out.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        dt = col.dtype
        if isinstance(dt, pd.CategoricalDtype):
            cats = dt.categories
            if cats.dtype == object or isinstance(cats.dtype, pd.StringDtype):
                new = [_neutralise_value(c) for c in cats]
                if new != list(cats):
                    if len(set(new)) == len(new):
                        out.isetitem(i, col.cat.rename_categories(new))
                    else:  # a renamed category would collide with another: plain values
                        out.isetitem(i, col.astype(object).map(_neutralise_value))
        elif isinstance(dt, pd.StringDtype) and dt.storage == "pyarrow":
            # Arrow-backed text (what the readers give): one vectorised prefix test,
            # however many distinct values (an id column has one per row)
            import pyarrow as pa

            from indeks.scoring.texts import first_bytes

            hit = np.isin(first_bytes(pa.array(col.array)), _FORMULA_BYTES)
            if hit.any():
                out.isetitem(i, col.mask(hit, "'" + col))
        elif isinstance(dt, pd.StringDtype) or pd.api.types.is_object_dtype(dt):
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            if not len(uniques):
                continue
            u = np.asarray(uniques, dtype=object)
            fixed = np.array([_neutralise_value(v) for v in u], dtype=object)
            changed = fixed != u
            if changed.any():
                hit = changed[np.where(codes < 0, 0, codes)] & (codes >= 0)
                pos = np.flatnonzero(hit)
                vals = col.to_numpy(dtype=object).copy()
                vals[pos] = fixed[codes[pos]]
                out.isetitem(
                    i,
                    pd.Series(
                        vals,
                        index=col.index,
                        dtype=object if pd.api.types.is_object_dtype(dt) else dt,
                        name=col.name,
                    ),
                )
    return out


def spss_safe_names(columns: Iterable[Any]) -> dict[str, str]:
    """Map each column name to an SPSS-safe, unique (case-insensitively) name.

    Letters (ASCII; accents are dropped: ``é`` -> ``e``), digits and underscore
    only, other runs of characters become ``_``; must start with a letter (else
    ``v_`` is prefixed; an empty name becomes ``v``); at most 64 characters; SPSS
    reserved words (``all``, ``and``, ``by`` ...) get a ``_`` suffix; clashes get
    ``_2``, ``_3``... Returns ``{original: safe}`` in column order (for duplicated
    column names, the first occurrence's name).
    """
    out: dict[str, str] = {}
    for col, safe in zip(columns, _spss_names(columns), strict=True):
        out.setdefault(str(col), safe)
    return out


def _spss_names(columns: Iterable[Any]) -> list[str]:
    import unicodedata

    reserved = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
    out: list[str] = []
    used: set[str] = set()
    for col in list(columns):
        raw = str(col)
        ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
        name = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_).strip("_")
        name = re.sub(r"_+", "_", name)
        if not name:
            name = "v"
        if not name[0].isalpha():
            name = "v_" + name
        name = name[:64].rstrip("_") or "v"
        if name.lower() in reserved:
            name += "_"
        cand, k = name, 1
        while cand.lower() in used:
            k += 1
            suffix = f"_{k}"
            cand = name[: 64 - len(suffix)] + suffix
        used.add(cand.lower())
        out.append(cand)
    return out


def _json_default(o: Any) -> Any:
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        f = float(o)
        return None if not math.isfinite(f) else f
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (pd.Timestamp, _dt.datetime, _dt.date, _dt.time)):
        return o.isoformat()
    if isinstance(o, pd.Timedelta):
        return o.isoformat()
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    if isinstance(o, Path):
        return str(o)
    if o is pd.NA or o is pd.NaT:
        return None
    return str(o)


def _clean_json(obj: Any) -> Any:
    """Replace NaN/inf floats (also nested) by None so the JSON is valid."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _clean_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean_json(v) for v in obj]
    if isinstance(obj, (np.floating, np.integer, np.bool_, np.ndarray)):
        return _clean_json(_json_default(obj))
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    return obj


def _records(df: pd.DataFrame) -> list[dict]:
    cols = [str(c) for c in df.columns]
    columns = []
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        if pd.api.types.is_float_dtype(s.dtype) and not isinstance(
            s.dtype, pd.api.extensions.ExtensionDtype
        ):
            arr = s.to_numpy()
            vals = [None if not math.isfinite(v) else v for v in arr.tolist()]
        elif pd.api.types.is_integer_dtype(s.dtype) and not isinstance(
            s.dtype, pd.api.extensions.ExtensionDtype
        ):
            vals = s.to_numpy().tolist()
        elif pd.api.types.is_bool_dtype(s.dtype) and not isinstance(
            s.dtype, pd.api.extensions.ExtensionDtype
        ):
            vals = s.to_numpy().tolist()
        else:
            vals = [_clean_json(v) for v in s.astype(object).tolist()]
        columns.append(vals)
    return (
        [dict(zip(cols, row, strict=True)) for row in zip(*columns, strict=True)]
        if columns
        else [{} for _ in range(len(df))]
    )


def _to_arrow(df: pd.DataFrame):
    """pyarrow Table of ``df``; mixed-type object columns become text."""
    import pyarrow as pa

    arrays, names = [], []
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        try:
            arr = pa.array(s, from_pandas=True)
        except (
            pa.ArrowInvalid,
            pa.ArrowTypeError,
            pa.ArrowNotImplementedError,
            TypeError,
            ValueError,
        ):
            arr = pa.array(
                s.astype(object).map(
                    lambda v: None if v is None or (isinstance(v, float) and v != v) else str(v)
                ),
                type=pa.string(),
                from_pandas=True,
            )
        if pa.types.is_null(arr.type):
            arr = arr.cast(pa.string())
        arrays.append(arr)
        names.append(str(df.columns[i]))
    return pa.Table.from_arrays(arrays, names=names)


# --------------------------------------------------------------------------- writers


#: CSV dialects: "plain" (comma, decimal point, LF) and "id" (semicolon, decimal comma,
#: CRLF: what Excel with an Indonesian locale opens in columns by double-click).
CSV_STYLES = ("plain", "id")


def _write_csv(tmp: Path, df: pd.DataFrame, progress=None, style: str = "plain") -> None:
    """UTF-8 with BOM (Excel opens it right), pyarrow's C++ writer, in batches of
    rows (``progress(rows_written)`` after each). ``style="id"``: ``;`` between
    fields, decimal commas, CRLF line ends."""
    if style == "id":
        _write_csv_id(tmp, df, progress)
        return
    import pyarrow.csv as pacsv

    table = _to_arrow(neutralise_formulas(df))
    with open(tmp, "wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        with pacsv.CSVWriter(
            fh,
            table.schema,
            write_options=pacsv.WriteOptions(
                include_header=True, delimiter=",", batch_size=ARROW_CSV_BATCH
            ),
        ) as w:
            done = 0
            for batch in table.to_batches(max_chunksize=_CSV_BATCH):
                w.write_batch(batch)
                done += batch.num_rows
                if progress is not None:
                    progress(done)


_CSV_BATCH = 100_000
# rows pyarrow's CSV writer formats together (its default, 1,024, is about 10 % slower)
ARROW_CSV_BATCH = 16_384


def _write_csv_id(tmp: Path, df: pd.DataFrame, progress=None) -> None:
    """The Indonesian-Excel dialect: ``;``, decimal comma, CRLF, UTF-8 with BOM."""
    out = neutralise_formulas(df)
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        for start in range(0, max(len(out), 1), _CSV_BATCH):
            part = out.iloc[start : start + _CSV_BATCH]
            part.to_csv(
                fh,
                sep=";",
                decimal=",",
                index=False,
                header=start == 0,
                lineterminator="\r\n",
            )
            if progress is not None:
                progress(min(start + _CSV_BATCH, len(out)))


def _write_parquet(tmp: Path, df: pd.DataFrame, meta: Mapping) -> None:
    import pyarrow.parquet as pq

    table = _to_arrow(df)
    md = dict(table.schema.metadata or {})
    md[b"indeks_meta"] = json.dumps(
        _clean_json(dict(meta)), ensure_ascii=False, default=_json_default
    ).encode("utf-8")
    table = table.replace_schema_metadata(md)
    pq.write_table(table, tmp)


def _write_json(tmp: Path, sheets: Mapping[str, pd.DataFrame], meta: Mapping) -> None:
    doc: dict[str, Any] = {"meta": _clean_json(dict(meta))}
    for key, df in sheets.items():
        doc[str(key)] = _records(df)
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, default=_json_default, allow_nan=False)


def _write_sav(tmp: Path, df: pd.DataFrame, meta: Mapping, value_labels, variable_labels) -> None:
    import pyreadstat

    safe_names = _spss_names(df.columns)
    mapping = spss_safe_names(df.columns)
    out = pd.DataFrame(index=range(len(df)))
    for i, safe in enumerate(safe_names):
        s = df.iloc[:, i].reset_index(drop=True)
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if pd.api.types.is_bool_dtype(s.dtype):
            s = s.astype("float64") if s.isna().any() else s.astype("int64")
        elif pd.api.types.is_numeric_dtype(s.dtype):
            if isinstance(s.dtype, pd.api.extensions.ExtensionDtype):
                s = s.astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            if getattr(s.dt, "tz", None) is not None:
                s = s.dt.tz_localize(None)
        else:
            num = pd.to_numeric(s, errors="coerce") if s.dtype == object else None
            if (
                num is not None
                and s.notna().any()
                and num.notna().sum() == s.notna().sum()
                and s.dropna()
                .map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
                .all()
            ):
                s = num.astype("float64")
            else:
                s = s.astype(object).map(
                    lambda v: (
                        ""
                        if v is None or (isinstance(v, float) and v != v) or v is pd.NA
                        else str(v)
                    )
                )
        out[safe] = s
    labels: dict[str, str] = {}
    for orig, safe in zip((str(c) for c in df.columns), safe_names, strict=True):
        lab = (variable_labels or {}).get(orig)
        if lab:
            labels[safe] = str(lab)
        elif safe != orig:
            labels[safe] = orig
    vlabels = {}
    for orig, codes in (value_labels or {}).items():
        named = mapping.get(str(orig))
        if named is None or not codes:
            continue
        if not pd.api.types.is_numeric_dtype(out[named].dtype):
            continue
        vlabels[named] = {
            (float(k) if not float(k).is_integer() else int(k)): str(v) for k, v in codes.items()
        }
    file_label = " ".join(
        str(x) for x in (meta.get("instrument"), meta.get("instrument_version")) if x
    )
    pyreadstat.write_sav(
        out,
        str(tmp),
        column_labels=[labels.get(c) for c in out.columns] if labels else None,
        variable_value_labels=vlabels or None,
        file_label=file_label[:64],
    )


def _fmt_for(decimals: int) -> str:
    decimals = max(0, int(decimals))
    return "0" if decimals == 0 else "0." + "0" * decimals


def _excel_value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, np.floating):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, _dt.datetime) and v.tzinfo is not None:
        return v.replace(tzinfo=None)
    if isinstance(v, (str, int, bool, _dt.date, _dt.time, _dt.datetime)):
        return v
    if isinstance(v, pd.Timedelta):
        return str(v)
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def _info_rows(
    meta: ResultMeta | Mapping, lang: str, sheets: Mapping
) -> list[tuple[str, Any, bool]]:
    from indeks import __version__

    rows: list[tuple[str, Any, bool]] = []
    rows.append((tr(INFO_LABELS["instrument"], lang), meta.get("instrument"), False))
    if meta.get("instrument_name"):
        rows.append((tr(INFO_LABELS["instrument_name"], lang), meta.get("instrument_name"), False))
    rows.append(
        (tr(INFO_LABELS["instrument_version"], lang), meta.get("instrument_version"), False)
    )
    warn = meta.get("provisional_warning")
    if warn:
        if isinstance(warn, (list, tuple)):
            warn = " ".join(str(w) for w in warn)
        rows.append((tr(INFO_LABELS["provisional_warning"], lang), str(warn), True))
    rows.append((tr(INFO_LABELS["source"], lang), meta.get("source"), False))
    generated = meta.get("generated") or _dt.datetime.now().replace(microsecond=0).isoformat(
        sep=" "
    )
    rows.append((tr(INFO_LABELS["generated"], lang), generated, False))
    rows.append(
        (
            tr(INFO_LABELS["package_version"], lang),
            meta.get("package_version") or __version__,
            False,
        )
    )
    rows.append((tr(INFO_LABELS["language"], lang), lang, False))
    shown = INFO_KEYS
    for k, v in meta.items():
        if k in shown:
            continue
        if isinstance(v, (dict, list, tuple, set)):
            v = json.dumps(
                _clean_json(v if not isinstance(v, set) else list(v)),
                ensure_ascii=False,
                default=_json_default,
            )
        rows.append((str(k), v, False))
    return rows


def _unique_sheet_titles(keys: Iterable[str], lang: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    used = {"info"}
    for key in keys:
        t = re.sub(r"[\[\]:*?/\\]", "_", sheet_name(key, lang)).strip("'") or "sheet"
        t = t[:31]
        cand, k = t, 1
        while cand.lower() in used:
            k += 1
            cand = f"{t[:28]}_{k}"
        used.add(cand.lower())
        titles[key] = cand
    return titles


def _sheet_pieces(sheets: Mapping[str, Any], lang: str) -> dict[str, list[str]]:
    """The worksheet titles of every table: one, or more when the table has more rows
    than an Excel sheet holds (``responden``, ``responden_2``, ...)."""
    per_sheet = EXCEL_MAX_ROWS - 1  # the header takes a row
    titles = _unique_sheet_titles(sheets.keys(), lang)
    used = {t.lower() for t in titles.values()} | {"info"}
    out: dict[str, list[str]] = {}
    for key, table in sheets.items():
        first = titles[key]
        names = [first]
        k = 1
        while len(names) * per_sheet < len(table):
            k += 1
            cand = f"{first[:28]}_{k}"
            if cand.lower() in used:
                continue
            used.add(cand.lower())
            names.append(cand)
        out[key] = names
    return out


def _split_rows(
    sheets: Mapping[str, Any], pieces: Mapping[str, list[str]], lang: str
) -> list[tuple[str, Any, bool]]:
    """Info rows naming the tables split over several sheets."""
    rows: list[tuple[str, Any, bool]] = []
    for key, names in pieces.items():
        if len(names) > 1:
            text = tr(
                M["split"],
                lang,
                n=len(sheets[key]),
                sheets=", ".join(names),
                limit=EXCEL_MAX_ROWS - 1,
            )
            rows.append((tr(INFO_LABELS["split"], lang), text, False))
    return rows


def _write_xlsx(
    tmp: Path, sheets: Mapping[str, Any], meta: Mapping, lang: str, progress=None
) -> None:
    """Stream the workbook with xlsxwriter's constant-memory mode: rows go to disk as
    they are written, so memory stays flat however long the sheet is.

    A table is a DataFrame or a :class:`indeks.io.spool.FrameSpool` (read back part by
    part). A table longer than an Excel sheet continues on further sheets
    (``responden_2``, ...), each with its header, and the info sheet says so.
    ``progress`` (optional) is called with the number of rows written so far.
    Chosen on measurements (README, Speed): xlsxwriter constant-memory wrote 100,000
    rows about 3x faster than openpyxl's write-only mode; a Rust-backed writer was
    faster still but wrote whole numbers as ``1.0``.
    """
    import xlsxwriter

    from indeks.io.spool import frame_parts, table_head

    pieces = _sheet_pieces(sheets, lang)
    per_sheet = EXCEL_MAX_ROWS - 1
    precision = {str(k): v for k, v in (meta.get("precision") or {}).items()}
    wb = xlsxwriter.Workbook(
        str(tmp),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        bold = wb.add_format({"bold": True})
        formats: dict[str, Any] = {}

        def num_format(code: str):
            if code not in formats:
                formats[code] = wb.add_format({"num_format": code})
            return formats[code]

        # info sheet
        ws = wb.add_worksheet("info")
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 80)
        ws.write_string(
            0, 0, tr(INFO_LABELS["title"], lang), wb.add_format({"bold": True, "font_size": 13})
        )
        red = wb.add_format({"bold": True, "font_color": "#C00000"})
        red_fill = wb.add_format({"bold": True, "font_color": "#C00000", "bg_color": "#FFE0E0"})
        info = _info_rows(meta, lang, sheets) + _split_rows(sheets, pieces, lang)
        for r, (label, value, warn) in enumerate(info, start=1):
            ws.write(r, 0, _neutralise_value(label), red if warn else bold)
            v = _neutralise_value(_excel_value(value))
            if v is None:
                continue
            if warn:
                ws.write(r, 1, v, red_fill)
            else:
                ws.write(r, 1, v)

        done = 0
        for key, table in sheets.items():
            head_rows = table_head(table, 200)
            ncols = head_rows.shape[1]
            heads = [_neutralise_value(_excel_value(c)) for c in head_rows.columns]
            layout = []  # (width, format) of every column
            for i in range(ncols):
                name = str(head_rows.columns[i])
                dt = head_rows.iloc[:, i].dtype
                fmt = None
                if name in precision:
                    fmt = _fmt_for(precision[name])
                elif pd.api.types.is_float_dtype(dt):
                    fmt = "0.00"
                # widths from header and the first 200 values
                sample = ["" if v is None else str(v) for v in _excel_column(head_rows.iloc[:, i])]
                longest = max([len(str(heads[i]))] + [len(x) for x in sample])
                if fmt:
                    longest = min(longest, 12)
                layout.append((max(8, min(60, longest + 2)), num_format(fmt) if fmt else None))

            titles = iter(pieces[key])
            ws = _new_sheet(wb, next(titles), layout, heads, bold)
            r = 0  # data rows on the current sheet
            # Python values for one chunk of rows at a time: memory stays flat
            for chunk in frame_parts(table, _XLSX_CHUNK):
                columns = [_excel_column(chunk.iloc[:, i]) for i in range(ncols)]
                pos = 0
                while pos < len(chunk):
                    if r == per_sheet:
                        ws = _new_sheet(wb, next(titles), layout, heads, bold)
                        r = 0
                    take = min(len(chunk) - pos, per_sheet - r)
                    write_row = ws.write_row
                    cells = zip(*(c[pos : pos + take] for c in columns), strict=True)
                    for i, row in enumerate(cells, start=r + 1):
                        write_row(i, 0, row)
                    r += take
                    pos += take
                done += len(chunk)
                if progress is not None:
                    progress(done)
    finally:
        wb.close()


_XLSX_CHUNK = 20_000


def _new_sheet(wb: Any, title: str, layout: list[tuple[int, Any]], heads: list, bold: Any) -> Any:
    """A worksheet with frozen bold header row and the column widths and formats."""
    sheet = wb.add_worksheet(title)
    sheet.freeze_panes(1, 0)
    for i, (width, fmt) in enumerate(layout):
        sheet.set_column(i, i, width, fmt)
    sheet.write_row(0, 0, heads, bold)
    return sheet


def _excel_column(col: pd.Series) -> list:
    """One column as Python values xlsxwriter writes as they are: numbers, booleans,
    text (formula-neutralised), dates; ``None`` for an empty cell. Text and
    categories are converted once per distinct value."""
    dt = col.dtype
    if pd.api.types.is_float_dtype(dt) and not isinstance(dt, pd.api.extensions.ExtensionDtype):
        a = col.to_numpy(dtype="float64")
        bad = ~np.isfinite(a)
        if not bad.any():
            return a.tolist()
        cells = a.astype(object)
        cells[bad] = None
        return cells.tolist()
    if (pd.api.types.is_integer_dtype(dt) or pd.api.types.is_bool_dtype(dt)) and not isinstance(
        dt, pd.api.extensions.ExtensionDtype
    ):
        return col.to_numpy().tolist()
    if isinstance(dt, pd.CategoricalDtype):
        cats = [_neutralise_value(_excel_value(c)) for c in dt.categories] + [None]
        return np.array(cats, dtype=object)[col.cat.codes.to_numpy()].tolist()
    if isinstance(dt, pd.StringDtype) or (
        pd.api.types.is_object_dtype(dt)
        and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty")
    ):
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        conv = [_neutralise_value(_excel_value(u)) for u in uniques] + [None]
        return np.array(conv, dtype=object)[codes].tolist()
    return [_neutralise_value(_excel_value(v)) for v in col.astype(object).tolist()]


class _Detail(Exception):
    """Internal: a failure whose message is already user-readable."""


# --------------------------------------------------------------------------- entry


def _main_key(sheets: Mapping[str, pd.DataFrame]) -> str:
    return "respondents" if "respondents" in sheets else next(iter(sheets))


def _tmp_for(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(name)


def _file_mode() -> int:
    """Mode a normally created file would get (mkstemp makes files 0600)."""
    old = os.umask(0o022)
    os.umask(old)
    return 0o666 & ~old


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(str(a.resolve())) == os.path.normcase(str(b.resolve()))


def write_table_outputs(
    path: str | os.PathLike,
    sheets: Mapping[str, pd.DataFrame],
    meta: Mapping[str, Any] | None = None,
    lang: str = "id",
    value_labels: Mapping[str, Mapping[Any, str]] | None = None,
    variable_labels: Mapping[str, str] | None = None,
    protect: str | os.PathLike | Iterable[str | os.PathLike] | None = None,
    progress: Callable[[int, int], None] | None = None,
    csv_style: str = "plain",
) -> list[Path]:
    """Write ``sheets`` (and ``meta``) to ``path``; the format follows its extension.

    ``csv_style`` (CSV only): ``"plain"`` (``,``, decimal point) or ``"id"`` (``;``,
    decimal comma, CRLF: Excel with an Indonesian locale opens it in columns).

    ``progress`` (optional) is called as ``progress(rows_written, rows_total)`` while
    CSV and XLSX files are written (for a progress display).

    Returns the files written, the main one first. Raises :class:`OutputError` for
    an unsupported extension, an output that would overwrite a ``protect``-ed
    (input) file, or any failure while writing (nothing is left half-written).
    """
    path = Path(path)
    meta = dict(meta or {})
    ext = path.suffix.lower()
    if csv_style not in CSV_STYLES:
        raise ValueError(f"csv_style must be one of {', '.join(CSV_STYLES)}, not {csv_style!r}")
    if ext not in OUTPUT_EXTENSIONS:
        raise OutputError(
            tr(
                M["ext"],
                lang,
                path=str(path),
                ext=ext or "-",
                supported=", ".join(OUTPUT_EXTENSIONS),
            ),
            path,
        )
    if not sheets:
        raise OutputError(
            tr(M["failed"], lang, path=str(path), detail=tr(M["no_sheets"], lang)), path
        )
    if not path.parent.exists():
        raise OutputError(tr(M["nodir"], lang, path=str(path), dir=str(path.parent)), path)

    main = _main_key(sheets)
    stem = path.name[: -len(path.suffix)]
    targets: list[tuple[Path, str | None]] = [(path, main)]  # (file, sheet key or None for "all")
    if ext in (".csv", ".sav", ".parquet"):
        titles = {k: sheet_name(k, lang) for k in sheets}
        for other in sheets:
            if other != main:
                name = re.sub(r"[^\w.-]+", "_", titles[other])
                targets.append((path.with_name(f"{stem}.{name}{ext}"), other))
        if ext == ".csv" and meta:
            targets.append((path.with_name(f"{stem}.info.csv"), None))
    else:
        targets[0] = (path, None)

    protected = []
    if protect is not None:
        protected = (
            [Path(protect)]
            if isinstance(protect, (str, os.PathLike))
            else [Path(p) for p in protect]
        )
    for target, _ in targets:
        for p in protected:
            if _same_file(target, p):
                raise OutputError(tr(M["protect"], lang, path=str(target)), target)

    total = sum(len(df) for df in sheets.values())
    written = 0

    def step(rows: int) -> None:
        if progress is not None:
            progress(min(written + rows, total), total)

    temps: list[tuple[Path, Path]] = []
    try:
        for target, part in targets:
            tmp = _tmp_for(target)
            temps.append((tmp, target))
            key = part if part is not None else main  # None: the info file, or all sheets
            if ext == ".csv":
                if part is None:
                    info = pd.DataFrame(
                        [(k, v) for k, v, _w in _info_rows(meta, lang, sheets)],
                        columns=["key", "value"],
                    ).astype(object)
                    info["value"] = info["value"].map(lambda v: None if v is None else str(v))
                    _write_csv(tmp, info, style=csv_style)
                else:
                    _write_csv(tmp, sheets[key], step, style=csv_style)
                    written += len(sheets[key])
            elif ext == ".parquet":
                _write_parquet(tmp, sheets[key], meta)
            elif ext == ".sav":
                _write_sav(tmp, sheets[key], meta, value_labels, variable_labels)
            elif ext == ".json":
                _write_json(tmp, sheets, meta)
            else:
                _write_xlsx(tmp, sheets, meta, lang, step)
        mode = _file_mode()
        for tmp, target in temps:
            try:
                os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else mode)
            except OSError:
                pass
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _target in temps:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        if isinstance(exc, OutputError):
            raise
        detail = (
            str(exc)
            if isinstance(exc, _Detail)
            else " ".join(str(exc).split()) or type(exc).__name__
        )
        raise OutputError(
            tr(M["failed"], lang, path=str(path), detail=detail[:300].rstrip(".")), path
        ) from exc
    return [t for t, _ in targets]
