"""Scoring a data set in parts: chunks of a big file, many files, Dask partitions.

Each part is scored by the one engine (:func:`indeks.scoring.engine.score`), and a
:class:`Reducer` puts the parts together in order:

* respondents and issues go to a sink as they come (a file written part by part, or
  memory), with the row numbers, ids and file of origin of the whole job;
* group statistics are merged exactly (:mod:`indeks.scoring.stats_merge`) and turned
  into the summary (every level of the group hierarchy) once, at the end;
* duplicate ids are found over the whole job: every part hands over a 64-bit hash of
  each normalised id (8 bytes a row); ids whose hash occurs twice are then checked
  exactly in a second reading of the parts that hold them, so a hash collision never
  makes a false ``duplicate_id`` and a duplicate split over two parts is never missed.

File-level issues (a missing item column, ...) are reported once per file, not once
per part; the Krejcie-Morgan sample check uses the whole job.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indeks.errors import FileError, IndeksError, ScoringInputError
from indeks.scoring.columns import ColumnMatch
from indeks.scoring.ids import duplicate_key_text, key_hashes
from indeks.scoring.issues import ISSUE_COLUMNS, IssueLog, message
from indeks.scoring.meta import score_meta, stamp_frames
from indeks.scoring.options import ScoringOptions
from indeks.scoring.result import ScoreResult
from indeks.scoring.stats_merge import merge_stats, summary_frame, summary_levels

FILE_COLUMN = "file"


# ---------------------------------------------------------------------------------
# ids
def id_keys(series: pd.Series, forms=None) -> tuple[np.ndarray, np.ndarray]:
    """(normalised id text, empty mask) as the engine compares ids for duplicates:
    numbers by value (``7`` = ``7.0``), text trimmed; per form for multi-form instruments.
    An empty id's text is None."""
    text, empty = duplicate_key_text(series, forms)
    return np.asarray(text.to_numpy(zero_copy_only=False), dtype=object), empty


def id_hashes(series: pd.Series, forms=None) -> np.ndarray:
    """uint64 hash of every normalised id (:func:`id_keys`); 0 for an empty id.

    Equal keys have equal hashes; the few different keys that share one are told apart
    by the exact second check (:func:`reread_candidates`)."""
    text, empty = duplicate_key_text(series, forms)
    return key_hashes(text, empty)


def form_ids(instrument, raw: pd.Series) -> np.ndarray:
    """Form id of each row from the raw form column, as the engine reads it (None: unknown)."""
    from indeks.instruments import resolve_instrument
    from indeks.scoring.coerce import norm_label

    inst = resolve_instrument(instrument)
    lookup = {}
    for fid, f in inst.forms.items():
        for v in (fid,) + f.values:
            lookup[norm_label(v)] = fid
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    u = np.array([lookup.get(norm_label(x)) for x in uniques] + [None], dtype=object)
    return u[codes]


# ---------------------------------------------------------------------------------
# one part
@dataclass
class PartOutput:
    """What a scored part hands to the reducer (picklable, for Dask workers)."""

    file_index: int
    respondents: pd.DataFrame
    issues: pd.DataFrame
    stats: pd.DataFrame
    unit_stats: pd.DataFrame | None
    hashes: np.ndarray | None
    id_column: str | None
    form_column: str | None
    columns: ColumnMatch
    n: int
    records: int = 0  # lines read (Dask byte ranges: to shift row numbers)
    trailing_blank: tuple = ()  # blank rows after the part's last data row


def part_options(opts: ScoringOptions, with_file: bool) -> ScoringOptions:
    groups = tuple(opts.group_by) + ((FILE_COLUMN,) if with_file else ())
    return opts.replace(group_by=groups, population=None)


