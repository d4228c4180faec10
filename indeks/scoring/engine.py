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

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from indeks.errors import ScoringInputError
from indeks.i18n import check_lang
from indeks.instruments import resolve_instrument
from indeks.instruments.model import CategoryTable, Instrument
from indeks.numbers import round_half_up
from indeks.scoring.coerce import coerce_column, norm_label
from indeks.scoring.columns import ColumnMatch, match_columns
from indeks.scoring.issues import IssueLog
from indeks.scoring.result import ScoreResult


# ---------------------------------------------------------------------------------
# preparation: columns -> keyed item matrix, statuses
@dataclass
class Prepared:
    inst: Instrument
    rule: str
    n: int
    columns: (
        list  # k arrays of n keyed item values, NaN = not answered / invalid / not in row's form
    )
    valid: list  # k bool arrays: the item holds a usable answer (= ~isnan of the column)
    in_form: np.ndarray | None  # (n, k) bool, None when the instrument has one form
    rejected: np.ndarray  # bool
    reasons: list[list[str]]  # per code: handled as arrays below
    reason_masks: dict[str, np.ndarray]
    ids: np.ndarray
    row_numbers: np.ndarray
    forms: np.ndarray | None
    units: np.ndarray | None
    groups: pd.DataFrame
    match: ColumnMatch
    log: IssueLog
    pre_reversed: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


def _row_numbers(data: pd.DataFrame) -> np.ndarray:
    rows = data.attrs.get("source_rows")
    if rows is not None and len(rows) == len(data):
        return np.asarray(rows, dtype="int64")
    return np.arange(1, len(data) + 1, dtype="int64")


