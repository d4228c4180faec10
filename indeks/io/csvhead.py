"""The first block of a big CSV export, parsed once, possibly ahead of time (no pandas).

The streamed reader (:mod:`indeks.io.chunks`) takes the column types of a text file
from its first 16 MB and keeps those rows as the first parts.  Parsing them takes a
tenth of a second at 1M rows; the command line starts it on a thread
(:func:`start_head`) before it imports pandas, which takes a quarter of a second on
one core while the other is idle.  The reader then takes the parsed block
(:func:`take_head`) if it is of the same file, unchanged, read with the same layout;
otherwise it parses the block itself, and any failure is reported by that parse.

Nothing here imports pandas.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indeks.io.sniff import (
    _SAMPLE_BYTES,
    TEXT_EXTENSIONS,
    ZERO_PAD_SAMPLE_ROWS,
    _csv_rows,
    _dedupe,
    _detect_delimiter,
    _detect_encoding,
    _looks_binary,
    _zero_padded,
)

BLOCK_SIZE = 1 << 24  # the whole-file reader's block: same type inference
# inputs larger than this are streamed by the command line when the output allows it
# (about 400,000 WHOQOL-BREF rows): memory is then set by the part size, not the file
AUTO_STREAM_BYTES = 32 * 1024 * 1024


@dataclass
class CsvLayout:
    delimiter: str
    names: list[str]
    types: dict = field(default_factory=dict)


def sniff_layout(path: Path) -> CsvLayout | None:
    """The streaming layout of a text file, or None when it needs the whole-file
    reader (not UTF-8, binary, no header on the first line).  Raises OSError."""
    with open(path, "rb") as fh:
        head = fh.read(_SAMPLE_BYTES)
    encoding, bom = _detect_encoding(head)
    if encoding and encoding != "utf-8":
        return None
    try:
        sample = head[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is fine
        if exc.start < len(head) - bom - 4:
            return None
        sample = head[bom : bom + exc.start].decode("utf-8")
    if _looks_binary(sample[:20000]) or not sample.strip():
        return None
    delim = _detect_delimiter(sample, path.suffix.lower())
    rows = _csv_rows(sample, delim, limit=ZERO_PAD_SAMPLE_ROWS + 1)
    if not rows or not any(c.strip() for c in rows[0]):
        return None
    import pyarrow as pa

    names = _dedupe(rows[0])
    text_idx = _zero_padded(rows[1:], len(names))
    return CsvLayout(delim, names, {names[i]: pa.string() for i in text_idx})


def open_csv(
    path: Path,
    layout: CsvLayout,
    block_size: int = BLOCK_SIZE,
    use_threads: bool = True,
    offset: int = 0,
):
    """A streaming reader of ``path``; ``offset`` > 0: of the lines from that byte on
    (a line start after the header), read with the layout's names."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    read = pacsv.ReadOptions(
        column_names=layout.names,
        skip_rows=0 if offset else 1,
        block_size=block_size,
        use_threads=use_threads,
    )
    parse = pacsv.ParseOptions(
        delimiter=layout.delimiter, newlines_in_values=True, ignore_empty_lines=False
    )
    conv = pacsv.ConvertOptions(strings_can_be_null=True, column_types=layout.types)
    source: Any = path
    if offset:
        source = pa.OSFile(str(path))
        source.seek(offset)
    return pacsv.open_csv(source, read_options=read, parse_options=parse, convert_options=conv)


