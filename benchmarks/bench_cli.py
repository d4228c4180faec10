"""End to end: ``indeks score whoqol-bref BIG.csv -o OUT.csv`` against a plain pandas script
that reads the same CSV and writes it back out, both timed in this run.

    python benchmarks/bench_cli.py              # 1,000,000 rows
    python benchmarks/bench_cli.py -n 200000

The goal (issue: readers/CLI): the indeks command within 1.5x of the pandas script.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

PANDAS_SCRIPT = """
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
df.to_csv(sys.argv[2], index=False)
"""


def make_csv(path: str, n: int, seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 6, size=(n, 26)).astype("float64")
    a[rng.random(size=(n, 26)) < 0.01] = np.nan
    df = pd.DataFrame(a, columns=[f"Q{i}" for i in range(1, 27)]).astype("Int64")
    df.insert(0, "id_klien", np.char.add("K", np.arange(1, n + 1).astype(str)))
    df["unit"] = np.where(np.arange(n) % 2 == 0, "Rawat Jalan", "Rawat Inap")
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pacsv.write_csv(pa.Table.from_pandas(df, preserve_index=False), path)


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "whoqol.csv")
        make_csv(src, args.n)
        size = os.path.getsize(src) / 1e6
        t_pandas = timed([sys.executable, "-c", PANDAS_SCRIPT, src, os.path.join(tmp, "copy.csv")])
        t_indeks = timed(
            [
                sys.executable,
                "-m",
                "indeks.cli",
                "score",
                "whoqol-bref",
                src,
                "-o",
                os.path.join(tmp, "out.csv"),
            ]
        )
        print(f"rows: {args.n:,}  ({size:.0f} MB CSV)")
        print(f"pandas read_csv + to_csv:        {t_pandas:.2f} s")
        print(f"indeks score whoqol-bref -o csv: {t_indeks:.2f} s")
        print(f"ratio indeks / pandas:           {t_indeks / t_pandas:.2f}  (goal <= 1.5)")


if __name__ == "__main__":
    main()
