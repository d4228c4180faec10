"""The one scoring engine: every instrument is scored by the same code.

Pipeline (all steps vectorised over whole columns):

1. match columns to items (:mod:`indeks.scoring.columns`);
2. coerce answers to codes, recording invalid cells as issues (:mod:`indeks.scoring.coerce`);
3. turn "pre-reversed" printed numbers back into answer positions (per data source);
4. reverse-key on the declared scale (``min + max - x``);
5. eligibility, form and missing-data rules -> scored or rejected with a reason;
6. domain scores (method, minimum answered, raw multiplier, linear transform);
7. index (weighted mean with exact weights, mean of domains, or pooled points);
8. conversion and category lookup on the value rounded half-up at the table's precision;
9. group summaries at the definition's aggregation level.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Unpack

import numpy as np
import pandas as pd

from indeks.errors import ScoringInputError
from indeks.i18n import label_of
from indeks.instruments import resolve_instrument
from indeks.instruments.model import CategoryTable, Instrument
from indeks.io.read_common import ROW_INDEX
from indeks.messages import message
from indeks.numbers import round_half_up
from indeks.scoring.coerce import coerce_codes, norm_label, typed_labels
from indeks.scoring.columns import ColumnMatch, match_columns
from indeks.scoring.issues import IssueLog
from indeks.scoring.labels import labels_table, with_user_labels
from indeks.scoring.meta import score_meta, stamp_frames
from indeks.scoring.options import OptionKeywords, ScoringOptions
from indeks.scoring.result import ScoreResult
from indeks.scoring.rows import Excluded, find_excluded
from indeks.scoring.stats_merge import (
    UnitGroups,
    exact_weights,
    factorize_runs,
    part_stats,
    stat_blocks,
    summary_frame,
    summary_levels,
    unit_codes,
)
from indeks.scoring.texts import text_from_codes


# ---------------------------------------------------------------------------------
# preparation, in named steps, each returning a small result:
#   options -> columns -> coercion -> forms -> eligibility -> missing rule -> ids
@dataclass
class Prepared:
    """Everything the scoring steps need, built by :func:`prepare`."""

    inst: Instrument
    rule: str
    n: int
    columns: list  # k small-integer arrays of keyed codes, 0 where the item is not usable
    valid: list  # k bool arrays: the item holds a usable answer (in the row's form)
    rejected: np.ndarray  # bool
    reason_masks: dict[str, np.ndarray]
    ids: np.ndarray
    row_numbers: np.ndarray
    forms: Any  # form id per row as a text column (missing when unknown), or None
    units: np.ndarray | None
    groups: pd.DataFrame
    match: ColumnMatch
    log: IssueLog
    pre_reversed: tuple[str, ...] = ()
    form_code: np.ndarray | None = None  # int8 per row: position in inst.forms, -1 unknown
    item_form: np.ndarray | None = None  # int8 per item: position of its form in inst.forms
    user_labels: list = field(default_factory=list)  # the user's answer-label statements
    kept: dict = field(default_factory=dict)  # other input columns copied to respondents
    # the units as group codes and their distinct values (see stats_merge.unit_groups)
    unit_groups: UnitGroups | None = None
    # 64-bit hash of each row's id key (0: empty id), None when not computed (ids_step)
    id_hashes: np.ndarray | None = None

    @property
    def in_form(self) -> np.ndarray | None:
        """(n, k) bool: the item belongs to the row's form (None with one form)."""
        if self.form_code is None or self.item_form is None:
            return None
        return self.form_code[:, None] == self.item_form[None, :]

    def items_in_form(self, item_positions, rows: np.ndarray | None = None) -> np.ndarray | int:
        """How many of the given items each row's form contains (an int with one form);
        ``rows``: only at these row positions."""
        J = list(item_positions)
        if self.form_code is None or self.item_form is None:
            return len(J)
        nf = len(self.inst.forms)
        per_form = np.bincount(self.item_form[J], minlength=nf)
        table = np.append(per_form, 0).astype("int32")  # code -1 (unknown form) -> 0
        return table[self.form_code if rows is None else self.form_code[rows]]


@dataclass(frozen=True)
class ResolvedOptions:
    """Step 0: the options checked against the definition."""

    options: ScoringOptions
    rule: str
    pre_reversed: tuple[str, ...]
    group_by: list[str] | None


def resolve_options(inst: Instrument, options: ScoringOptions) -> ResolvedOptions:
    rule = options.missing_rule or inst.missing_rules[0]
    if rule not in inst.missing_rules:
        raise ValueError(
            f"unknown missing-data rule {rule!r} for {inst.id}; choose one of {', '.join(inst.missing_rules)}"
        )
    pr = options.pre_reversed
    if isinstance(pr, dict):  # a dict not keyed by waves: its keys name the items
        pr = tuple(pr)
    pre_reversed = tuple(str(p).strip().lower() for p in (pr or ()))
    for p in pre_reversed:
        if p not in inst.item_ids:
            raise ValueError(f"pre_reversed names {p!r}, which is not an item of {inst.id}")
    return ResolvedOptions(options, rule, pre_reversed, list(options.group_by) or None)


def match_step(inst: Instrument, data: pd.DataFrame, ro: ResolvedOptions) -> ColumnMatch:
    """Step 1: which column is which item, id, group, form, unit, eligibility column."""
    o = ro.options
    match = match_columns(
        inst,
        data.columns,
        mapping=o.mapping,
        id_column=o.id_column,
        group_by=ro.group_by,
        form_column=o.form_column,
        unit_column=o.unit_column,
    )
    if not match.items:
        lang = o.lang
        heads = ", ".join(str(c) for c in list(data.columns)[:8]) or message("none", lang)
        raise ScoringInputError(
            message(
                "no_item_column",
                lang,
                instrument=inst.id,
                columns=heads,
                expected=", ".join(inst.item_ids[:4]),
            )
            + _other_sheets(data, lang)
        )
    return match


def _other_sheets(data: pd.DataFrame, lang: str) -> str:
    """The workbook's sheet names when the data came from one of several sheets."""
    sheets = data.attrs.get("sheets") or ()
    if len(sheets) < 2:
        return ""
    listing = ", ".join(f"'{x}'" for x in sheets)
    return message("other_sheets", lang, sheet=data.attrs.get("sheet", ""), sheets=listing)