def prepare(
    instrument,
    data: pd.DataFrame,
    id_column: str | None = None,
    group_by=None,
    *,
    missing_rule: str | None = None,
    pre_reversed=(),
    mapping=None,
    form_column: str | None = None,
    unit_column: str | None = None,
    lang: str = "id",
) -> Prepared:
    inst = resolve_instrument(instrument)
    lang = check_lang(lang)
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data must be a pandas DataFrame (use indeks.read_responses for files)")
    rule = missing_rule or inst.missing_rules[0]
    if rule not in inst.missing_rules:
        raise ValueError(
            f"unknown missing-data rule {rule!r} for {inst.id}; choose one of {', '.join(inst.missing_rules)}"
        )
    pre_reversed = tuple(str(p).strip().lower() for p in (pre_reversed or ()))
    for p in pre_reversed:
        if p not in inst.item_ids:
            raise ValueError(f"pre_reversed names {p!r}, which is not an item of {inst.id}")
    if isinstance(group_by, str):
        group_by = [group_by]

    match = match_columns(
        inst,
        data.columns,
        mapping=mapping,
        id_column=id_column,
        group_by=group_by,
        form_column=form_column,
        unit_column=unit_column,
    )
    if not match.items:
        heads = ", ".join(str(c) for c in list(data.columns)[:8]) or "(none)"
        raise ScoringInputError(
            f"Tidak ada kolom butir {inst.id} yang dikenali. Kolom di data: {heads}. "
            f"Nama kolom yang diharapkan misalnya: {', '.join(inst.item_ids[:4])}; gunakan --map untuk tajuk berupa teks pertanyaan. / "
            f"No item column of {inst.id} was recognised (expected e.g. {', '.join(inst.item_ids[:4])}); use --map for question-text headers."
        )
    n = len(data)
    log = IssueLog(lang)
    items = inst.items
    k = len(items)
    empty = np.full(n, np.nan)
    empty.flags.writeable = False
    columns: list[np.ndarray] = [empty] * k  # one array per item; never modified in place
    none = np.zeros(n, bool)
    none.flags.writeable = False
    valid: list[np.ndarray] = [none] * k
    row_numbers = _row_numbers(data)

    if match.id_column is not None:
        ids = data[match.id_column].to_numpy()
    else:
        ids = np.arange(1, n + 1)

    for item_id, close in match.missing.items():
        log.add_general("missing_item_column", item=item_id, close=", ".join(close) or "-")
    for item_id, cands in match.ambiguous.items():
        log.add_general("ambiguous_column", item=item_id, value=", ".join(cands))

    for j, it in enumerate(items):
        col = match.items.get(it.id)
        if col is None:
            continue
        scale = inst.scales[it.scale]
        co = coerce_column(data[col], it, scale)
        for code, pos, vals in co.problems:
            log.add(code, pos, column=col, item=it.id, values=vals, min=scale.min, max=scale.max)
        x = co.codes
        if it.id in pre_reversed:
            x = np.where(co.from_number, scale.min + scale.max - x, x)
        if it.reverse:
            x = scale.min + scale.max - x
        columns[j] = x
        valid[j] = co.valid

    reason_masks: dict[str, np.ndarray] = {}

    # forms
    forms = None
    in_form = None
    if len(inst.forms) > 1:
        if match.form_column is None:
            raise ScoringInputError(
                f"{inst.id} punya beberapa formulir ({', '.join(inst.forms)}) tetapi kolom formulir tidak ditemukan "
                f"(nama yang dicari: {', '.join(inst.form_aliases)}). / {inst.id} has several forms but no form column was found."
            )
        raw_forms = data[match.form_column]
        codes_idx, uniques = pd.factorize(raw_forms, use_na_sentinel=True)
        lookup = {}
        for fid, f in inst.forms.items():
            for v in (fid,) + f.values:
                lookup[norm_label(v)] = fid
        u_form = np.array([lookup.get(norm_label(u), None) for u in uniques] + [None], dtype=object)
        row_u = np.where(codes_idx < 0, len(uniques), codes_idx)
        forms = u_form[row_u]
        bad = np.array([f is None for f in u_form], dtype=bool)[row_u]
        if bad.any():
            pos = np.flatnonzero(bad)
            log.add(
                "unknown_form",
                pos,
                column=match.form_column,
                values=raw_forms.to_numpy(dtype=object)[pos],
                close=", ".join(inst.forms),
            )
            reason_masks["unknown_form"] = bad
        item_forms = np.array([it.form for it in items], dtype=object)
        in_form = forms[:, None] == item_forms[None, :]
        columns = [np.where(in_form[:, j], c, np.nan) for j, c in enumerate(columns)]
        valid = [in_form[:, j] & v for j, v in enumerate(valid)]

    # eligibility
    inelig = np.zeros(n, bool)
    for e in inst.eligibility:
        col = match.eligibility.get(e.id)
        label = e.label if lang == "id" else e.label_en
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
            pd.to_numeric(
                raw.astype(str).str.replace(",", ".", regex=False).str.strip(), errors="coerce"
            )
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
    if inelig.any():
        reason_masks["ineligible"] = inelig

    # missing-data rule for the assessment
    answered = _count_answered(valid)
    if forms is not None:
        u_need = np.array(
            [inst.forms[f].min_answered[rule] if f is not None else 0 for f in u_form],
            dtype="int64",
        )
        need = np.maximum(u_need[row_u], 1)
    else:
        need = np.full(n, max(inst.assessment_min_answered[rule], 1), dtype="int64")
    too_few = answered < need
    already = np.zeros(n, bool)
    for m in reason_masks.values():
        already |= m
    too_few_report = too_few & ~already
    if too_few_report.any():
        pos = np.flatnonzero(too_few_report)
        for need_value in np.unique(need[pos]):
            sel = pos[need[pos] == need_value]
            log.add("too_many_missing", sel, values=answered[sel], min=int(need_value), rule=rule)
    if too_few_report.any():
        reason_masks["too_many_missing"] = too_few_report

    rejected = np.zeros(n, bool)
    for m in reason_masks.values():
        rejected |= m

    # ids: empty and duplicate
    if match.id_column is not None and n:
        id_series = data[match.id_column].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(id_series.dtype):
            empty = id_series.isna()
            key = id_series
        else:
            text = id_series.astype("string").str.strip()
            empty = (text.isna() | (text == "")).fillna(True).astype(bool)
            key = text
        if empty.any():
            log.add("missing_id", np.flatnonzero(empty.to_numpy()), column=match.id_column)
        if forms is not None:
            key = key.astype("string") + "\x00" + pd.Series(forms, dtype="string")
        dup = key.duplicated(keep=False) & ~empty
        if dup.any():
            pos = np.flatnonzero(dup.to_numpy())
            keys_dup = key.iloc[pos].astype(str).to_numpy()
            rows_dup = pd.Series(row_numbers[pos]).astype(str)
            joined = (
                pd.Series(rows_dup.to_numpy(dtype=object), index=keys_dup)
                .groupby(level=0)
                .agg(", ".join)
            )
            rows_text = joined.reindex(keys_dup).to_numpy()
            vals = id_series.iloc[pos].astype(str).to_numpy()
            from indeks.scoring.issues import message as issue_message

            msgs = [
                issue_message("duplicate_id", lang, value=v, close=r)
                for v, r in zip(vals, rows_text)
            ]
            log.add("duplicate_id", pos, column=match.id_column, values=vals, messages=msgs)

    groups = (
        data[match.groups].reset_index(drop=True) if match.groups else pd.DataFrame(index=range(n))
    )
    units = data[match.unit_column].to_numpy(dtype=object) if match.unit_column else None
    return Prepared(
        inst,
        rule,
        n,
        columns,
        valid,
        in_form,
        rejected,
        [],
        reason_masks,
        ids,
        row_numbers,
        forms,
        units,
        groups,
        match,
        log,
        pre_reversed,
    )


