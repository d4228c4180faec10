"""Reading field officers' exports and writing results.

See :mod:`indeks.io.readers` and :mod:`indeks.io.writers` for the documented
decisions (encodings, row numbers, file naming, formula neutralisation).

The names below are loaded when first used, so that a module of this package that
needs no pandas (:mod:`indeks.io.sniff`, :mod:`indeks.io.csvhead`) can be imported
without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indeks.io.readers import SUPPORTED_EXTENSIONS, InputError, read_table
    from indeks.io.writers import (
        OUTPUT_EXTENSIONS,
        SHEET_NAMES,
        OutputError,
        neutralise_formulas,
        sheet_name,
        spss_safe_names,
        write_table_outputs,
    )

_HOME = {
    "InputError": "indeks.io.readers",
    "SUPPORTED_EXTENSIONS": "indeks.io.readers",
    "read_table": "indeks.io.readers",
    "OUTPUT_EXTENSIONS": "indeks.io.writers",
    "OutputError": "indeks.io.writers",
    "SHEET_NAMES": "indeks.io.writers",
    "neutralise_formulas": "indeks.io.writers",
    "sheet_name": "indeks.io.writers",
    "spss_safe_names": "indeks.io.writers",
    "write_table_outputs": "indeks.io.writers",
}

__all__ = [
    "InputError",
    "OUTPUT_EXTENSIONS",
    "OutputError",
    "SHEET_NAMES",
    "SUPPORTED_EXTENSIONS",
    "neutralise_formulas",
    "read_table",
    "sheet_name",
    "spss_safe_names",
    "write_table_outputs",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