def score_part(
    instrument,
    frame: pd.DataFrame,
    opts: ScoringOptions,
    file_index: int = 0,
    file_label: str | None = None,
) -> PartOutput:
    """Score one part; ``file_label`` (many files) is added as the ``file`` column."""
    from indeks.scoring.engine import score_frame

    if file_label is not None:
        attrs = dict(frame.attrs)
        frame = frame.assign(**{FILE_COLUMN: file_label})
        frame.attrs.update(attrs)
    try:
        r = score_frame(instrument, frame, opts, summaries=False)
    except FileError:
        raise
    except IndeksError as exc:  # many files: say which one cannot be scored
        if file_label is None:
            raise
        raise ScoringInputError(f"{file_label}: {exc.text(opts.lang)}") from exc
    issues = r.issues
    issues = issues[issues["code"] != "duplicate_id"].reset_index(drop=True)
    hashes = None
    if r.columns.id_column is not None:
        kept = None
        if len(r.respondents) != len(frame):  # rows that are not respondents were left out
            kept = np.isin(np.asarray(frame.index), r.respondents["row"].to_numpy())
        if r.id_hashes is not None:  # the engine's own, per respondent
            hashes = r.id_hashes
            if kept is not None:
                hashes = np.zeros(len(frame), dtype="uint64")
                hashes[kept] = r.id_hashes
        else:
            ids = frame[r.columns.id_column].reset_index(drop=True)
            forms = None
            if "form" in r.respondents:
                forms = np.full(len(frame), None, dtype=object)
                forms[kept if kept is not None else slice(None)] = r.respondents["form"].to_numpy(
                    dtype=object
                )
            hashes = id_hashes(ids, forms)
            if kept is not None:
                hashes[~kept] = 0
    return PartOutput(
        file_index=file_index,
        respondents=r.respondents,
        issues=issues,
        stats=r.stats,
        unit_stats=r.unit_stats,
        hashes=hashes,
        id_column=r.columns.id_column,
        form_column=r.columns.form_column,
        columns=r.columns,
        n=len(frame),
        records=int(frame.attrs.get("records", 0)),
        trailing_blank=tuple(frame.attrs.get("trailing_blank", ())),
    )


# ---------------------------------------------------------------------------------
# sinks: where respondents and issues go
class MemorySink:
    """Keeps respondents and issues in memory (small jobs, tests, the Python API)."""

    def __init__(self):
        self._resp: list[pd.DataFrame] = []
        self._issues: list[pd.DataFrame] = []

    def respondents(self, df: pd.DataFrame) -> None:
        self._resp.append(df)

    def issues(self, df: pd.DataFrame, late: bool = False) -> None:
        if len(df):
            self._issues.append(df)

    def result_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        resp = _concat(self._resp)
        issues = _concat(self._issues) if self._issues else None
        return resp, issues

    def finish(self, result: ScoreResult) -> list[Path]:
        return []

    def abort(self) -> None:
        pass


class DiscardSink(MemorySink):
    """Keeps nothing: only the summary and the first issues are wanted."""

    def respondents(self, df: pd.DataFrame) -> None:
        pass

    def issues(self, df: pd.DataFrame, late: bool = False) -> None:
        pass


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate parts; categoricals with different categories stay categoricals."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    cats: dict[str, list] = {}
    for f in frames:
        for c in f.columns:
            if isinstance(f[c].dtype, pd.CategoricalDtype):
                seen = cats.setdefault(c, [])
                seen.extend(x for x in f[c].cat.categories if x not in seen)
    if cats:
        frames = [
            f.assign(
                **{
                    c: f[c].cat.set_categories(cs)
                    for c, cs in cats.items()
                    if c in f and isinstance(f[c].dtype, pd.CategoricalDtype)
                }
            )
            for f in frames
        ]
    return pd.concat(frames, ignore_index=True)


def _merged(first: pd.DataFrame, fk: np.ndarray, then: pd.DataFrame, tk: np.ndarray):
    """``first`` and ``then`` (each in the order of its keys ``fk`` / ``tk``) as one frame
    in key order, ``first``'s rows before ``then``'s on equal keys."""
    if not len(then):
        return first
    if not len(first):
        return then
    both = _concat([first, then])
    return both.iloc[np.argsort(np.concatenate([fk, tk]), kind="stable")]