def _count_answered(valid: list[np.ndarray]) -> np.ndarray:
    """Answered items per row, one column at a time."""
    cnt = np.zeros(len(valid[0]) if valid else 0, dtype="int32")
    for v in valid:
        cnt += v
    return cnt


def keyed_items(instrument, data: pd.DataFrame, **kwargs) -> tuple[pd.DataFrame, Prepared]:
    """Reverse-keyed item values (one column per item id), NaN where not usable.

    Rows rejected by the assessment rules are NaN throughout.  Used by reliability.
    """
    prep = prepare(instrument, data, **kwargs)
    keyed = {
        i: np.where(prep.rejected, np.nan, c) for i, c in zip(prep.inst.item_ids, prep.columns)
    }
    return pd.DataFrame(keyed, index=range(prep.n)), prep


# ---------------------------------------------------------------------------------
# scores
def _exact_weights(weights: dict[str, Fraction]) -> tuple[dict[str, int], int]:
    """Integer numerators over a common denominator: w_i / sum(w) = a_i / L."""
    total = sum(weights.values(), Fraction(0))
    norm = {d: w / total for d, w in weights.items()}
    L = 1
    for f in norm.values():
        L = L * f.denominator // math.gcd(L, f.denominator)
    return {d: int(f * L) for d, f in norm.items()}, L


def combine_index(inst: Instrument, dom_values: dict[str, np.ndarray]) -> np.ndarray:
    """The index from domain values (respondent level, or group level for pooled item means)."""
    spec = inst.index
    a, L = _exact_weights(spec.weights)
    acc = None
    for d, ai in a.items():
        term = dom_values[d] * ai if ai != 1 else dom_values[d]
        acc = term if acc is None else acc + term
    return acc / L


def category_index(table: CategoryTable, values) -> np.ndarray:
    """Band position of each value (-1 for none), looked up on the value rounded
    half-up at the table's precision."""
    v = np.atleast_1d(round_half_up(np.asarray(values, dtype="float64"), table.precision))
    thresholds = np.array([float(b.min) for b in table.bands])
    nan = np.isnan(v)
    pos = np.searchsorted(thresholds, np.where(nan, -np.inf, v), side="right") - 1
    last = table.bands[-1]
    if last.max is not None:
        pos = np.where(v > float(last.max) + 1e-12, -1, pos)
    return np.where(nan, -1, pos).astype("int64")


def categorize(table: CategoryTable, values, lang: str = "id"):
    """(labels, codes) of ``values``: object arrays, None where no band applies."""
    idx = category_index(table, values)
    labels = np.array(
        [(b.label if lang == "id" else b.label_en) for b in table.bands] + [None], dtype=object
    )
    codes = np.array([b.code for b in table.bands] + [None], dtype=object)
    return labels[idx], codes[idx]


def _categorical(table: CategoryTable, values, lang: str):
    idx = category_index(table, values)
    labels = [(b.label if lang == "id" else b.label_en) for b in table.bands]
    codes = [b.code for b in table.bands]
    out = []
    for cats in (labels, codes):
        if len(set(cats)) == len(cats):
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


