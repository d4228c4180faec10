"""Generate the WHOQOL-BREF pre/post sample (fictional clients, fixed seed).

    python sample_data/whoqol/generate.py

Writes ``pre.csv`` and ``post.csv`` next to this script: header
``id_klien,Q1..Q26,unit`` with two units.  Facts the tests and the demo rely on:

* clients K001..K030 answer the pre-test; K001..K029 and K031 the post-test, so
  K030 is only in pre and K031 only in post (both unmatched);
* K015 leaves 7 items blank at post (19 of 26 answered < 21): rejected in post, so
  it is excluded from the denominator and listed;
* K007 is written "k007 " in post (same client after id normalisation);
* post rows are shuffled (pairing is by id, not by row);
* answers are 1..5 as printed, Q3/Q4/Q26 positional (not pre-reversed); post answers
  drift upwards so most clients improve.
No real person's data or name is used.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240611
HERE = Path(__file__).resolve().parent
ITEMS = [f"Q{i}" for i in range(1, 27)]
NEGATIVE = {"Q3", "Q4", "Q26"}  # a higher answer means worse quality of life
UNITS = ["Klinik Pratama", "Rawat Jalan"]


def _answers(rng: np.random.Generator, level: np.ndarray) -> np.ndarray:
    """Answers for clients with latent quality-of-life ``level`` (about 1..5)."""
    n = level.size
    out = np.empty((n, len(ITEMS)), dtype="int64")
    for j, q in enumerate(ITEMS):
        x = level + rng.normal(0.0, 0.7, n)
        if q in NEGATIVE:
            x = 6.0 - x
        out[:, j] = np.clip(np.rint(x), 1, 5)
    return out


def build() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    ids = [f"K{i:03d}" for i in range(1, 32)]
    unit = rng.choice(UNITS, size=len(ids))
    base = rng.normal(2.7, 0.5, len(ids))
    gain = rng.normal(0.45, 0.45, len(ids))
    pre_ans = _answers(rng, base)
    post_ans = _answers(rng, base + gain)

    pre = pd.DataFrame(pre_ans, columns=ITEMS).astype("float64")
    pre.insert(0, "id_klien", ids)
    pre["unit"] = unit
    post = pd.DataFrame(post_ans, columns=ITEMS).astype("float64")
    post.insert(0, "id_klien", ids)
    post["unit"] = unit

    pre = pre[pre["id_klien"] != "K031"]  # K031: only in post
    post = post[post["id_klien"] != "K030"].copy()  # K030: only in pre
    k15 = post["id_klien"] == "K015"
    post.loc[k15, ["Q5", "Q8", "Q12", "Q16", "Q20", "Q23", "Q25"]] = np.nan  # 19 of 26 answered
    post.loc[post["id_klien"] == "K007", "id_klien"] = "k007 "
    post = post.sample(frac=1.0, random_state=SEED % 2**32).reset_index(drop=True)
    for df in (pre, post):
        df[ITEMS] = df[ITEMS].astype("Int64")
    return pre.reset_index(drop=True), post


def main() -> None:
    pre, post = build()
    pre.to_csv(HERE / "pre.csv", index=False)
    post.to_csv(HERE / "post.csv", index=False)
    print(f"pre.csv: {len(pre)} rows, post.csv: {len(post)} rows")


if __name__ == "__main__":
    main()
