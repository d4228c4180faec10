"""Large jobs: streaming and Dask against the in-memory engine, in the same run.

Generates (once) a WHOQOL-BREF CSV of N respondents with a province and a city column
(1 % blank answers), then measures, each in its own child process so its peak resident
memory (ru_maxrss) is its own:

* ``stream``: ``indeks score whoqol-bref big.csv -o out.parquet --chunk-rows C
  --group provinsi --group kota`` through :func:`indeks.scoring.stream.score_files`;
* ``dask``: the same job on a LocalCluster of 2 worker processes
  (peak RSS of the client process; each worker holds about one partition);
* ``memory``: the in-memory engine (``read_responses`` + ``indeks.score`` + writing the
  Parquet) on the first M rows of the same file (M small enough to fit in memory),

and prints rows per second and the throughput ratio streaming / in-memory.  The
summaries of ``stream`` and ``dask`` are checked equal, bit for bit.

    python benchmarks/bench_large.py --rows 10000000 --csv /tmp/whoqol-10m.csv
    python benchmarks/bench_large.py --rows 200000 --memory-rows 200000   # quick

Goal: the 10,000,000-row stream stays under 1 GB peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROVINCES = 34
CITIES_PER_PROVINCE = 15


def generate(path: Path, rows: int, seed: int = 11, block: int = 500_000) -> None:
    """Write the CSV in blocks (never the whole table in memory)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as fh:
        first = True
        for start in range(0, rows, block):
            n = min(block, rows - start)
            cols = {"id_klien": pa.array([f"K{i:08d}" for i in range(start, start + n)])}
            prov = rng.integers(0, PROVINCES, n)
            city = prov * 100 + rng.integers(0, CITIES_PER_PROVINCE, n)
            cols["provinsi"] = pa.array([f"P{p:02d}" for p in prov])
            cols["kota"] = pa.array([f"C{c:04d}" for c in city])
            for i in range(1, 27):
                v = rng.integers(1, 6, n).astype("float64")
                v[rng.random(n) < 0.01] = np.nan
                cols[f"Q{i}"] = pa.array(v, from_pandas=True).cast(pa.int8())
            table = pa.table(cols)
            pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=first))
            first = False
    os.replace(tmp, path)


def _child(mode: str, csv: str, out: str, chunk_rows: int, memory_rows: int, workers: int):
    t0 = time.perf_counter()
    if mode == "stream":
        from indeks.scoring.stream import score_files

        r = score_files(
            "whoqol-bref", csv, out, chunk_rows=chunk_rows, group_by=["provinsi", "kota"]
        )
        rows = r.meta["streamed"]["rows"]
        summary = r.summary
    elif mode == "dask":
        from distributed import Client, LocalCluster

        from indeks.scoring.stream import score_files

        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            t0 = time.perf_counter()  # cluster start-up is not part of the job
            r = score_files(
                "whoqol-bref",
                csv,
                out,
                engine="dask",
                scheduler=client,
                chunk_rows=chunk_rows,
                partition_bytes=32 * 1024 * 1024,
                group_by=["provinsi", "kota"],
            )
            rows = r.meta["streamed"]["rows"]
            summary = r.summary
    else:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        import indeks
        from indeks.io.results import write_result

        # the first memory_rows rows as their own file, read and scored whole
        part = Path(out).with_suffix(".in.csv")
        reader = pacsv.open_csv(csv, read_options=pacsv.ReadOptions(block_size=1 << 24))
        batches, n = [], 0
        while n < memory_rows:
            try:
                b = reader.read_next_batch()
            except StopIteration:
                break
            batches.append(b)
            n += b.num_rows
        pacsv.write_csv(pa.Table.from_batches(batches).slice(0, memory_rows), part)
        del batches
        t0 = time.perf_counter()
        df = indeks.read_responses(part)
        r = indeks.score("whoqol-bref", df, group_by=["provinsi", "kota"])
        write_result(r, out)
        rows = len(r.respondents)
        summary = r.summary
        part.unlink()
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    summary_file = Path(out).with_suffix(".summary.pkl")
    summary.to_pickle(summary_file)
    print(json.dumps({"mode": mode, "rows": rows, "seconds": seconds, "peak_rss": rss}))


def run(mode, args, out_dir) -> dict:
    out = str(Path(out_dir) / f"{mode}.parquet")
    cmd = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--csv",
        str(args.csv),
        "--out",
        out,
        "--chunk-rows",
        str(args.chunk_rows),
        "--memory-rows",
        str(args.memory_rows),
        "--workers",
        str(args.workers),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr[-4000:])
        raise SystemExit(f"{mode} failed")
    rec = json.loads(res.stdout.strip().splitlines()[-1])
    rec["summary"] = Path(out).with_suffix(".summary.pkl")
    return rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--csv", type=Path, default=Path(tempfile.gettempdir()) / "whoqol-large.csv")
    ap.add_argument("--chunk-rows", type=int, default=100_000)
    ap.add_argument("--memory-rows", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--modes", default="memory,stream,dask")
    ap.add_argument("--child")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child:
        _child(args.child, str(args.csv), args.out, args.chunk_rows, args.memory_rows, args.workers)
        return
    if not args.csv.exists():
        t = time.perf_counter()
        generate(args.csv, args.rows)
        print(
            f"generated {args.csv} ({args.csv.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s"
        )
    size = args.csv.stat().st_size
    print(f"input: {args.csv} ({size / 1e6:.0f} MB), chunk rows {args.chunk_rows:,}")
    import pandas as pd

    results = {}
    with tempfile.TemporaryDirectory(dir=args.csv.parent) as out_dir:
        for mode in args.modes.split(","):
            rec = run(mode, args, out_dir)
            rec["rate"] = rec["rows"] / rec["seconds"]
            rec["summary_frame"] = pd.read_pickle(rec["summary"])
            results[mode] = rec
            print(
                f"{mode:7s} {rec['rows']:>11,} rows  {rec['seconds']:8.1f} s  "
                f"{rec['rate']:>10,.0f} rows/s  peak RSS {rec['peak_rss'] / 2**20:,.0f} MiB"
            )
    if "stream" in results and "memory" in results:
        ratio = results["stream"]["rate"] / results["memory"]["rate"]
        print(f"throughput ratio streaming / in-memory: {ratio:.2f}")
    if "stream" in results and "dask" in results:
        a, b = results["stream"]["summary_frame"], results["dask"]["summary_frame"]
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        print("stream and dask summaries: identical (every level)")
    if "stream" in results:
        rss = results["stream"]["peak_rss"]
        print(f"streaming peak RSS {rss / 1e9:.2f} GB: under 1 GB {'yes' if rss < 1e9 else 'NO'}")


if __name__ == "__main__":
    main()