def _domain_scores(prep: Prepared) -> _Parts:
    inst, columns, rule = prep.inst, prep.columns, prep.rule
    items = inst.items
    pos = {it.id: j for j, it in enumerate(items)}
    item_max = np.array([inst.scales[it.scale].max for it in items], dtype="float64")
    ok_row = ~prep.rejected
    value, raw, points, maxpts = {}, {}, {}, {}
    pooled_index = inst.index is not None and inst.index.method == "percent_of_points"
    keep_points = inst.aggregation.method == "pool_points" or pooled_index
    for d in inst.domains:
        needs_max = d.method == "percent_of_points" or keep_points
        J = [pos[i] for i in d.items]
        cnt = np.zeros(prep.n, dtype="int32")
        s = np.zeros(prep.n)
        mx = np.zeros(prep.n) if needs_max else None
        for j in J:
            col = columns[j]
            ans = prep.valid[j]
            cnt += ans
            np.add(s, col, out=s, where=ans)
            if mx is not None:
                mx += ans * item_max[j]
        if prep.in_form is not None:
            n_in = prep.in_form[:, J].sum(axis=1)
            need = np.minimum(d.min_answered[rule], n_in)
            ok = ok_row & (n_in > 0) & (cnt >= need) & (cnt > 0)
        else:
            n_in = len(J)
            ok = ok_row & (cnt >= max(min(d.min_answered[rule], n_in), 1))
        with np.errstate(invalid="ignore", divide="ignore"):
            if d.method == "percent_of_points":
                v = s / mx * 100.0
            else:
                v = s / cnt
                if d.method == "sum":
                    v *= n_in  # prorated: the mean of answered items stands in for a missing one
                elif d.method == "percent_of_max":
                    sc = inst.scales[items[J[0]].scale]
                    v = (v - sc.min) * (100.0 / (sc.max - sc.min))
        if d.raw_multiply != 1:
            v *= float(d.raw_multiply)
        v[~ok] = np.nan
        final = d.transform.apply(v) if d.transform is not None else v
        value[d.id] = final
        raw[d.id] = v
        if keep_points:
            points[d.id] = np.where(ok_row, s, 0.0)
            maxpts[d.id] = np.where(ok_row, mx, 0.0)
        # a one-item domain that is empty is explained by its item (blank, or an invalid-value issue)
        not_done = ok_row & ~ok if len(J) > 1 else np.zeros(prep.n, bool)
        if prep.in_form is not None:
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
            index_points = sum(points[d] for d in doms)
            index_max = sum(maxpts[d] for d in doms)
            with np.errstate(invalid="ignore", divide="ignore"):
                index = np.where(ok_row & (index_max > 0), index_points / index_max * 100.0, np.nan)
        else:
            if spec.method == "mean":
                index = sum(value[d] for d in doms) / len(doms)
            else:
                index = combine_index(inst, value)
            # report respondents whose index is empty because a domain they could answer is empty
            empties = {}
            for d in doms:
                J = [pos[i] for i in inst.domain(d).items]
                empty = ok_row & np.isnan(value[d])
                if prep.in_form is not None:
                    empty &= prep.in_form[:, J].any(axis=1)
                if empty.any():
                    empties[d] = empty
            if empties:
                gaps = np.logical_or.reduce(list(empties.values()))
                p = np.flatnonzero(gaps)
                names = np.full(p.size, "", dtype=object)
                for d, e in empties.items():
                    hit = e[p]
                    names[hit] = np.where(names[hit] == "", d, names[hit] + ", " + d)
                prep.log.add("index_incomplete", p, values=names)
    return _Parts(value, raw, points, maxpts, index, index_points, index_max)


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
            out["index_converted"] = inst.conversion.apply(index)
    for t in inst.categories:
        src = out.get(t.on) if t.on in ("index", "index_converted") else dom.get(t.on)
        if src is None:
            continue
        labels, codes = _categorical(t, src, lang)
        suffix = f"_{t.name}" if t.name else ""
        out[f"category{suffix}"] = labels
        out[f"category{suffix}_code"] = codes
        for d in t.domains if domain_categories else ():
            dl, dc = _categorical(t, dom[d], lang)
            out[f"{d}_category{suffix}"] = dl
            out[f"{d}_category{suffix}_code"] = dc


def _respondents(prep: Prepared, parts: _Parts, lang: str) -> pd.DataFrame:
    inst = prep.inst
    # reasons as a categorical: one bit per reason code, one category per combination
    codes = [c for c, m in prep.reason_masks.items() if m.any()]
    bits = np.zeros(prep.n, dtype="int64")
    for b, c in enumerate(codes):
        bits |= prep.reason_masks[c].astype("int64") << b
    combos = np.unique(bits) if codes else np.zeros(1, dtype="int64")
    names = [";".join(c for b, c in enumerate(codes) if v >> b & 1) for v in combos]
    reason = (
        pd.Categorical.from_codes(np.searchsorted(combos, bits), categories=names)
        if len(set(names)) == len(names)
        else np.array(names, dtype=object)[np.searchsorted(combos, bits)]
    )
    out: dict[str, object] = {
        "respondent_id": prep.ids,
        "row": prep.row_numbers,
        "status": pd.Categorical.from_codes(
            prep.rejected.astype("int8"), categories=["scored", "rejected"]
        ),
        "reason": reason,
    }
    if prep.forms is not None:
        out["form"] = prep.forms
    if prep.units is not None:
        out["unit"] = prep.units
    for g in prep.groups.columns:
        out[g] = prep.groups[g].to_numpy()
    _add_scores(
        out, inst, parts.value, parts.index, lang, with_raw=parts.raw, domain_categories=False
    )
    return pd.DataFrame(out, copy=False)


