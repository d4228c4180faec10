"""Read large inputs in parts of bounded size, and many files as one job.

:func:`iter_chunks` yields a file as DataFrames of at most ``chunk_rows`` rows, each
with the true spreadsheet row of every data row in its index (``source_row``), exactly
as :func:`indeks.io.readers.read_table` numbers them for the whole file:

* ``.csv`` / ``.txt`` / ``.tsv`` in UTF-8 with the header on the first line are read
  with pyarrow's streaming CSV reader.  Column types are inferred from the first block
  of 16 MB, as the whole-file reader does, so a part holds the same values as the
  same rows of the whole file.  Other text files (title rows above the header,
  UTF-16, cp1252) are read whole and then cut into parts.
* ``.parquet`` is read batch by batch.
* Other formats (Excel, SPSS, Stata, JSON) are read whole and cut into parts: they
  are small by nature (Excel stops at 1,048,576 rows).

:func:`expand_inputs` turns a folder, a glob pattern or a list into the input files of
one job; :func:`mapping_for` finds a file's own column mapping beside it.
"""

from __future__ import annotations

import glob
import os
import queue
import re
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from indeks.i18n import catalogue, tr
from indeks.io import csvhead
from indeks.io.csvhead import CsvLayout, open_csv, parse_head, sniff_layout, take_head
from indeks.io.read_common import (
    PARQUET_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    TEXT_EXTENSIONS,
    InputError,
    _detail,
    _err,
    _finish,
)
from indeks.io.read_text import _decimal_commas

DEFAULT_CHUNK_ROWS = 50_000
STREAM_EXTENSIONS = TEXT_EXTENSIONS + PARQUET_EXTENSIONS
MAPPING_SUFFIXES = (".csv", ".json", ".toml", ".xlsx")
_GLOB = re.compile(r"[*?\[]")

M = catalogue("io/chunks")


class SchemaConflict(Exception):
    """A column changed type after the first block; read it again as text.

    ``columns``: every column of the file known to need text (the first one found and,
    when the file was searched, the others), so one new reading reads them all as text."""

    def __init__(self, column: str, columns: tuple[str, ...] = ()):
        super().__init__(column)
        self.column = column
        self.columns = tuple(dict.fromkeys((column, *columns))) if column else tuple(columns)


# ---------------------------------------------------------------------------------
# many files
def _is_mapping_file(p: Path) -> bool:
    return ".map." in p.name.lower() or p.name.lower().startswith("map.")


def expand_inputs(spec, lang: str = "id") -> list[Path]:
    """The input files of one job: a file, a folder (its answer files, sorted), a glob
    pattern, or a list of these.  Mapping files (``*.map.csv``) and hidden files are
    not answer files."""
    specs = list(spec) if isinstance(spec, (list, tuple)) else [spec]
    out: list[Path] = []
    for s in specs:
        p = Path(s)
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file()
                and f.suffix.lower() in SUPPORTED_EXTENSIONS
                and not f.name.startswith(".")
                and not _is_mapping_file(f)
            )
        elif not p.exists() and _GLOB.search(str(s)):
            found = sorted(
                Path(f)
                for f in glob.glob(str(s), recursive=True)
                if Path(f).is_file()
                and Path(f).suffix.lower() in SUPPORTED_EXTENSIONS
                and not _is_mapping_file(Path(f))
            )
        else:
            found = [p]
        if not found:
            raise InputError(
                tr(M["no_inputs"], lang, spec=str(s), supported=", ".join(SUPPORTED_EXTENSIONS)),
                p,
            )
        out.extend(found)
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def file_labels(paths: list[Path]) -> list[str]:
    """Names of the files as they appear in the ``file`` column: the file name, or the
    path below the common folder when two files share a name."""
    names = [p.name for p in paths]
    if len(set(names)) == len(names):
        return names
    parents = [p.resolve() for p in paths]
    common = Path(os.path.commonpath([str(p) for p in parents]))
    return [p.relative_to(common).as_posix() for p in parents]


