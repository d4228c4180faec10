"""Score files that are too big for memory, or many files as one job.

``score_files(instrument, "big.csv", output="hasil.parquet", chunk_rows=200_000)``
reads the input in parts (:mod:`indeks.io.chunks`), scores each part with the one
engine, writes respondents and issues to the output as it goes and reduces the group
statistics at the end (:mod:`indeks.scoring.parts`): peak memory is set by the part
size, not the file.  The figures equal those of :func:`indeks.score` on the whole file.

``inputs`` may also be a folder, a glob pattern or a list: the files are scored as
one data set, each keeps its name in the ``file`` column, and ``file`` is the finest
level of the summary.  A file may bring its own column mapping
(``<name>.map.csv`` beside it), so unit exports with different layouts go together.

``engine="dask"`` scores the parts on a Dask cluster (:mod:`indeks.scoring.dask_engine`).
"""

from __future__ import annotations

from pathlib import Path

from indeks.i18n import label_of
from indeks.instruments import resolve_instrument
from indeks.io.chunks import (
    DEFAULT_CHUNK_ROWS,
    SchemaConflict,
    expand_inputs,
    file_labels,
    iter_chunks,
    mapping_for,
)
from indeks.io.csvhead import AUTO_STREAM_BYTES  # noqa: F401  (the command line's)
from indeks.io.spool import SpoolSink
from indeks.present import label
from indeks.scoring.options import ScoringOptions
from indeks.scoring.parts import (
    DiscardSink,
    FileSink,
    MemorySink,
    Reducer,
    part_options,
    reread_candidates,
    score_part,
)
from indeks.scoring.result import ScoreResult

ENGINES = ("pandas", "stream", "dask")
STREAM_OUTPUTS = (".csv", ".parquet")
SPOOL_CHUNK_ROWS = 25_000
# parts scored between two hand-backs of pyarrow's unused memory: every part keeps
# memory lowest, but each hand-back makes the next part fault in (and the kernel zero)
# fresh pages on every thread.  Every second part: about 15 MB more at 1M rows (every
# fourth: 45 MB) for a few per cent less time, too close to measure apart from the
# noise of a shared machine.  A spooled workbook hands back after every part (its
# time is the writer's, and its memory goal the tighter)
RELEASE_EVERY = 2


def _release() -> None:
    """Hand memory that pyarrow keeps for reuse back to the system between parts."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - older pyarrow
        pass


def _early_meta(inst, opts: ScoringOptions, source: str) -> dict:
    """What the result's meta says that is known before the first part (Parquet schema)."""
    return {
        "instrument": inst.id,
        "instrument_name": label_of(inst, opts.lang, "name"),
        "instrument_version": inst.version,
        "status": inst.status,
        "missing_rule": opts.missing_rule or inst.missing_rules[0],
        "provisional_warning": inst.provisional_warning_for("score", opts.lang),
        "aggregation": inst.aggregation.method,
        "source": source,
        "lang": opts.lang,
    }


class _Conflict(Exception):
    def __init__(self, file_index: int, column: str, columns: tuple[str, ...] = ()):
        super().__init__(column)
        self.file_index = file_index
        self.column = column
        self.columns = columns or ((column,) if column else ())


def _parts(paths, chunk_rows, lang, sheet, text_columns):
    for i, p in enumerate(paths):
        try:
            for chunk in iter_chunks(p, chunk_rows, lang, sheet, text_columns.get(i, ())):
                yield i, chunk, 0
        except SchemaConflict as exc:
            raise _Conflict(i, exc.column, exc.columns) from exc


