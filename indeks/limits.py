"""Limits on what indeks reads, with defaults a laptop survives.

A hostile or broken file must end in one clear message, not in a machine that swaps
for ten minutes. Every limit can be raised by an environment variable (read each time
a file is opened, so ``INDEKS_MAX_ROWS=5000000 indeks score ...`` works for one run)
or, from Python, with :func:`configure`.

========================  =================================  ==========
limit                     environment variable               default
========================  =================================  ==========
file size                 ``INDEKS_MAX_FILE_MB``             200 MB
rows of a table           ``INDEKS_MAX_ROWS``                2,000,000
columns of a table        ``INDEKS_MAX_COLUMNS``             5,000
characters in one cell    ``INDEKS_MAX_CELL_CHARS``          100,000
XLSX unpacked size        ``INDEKS_MAX_XLSX_UNZIPPED_MB``    1,000 MB
XLSX compression ratio    ``INDEKS_MAX_XLSX_RATIO``          200
workspace number size     ``INDEKS_MAX_NUMBER``              1e15
========================  =================================  ==========

The XLSX limits are checked from the zip directory before anything is unpacked
(Python's zipfile never inflates a member beyond the size its directory entry
declares, so a lying directory cannot get past them). Only regular files are opened:
a device (``/dev/zero``), a FIFO or a socket, also behind a symbolic link, is refused.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from indeks.i18n import catalogue
from indeks.io.read_common import InputError


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 200.0
    max_rows: int = 2_000_000
    max_columns: int = 5_000
    max_cell_chars: int = 100_000
    max_xlsx_unzipped_mb: float = 1000.0
    max_xlsx_ratio: float = 200.0
    max_number: float = 1e15


ENV = {f.name: "INDEKS_" + f.name.upper() for f in fields(Limits)}
_override: Limits | None = None


def configure(**values) -> Limits:
    """Set limits for this process (e.g. ``configure(max_rows=5_000_000)``); returns them.

    ``configure()`` with no arguments goes back to the defaults and environment."""
    global _override
    _override = replace(Limits(), **values) if values else None
    return current()


def current() -> Limits:
    """The limits in force: :func:`configure`'s, else the environment's, else the defaults."""
    if _override is not None:
        return _override
    base = Limits()
    changes: dict[str, Any] = {}
    for f in fields(Limits):
        raw = os.environ.get(ENV[f.name])
        if raw is None or not raw.strip():
            continue
        try:
            value = float(raw.replace("_", ""))
        except ValueError:
            continue  # a mistyped variable keeps the default rather than disabling the limit
        if value != value or value <= 0:
            continue
        changes[f.name] = int(value) if isinstance(getattr(base, f.name), int) else value
    return replace(base, **changes) if changes else base


class LimitError(InputError):
    """A configured limit was reached; the message names it and how to raise it."""

    def __init__(self, message: str, path=None, limit: str = ""):
        super().__init__(message, path)
        self.limit = limit


# texts of this module, and each limit's name (indeks/locale/limits.toml)
_M = catalogue("limits")


def _fmt(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{x:.0f}"
    return f"{x:.4g}" if abs(x) < 1e6 else f"{x:g}"


def _round_up(v: float) -> float:
    """Up to two significant digits (2.2 -> 3, 2_600_000 -> 2_600_000, 12_345 -> 13_000)."""
    if v < 10:
        return float(math.ceil(v))
    step = 10 ** (len(str(int(v))) - 2)
    return float(math.ceil(v / step) * step)


def limit_error(
    name: str, what: str, found: float, allowed: float, path=None, lang: str = "id"
) -> LimitError:
    """The error for limit ``name`` (a :class:`Limits` field): ``what`` was ``found``."""
    raise_to = _fmt(_round_up(max(allowed * 2, found * 1.25 if found == found else 0)))
    text = _M.text(
        "exceeded",
        lang,
        what=what,
        label=_M.text(name, lang),
        found=_fmt(found),
        allowed=_fmt(allowed),
        env=ENV[name],
        raise_to=raise_to,
    )
    return LimitError(text, path, name)


def check_regular_file(path: Path, lang: str = "id", what: str | None = None) -> os.stat_result:
    """``stat`` of ``path`` (following links); refuses anything but a regular file."""
    path = Path(path)
    st = path.stat()  # FileNotFoundError / PermissionError: the caller's message
    if not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(str(path))
        kind = (
            "kind_device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "kind_fifo"
            if stat.S_ISFIFO(st.st_mode)
            else "kind_socket"
            if stat.S_ISSOCK(st.st_mode)
            else "kind_other"
        )
        raise InputError(
            _M.text("not_regular_file", lang, name=what or path.name, kind=_M.text(kind, lang)),
            path,
        )
    return st


def check_file_size(path: Path, size: int, lang: str = "id", what: str | None = None) -> None:
    lim = current()
    if size > lim.max_file_mb * 1024 * 1024:
        raise limit_error(
            "max_file_mb",
            f"'{what or Path(path).name}'",
            size / 1024 / 1024,
            lim.max_file_mb,
            path,
            lang,
        )


def check_xlsx(path: Path, lang: str = "id") -> int:
    """Zip-bomb checks from the directory of an XLSX; returns the unpacked size in bytes.

    A file that is not a zip at all is left to the Excel reader's own message."""
    import zipfile

    lim = current()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    name = f"'{Path(path).name}'"
    if unpacked > lim.max_xlsx_unzipped_mb * 1024 * 1024:
        raise limit_error(
            "max_xlsx_unzipped_mb",
            name,
            unpacked / 1024 / 1024,
            lim.max_xlsx_unzipped_mb,
            path,
            lang,
        )
    for i in infos:
        # ratio per member and overall; tiny members compress well and prove nothing
        if i.file_size > 1024 * 1024 and i.file_size > lim.max_xlsx_ratio * max(1, i.compress_size):
            raise limit_error(
                "max_xlsx_ratio",
                f"{name} ({i.filename})",
                i.file_size / max(1, i.compress_size),
                lim.max_xlsx_ratio,
                path,
                lang,
            )
    if unpacked > 1024 * 1024 and unpacked > lim.max_xlsx_ratio * max(1, packed):
        raise limit_error(
            "max_xlsx_ratio", name, unpacked / max(1, packed), lim.max_xlsx_ratio, path, lang
        )
    return unpacked


