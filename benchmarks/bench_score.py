"""``indeks.score`` in-process against a plain numpy scorer, measured in the same run.

For WHOQOL-BREF, IKM and DEKTARA (parent and child rows, pooled per family) this prints
the time of ``indeks.score`` on a frame as ``pandas.read_csv`` gives it (float64 with
NaN blanks), the time of the *floor* -- a plain numpy scorer that knows the instrument
and works on int8 arrays (0 = blank): reverse-keying, answered counts, domain means or
points, index, category lookup, and for DEKTARA the family pooling by ``bincount`` --
and their ratio.  The floor does no validation, no issue report and builds no frame;
the ratio is what everything indeks does on top costs.

    python benchmarks/bench_score.py                 # N = 1,000,000 respondents
    python benchmarks/bench_score.py -n 200000 --repeat 3
    python benchmarks/bench_score.py --repeat 7      # a machine others share: best of 7

Goals: ratio <= 1.5 for WHOQOL-BREF and IKM, <= 3 for DEKTARA.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import indeks

GOALS = {"whoqol-bref": 1.5, "ikm": 1.5, "dektara": 3.0, "compare": 4.0}


def make_answers(inst, n: int, seed: int = 7) -> np.ndarray:
    """(n, k) int8 answers on each item's scale, 1 % blanks (0)."""
    rng = np.random.default_rng(seed)
    lo = np.array([inst.scales[it.scale].min for it in inst.items])
    hi = np.array([inst.scales[it.scale].max for it in inst.items])
    a = (lo + rng.integers(0, 1 << 30, size=(n, len(lo))) % (hi - lo + 1)).astype("int8")
    a[rng.random(size=a.shape) < 0.01] = 0
    return a


def as_frame(inst, a: np.ndarray, forms: np.ndarray | None, units) -> pd.DataFrame:
    """The frame pandas.read_csv would give: float64 columns, NaN for blanks."""
    cols = {"id": np.arange(1, len(a) + 1)}
    for j, it in enumerate(inst.items):
        col = a[:, j].astype("float64")
        col[a[:, j] == 0] = np.nan
        cols[it.id] = col
    df = pd.DataFrame(cols)
    if forms is not None:
        df["peran"] = np.asarray(list(inst.forms), dtype=object)[forms]
        df["keluarga"] = units
    return df


def numpy_floor(inst, a: np.ndarray, forms: np.ndarray | None, units: np.ndarray | None):
    """A minimal scorer for this instrument on int8 answers (0 = blank)."""
    items = inst.items
    pos = {it.id: j for j, it in enumerate(items)}
    valid = a > 0
    rev = [j for j, it in enumerate(items) if it.reverse]
    x = a.copy()
    for j in rev:
        sc = inst.scales[items[j].scale]
        x[:, j] = np.where(valid[:, j], sc.min + sc.max - a[:, j], 0)
    if forms is not None:  # pooled points per respondent and per family
        item_max = np.array([inst.scales[it.scale].max for it in items], dtype="int16")
        pts = x.sum(axis=1, dtype="int16")
        mx = (valid * item_max).sum(axis=1, dtype="int16")
        with np.errstate(invalid="ignore", divide="ignore"):
            value = pts / mx * 100.0
        u = np.bincount(units, weights=pts) / np.bincount(units, weights=mx) * 100.0
        cat = np.searchsorted([75.0], np.round(value, 2), side="right")
        return value, cat, u
    doms = []
    for d in inst.domains:
        J = [pos[i] for i in d.items]
        cnt = valid[:, J].sum(axis=1, dtype="int8")
        s = x[:, J].sum(axis=1, dtype="int16")
        with np.errstate(invalid="ignore", divide="ignore"):
            v = s / cnt
        if d.method == "sum":
            v = v * len(J)
        if d.raw_multiply != 1:
            v = v * float(d.raw_multiply)
        if d.transform is not None:
            v = (v + float(d.transform.add)) * float(d.transform.multiply)
        doms.append(v)
    index = np.mean(doms, axis=0)
    cat = None
    for t in inst.categories:
        cat = np.searchsorted([float(b.min) for b in t.bands], np.round(index, 2), side="right")
    return index, cat


def best_of(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run(iid: str, n: int, repeat: int) -> float:
    inst = indeks.get_instrument(iid)
    a = make_answers(inst, n)
    forms = units = None
    kw: dict = {"id_column": "id"}
    if len(inst.forms) > 1:  # DEKTARA: parent then child row of each family
        forms = (np.arange(n) % 2).astype("int8")
        units = np.arange(n) // 2
        item_form = np.array([list(inst.forms).index(it.form) for it in inst.items])
        a[item_form[None, :] != forms[:, None]] = 0  # each row answers its own form only
    df = as_frame(inst, a, forms, units)
    indeks.score(inst, df.head(1000), **kw)  # warm-up
    t_floor, _ = best_of(lambda: numpy_floor(inst, a, forms, units), repeat)
    t_score, res = best_of(lambda: indeks.score(inst, df, **kw), repeat)
    ratio = t_score / t_floor
    goal = GOALS[iid]
    print(
        f"{iid:12s} n={n:>9,}  indeks.score {t_score:7.3f} s   numpy floor {t_floor:7.3f} s   "
        f"ratio {ratio:5.2f}  (goal <= {goal}){'' if ratio <= goal else '  MISSED'}"
        f"   scored {res.n_scored:,}"
    )
    return ratio


def run_compare(n: int, repeat: int) -> float:
    """``indeks.compare`` on n WHOQOL-BREF pairs (ids as text, post wave shuffled, 1 % of
    each wave unmatched) against scoring both waves with ``indeks.score``."""
    inst = indeks.get_instrument("whoqol-bref")
    rng = np.random.default_rng(5)
    pre = as_frame(inst, make_answers(inst, n, seed=1), None, None)
    post = as_frame(inst, make_answers(inst, n, seed=2), None, None)
    ids = np.char.add("K", np.arange(n).astype(str)).astype(object)
    pre["id"] = ids
    post_ids = ids.copy()
    post_ids[: n // 100] = np.char.add("X", np.arange(n // 100).astype(str))
    post["id"] = post_ids
    post = post.iloc[rng.permutation(n)].reset_index(drop=True)
    indeks.compare(inst, pre.head(1000), post.head(1000))  # warm-up

    def both():
        return indeks.score(inst, pre, id_column="id"), indeks.score(inst, post, id_column="id")

    t_floor, _ = best_of(both, repeat)
    t_cmp, res = best_of(lambda: indeks.compare(inst, pre, post), repeat)
    ratio = t_cmp / t_floor
    goal = GOALS["compare"]
    print(
        f"{'compare':12s} n={n:>9,}  indeks.compare {t_cmp:7.3f} s   score both waves {t_floor:7.3f} s   "
        f"ratio {ratio:5.2f}  (goal <= {goal}){'' if ratio <= goal else '  MISSED'}"
        f"   pairs {res.n_pairs:,}"
    )
    return ratio


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", default=list(GOALS))
    args = ap.parse_args()
    for iid in args.only:
        if iid == "compare":
            run_compare(args.n, args.repeat)
        else:
            run(iid, args.n, args.repeat)


if __name__ == "__main__":
    main()