@dataclass
class ItemAnswers:
    """Step 2: one keyed code array (small integers, 0 where not usable) and one
    validity mask per item."""

    columns: list[np.ndarray]
    valid: list[np.ndarray]
    # rows with at least one invalid (not blank) item cell: an issue was recorded for it
    flagged: np.ndarray | None = None  # None: not known
    _answered: np.ndarray | None = None

    def answered(self) -> np.ndarray:
        """Usable answers per row (counted once, kept until ``valid`` changes)."""
        if self._answered is None:
            n = len(self.columns[0]) if self.columns else 0
            self._answered = _count_answered(self.valid, n)
        return self._answered

    def set(self, columns: list[np.ndarray], valid: list[np.ndarray]) -> None:
        self.columns, self.valid, self._answered = columns, valid, None


def coerce_step(
    inst: Instrument,
    data: pd.DataFrame,
    match: ColumnMatch,
    pre_reversed: tuple[str, ...],
    log: IssueLog,
) -> ItemAnswers:
    """Answers -> codes (issues for invalid cells), pre-reversed numbers turned back,
    negatively worded items reverse-keyed on the declared scale."""
    n = len(data)
    k = len(inst.items)
    empty = np.zeros(n, dtype=np.int8)
    empty.flags.writeable = False
    none = np.zeros(n, bool)
    none.flags.writeable = False
    columns: list[np.ndarray] = [empty] * k  # one array per item; never modified in place
    valid: list[np.ndarray] = [none] * k
    for item_id, close in match.missing.items():
        log.add_general("missing_item_column", item=item_id, close=", ".join(close) or "-")
    for item_id, cands in match.ambiguous.items():
        log.add_general("ambiguous_column", item=item_id, value=", ".join(cands))
    if match.item_like:
        better = match.better_instrument
        hint = ""
        if better is not None:
            hint = " " + message("better_instrument", log.lang, id=better[0], n=better[1])
        log.add_general(
            "extra_item_column", item=inst.id, value=", ".join(match.item_like), close=hint
        )
    problem_rows: list[np.ndarray] = []
    for j, it in enumerate(inst.items):
        col = match.items.get(it.id)
        if col is None:
            continue
        scale = inst.scales[it.scale]
        co = coerce_codes(data[col], it, scale)
        for code, pos, vals in co.problems:
            log.add(code, pos, column=col, item=it.id, values=vals, min=scale.min, max=scale.max)
            problem_rows.append(pos)
        ok = co.valid
        x = co.codes  # small integers, 0 where not usable (``valid`` says which)
        flip = scale.min + scale.max
        if it.id in pre_reversed:
            num = ok if co.from_number is None else co.from_number & ok
            x = np.where(num, flip - x, x).astype(x.dtype, copy=False)
        if it.reverse:
            x = np.subtract(flip, x, dtype=x.dtype)
            x *= ok
        columns[j] = x
        valid[j] = ok
    flagged = np.zeros(n, bool)
    for pos in problem_rows:
        flagged[pos] = True
    return ItemAnswers(columns, valid, flagged)


@dataclass
class FormAssignment:
    """Step 3: the form of each row as a small integer code (-1: unknown)."""

    code: np.ndarray  # int8 per row
    item_form: np.ndarray  # int8 per item
    unknown: np.ndarray  # bool per row

    def form_ids(self, inst: Instrument) -> np.ndarray | pd.api.extensions.ExtensionArray:
        """Form id per row (missing when unknown), as the text column a frame holds."""
        return text_from_codes(list(inst.forms), self.code)


def forms_step(
    inst: Instrument, data: pd.DataFrame, match: ColumnMatch, answers: ItemAnswers, log: IssueLog
) -> FormAssignment | None:
    """Each row's form from the form column (None for one-form instruments); items
    outside a row's form become not answered (``answers`` is updated)."""
    if len(inst.forms) <= 1:
        return None
    if match.form_column is None:
        raise ScoringInputError(
            message(
                "no_form_column",
                log.lang,
                instrument=inst.id,
                forms=", ".join(inst.forms),
                aliases=", ".join(inst.form_aliases),
            )
        )
    form_list = list(inst.forms)
    raw_forms = data[match.form_column]
    codes_idx, uniques = pd.factorize(raw_forms, use_na_sentinel=True)
    lookup = {}
    for fi, (fid, f) in enumerate(inst.forms.items()):
        for v in (fid,) + f.values:
            lookup[norm_label(v)] = fi
    u_code = np.array([lookup.get(norm_label(u), -1) for u in uniques] + [-1], dtype="int8")
    code = u_code[codes_idx]  # the NaN sentinel -1 picks the appended -1
    unknown = code < 0
    if unknown.any():
        pos = np.flatnonzero(unknown)
        log.add(
            "unknown_form",
            pos,
            column=match.form_column,
            values=raw_forms.to_numpy(dtype=object)[pos],
            close=", ".join(inst.forms),
        )
    item_form = np.array([form_list.index(it.form) for it in inst.items], dtype="int8")
    row_is = [code == f for f in range(len(form_list))]
    row_not = [~r for r in row_is]
    columns, valid = list(answers.columns), list(answers.valid)
    for j, (codes_j, ok_j) in enumerate(zip(columns, valid, strict=True)):
        form_no = int(item_form[j])
        if (ok_j & row_not[form_no]).any():  # an answer outside the row's form: not used
            columns[j] = codes_j * row_is[form_no]  # codes are 0 wherever ``valid`` is False
            valid[j] = ok_j & row_is[form_no]
    answers.set(columns, valid)
    return FormAssignment(code, item_form, unknown)


# a number with an optional year unit, as ages are typed: "15", "15,5", "16 th", "15 tahun"
_AGE_TEXT = r"^\s*(\d+(?:[.,]\d+)?)\s*(?:tahun|thn|th|tah|yrs|years?|y)?\.?\s*$"