def krejcie_morgan(population: int, chi2: float = 3.841, p: float = 0.5, d: float = 0.05) -> int:
    """Krejcie-Morgan sample size, rounded half-up to a whole respondent (100 -> 80, 300 -> 169)."""
    N = float(population)
    s = chi2 * N * p * (1 - p) / (d * d * (N - 1) + chi2 * p * (1 - p))
    return int(round_half_up(s, 0))


def _summarise(
    prep: Prepared, parts: _Parts, keys: list[np.ndarray] | None, key_names: list[str], lang: str
) -> pd.DataFrame:
    """Group values at the definition's aggregation level, overall when ``keys`` is None."""
    inst = prep.inst
    scored = ~prep.rejected
    agg = inst.aggregation.method
    if keys is None:
        # overall: plain reductions, no per-row helper columns
        tot: dict[str, float] = {"n": float(prep.n), "n_scored": float(scored.sum())}
        for d in inst.domains:
            v = parts.value[d.id]
            cnt = prep.n - int(np.count_nonzero(np.isnan(v)))
            tot[f"{d.id}__sum"] = float(np.nansum(v)) if cnt else 0.0
            tot[f"{d.id}__cnt"] = float(cnt)
            if d.id in parts.points:
                tot[f"{d.id}__pts"] = float(parts.points[d.id].sum())
                tot[f"{d.id}__max"] = float(parts.maxpts[d.id].sum())
        if parts.index is not None:
            cnt = prep.n - int(np.count_nonzero(np.isnan(parts.index)))
            tot["index__sum"] = float(np.nansum(parts.index)) if cnt else 0.0
            tot["index__cnt"] = float(cnt)
            if parts.index_points is not None:
                tot["index__pts"] = float(parts.index_points[scored].sum())
                tot["index__max"] = float(parts.index_max[scored].sum())
        sums = pd.DataFrame({c: [v] for c, v in tot.items()})
        key_frame = pd.DataFrame(index=[0])
    else:
        cols: dict[str, np.ndarray] = {"n": np.ones(prep.n), "n_scored": scored.astype(float)}
        for d in inst.domains:
            v = parts.value[d.id]
            has = ~np.isnan(v)
            cols[f"{d.id}__sum"] = np.where(has, v, 0.0)
            cols[f"{d.id}__cnt"] = has.astype(float)
            if d.id in parts.points:
                cols[f"{d.id}__pts"] = parts.points[d.id]
                cols[f"{d.id}__max"] = parts.maxpts[d.id]
        if parts.index is not None:
            has = ~np.isnan(parts.index)
            cols["index__sum"] = np.where(has, parts.index, 0.0)
            cols["index__cnt"] = has.astype(float)
            if parts.index_points is not None:
                cols["index__pts"] = np.where(scored, parts.index_points, 0.0)
                cols["index__max"] = np.where(scored, parts.index_max, 0.0)
        frame = pd.DataFrame(cols)
        grouped = frame.groupby(
            [pd.Series(k, name=nm) for k, nm in zip(keys, key_names)], dropna=False, sort=True
        )
        sums = grouped.sum().reset_index()
        key_frame = sums[key_names]
        sums = sums.drop(columns=key_names)
    with np.errstate(invalid="ignore", divide="ignore"):
        dom = {}
        for d in inst.domains:
            if agg == "pool_points" and d.method == "percent_of_points":
                v = sums[f"{d.id}__pts"] / sums[f"{d.id}__max"] * 100.0
                if d.raw_multiply != 1:
                    v = v * float(d.raw_multiply)
                if d.transform is not None:
                    v = d.transform.apply(v)
            else:
                v = sums[f"{d.id}__sum"] / sums[f"{d.id}__cnt"]
            dom[d.id] = (
                np.where(sums[f"{d.id}__cnt"] > 0, v, np.nan)
                if not (agg == "pool_points" and d.method == "percent_of_points")
                else np.where(sums[f"{d.id}__max"] > 0, v, np.nan)
            )
        index = None
        if inst.index is not None:
            if agg == "pool_item_means" and inst.index.method != "percent_of_points":
                if inst.index.method == "mean":
                    index = sum(dom[d] for d in inst.index.weights) / len(inst.index.weights)
                else:
                    index = combine_index(inst, dom)
            elif agg == "pool_points" and "index__pts" in sums:
                index = np.where(
                    sums["index__max"] > 0, sums["index__pts"] / sums["index__max"] * 100.0, np.nan
                )
            else:
                index = np.where(
                    sums["index__cnt"] > 0, sums["index__sum"] / sums["index__cnt"], np.nan
                )
    out: dict[str, object] = {c: key_frame[c].to_numpy() for c in key_names}
    out["n"] = sums["n"].to_numpy().astype("int64")
    out["n_scored"] = sums["n_scored"].to_numpy().astype("int64")
    out["n_rejected"] = out["n"] - out["n_scored"]
    _add_scores(
        out,
        inst,
        {k: np.asarray(v, dtype="float64") for k, v in dom.items()},
        None if index is None else np.asarray(index, dtype="float64"),
        lang,
    )
    return pd.DataFrame(out)


