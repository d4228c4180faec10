"""``indeks lkip init``: a new workspace folder with a commented ``workspace.toml``.

The template text lives in ``indeks/lkip/templates/workspace.<lang>.toml`` (comments in
Bahasa Indonesia or English); :func:`write_template` fills in the unit and the year and
writes it, never over an existing file.  The template loads with
:func:`indeks.lkip.workspace.load_workspace` as written, and ``indeks lkip build`` runs on
it straight away: realisations that are not known yet are reported as not available.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from importlib import resources
from pathlib import Path

from indeks.errors import IndeksError
from indeks.i18n import catalogue, check_lang, tr

MSG = catalogue("lkip/init")

WORKSPACE_NAME = "workspace.toml"
DATA_FOLDER = "data"
DEFAULT_UNIT = "BNN Kota Contoh"
_FIELD = re.compile(r"\{(unit_toml|unit|prev_year|year)\}")
YEARS = (2000, 2100)  # a reporting year outside these is a typing slip


class InitError(IndeksError):
    """The workspace cannot be started (file exists, bad unit or year); both languages."""

    def __init__(self, key: str, **values: object):
        super().__init__(texts={lang: tr(MSG[key], lang, **values) for lang in ("id", "en")})


def default_year() -> int:
    """The current calendar year."""
    return datetime.date.today().year


def _toml_text(value: str) -> str:
    """``value`` as the inside of a TOML basic string (backslash and quote escaped)."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def template_text(unit: str = DEFAULT_UNIT, year: int | None = None, lang: str = "id") -> str:
    """The workspace template in ``lang`` with ``unit`` and ``year`` filled in."""
    lang = check_lang(lang)
    year = default_year() if year is None else year
    unit = unit.strip()
    if not unit:
        raise InitError("unit_empty")
    if any(unicodedata.category(ch).startswith("C") for ch in unit):
        raise InitError("unit_control", unit=repr(unit))
    if isinstance(year, bool) or not YEARS[0] <= year <= YEARS[1]:
        raise InitError("year_range", year=year, low=YEARS[0], high=YEARS[1])
    text = (
        resources.files("indeks.lkip")
        .joinpath("templates", f"workspace.{lang}.toml")
        .read_text(encoding="utf-8")
    )
    # one pass over the named fields only: the template's inline tables use braces too,
    # and a unit written with "{year}" in it stays as written
    values = {
        "unit": unit,
        "unit_toml": _toml_text(unit),
        "year": str(year),
        "prev_year": str(year - 1),
    }
    return _FIELD.sub(lambda m: values[m[1]], text)


def write_template(
    folder: str | Path, unit: str = DEFAULT_UNIT, year: int | None = None, lang: str = "id"
) -> Path:
    """Write ``folder/workspace.toml`` (creating ``folder`` and ``folder/data``) and return
    its path.  Raises :class:`InitError` when the file exists or ``folder`` is a file."""
    folder = Path(folder)
    path = folder / WORKSPACE_NAME
    text = template_text(unit, year, lang)  # checks unit, year and lang before writing
    if folder.exists() and not folder.is_dir():
        raise InitError("not_a_folder", folder=folder)
    if path.exists() or path.is_symlink():
        raise InitError("exists", file=path)
    try:
        (folder / DATA_FOLDER).mkdir(parents=True, exist_ok=True)
        fh = open(path, "x", encoding="utf-8", newline="\n")  # never over a file
    except FileExistsError:
        raise InitError("exists", file=path) from None
    except OSError as exc:
        raise InitError("cannot_write", file=path, error=exc.strerror or exc) from None
    try:
        with fh:
            fh.write(text)
    except OSError as exc:  # e.g. disk full: no half-written workspace is left behind
        path.unlink(missing_ok=True)
        raise InitError("cannot_write", file=path, error=exc.strerror or exc) from None
    return path


def summary(path: Path, unit: str, year: int, lang: str = "id") -> str:
    """What :func:`write_template` wrote and what to do next, in ``lang`` (several lines)."""
    lang = check_lang(lang)
    folder = path.parent
    data = folder / DATA_FOLDER
    out = folder / tr(MSG["out_folder"], lang)
    written = tr(MSG["written"], lang, file=path, unit=unit.strip(), year=year, data=data)
    return written + "\n" + tr(MSG["next_steps"], lang, file=path, data=data, out=out)


__all__ = ["InitError", "summary", "template_text", "write_template"]
