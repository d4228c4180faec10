"""Mergeable sufficient statistics for group summaries.

Every group value of a summary (a domain mean, a pooled NRR, pooled points, the index)
is a function of a few *integer* sums over the group's respondents.  This module
computes those sums for one part of the data (:func:`part_stats`), merges the sums of
several parts by adding them (:func:`merge_stats`), and turns merged sums into summary
rows (:func:`summary_frame`, :func:`summary_levels`).  The in-memory engine, the
streaming engine and the Dask engine all build their summaries this way, so a group
value over parts equals the value over the whole, bit for bit.

Why integers suffice: a respondent's domain value is an affine function of the integer
sum ``s`` of the answered (keyed) codes, whose coefficients depend only on the
respondent's *shape*: the number of answered items ``cnt``, the items of the row's form
``n_in`` and the maximum points ``mx`` of the answered items::

    mean              s / cnt
    sum               s * n_in / cnt         (prorated)
    percent_of_max    (s / cnt - min) * 100 / (max - min)
    percent_of_points s / mx * 100

followed by the definition's ``raw_multiply`` and transform ``(x + add) * multiply``,
all exact fractions.  So the sum of domain values over a group is
``sum over shapes of (beta(shape) * T + alpha(shape) * K)`` with ``K`` respondents of
that shape and ``T`` their integer code sum.  The statistics are rows

    <group keys>, measure, c1, c2, c3, k, t

(``c1..c3`` the shape, ``k`` a count, ``t`` an integer total); merging is integer
addition, and group values are computed once at the end in exact rational arithmetic
(Python integers), rounded to a float only as the last step.  The IKM weights 1/9 stay
exact; pooled points (DEKTARA) are integer sums.

Measures:

``n``, ``scored``
    rows and scored rows (``k``).
``d:<domain>``
    respondents with the domain value, by shape (``k``), code sum (``t``).
``i:<domain>``
    the same over respondents whose own index is present (mean of respondents' index).
``r``
    respondents' own pooled-points index: shape ``c3`` = maximum points.
``p:<domain>``, ``P``
    pooled points: ``t`` points obtained, ``k`` maximum points (domain; index).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

SHAPE_COLUMNS = ["c1", "c2", "c3"]
STAT_COLUMNS = ["measure", *SHAPE_COLUMNS, "k", "t"]
_MAX_DENSE_BINS = 5_000_000
_truediv = np.frompyfunc(operator.truediv, 2, 1)


# ---------------------------------------------------------------------------------
# which statistics a definition needs
@dataclass(frozen=True)
class _Plan:
    """Which statistics a definition needs."""

    mean_domains: list[str]  # domains pooled as means of respondents' values
    pooled_domains: list[str]  # domains pooled as points (pool_points)
    index: str | None  # from_domains | pooled | respondent_points | respondent_mean


def _plan(inst) -> _Plan:
    agg = inst.aggregation.method
    spec = inst.index
    pooled_domains = [
        d.id for d in inst.domains if agg == "pool_points" and d.method == "percent_of_points"
    ]
    mean_domains = [d.id for d in inst.domains if d.id not in pooled_domains]
    index: str | None = None
    if spec is not None:
        if agg == "pool_item_means" and spec.method != "percent_of_points":
            index = "from_domains"
        elif agg == "pool_points" and spec.method == "percent_of_points":
            index = "pooled"
        elif spec.method == "percent_of_points":
            index = "respondent_points"
        else:
            index = "respondent_mean"
    return _Plan(mean_domains, pooled_domains, index)


def _index_weights(inst) -> tuple[dict[str, int], int]:
    """Integer numerators over a common denominator of the index weights (``mean``: equal)."""
    spec = inst.index
    weights = (
        {d: Fraction(1) for d in spec.weights} if spec.method == "mean" else dict(spec.weights)
    )
    return exact_weights(weights)


def exact_weights(weights: dict[str, Fraction]) -> tuple[dict[str, int], int]:
    """Integer numerators over a common denominator: w_i / sum(w) = a_i / L."""
    total = sum(weights.values(), Fraction(0))
    norm = {d: w / total for d, w in weights.items()}
    den = 1
    for f in norm.values():
        den = den * f.denominator // math.gcd(den, f.denominator)
    return {d: int(f * den) for d, f in norm.items()}, den


# ---------------------------------------------------------------------------------
# one part -> statistics
def _group_codes(keys: pd.DataFrame | None, n: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of every row (0..G-1) and the G key rows; missing keys form a group."""
    if keys is None or keys.shape[1] == 0:
        return np.zeros(n, dtype="int64"), pd.DataFrame(index=range(1))
    codes, uniques = [], []
    for c in keys.columns:
        cd, un = _factorize(keys[c])
        codes.append(cd)
        uniques.append(un)
    if len(codes) == 1:
        gcode = codes[0]
        key_rows = pd.DataFrame({keys.columns[0]: uniques[0]})
        return gcode, key_rows
    combined = np.zeros(n, dtype="int64")
    for cd, un in zip(codes, uniques, strict=True):
        combined = combined * max(len(un), 1) + cd
    gcode, _ = pd.factorize(combined)
    gcode = gcode.astype("int64")
    G = int(gcode.max()) + 1 if n else 0
    first = np.empty(G, dtype="int64")
    first[gcode[::-1]] = np.arange(n - 1, -1, -1)
    key_rows = pd.DataFrame(
        {
            c: np.asarray(un)[cd[first]]
            for c, cd, un in zip(keys.columns, codes, uniques, strict=True)
        }
    )
    return gcode, key_rows


