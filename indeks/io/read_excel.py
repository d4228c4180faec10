"""Excel workbooks (.xlsx / .xlsm): header row detection, cached formula values."""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indeks.io.read_common import (
    HEADER_SCAN_ROWS,
    InputError,
    _dedupe,
    _err,
    _finish,
)

# --------------------------------------------------------------------------- excel


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _as_openpyxl(v: Any) -> Any:
    if v == "" and isinstance(v, str):
        return None
    if type(v) is float and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if type(v) is _dt.date:  # a date cell: openpyxl gives a datetime at midnight
        return _dt.datetime(v.year, v.month, v.day)
    return v


class _CalamineSheet:
    """One sheet read by python-calamine, with the openpyxl calls the reader uses."""

    def __init__(self, book, name: str):
        self._book = book
        self.title = name

    def iter_rows(self, values_only: bool = True):
        # from A1 (no trimming of leading empty rows: row numbers must stay the file's);
        # an empty cell is None and a whole number an int, as openpyxl gives them
        for row in self._book.get_sheet_by_name(self.title).to_python(skip_empty_area=False):
            yield tuple(_as_openpyxl(v) for v in row)


class _CalamineBook:
    """A workbook read by python-calamine (Rust), shaped like openpyxl's read-only
    workbook for the calls :func:`_read_excel` makes (sheetnames, worksheets, [name],
    close); cached formula values, as openpyxl's ``data_only=True``."""

    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook

        self._book = CalamineWorkbook.from_path(str(path))
        self.sheetnames = list(self._book.sheet_names)

    @property
    def worksheets(self) -> list[_CalamineSheet]:
        return [_CalamineSheet(self._book, n) for n in self.sheetnames]

    def __getitem__(self, name: str) -> _CalamineSheet:
        return _CalamineSheet(self._book, name)

    def close(self) -> None:
        self._book.close()


def _open_workbook(path: Path):
    """python-calamine when it can read the file (several times faster than openpyxl
    and without its per-cell Python objects), else openpyxl's read-only mode."""
    try:
        return _CalamineBook(path)
    except ImportError:
        pass
    except Exception:  # noqa: BLE001 - openpyxl gets its chance (and gives the message)
        pass
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True, data_only=True)


def _read_excel(path: Path, sheet, lang: str) -> pd.DataFrame:
    import zipfile

    try:
        wb = _open_workbook(path)
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
        names_all = list(names)
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
        if len(names) > 1:
            raise _err("empty_sheet_of_many", path, lang, sheet=title, sheets=listing)
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
    header_rows = [hdr + 1]
    upper = _upper_header(rows, hdr, width)
    if upper is not None:
        # a two-row header: a merged group title ("Nilai Unsur Pelayanan") above the item
        # codes, and "No", "Nama" merged over both rows (so written in the upper row only)
        header = [u if _is_blank(h) else h for h, u in zip(header, upper, strict=True)]
        header_rows.insert(0, hdr)
    names = _dedupe(header)

    cols: list[list[Any]] = [[] for _ in range(width)]
    for r in data_rows:
        n = len(r)
        for j in range(width):
            cols[j].append(r[j] if j < n else None)
    frame = {}
    for j in range(len(names)):
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
    df.attrs["sheets"] = tuple(names_all)
    df.attrs["header_row"] = hdr + 1
    if len(header_rows) > 1:
        df.attrs["header_rows"] = tuple(header_rows)
    return df


def _upper_header(rows: list[tuple], hdr: int, width: int) -> list | None:
    """The row above the header when it is the upper half of a two-row header.

    It is when it holds at least two cells, all text, at least one of them above a
    blank header cell (a title merged down over both rows, such as "No" or "Nama").
    A one-cell title row ("REKAPITULASI ...") is not."""
    if hdr == 0:
        return None
    up = list(rows[hdr - 1][:width]) + [None] * max(0, width - len(rows[hdr - 1]))
    filled = [v for v in up if not _is_blank(v)]
    if len(filled) < 2 or not all(isinstance(v, str) for v in filled):
        return None
    lower = list(rows[hdr][:width]) + [None] * max(0, width - len(rows[hdr]))
    if not any(not _is_blank(u) and _is_blank(h) for u, h in zip(up, lower, strict=True)):
        return None
    return [u.strip() if isinstance(u, str) else u for u in up]