def mapping_for(path: Path, default=None):
    """A file's own mapping (``<name>.map.csv`` / ``.json`` / ``.toml`` / ``.xlsx`` beside
    it), else ``default``."""
    for suffix in MAPPING_SUFFIXES:
        side = path.with_name(f"{path.stem}.map{suffix}")
        if side.is_file():
            return side
    return default


# ---------------------------------------------------------------------------------
# parts of one file
def _csv_layout(path: Path, lang: str) -> CsvLayout | None:
    """The streaming layout of a text file, or None when it needs the whole-file reader."""
    try:
        return sniff_layout(path)
    except OSError as exc:
        raise _err("unreadable", path, lang, detail=_detail(exc)) from exc


def _head(path: Path, layout: CsvLayout):
    """:func:`indeks.io.csvhead.parse_head`, or the block the command line parsed ahead."""
    ahead = take_head(path, layout)
    return ahead if ahead is not None else parse_head(path, layout)


def _compact(table):
    """``table`` with its whole-number columns in the smallest integer type that holds
    their values (cast back, exactly, when used): the first rows are held for a while."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = []
    for col in table.columns:
        if pa.types.is_int64(col.type) and col.null_count < len(col):
            lo, hi = pc.min_max(col).values()
            for t in (pa.int8(), pa.int16(), pa.int32()):
                if (
                    np.iinfo(t.to_pandas_dtype()).min <= lo.as_py()
                    and hi.as_py() <= np.iinfo(t.to_pandas_dtype()).max
                ):
                    col = col.cast(t)
                    break
        cols.append(col)
    return pa.Table.from_arrays(cols, names=table.column_names)


def _text_columns_needed(path: Path, layout: CsvLayout, types: dict, known: str) -> tuple:
    """Every column typed from the first block (number, boolean) that holds a value of
    another kind further down, found in one reading of the file as text: a repeated
    header row or a recap row makes many answer columns text at once, and each would
    otherwise cost one more reading of the file.  A column this misses (its values
    convert here but not in the CSV reader) is found by the next reading, as before."""
    import pyarrow as pa
    import pyarrow.compute as pc

    check = {n: t for n, t in types.items() if n != known and not pa.types.is_string(t)}
    if not check:
        return ()
    as_text = CsvLayout(layout.delimiter, layout.names, {n: pa.string() for n in layout.names})
    found: list[str] = []
    try:
        reader = open_csv(path, as_text, csvhead.BLOCK_SIZE // 4)
        for batch in _read_ahead(reader):
            for name in [n for n in check if n not in found]:
                try:
                    pc.cast(batch.column(name), check[name])
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                    found.append(name)
            if len(found) == len(check):
                break
    except (pa.ArrowException, OSError):  # the next reading finds them one by one
        pass
    return tuple(found)


def _stream_block(path: Path, chunk_rows: int) -> int:
    """A read block of about a quarter of a part (1..16 MB), from the bytes per line."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    per_line = max(len(head) / max(head.count(b"\n"), 1), 8)
    return int(min(max(per_line * chunk_rows / 4, 1 << 20), csvhead.BLOCK_SIZE))


