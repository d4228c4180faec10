"""Generate the synthetic BNN sample exports (DEKTARA, DEKTARI, IKP, IKOTAN).

    python sample_data/generate_bnn.py          # writes the files and prints their values

Everything is synthetic: respondents are codes (K01-OT, R01, A01, T01), never names.
The random generator has a fixed seed, so the files are identical on every run.  The
answers are drawn at random and then nudged cell by cell until the group totals equal
the chosen targets, so that the files reproduce the realisations of the reference
report (LKIP BNN Kota Kupang 2024) under the built-in definitions:

    DEKTARA post-test  945 of 1120 points  -> 84.38 Tinggi   (pre-test 839 -> 74.91 Rendah)
    DEKTARI post-test  group mean          -> 40.98 Sangat Rendah
    IKP                city value          -> 3.54  Sangat Mandiri (converted 88.50)
    IKOTAN             variables 2.74 / 3.41 / 2.21 / 2.65 / 2.48 (the report's), index 2.70 with
                       the provisional equal weights (the report prints 2.79)

Files:
    sample_data/dektara/pre.csv, post.csv         10 families, parent + child (post: answer texts)
    sample_data/dektari/pre.csv, post.csv         10 adolescents + R11 aged 22 (ineligible; pre: answer texts)
    sample_data/ikp/ikp.csv                       40 activists in four environments (answers a-d)
    sample_data/ikotan/ikotan.csv                 40 respondents in four settings
    sample_data/kupang-2024/data/dektara_pre.csv, dektara_post.csv, dektari_pre.csv,
        dektari_post.csv (the 10 eligible adolescents only), ikp.csv   -- read by the LKIP workspace
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent
SEED = 20240
rng = np.random.default_rng(SEED)

AGREE = {4: "Sangat Setuju", 3: "Setuju", 2: "Tidak Setuju", 1: "Sangat Tidak Setuju"}
AGREE_SHORT = {4: "SS", 3: "S", 2: "TS", 1: "STS"}


def nudge_to_total(
    values: np.ndarray, target: int, weights: np.ndarray | None = None, lo: int = 1, hi: int = 4
) -> np.ndarray:
    """Move random cells one step up or down (within lo..hi) until sum(weights x values) == target."""
    v = values.astype(int).copy()
    w = np.ones_like(v) if weights is None else np.broadcast_to(weights, v.shape).astype(int)
    flat_v, flat_w = v.reshape(-1), w.reshape(-1)
    for _ in range(100_000):
        diff = target - int((flat_v * flat_w).sum())
        if diff == 0:
            return v
        step = 1 if diff > 0 else -1
        movable = (flat_v + step >= lo) & (flat_v + step <= hi) & (flat_w <= abs(diff))
        cand = np.flatnonzero(movable)
        if cand.size == 0:
            raise RuntimeError(f"cannot reach {target}")
        flat_v[rng.choice(cand)] += step
    raise RuntimeError(f"cannot reach {target}")


def draw(n_rows: int, n_cols: int, level: float, spread: float = 0.45) -> np.ndarray:
    """Answers 1..4 around a per-respondent level."""
    person = rng.normal(level, spread, size=(n_rows, 1))
    return np.clip(np.rint(person + rng.normal(0, 0.6, size=(n_rows, n_cols))), 1, 4).astype(int)


def write(df: pd.DataFrame, *parts: str) -> Path:
    path = ROOT.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8")
    return path


# ------------------------------------------------------------------------- DEKTARA
OT = [
    f"ot{i:02d}" for i in range(1, 15)
]  # parent: ot01-ot10 parenting, ot11-ot14 behaviour problems (reverse-keyed)
AN = [f"an{i:02d}" for i in range(1, 15)]  # child: resilience
PARENT_ROLE = ["Orang tua", "Ibu", "Ayah", "Ibu", "Orang tua", "Ibu", "Ayah", "Ibu", "Ortu", "Ibu"]
CHILD_ROLE = ["Anak", "Anak", "Remaja", "Anak", "Anak", "Remaja", "Anak", "Anak", "Anak", "Remaja"]


def dektara(total_points: int, labels: bool) -> pd.DataFrame:
    keyed = nudge_to_total(
        draw(20, 14, total_points / 280), total_points
    )  # 20 respondents x 14 items, keyed points
    rows = []
    for f in range(10):
        fam = f"K{f + 1:02d}"
        for r, (form_items, role, suffix) in enumerate(
            ((OT, PARENT_ROLE[f], "OT"), (AN, CHILD_ROLE[f], "A"))
        ):
            row = {
                "no": 2 * f + r + 1,
                "keluarga": fam,
                "id": f"{fam}-{suffix}",
                "peran": role,
                "kelurahan": "Kelurahan Bersinar",
            }
            k = keyed[2 * f + r]
            for j, item in enumerate(form_items):
                v = int(k[j])
                if item in OT[10:]:
                    v = (
                        5 - v
                    )  # negatively worded: the raw answer is the reverse of the keyed points
                if labels:
                    v = (AGREE_SHORT if (f + j) % 3 == 0 else AGREE)[v]
                row[item] = v
            rows.append(row)
    df = pd.DataFrame(rows, columns=["no", "keluarga", "id", "peran", "kelurahan"] + OT + AN)
    return df


# ------------------------------------------------------------------------- DEKTARI
DIMS = {"sr": 8, "as": 7, "ro": 6}  # placeholder item counts of the definition


def dektari_sums(target: float, n: int = 10) -> tuple[int, int, int]:
    """Dimension totals (over n respondents) whose group mean index rounds half-up to ``target``."""
    from indeks import round_half_up

    level = target / 100 * 3 + 1
    best = None
    c1, c2, c3 = (int(round(level * n * k)) for k in DIMS.values())
    for s1 in range(c1 - 6, c1 + 7):
        for s2 in range(c2 - 6, c2 + 7):
            for s3 in range(c3 - 6, c3 + 7):
                means = (s1 / (8 * n), s2 / (7 * n), s3 / (6 * n))
                v = sum((m - 1) / 3 * 100 for m in means) / 3
                if round_half_up(v, 2) == target:
                    spread = max(means) - min(means)
                    if best is None or spread > best[0]:
                        best = (spread, (s1, s2, s3))
    return best[1]


def dektari(target: float, ages, labels: bool, extra_rows: int = 1) -> pd.DataFrame:
    n = 10
    sums = dektari_sums(target, n)
    blocks = []
    for (_prefix, k), s in zip(DIMS.items(), sums, strict=True):
        blocks.append(nudge_to_total(draw(n, k, s / (n * k), 0.35), s))
    rows = []
    for i in range(n + extra_rows):
        row = {
            "no": i + 1,
            "id": f"R{i + 1:02d}",
            "usia": int(ages[i]),
            "sekolah": ["SMP", "SMA", "SMK", "Mahasiswa"][i % 4],
        }
        for (prefix, k), block in zip(DIMS.items(), blocks, strict=True):
            vals = (
                block[i] if i < n else draw(1, k, 2.5)[0]
            )  # R11 (aged 22) answers, but is not scored
            for j in range(k):
                v = int(vals[j])
                row[f"{prefix}{j + 1:02d}"] = (AGREE_SHORT if j % 2 else AGREE)[v] if labels else v
        rows.append(row)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------- IKP
ASPECTS = ["manusia", "metode", "anggaran", "sistem", "sarana_prasarana", "kegiatan"]
WEIGHTS = np.array([6, 1, 3, 4, 3, 8])
ENVIRONMENTS = [
    ("pemerintah", 12, 3.75),
    ("swasta", 8, 3.2),
    ("masyarakat", 10, 3.45),
    ("pendidikan", 10, 3.65),
]


def ikp() -> pd.DataFrame:
    blocks, envs = [], []
    for env, n, level in ENVIRONMENTS:
        blocks.append(draw(n, 6, level, 0.3))
        envs += [env] * n
    answers = nudge_to_total(
        np.vstack(blocks), int(3.54 * 25 * 40), WEIGHTS
    )  # sum of totals 3540 -> mean 3.54
    letters = np.array(["", "a", "b", "c", "d"])
    df = pd.DataFrame(letters[answers], columns=ASPECTS)
    df.insert(0, "lingkungan", envs)
    df.insert(0, "id", [f"A{i + 1:02d}" for i in range(len(df))])
    return df


# ------------------------------------------------------------------------- IKOTAN
IKOTAN_VARS = [
    ("kk", 2.74),
    ("km", 3.41),
    ("kw", 2.21),
    ("kl", 2.65),
    ("hk", 2.48),
]  # the report's variable scores
SETTINGS = ["lembaga pemerintah", "sekolah", "masyarakat", "keluarga"]


def ikotan() -> pd.DataFrame:
    n = 40
    df = pd.DataFrame(
        {
            "id": [f"T{i + 1:02d}" for i in range(n)],
            "tatanan": [SETTINGS[i // 10] for i in range(n)],
        }
    )
    for prefix, mean in IKOTAN_VARS:
        block = nudge_to_total(draw(n, 5, mean, 0.35), int(round(mean * 5 * n)))
        for j in range(5):
            df[f"{prefix}{j + 1:02d}"] = block[:, j]
    return df


# ------------------------------------------------------------------------- main
def main() -> None:
    ages = rng.integers(12, 22, size=10).tolist() + [22]
    files = {}
    files["dektara_pre"] = dektara(839, labels=False)
    files["dektara_post"] = dektara(945, labels=True)
    files["dektari_pre"] = dektari(37.75, ages, labels=True)
    files["dektari_post"] = dektari(40.98, ages, labels=False)
    files["ikp"] = ikp()
    files["ikotan"] = ikotan()

    write(files["dektara_pre"], "dektara", "pre.csv")
    write(files["dektara_post"], "dektara", "post.csv")
    write(files["dektari_pre"], "dektari", "pre.csv")
    write(files["dektari_post"], "dektari", "post.csv")
    write(files["ikp"], "ikp", "ikp.csv")
    write(files["ikotan"], "ikotan", "ikotan.csv")
    data = ("kupang-2024", "data")
    write(files["dektara_pre"], *data, "dektara_pre.csv")
    write(files["dektara_post"], *data, "dektara_post.csv")
    write(files["dektari_pre"][files["dektari_pre"]["usia"] <= 21], *data, "dektari_pre.csv")
    write(files["dektari_post"][files["dektari_post"]["usia"] <= 21], *data, "dektari_post.csv")
    write(files["ikp"], *data, "ikp.csv")
    report()


def report() -> None:
    import indeks

    read = getattr(indeks, "read_responses", None)
    if read is None:  # the public reader, or the table reader it builds on
        from indeks.io.readers import read_table as read
    jobs = [
        ("dektara", "dektara/pre.csv", None),
        ("dektara", "dektara/post.csv", None),
        ("dektari", "dektari/pre.csv", None),
        ("dektari", "dektari/post.csv", None),
        ("ikp", "ikp/ikp.csv", "lingkungan"),
        ("ikotan", "ikotan/ikotan.csv", "tatanan"),
        ("dektara", "kupang-2024/data/dektara_pre.csv", None),
        ("dektara", "kupang-2024/data/dektara_post.csv", None),
        ("dektari", "kupang-2024/data/dektari_pre.csv", None),
        ("dektari", "kupang-2024/data/dektari_post.csv", None),
        ("ikp", "kupang-2024/data/ikp.csv", "lingkungan"),
    ]
    for inst, rel, group in jobs:
        res = indeks.score(inst, read(ROOT / rel), group_by=group)
        s = res.summary.iloc[0]
        errors = res.issues[res.issues["severity"] == "error"]
        print(
            f"{rel:38s} {inst:8s} n={int(s['n']):2d} scored={int(s['n_scored']):2d} "
            f"index={indeks.format_half_up(s['index'], 2):>6s} {s['category']}"
            + (f"  [issues: {', '.join(sorted(set(errors['code'])))}]" if len(errors) else "")
        )


if __name__ == "__main__":
    main()