def score(
    instrument,
    data: pd.DataFrame,
    id_column: str | None = None,
    group_by=None,
    *,
    missing_rule: str | None = None,
    pre_reversed=(),
    mapping=None,
    population: int | None = None,
    form_column: str | None = None,
    unit_column: str | None = None,
    lang: str = "id",
) -> ScoreResult:
    """Score a frame of raw answers with one instrument.

    Parameters beyond the contract of ``interfaces.md``:
    ``missing_rule`` (a rule name of the definition, default its first),
    ``pre_reversed`` (item ids whose *numbers* in this data source are printed reversed),
    ``mapping`` (item id -> column header, or a mapping file path),
    ``population`` (population size for the Krejcie-Morgan sample check, where the
    definition asks for it), ``lang`` ("id" or "en") for labels and messages.
    """
    lang = check_lang(lang)
    prep = prepare(
        instrument,
        data,
        id_column,
        group_by,
        missing_rule=missing_rule,
        pre_reversed=pre_reversed,
        mapping=mapping,
        form_column=form_column,
        unit_column=unit_column,
        lang=lang,
    )
    inst = prep.inst
    parts = _domain_scores(prep)
    respondents = _respondents(prep, parts, lang)
    summary = _summarise(prep, parts, None, [], lang)
    if len(prep.groups.columns):
        keys = [prep.groups[g].to_numpy() for g in prep.groups.columns]
        by_group = _summarise(prep, parts, keys, list(prep.groups.columns), lang)
        overall = summary.copy()
        for g in reversed(list(prep.groups.columns)):
            overall.insert(0, g, "(semua)" if lang == "id" else "(all)")
        summary = pd.concat([overall, by_group], ignore_index=True)
    units = None
    if prep.units is not None:
        units = _summarise(prep, parts, [prep.units], ["unit"], lang)
    if population is not None and inst.krejcie_morgan:
        need = krejcie_morgan(population)
        summary["population"] = int(population)
        summary["sample_required"] = need
        summary["sample_adequate"] = summary["n_scored"] >= need
        n_scored = int(summary["n_scored"].iloc[0])
        if n_scored < need:
            prep.log.add_general("sample_too_small", value=n_scored, min=need, max=int(population))
    issues = prep.log.frame(prep.row_numbers, prep.ids)
    warning = inst.provisional_warning_for("score", lang)
    meta = {
        "instrument": inst.id,
        "instrument_name": inst.name,
        "instrument_version": inst.version,
        "status": inst.status,
        "missing_rule": prep.rule,
        "pre_reversed": list(prep.pre_reversed),
        "provisional_warning": warning,
        "aggregation": inst.aggregation.method,
        "source": data.attrs.get("source", ""),
        "lang": lang,
    }
    for df in (respondents, summary, issues) + ((units,) if units is not None else ()):
        df.attrs.clear()
        df.attrs.update(
            {
                "provisional_warning": warning,
                "instrument": inst.id,
                "instrument_version": inst.version,
            }
        )
    return ScoreResult(inst, respondents, summary, issues, prep.match, meta, units=units)