def check_table(df, path: Path, lang: str = "id", possible_cell: int | None = None) -> None:
    """Rows, columns and cell length of a table just read.

    ``possible_cell``: the longest a cell could be (e.g. the file size); the cell scan
    is skipped when that is already within the limit."""
    lim = current()
    name = f"'{Path(path).name}'"
    n, k = df.shape
    if k > lim.max_columns:
        raise limit_error("max_columns", name, k, lim.max_columns, path, lang)
    if n > lim.max_rows:
        raise limit_error("max_rows", name, n, lim.max_rows, path, lang)
    if possible_cell is not None and possible_cell <= lim.max_cell_chars:
        return
    for j, col in enumerate(df.columns):
        if len(str(col)) > lim.max_cell_chars:
            raise limit_error(
                "max_cell_chars",
                f"{name}, " + _M.text("column_header", lang, j=j + 1),
                len(str(col)),
                lim.max_cell_chars,
                path,
                lang,
            )
        s = df.iloc[:, j]
        if s.dtype != object and not str(s.dtype).startswith("str"):
            continue
        try:
            lengths = s.str.len().fillna(0).to_numpy(dtype="float64")  # vectorised
        except (AttributeError, TypeError):  # no text in this column
            continue
        if lengths.size and lengths.max() > lim.max_cell_chars:
            pos = int(lengths.argmax())
            row = df.index[pos]
            raise limit_error(
                "max_cell_chars",
                f"{name}, " + _M.text("cell_at", lang, row=row, col=str(col)[:60]),
                int(lengths.max()),
                lim.max_cell_chars,
                path,
                lang,
            )