def _numbers_with_unit(raw: pd.Series) -> pd.Series:
    """Numbers from text cells; a year unit after the number is allowed ("16 th"),
    any other text (``"15 bulan"``, ``"lima belas"``) is not a number (NaN)."""
    num = raw.astype(str).str.extract(_AGE_TEXT, flags=re.IGNORECASE)[0]
    return pd.to_numeric(num.str.replace(",", ".", regex=False), errors="coerce")


def eligibility_step(
    inst: Instrument, data: pd.DataFrame, match: ColumnMatch, lang: str, log: IssueLog
) -> np.ndarray:
    """Rows outside the definition's eligibility bounds (or with no value)."""
    n = len(data)
    inelig = np.zeros(n, bool)
    for e in inst.eligibility:
        col = match.eligibility.get(e.id)
        label = label_of(e, lang)
        lo = "" if e.min is None else f"{e.min:g}"
        hi = "" if e.max is None else f"{e.max:g}"
        if col is None:
            log.add_general(
                "missing_eligibility_column",
                item=e.column,
                label=label,
                close=", ".join(match.eligibility_missing.get(e.id, [])) or "-",
            )
            inelig[:] = True
            continue
        raw = data[col]
        vals = (
            _numbers_with_unit(raw)
            if not pd.api.types.is_numeric_dtype(raw.dtype)
            else raw.astype("float64")
        )
        v = vals.to_numpy(dtype="float64", na_value=np.nan)
        bad = np.isnan(v)
        if e.min is not None:
            bad |= v < e.min
        if e.max is not None:
            bad |= v > e.max
        if bad.any():
            pos = np.flatnonzero(bad)
            log.add(
                "ineligible",
                pos,
                column=col,
                item=e.id,
                values=raw.to_numpy(dtype=object)[pos],
                label=label,
                min=lo,
                max=hi,
            )
        inelig |= bad
    return inelig


def missing_rule_step(
    inst: Instrument,
    rule: str,
    answers: ItemAnswers,
    forms: FormAssignment | None,
    already: np.ndarray,
    log: IssueLog,
) -> np.ndarray:
    """Rows with fewer answered items than the assessment's rule asks (not already
    rejected for another reason)."""
    answered = answers.answered()
    if forms is not None:
        u_need = np.array([f.min_answered[rule] for f in inst.forms.values()] + [0], dtype="int64")
        need = np.maximum(u_need[forms.code], 1)
    else:  # one form: one minimum for every row
        need = max(inst.assessment_min_answered[rule], 1)
    too_few = answered < need
    too_few &= ~already
    if too_few.any():
        pos = np.flatnonzero(too_few)
        need_at = np.broadcast_to(need, answered.shape)[pos]
        for need_value in np.unique(need_at):
            sel = pos[need_at == need_value]
            log.add("too_many_missing", sel, values=answered[sel], min=int(need_value), rule=rule)
    return too_few


def _column_values(col: pd.Series, dtype=None):
    """A column's values for the respondents table: a text column as its own (Arrow)
    array, which the table keeps as is, instead of a Python string per cell that the
    table would turn back into the same text column."""
    if isinstance(col.dtype, pd.StringDtype):
        return col.array
    return col.to_numpy(dtype=dtype)


def _whole_number_keys(id_series: pd.Series, form_codes: np.ndarray | None) -> np.ndarray | None:
    """For ids of an integer column (no empty id), per form when ``form_codes`` is given
    (-1: unknown form): one integer code per distinct (id, form), the same grouping as the
    keys of :func:`indeks.scoring.ids.duplicate_key_text` (a whole number's key is its
    integer text); None for any other column."""
    if not pd.api.types.is_integer_dtype(id_series.dtype) or id_series.hasnans:
        return None
    v = id_series.to_numpy()
    if v.dtype.kind not in "iu" or not v.size or max(abs(int(v.min())), abs(int(v.max()))) >= 2**53:
        return None  # keys of numbers beyond 2**53 are the float's text
    runs = factorize_runs(v)
    code = runs[0] if runs is not None else pd.factorize(v)[0]
    code = code.astype("int64", copy=False)
    if form_codes is not None:  # form codes are -1..nf-1
        slots = int(form_codes.max(initial=-1)) + 2
        code = code * slots + (form_codes.astype("int64") + 1)
    return code


def ids_step(
    data: pd.DataFrame,
    match: ColumnMatch,
    form_ids,
    row_numbers: np.ndarray,
    lang: str,
    log: IssueLog,
    form_codes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """(respondent ids, their key hashes): ids 1..n without an id column; empty and
    duplicate ids (per form for multi-form instruments: ``form_ids``, the form id of
    each row) become issues.  Duplicates are found by the 64-bit hash of each id's key
    (:func:`indeks.scoring.ids.duplicate_key_text`) and confirmed on the keys themselves,
    so a shared hash never makes a false duplicate.  The hashes (0 for an empty id; None
    when not computed) let a job in parts find duplicates across parts."""
    from indeks.scoring.ids import duplicate_key_text, key_hashes

    n = len(data)
    if match.id_column is None:
        return np.arange(1, n + 1), None
    ids = _column_values(data[match.id_column])
    if not n:
        return ids, None
    id_series = data[match.id_column].reset_index(drop=True)
    if pd.api.types.is_integer_dtype(id_series.dtype) and not id_series.hasnans:
        v = id_series.to_numpy()
        # increasing whole numbers: every id once, so no duplicate (in any form either)
        if n < 2 or bool((v[1:] > v[:-1]).all()):
            return ids, None
    whole = _whole_number_keys(id_series, form_codes)
    if whole is not None:  # no empty id; the key of each row as an integer code
        hashes = None
        cand = np.arange(n)
        code = whole
    else:
        text, empty = duplicate_key_text(id_series, form_ids)
        if empty.any():
            log.add("missing_id", np.flatnonzero(empty), column=match.id_column)
        hashes = key_hashes(text, empty)
        hcode, _ = pd.factorize(hashes)
        shared = np.bincount(hcode)[hcode] > 1
        shared &= ~empty
        if not shared.any():
            return ids, hashes
        cand = np.flatnonzero(shared)
        # the rows that share a hash, compared on their keys: one code per distinct key
        taken = text.take(cand).to_numpy(zero_copy_only=False)
        code = pd.factorize(np.asarray(taken, dtype=object))[0]
    dup = np.bincount(code)[code] > 1
    if dup.any():
        pos, code = cand[dup], code[dup]
        # rows of each duplicated id, joined once per distinct id
        order = np.argsort(code, kind="stable")
        c_sorted = code[order]
        starts = np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]])
        rows_s = row_numbers[pos[order]].astype(str)
        texts = {
            int(c_sorted[s]): ", ".join(rows_s[s:e])
            for s, e in zip(starts, np.r_[starts[1:], len(order)], strict=True)
        }
        rows_text = [texts[int(c)] for c in code]
        vals = id_series.iloc[pos].astype(str).to_numpy()
        from indeks.scoring.issues import message as issue_message

        msgs = [
            issue_message("duplicate_id", lang, value=v, close=r)
            for v, r in zip(vals, rows_text, strict=True)
        ]
        log.add("duplicate_id", pos, column=match.id_column, values=vals, messages=msgs)
    return ids, hashes


