"""Parquet, JSON (an array of records) and JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from indeks.i18n import tr
from indeks.io.read_common import (
    _SAMPLE_BYTES,
    M,
    _dedupe,
    _detail,
    _detect_encoding,
    _err,
    _finish,
)

# --------------------------------------------------------------------------- parquet / json


def _read_parquet(path: Path, lang: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
        df = table.to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _err("bad_parquet", path, lang, detail=_detail(exc)) from exc
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    df.attrs = {}
    return _finish(df, np.arange(1, len(df) + 1, dtype=np.int64))


def _records_frame(records: list[dict]) -> pd.DataFrame:
    order: dict[str, None] = {}
    for r in records:
        for k in r:
            order.setdefault(k, None)
    keys = list(order)
    cols = {}
    for j, k in enumerate(keys):
        s = pd.Series([r.get(k) for r in records], dtype=object)
        cols[j] = s.infer_objects()
    df = pd.DataFrame(cols, index=range(len(records)))
    df.columns = _dedupe(keys)
    return df


def _load_json_text(path: Path, lang: str) -> str:
    data = path.read_bytes()
    enc, bom = _detect_encoding(data[:_SAMPLE_BYTES])
    try:
        return data[bom:].decode(enc or "utf-8")
    except UnicodeDecodeError:
        return data[bom:].decode("cp1252", errors="replace")


def _read_json(path: Path, lang: str) -> pd.DataFrame:
    text = _load_json_text(path, lang)
    if not text.strip():
        raise _err("no_header", path, lang)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _err("bad_json", path, lang, line=exc.lineno, col=exc.colno, detail=exc.msg) from exc
    if isinstance(obj, dict):
        # accept a wrapper such as KoboToolbox's {"count": .., "results": [...]}
        lists = [
            v for v in obj.values() if isinstance(v, list) and all(isinstance(x, dict) for x in v)
        ]
        if len(lists) == 1:
            obj = lists[0]
    if not isinstance(obj, list) or not all(isinstance(x, dict) for x in obj):
        raise _err("json_shape", path, lang)
    df = _records_frame(obj)
    return _finish(df, np.arange(1, len(df) + 1, dtype=np.int64))


def _read_jsonl(path: Path, lang: str) -> pd.DataFrame:
    text = _load_json_text(path, lang)
    records, lines = [], []
    for no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _err("jsonl_line", path, lang, line=no, detail=exc.msg) from exc
        if not isinstance(obj, dict):
            raise _err("jsonl_line", path, lang, line=no, detail=tr(M["not_object"], lang))
        records.append(obj)
        lines.append(no)
    if not records:
        raise _err("no_header", path, lang)
    df = _records_frame(records)
    return _finish(df, np.asarray(lines, dtype=np.int64))
