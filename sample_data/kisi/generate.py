"""Make the kisi-kisi sample: an invented DEKTARI-like questionnaire (not BNN's items).

Writes, deterministically:
- ``kisi-kisi-ketahanan-remaja.xlsx``: the blueprint as a school counsellor would draw it
  (title rows, merged dimension and indicator cells, (+)/(-) column, a Jumlah row);
- ``ketahanan-remaja.toml``: the definition ``indeks instruments new`` makes from it with
  the rules of the built-in DEKTARI (``--base dektari``);
- ``kisi-kisi-ketahanan-remaja-ekspor.xlsx``: that definition written back as a kisi-kisi
  workbook for review (``indeks instruments kisi``);
- ``jawaban.csv``: 40 invented answers exported from a Google Form (question texts as
  column headers, answers as words).

Run from the repository root: ``python sample_data/kisi/generate.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

# dimension -> indicator -> [(statement, +/-)]
KISI = {
    "Regulasi Diri": {
        "Mengendalikan emosi": [
            ("Saya dapat menenangkan diri ketika sedang marah", "+"),
            ("Saya mudah membanting barang ketika kesal", "-"),
        ],
        "Menahan dorongan": [
            ("Saya mampu menolak keinginan untuk ikut-ikutan teman", "+"),
            ("Saya sering melakukan sesuatu tanpa memikirkan akibatnya", "-"),
        ],
        "Menetapkan tujuan": [
            ("Saya punya cita-cita yang ingin saya capai", "+"),
            ("Saya menyusun jadwal belajar sendiri", "+"),
        ],
    },
    "Asertivitas": {
        "Menolak ajakan negatif": [
            ("Saya berani berkata tidak ketika ditawari rokok atau minuman keras", "+"),
            ("Saya ikut saja apa kata teman agar tidak dijauhi", "-"),
        ],
        "Menyampaikan pendapat": [
            ("Saya menyampaikan pendapat saya dengan sopan di depan kelas", "+"),
            ("Saya diam saja walaupun tidak setuju dengan teman", "-"),
        ],
        "Mempertahankan hak": [
            ("Saya berani melapor kepada guru jika dirundung", "+"),
            ("Saya membiarkan barang saya dipakai teman tanpa izin", "-"),
        ],
    },
    "Mencari Bantuan": {
        "Bercerita kepada orang tepercaya": [
            ("Saya bercerita kepada orang tua ketika ada masalah", "+"),
            ("Saya memendam masalah saya sendiri", "-"),
        ],
        "Memanfaatkan layanan": [
            ("Saya tahu ke mana harus mencari bantuan jika teman memakai narkoba", "+"),
            ("Saya mau menemui guru BK bila merasa tertekan", "+"),
        ],
        "Membangun pertemanan sehat": [
            ("Saya punya teman yang mengajak pada kegiatan positif", "+"),
            ("Saya merasa tidak punya siapa pun untuk diajak bicara", "-"),
        ],
    },
}
WORDS = {1: "Sangat Tidak Setuju", 2: "Tidak Setuju", 3: "Setuju", 4: "Sangat Setuju"}


def write_kisi(path: Path) -> list[tuple[str, str]]:
    wb = Workbook()
    ws = wb.active
    ws.title = "Kisi-kisi"
    ws["A1"] = "KISI-KISI ANGKET KETAHANAN DIRI REMAJA"
    ws["A2"] = "SMP Negeri Contoh - Bimbingan Konseling, Tahun Ajaran 2024/2025"
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(["No", "Dimensi", "Indikator", "Nomor Butir", "Pernyataan", "Sifat (+/-)"])
    for c in ws[4]:
        c.font = Font(bold=True)
    items: list[tuple[str, str]] = []
    r = 5
    n = 0
    for dim, indicators in KISI.items():
        dim_start = r
        for ind, stmts in indicators.items():
            ind_start = r
            for text, sign in stmts:
                n += 1
                ws.append([n, dim, ind, n, text, f"({sign})"])
                items.append((text, sign))
                r += 1
            ws.merge_cells(start_row=ind_start, start_column=3, end_row=r - 1, end_column=3)
        ws.merge_cells(start_row=dim_start, start_column=2, end_row=r - 1, end_column=2)
        ws.cell(dim_start, 2).alignment = Alignment(vertical="center", wrap_text=True)
    ws.append(["Jumlah", None, None, n])
    for col, w in zip("ABCDEF", (6, 18, 30, 8, 66, 10), strict=True):
        ws.column_dimensions[col].width = w
    wb.save(path)
    return items


def write_answers(path: Path, items: list[tuple[str, str]]) -> None:
    rng = np.random.default_rng(2024)
    n = 40
    trait = rng.normal(0.0, 0.7, n)
    rows = []
    for i in range(n):
        row = {
            "Timestamp": f"2024/08/{12 + i // 10:02d} 09:{(i * 7) % 60:02d}:00",
            "Nama Sekolah": ["SMP Negeri Contoh 1", "SMP Negeri Contoh 2"][i % 2],
            "Usia": int(rng.integers(12, 16)),
        }
        for text, sign in items:
            latent = 2.9 + trait[i] + rng.normal(0, 0.6)
            v = int(np.clip(np.rint(latent if sign == "+" else 5 - latent), 1, 4))
            row[text] = WORDS[v]
        rows.append(row)
    df = pd.DataFrame(rows)
    # two realistic blemishes: one unanswered item, one respondent too old for the form
    df.loc[5, items[3][0]] = ""
    df.loc[17, "Usia"] = 23
    df.to_csv(path, index=False, encoding="utf-8")


def main() -> None:
    from indeks.instruments import load_instrument
    from indeks.instruments.kisi import definition_from_kisi, read_kisi, write_definition
    from indeks.instruments.kisi import write_kisi as export_kisi

    xlsx = HERE / "kisi-kisi-ketahanan-remaja.xlsx"
    items = write_kisi(xlsx)
    text, _ = definition_from_kisi(
        read_kisi(xlsx),
        "dektari",
        instrument_id="ketahanan-remaja",
        name="Angket Ketahanan Diri Remaja (contoh kisi-kisi)",
    )
    toml = write_definition(text, HERE / "ketahanan-remaja.toml")
    export_kisi(load_instrument(toml), HERE / "kisi-kisi-ketahanan-remaja-ekspor.xlsx")
    write_answers(HERE / "jawaban.csv", items)


if __name__ == "__main__":
    main()