def prepare(
    instrument,
    data: pd.DataFrame,
    id_column: str | None = None,
    group_by=None,
    *,
    options: ScoringOptions | None = None,
    **kwargs,
) -> Prepared:
    """Run the preparation steps on ``data``; see :class:`ScoringOptions` for the options."""
    opts = ScoringOptions.merged(options, id_column=id_column, group_by=group_by, **kwargs)
    inst = resolve_instrument(instrument).with_transform_rule(opts.transform_rule)
    inst, user_labels = with_user_labels(inst, opts.labels)
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data must be a pandas DataFrame (use indeks.read_responses for files)")
    ro = resolve_options(inst, opts)
    lang = opts.lang
    match = match_step(inst, data, ro)
    n = len(data)
    log = IssueLog(lang)
    row_numbers = _row_numbers(data)

    answers = coerce_step(inst, data, match, ro.pre_reversed, log)
    excluded = find_excluded(
        inst, data, match, answers.valid, answered=answers.answered(), flagged=answers.flagged
    )
    if excluded is not None:  # rows that are not respondents: out before anything counts them
        data, row_numbers, log, answers = _drop_rows(inst, data, match, ro, excluded, lang)
        n = len(data)
    log_excluded(log, data, excluded)
    forms = forms_step(inst, data, match, answers, log)
    reason_masks: dict[str, np.ndarray] = {}
    if forms is not None and forms.unknown.any():
        reason_masks["unknown_form"] = forms.unknown
    inelig = eligibility_step(inst, data, match, lang, log)
    if inelig.any():
        reason_masks["ineligible"] = inelig
    already = np.zeros(n, bool)
    for m in reason_masks.values():
        already |= m
    too_few = missing_rule_step(inst, ro.rule, answers, forms, already, log)
    if too_few.any():
        reason_masks["too_many_missing"] = too_few
    rejected = already | too_few
    form_ids = forms.form_ids(inst) if forms is not None else None
    form_codes = forms.code if forms is not None else None
    ids, id_hashes = ids_step(data, match, form_ids, row_numbers, lang, log, form_codes)

    groups = (
        typed_labels(data[match.groups]).reset_index(drop=True)
        if match.groups
        else pd.DataFrame(index=range(n))
    )
    unit_groups = unit_codes(data[match.unit_column]) if match.unit_column else None
    units = None
    if unit_groups is not None:
        units = unit_groups.values()
    elif match.unit_column:
        units = data[match.unit_column].to_numpy(dtype=object)
    # declared group columns present in the data (unit, layanan, kelurahan...) stay in
    # the respondents table even when the summary is not grouped by them
    kept = {c: _column_values(data[c], dtype=object) for c in match.declared_groups}
    return Prepared(
        inst=inst,
        rule=ro.rule,
        n=n,
        columns=answers.columns,
        valid=answers.valid,
        rejected=rejected,
        reason_masks=reason_masks,
        ids=ids,
        row_numbers=row_numbers,
        forms=form_ids,
        units=units,
        groups=groups,
        match=match,
        log=log,
        pre_reversed=ro.pre_reversed,
        form_code=forms.code if forms is not None else None,
        item_form=forms.item_form if forms is not None else None,
        user_labels=user_labels,
        kept=kept,
        unit_groups=unit_groups,
        id_hashes=id_hashes,
    )


def _drop_rows(inst, data, match, ro, excluded: Excluded, lang: str):
    """``data`` without the excluded rows, re-coerced so no issue refers to them."""
    rows = _row_numbers(data)
    keep = ~excluded.mask(len(data))
    excluded.rows = rows[excluded.positions]
    attrs = dict(data.attrs)
    kept = data.loc[keep]
    kept.index = pd.Index(rows[keep], name=ROW_INDEX)  # the rows keep their own numbers
    kept.attrs.update(attrs)
    log = IssueLog(lang)
    answers = coerce_step(inst, kept, match, ro.pre_reversed, log)
    return kept, rows[keep], log, answers


def log_excluded(log: IssueLog, data: pd.DataFrame, excluded: Excluded | None) -> None:
    """Issues for the rows left out before scoring: the reader's blank rows and ``excluded``."""
    blank = data.attrs.get("blank_rows")
    if blank is not None and len(blank):
        log.add_rows("blank_row", blank)
    if excluded is not None and excluded.rows is not None:
        for code in dict.fromkeys(excluded.codes):
            sel = [i for i, c in enumerate(excluded.codes) if c == code]
            log.add_rows(code, excluded.rows[sel], [excluded.values[i] for i in sel])


def _row_numbers(data: pd.DataFrame) -> np.ndarray:
    """The row each data row has in its file, for messages.

    Frames from :func:`indeks.read_responses` carry the numbers in their index (named
    ``source_row``), which survives slicing, filtering and concatenation. A frame read
    from a file whose index was replaced (``reset_index``) has lost them: a
    ``UserWarning`` says so and rows are numbered 1..n, as for a frame built in code.
    """
    idx = data.index
    if idx.name == ROW_INDEX and pd.api.types.is_integer_dtype(idx.dtype):
        return idx.to_numpy(dtype="int64")
    if data.attrs.get("source"):
        warnings.warn(
            f"the row numbers of {data.attrs['source']} were lost (its index was replaced); "
            "problems are reported on rows 1..n of the frame. Filter without resetting the "
            f"index (named {ROW_INDEX!r}) to keep them.",
            UserWarning,
            stacklevel=4,
        )
    return np.arange(1, len(data) + 1, dtype="int64")