def _factorize(values: pd.Series) -> tuple[np.ndarray, Any]:
    """``pandas.factorize(values, use_na_sentinel=False)`` (codes as int64).

    An object column holding only Python ints (family numbers) is factorized as int64:
    the same codes and uniques (as objects), without hashing a million Python objects.
    """
    arr = values.to_numpy() if values.dtype == object else None
    if arr is not None and arr.size and pd.api.types.infer_dtype(arr, skipna=False) == "integer":
        try:
            ints = arr.astype("int64")
        except OverflowError:
            ints = None
        if ints is not None:
            cd, un = pd.factorize(ints)
            return cd.astype("int64", copy=False), un.astype(object)
    cd, un = pd.factorize(values, use_na_sentinel=False)
    return cd.astype("int64", copy=False), un


def factorize_runs(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``pandas.factorize(arr)`` of numbers in ascending order (family by family, ids
    1..n), found from where the value changes; None when ``arr`` is not ascending or is
    not numbers (NaN never is)."""
    if not (isinstance(arr, np.ndarray) and arr.dtype.kind in "iuf" and arr.size):
        return None
    if arr.dtype.kind == "f" and np.isnan(arr[0]):
        return None
    with np.errstate(invalid="ignore"):
        if not bool((arr[1:] >= arr[:-1]).all()):
            return None
    change = arr[1:] != arr[:-1]
    codes = np.zeros(arr.size, dtype="int64")
    np.cumsum(change, out=codes[1:])
    return codes, arr[np.r_[True, change]]


@dataclass
class UnitGroups:
    """A unit column as group codes: ``codes`` (0..G-1 per row, first appearance),
    ``uniques`` (the G distinct values as the column's cells are: Python objects for
    numbers, text for text), ``ints`` (the same as int64 when they are whole numbers)."""

    codes: np.ndarray
    uniques: Any
    ints: np.ndarray | None = None

    def values(self) -> Any:
        """The unit of every row (object array for numbers, the text array for text),
        as ``column.to_numpy(dtype=object)`` gives it and a frame holds it."""
        return (
            self.uniques.take(self.codes)
            if not isinstance(self.uniques, np.ndarray)
            else self.uniques[self.codes]
        )

    def key_rows(self) -> pd.DataFrame:
        return pd.DataFrame({"unit": self.uniques})


def unit_codes(column: pd.Series) -> UnitGroups | None:
    """:class:`UnitGroups` of a unit column of numbers or text (None for other columns,
    which are grouped as objects)."""
    dt = column.dtype
    if isinstance(dt, np.dtype) and dt.kind in "iufb":
        arr = column.to_numpy()
        runs = factorize_runs(arr)
        cd, un = runs if runs is not None else pd.factorize(arr, use_na_sentinel=False)
        whole = un.dtype.kind == "i" or (un.dtype.kind == "u" and (not un.size or un.max() < 2**63))
        ints = un.astype("int64") if whole else None
        return UnitGroups(cd.astype("int64", copy=False), un.astype(object), ints)
    if isinstance(dt, pd.StringDtype):
        cd, un = pd.factorize(column, use_na_sentinel=False)
        return UnitGroups(cd.astype("int64", copy=False), un)
    return None


@dataclass
class StatBlock:
    """The statistics rows of one measure: group number, shape, ``k`` and ``t`` sums."""

    measure: str
    g: np.ndarray
    c1: np.ndarray
    c2: np.ndarray
    c3: np.ndarray
    k: np.ndarray
    t: np.ndarray
    unique: bool = False  # every group at most once
    ascending: bool = False  # groups in ascending order


@dataclass
class PartStats:
    """The statistics of one part as arrays; :meth:`frame` is the long table
    (``<keys>, measure, c1, c2, c3, k, t``) that parts are merged as."""

    key_rows: pd.DataFrame  # one row per group (first-appearance order)
    blocks: list[StatBlock]
    int_keys: np.ndarray | None = None  # one key column of whole numbers, as int64

    def frame(self) -> pd.DataFrame:
        blocks = [b for b in self.blocks if b.g.size]
        if not blocks:
            return empty_stats(list(self.key_rows.columns))
        g = np.concatenate([b.g for b in blocks])
        out = self.key_rows.iloc[g].reset_index(drop=True)
        out["measure"] = np.repeat(
            np.array([b.measure for b in blocks], dtype=object), [b.g.size for b in blocks]
        )
        for c in ("c1", "c2", "c3", "k", "t"):
            out[c] = np.concatenate([getattr(b, c) for b in blocks])
        return out


def _wsum(a, where: np.ndarray | None, count: int) -> int:
    """Exact sum of ``a`` (an integer-valued array, or a scalar per row) over the rows in
    ``where`` (None: every row; ``count`` rows)."""
    if np.ndim(a) == 0:
        return int(a) * count
    arr = np.asarray(a)
    if arr.dtype.kind in "iub":
        return int(np.add.reduce(arr, dtype="int64", where=True if where is None else where))
    total = np.add.reduce(arr, dtype="float64", where=True if where is None else where)
    return int(np.rint(total))


def _wsum_but(a, where: np.ndarray, count: int, outside: np.ndarray | None) -> int:
    """:func:`_wsum` over the rows in ``where``; ``outside``: the positions of every other
    row (None: not known), whose sum is taken from the whole column's for integer arrays."""
    if np.ndim(a) == 0 or outside is None:
        return _wsum(a, where, count)
    arr = np.asarray(a)
    if arr.dtype.kind not in "iub":
        return _wsum(a, where, count)
    return _int_total(arr) - int(np.add.reduce(arr[outside], dtype="int64"))


def _int_total(arr: np.ndarray) -> int:
    """Exact sum of an integer array (in int32 when it cannot overflow: quicker)."""
    largest = 1 << (8 * arr.dtype.itemsize)
    small = arr.dtype.itemsize <= 2 and arr.size * largest < (1 << 31)
    return int(np.add.reduce(arr, dtype="int32" if small else "int64"))


def _one_group_block(measure: str, mask: np.ndarray, k, t, shape) -> StatBlock | None:
    """:func:`_block` for a single group: the shape most rows share is summed whole and
    only the other rows are counted by shape (same rows, same order)."""
    m = int(np.count_nonzero(mask))
    if m == 0:
        return None
    every = m == mask.size
    varying = [i for i, c in enumerate(shape) if np.ndim(c) != 0]
    if not varying:
        where = None if every else mask
        c1, c2, c3 = (np.full(1, int(c), dtype="int64") for c in shape)
        return StatBlock(
            measure,
            np.zeros(1, dtype="int64"),
            c1,
            c2,
            c3,
            np.array([_wsum(k, where, m)], dtype="int64"),
            np.array([_wsum(t, where, m)], dtype="int64"),
        )
    comps = [np.asarray(shape[i]) for i in varying]
    dom = [int(c.max()) for c in comps]  # a guess at the shape most rows have
    is_dom = comps[0] == dom[0]
    for c, v in zip(comps[1:], dom[1:], strict=True):
        is_dom &= c == v
    if not every:
        is_dom &= mask
    not_dom = ~is_dom
    rest = np.flatnonzero(not_dom & mask if not every else not_dom)
    n_dom = m - rest.size
    # the rows outside the dominant shape, when few: its sums are the whole column's less theirs
    outside: np.ndarray | None = rest
    if not every:
        few = is_dom.size - n_dom <= is_dom.size // 4
        outside = np.flatnonzero(not_dom) if few else None
    # the shapes of the other rows, one integer code each (mixed radix, lexicographic)
    rc = [c[rest].astype("int64") for c in comps]
    lo: list[int] = []
    hi: list[int] = []
    for x, d in zip(rc, dom, strict=True):
        present = ([int(x.min()), int(x.max())] if x.size else []) + ([d] if n_dom else [])
        lo.append(min(present))
        hi.append(max(present))
    bases = [h - lo_ + 1 for h, lo_ in zip(hi, lo, strict=True)]
    code = np.zeros(rest.size, dtype="int64")
    dom_code = 0
    for x, lo_, b, d in zip(rc, lo, bases, dom, strict=True):
        code = code * b + (x - lo_)
        dom_code = dom_code * b + (d - lo_)
    span = int(np.prod(bases))
    if span <= 4096:  # as _block: by shape code
        cnt = np.bincount(code, minlength=span).astype("int64")
        ks = _code_sums(k, rest, code, cnt, span)
        ts = _code_sums(t, rest, code, cnt, span)
        if n_dom:
            cnt[dom_code] = n_dom
            ks[dom_code] = _wsum_but(k, is_dom, n_dom, outside)
            ts[dom_code] = _wsum_but(t, is_dom, n_dom, outside)
        codes = np.flatnonzero(cnt)
        ks, ts = ks[codes], ts[codes]
    else:  # as _block: by first appearance
        codes, first, inv = np.unique(code, return_index=True, return_inverse=True)
        cnt = np.bincount(inv.reshape(-1), minlength=codes.size).astype("int64")
        ks = _code_sums(k, rest, inv.reshape(-1), cnt, codes.size)
        ts = _code_sums(t, rest, inv.reshape(-1), cnt, codes.size)
        first = rest[first]
        if n_dom:
            codes = np.append(codes, dom_code)
            first = np.append(first, int(np.argmax(is_dom)))
            ks = np.append(ks, _wsum_but(k, is_dom, n_dom, outside))
            ts = np.append(ts, _wsum_but(t, is_dom, n_dom, outside))
        order = np.argsort(first, kind="stable")
        codes, ks, ts = codes[order], ks[order], ts[order]
    S = codes.size
    cols: list[np.ndarray] = [np.zeros(0, dtype="int64")] * 3
    rem = codes
    for pos in range(len(varying) - 1, -1, -1):
        cols[varying[pos]] = rem % bases[pos] + lo[pos]
        rem = rem // bases[pos]
    for i, c in enumerate(shape):
        if np.ndim(c) == 0:
            cols[i] = np.full(S, int(c), dtype="int64")
    return StatBlock(measure, np.zeros(S, dtype="int64"), cols[0], cols[1], cols[2], ks, ts)


def _code_sums(a, rest: np.ndarray, code: np.ndarray, cnt: np.ndarray, size: int) -> np.ndarray:
    """Exact sums of ``a`` at the rows ``rest`` by their code (0..size-1)."""
    if np.ndim(a) == 0:
        return cnt * int(a)
    w = np.asarray(a)[rest].astype("float64")
    return np.rint(np.bincount(code, weights=w, minlength=size)).astype("int64")


def _run_sums(a, runs: np.ndarray, mask: np.ndarray | None, cnt: np.ndarray) -> np.ndarray:
    """Exact sums of ``a`` (integer-valued array or scalar) over each run of rows."""
    if np.ndim(a) == 0:
        return cnt * int(a)
    arr = np.asarray(a)
    if mask is not None:
        arr = np.where(mask, arr, 0)
    if arr.dtype.kind in "iub" and arr.dtype.itemsize <= 4 and arr.size < 2**31:
        # running total (int64 cannot overflow for these), differenced at the run ends:
        # quicker than reduceat over many short runs
        total = np.empty(arr.size + 1, dtype="int64")
        total[0] = 0
        np.cumsum(arr, dtype="int64", out=total[1:])
        return total[np.append(runs[1:], arr.size)] - total[runs]
    if arr.dtype.kind in "iub":
        return np.add.reduceat(arr, runs, dtype="int64")
    return np.rint(np.add.reduceat(arr, runs, dtype="float64")).astype("int64")


def _runs_block(measure: str, runs: np.ndarray, mask: np.ndarray, k, t, shape) -> StatBlock | None:
    """:func:`_block` for rows that come group by group, one shape: sums over runs."""
    n = mask.size
    if not n or not mask.any():
        return None
    whole = bool(mask.all())
    if whole:
        cnt = np.diff(np.append(runs, n)).astype("int64")
    else:
        cnt = np.add.reduceat(mask, runs, dtype="int64")
    where = None if whole else mask
    ks, ts = _run_sums(k, runs, where, cnt), _run_sums(t, runs, where, cnt)
    if whole:  # every group has rows
        nz = np.arange(cnt.size, dtype="int64")
    else:
        nz = np.flatnonzero(cnt)
        ks, ts = ks[nz], ts[nz]
    c1, c2, c3 = (np.broadcast_to(np.int64(c), nz.shape) for c in shape)  # read-only views
    return StatBlock(measure, nz, c1, c2, c3, ks, ts, unique=True, ascending=True)


def _block(
    measure: str,
    gcode: np.ndarray | None,
    G: int,
    mask: np.ndarray,
    k,
    t,
    shape=(0, 0, 0),
    runs: np.ndarray | None = None,
) -> StatBlock | None:
    """Per (group, shape) sums of ``k`` and ``t`` over the rows in ``mask``.

    ``gcode``: group number of each row (None: one group); ``k``/``t``: integer-valued
    arrays, or scalars; ``shape``: three integer-valued arrays or scalars; ``runs``: the
    first row of each group when the rows come group by group (``gcode`` ascending).
    """
    if gcode is None:
        return _one_group_block(measure, mask, k, t, shape)
    if runs is not None and all(np.ndim(c) == 0 for c in shape):
        return _runs_block(measure, runs, mask, k, t, shape)
    use = not mask.all()

    def sub(a):
        if np.ndim(a) == 0:
            return a
        return a[mask] if use else a

    m = int(np.count_nonzero(mask))
    if m == 0:
        return None
    g = sub(gcode)
    # one code per distinct shape (scalar components cost nothing)
    scode = None
    offs: list[int] = []
    bases: list[int] = []
    fixed: list[int | None] = []
    for c in shape:
        if np.ndim(c) == 0:
            fixed.append(int(c))
            offs.append(0)
            bases.append(1)
            continue
        c = sub(c).astype("int64", copy=False)
        lo, hi = int(c.min()), int(c.max())
        fixed.append(None)
        offs.append(lo)
        bases.append(hi - lo + 1)
        scode = (c - lo) if scode is None else scode * (hi - lo + 1) + (c - lo)
    span = int(np.prod(bases))
    if scode is None:
        sidx, suniq = None, np.zeros(1, dtype="int64")
    elif span <= 4096:  # few possible shapes: the code itself is the bin
        sidx, suniq = scode, np.arange(span, dtype="int64")
    else:
        sidx, suniq = pd.factorize(scode)
    S = len(suniq)
    comb = g if sidx is None else g * S + sidx
    back = None
    bins = G * S
    if bins > _MAX_DENSE_BINS:
        comb, back = pd.factorize(comb)
        bins = len(back)
    cnt_rows = np.bincount(comb, minlength=bins)
    ksum = (
        cnt_rows * int(k)
        if np.ndim(k) == 0
        else np.bincount(comb, weights=sub(k).astype("float64", copy=False), minlength=bins)
    )
    tsum = (
        cnt_rows * int(t)
        if np.ndim(t) == 0
        else np.bincount(comb, weights=sub(t).astype("float64", copy=False), minlength=bins)
    )
    nz = np.flatnonzero(cnt_rows)
    which = nz if back is None else np.asarray(back)[nz]
    grp = which // S
    sh = np.asarray(suniq)[which % S]
    dec: list[np.ndarray] = [sh, sh, sh]
    for i in (2, 1, 0):
        fx = fixed[i]
        if fx is not None:
            dec[i] = np.full(nz.size, fx, dtype="int64")
        else:
            dec[i] = sh % bases[i] + offs[i]
            sh = sh // bases[i]
    return StatBlock(
        measure,
        grp.astype("int64", copy=False),
        dec[0],
        dec[1],
        dec[2],
        np.rint(ksum[nz]).astype("int64"),
        np.rint(tsum[nz]).astype("int64"),
        unique=scode is None,
        ascending=back is None,
    )


def part_stats(inst, rejected: np.ndarray, parts, keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sufficient statistics of one part of the data, grouped by ``keys`` (None: overall).

    ``rejected`` is the rejected mask of the rows, ``parts`` the engine's per-row pieces.
    """
    return stat_blocks(inst, rejected, parts, keys).frame()


def stat_blocks(
    inst,
    rejected: np.ndarray,
    parts,
    keys: pd.DataFrame | None = None,
    groups: UnitGroups | None = None,
) -> PartStats:
    """:func:`part_stats` as arrays (the long table is built only when asked for);
    ``groups``: the units already as codes (instead of ``keys``)."""
    n = rejected.size
    scored = ~rejected
    gcode: np.ndarray | None
    if groups is not None:
        gcode, key_rows = groups.codes, groups.key_rows()
    else:
        gcode, key_rows = _group_codes(keys, n)
    G = len(key_rows)
    if G == 1:
        gcode = None
    plan = _plan(inst)
    dom = {d.id: d for d in inst.domains}
    every = np.ones(n, bool)
    runs = None
    if gcode is not None and n and bool((gcode[1:] >= gcode[:-1]).all()):
        runs = np.flatnonzero(np.r_[True, gcode[1:] != gcode[:-1]])  # rows group by group

    def block(measure, mask, k, t, shape=(0, 0, 0)):
        return _block(measure, gcode, G, mask, k, t, shape, runs)

    blocks = [block("n", every, 1, 0), block("scored", scored, 1, 0)]

    def shape_of(d):
        dd = dom[d]
        cnt = parts.counts[d]
        n_in = parts.n_in[d] if (dd.method == "sum" or np.ndim(parts.n_in[d])) else 0
        mx = parts.maxes[d] if dd.method == "percent_of_points" else 0
        return (cnt, n_in, mx)

    known = getattr(parts, "has", {})
    for d in plan.mean_domains:
        has = known[d] if d in known else ~np.isnan(parts.value[d])
        blocks.append(block(f"d:{d}", has, 1, parts.sums[d], shape_of(d)))
    for d in plan.pooled_domains:
        blocks.append(block(f"p:{d}", every, parts.maxpts[d], parts.points[d]))
    if plan.index == "pooled":
        blocks.append(block("P", scored, parts.index_max, parts.index_points))
    elif plan.index == "respondent_points":
        has = ~np.isnan(parts.index)
        blocks.append(block("r", has, 1, parts.index_points, (0, 0, parts.index_max)))
    elif plan.index == "respondent_mean":
        has = ~np.isnan(parts.index)
        for d in inst.index.weights:
            blocks.append(block(f"i:{d}", has, 1, parts.sums[d], shape_of(d)))
    ints = groups.ints if groups is not None else None
    return PartStats(key_rows, [b for b in blocks if b is not None], ints)


def empty_stats(key_names=()) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **{c: pd.Series(dtype=object) for c in key_names},
            "measure": pd.Series(dtype=object),
            **{c: pd.Series(dtype="int64") for c in [*SHAPE_COLUMNS, "k", "t"]},
        }
    )


def merge_stats(frames, key_names=()) -> pd.DataFrame:
    """Merge statistics of several parts (or roll them up to fewer keys): integer sums."""
    key_names = list(key_names)
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return empty_stats(key_names)
    cat = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    by = key_names + ["measure", *SHAPE_COLUMNS]
    out = cat.groupby(by, dropna=False, sort=False)[["k", "t"]].sum().reset_index()
    return out


# ---------------------------------------------------------------------------------
# statistics -> group values
_INT64_SAFE = 2**62  # products and sums below this cannot overflow int64
_FLOAT_EXACT = 2**53  # integers up to this are exact as floats


def _bound(a: np.ndarray) -> int:
    """The largest magnitude in an integer array (Python int)."""
    if a.size == 0:
        return 0
    return max(abs(int(a.max())), abs(int(a.min())))


def _ints(a) -> np.ndarray:
    """An integer array: int64 when given int64, else exact Python ints (object)."""
    a = np.asarray(a)
    if a.dtype == object or a.dtype == np.int64:
        return a
    return a.astype("int64")


def _mul(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """Exact product: int64 while it cannot overflow, Python ints (object) beyond."""
    if isinstance(b, (int, np.integer)):
        if a.dtype != object and _bound(a) * abs(int(b)) < _INT64_SAFE:
            return a * int(b)
        return _objects(a) * int(b)
    if a.dtype != object and b.dtype != object and _bound(a) * _bound(b) < _INT64_SAFE:
        return a * b
    return _objects(a) * _objects(b)


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype != object and b.dtype != object and _bound(a) + _bound(b) < _INT64_SAFE:
        return a + b
    return _objects(a) + _objects(b)


class _Q:
    """Vector of exact rationals num/den (int64 while small, else Python ints in object
    arrays); ``ok`` marks defined values."""

    def __init__(self, num, den, ok):
        self.num = _ints(num)
        self.den = _ints(den)
        self.ok = np.asarray(ok, dtype=bool)

    def scale(self, f: Fraction) -> _Q:
        return _Q(_mul(self.num, f.numerator), _mul(self.den, f.denominator), self.ok)

    def shift(self, f: Fraction) -> _Q:
        return _Q(
            _add(_mul(self.num, f.denominator), _mul(self.den, f.numerator)),
            _mul(self.den, f.denominator),
            self.ok,
        )

    def __add__(self, other: _Q) -> _Q:
        return _Q(
            _add(_mul(self.num, other.den), _mul(other.num, self.den)),
            _mul(self.den, other.den),
            self.ok & other.ok,
        )

    def to_float(self) -> np.ndarray:
        ok = self.ok & (self.den != 0)
        every = bool(ok.all())
        num, den = (self.num, self.den) if every else (self.num[ok], self.den[ok])
        if (
            num.dtype != object
            and den.dtype != object
            and max(_bound(num), _bound(den)) <= _FLOAT_EXACT
        ):
            # both exact as floats: IEEE division is correctly rounded, as int / int
            q = num.astype("float64") / den.astype("float64")
        elif num.size:
            q = _truediv(_objects(num), _objects(den)).astype("float64")
        else:
            q = np.zeros(0)
        if every:
            return q
        out = np.full(self.num.size, np.nan)
        out[ok] = q
        return out


def _sum_q(terms: list[_Q]) -> _Q:
    """The exact sum of one or more rational vectors."""
    acc = terms[0]
    for term in terms[1:]:
        acc = acc + term
    return acc


def _objects(a) -> np.ndarray:
    """Python ints (exact, unbounded) of an integer array, converted in C."""
    a = np.asarray(a)
    if a.dtype == object:
        return a
    return a.astype("int64").astype(object)


def _group_sum(values: np.ndarray, gid: np.ndarray, G: int) -> np.ndarray:
    """Exact per-group sums of an integer array (int64 when they fit, else Python ints)."""
    if values.dtype != object and _bound(values) * max(values.size, 1) < _FLOAT_EXACT:
        # every partial sum is an integer below 2**53: float sums are exact
        w = values.astype("float64")
        return np.rint(np.bincount(gid, weights=w, minlength=G)).astype("int64")
    out = np.empty(G, dtype=object)
    out[:] = 0
    if values.size == 0:
        return out
    vals = _objects(values)
    order = np.argsort(gid, kind="stable")
    sg = gid[order]
    starts = np.flatnonzero(np.r_[True, sg[1:] != sg[:-1]])
    out[sg[starts]] = np.add.reduceat(vals[order], starts)
    return out


def _affine(d, scale, cnt: int, n_in: int, mx: int) -> tuple[Fraction, Fraction]:
    """(beta, alpha): the domain value of a respondent of this shape is beta * s + alpha."""
    if d.method == "mean":
        b, a = Fraction(1, cnt), Fraction(0)
    elif d.method == "sum":
        b, a = Fraction(n_in, cnt), Fraction(0)
    elif d.method == "percent_of_max":
        span = scale.max - scale.min
        b, a = Fraction(100, cnt * span), Fraction(-100 * scale.min, span)
    elif d.method == "percent_of_points":
        b, a = Fraction(100, mx), Fraction(0)
    else:  # pragma: no cover - the loader admits only the methods above
        raise ValueError(f"unknown domain method {d.method!r}")
    rm = Fraction(d.raw_multiply)
    b, a = b * rm, a * rm
    if d.transform is not None:
        b = b * d.transform.multiply
        a = (a + d.transform.add) * d.transform.multiply
    return b, a


@dataclass
class _Rows:
    """The statistics rows of one measure at one summary level."""

    gid: np.ndarray  # group of each row
    c: tuple[np.ndarray, np.ndarray, np.ndarray]  # its shape
    k: np.ndarray
    t: np.ndarray
    unique: bool = False  # every group at most once (no group sums needed)
    dense: bool = False  # every group once, in order (the sums are the rows)


_NO_ROWS = np.zeros(0, dtype="int64")


def _int_keys(key_rows: pd.DataFrame, key_names: list[str]) -> np.ndarray | None:
    """The distinct keys as integers when they are one column of whole numbers (numpy
    integers, or Python ints in an object column: grouped, pandas gives them as int64)."""
    if len(key_names) != 1 or list(key_rows.columns) != key_names:
        return None
    col = key_rows[key_names[0]]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iu":
        return col.to_numpy()
    if col.dtype != object:
        return None
    vals = col.to_numpy()
    if not vals.size or pd.api.types.infer_dtype(vals, skipna=False) != "integer":
        return None
    try:
        return vals.astype("int64")
    except OverflowError:
        return None


def _level(frame: pd.DataFrame, key_names: list[str]) -> tuple[np.ndarray, int, pd.DataFrame]:
    """(group of every row, number of groups, their keys) of ``frame`` grouped by
    ``key_names`` in sorted order (missing keys form a group; no keys: one group)."""
    if not key_names:
        return np.zeros(len(frame), dtype="int64"), 1, pd.DataFrame(index=range(1))
    grouped = frame.groupby(key_names, dropna=False, sort=True)
    gid = grouped.ngroup().to_numpy(dtype="int64")
    return gid, grouped.ngroups, grouped.size().reset_index()[key_names]


class _Sums:
    """The statistics of one summary level, indexed by group."""

    def __init__(self, G: int, keys: pd.DataFrame, measures: dict[str, _Rows]):
        self.G = G
        self.keys = keys
        self._measures = measures

    @classmethod
    def from_frame(cls, stats: pd.DataFrame, key_names: list[str]) -> _Sums:
        gid, G, keys = _level(stats, key_names)
        # rows of each measure, found once (integer codes, not string comparisons)
        codes, names = pd.factorize(stats["measure"])
        cols = {c: stats[c].to_numpy(dtype="int64") for c in (*SHAPE_COLUMNS, "k", "t")}
        measures = {}
        for i, m in enumerate(names):
            r = np.flatnonzero(codes == i)
            c1, c2, c3 = (cols[c][r] for c in SHAPE_COLUMNS)
            measures[str(m)] = _Rows(gid[r], (c1, c2, c3), cols["k"][r], cols["t"][r])
        return cls(G, keys, measures)

    @classmethod
    def from_part(cls, part: PartStats, key_names: list[str]) -> _Sums:
        """The level of ``part``'s own keys, without building its long table."""
        key_rows = part.key_rows
        ints = part.int_keys if part.int_keys is not None else _int_keys(key_rows, key_names)
        order: np.ndarray | None
        if ints is not None and bool((ints[1:] > ints[:-1]).all()):  # already ascending
            order, G = None, ints.size
            keys = pd.DataFrame({key_names[0]: ints})
        elif ints is not None:  # one column of whole numbers: groups in ascending order
            perm = np.argsort(ints, kind="stable")
            order = np.empty(perm.size, dtype="int64")
            order[perm] = np.arange(perm.size)
            G = perm.size
            keys = pd.DataFrame({key_names[0]: ints[perm]})
        else:
            order, G, keys = _level(key_rows.reset_index(drop=True), key_names)
        measures = {
            b.measure: _Rows(
                b.g if order is None else order[b.g],
                (b.c1, b.c2, b.c3),
                b.k,
                b.t,
                b.unique,
                order is None and b.unique and b.ascending and b.g.size == G,
            )
            for b in part.blocks
            if b.g.size
        }
        return cls(G, keys, measures)

    def _get(self, measure: str) -> _Rows:
        got = self._measures.get(measure)
        if got is None:
            return _Rows(_NO_ROWS, (_NO_ROWS, _NO_ROWS, _NO_ROWS), _NO_ROWS, _NO_ROWS)
        return got

    def total(self, measure: str, col: str) -> np.ndarray:
        rows = self._get(measure)
        v = rows.k if col == "k" else rows.t
        if rows.dense and v.dtype == np.int64:  # the blocks' rows are 0..G-1 in order
            return v
        if rows.unique and v.dtype == np.int64:  # one row per group: placed, not summed
            out = np.zeros(self.G, dtype="int64")
            out[rows.gid] = v
            return out
        return _group_sum(v, rows.gid, self.G)

    def shape_sum(self, measure: str, coef) -> tuple[np.ndarray, int, np.ndarray]:
        """(sum over the group of beta*t + alpha*k scaled by D, D, respondents) for a mean measure."""
        rows = self._get(measure)
        gid, k, t = rows.gid, rows.k, rows.t
        c = np.stack(rows.c, axis=1)
        if gid.size == 0:
            zero = np.zeros(self.G, dtype="int64")
            return zero, 1, zero.copy()
        shapes, inv = np.unique(c, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        ba = [coef(*(int(x) for x in row)) for row in shapes]
        D = 1
        for b, a in ba:
            for f in (b, a):
                D = D * f.denominator // math.gcd(D, f.denominator)
        bD = [int(b * D) for b, _ in ba]
        aD = [int(a * D) for _, a in ba]
        if max(map(abs, bD + aD)) < _INT64_SAFE:
            bD_a, aD_a = np.array(bD, dtype="int64"), np.array(aD, dtype="int64")
        else:
            bD_a, aD_a = np.empty(len(bD), dtype=object), np.empty(len(aD), dtype=object)
            bD_a[:], aD_a[:] = bD, aD
        num = _add(_mul(t, bD_a[inv]), _mul(k, aD_a[inv]))
        return _group_sum(num, gid, self.G), D, _group_sum(k, gid, self.G)


def group_values(inst, stats: pd.DataFrame | PartStats, key_names=()) -> dict:
    """Group values of one level: keys, n, n_scored, domain values and index (floats).

    ``stats``: a statistics table, or the :class:`PartStats` of one part at its own keys."""
    key_names = list(key_names)
    if isinstance(stats, PartStats):
        S = _Sums.from_part(stats, key_names)
    else:
        S = _Sums.from_frame(stats, key_names)
    plan = _plan(inst)
    n = S.total("n", "k")
    n_scored = S.total("scored", "k")
    dom: dict[str, _Q] = {}
    for d in inst.domains:
        scale = inst.scales[inst.item(d.items[0]).scale] if d.items else None
        if d.id in plan.pooled_domains:
            pts, mx = S.total(f"p:{d.id}", "t"), S.total(f"p:{d.id}", "k")
            q = _Q(_mul(pts, 100), mx, mx != 0)
            rm = Fraction(d.raw_multiply)
            if rm != 1:
                q = q.scale(rm)
            if d.transform is not None:
                q = q.shift(d.transform.add).scale(d.transform.multiply)
        else:
            num, D, K = S.shape_sum(
                f"d:{d.id}", lambda c1, c2, c3, d=d, sc=scale: _affine(d, sc, c1, c2, c3)
            )
            q = _Q(num, _mul(K, D), K != 0)
        dom[d.id] = q
    index: _Q | None = None
    how = plan.index
    if how == "from_domains":
        a, L = _index_weights(inst)
        index = _sum_q([dom[d].scale(Fraction(ad, L)) for d, ad in a.items()])
    elif how == "pooled":
        pts, mx = S.total("P", "t"), S.total("P", "k")
        index = _Q(_mul(pts, 100), mx, mx != 0)
    elif how == "respondent_points":
        num, D, K = S.shape_sum("r", lambda c1, c2, c3: (Fraction(100, c3), Fraction(0)))
        index = _Q(num, _mul(K, D), K != 0)
    elif how == "respondent_mean":
        a, L = _index_weights(inst)
        terms = []
        for d, ad in a.items():
            dd = inst.domain(d)
            scale = inst.scales[inst.item(dd.items[0]).scale]
            num, D, K = S.shape_sum(
                f"i:{d}", lambda c1, c2, c3, dd=dd, sc=scale: _affine(dd, sc, c1, c2, c3)
            )
            terms.append(
                _Q(_mul(num, ad), _mul(np.ones(S.G, dtype="int64"), D * L), np.ones(S.G, bool))
            )
        acc = _sum_q(terms)  # K: the respondents with an index, the same for every domain
        index = _Q(acc.num, _mul(acc.den, K), K != 0)
    return {
        "keys": S.keys,
        "n": np.asarray(n, dtype="int64"),
        "n_scored": np.asarray(n_scored, dtype="int64"),
        "domains": {d: q.to_float() for d, q in dom.items()},
        "index": None if index is None else index.to_float(),
    }


def summary_frame(
    inst, stats: pd.DataFrame | PartStats, key_names=(), lang: str = "id"
) -> pd.DataFrame:
    """One summary row per group of ``key_names`` (one overall row when empty)."""
    from indeks.scoring.engine import _add_scores

    v = group_values(inst, stats, key_names)
    out: dict[str, object] = {c: v["keys"][c].to_numpy() for c in key_names}
    out["n"] = v["n"]
    out["n_scored"] = v["n_scored"]
    out["n_rejected"] = v["n"] - v["n_scored"]
    _add_scores(out, inst, v["domains"], v["index"], lang)
    return pd.DataFrame(out)


def all_label(lang: str) -> str:
    """The key shown on a row that pools every value of a column ("(semua)")."""
    from indeks.present import label

    return label("all", lang)


def summary_levels(inst, stats: pd.DataFrame, key_names=(), lang: str = "id") -> pd.DataFrame:
    """The overall row, then every level of the hierarchy ``key_names``.

    ``["provinsi", "kota"]``: the nation, each province (``kota`` = "(semua)"), each
    city.  Every level is pooled from the same statistics by the definition's own
    aggregation rule, never as a mean of lower-level means.
    """
    key_names = list(key_names)
    overall = summary_frame(inst, stats, [], lang)
    if not key_names:
        return overall
    frames = []
    for level in range(len(key_names) + 1):
        keys = key_names[:level]
        frame = summary_frame(inst, stats, keys, lang)
        for pos, g in enumerate(key_names):
            if g not in keys:
                frame.insert(pos, g, all_label(lang))
        frames.append(frame)
    for f in frames:
        for g in key_names:
            f[g] = f[g].astype(object)
    return pd.concat(frames, ignore_index=True)
