"""Synthetic WHOQOL-BREF pre/post and IKM answers for the Kupang 2024 workspace.

    python sample_data/kupang-2024/generate_whoqol_ikm.py

Designed to reproduce the report's realisations with the library's rules:
- WHOQOL-BREF: 7 rehabilitation clients, every one with a higher mean of the four
  transformed domain scores at the end -> share improved 7 of 7 = 100.00 %;
- IKM: 20 respondents x 9 unsur with 99 answers "4" and 81 answers "3":
  IKM = 639 / 180 = 3.55 exactly (x 25 = 88.75, mutu A).
Ids are codes (RH01, S01); no person's name.
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent / "data"


def main() -> None:
    rng = np.random.default_rng(2024)
    HERE.mkdir(exist_ok=True)
    n = 7
    pre = np.clip(rng.integers(2, 4, size=(n, 26)), 1, 5)
    post = np.clip(pre + rng.integers(0, 2, size=(n, 26)), 1, 5)
    post[:, 9] = np.minimum(pre[:, 9] + 1, 5)  # Q10 energy: everyone gains at least here
    cols = [f"Q{i}" for i in range(1, 27)]
    for name, a in (("whoqol_pre.csv", pre), ("whoqol_post.csv", post)):
        df = pd.DataFrame(a, columns=cols)
        # reverse-worded items: a better state is a lower printed number
        for q in ("Q3", "Q4", "Q26"):
            df[q] = 6 - df[q]
        df.insert(0, "id", [f"RH{i:02d}" for i in range(1, n + 1)])
        df.to_csv(HERE / name, index=False)

    cells = np.array([4] * 99 + [3] * 81)
    rng.shuffle(cells)
    ikm = pd.DataFrame(cells.reshape(20, 9), columns=[f"U{i}" for i in range(1, 10)])
    ikm.insert(0, "no", [f"S{i:02d}" for i in range(1, 21)])
    ikm.to_csv(HERE / "ikm.csv", index=False)


if __name__ == "__main__":
    main()