def _count_answered(valid: list[np.ndarray], n: int) -> np.ndarray:
    """Answered items per row, one column at a time (the smallest type that holds them)."""
    cnt = np.zeros(n, dtype="uint8" if len(valid) < 256 else "int32")
    for v in valid:
        cnt += v
    return cnt


def keyed_items(
    instrument, data: pd.DataFrame, *, options: ScoringOptions | None = None, **kwargs
) -> tuple[pd.DataFrame, Prepared]:
    """Reverse-keyed item values (one column per item id), NaN where not usable.

    Rows rejected by the assessment rules are NaN throughout.  Used by reliability.
    """
    prep = prepare(instrument, data, options=options, **kwargs)
    keyed = {
        i: np.where(prep.rejected | ~v, np.nan, c)
        for i, c, v in zip(prep.inst.item_ids, prep.columns, prep.valid, strict=True)
    }
    return pd.DataFrame(keyed, index=range(prep.n)), prep


# ---------------------------------------------------------------------------------
# scores
def combine_index(inst: Instrument, dom_values: dict[str, np.ndarray]) -> np.ndarray:
    """The index from domain values (respondent level, or group level for pooled item means)."""
    spec = inst.index
    if spec is None:
        raise ValueError(f"{inst.id} has no index")
    a, L = exact_weights(spec.weights)
    acc: np.ndarray | None = None
    term = None
    items = list(a.items())
    if len(items) >= 2 and items[0][1] == 1 and items[1][1] == 1:  # v0.copy(); += v1 at once
        v0 = np.asarray(dom_values[items[0][0]], dtype="float64")
        v1 = np.asarray(dom_values[items[1][0]], dtype="float64")
        if v0.ndim == 1 and v0.shape == v1.shape:
            acc = np.add(v0, v1)
            items = items[2:]
    for d, ai in items:
        v = np.asarray(dom_values[d], dtype="float64")
        if acc is None:
            acc = v * ai if ai != 1 else v.copy()
            continue
        if ai != 1:  # the same operations as acc + v * ai, in place
            term = np.multiply(
                v, ai, out=term if term is not None and term.shape == v.shape else None
            )
            acc += term
        else:
            acc += v
    assert acc is not None
    acc /= L
    return acc


def category_index(table: CategoryTable, values) -> np.ndarray:
    """Band position of each value (-1 for none), looked up on the value rounded
    half-up at the table's precision."""
    thresholds = np.array([float(b.min) for b in table.bands])
    last = table.bands[-1]
    top = None if last.max is None else float(last.max) + 1e-12
    cuts = _band_cutoffs(tuple(thresholds.tolist()), top, table.precision)
    if cuts is not None:  # compare the values themselves with the cutoffs (no rounding pass)
        v = np.atleast_1d(np.asarray(values, dtype="float64"))
        lows, high = cuts
        pos = np.full(v.shape, -1, dtype="int8")
        hit = np.empty(v.shape, dtype=bool)
        for c in lows:
            np.greater_equal(v, c, out=hit)
            pos += hit.view("int8")
        if high is not None:
            np.greater(v, high, out=hit)
            np.putmask(pos, hit, -1)
        return pos  # NaN is at or above no cutoff: -1
    v = np.atleast_1d(round_half_up(np.asarray(values, dtype="float64"), table.precision))
    pos = np.searchsorted(thresholds, v, side="right").astype("int64")
    pos -= 1
    if top is not None:
        pos[v > top] = -1
    pos[np.isnan(v)] = -1
    return pos


_SIGN_OFF = 0x7FFF_FFFF_FFFF_FFFF


def _float_at(key: int) -> float:
    """The float at ``key`` in the order of all floats (-0.0 at -1, 0.0 at 0)."""
    bits = key ^ _SIGN_OFF if key < 0 else key
    return float(np.array([bits], dtype="int64").view("float64")[0])


def _key_of(x: float) -> int:
    bits = int(np.array([x], dtype="float64").view("int64")[0])
    return bits ^ _SIGN_OFF if bits < 0 else bits


def _first_key(reach, lo: int, hi: int) -> int:
    """The smallest key in lo..hi whose float satisfies ``reach`` (``reach`` is False,
    then True from some key on; True at ``hi``)."""
    while lo < hi:
        mid = (lo + hi) // 2
        if reach(_float_at(mid)):
            hi = mid
        else:
            lo = mid + 1
    return lo


@functools.lru_cache(maxsize=256)
def _band_cutoffs(
    thresholds: tuple[float, ...], top: float | None, precision: int
) -> tuple[list[float], float | None] | None:
    """Cutoffs on the unrounded value for a few ascending thresholds: ``v >= lows[i]``
    exactly when ``round_half_up(v, precision) >= thresholds[i]``, and ``v > high`` exactly
    when the rounded value is above ``top``; None: look up by rounding.

    Rounding half-up is non-decreasing in ``v`` (each of its steps is), so the floats whose
    rounded value reaches a threshold are all those from the smallest such float up; that
    float is found by bisection over the floats in order (64 steps), once per table."""
    edges = thresholds + (() if top is None else (top,))
    if len(thresholds) > 8 or not all(np.isfinite(edges)):
        return None
    if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
        return None

    def rounded(x: float) -> float:
        return float(round_half_up(x, precision))

    first, last = _key_of(-np.inf), _key_of(np.inf)  # rounded(inf) = inf
    lows = [_float_at(_first_key(lambda x, t=t: rounded(x) >= t, first, last)) for t in thresholds]
    high = None
    if top is not None:  # v > high exactly when rounded(v) > top
        k = _first_key(lambda x: rounded(x) > top, first, last)
        if k == first:
            return None
        high = _float_at(k - 1)
    return lows, high


@functools.lru_cache(maxsize=256)
def _category_dtype(cats: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(cats))