def _read_ahead(reader, depth: int = 4) -> Iterator:
    """The record batches of a pyarrow streaming reader, parsed on a background thread
    up to ``depth`` batches ahead (pyarrow parses without the GIL): the file is parsed
    while the part before is scored.  A failure of the reader is raised here, in order;
    closing the generator stops the thread."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                put((None, None))
                return
            except BaseException as exc:  # handed to the reading thread, raised there
                put((None, exc))
                return
            if not put((batch, None)):
                return

    thread = threading.Thread(target=run, name="indeks-read", daemon=True)
    thread.start()
    try:
        while True:
            batch, exc = q.get()
            if exc is not None:
                raise exc
            if batch is None:
                return
            yield batch
    finally:
        stop.set()
        thread.join()


def _csv_chunks(
    path: Path, layout: CsvLayout, chunk_rows: int, lang: str
) -> Iterator[pd.DataFrame]:
    import pyarrow as pa

    try:
        # column types from the first 16 MB, as the whole-file reader infers them; the
        # rest of the file (or all of it, when the first rows cannot be kept) is read
        # in small blocks with those types fixed
        schema, head, offset = _head(path, layout)
        types = dict(layout.types)
        for f in schema:
            if f.name in types:
                continue
            if pa.types.is_temporal(f.type) or pa.types.is_null(f.type):
                types[f.name] = pa.string()
                if pa.types.is_temporal(f.type):
                    layout.types[f.name] = pa.string()
            else:
                types[f.name] = f.type
        small = CsvLayout(layout.delimiter, layout.names, types)
        fixed = pa.schema([(name, types[name]) for name in layout.names])
        first: list = []
        if head is not None:  # held compact until handed on (16 MB of lines)
            first = _compact(head.cast(fixed)).to_batches()
            del head
        reader = None
        if not offset or offset < path.stat().st_size:
            reader = open_csv(path, small, _stream_block(path, chunk_rows), offset=offset)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, OSError) as exc:
        raise _err("unreadable", path, lang, detail=_detail(exc)) from exc

    def read() -> Generator:
        while first:  # the first rows, already parsed (each batch let go once handed on)
            b = first.pop(0)  # cast back column by column (Array.cast is in every pyarrow)
            yield pa.RecordBatch.from_arrays(
                [c.cast(f.type) for c, f in zip(b.columns, fixed, strict=True)], schema=fixed
            )
        if reader is not None:
            yield from _read_ahead(reader)

    text_cols = set(layout.types)
    done = 0  # records (lines after the header) already emitted
    buf: list = []
    buffered = 0

    def emit(table) -> pd.DataFrame:
        nonlocal done
        df = table.to_pandas()
        rows = np.arange(done + 2, done + 2 + len(df), dtype=np.int64)
        done += len(df)
        if layout.delimiter == ";":
            _decimal_commas(df, text_cols)
        df = _finish(df, rows)
        _mark_trailing(df, rows)
        df.attrs["source"] = path.name
        df.attrs["source_path"] = str(path)
        return df

    batches = read()
    try:
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except pa.ArrowInvalid as exc:
                m = re.search(r"CSV column #(\d+)", str(exc))
                if m and int(m.group(1)) < len(layout.names):
                    name = layout.names[int(m.group(1))]
                    others = _text_columns_needed(path, layout, types, name)
                    raise SchemaConflict(name, others) from exc
                raise _err("unreadable", path, lang, detail=_detail(exc)) from exc
            if any(pa.types.is_binary(f.type) for f in batch.schema):
                raise SchemaConflict("")
            buf.append(batch)
            buffered += batch.num_rows
            while buffered >= chunk_rows:
                table = pa.Table.from_batches(buf)
                yield emit(table.slice(0, chunk_rows))
                rest = table.slice(chunk_rows)
                buf = rest.to_batches()
                buffered = rest.num_rows
        if buffered or not done:
            yield emit(pa.Table.from_batches(buf, schema=fixed))
    finally:
        batches.close()  # stops the reading thread when parts are no longer wanted


def _parquet_chunks(path: Path, chunk_rows: int, lang: str) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        batches = pf.iter_batches(batch_size=chunk_rows)
        done = 0
        for batch in batches:
            df = batch.to_pandas()
            if not isinstance(df.index, pd.RangeIndex):
                df = df.reset_index()
            df.attrs = {}
            rows = np.arange(done + 1, done + 1 + len(df), dtype=np.int64)
            done += len(df)
            df = _finish(df, rows)
            _mark_trailing(df, rows)
            df.attrs["source"] = path.name
            df.attrs["source_path"] = str(path)
            yield df
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _err("bad_parquet", path, lang, detail=_detail(exc)) from exc


def _mark_trailing(df: pd.DataFrame, rows: np.ndarray) -> None:
    """Blank rows after a part's last data row: blank rows *between* data rows when a
    later part holds data (the reducer decides), trailing blank rows of the file if not."""
    last = int(df.index[-1]) if len(df) else -1
    df.attrs["trailing_blank"] = tuple(int(r) for r in rows[rows > last])


def _slices(df: pd.DataFrame, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Parts of a frame read whole; the index (true row numbers) and the blank rows
    between data rows go with the part they fall in."""
    attrs = dict(df.attrs)
    blank = np.asarray(attrs.get("blank_rows", ()), dtype=np.int64)
    rows = np.asarray(df.index, dtype=np.int64)
    prev = -1
    for start in range(0, max(len(df), 1), chunk_rows):
        part = df.iloc[start : start + chunk_rows]
        part.attrs.update(attrs)
        last = int(rows[min(start + chunk_rows, len(df)) - 1]) if len(df) else -1
        mine = (
            blank[(blank > prev) & (blank < last)]
            if start + chunk_rows < len(df)
            else blank[blank > prev]
        )
        part.attrs["blank_rows"] = tuple(int(r) for r in mine)
        part.attrs["trailing_blank"] = ()
        prev = last
        yield part


