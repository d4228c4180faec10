"""The issues table of :class:`IssueLog` equals the table the plain pandas construction
gives (one DataFrame per block, concatenated, sorted): the reference below is that
construction, kept here so a faster log can be checked against it on any sequence of
issues."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indeks.scoring.issues import (
    CATALOGUE,
    ISSUE_COLUMNS,
    IssueLog,
    _distinct_texts,
    _frame_of_tables,
    message,
)


class ReferenceLog:
    """The issue log as one DataFrame per block (the construction the log must match)."""

    def __init__(self, lang: str = "id"):
        self.lang = lang
        self._blocks: list[pd.DataFrame] = []

    def add(self, code, positions, *, column="", item="", values=None, messages=None, **fmt):
        positions = np.asarray(positions, dtype="int64").reshape(-1)
        if positions.size == 0:
            return
        t = CATALOGUE[code]
        if messages is not None:
            vals = pd.Series(np.asarray(values, dtype="object")).astype(str)
            msg = pd.Series(list(messages), dtype="object")
        elif values is None:
            vals = pd.Series([fmt.get("value", "")] * positions.size, dtype="object")
            msg = pd.Series(
                [message(code, self.lang, item=item, **fmt)] * positions.size, dtype="object"
            )
        else:
            distinct = _distinct_texts(values)
            if distinct is not None:
                codes, uniq = distinct
                texts = [message(code, self.lang, item=item, **{**fmt, "value": u}) for u in uniq]
                vals = pd.Series(np.asarray(uniq, dtype=object)[codes], dtype=object)
                msg = pd.Series(np.asarray(texts, dtype=object)[codes], dtype=object)
            else:
                vals = pd.Series(np.asarray(values, dtype="object")).astype(str)
                uniq = pd.unique(vals)
                text_of = {
                    u: message(code, self.lang, item=item, **{**fmt, "value": u}) for u in uniq
                }
                msg = vals.map(text_of)
        self._blocks.append(
            pd.DataFrame(
                {
                    "_pos": positions,
                    "column": column,
                    "item": item,
                    "code": code,
                    "severity": t.severity,
                    "value": vals.to_numpy(),
                    "message": msg.to_numpy(),
                }
            )
        )

    def add_general(self, code, *, column="", item="", **fmt):
        t = CATALOGUE[code]
        self._blocks.append(
            pd.DataFrame(
                {
                    "_pos": [-1],
                    "column": [column],
                    "item": [item],
                    "code": [code],
                    "severity": [t.severity],
                    "value": [str(fmt.get("value", ""))],
                    "message": [message(code, self.lang, item=item, **fmt)],
                }
            )
        )

    def add_rows(self, code, rows, values=None, **fmt):
        rows = np.asarray(rows, dtype="int64").reshape(-1)
        if rows.size == 0:
            return
        t = CATALOGUE[code]
        vals = [
            "" if v is None else str(v)
            for v in (values if values is not None else [""] * rows.size)
        ]
        self._blocks.append(
            pd.DataFrame(
                {
                    "_pos": np.full(rows.size, -2, dtype="int64"),
                    "_row": rows,
                    "column": "",
                    "item": "",
                    "code": code,
                    "severity": t.severity,
                    "value": vals,
                    "message": [message(code, self.lang, value=v, **fmt) for v in vals],
                }
            )
        )

    def frame(self, row_numbers, respondent_ids):
        if not self._blocks:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS}).astype(
                {"row": "Int64"}
            )
        # the table of the blocks as the plain construction builds it: the one the
        # production log still uses for blocks that are not plain text
        return _frame_of_tables(self._blocks, row_numbers, respondent_ids)


N = 40
positions = st.lists(st.integers(0, N - 1), min_size=0, max_size=12)


def _values(draw, size: int) -> Any:
    kind = draw(st.sampled_from(["none", "int", "bool", "float", "text", "cat", "mixed"]))
    if kind == "none":
        return None
    if kind == "int":
        return np.array(draw(st.lists(st.integers(-3, 99), min_size=size, max_size=size)))
    if kind == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    if kind == "float":
        fl = st.one_of(st.sampled_from([np.nan, 7.0, 2.5, -0.0]), st.floats(-10, 10))
        return np.array(draw(st.lists(fl, min_size=size, max_size=size)), dtype="float64")
    if kind == "text":
        words = st.sampled_from(["a", "b", "Tidak puas", "", " x ", "7"])
        return np.array(draw(st.lists(words, min_size=size, max_size=size)), dtype=object)
    if kind == "cat":
        cats = ["u1", "u1, u2", "u3"]
        codes = draw(st.lists(st.integers(0, 2), min_size=size, max_size=size))
        return pd.Categorical.from_codes(codes, categories=cats)
    things = st.sampled_from(["a", 3, None, 2.5, np.nan, "b"])
    return np.array(draw(st.lists(things, min_size=size, max_size=size)) + [None], object)[:-1]


@st.composite
def calls(draw):
    out = []
    for _ in range(draw(st.integers(0, 6))):
        what = draw(st.sampled_from(["add", "add", "add", "general", "rows", "messages"]))
        code = draw(
            st.sampled_from(["out_of_range", "index_incomplete", "missing_id", "ineligible"])
        )
        column = draw(st.sampled_from(["", "u1", "Umur (th)", 5]))
        item = draw(st.sampled_from(["", "u2", "d"]))
        fmt = draw(
            st.sampled_from([{}, {"min": 1, "max": 4}, {"value": "v"}, {"value": 3}, {"rule": "r"}])
        )
        if what == "add":
            pos = draw(positions)
            out.append(("add", code, pos, column, item, _values(draw, len(pos)), None, fmt))
        elif what == "messages":
            pos = draw(positions)
            vals = np.array([f"id{p}" for p in pos], dtype=object)
            msgs = [f"pesan {p}" for p in pos]
            out.append(("add", "duplicate_id", pos, column, "", vals, msgs, {}))
        elif what == "general":
            out.append(("general", code, column, item, fmt))
        else:
            rows = draw(st.lists(st.integers(1, 3 * N), max_size=5))
            vals = draw(st.one_of(st.none(), st.just([None, "x", 3, "JUMLAH", ""][: len(rows)])))
            if vals is not None and len(vals) < len(rows):
                vals = None
            out.append(("rows", "blank_row", rows, vals))
    return out


def _run(log, seq):
    for c in seq:
        if c[0] == "add":
            _, code, pos, column, item, values, msgs, fmt = c
            log.add(code, pos, column=column, item=item, values=values, messages=msgs, **fmt)
        elif c[0] == "general":
            _, code, column, item, fmt = c
            log.add_general(code, column=column, item=item, **fmt)
        else:
            _, code, rows, vals = c
            log.add_rows(code, rows, vals)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seq=calls(),
    ids_kind=st.sampled_from(["int", "text", "object"]),
    lang=st.sampled_from(["id", "en"]),
)
def test_issue_table_equals_plain_pandas_construction(seq, ids_kind, lang):
    row_numbers = np.arange(2, N + 2, dtype="int64")[::-1].copy()  # rows need not ascend
    if ids_kind == "int":
        ids = np.arange(100, 100 + N)
    elif ids_kind == "text":
        ids = np.array([f"R{i}" for i in range(N)], dtype=object)
    else:
        ids = np.array([f"R{i}" if i % 3 else i for i in range(N)], dtype=object)
    new, ref = IssueLog(lang), ReferenceLog(lang)
    _run(new, seq)
    _run(ref, seq)
    got, want = new.frame(row_numbers, ids), ref.frame(row_numbers, ids)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.dtypes) == list(want.dtypes)
    # a log gives the same table when asked twice
    pd.testing.assert_frame_equal(new.frame(row_numbers, ids), want, check_exact=True)


def test_issue_table_of_a_large_block_keeps_texts_and_order():
    """Many rows of one code, file-level issues first, then rows in ascending order."""
    log, ref = IssueLog(), ReferenceLog()
    n = 5000
    rng = np.random.default_rng(3)
    pos = np.sort(rng.choice(n, 1200, replace=False))
    names = pd.Categorical.from_codes(rng.integers(0, 3, pos.size), ["u1", "u2", "u1, u2"])
    vals = rng.integers(5, 9, 300).astype("float64")
    bad = np.sort(rng.choice(n, 300, replace=False))
    for lg in (log, ref):
        lg.add("out_of_range", bad, column="U1", item="u1", values=vals, min=1, max=4)
        lg.add("index_incomplete", pos, values=names)
        lg.add_general("missing_item_column", item="u9", close="-")
        lg.add_rows("blank_row", [7, 3])
    rows = np.arange(1, n + 1, dtype="int64") * 2
    ids = np.arange(n)
    got = log.frame(rows, ids)
    pd.testing.assert_frame_equal(got, ref.frame(rows, ids), check_exact=True)
    assert got["code"].iloc[0] == "missing_item_column" and pd.isna(got["row"].iloc[0])
    assert got["row"].iloc[1:].is_monotonic_increasing
    assert len(got) == 1 + 2 + 1200 + 300


@settings(max_examples=60, deadline=None)
@given(
    code=st.sampled_from(sorted(CATALOGUE)),
    lang=st.sampled_from(["id", "en"]),
    values=st.lists(st.text(max_size=12), min_size=16, max_size=40, unique=True),
    fmt=st.sampled_from([{}, {"min": 1, "max": 4}, {"rule": "nrr", "close": "u1, u2"}]),
)
def test_messages_per_value_equal_the_message_of_each(code, lang, values, fmt):
    """Many distinct values: each message is the message written for that value."""
    from indeks.scoring.issues import _value_messages

    values = values + ["{value}", "{{", "\x00\x01value\x01\x00", "Ünïcødé '"]
    want = [message(code, lang, item="u1", **{**fmt, "value": v}) for v in values]
    assert _value_messages(code, lang, "u1", fmt, values) == want


@settings(max_examples=100, deadline=None)
@given(
    texts=st.lists(st.text(max_size=6), min_size=1, max_size=4),
    picks=st.lists(st.integers(-1, 3), min_size=0, max_size=30),
)
def test_text_from_codes_is_the_column_of_those_strings(texts, picks):
    from indeks.scoring.texts import text_from_codes

    codes = np.array([p if p < len(texts) else p % len(texts) for p in picks], dtype="int32")
    got = pd.Series(text_from_codes(texts, codes))
    want = pd.Series(np.array([texts[c] if c >= 0 else None for c in codes] + [""], object)[:-1])
    if (codes >= 0).any():  # (a column of only missing cells is not text to pandas)
        pd.testing.assert_series_equal(got, want, check_exact=True)
