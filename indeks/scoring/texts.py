"""Text columns built from small integer codes into a list of distinct texts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def text_from_codes(texts: list[str], codes: np.ndarray, default: Any = None) -> Any:
    """``texts[code]`` per row (missing for -1) as pandas' default text array (the
    column a DataFrame makes of the same Python strings), built in Arrow from the codes
    instead of from a million Python objects; ``default``: :func:`default_text_dtype`,
    when the caller has it."""
    if default is None:
        default = default_text_dtype()
    if isinstance(default, pd.StringDtype) and default.storage == "pyarrow":
        import pyarrow as pa

        codes = np.asarray(codes)
        if len(texts) == 1 and codes.size and not (codes < 0).any():  # one text: repeated
            return pd.array(
                pa.repeat(pa.scalar(texts[0], pa.large_string()), codes.size), dtype=default
            )
        missing = codes < 0
        idx = pa.array(codes.astype("int32", copy=False), mask=missing if missing.any() else None)
        words = pa.array(texts, type=pa.large_string())
        return pd.array(
            pa.DictionaryArray.from_arrays(idx, words).cast(pa.large_string()), dtype=default
        )
    return np.array([*texts, None], dtype=object)[codes]


def default_text_dtype() -> Any:
    """The dtype pandas gives a column of Python strings."""
    return pd.Series(["a"], dtype=None).dtype


def first_bytes(values) -> np.ndarray:
    """The first UTF-8 byte of each text of a pyarrow string array, as uint8 (0 for an
    empty or missing text), read from Arrow's buffers: an exact test of how texts start
    (a byte below 0x80 is that ASCII character) without a kernel per pattern."""
    import pyarrow as pa

    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    n = len(arr)
    _, offsets_buf, data_buf = arr.buffers()
    out = np.zeros(n, dtype="uint8")
    if not n or data_buf is None:
        return out
    off = np.frombuffer(offsets_buf, dtype="int64", count=arr.offset + n + 1)[arr.offset :]
    filled = off[1:] > off[:-1]
    if arr.null_count:
        filled &= np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    data = np.frombuffer(data_buf, dtype="uint8")
    out[filled] = data[off[:-1][filled]]
    return out