class FileSink:
    """Writes respondents (the main file) and issues (``<stem>.<issues>.<ext>``) part by
    part to temporary files; at the end the summary files are written beside them and
    everything is moved into place at once (nothing half-written is ever left)."""

    def __init__(self, path, lang: str = "id", protect=(), meta=None, issues_at_end=False):
        """``issues_at_end``: the reducer keeps every issue; they are written at the end,
        sorted by row as the in-memory job writes them.  Otherwise the issues of the
        parts go to a spool on disk as they come (memory stays set by the part) and are
        written at the end with the late ones (duplicate ids, known only once every part
        is read) merged in, in the same order."""
        from indeks.i18n import tr
        from indeks.io.writers import OUTPUT_EXTENSIONS, OutputError, _same_file, sheet_name
        from indeks.io.writers import M as WM

        self.path = Path(path)
        self.lang = lang
        self.ext = self.path.suffix.lower()
        if self.ext not in (".csv", ".parquet"):
            raise ValueError("FileSink writes .csv or .parquet")
        if self.ext not in OUTPUT_EXTENSIONS:  # pragma: no cover
            raise OutputError(str(self.path), self.path)
        self.stem = self.path.name[: -len(self.path.suffix)]
        self.targets: list[tuple[Path, Path]] = []
        self._writers: dict[str, _TableWriter] = {}
        self._sheet_name = sheet_name
        self.meta = dict(meta or {})
        self.issues_at_end = issues_at_end
        self._spool: Any = None  # FrameSpool of the parts' issues, in the order they came
        self._late: list[pd.DataFrame] = []
        # the order of issues (an int64 key per row, ties kept in arrival order), from
        # the reducer; None: the order in which they came
        self.issue_keys: Callable[[pd.DataFrame], np.ndarray] | None = None
        for target in [self.path, self.companion("issues")]:
            for p in protect or ():
                if _same_file(target, Path(p)):
                    raise OutputError(tr(WM["protect"], lang, path=str(target)), target)

    def companion(self, key: str) -> Path:
        part = re.sub(r"[^\w.-]+", "_", self._sheet_name(key, self.lang))
        return self.path.with_name(f"{self.stem}.{part}{self.ext}")

    def _writer(self, key: str) -> _TableWriter:
        if key not in self._writers:
            from indeks.io.writers import _tmp_for

            target = self.path if key == "respondents" else self.companion(key)
            tmp = _tmp_for(target)
            self.targets.append((tmp, target))
            self._writers[key] = _TableWriter(tmp, self.ext, self.meta)
        return self._writers[key]

    def respondents(self, df: pd.DataFrame) -> None:
        self._writer("respondents").write(df)

    def issues(self, df: pd.DataFrame, late: bool = False) -> None:
        if self.issues_at_end or not len(df):
            return
        if late:
            self._late.append(df)
            return
        if self._spool is None:
            from indeks.io.spool import FrameSpool

            self._spool = FrameSpool(self.path.parent)
        self._spool.append(df)

    def _ordered_issues(self) -> Iterator[pd.DataFrame]:
        """The spooled issues with the late ones merged in, in ``issue_keys`` order
        (late after spooled on equal keys, as they came), one spooled part at a time.
        Spooled parts whose keys are not in order (not expected) are sorted whole."""
        frames = self._spool.frames if self._spool is not None else (lambda: iter(()))
        late = _concat(self._late) if self._late else None
        keys = self.issue_keys
        if keys is None:
            yield from frames()
            if late is not None:
                yield late
            return
        prev = None
        for f in frames():  # a first reading: are the parts' issues in order?
            k = keys(f)
            if len(k) and ((np.diff(k) < 0).any() or (prev is not None and k[0] < prev)):
                everything = _concat([*frames(), *([late] if late is not None else [])])
                yield everything.iloc[np.argsort(keys(everything), kind="stable")]
                return
            prev = k[-1] if len(k) else prev
        if late is None:
            yield from frames()
            return
        lk = keys(late)
        order = np.argsort(lk, kind="stable")
        late, lk = late.iloc[order].reset_index(drop=True), lk[order]
        at = 0  # late rows handed on so far
        carry = late.iloc[:0]  # the last key's spooled rows: more may follow
        ck = lk[:0]
        for f in frames():
            k = keys(f)
            if not len(k):
                continue
            f, k = _concat([carry, f]), np.concatenate([ck, k])
            done = k < k[-1]
            upto = at + int(np.searchsorted(lk[at:], k[-1], side="left"))
            yield _merged(f[done], k[done], late.iloc[at:upto], lk[at:upto])
            at = upto
            carry, ck = f[~done], k[~done]
        yield _merged(carry, ck, late.iloc[at:], lk[at:])

    def finish(self, result: ScoreResult) -> list[Path]:
        from indeks.io.writers import _file_mode, _info_rows, _tmp_for, _write_csv, _write_parquet

        meta = dict(result.meta)
        meta["precision"] = result.precision()
        meta.pop("streamed", None)
        if self.issues_at_end:
            self._writer("issues").write(result.issues)
        else:
            try:
                for part in self._ordered_issues():
                    if len(part):
                        self._writer("issues").write(part.reset_index(drop=True))
            finally:
                if self._spool is not None:
                    self._spool.discard()
                    self._spool = None
        if "issues" not in self._writers:
            self._writer("issues").write(
                pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS})
            )
        for w in self._writers.values():
            w.close()
        sheets = result.sheets()
        order = [self.path]
        for key, df in sheets.items():
            if key in ("respondents", "issues"):
                order.append(self.companion(key)) if key == "issues" else None
                continue
            target = self.companion(key)
            tmp = _tmp_for(target)
            self.targets.append((tmp, target))
            order.append(target)
            if self.ext == ".csv":
                _write_csv(tmp, df)
            else:
                _write_parquet(tmp, df, meta)
        if self.ext == ".csv":
            target = self.path.with_name(f"{self.stem}.info.csv")
            tmp = _tmp_for(target)
            self.targets.append((tmp, target))
            order.append(target)
            info = pd.DataFrame(
                [(k, v) for k, v, _w in _info_rows(meta, self.lang, sheets)],
                columns=["key", "value"],
            ).astype(object)
            info["value"] = info["value"].map(lambda v: None if v is None else str(v))
            _write_csv(tmp, info)
        mode = _file_mode()
        for tmp, target in self.targets:
            try:
                os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else mode)
            except OSError:
                pass
            os.replace(tmp, target)
        self.targets = []
        return order

    def abort(self) -> None:
        if self._spool is not None:
            self._spool.discard()
            self._spool = None
        for w in self._writers.values():
            w.close(quiet=True)
        for tmp, _target in self.targets:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        self.targets = []