def parse_head(path: Path, layout: CsvLayout):
    """(column types, the parsed rows or None, bytes they cover) of the first 16 MB of
    the file (whole lines), read as the whole-file reader reads a file: in blocks of
    4 MB whose types are unified (a column of whole numbers that later holds 2.5 is a
    float column; one thread, 4 MB blocks: half the time of 1 MB blocks, a quarter of
    the memory of one 16 MB block).  The parsed rows are handed back when the file can be read on from
    their end: no date column (read again as text) and the cut not inside a quoted
    cell that spans lines (its last cell would end with the line break).  A cut that
    fails to parse: the first 16 MB block of a streaming reader decides the types."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with open(path, "rb") as fh:
        data = fh.read(BLOCK_SIZE)
    # whole lines, cut without copying the 16 MB (fresh memory is the costly part here)
    head = pa.py_buffer(data)
    if len(data) == BLOCK_SIZE:
        head = head.slice(0, data.rfind(b"\n") + 1)
    read = pacsv.ReadOptions(
        column_names=layout.names, skip_rows=1, block_size=1 << 22, use_threads=False
    )
    parse = pacsv.ParseOptions(
        delimiter=layout.delimiter, newlines_in_values=True, ignore_empty_lines=False
    )
    conv = pacsv.ConvertOptions(strings_can_be_null=True, column_types=layout.types)
    try:
        if head.size:
            table = pacsv.read_csv(
                pa.BufferReader(head), read_options=read, parse_options=parse, convert_options=conv
            )
            if clean_end(table) and not any(pa.types.is_temporal(f.type) for f in table.schema):
                return table.schema, table, head.size
            schema = table.schema
            del table
            pa.default_memory_pool().release_unused()
            return schema, None, 0
    except pa.ArrowInvalid:
        pass
    reader = open_csv(path, layout, use_threads=False)  # one block, no read-ahead
    schema = reader.schema
    reader.close()
    del reader
    pa.default_memory_pool().release_unused()
    return schema, None, 0


def clean_end(table) -> bool:
    """No text cell of the last row ends with a line break (as the cell of a quoted
    value cut at the end of the bytes read does)."""
    import pyarrow as pa

    if not table.num_rows:
        return True
    for col in table.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            v = col[-1].as_py()
            if isinstance(v, str) and v.endswith(("\n", "\r")):
                return False
    return True


# ---------------------------------------------------------------------------------
# parsed ahead of time
_AHEAD: list[tuple[str, Future]] = []  # at most one block: (file, its parse)
_LOCK = threading.Lock()


def _key(path: Path, layout: CsvLayout) -> tuple:
    st = path.stat()
    types = tuple(sorted((n, str(t)) for n, t in layout.types.items()))
    return (st.st_size, st.st_mtime_ns, layout.delimiter, tuple(layout.names), types)


def start_head(path) -> bool:
    """Parse the first block of the text file ``path`` on a thread, for :func:`take_head`.

    False (and nothing started) when ``path`` is not a text file of more than
    :data:`AUTO_STREAM_BYTES`.  A failure on the thread is dropped: the reader parses
    the block again and reports it."""
    path = Path(path)
    try:
        if path.suffix.lower() not in TEXT_EXTENSIONS or path.stat().st_size <= AUTO_STREAM_BYTES:
            return False
    except OSError:
        return False
    fut: Future = Future()

    def run() -> None:
        try:
            layout = sniff_layout(path)
            fut.set_result(
                None if layout is None else (_key(path, layout), parse_head(path, layout))
            )
        except BaseException:  # the reader parses again and reports  # noqa: BLE001
            fut.set_result(None)

    with _LOCK:
        _AHEAD[:] = [(str(path.resolve()), fut)]
    threading.Thread(target=run, name="indeks-head", daemon=True).start()
    return True


def take_head(path: Path, layout: CsvLayout) -> Any:
    """The block :func:`start_head` parsed for ``path`` read with ``layout`` (waiting for
    it), as :func:`parse_head` returns it; None when there is none for this file,
    the file changed since, the layout differs or the parse failed.  Taken once."""
    with _LOCK:
        if not _AHEAD or _AHEAD[0][0] != str(Path(path).resolve()):
            return None
        _, fut = _AHEAD.pop()
    got = fut.result()
    if got is None:
        return None
    key, parsed = got
    try:
        same = key == _key(Path(path), layout)
    except OSError:
        return None
    return parsed if same else None