def score_files(
    instrument,
    inputs,
    output=None,
    *,
    chunk_rows: int | None = None,
    engine: str = "stream",
    scheduler=None,
    options: ScoringOptions | None = None,
    sheet=None,
    protect=(),
    partition_bytes: int | None = None,
    keep_respondents: bool = True,
    keep_issues: bool = False,
    progress=None,
    **kwargs,
) -> ScoreResult:
    """Score ``inputs`` (a file, folder, glob or list) in parts; see the module docstring.

    ``output`` ``.csv`` / ``.parquet``: respondents and issues are written part by part
    and the returned result keeps only the summary, the first 1,000 issues and
    ``meta["files"]``.  Other outputs (``.xlsx``, ``.json``, ``.sav``) and
    ``output=None`` keep everything in memory, unless ``keep_respondents=False``: then
    only the summary and the first issues are kept, and an ``.xlsx`` output gets the
    respondents from a spool on disk (:mod:`indeks.io.spool`) written part by part.
    ``keep_issues=True`` keeps every issue in the result (not only the first 1,000).
    ``progress(rows, total)``: called after each part with the rows scored so far and
    ``total=None``, then while a spooled ``.xlsx`` is written with rows written of total.
    ``engine``: ``"stream"`` (parts one after another in this process), ``"pandas"``
    (one part per file) or ``"dask"`` (parts on a Dask cluster: ``scheduler`` address,
    or a LocalCluster of this machine).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    opts = ScoringOptions.merged(options, **kwargs)
    lang = opts.lang
    inst = resolve_instrument(instrument)
    paths = expand_inputs(inputs, lang)
    multi = len(paths) > 1
    labels = file_labels(paths)
    if engine == "pandas":
        chunk_rows = 1 << 62
    out = Path(output) if output is not None else None
    spooled = out is not None and out.suffix.lower() == ".xlsx" and not keep_respondents
    # a spooled workbook takes smaller parts: its time is the writer's, and memory stays
    # below 300 MB for any number of rows
    chunk_rows = int(chunk_rows or (SPOOL_CHUNK_ROWS if spooled else DEFAULT_CHUNK_ROWS))
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    file_opts = [
        part_options(opts.replace(mapping=mapping_for(p, opts.mapping)), multi) for p in paths
    ]
    streamed = out is not None and out.suffix.lower() in STREAM_OUTPUTS
    protect = list(protect) + list(paths)
    text_columns: dict[int, set[str]] = {}
    source = labels[0] if not multi else f"{len(paths)} " + label("files_word", lang)
    sink: FileSink | SpoolSink | DiscardSink | MemorySink
    for _attempt in range(1000):
        keep_all = keep_issues or spooled  # a workbook's issues sheet has every issue
        if streamed:
            meta = _early_meta(inst, opts, source)
            sink = FileSink(out, lang, protect, meta=meta, issues_at_end=keep_all)
        elif spooled and out is not None:
            sink = SpoolSink(out, lang, protect, progress)
        elif out is None and not keep_respondents:
            sink = DiscardSink()
        else:
            sink = MemorySink()
        reducer = Reducer(inst, opts, sink, labels, multi, None if keep_all else 1000)
        try:
            if engine == "dask":
                from indeks.scoring.dask_engine import run_dask

                run_dask(
                    inst,
                    paths,
                    labels if multi else [None] * len(paths),
                    file_opts,
                    reducer,
                    scheduler=scheduler,
                    lang=lang,
                    text_columns=text_columns,
                    partition_bytes=partition_bytes,
                    chunk_rows=chunk_rows,
                )
            else:
                every = 1 if spooled else RELEASE_EVERY
                for k, (i, chunk, _) in enumerate(
                    _parts(paths, chunk_rows, lang, sheet, text_columns), 1
                ):
                    part = score_part(inst, chunk, file_opts[i], i, labels[i] if multi else None)
                    del chunk
                    reducer.add(part)
                    del part
                    if k % every == 0:
                        _release()
                    if progress is not None:
                        progress(reducer.n, None)  # rows scored so far; the total is unknown
            candidates = reducer.duplicate_candidates()
            if candidates.size:
                found = reread_candidates(
                    candidates, _parts(paths, chunk_rows, lang, sheet, text_columns), reducer
                )
                reducer.add_duplicates(found)
            result = reducer.finish(source)
            files = sink.finish(result)
            break
        except _Conflict as exc:
            sink.abort()
            forced = text_columns.setdefault(exc.file_index, set())
            # a column that conflicts again, or undecodable bytes: read that file whole
            if not exc.column or exc.column in forced:
                forced.add("*")
            else:
                forced.update(exc.columns)
            continue
        except BaseException:
            sink.abort()
            raise
    if out is not None and not streamed and not spooled:
        from indeks.io.results import write_result

        files = write_result(result, out, lang=lang, protect=protect, source=source)
    result.meta["files"] = [str(f) for f in files]
    return result