class _TableWriter:
    """Appends DataFrames to one CSV or Parquet file with a schema fixed by the first.

    Arrow's writers format a part without holding the GIL, on threads of their own: a
    part is written while the next one is read and scored.  CSV parts are formatted
    two at a time (numbers to text is the costly step) into memory and appended to
    the file in order; Parquet parts are written in order, one at a time.  A failure
    is raised by the next write or by :meth:`close`."""

    def __init__(self, tmp: Path, ext: str, meta=None):
        self.tmp = tmp
        self.ext = ext
        self.meta = meta or {}
        self.schema: Any = None  # pyarrow.Schema, fixed by the first part
        self._fh: Any = None  # pyarrow.NativeFile (written without the GIL)
        self._pq: Any = None  # pyarrow.parquet.ParquetWriter (imported when used)
        self._pool: Any = None  # concurrent.futures.ThreadPoolExecutor (writer threads)
        self._pending: Any = None  # the Future of the Parquet part being written
        self._formatted: deque = deque()  # Futures of CSV parts being formatted, in order

    def _table(self, df: pd.DataFrame):
        import pyarrow as pa

        from indeks.io.writers import _to_arrow, neutralise_formulas

        if self.ext == ".csv":
            df = neutralise_formulas(df)
        table = _to_arrow(df)
        # categories as plain text, so every part has the same column types
        cols = [
            c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
            for c in table.columns
        ]
        table = pa.Table.from_arrays(cols, names=table.column_names)
        if self.schema is None:
            schema = table.schema
            if self.ext == ".parquet" and self.meta:  # as the whole-file writer does
                import json

                from indeks.io.writers import _clean_json, _json_default

                md = dict(schema.metadata or {})
                md[b"indeks_meta"] = json.dumps(
                    _clean_json(self.meta), ensure_ascii=False, default=_json_default
                ).encode("utf-8")
                schema = schema.with_metadata(md)
            self.schema = schema
            return table.replace_schema_metadata(schema.metadata)
        if table.schema.names != self.schema.names:
            table = table.select(self.schema.names)
        arrays = []
        for c, f in zip(table.columns, self.schema, strict=True):
            if c.type != f.type:
                try:
                    c = c.cast(f.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    if pa.types.is_string(f.type):
                        c = pa.array(
                            [None if v is None else str(v) for v in c.to_pylist()], pa.string()
                        )
                    else:
                        raise
            arrays.append(c)
        return pa.Table.from_arrays(arrays, schema=self.schema)

    def write(self, df: pd.DataFrame) -> None:
        import pyarrow as pa

        table = self._table(df)
        if self.ext == ".csv":
            first = self._fh is None
            if first:
                self._fh = pa.OSFile(str(self.tmp), "wb")  # written without the GIL
                self._fh.write(b"\xef\xbb\xbf")
            self._formatted.append(self._submit(_csv_bytes, table, first))
            while len(self._formatted) > _CSV_AHEAD:
                self._append_formatted()
        else:
            import pyarrow.parquet as pq

            self._wait()
            if self._pq is None:
                self._pq = pq.ParquetWriter(self.tmp, self.schema)
            self._pending = self._submit(self._pq.write_table, table)

    def _submit(self, fn, *args, **kwargs):
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            workers = _CSV_AHEAD if self.ext == ".csv" else 1
            self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="indeks-write")
        return self._pool.submit(fn, *args, **kwargs)

    def _append_formatted(self) -> None:
        """Append the oldest formatted CSV part to the file (raise its failure)."""
        self._fh.write(self._formatted.popleft().result())

    def _wait(self) -> None:
        """Wait for the parts being written; raise their failure."""
        while self._formatted:
            self._append_formatted()
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self, quiet: bool = False) -> None:
        try:
            try:
                self._wait()
            finally:
                if self._pool is not None:
                    self._pool.shutdown(wait=True)
                if self._fh is not None:
                    self._fh.close()
                if self._pq is not None:
                    self._pq.close()
        except Exception:
            if not quiet:
                raise
        finally:
            self._fh = self._pq = self._pool = None
            self._formatted.clear()