def streamable(path: Path) -> bool:
    """Whether ``path`` is read in parts without ever being held whole."""
    ext = path.suffix.lower()
    if ext in PARQUET_EXTENSIONS:
        return True
    return ext in TEXT_EXTENSIONS and _csv_layout(path, "id") is not None


def iter_chunks(
    path, chunk_rows: int = DEFAULT_CHUNK_ROWS, lang: str = "id", sheet=None, text_columns=()
) -> Iterator[pd.DataFrame]:
    """``path`` as DataFrames of at most ``chunk_rows`` rows (see the module docstring).

    ``text_columns`` are read as text (after a :class:`SchemaConflict`).
    """
    from indeks.io.readers import read_table

    path = Path(path)
    chunk_rows = max(int(chunk_rows), 1)
    ext = path.suffix.lower()
    if not path.is_file() or ext not in STREAM_EXTENSIONS or "*" in text_columns:
        yield from _slices(read_table(path, sheet=sheet, lang=lang), chunk_rows)
        return
    if ext in PARQUET_EXTENSIONS:
        yield from _parquet_chunks(path, chunk_rows, lang)
        return
    if path.stat().st_size == 0:
        raise _err("empty", path, lang)
    layout = _csv_layout(path, lang)
    if layout is None:
        yield from _slices(read_table(path, lang=lang), chunk_rows)
        return
    import pyarrow as pa

    layout.types.update({c: pa.string() for c in text_columns})
    yield from _csv_chunks(path, layout, chunk_rows, lang)


# ---------------------------------------------------------------------------------
# partitions (Dask): described on the client, read on the workers
def partition_specs(
    path,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    partition_bytes: int | None = None,
    lang: str = "id",
    text_columns=(),
) -> list[dict]:
    """Independent pieces of ``path`` that workers read on their own.

    Parquet: runs of row groups of about ``chunk_rows`` rows.  Streamable CSV: byte
    ranges of about ``partition_bytes`` cut at line ends, read with the column types
    of the whole-file reader (inferred once from the first block).  A CSV cut at line
    ends must not hold line breaks inside quoted cells; such a file is read whole
    (convert it to Parquet to spread it).  Other files: one partition.
    """
    path = Path(path)
    ext = path.suffix.lower()
    whole = [{"kind": "whole", "path": str(path)}]
    if "*" in text_columns or not path.is_file():
        return whole
    if ext in PARQUET_EXTENSIONS:
        import pyarrow.parquet as pq

        try:
            md = pq.ParquetFile(path).metadata
        except Exception:
            return whole
        specs, groups, rows, start = [], [], 0, 0
        for g in range(md.num_row_groups):
            groups.append(g)
            rows += md.row_group(g).num_rows
            if rows >= chunk_rows:
                specs.append(
                    {"kind": "parquet", "path": str(path), "groups": groups, "first": start}
                )
                start += rows
                groups, rows = [], 0
        if groups or not specs:
            specs.append({"kind": "parquet", "path": str(path), "groups": groups, "first": start})
        return specs
    if ext not in TEXT_EXTENSIONS:
        return whole
    layout = _csv_layout(path, lang)
    if layout is None:
        return whole
    import pyarrow as pa

    layout.types.update({c: pa.string() for c in text_columns})
    try:
        reader = open_csv(path, layout)
        first = reader.read_next_batch()
    except StopIteration:
        return whole
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, OSError):
        return whole
    if any(pa.types.is_binary(f.type) for f in first.schema):
        return whole
    types = {
        f.name: (pa.string() if pa.types.is_temporal(f.type) else f.type) for f in first.schema
    }
    types.update(layout.types)
    for name, t in list(types.items()):
        if pa.types.is_null(t):  # an empty first block: let each part decide -> text
            types[name] = pa.string()
    if _quoted_newlines(path):
        return whole
    size = path.stat().st_size
    block = int(partition_bytes or 64 * 1024 * 1024)
    with open(path, "rb") as fh:
        fh.readline()  # the header
        start = fh.tell()
        bounds = [start]
        pos = start
        while pos + block < size:
            fh.seek(pos + block)
            fh.readline()
            pos = fh.tell()
            if pos >= size:
                break
            bounds.append(pos)
        bounds.append(size)
    return [
        {
            "kind": "csv",
            "path": str(path),
            "start": a,
            "end": b,
            "names": layout.names,
            "delimiter": layout.delimiter,
            "types": types,
            "text": sorted(layout.types),
        }
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        if b > a or len(bounds) == 2
    ]


