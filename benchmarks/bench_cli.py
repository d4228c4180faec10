"""The ``indeks`` command end to end against its floor, each pair measured in the same run.

Every figure is a whole process (``/usr/bin/time``: wall seconds and peak RSS):

* ``csv``:  ``indeks score whoqol-bref in.csv -o out.csv`` against the CLI floor, a
  lean script that reads the same CSV with pyarrow (only the columns it needs, the
  answers as int8), scores it with a plain numpy scorer (domain means, x4 transform)
  and writes a table of the same shape (rows x columns of indeks' respondents sheet)
  with pyarrow's CSV writer.
  Goals: ratio <= 1.3, peak RSS <= 450 bytes per respondent.
* ``xlsx``: ``indeks score whoqol-bref in.csv -o out.xlsx`` against the same floor
  writing that table with xlsxwriter (constant-memory mode, same number formats).
  Goals: ratio <= 1.3, peak RSS <= 300 MB.
* ``help``: ``indeks --help`` against ``python -c "import pandas"``. Goal: ratio <= 1.3.

    python benchmarks/bench_cli.py                     # 1,000,000 rows, all three
    python benchmarks/bench_cli.py -n 200000 --only csv help
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

# The floor: a plain, lean implementation of the same job.  It reads only the columns
# the output needs, the answers straight as int8 (the floor knows the file), scores
# with numpy and writes a table of the same shape as indeks' respondents sheet
# (respondent_id, row, status, reason, unit, two single items, four domains 0-100 and
# raw 4-20).  No pandas: that is part of what indeks pays for.
FLOOR = r"""
import sys
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

src, out = sys.argv[1], sys.argv[2]
items = [f"Q{i}" for i in range(1, 27)]
t = pacsv.read_csv(src, convert_options=pacsv.ConvertOptions(
    column_types={q: pa.int8() for q in items}, include_columns=["id_klien", *items, "unit"]))
n = t.num_rows
A = np.empty((n, 26), dtype="int8", order="F")
valid = np.empty((n, 26), dtype=bool, order="F")
for j, q in enumerate(items):
    c = t.column(q)
    valid[:, j] = c.is_valid().to_numpy(zero_copy_only=False)
    A[:, j] = c.fill_null(0).to_numpy()
for j in (2, 3, 25):  # Q3, Q4, Q26 reverse-keyed
    A[:, j] = np.where(valid[:, j], 6 - A[:, j], 0)
doms = {"physical": [2, 3, 9, 14, 15, 16, 17], "psychological": [4, 5, 6, 10, 18, 25],
        "social": [19, 20, 21], "environment": [7, 8, 11, 12, 13, 22, 23, 24]}
ok = valid.all(axis=1)
status = pa.DictionaryArray.from_arrays(pa.array(ok.astype("int8") ^ 1), ["scored", "rejected"])
cols = {"respondent_id": t.column("id_klien"), "row": pa.array(np.arange(2, n + 2)),
        "status": status.cast(pa.string()), "reason": pa.nulls(n, pa.string()),
        "unit": t.column("unit"),
        "overall_qol": pa.array(A[:, 0].astype(float)), "general_health": pa.array(A[:, 1].astype(float))}
with np.errstate(invalid="ignore", divide="ignore"):
    for d, J in doms.items():
        raw = A[:, J].sum(axis=1, dtype="int16") / valid[:, J].sum(axis=1) * 4
        cols[d] = pa.array((raw - 4) * 6.25, from_pandas=True)  # NaN -> empty cell
        cols[d + "_raw"] = pa.array(raw, from_pandas=True)
table = pa.table(cols)
del t, A, valid
if out.endswith(".csv"):
    pacsv.write_csv(table, out)
else:
    import xlsxwriter
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("responden")
    two = wb.add_format({"num_format": "0.00"})
    for i, f in enumerate(table.schema):
        ws.set_column(i, i, 12, two if str(f.type) == "double" else None)
    ws.write_row(0, 0, table.column_names)
    r = 1
    for batch in table.to_batches(max_chunksize=20_000):
        columns = []
        for c in batch.columns:  # numbers through numpy (NaN -> empty cell), text as is
            if pa.types.is_floating(c.type) or pa.types.is_integer(c.type):
                a = c.to_numpy(zero_copy_only=False).astype(float)
                cells = a.astype(object)
                cells[np.isnan(a)] = None
                columns.append(cells.tolist() if pa.types.is_floating(c.type) else a.astype("int64").tolist())
            else:
                columns.append(c.to_pylist())
        for row in zip(*columns):
            ws.write_row(r, 0, row)
            r += 1
    wb.close()