# CSV parts formatted at the same time (two cores)
_CSV_AHEAD = 2


def _csv_bytes(table, header: bool):
    """``table`` as CSV text (pyarrow's writer, in memory), with or without the header."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from indeks.io.writers import ARROW_CSV_BATCH

    sink = pa.BufferOutputStream()
    pacsv.write_csv(
        _without_empty_chunks(table),
        sink,
        write_options=pacsv.WriteOptions(include_header=header, batch_size=ARROW_CSV_BATCH),
    )
    return sink.getvalue()


def _without_empty_chunks(table):
    """``table`` with no zero-length chunk in any column (no data copied).

    pyarrow's CSV writer (seen in 26.0.1), writing without a header, fills the text with
    NUL bytes when a column's first chunk is empty, as a column made by concatenating
    an empty frame with others is (a two-row part came out as 16 KB of NUL bytes)."""
    import pyarrow as pa

    if not any(len(ch) == 0 for col in table.columns for ch in col.chunks):
        return table
    cols = [
        pa.chunked_array([ch for ch in col.chunks if len(ch)], type=col.type)
        for col in table.columns
    ]
    return pa.Table.from_arrays(cols, schema=table.schema)


# ---------------------------------------------------------------------------------
# the reducer
@dataclass
class _Reports(ColumnMatch):
    """Column matches of several files: the first file's (id column, groups, items...),
    with a report of every file's, as one table with the file of each row."""

    matches: list[ColumnMatch] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, matches: list[ColumnMatch], labels: list[str]) -> _Reports:
        first = {f.name: getattr(matches[0], f.name) for f in fields(ColumnMatch)}
        return cls(**first, matches=matches, labels=labels)

    def report(self) -> pd.DataFrame:
        frames = []
        for m, label in zip(self.matches, self.labels, strict=True):
            rep = m.report()
            rep.insert(0, FILE_COLUMN, label)
            frames.append(rep)
        return pd.concat(frames, ignore_index=True)


