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
