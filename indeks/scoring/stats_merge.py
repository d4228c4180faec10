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
from fractions import Fraction

import numpy as np
import pandas as pd

SHAPE_COLUMNS = ["c1", "c2", "c3"]
STAT_COLUMNS = ["measure", *SHAPE_COLUMNS, "k", "t"]
_MAX_DENSE_BINS = 5_000_000
_truediv = np.frompyfunc(operator.truediv, 2, 1)


# ---------------------------------------------------------------------------------
# which statistics a definition needs
def _plan(inst) -> dict:
    agg = inst.aggregation.method
    spec = inst.index
    pooled_domains = [
        d.id for d in inst.domains if agg == "pool_points" and d.method == "percent_of_points"
    ]
    mean_domains = [d.id for d in inst.domains if d.id not in pooled_domains]
    plan = {
        "mean_domains": mean_domains,
        "pooled_domains": pooled_domains,
        "index": None,
    }
    if spec is not None:
        if agg == "pool_item_means" and spec.method != "percent_of_points":
            plan["index"] = "from_domains"
        elif agg == "pool_points" and spec.method == "percent_of_points":
            plan["index"] = "pooled"
        elif spec.method == "percent_of_points":
            plan["index"] = "respondent_points"
        else:
            plan["index"] = "respondent_mean"
    return plan


def _index_weights(inst) -> tuple[dict[str, int], int]:
    """Integer numerators over a common denominator of the index weights (``mean``: equal)."""
    spec = inst.index
    weights = (
        {d: Fraction(1) for d in spec.weights} if spec.method == "mean" else dict(spec.weights)
    )
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
        cd, un = pd.factorize(keys[c], use_na_sentinel=False)
        codes.append(cd.astype("int64"))
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


def _block(
    measure: str,
    gcode: np.ndarray | None,
    G: int,
    mask: np.ndarray | None,
    k,
    t,
    shape=(0, 0, 0),
) -> pd.DataFrame:
    """Per (group, shape) sums of ``k`` and ``t`` over the rows in ``mask``.

    ``gcode``: group number of each row (None: one group); ``k``/``t``: integer-valued
    arrays, or scalars; ``shape``: three integer-valued arrays or scalars.
    """
    use = mask is not None and not mask.all()

    def sub(a):
        if np.ndim(a) == 0:
            return a
        return a[mask] if use else a

    m = int(mask.sum()) if use else (gcode.size if gcode is not None else len(mask))
    if m == 0:
        return pd.DataFrame(columns=["_g", *STAT_COLUMNS])
    g = sub(gcode) if gcode is not None else None
    # one code per distinct shape (scalar components cost nothing)
    scode = None
    offs, bases, fixed = [], [], []
    for c in shape:
        if np.ndim(c) == 0:
            fixed.append(int(c))
            offs.append(None)
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
        sidx, suniq = np.zeros(m, dtype="int64"), np.zeros(1, dtype="int64")
    elif span <= 4096:  # few possible shapes: the code itself is the bin
        sidx, suniq = scode, np.arange(span, dtype="int64")
    else:
        sidx, suniq = pd.factorize(scode)
    S = len(suniq)
    comb = sidx if g is None else g * S + sidx
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
    dec: list = [None, None, None]
    for i in (2, 1, 0):
        if fixed[i] is not None:
            dec[i] = np.full(nz.size, fixed[i], dtype="int64")
        else:
            dec[i] = sh % bases[i] + offs[i]
            sh = sh // bases[i]
    return pd.DataFrame(
        {
            "_g": grp,
            "measure": measure,
            "c1": dec[0],
            "c2": dec[1],
            "c3": dec[2],
            "k": np.rint(ksum[nz]).astype("int64"),
            "t": np.rint(tsum[nz]).astype("int64"),
        }
    )