@dataclass
class _FileInfo:
    label: str
    columns: ColumnMatch | None = None
    id_column: str | None = None
    form_column: str | None = None
    general: set = field(default_factory=set)


class Reducer:
    """Puts scored parts together, in order (see the module docstring)."""

    def __init__(
        self,
        inst,
        opts: ScoringOptions,
        sink,
        labels: list[str],
        multi: bool,
        issue_head: int | None = 1000,
    ):
        """``issue_head``: issues kept in memory for the result (None: all of them)."""
        self.inst = inst
        self.issue_head = issue_head
        self.opts = opts
        self.sink = sink
        self.multi = multi
        self.files = [_FileInfo(lbl) for lbl in labels]
        self.group_names = list(opts.group_by) + ([FILE_COLUMN] if multi else [])
        self._stats: list[pd.DataFrame] = []
        self._unit_stats: list[pd.DataFrame] = []
        self._hashes: list[np.ndarray] = []
        self.n = 0  # rows of the parts (job positions of the id hashes)
        self.n_resp = 0  # respondents so far (ids 1..n without an id column)
        self._pending_blank: dict[int, list[int]] = {}
        self.n_issues = 0
        self._issue_head: list[pd.DataFrame] = []
        self._head_rows = 0
        if hasattr(sink, "issue_keys"):  # a sink that writes issues at the end, in order
            sink.issue_keys = self._issue_keys

    # -- parts
    def add(self, part: PartOutput, row_offset: int = 0) -> None:
        info = self.files[part.file_index]
        if info.columns is None:
            info.columns = part.columns
            info.id_column = part.id_column
            info.form_column = part.form_column
        resp = part.respondents
        issues = part.issues
        if row_offset:
            resp = resp.assign(row=resp["row"] + row_offset)
            issues = issues.assign(row=issues["row"] + row_offset)
        if part.id_column is None and self.n_resp:
            resp = resp.assign(respondent_id=resp["respondent_id"] + self.n_resp)
            has = issues["respondent_id"].notna().to_numpy()
            if has.any():
                rid = issues["respondent_id"].to_numpy(dtype=object).copy()
                rid[has] = rid[has] + self.n_resp
                issues = issues.assign(respondent_id=rid)
        # blank rows at the end of the previous part were between data rows after all
        pending = self._pending_blank.pop(part.file_index, [])
        if part.n and pending:
            log = IssueLog(self.opts.lang)
            log.add_rows("blank_row", np.asarray(pending, dtype="int64"))
            issues = pd.concat(
                [log.frame(np.zeros(0, "int64"), np.zeros(0, object)), issues], ignore_index=True
            )
        elif pending:
            self._pending_blank[part.file_index] = pending
        if part.trailing_blank:
            self._pending_blank.setdefault(part.file_index, []).extend(
                r + row_offset for r in part.trailing_blank
            )
        # file-level issues: once per file
        general = issues["row"].isna().to_numpy()
        if general.any():
            keep = np.ones(len(issues), bool)
            for i in np.flatnonzero(general):
                r = issues.iloc[i]
                key = (r["code"], r["column"], r["item"], r["message"])
                if key in info.general:
                    keep[i] = False
                info.general.add(key)
            issues = issues[keep].reset_index(drop=True)
        if self.multi:
            issues = issues.assign(**{FILE_COLUMN: info.label})
        self.sink.respondents(resp)
        self._issues(issues)
        self._stats.append(part.stats)
        if part.unit_stats is not None:
            self._unit_stats.append(part.unit_stats)
        self._hashes.append(
            part.hashes if part.hashes is not None else np.zeros(part.n, dtype="uint64")
        )
        self.n += part.n
        self.n_resp += len(part.respondents)
        if len(self._stats) >= 32:  # keep the statistics small: merge as we go
            self._stats = [merge_stats(self._stats, self.group_names)]
            if self._unit_stats:
                self._unit_stats = [merge_stats(self._unit_stats, ["unit"])]

    def _issues(self, issues: pd.DataFrame, late: bool = False) -> None:
        if not len(issues):
            return
        self.sink.issues(issues, late=late)
        self.n_issues += len(issues)
        if self.issue_head is None:
            self._issue_head.append(issues)
        elif self._head_rows < self.issue_head:
            self._issue_head.append(issues.head(self.issue_head - self._head_rows))
            self._head_rows += min(len(issues), self.issue_head - self._head_rows)

    # -- duplicate ids over the whole job
    def duplicate_candidates(self) -> np.ndarray:
        """Job positions (0-based) whose id hash occurs more than once."""
        if not self._hashes:
            return np.zeros(0, dtype="int64")
        h = np.concatenate(self._hashes)
        self._hashes = []
        sh = np.sort(h)  # 8 bytes a row twice: the only whole-job arrays
        same = sh[1:] == sh[:-1]
        twice = np.unique(sh[1:][same])
        del sh, same
        twice = twice[twice != 0]
        if twice.size == 0:
            return np.zeros(0, dtype="int64")
        return np.flatnonzero(np.isin(h, twice))

    def add_duplicates(self, found: pd.DataFrame) -> None:
        """``found``: the candidate rows read again: ``key``, ``value``, ``row``, ``file``
        (file index) and ``position`` (job position); exact duplicates become issues."""
        if found.empty:
            return
        found = found.sort_values("position", kind="stable").reset_index(drop=True)
        code = pd.factorize(found["key"])[0]
        counts = np.bincount(code)
        dup = counts[code] > 1
        found = found[dup].reset_index(drop=True)
        if found.empty:
            return
        code = pd.factorize(found["key"])[0]
        where = found["row"].astype(str)
        if self.multi:  # many files: each row with its file
            where = found["file"].map(lambda f: self.files[int(f)].label) + ":" + where
        rows_text = (
            pd.Series(where.to_numpy(), index=code).groupby(level=0, sort=False).agg(", ".join)
        )
        lang = self.opts.lang
        msgs = [
            message("duplicate_id", lang, value=v, close=rows_text[c])
            for v, c in zip(found["value"], code, strict=True)
        ]
        t = IssueLog(lang)
        t.add(
            "duplicate_id", np.arange(len(found)), values=found["value"].to_numpy(), messages=msgs
        )
        issues = t.frame(found["row"].to_numpy(dtype="int64"), found["id"].to_numpy(dtype=object))
        issues["column"] = [self.files[int(f)].id_column for f in found["file"]]
        if self.multi:
            issues[FILE_COLUMN] = [self.files[int(f)].label for f in found["file"]]
        self._issues(issues, late=True)

    # -- the end
    def finish(self, meta_source: str = "") -> ScoreResult:
        from indeks.instruments import resolve_instrument
        from indeks.scoring.engine import krejcie_morgan

        inst = resolve_instrument(self.inst)
        lang = self.opts.lang
        stats = merge_stats(self._stats, self.group_names)
        summary = summary_levels(inst, stats, self.group_names, lang)
        units = None
        unit_stats = None
        if self._unit_stats:
            unit_stats = merge_stats(self._unit_stats, ["unit"])
            units = summary_frame(inst, unit_stats, ["unit"], lang)
        population = self.opts.population
        if population is not None and inst.krejcie_morgan:
            need = krejcie_morgan(population)
            summary["population"] = int(population)
            summary["sample_required"] = need
            summary["sample_adequate"] = summary["n_scored"] >= need
            n_scored = int(summary["n_scored"].iloc[0])
            if n_scored < need:
                log = IssueLog(lang)
                log.add_general("sample_too_small", value=n_scored, min=need, max=int(population))
                self._issues(log.frame(np.zeros(0, "int64"), np.zeros(0, object)))
        warning = inst.provisional_warning_for("score", lang)
        matches = [f.columns for f in self.files if f.columns is not None]
        labels = [f.label for f in self.files if f.columns is not None]
        columns = matches[0] if not self.multi else _Reports.of(matches, labels)
        meta = score_meta(
            inst.with_transform_rule(self.opts.transform_rule),
            warning,
            missing_rule=self.opts.missing_rule or inst.missing_rules[0],
            user_labels=_user_labels_table(inst, self.opts),
            pre_reversed=list(self.opts.pre_reversed)
            if not isinstance(self.opts.pre_reversed, dict)
            else [],
            source=meta_source,
            lang=lang,
        )
        if isinstance(self.sink, MemorySink) and not isinstance(self.sink, DiscardSink):
            respondents, issues = self.sink.result_frames()
            issues = self._sorted_issues(issues)
        else:
            respondents = pd.DataFrame()
            issues = self._sorted_issues(_concat(self._issue_head) if self._issue_head else None)
            meta["streamed"] = {"rows": self.n, "issues": self.n_issues}
        stamp_frames((respondents, summary, issues, units), inst, warning)
        return ScoreResult(
            inst,
            respondents,
            summary,
            issues,
            columns,
            meta,
            units=units,
            stats=stats,
            unit_parts=unit_stats,
        )

    def _issue_keys(self, issues: pd.DataFrame) -> np.ndarray:
        """The order of issues (ties in the order they came): by file (many files), then
        by row; issues of no row (a column, the file) first."""
        has = issues["row"].notna().to_numpy()
        rows = np.where(has, issues["row"].fillna(-1).to_numpy(dtype="int64"), -1)
        keys = rows + 1
        if self.multi:
            index = {f.label: i for i, f in enumerate(self.files)}
            files = issues[FILE_COLUMN].map(index).fillna(-1).to_numpy(dtype="int64")
            keys = keys + (files + 1) * (1 << 42)  # rows stay far below 2**42
        return keys.astype("int64", copy=False)

    def _sorted_issues(self, issues: pd.DataFrame | None) -> pd.DataFrame:
        cols = ISSUE_COLUMNS + ([FILE_COLUMN] if self.multi else [])
        if issues is None or not len(issues):
            return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}).astype(
                {"row": "Int64"}
            )
        issues = issues.reset_index(drop=True)
        out = issues.iloc[np.argsort(self._issue_keys(issues), kind="stable")]
        out = out.reset_index(drop=True)
        out["row"] = out["row"].astype("Int64")
        return out[cols]


