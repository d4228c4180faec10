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


def text_bytes(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start offset, byte length, UTF-8 bytes) of each text of a pyarrow string array,
    read from Arrow's buffers without a Python object per text; a missing text has
    length 0."""
    import pyarrow as pa

    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    n = len(arr)
    _, offsets_buf, data_buf = arr.buffers()
    data = np.frombuffer(data_buf, dtype="uint8") if data_buf is not None else np.zeros(0, "uint8")
    if not n:
        return np.zeros(0, "int64"), np.zeros(0, "int64"), data
    off = np.frombuffer(offsets_buf, dtype="int64", count=arr.offset + n + 1)[arr.offset :]
    lengths = np.diff(off)
    if arr.null_count:
        lengths = np.where(arr.is_null().to_numpy(zero_copy_only=False), 0, lengths)
    return off[:-1], lengths, data


def first_bytes(values) -> np.ndarray:
    """The first UTF-8 byte of each text of a pyarrow string array, as uint8 (0 for an
    empty or missing text): an exact test of how texts start (a byte below 0x80 is that
    ASCII character) without a kernel per pattern."""
    starts, lengths, data = text_bytes(values)
    out = np.zeros(lengths.size, dtype="uint8")
    filled = lengths > 0
    out[filled] = data[starts[filled]]
    return out