def categorize(table: CategoryTable, values, lang: str = "id"):
    """(labels, codes) of ``values``, looked up on the value rounded half-up at the table's
    precision: ``pandas.Categorical`` when labels (codes) are distinct, else object arrays;
    missing (NaN / None) where no band applies."""
    idx = category_index(table, values)
    labels = [label_of(b, lang) for b in table.bands]
    codes = [b.code for b in table.bands]
    out = []
    own = True  # each Categorical gets its own codes (they may be changed in place)
    for cats in (labels, codes):
        if len(set(cats)) == len(cats):
            if idx.dtype == np.int8 and len(cats) < 127:  # codes from the lookup: valid int8
                dtype = _category_dtype(tuple(cats))
                out.append(
                    pd.Categorical.from_codes(
                        idx if own else idx.copy(), dtype=dtype, validate=False
                    )
                )
                own = False
            else:
                out.append(pd.Categorical.from_codes(idx, categories=cats))
        else:
            out.append(np.array(cats + [None], dtype=object)[idx])
    return out


@dataclass
class _Parts:
    """Per-row pieces from which both respondent scores and group values are built."""

    value: dict[str, np.ndarray]  # domain id -> final domain score (NaN when not computed)
    raw: dict[str, np.ndarray]
    points: dict[str, np.ndarray]  # sum of answered keyed values
    maxpts: dict[str, np.ndarray]  # sum of scale max over answered items
    index: np.ndarray | None
    index_points: np.ndarray | None
    index_max: np.ndarray | None
    # the integer pieces each domain value is made of (for exact, mergeable group statistics)
    sums: dict[str, np.ndarray] = field(default_factory=dict)  # sum of answered keyed codes
    counts: dict[str, np.ndarray] = field(default_factory=dict)  # answered items
    n_in: dict[str, np.ndarray | int] = field(default_factory=dict)  # items in the row's form
    maxes: dict[str, np.ndarray | None] = field(default_factory=dict)  # sum of scale max
    # where a domain has a value (``~isnan(value)``), for the domains where it is known
    # without looking at the values
    has: dict[str, np.ndarray] = field(default_factory=dict)


def _sum_dtype(bound: int) -> np.dtype:
    """The smallest signed integer type that holds sums up to ``bound`` in magnitude."""
    for dt in (np.int16, np.int32):
        if bound <= np.iinfo(dt).max:
            return np.dtype(dt)
    return np.dtype(np.int64)


def _add_arrays(arrays: list[np.ndarray]) -> np.ndarray:
    """Sum of integer arrays in a type that holds any sum of their types' values (int32
    for a few small-integer arrays, else int64)."""

    def largest(a: np.ndarray) -> int:
        if a.dtype.kind not in "iu":
            return 2**63
        info = np.iinfo(a.dtype)
        return max(-int(info.min), int(info.max))

    acc = arrays[0].astype("int32" if sum(map(largest, arrays)) < 2**31 else "int64")
    for a in arrays[1:]:
        acc += a
    return acc


def _domain_sums(prep: Prepared, J: list[int], needs_max: bool):
    """(answered count, code sum, maximum points or None) per row of the items ``J``, as
    small integers (an unusable item's code is 0)."""
    inst = prep.inst
    scales = [inst.scales[inst.items[j].scale] for j in J]
    if len(J) == 1 and not needs_max:  # one item: its own codes and validity
        return prep.valid[J[0]].view("uint8"), prep.columns[J[0]], None
    cnt = _count_answered([prep.valid[j] for j in J], prep.n)
    bound = sum(max(abs(int(sc.min)), abs(int(sc.max))) for sc in scales)
    s = np.zeros(prep.n, dtype=_sum_dtype(bound))
    for j in J:
        s += prep.columns[j]
    mx = None
    if needs_max:
        maxes = {int(sc.max) for sc in scales}
        if len(maxes) == 1:  # one scale: maximum points = answered items x its maximum
            mx = cnt.astype(s.dtype) * maxes.pop()
        else:
            mx = np.zeros(prep.n, dtype=s.dtype)
            for j, sc in zip(J, scales, strict=True):
                mx += prep.valid[j] * s.dtype.type(int(sc.max))
    return cnt, s, mx