# ---------------------------------------------------------------------------------
# second reading for duplicate candidates
def reread_candidates(
    candidates: np.ndarray,
    parts: Iterable[tuple[int, pd.DataFrame, int]],
    reducer: Reducer,
) -> pd.DataFrame:
    """Read the id (and form) of the candidate rows again, exactly.

    ``parts`` yields (file index, raw frame, row offset) in job order, the same parts as
    the first reading.  Only rows at ``candidates`` (job positions) are kept.
    """
    out = []
    start = 0
    cand = np.asarray(candidates, dtype="int64")
    for file_index, frame, row_offset in parts:
        n = len(frame)
        lo, hi = np.searchsorted(cand, [start, start + n])
        if hi > lo:
            local = cand[lo:hi] - start
            info = reducer.files[file_index]
            sub = frame.iloc[local].reset_index(drop=True)
            ids = sub[info.id_column]
            forms = None
            if info.form_column is not None:
                forms = form_ids(reducer.inst, sub[info.form_column])
            key, empty = id_keys(ids, forms)
            rows = np.asarray(frame.index, dtype="int64")[local] + row_offset
            out.append(
                pd.DataFrame(
                    {
                        "key": key,
                        "value": ids.astype(str).to_numpy(dtype=object),
                        "id": ids.to_numpy(dtype=object),
                        "row": rows,
                        "file": file_index,
                        "position": cand[lo:hi],
                    }
                )[~empty]
            )
        start += n
    if not out:
        return pd.DataFrame(columns=["key", "value", "id", "row", "file", "position"])
    return pd.concat(out, ignore_index=True)


PartReader = Callable[[], Iterator[tuple[int, pd.DataFrame, int]]]


def _user_labels_table(inst, opts) -> list[dict]:
    """The --labels statements of the job, as the one-file result lists them."""
    if opts.labels is None:
        return []
    from indeks.scoring.labels import labels_table, with_user_labels

    return labels_table(with_user_labels(inst, opts.labels)[1])
