"""A long table kept on disk while a job runs, read back one part at a time.

A streamed job (:mod:`indeks.scoring.stream`) that writes an ``.xlsx`` file cannot write
the respondents sheet as the parts come: the workbook's first sheets (the summary) are
known only at the end.  The parts go to a :class:`FrameSpool` instead, a temporary file
beside the output, and the XLSX writer reads them back in order when it writes the
sheet, so the respondents are never all in memory.  :class:`SpoolSink` is the sink of
such a job (the same interface as the sinks of :mod:`indeks.scoring.parts`).

The parts are pickled DataFrames: this process writes the file and reads it back, and
every column keeps its exact type (categories, Arrow-backed text, nullable integers).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["FrameSpool", "SpoolSink", "frame_parts", "table_head"]

#: rows of a spooled table kept in memory for column widths and types
HEAD_ROWS = 200


class FrameSpool:
    """Frames of one table appended in order to a temporary file.

    ``len()`` is the number of rows, ``columns`` those of the first frame, ``head(n)``
    the first rows (kept in memory), ``frames()`` the parts read back in order.
    :meth:`pipe` gives a view whose parts (and head) pass through a function, so a
    writer can rename or relabel columns part by part.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        fd, name = tempfile.mkstemp(prefix=".indeks-spool.", suffix=".tmp", dir=folder)
        self.path = Path(name)
        self._fh: Any = os.fdopen(fd, "wb")
        self._rows = 0
        self._head: pd.DataFrame | None = None
        self._empty: pd.DataFrame | None = None
        self._fns: tuple[Callable[[pd.DataFrame], pd.DataFrame], ...] = ()

    # -- writing
    def append(self, df: pd.DataFrame) -> None:
        if self._empty is None:
            self._empty = df.iloc[:0]
        if not len(df):
            return
        if self._head is None or len(self._head) < HEAD_ROWS:
            more = df.iloc[: HEAD_ROWS - (0 if self._head is None else len(self._head))]
            self._head = more.copy() if self._head is None else pd.concat([self._head, more])
        pickle.dump(df, self._fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._rows += len(df)

    def close(self) -> None:
        if self._fh is not None and not self._fh.closed:
            self._fh.close()

    def discard(self) -> None:
        """Close and delete the file (the spool cannot be read after this)."""
        self.close()
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass

    # -- reading
    def __len__(self) -> int:
        return self._rows

    @property
    def columns(self) -> pd.Index:
        return self.head(0).columns

    def head(self, n: int = 5) -> pd.DataFrame:
        base = self._head if self._head is not None else self._empty
        if base is None:
            base = pd.DataFrame()
        return self._apply(base.iloc[:n])

    def frames(self) -> Iterator[pd.DataFrame]:
        self.close()
        with open(self.path, "rb") as fh:
            while True:
                try:
                    df = pickle.load(fh)
                except EOFError:
                    return
                yield self._apply(df)

    def pipe(self, fn: Callable[[pd.DataFrame], pd.DataFrame]) -> FrameSpool:
        """A view of this spool whose frames pass through ``fn`` (same file)."""
        view = object.__new__(FrameSpool)
        view.__dict__.update(self.__dict__)
        view._fns = (*self._fns, fn)
        return view

    def _apply(self, df: pd.DataFrame) -> pd.DataFrame:
        for fn in self._fns:
            df = fn(df)
        return df


def table_head(table: pd.DataFrame | FrameSpool, n: int) -> pd.DataFrame:
    """The first ``n`` rows of a frame or a spool."""
    return table.head(n)


def frame_parts(table: pd.DataFrame | FrameSpool, rows: int) -> Iterator[pd.DataFrame]:
    """A frame or a spool as consecutive parts of at most ``rows`` rows."""
    parts = [table] if isinstance(table, pd.DataFrame) else table.frames()
    for df in parts:
        for start in range(0, len(df), rows):
            yield df.iloc[start : start + rows]


class SpoolSink:
    """Sink of a streamed job written to ``.xlsx``: respondents go to a :class:`FrameSpool`
    beside the output, issues stay in memory (the reducer sorts them); at the end the
    workbook is written from the spool (atomically, like every output) and the spool is
    deleted."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        lang: str = "id",
        protect: Sequence[str | os.PathLike[str]] = (),
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.lang = lang
        self.protect = list(protect)
        self.progress = progress
        self.spool = FrameSpool(self.path.parent)

    def respondents(self, df: pd.DataFrame) -> None:
        self.spool.append(df)

    def issues(self, df: pd.DataFrame, late: bool = False) -> None:
        pass  # the reducer keeps them (sorted at the end)

    def finish(self, result: Any) -> list[Path]:
        from indeks.io.results import write_result

        meta = dict(result.meta)
        meta.pop("streamed", None)
        whole = replace(result, respondents=self.spool, meta=meta)
        try:
            return write_result(
                whole,
                self.path,
                lang=self.lang,
                protect=self.protect,
                source=meta.get("source"),
                progress=self.progress,
            )
        finally:
            self.spool.discard()

    def abort(self) -> None:
        self.spool.discard()