def _domain_scores(prep: Prepared) -> _Parts:
    inst, rule = prep.inst, prep.rule
    items = inst.items
    pos = {it.id: j for j, it in enumerate(items)}
    ok_row = ~prep.rejected
    all_ok = not prep.rejected.any()
    value, raw, points, maxpts = {}, {}, {}, {}
    sums, counts, n_ins, maxes = {}, {}, {}, {}
    # domains whose value is NaN exactly where ``ok`` is False (a finite value elsewhere)
    has: dict[str, np.ndarray] = {}
    pooled_index = inst.index is not None and inst.index.method == "percent_of_points"
    keep_points = inst.aggregation.method == "pool_points" or pooled_index
    for d in inst.domains:
        needs_max = d.method == "percent_of_points" or keep_points
        J = [pos[i] for i in d.items]
        cnt, s, mx = _domain_sums(prep, J, needs_max)
        if prep.form_code is not None:
            n_in = prep.items_in_form(J)
            need = np.minimum(d.min_answered[rule], n_in)
            ok = ok_row & (n_in > 0) & (cnt >= need) & (cnt > 0)
        else:
            n_in = len(J)
            ok = cnt >= max(min(d.min_answered[rule], n_in), 1)
            if not all_ok:
                ok &= ok_row
        # one item, answered or not (0 or 1 answered): the mean, and the prorated sum, is
        # its code where answered
        one_code = len(J) == 1 and d.method in ("mean", "sum")
        with np.errstate(invalid="ignore", divide="ignore"):
            if one_code:
                v = s.astype("float64")
            elif d.method == "percent_of_points":
                v = s / mx
                v *= 100.0
            else:
                v = s / cnt
                if d.method == "sum":
                    v *= n_in  # prorated: the mean of answered items stands in for a missing one
                elif d.method == "percent_of_max":
                    sc = inst.scales[items[J[0]].scale]
                    v = (v - sc.min) * (100.0 / (sc.max - sc.min))
        if d.raw_multiply != 1:
            v *= float(d.raw_multiply)
        every = bool(ok.all())
        if not every:
            np.putmask(v, ~ok, np.nan)
        if d.transform is None and d.method in ("mean", "sum"):  # finite wherever ok
            has[d.id] = ok
        if d.transform is not None:
            v = d.transform.prepare(v)  # a named rule may round the raw score first
        final = d.transform.apply(v) if d.transform is not None else v
        value[d.id] = final
        raw[d.id] = v
        sums[d.id], counts[d.id], n_ins[d.id], maxes[d.id] = s, cnt, n_in, mx
        if keep_points:
            points[d.id] = s if all_ok else np.where(ok_row, s, 0)
            maxpts[d.id] = mx if all_ok else np.where(ok_row, mx, 0)
        # a one-item domain that is empty is explained by its item (blank, or an invalid-value issue)
        if len(J) > 1 and not every:
            not_done = ~ok if all_ok else ok_row & ~ok
            if prep.form_code is not None:
                not_done &= n_in > 0
            if not_done.any():
                p = np.flatnonzero(not_done)
                prep.log.add(
                    "domain_not_computed",
                    p,
                    item=d.id,
                    values=cnt[p],
                    min=d.min_answered[rule],
                    rule=rule,
                )

    index = index_points = index_max = None
    spec = inst.index
    if spec is not None:
        doms = list(spec.weights)
        if spec.method == "percent_of_points":
            index_points = _add_arrays([points[d] for d in doms])
            index_max = _add_arrays([maxpts[d] for d in doms])
            with np.errstate(invalid="ignore", divide="ignore"):
                index = index_points / index_max
                index *= 100.0
                np.putmask(index, ~(ok_row & (index_max > 0)), np.nan)
        else:
            if spec.method == "mean":
                index = sum(value[d] for d in doms) / len(doms)
            else:
                index = combine_index(inst, value)
            # report respondents whose index is empty because a domain they could answer is
            # empty: NaN propagates through the index, so only rows with an empty index are
            # examined (the domains are looked at on those rows alone)
            cand = np.isnan(index)
            if not all_ok:
                cand &= ok_row
            p = np.flatnonzero(cand)
            empties = {}
            for dom_id in doms if p.size else ():
                empty = ~has[dom_id][p] if dom_id in has else np.isnan(value[dom_id][p])
                if prep.form_code is not None:
                    J = [pos[i] for i in inst.domain(dom_id).items]
                    empty &= prep.items_in_form(J, rows=p) > 0
                if empty.any():
                    empties[dom_id] = empty
            if empties:
                # one bit per empty domain; the names written once per combination
                bits = np.zeros(p.size, dtype="uint16" if len(empties) <= 16 else "int64")
                for b, e in enumerate(empties.values()):
                    bits |= np.left_shift(e, b, dtype=bits.dtype)
                keep = np.flatnonzero(bits)
                if keep.size < p.size:
                    p, bits = p[keep], bits[keep]
                present = np.bincount(bits) if len(empties) <= 16 else None
                if present is not None:
                    combos = np.flatnonzero(present)
                    slot = np.zeros(present.size, dtype="int64")
                    slot[combos] = np.arange(combos.size)
                    which = slot[bits]
                else:
                    combos, which = np.unique(bits, return_inverse=True)
                doms_empty = list(empties)
                texts = [
                    ", ".join(name for b, name in enumerate(doms_empty) if int(c) >> b & 1)
                    for c in combos
                ]
                names = pd.Categorical.from_codes(which.reshape(-1), categories=texts)
                prep.log.add("index_incomplete", p, values=names)
    return _Parts(
        value, raw, points, maxpts, index, index_points, index_max, sums, counts, n_ins, maxes, has
    )


def _converted(conversion, x):
    """``conversion.apply(x)`` (``x * multiply + add``), the addition in place for an array."""
    if isinstance(x, np.ndarray) and x.ndim:
        y = x * float(conversion.multiply)
        y += float(conversion.add)
        return y
    return conversion.apply(x)


def _add_scores(
    out: dict,
    inst: Instrument,
    dom: dict,
    index,
    lang: str,
    with_raw: dict | None = None,
    domain_categories: bool = True,
):
    for d in inst.domains:
        out[d.id] = dom[d.id]
        if with_raw is not None and d.transform is not None:
            out[f"{d.id}_raw"] = with_raw[d.id]
    if index is not None:
        out["index"] = index
        if inst.conversion is not None:
            out["index_converted"] = _converted(inst.conversion, index)
    for t in inst.categories:
        src = out.get(t.on) if t.on in ("index", "index_converted") else dom.get(t.on)
        if src is None:
            continue
        labels, codes = categorize(t, src, lang)
        suffix = f"_{t.name}" if t.name else ""
        out[f"category{suffix}"] = labels
        out[f"category{suffix}_code"] = codes
        for dom_id in t.domains if domain_categories else ():
            dl, dc = categorize(t, dom[dom_id], lang)
            out[f"{dom_id}_category{suffix}"] = dl
            out[f"{dom_id}_category{suffix}_code"] = dc


def _values_present(small: np.ndarray, size: int) -> np.ndarray:
    """The values (0..size-1) that occur in ``small``, ascending (``numpy.unique``)."""
    if size <= 8:  # a few possible values: a comparison each (bincount widens every row)
        return np.array([v for v in range(size) if (small == v).any()], dtype="int64")
    return np.flatnonzero(np.bincount(small, minlength=1))


