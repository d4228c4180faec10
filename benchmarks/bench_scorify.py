"""indeks against scorify (a peer scoring tool) on the same WHOQOL-BREF CSV, whole process.

Both commands read the same file (``id_klien``, Q1..Q26 answers 1-5 with about 1% empty
cells, ``unit``) and write a CSV; both run as separate processes and are timed by
``/usr/bin/time`` (wall seconds, peak RSS), alternately, in the same run:

* scorify: ``score_data whoqol_scoresheet.csv in.csv --output out.csv`` with a scoresheet
  written here from scorify's own syntax: every item scored, Q3, Q4 and Q26 reversed
  (``map(1:5,5:1)``), each item in its domain, and each domain the mean of its answered
  items (``mean_imputed``: a missing item takes the mean of the answered ones, which is
  the mean of the answered items).
* indeks: ``indeks score whoqol-bref in.csv -o out.csv``.

The jobs are comparable, not equal: indeks does more. scorify has no x4 raw score, no
0-100 transform, no missing-item rule (WHOQOL-BREF: a domain needs enough answered items,
a respondent with too many missing is rejected with a reason), no check of every cell
against the scale, no issue report and no summary; its domain means equal indeks'
``*_raw`` / 4 wherever indeks computes the domain (checked on the first rows here).
Goal (issue 13): indeks >= 40x faster at 1,000,000 rows.

Each timed indeks run follows an untimed one (a warm-up, as ``hyperfine --warmup``
does): on the 2-core VM this was measured on, any process started right after a
minute of one single-threaded job ran 0.3-0.5 s slower, with three times the system
time (the CSV floor of ``bench_cli.py`` too: 1.55 s -> 2.03 s after a 60 s busy loop),
which is a third of indeks' run and under 1 % of scorify's; so scorify gets none.

    python benchmarks/bench_scorify.py                  # 1,000,000 rows (scorify ~1.5 min, ~5 GB)
    python benchmarks/bench_scorify.py -n 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_cli import as_installed, make_csv, pair, seconds  # noqa: E402

DOMAINS = {
    "physical": [3, 4, 10, 15, 16, 17, 18],
    "psychological": [5, 6, 7, 11, 19, 26],
    "social": [20, 21, 22],
    "environment": [8, 9, 12, 13, 14, 23, 24, 25],
}
REVERSED = {3, 4, 26}


def scoresheet() -> str:
    """scorify's scoresheet for the WHOQOL-BREF job (one directive a line, CSV)."""
    domain_of = {q: d for d, qs in DOMAINS.items() for q in qs}
    lines = [
        "layout,header",
        "layout,data",
        'transform,normal,"map(1:5,1:5)"',
        'transform,reverse,"map(1:5,5:1)"',
        "score,id_klien",
    ]
    for i in range(1, 27):
        lines.append(
            f"score,Q{i},{domain_of.get(i, '')},{'reverse' if i in REVERSED else 'normal'}"
        )
    lines += [f"measure,{d},mean_imputed({d})" for d in DOMAINS]
    return "\n".join(lines) + "\n"


def check_same(scorify_out: str, indeks_out: str, rows: int = 1000) -> int:
    """Rows (of the first ``rows``) where a domain both computed differs; raises if any."""
    with open(scorify_out, encoding="utf-8") as a, open(indeks_out, encoding="utf-8-sig") as b:
        sa, sb = csv.DictReader(a), csv.DictReader(b)
        checked = 0
        for ra, rb, _ in zip(sa, sb, range(rows), strict=False):
            assert ra["id_klien"] == rb["respondent_id"]
            for d in DOMAINS:
                if rb[f"{d}_raw"] and ra[d] not in ("", "NaN"):
                    # scorify prints means with 2 decimals
                    assert abs(float(ra[d]) - float(rb[f"{d}_raw"]) / 4) < 0.006, (ra, rb)
                    checked += 1
    return checked


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    score_data = shutil.which("score_data") or os.path.join(
        os.path.dirname(sys.executable), "score_data"
    )
    if not os.path.exists(score_data):
        sys.exit("scorify is not installed: pip install scorify")
    as_installed()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "whoqol.csv")
        make_csv(src, args.n)
        sheet = os.path.join(tmp, "whoqol_scoresheet.csv")
        with open(sheet, "w", encoding="utf-8") as fh:
            fh.write(scoresheet())
        print(f"rows: {args.n:,} ({os.path.getsize(src) / 1e6:.0f} MB CSV)")
        s_out, i_out = os.path.join(tmp, "scorify.csv"), os.path.join(tmp, "indeks.csv")
        scorify_cmd = [score_data, sheet, src, "--output", s_out, "-q"]
        indeks_cmd = [sys.executable, "-m", "indeks.cli", "score", "whoqol-bref", src, "-o", i_out]
        runs: list = []
        (ti, ri), (ts, rs) = pair(indeks_cmd, scorify_cmd, args.repeat, runs, warm_a=True)
        n = check_same(s_out, i_out)
        print(f"scorify {ts:8.2f} s {rs:7.0f} MB   (runs: {seconds(runs[1])} s)")
        print(f"indeks  {ti:8.2f} s {ri:7.0f} MB   (runs: {seconds(runs[0])} s)")
        miss = "" if ts / ti >= 40 else "  MISSED"
        print(f"indeks is {ts / ti:.1f}x faster (goal >= 40){miss}; {n} domain means agree")


if __name__ == "__main__":
    main()
