"""Regenerate the "files as officers keep them" samples from a fixed seed.

    python sample_data/generate_field_files.py

Each file has one shape that used to give a wrong number without saying so:

- ``ikm/rekap_skm.xlsx``: a recap sheet: title rows, a two-row merged header ("No",
  "Nama", "Layanan" merged over both rows, "Nilai Unsur Pelayanan" spanning U1..U9),
  respondents in two blocks with a blank row, then JUMLAH / RATA-RATA / NRR
  tertimbang / IKM rows (used by ``indeks demo``);
- ``ikm/gabungan.csv``: two exports pasted together, the second with its header;
- ``ikm/google_forms_standar.csv``: headers written as the standard PermenPAN-RB
  14/2017 questions (one with the usual typo), answers as texts: no mapping needed;
- ``ikm/setuju.csv`` + ``ikm/setuju_labels.csv``: a form answered on a Setuju scale,
  and the user's statement of what those answers mean (``--labels``);
- ``ikm/ikm_14_unsur.csv``: the 14-unsur KepMenPAN 25/2004 form (score it with
  ``ikm-2004``; with ``ikm`` U10..U14 are reported as ignored);
- ``whoqol/kobo_pre.csv`` / ``whoqol/kobo_post.csv``: KoboToolbox exports with
  ``_id``/``_uuid``/``_index`` and a group-prefixed client code;
- ``dektari/usia_satuan.csv``: ages typed with units ("15 tahun", "16 th").

Synthetic data only: ids are codes, names are "Responden 1"...
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

import indeks

HERE = Path(__file__).resolve().parent
SEED = 20250311
UNSUR = [f"U{j}" for j in range(1, 10)]


def ikm_answers(rng, n: int, k: int = 9) -> np.ndarray:
    """Answers 1..4, mostly 3 and 4 (a satisfied public, as published IKMs are)."""
    return rng.choice([1, 2, 3, 4], size=(n, k), p=[0.03, 0.17, 0.55, 0.25])


def rekap_skm(rng) -> None:
    a = ikm_answers(rng, 14)
    layanan = ["Rawat jalan"] * 8 + ["Konseling"] * 6
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap SKM"
    ws.append(["REKAPITULASI SURVEI KEPUASAN MASYARAKAT"])
    ws.append(["Klinik Pratama (contoh sintetis), Semester I"])
    ws.append([])
    ws.append(["No", "Nama", "Layanan", "Nilai Unsur Pelayanan"] + [None] * 8)
    ws.append([None, None, None, *UNSUR])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:C5")
    ws.merge_cells("D4:L4")
    for i in range(14):
        if i == 8:
            ws.append([])  # a blank row between the two services
        ws.append([i + 1, f"Responden {i + 1}", layanan[i], *a[i].tolist()])
    sums = a.sum(axis=0)
    nrr = sums / len(a)
    ws.append(["JUMLAH", None, None, *sums.tolist()])
    ws.append(["RATA-RATA", None, None, *[round(float(x), 2) for x in nrr]])
    ws.append(["NRR tertimbang", None, None, *[round(float(x) / 9, 3) for x in nrr]])
    ikm = float(nrr.sum() / 9)
    ws.append(["IKM", None, None, round(ikm, 2), None, "IKM x 25", round(ikm * 25, 2)])
    wb.save(HERE / "ikm" / "rekap_skm.xlsx")


def gabungan(rng) -> None:
    a = ikm_answers(rng, 12)
    head = ["kode", "layanan", *UNSUR]
    rows = [
        [f"S{i + 1:03d}", "Asesmen" if i < 6 else "Rawat jalan", *a[i].tolist()] for i in range(12)
    ]
    df = pd.DataFrame(rows[:6] + [head] + rows[6:], columns=head)
    df.to_csv(HERE / "ikm" / "gabungan.csv", index=False)


def google_forms_standar(rng) -> None:
    inst = indeks.get_instrument("ikm")
    a = ikm_answers(rng, 15)
    heads = [f"{j}. {it.text}" for j, it in enumerate(inst.items, start=1)]
    heads[6] = heads[6].replace("Bagaimana", "Bagamana").replace("tentang ", "")  # as printed
    rows = []
    for i in range(15):
        row = [f"2025/03/{i + 1:02d} 10:{i:02d}:00 GMT+8", f"Responden {i + 1}"]
        for j, it in enumerate(inst.items):
            row.append(it.labels[int(a[i, j])][0])
        rows.append(row)
    pd.DataFrame(rows, columns=["Timestamp", "Nama", *heads]).to_csv(
        HERE / "ikm" / "google_forms_standar.csv", index=False
    )


SETUJU = ["Sangat tidak setuju", "Tidak setuju", "Setuju", "Sangat setuju"]


def setuju(rng) -> None:
    a = ikm_answers(rng, 12)
    rows = [[f"R{i + 1:02d}", *[SETUJU[v - 1] for v in a[i]]] for i in range(12)]
    pd.DataFrame(rows, columns=["id", *[f"P{j}" for j in range(1, 10)]]).to_csv(
        HERE / "ikm" / "setuju.csv", index=False
    )
    lines = ["item,text,code"] + [f"*,{t},{c}" for c, t in enumerate(SETUJU, start=1)]
    (HERE / "ikm" / "setuju_labels.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def ikm_14(rng) -> None:
    a = ikm_answers(rng, 10, 14)
    df = pd.DataFrame(a, columns=[f"U{j}" for j in range(1, 15)])
    df.insert(0, "kode", [f"L{i + 1:02d}" for i in range(10)])
    df.to_csv(HERE / "ikm" / "ikm_14_unsur.csv", index=False)


def kobo(rng) -> None:
    ids = [f"KPG-{i:03d}" for i in range(1, 9)]
    for wave, shift in (("pre", 0), ("post", 1)):
        a = np.clip(
            rng.integers(2, 5, size=(8, 26)) + shift * rng.integers(0, 2, size=(8, 26)), 1, 5
        )
        order = list(range(8)) if wave == "pre" else [3, 0, 7, 1, 5, 2, 6, 4]
        cols: dict[str, list] = {
            "start": [f"2025-0{2 + shift}-1{i} 09:00" for i in range(8)],
            "grp_identitas/kode_klien": [ids[i] for i in order],
        }
        for j in range(26):
            cols[f"grp_whoqol/q{j + 1}"] = [int(a[i, j]) for i in order]
        cols["_id"] = [5000 + 100 * shift + i for i in range(8)]
        cols["_uuid"] = [f"{wave}-{i:04x}" for i in range(8)]
        cols["_index"] = list(range(1, 9))
        pd.DataFrame(cols).to_csv(HERE / "whoqol" / f"kobo_{wave}.csv", index=False)


def usia_satuan(rng) -> None:
    inst = indeks.get_instrument("dektari")
    ages = ["15 tahun", "16 th", "17", "14 thn", "22 tahun", "13 Th.", "18 tahun", "16 bulan"]
    df = pd.DataFrame({"kode": [f"D{i + 1:02d}" for i in range(len(ages))], "umur": ages})
    for it in inst.items:
        df[it.id] = rng.integers(2, 5, size=len(ages))
    df.to_csv(HERE / "dektari" / "usia_satuan.csv", index=False)


def main() -> None:
    rng = np.random.default_rng(SEED)
    rekap_skm(rng)
    gabungan(rng)
    google_forms_standar(rng)
    setuju(rng)
    ikm_14(rng)
    kobo(rng)
    usia_satuan(rng)


if __name__ == "__main__":
    main()