"""


def make_csv(path: str, n: int, seed: int = 11) -> None:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    a = rng.integers(1, 6, size=(n, 26)).astype("float64")
    a[rng.random(size=(n, 26)) < 0.01] = np.nan
    df = pd.DataFrame(a, columns=[f"Q{i}" for i in range(1, 27)]).astype("Int64")
    df.insert(0, "id_klien", np.char.add("K", np.arange(1, n + 1).astype(str)))
    df["unit"] = np.where(np.arange(n) % 2 == 0, "Rawat Jalan", "Rawat Inap")
    pacsv.write_csv(pa.Table.from_pandas(df, preserve_index=False), path)


def as_installed() -> None:
    """Compile indeks' modules to bytecode first, as ``pip install`` does: a source
    checkout run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module
    on every start (about 60 ms a process) and the figures would not be a user's."""
    import compileall

    import indeks

    compileall.compile_dir(os.path.dirname(indeks.__file__), quiet=1)


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one process."""
    r = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %e %M", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    line = [x for x in r.stderr.splitlines() if x.startswith("TIME ")][-1]
    _, sec, kb = line.split()
    return float(sec), int(kb) / 1024


def pair(
    a: list[str], b: list[str], repeat: int, runs: list | None = None, warm_a: bool = False
) -> tuple[tuple[float, float], ...]:
    """(best seconds, peak MB) of two commands run alternately, so both see the same
    machine (it is shared: load changes minute to minute).  ``runs``: a list that gets
    the seconds of every run of each command (two lists).  ``warm_a``: every timed run
    of ``a`` follows an untimed one (when ``b`` runs for minutes and ``a`` for seconds)."""
    ra, rb = [], []
    for _ in range(repeat):
        if warm_a:
            timed(a)
        ra.append(timed(a))
        rb.append(timed(b))
    if runs is not None:
        runs.extend([[r[0] for r in ra], [r[0] for r in rb]])
    return tuple((min(r[0] for r in rs), max(r[1] for r in rs)) for rs in (ra, rb))


def seconds(times: list[float]) -> str:
    """Every run's seconds, for the lines that quote the best of several."""
    return ", ".join(f"{t:.2f}" for t in times)


def line(label, t, rss, ft, frss, goal, n=None, rss_goal=None) -> None:
    ratio = t / ft
    per = f"  {rss * 1024 * 1024 / n:,.0f} B/respondent" if n else ""
    miss = "" if ratio <= goal else "  MISSED"
    if rss_goal is not None and rss > rss_goal:
        miss += "  RSS MISSED"
    print(
        f"{label:6s} indeks {t:7.2f} s {rss:7.0f} MB{per}   floor {ft:7.2f} s {frss:7.0f} MB   "
        f"ratio {ratio:5.2f} (goal <= {goal}){miss}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", nargs="*", default=["csv", "xlsx", "help"])
    args = ap.parse_args()
    py = sys.executable
    as_installed()
    indeks = [py, "-m", "indeks.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        if {"csv", "xlsx"} & set(args.only):
            src = os.path.join(tmp, "whoqol.csv")
            make_csv(src, args.n)
            print(f"rows: {args.n:,} ({os.path.getsize(src) / 1e6:.0f} MB CSV)")
        for kind in ("csv", "xlsx"):
            if kind not in args.only:
                continue
            out = os.path.join(tmp, f"out.{kind}")
            runs: list = []
            (t, rss), (ft, frss) = pair(
                [*indeks, "score", "whoqol-bref", src, "-o", out],
                [py, "-c", FLOOR, src, os.path.join(tmp, f"floor.{kind}")],
                args.repeat,
                runs,
            )
            if kind == "csv":
                line(kind, t, rss, ft, frss, 1.3, n=args.n, rss_goal=450 * args.n / 2**20)
            else:
                line(kind, t, rss, ft, frss, 1.3, rss_goal=300)
            if args.repeat > 1:
                print(f"       runs: indeks {seconds(runs[0])} s; floor {seconds(runs[1])} s")
        if "help" in args.only:
            (t, rss), (ft, frss) = pair(
                [*indeks, "--help"], [py, "-c", "import pandas"], max(3, args.repeat)
            )
            line("help", t, rss, ft, frss, 1.3)


if __name__ == "__main__":
    main()