def _respondents(prep: Prepared, parts: _Parts, lang: str) -> pd.DataFrame:
    inst = prep.inst
    # reasons as a categorical: one bit per reason code, one category per combination
    codes = [c for c, m in prep.reason_masks.items() if m.any()]
    if len(codes) <= 6:  # a bit per reason in a byte; the combinations present by bincount
        bits = np.zeros(prep.n, dtype="uint8")
        for b, c in enumerate(codes):
            bits |= np.left_shift(prep.reason_masks[c], b, dtype="uint8")
        combos = _values_present(bits, 1 << len(codes))  # ascending, as np.unique
        slot = np.zeros(1 << len(codes), dtype="int8")
        slot[combos] = np.arange(combos.size)
        which = slot[bits]
    else:
        bits = np.zeros(prep.n, dtype="int64")
        for b, c in enumerate(codes):
            bits |= prep.reason_masks[c].astype("int64") << b
        combos = np.unique(bits)
        which = np.searchsorted(combos, bits)
    names = [";".join(c for b, c in enumerate(codes) if int(v) >> b & 1) for v in combos]
    if len(set(names)) == len(names):
        reason = (
            pd.Categorical.from_codes(which, dtype=pd.CategoricalDtype(names), validate=False)
            if which.dtype == np.int8
            else pd.Categorical.from_codes(which, categories=names)
        )
    else:
        reason = np.array(names, dtype=object)[which]
    status = pd.CategoricalDtype(["scored", "rejected"])
    out: dict[str, object] = {
        "respondent_id": prep.ids,
        "row": prep.row_numbers,
        "status": pd.Categorical.from_codes(
            prep.rejected.astype("int8"), dtype=status, validate=False
        ),
        "reason": reason,
    }
    if prep.forms is not None:
        out["form"] = prep.forms
    if prep.units is not None:
        out["unit"] = prep.units
    for g in prep.groups.columns:
        out[g] = prep.groups[g].to_numpy()
    for c, values in prep.kept.items():
        if c not in out:
            out[c] = values
    _add_scores(
        out, inst, parts.value, parts.index, lang, with_raw=parts.raw, domain_categories=False
    )
    return pd.DataFrame(out, copy=False)


def krejcie_morgan(population: int, chi2: float = 3.841, p: float = 0.5, d: float = 0.05) -> int:
    """Krejcie-Morgan sample size, rounded half-up to a whole respondent (100 -> 80, 300 -> 169)."""
    N = float(population)
    s = chi2 * N * p * (1 - p) / (d * d * (N - 1) + chi2 * p * (1 - p))
    return int(round_half_up(s, 0))


def _is_paths(data) -> bool:
    """A file, folder or glob, or a list of them (scored in parts)."""
    if isinstance(data, (str, os.PathLike)):
        return True
    return (
        isinstance(data, (list, tuple))
        and len(data) > 0
        and all(isinstance(x, (str, os.PathLike)) for x in data)
    )


def score(
    instrument,
    data: pd.DataFrame,
    id_column: str | None = None,
    group_by=None,
    *,
    options: ScoringOptions | None = None,
    engine: str = "pandas",
    chunk_rows: int | None = None,
    output=None,
    scheduler=None,
    **kwargs: Unpack[OptionKeywords],
) -> ScoreResult:
    """Score a frame of raw answers with one instrument.

    ``options`` (:class:`indeks.ScoringOptions`) describes the job; the keyword
    arguments are a convenience and, when not ``None``, replace the same option:
    ``missing_rule`` (a rule name of the definition, default its first),
    ``pre_reversed`` (item ids whose *numbers* in this data source are printed reversed),
    ``mapping`` (item id -> column header, or a mapping file path),
    ``population`` (population size for the Krejcie-Morgan sample check, where the
    definition asks for it), ``form_column``/``unit_column`` (multi-form instruments),
    ``lang`` ("id" or "en") for labels and messages.

    ``data`` may also be a path, a folder, a glob or a list of files: they are read and
    scored in parts as one data set (:func:`indeks.scoring.stream.score_files`), with
    ``engine`` ``"pandas"`` (one part per file), ``"stream"`` (parts of ``chunk_rows``
    rows, respondents written to ``output`` as they come) or ``"dask"`` (parts on a
    Dask cluster at ``scheduler``, or a LocalCluster).
    """
    opts = ScoringOptions.merged(options, id_column=id_column, group_by=group_by, **kwargs)
    if engine != "pandas" or _is_paths(data):
        from indeks.scoring.stream import score_files

        return score_files(
            instrument,
            data,
            output,
            chunk_rows=chunk_rows,
            engine=engine,
            scheduler=scheduler,
            options=opts,
        )
    return score_frame(instrument, data, opts)


def score_frame(
    instrument, data: pd.DataFrame, opts: ScoringOptions, *, summaries: bool = True
) -> ScoreResult:
    """:func:`score` of one frame.  ``summaries=False`` (a part of a bigger job, whose
    summary is made once from the merged statistics): the summary and unit tables are
    left empty, the statistics they would be made of are kept."""
    lang = opts.lang
    population = opts.population
    prep = prepare(instrument, data, options=opts)
    inst = prep.inst
    parts = _domain_scores(prep)
    respondents = _respondents(prep, parts, lang)
    group_names = list(prep.groups.columns)
    stats = part_stats(inst, prep.rejected, parts, prep.groups if group_names else None)
    summary = summary_levels(inst, stats, group_names, lang) if summaries else pd.DataFrame()
    units = unit_stats = None
    if prep.units is not None:
        keys = None if prep.unit_groups is not None else pd.DataFrame({"unit": prep.units})
        unit_stats = stat_blocks(inst, prep.rejected, parts, keys, groups=prep.unit_groups)
        units = summary_frame(inst, unit_stats, ["unit"], lang) if summaries else None
    if population is not None and inst.krejcie_morgan and summaries:
        need = krejcie_morgan(population)
        summary["population"] = int(population)
        summary["sample_required"] = need
        summary["sample_adequate"] = summary["n_scored"] >= need
        n_scored = int(summary["n_scored"].iloc[0])
        if n_scored < need:
            prep.log.add_general("sample_too_small", value=n_scored, min=need, max=int(population))
    issues = prep.log.frame(prep.row_numbers, prep.ids)
    warning = inst.provisional_warning_for("score", lang)
    meta = score_meta(
        inst,
        warning,
        missing_rule=prep.rule,
        user_labels=labels_table(prep.user_labels),
        pre_reversed=list(prep.pre_reversed),
        source=data.attrs.get("source", ""),
        lang=lang,
    )
    stamp_frames((respondents, summary, issues, units), inst, warning)
    return ScoreResult(
        inst,
        respondents,
        summary,
        issues,
        prep.match,
        meta,
        units=units,
        stats=stats,
        unit_parts=unit_stats,
        id_hashes=prep.id_hashes,
    )
