"""Reading field officers' exports and writing results.

See :mod:`indeks.io.readers` and :mod:`indeks.io.writers` for the documented
decisions (encodings, row numbers, file naming, formula neutralisation).
"""

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
