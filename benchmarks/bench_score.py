"""Throughput of ``indeks.score`` on N synthetic WHOQOL-BREF respondents.

Prints respondents scored per second in-process, next to the time pandas needs to read
the same respondents from CSV, measured in the same run, and their ratio.

    python benchmarks/bench_score.py            # N = 1,000,000
    python benchmarks/bench_score.py -n 200000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
import pandas as pd

import indeks


def make_data(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 6, size=(n, 26)).astype("float64")
    a[rng.random(size=(n, 26)) < 0.01] = np.nan  # a realistic sprinkle of blanks
    df = pd.DataFrame(a, columns=[f"Q{i}" for i in range(1, 27)])
    df.insert(0, "id", np.arange(1, n + 1))
    return df


def best_of(fn, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    df = make_data(args.n)
    inst = indeks.get_instrument("whoqol-bref")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "whoqol.csv")
        df.to_csv(path, index=False)
        t_read, _ = best_of(lambda: pd.read_csv(path), args.repeat)
        t_read_arrow, _ = best_of(lambda: pd.read_csv(path, engine="pyarrow"), args.repeat)
    indeks.score(inst, df.head(1000), id_column="id")  # warm-up
    t_score, res = best_of(lambda: indeks.score(inst, df, id_column="id"), args.repeat)
    n_scored = res.n_scored
    print(
        f"respondents:                 {args.n:,} ({n_scored:,} scored, {args.n - n_scored:,} rejected)"
    )
    print(
        f"indeks.score:                {t_score:.3f} s  ->  {args.n / t_score:,.0f} respondents/s"
    )
    print(f"pandas.read_csv (C engine):  {t_read:.3f} s")
    print(f"pandas.read_csv (pyarrow):   {t_read_arrow:.3f} s")
    print(f"ratio score / read_csv (C):  {t_score / t_read:.2f}")


if __name__ == "__main__":
    main()