def _quoted_newlines(path: Path, sample: int = 1 << 20) -> bool:
    """Whether the start of the file has a line break inside a quoted cell."""
    with open(path, "rb") as fh:
        head = fh.read(sample)
    text = head.decode("utf-8", errors="replace")
    return "\n" in "".join(text.split('"')[1::2])


def read_partition(spec: dict, lang: str = "id") -> pd.DataFrame:
    """The rows of one partition; ``attrs["records"]`` = lines read, rows numbered as if
    the partition started the file (the caller adds the lines before it)."""
    from indeks.io.readers import read_table

    path = Path(spec["path"])
    kind = spec["kind"]
    if kind == "whole":
        df = read_table(path, lang=lang)
        df.attrs["records"] = 0
        df.attrs["trailing_blank"] = ()
        return df
    if kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.ParquetFile(path).read_row_groups(spec["groups"]) if spec["groups"] else None
        df = table.to_pandas() if table is not None else pd.read_parquet(path).iloc[:0]
        if not isinstance(df.index, pd.RangeIndex):
            df = df.reset_index()
        df.attrs = {}
        first = int(spec["first"])
        rows = np.arange(first + 1, first + 1 + len(df), dtype=np.int64)
        df = _finish(df, rows)
        _mark_trailing(df, rows)
        df.attrs["records"] = 0
        df.attrs["source"] = path.name
        return df
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with open(path, "rb") as fh:
        fh.seek(spec["start"])
        data = fh.read(spec["end"] - spec["start"])
    read = pacsv.ReadOptions(column_names=spec["names"], block_size=csvhead.BLOCK_SIZE)
    parse = pacsv.ParseOptions(
        delimiter=spec["delimiter"], newlines_in_values=False, ignore_empty_lines=False
    )
    conv = pacsv.ConvertOptions(strings_can_be_null=True, column_types=spec["types"])
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data), read_options=read, parse_options=parse, convert_options=conv
        )
    except pa.ArrowInvalid as exc:
        m = re.search(r"CSV column #(\d+)", str(exc))
        if m and int(m.group(1)) < len(spec["names"]):
            raise SchemaConflict(spec["names"][int(m.group(1))]) from exc
        raise _err("unreadable", path, lang, detail=_detail(exc)) from exc
    df = table.to_pandas()
    records = len(df)
    if spec["delimiter"] == ";":
        _decimal_commas(df, set(spec["text"]))
    rows = np.arange(2, 2 + records, dtype=np.int64)
    df = _finish(df, rows)
    _mark_trailing(df, rows)
    df.attrs["records"] = records
    df.attrs["source"] = path.name
    return df
