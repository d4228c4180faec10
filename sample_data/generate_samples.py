"""Regenerate the WHOQOL-BREF and IKM sample exports from a fixed seed.

    python sample_data/generate_samples.py

One clean answer frame per instrument is written in the shapes field officers send:
- ``clean.csv``: numeric codes, the reference for tests;
- ``google_forms.xlsx`` + ``google_forms_map.csv``: question-text headers, label answers,
  a Timestamp column (IKM: title rows above the header, as a hand-made sheet has);
- ``semicolon.csv``: ``;``-separated with decimal commas, as Indonesian Excel writes;
- ``spss.sav``: numeric codes with SPSS value labels;
- ``problems.csv``: a file with deliberate problems (out of range, unknown label,
  duplicate id, too many missing, missing codes, a formula-like text cell).
Synthetic data only: ids are codes (K001, R001), no person's name.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import indeks

HERE = Path(__file__).resolve().parent
SEED = 20241


def _labels(inst, item_id):
    it = inst.item(item_id)
    sc = inst.scales[it.scale]
    table = {**{k: v for k, v in sc.labels.items()}, **it.labels}
    return {code: texts[0] for code, texts in table.items()}


def whoqol(rng) -> pd.DataFrame:
    inst = indeks.get_instrument("whoqol-bref")
    n = 24
    level = rng.normal(3.4, 0.6, size=n)
    a = np.clip(np.rint(level[:, None] + rng.normal(0, 0.8, size=(n, 26))), 1, 5).astype(int)
    df = pd.DataFrame(a, columns=[f"Q{i}" for i in range(1, 27)])
    # reverse-worded items answered the other way round
    for q in ("Q3", "Q4", "Q26"):
        df[q] = 6 - df[q]
    df.insert(0, "id_klien", [f"K{i:03d}" for i in range(1, n + 1)])
    df["unit"] = np.where(np.arange(n) % 3 == 0, "Klinik Pratama", "Rawat Jalan")
    df.loc[[4, 11], "Q21"] = np.nan  # a question some clients skip
    return df, inst


def ikm(rng) -> pd.DataFrame:
    inst = indeks.get_instrument("ikm")
    n = 30
    p = [0.05, 0.15, 0.5, 0.3]
    a = rng.choice([1, 2, 3, 4], size=(n, 9), p=p)
    df = pd.DataFrame(a, columns=[f"U{i}" for i in range(1, 10)])
    df.insert(0, "no", range(1, n + 1))
    df["layanan"] = np.where(np.arange(n) % 2 == 0, "Rawat Jalan", "Rawat Inap")
    df.loc[[3, 17], "U4"] = np.nan  # the free service: some leave "Biaya" empty
    return df, inst


def write_shapes(
    folder: Path, df: pd.DataFrame, inst, id_col: str, items: list[str], title_rows: list[str]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    df.to_csv(folder / "clean.csv", index=False)

    # Google Forms: question text headers, label answers, a timestamp
    gf = pd.DataFrame(
        {
            "Timestamp": pd.date_range("2024-03-04 09:00", periods=len(df), freq="17min").strftime(
                "%d/%m/%Y %H:%M:%S"
            )
        }
    )
    gf[id_col] = df[id_col]
    mapping = []
    for i, col in enumerate(items, start=1):
        it = inst.items[i - 1]
        header = f"{i}. {it.text or it.label}"
        labs = _labels(inst, it.id)
        gf[header] = df[col].map(lambda v, labs=labs: labs.get(int(v), "") if pd.notna(v) else "")
        mapping.append((it.id, header))
    for c in df.columns:
        if c not in items and c != id_col:
            gf[c] = df[c]
    xlsx = folder / "google_forms.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        start = len(title_rows) + (1 if title_rows else 0)
        gf.to_excel(xw, index=False, sheet_name="Form Responses 1", startrow=start)
        ws = xw.sheets["Form Responses 1"]
        for r, text in enumerate(title_rows, start=1):
            ws.cell(row=r, column=1, value=text)
    pd.DataFrame(mapping, columns=["item", "column"]).to_csv(
        folder / "google_forms_map.csv", index=False
    )

    # semicolon CSV with decimal commas (Indonesian Excel): answers as text "4" and a mean column "3,25"
    sc = df.copy()
    sc["rata_rata"] = df[items].mean(axis=1).round(2)
    sc.to_csv(folder / "semicolon.csv", sep=";", decimal=",", index=False)

    # SPSS with value labels
    import pyreadstat

    sav = df.copy()
    value_labels = {
        c: {float(k): v for k, v in _labels(inst, inst.items[i].id).items()}
        for i, c in enumerate(items)
    }
    pyreadstat.write_sav(
        sav,
        folder / "spss.sav",
        variable_value_labels=value_labels,
        column_labels={
            c: (inst.items[i].text or inst.items[i].label)[:120] for i, c in enumerate(items)
        },
    )


def problems_whoqol(df: pd.DataFrame) -> pd.DataFrame:
    p = df.head(8).copy().astype(object)
    p.loc[1, "Q10"] = 7  # out of range
    p.loc[2, "Q2"] = "Lumayan"  # unknown label
    p.loc[3, "id_klien"] = p.loc[2, "id_klien"]  # duplicate id
    p.loc[4, [f"Q{i}" for i in range(1, 8)]] = np.nan  # 7 missing: rejected
    p.loc[5, "Q16"] = 9  # declared missing code
    p.loc[6, "Q5"] = 3.5  # not a whole code
    p["catatan"] = ""
    p.loc[7, "catatan"] = '=HYPERLINK("http://contoh.invalid","klik")'  # must stay text in outputs
    return p


def problems_ikm(df: pd.DataFrame) -> pd.DataFrame:
    p = df.head(8).copy().astype(object)
    p.loc[0, "U1"] = 5  # out of range
    p.loc[1, "U7"] = "Biasa saja"  # unknown label
    p.loc[2, "no"] = 2  # duplicate id
    p.loc[3, [f"U{i}" for i in range(1, 10)]] = np.nan  # nothing answered: rejected
    p.loc[4, "U3"] = "-"  # declared missing label
    return p


def main() -> None:
    rng = np.random.default_rng(SEED)
    w, winst = whoqol(rng)
    write_shapes(HERE / "whoqol", w, winst, "id_klien", [f"Q{i}" for i in range(1, 27)], [])
    problems_whoqol(w).to_csv(HERE / "whoqol" / "problems.csv", index=False)
    k, kinst = ikm(rng)
    write_shapes(
        HERE / "ikm",
        k,
        kinst,
        "no",
        [f"U{i}" for i in range(1, 10)],
        ["SURVEI KEPUASAN MASYARAKAT", "Klinik Rehabilitasi (data sintetis)"],
    )
    problems_ikm(k).to_csv(HERE / "ikm" / "problems.csv", index=False)
    print(
        "written:",
        *sorted(
            str(p.relative_to(HERE)) for p in HERE.glob("*/*") if p.parent.name in ("whoqol", "ikm")
        ),
        sep="\n  ",
    )


if __name__ == "__main__":
    main()