def part_stats(inst, rejected: np.ndarray, parts, keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sufficient statistics of one part of the data, grouped by ``keys`` (None: overall).

    ``rejected`` is the rejected mask of the rows, ``parts`` the engine's per-row pieces.
    """
    n = rejected.size
    scored = ~rejected
    gcode, key_rows = _group_codes(keys, n)
    G = len(key_rows)
    if G == 1:
        gcode = None
    plan = _plan(inst)
    dom = {d.id: d for d in inst.domains}
    blocks = [
        _block("n", gcode, G, np.ones(n, bool), 1, 0),
        _block("scored", gcode, G, scored, 1, 0),
    ]

    def shape_of(d):
        dd = dom[d]
        cnt = parts.counts[d]
        n_in = parts.n_in[d] if (dd.method == "sum" or np.ndim(parts.n_in[d])) else 0
        mx = parts.maxes[d] if dd.method == "percent_of_points" else 0
        return (cnt, n_in, mx)

    for d in plan["mean_domains"]:
        has = ~np.isnan(parts.value[d])
        blocks.append(_block(f"d:{d}", gcode, G, has, 1, parts.sums[d], shape_of(d)))
    for d in plan["pooled_domains"]:
        blocks.append(
            _block(f"p:{d}", gcode, G, np.ones(n, bool), parts.maxpts[d], parts.points[d])
        )
    if plan["index"] == "pooled":
        blocks.append(_block("P", gcode, G, scored, parts.index_max, parts.index_points))
    elif plan["index"] == "respondent_points":
        has = ~np.isnan(parts.index)
        blocks.append(_block("r", gcode, G, has, 1, parts.index_points, (0, 0, parts.index_max)))
    elif plan["index"] == "respondent_mean":
        has = ~np.isnan(parts.index)
        for d in inst.index.weights:
            blocks.append(_block(f"i:{d}", gcode, G, has, 1, parts.sums[d], shape_of(d)))
    blocks = [b for b in blocks if len(b)]
    if not blocks:
        return empty_stats([] if keys is None else list(keys.columns))
    frame = pd.concat(blocks, ignore_index=True)
    g = frame.pop("_g").to_numpy(dtype="int64")
    out = key_rows.iloc[g].reset_index(drop=True)
    for c in STAT_COLUMNS:
        out[c] = frame[c].to_numpy()
    return out


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
class _Q:
    """Vector of exact rationals num/den (Python ints in object arrays); ``ok`` marks defined values."""

    def __init__(self, num, den, ok):
        self.num = np.asarray(num, dtype=object)
        self.den = np.asarray(den, dtype=object)
        self.ok = np.asarray(ok, dtype=bool)

    def scale(self, f: Fraction) -> _Q:
        return _Q(self.num * f.numerator, self.den * f.denominator, self.ok)

    def shift(self, f: Fraction) -> _Q:
        return _Q(
            self.num * f.denominator + self.den * f.numerator, self.den * f.denominator, self.ok
        )

    def __add__(self, other: _Q) -> _Q:
        return _Q(
            self.num * other.den + other.num * self.den, self.den * other.den, self.ok & other.ok
        )

    def to_float(self) -> np.ndarray:
        out = np.full(self.num.size, np.nan)
        ok = self.ok & (self.den != 0)
        if ok.any():
            out[ok] = _truediv(self.num[ok], self.den[ok]).astype("float64")
        return out


def _objects(a) -> np.ndarray:
    """Python ints (exact, unbounded) of an integer array, converted in C."""
    return np.asarray(a, dtype="int64").astype(object)


def _group_sum(values: np.ndarray, gid: np.ndarray, G: int) -> np.ndarray:
    """Exact per-group sums of an object array of Python ints."""
    out = np.empty(G, dtype=object)
    out[:] = 0
    if values.size == 0:
        return out
    order = np.argsort(gid, kind="stable")
    sg = gid[order]
    starts = np.flatnonzero(np.r_[True, sg[1:] != sg[:-1]])
    out[sg[starts]] = np.add.reduceat(values[order], starts)
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


class _Sums:
    """The statistics of one summary level, indexed by group."""

    def __init__(self, stats: pd.DataFrame, key_names: list[str]):
        self.key_names = key_names
        if key_names:
            grouped = stats.groupby(key_names, dropna=False, sort=True)
            self.gid = grouped.ngroup().to_numpy(dtype="int64")
            self.G = grouped.ngroups
            self.keys = grouped.size().reset_index()[key_names]
        else:
            self.gid = np.zeros(len(stats), dtype="int64")
            self.G = 1
            self.keys = pd.DataFrame(index=range(1))
        self.stats = stats
        # rows of each measure, found once (integer codes, not string comparisons)
        codes, names = pd.factorize(stats["measure"])
        self._rows = {str(m): np.flatnonzero(codes == i) for i, m in enumerate(names)}

    def rows(self, measure: str) -> np.ndarray:
        return self._rows.get(measure, np.zeros(0, dtype="int64"))

    def total(self, measure: str, col: str) -> np.ndarray:
        r = self.rows(measure)
        v = self.stats[col].to_numpy()[r]
        if v.dtype.kind in "iu" and (v.size == 0 or int(np.abs(v).max()) * v.size < 2**62):
            # int64 sums cannot overflow here: exact, then Python ints per group
            out = np.zeros(self.G, dtype="int64")
            gid = self.gid[r]
            if gid.size:
                order = np.argsort(gid, kind="stable")
                sg = gid[order]
                starts = np.flatnonzero(np.r_[True, sg[1:] != sg[:-1]])
                out[sg[starts]] = np.add.reduceat(v[order].astype("int64"), starts)
            return out.astype(object)
        return _group_sum(_objects(v), self.gid[r], self.G)

    def shape_sum(self, measure: str, coef) -> tuple[np.ndarray, int, np.ndarray]:
        """(sum over the group of beta*t + alpha*k scaled by D, D, respondents) for a mean measure."""
        r = self.rows(measure)
        st = self.stats
        c = np.stack([st[s].to_numpy(dtype="int64")[r] for s in SHAPE_COLUMNS], axis=1)
        k = st["k"].to_numpy(dtype="int64")[r]
        t = st["t"].to_numpy(dtype="int64")[r]
        gid = self.gid[r]
        if r.size == 0:
            zero = np.empty(self.G, dtype=object)
            zero[:] = 0
            return zero, 1, zero.copy()
        shapes, inv = np.unique(c, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        ba = [coef(*(int(x) for x in row)) for row in shapes]
        D = 1
        for b, a in ba:
            for f in (b, a):
                D = D * f.denominator // math.gcd(D, f.denominator)
        bD = np.empty(len(ba), dtype=object)
        aD = np.empty(len(ba), dtype=object)
        bD[:] = [int(b * D) for b, _ in ba]
        aD[:] = [int(a * D) for _, a in ba]
        num = _objects(t) * bD[inv] + _objects(k) * aD[inv]
        return _group_sum(num, gid, self.G), D, _group_sum(_objects(k), gid, self.G)


def group_values(inst, stats: pd.DataFrame, key_names=()) -> dict:
    """Group values of one level: keys, n, n_scored, domain values and index (floats)."""
    key_names = list(key_names)
    S = _Sums(stats, key_names)
    plan = _plan(inst)
    n = S.total("n", "k")
    n_scored = S.total("scored", "k")
    dom: dict[str, _Q] = {}
    for d in inst.domains:
        scale = inst.scales[inst.item(d.items[0]).scale] if d.items else None
        if d.id in plan["pooled_domains"]:
            pts, mx = S.total(f"p:{d.id}", "t"), S.total(f"p:{d.id}", "k")
            q = _Q(pts * 100, mx, mx != 0)
            rm = Fraction(d.raw_multiply)
            if rm != 1:
                q = q.scale(rm)
            if d.transform is not None:
                q = q.shift(d.transform.add).scale(d.transform.multiply)
        else:
            num, D, K = S.shape_sum(
                f"d:{d.id}", lambda c1, c2, c3, d=d, sc=scale: _affine(d, sc, c1, c2, c3)
            )
            q = _Q(num, K * D, K != 0)
        dom[d.id] = q
    index = None
    how = plan["index"]
    if how == "from_domains":
        a, L = _index_weights(inst)
        acc = None
        for d, ad in a.items():
            term = dom[d].scale(Fraction(ad, L))
            acc = term if acc is None else acc + term
        index = acc
    elif how == "pooled":
        pts, mx = S.total("P", "t"), S.total("P", "k")
        index = _Q(pts * 100, mx, mx != 0)
    elif how == "respondent_points":
        num, D, K = S.shape_sum("r", lambda c1, c2, c3: (Fraction(100, c3), Fraction(0)))
        index = _Q(num, K * D, K != 0)
    elif how == "respondent_mean":
        a, L = _index_weights(inst)
        acc = None
        K = None
        for d, ad in a.items():
            dd = inst.domain(d)
            scale = inst.scales[inst.item(dd.items[0]).scale]
            num, D, K = S.shape_sum(
                f"i:{d}", lambda c1, c2, c3, dd=dd, sc=scale: _affine(dd, sc, c1, c2, c3)
            )
            term = _Q(num * ad, np.full(S.G, D * L, dtype=object), np.ones(S.G, bool))
            acc = term if acc is None else acc + term
        index = _Q(acc.num, acc.den * K, K != 0)
    return {
        "keys": S.keys,
        "n": n.astype("int64"),
        "n_scored": n_scored.astype("int64"),
        "domains": {d: q.to_float() for d, q in dom.items()},
        "index": None if index is None else index.to_float(),
    }


def summary_frame(inst, stats: pd.DataFrame, key_names=(), lang: str = "id") -> pd.DataFrame:
    """One summary row per group of ``key_names`` (one overall row when empty)."""
    from indeks.scoring.engine import _add_scores

    v = group_values(inst, stats, key_names)
    out: dict[str, object] = {c: v["keys"][c].to_numpy() for c in key_names}
    out["n"] = v["n"]
    out["n_scored"] = v["n_scored"]
    out["n_rejected"] = out["n"] - out["n_scored"]
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
