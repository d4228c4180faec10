"""Files as officers keep them (issue 11): recap sheets, pasted exports, question-text
headers, KoboToolbox ids, forms with more unsur than the definition.

Every file is built here, by hand, unlike the bundled samples; each test asserts the
numbers (n, index) and the issue rows."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from cli_run import run_flat

import indeks
from indeks.numbers import round_half_up

cli = run_flat


# ten respondents of a 9-unsur IKM, answers 1..4; the hand value of the index below
IKM_ANSWERS = [
    [3, 3, 4, 4, 3, 3, 4, 3, 3],
    [4, 3, 3, 4, 3, 4, 4, 3, 2],
    [3, 2, 3, 4, 3, 3, 3, 3, 3],
    [3, 3, 3, 4, 4, 3, 4, 3, 3],
    [2, 3, 3, 4, 3, 3, 3, 2, 3],
    [3, 3, 4, 4, 3, 4, 4, 3, 3],
    [3, 4, 3, 4, 3, 3, 3, 3, 2],
    [4, 3, 3, 4, 3, 3, 4, 3, 3],
    [3, 3, 2, 4, 3, 3, 3, 3, 3],
    [3, 3, 3, 4, 4, 3, 4, 4, 3],
]


def hand_ikm(rows) -> Fraction:
    """IKM by hand: NRR per unsur = column mean; IKM = sum NRR x 1/9 (exact)."""
    n = len(rows)
    nrr = [Fraction(sum(r[j] for r in rows), n) for j in range(9)]
    return sum(nrr, Fraction(0)) / 9


HAND = hand_ikm(IKM_ANSWERS)  # 3.2222... (290 points / 90)
UNSUR = [f"U{j}" for j in range(1, 10)]


def test_hand_value_is_what_the_test_says():
    assert HAND == Fraction(290, 90)
    assert round_half_up(float(HAND) * 25, 2) == 80.56


def _recap_xlsx(path):
    """A recap sheet: title rows, respondents, then JUMLAH / RATA-RATA / NRR / IKM rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap SKM"
    ws.append(["REKAPITULASI SURVEI KEPUASAN MASYARAKAT"])
    ws.append(["Klinik Pratama BNNK, Triwulan II"])
    ws.append([])
    ws.append(["No", "Nama", *UNSUR])
    for i, r in enumerate(IKM_ANSWERS[:6], start=1):
        ws.append([i, f"Responden {i}", *r])
    ws.append([])  # a blank row between two blocks
    for i, r in enumerate(IKM_ANSWERS[6:], start=7):
        ws.append([i, f"Responden {i}", *r])
    sums = [sum(r[j] for r in IKM_ANSWERS) for j in range(9)]
    ws.append(["JUMLAH", None, *sums])
    ws.append(["RATA-RATA", None, *[s / 10 for s in sums]])
    ws.append(["NRR tertimbang", None, *[s / 10 / 9 for s in sums]])
    ws.append(["IKM", None, None, None, None, None, None, None, None, None, float(HAND) * 25])
    wb.save(path)


def test_recap_sheet_summary_rows_are_excluded_and_listed(tmp_path):
    p = tmp_path / "rekap.xlsx"
    _recap_xlsx(p)
    df = indeks.read_responses(p)
    res = indeks.score("ikm", df)
    s = res.summary.iloc[0]
    assert (s["n"], s["n_scored"]) == (10, 10)
    assert s["index"] == pytest.approx(float(HAND), abs=1e-12)
    assert round_half_up(s["index_converted"], 2) == 80.56
    iss = res.issues
    summ = iss[iss["code"] == "summary_row"]
    # spreadsheet rows: header on row 4, respondents 5-10, blank 11, 12-15, summaries 16-19
    assert summ["row"].tolist() == [16, 17, 18, 19]
    assert summ["value"].tolist() == ["JUMLAH", "RATA-RATA", "NRR tertimbang", "IKM"]
    assert iss.loc[iss["code"] == "blank_row", "row"].tolist() == [11]
    assert res.respondents["row"].tolist() == [5, 6, 7, 8, 9, 10, 12, 13, 14, 15]
    assert (iss["severity"] == "error").sum() == 0


def test_recap_rows_without_labels_are_found_by_their_numbers():
    """Sums and averages where answer codes are expected, no label at all."""
    df = pd.DataFrame(IKM_ANSWERS, columns=UNSUR)
    sums = df.sum()
    extra = pd.DataFrame([sums, sums / 10], columns=UNSUR)
    res = indeks.score("ikm", pd.concat([df, extra], ignore_index=True))
    assert res.summary["n"].iloc[0] == 10
    assert res.summary["index"].iloc[0] == pytest.approx(float(HAND))
    summ = res.issues[res.issues["code"] == "summary_row"]
    assert summ["row"].tolist() == [11, 12]
    assert summ["value"].iloc[0].startswith("31, 30, 31, 40")


def test_a_comment_that_starts_with_total_is_a_respondent():
    df = pd.DataFrame(IKM_ANSWERS, columns=UNSUR)
    df["saran"] = ""
    df.loc[3, "saran"] = "Total pelayanan sudah baik"
    df.loc[4, "U9"] = None  # a respondent with one blank answer is still examined
    df.loc[4, "saran"] = "Jumlah petugas kurang"
    res = indeks.score("ikm", df)
    assert res.summary["n"].iloc[0] == 10
    assert not res.issues["code"].isin(["summary_row"]).any()


def test_pasted_exports_repeat_the_header(tmp_path):
    p = tmp_path / "gabungan.csv"
    head = "id,nama," + ",".join(UNSUR)
    lines = [head]
    for i, r in enumerate(IKM_ANSWERS[:5], start=1):
        lines.append(f"K{i},Warga {i}," + ",".join(map(str, r)))
    lines.append(head)  # the second export, pasted with its header
    for i, r in enumerate(IKM_ANSWERS[5:], start=6):
        lines.append(f"K{i},Warga {i}," + ",".join(map(str, r)))
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = indeks.score("ikm", indeks.read_responses(p))
    assert res.summary["n"].iloc[0] == 10
    assert res.summary["index"].iloc[0] == pytest.approx(float(HAND))
    rep = res.issues[res.issues["code"] == "repeated_header"]
    assert rep["row"].tolist() == [7]
    assert res.respondents["respondent_id"].tolist()[5] == "K6"


# ------------------------------------------------------------------ question-text headers
GFORMS_QUESTIONS = [
    "1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "2. Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "3. Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "4. Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "5. Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
    "dalam standar pelayanan dengan hasil yang diberikan?",
    "6. Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    # as printed on many forms: a typo and a missing "tentang"
    "7. Bagamana pendapat saudara perilaku petugas dalam pelayanan terkait kesopanan dan keramahan",
    "U8. BAGAIMANA PENDAPAT SAUDARA TENTANG KUALITAS SARANA DAN PRASARANA",
    "P9 - Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan ?",
]
U_LABELS = [
    ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
    [
        "Tidak sopan dan ramah",
        "Kurang sopan dan ramah",
        "Sopan dan ramah",
        "Sangat sopan dan ramah",
    ],
    ["Buruk", "Cukup", "Baik", "Sangat baik"],
    [
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ],
]


def _gforms_ikm(path):
    rows = []
    for i, r in enumerate(IKM_ANSWERS):
        rows.append(
            [f"2024/05/{i + 1:02d} 9:1{i} GMT+8", f"Warga {i + 1}"]
            + [U_LABELS[j][v - 1] for j, v in enumerate(r)]
        )
    pd.DataFrame(rows, columns=["Timestamp", "Nama", *GFORMS_QUESTIONS]).to_csv(path, index=False)


def test_google_forms_question_headers_without_a_map(tmp_path, capsys):
    p = tmp_path / "Survei Kepuasan (Jawaban).csv"
    _gforms_ikm(p)
    res = indeks.score("ikm", indeks.read_responses(p))
    s = res.summary.iloc[0]
    assert (s["n"], s["n_scored"]) == (10, 10)
    assert s["index"] == pytest.approx(float(HAND))
    assert res.issues.empty
    m = res.columns
    assert set(m.how.values()) == {"question_text"}
    assert m.similarity["u1"] == 1.0 and m.similarity["u8"] == 1.0 and m.similarity["u9"] == 1.0
    assert 0.85 <= m.similarity["u7"] < 1.0  # close, not exact: accepted and shown
    rep = res.columns.report()
    assert rep.loc[rep["item"] == "u7", "similarity"].item() == f"{m.similarity['u7']:.2f}"
    code, text = cli(capsys, "score", "ikm", str(p), "--lang", "en")
    assert code == 0, text
    assert "9 columns matched by the standard question text" in text
    assert "u7 = '7. Bagamana pendapat" in text


def test_a_header_too_far_from_the_question_is_not_guessed():
    df = pd.DataFrame(
        [[3] * 9],
        columns=[*GFORMS_QUESTIONS[:8], "Bagaimana pendapat Saudara tentang parkir kendaraan?"],
    )
    res = indeks.score("ikm", df)
    assert "u9" not in res.columns.items
    assert res.issues.loc[res.issues["code"] == "missing_item_column", "item"].tolist() == ["u9"]


def test_whoqol_english_question_headers():
    w = indeks.get_instrument("whoqol-bref")
    heads = [f"{i}. {it.text_en}" for i, it in enumerate(w.items, start=1)]
    df = pd.DataFrame([[3] * 26, [4] * 26], columns=heads)
    res = indeks.score(w, df)
    assert len(res.columns.items) == 26
    assert res.summary["n_scored"].iloc[0] == 2


# ------------------------------------------------------------------ ids
def _kobo_frame(ids, answers):
    cols = {"start": "2024-01-01", "grp_identitas/kode_klien": ids}
    for j in range(26):
        cols[f"grp_whoqol/q{j + 1}"] = [a[j] for a in answers]
    cols["_id"] = [101 + i for i in range(len(ids))]
    cols["_uuid"] = [f"uuid-{i}" for i in range(len(ids))]
    cols["_index"] = list(range(1, len(ids) + 1))
    return pd.DataFrame(cols)


def test_kobo_ids_are_never_the_internal_id():
    rng = np.random.default_rng(7)
    ids = ["K01", "K02", "K03", "K04", "K05", "K06"]
    pre_a = rng.integers(1, 6, size=(6, 26)).tolist()
    post_a = rng.integers(1, 6, size=(6, 26)).tolist()
    pre = _kobo_frame(ids, pre_a)
    post = _kobo_frame(ids[::-1], post_a[::-1])  # another order, other _id values
    post["_id"] = [900 + i for i in range(6)]
    res = indeks.score("whoqol-bref", pre)
    assert res.columns.id_column == "grp_identitas/kode_klien"
    assert res.respondents["respondent_id"].tolist() == ids
    c = indeks.compare("whoqol-bref", pre, post)
    assert c.summary["n_pairs"].iloc[0] == 6


def test_row_counter_is_not_an_id():
    df = pd.DataFrame(IKM_ANSWERS, columns=UNSUR)
    df.insert(0, "No", range(1, 11))
    res = indeks.score("ikm", df)
    assert res.columns.id_column is None
    res = indeks.score("ikm", df, id_column="No")
    assert res.columns.id_column == "No"


# ------------------------------------------------------------------ 14 unsur
def test_fourteen_unsur_on_ikm_is_a_warning_naming_ikm_2004():
    rows = [r + [3, 4, 3, 3, 4] for r in IKM_ANSWERS]
    df = pd.DataFrame(rows, columns=[f"U{j}" for j in range(1, 15)])
    res = indeks.score("ikm", df)
    assert res.summary["n"].iloc[0] == 10
    assert res.summary["index"].iloc[0] == pytest.approx(float(HAND))
    extra = res.issues[res.issues["code"] == "extra_item_column"]
    assert len(extra) == 1
    assert extra["severity"].item() == "warning"
    assert extra["value"].item() == "U10, U11, U12, U13, U14"
    assert "ikm-2004" in extra["message"].item()
    # scored with the fitting definition: 14 unsur, weights 1/14
    r2004 = indeks.score("ikm-2004", df)
    hand14 = sum(Fraction(sum(r[j] for r in rows), 10) for j in range(14)) / 14
    assert r2004.summary["index"].iloc[0] == pytest.approx(float(hand14))
    assert not r2004.issues["code"].eq("extra_item_column").any()


def test_q27_on_whoqol_is_a_warning():
    df = pd.DataFrame([[3] * 27], columns=[f"Q{i}" for i in range(1, 28)])
    res = indeks.score("whoqol-bref", df)
    extra = res.issues[res.issues["code"] == "extra_item_column"]
    assert extra["value"].item() == "Q27"


# ------------------------------------------------------------------ a user's own answer labels
SETUJU = ["Sangat tidak setuju", "Tidak setuju", "Setuju", "Sangat setuju"]


def _setuju_csv(path):
    rows = [[f"R{i + 1}"] + [SETUJU[v - 1] for v in r] for i, r in enumerate(IKM_ANSWERS)]
    pd.DataFrame(rows, columns=["id"] + [f"P{j}" for j in range(1, 10)]).to_csv(path, index=False)


def test_setuju_scale_without_labels_is_exit_1_naming_the_texts(tmp_path, capsys):
    p = tmp_path / "skm_setuju.csv"
    _setuju_csv(p)
    res = indeks.score("ikm", indeks.read_responses(p))
    assert (res.summary["n"].iloc[0], res.summary["n_scored"].iloc[0]) == (10, 0)
    assert (res.issues["code"] == "unknown_label").sum() == 90
    code, text = cli(capsys, "score", "ikm", str(p), "--lang", "en")
    assert code == 1
    assert "0 of 10 respondents scored" in text
    # the unrecognised texts with their counts, and what the definition accepts
    assert "'Setuju' (58x)" in text and "'Sangat setuju' (26x)" in text
    assert "'Tidak setuju' (6x)" in text
    assert "Tidak puas = 1" in text and "Sangat sesuai = 4" in text
    assert "--labels" in text
    assert "Traceback" not in text


def test_setuju_scale_with_labels_file(tmp_path, capsys):
    p = tmp_path / "skm_setuju.csv"
    _setuju_csv(p)
    lab = tmp_path / "label.csv"
    lab.write_text(
        "item;text;code\n*;Sangat tidak setuju;1\n*;Tidak setuju;2\n*;Setuju;3\n*;Sangat setuju;4\n",
        encoding="utf-8",
    )
    res = indeks.score("ikm", indeks.read_responses(p), labels=lab)
    assert (res.summary["n"].iloc[0], res.summary["n_scored"].iloc[0]) == (10, 10)
    assert res.summary["index"].iloc[0] == pytest.approx(float(HAND))
    assert res.issues.empty
    assert res.meta["user_labels"][2] == {"item": "*", "text": "Setuju", "code": 3}
    code, text = cli(capsys, "score", "ikm", str(p), "--labels", str(lab), "--lang", "en")
    assert code == 0, text
    assert "Answer labels as you stated them (--labels)" in text
    assert "'Setuju' = 3" in text


def test_labels_toml_per_item_wins_and_bad_statements_are_refused(tmp_path, capsys):
    df = pd.DataFrame([["Setuju"] * 9, ["Setuju sekali"] * 9], columns=UNSUR)
    lab = tmp_path / "label.toml"
    lab.write_text('[labels."*"]\n"Setuju" = 3\n"Setuju sekali" = 4\n[labels.u4]\n"Setuju" = 2\n')
    res = indeks.score("ikm", df, labels=lab)
    assert res.respondents["u4"].tolist() == [2, 4]
    assert res.respondents["u1"].tolist() == [3, 4]
    bad = tmp_path / "bad.csv"
    bad.write_text("u1,Setuju,5\n", encoding="utf-8")
    with pytest.raises(
        indeks.ScoringInputError, match=r"bad.csv, baris/line 1: .*skala 1..4"
    ) as ei:
        indeks.score("ikm", df, labels=bad)
    assert re.search(r"bad.csv, baris/line 1: .*outside the scale 1..4", ei.value.text("en"))
    bad.write_text("u99,Setuju,3\n", encoding="utf-8")
    with pytest.raises(indeks.ScoringInputError, match="u99"):
        indeks.score("ikm", df, labels=bad)
    code, text = cli(capsys, "score", "ikm", str(tmp_path / "x.csv"), "--labels", str(bad))
    assert code == 1


# ------------------------------------------------------------------ ages with units
def test_ages_with_units_are_numbers():
    d = indeks.get_instrument("dektari")
    ages = ["15 tahun", "16 th", "17 Thn.", "21", "22 tahun", "15 bulan"]
    df = pd.DataFrame({"kode": [f"S{i}" for i in range(6)], "umur": ages})
    for it in d.items:
        df[it.id] = 3
    res = indeks.score(d, df)
    assert res.respondents["status"].tolist() == ["scored"] * 4 + ["rejected"] * 2
    inel = res.issues[res.issues["code"] == "ineligible"]
    assert inel["row"].tolist() == [5, 6]
    assert inel["value"].tolist() == ["22 tahun", "15 bulan"]  # a month is not a year
    assert res.summary["n_scored"].iloc[0] == 4


# ------------------------------------------------------------------ compare with no pair
def test_compare_without_pairs_is_exit_1_with_the_ids(tmp_path, capsys):
    rng = np.random.default_rng(3)

    def wave(ids, name):
        d = {"kode_klien": ids}
        for j in range(1, 27):
            d[f"Q{j}"] = rng.integers(1, 6, len(ids))
        pd.DataFrame(d).to_csv(tmp_path / name, index=False)

    wave(["K01", "K02", "K03"], "awal.csv")
    wave(["A-1", "A-2", "A-3"], "akhir.csv")
    c = indeks.compare(
        "whoqol-bref",
        indeks.read_responses(tmp_path / "awal.csv"),
        indeks.read_responses(tmp_path / "akhir.csv"),
    )
    assert c.summary["n_pairs"].iloc[0] == 0
    code, text = cli(
        capsys,
        "compare",
        "whoqol-bref",
        str(tmp_path / "awal.csv"),
        str(tmp_path / "akhir.csv"),
        "--lang",
        "en",
    )
    assert code == 1
    assert "0 pairs" in text
    assert "id column 'kode_klien', ids e.g. 'K01', 'K02', 'K03'" in text
    assert "ids e.g. 'A-1', 'A-2', 'A-3'" in text


# ------------------------------------------------------------------ WHOQOL-BREF manual rules
def _who_row(**answers):
    row = {f"q{i}": 3 for i in range(1, 27)}
    row.update(answers)
    return row


def test_whoqol_manual_missing_rule_needs_all_three_social_items():
    w = indeks.get_instrument("whoqol-bref")
    df = pd.DataFrame(
        [_who_row(q21=None), _who_row(q20=4, q21=5, q22=4), _who_row(q1=None, q22=None)]
    )
    spss = indeks.score(w, df)
    manual = indeks.score(w, df, missing_rule="manual")
    # WHO SPSS: 2 of 3 social items suffice -> (3+3)/2 x 4 = 12 -> 50
    assert spss.respondents["social"].tolist()[0] == 50.0
    assert np.isnan(manual.respondents["social"].iloc[0])
    assert np.isnan(manual.respondents["social"].iloc[2])
    # all three answered: 13/3 x 4 = 17.33 -> (17.33 - 4) x 6.25 = 83.33
    assert manual.respondents["social"].iloc[1] == pytest.approx((52 / 3 - 4) * 100 / 16)
    nd = manual.issues[manual.issues["code"] == "domain_not_computed"]
    assert nd["row"].tolist() == [1, 3] and set(nd["item"]) == {"social"}
    assert "minimal 3" in nd["message"].iloc[0]
    # other domains keep the manual's "up to 2 missing": physical with q3, q4 empty
    m2 = indeks.score(w, pd.DataFrame([_who_row(q3=None, q4=None)]), missing_rule="manual")
    assert m2.respondents["physical"].iloc[0] == 50.0


def test_whoqol_manual_table_transform_hand_vectors(capsys):
    w = indeks.get_instrument("whoqol-bref")
    # physical: q3, q4 answered 1 (reversed to 5), q10 q15 q16 q17 = 4, q18 = 3:
    # 5+5+4+4+4+4+3 = 29, 29/7 x 4 = 16.571 (raw)
    # environment: q8 q9 q25 = 2, q12 q13 q14 q23 q24 = 1: sum 11, 11/8 x 4 = 5.5
    row = _who_row(q3=1, q4=1, q10=4, q15=4, q16=4, q17=4, q18=3)
    row.update(q8=2, q9=2, q12=1, q13=1, q14=1, q23=1, q24=1, q25=2)
    df = pd.DataFrame([row])
    spss = indeks.score(w, df).respondents.iloc[0]
    assert spss["physical_raw"] == pytest.approx(116 / 7)
    assert spss["physical"] == pytest.approx((116 / 7 - 4) * 6.25)  # 78.57
    assert round_half_up(spss["physical"], 2) == 78.57
    assert spss["environment_raw"] == 5.5 and spss["environment"] == 9.375
    tab = indeks.score(w, df, transform_rule="manual_table")
    r = tab.respondents.iloc[0]
    assert (r["physical_raw"], r["physical"]) == (17.0, 81.0)  # 16.57 -> 17 -> 81.25 -> 81
    assert (r["environment_raw"], r["environment"]) == (6.0, 13.0)  # 5.5 -> 6 -> 12.5 -> 13
    assert tab.meta["transform_rule"] == "manual_table"
    # the whole printed table, through the environment domain (8 items, raw = sum / 2):
    # every sum 8..40 gives 4, 4.5, 5, ..., 20; half-up 4.5 -> 5, then the table value
    table = [0, 6, 13, 19, 25, 31, 38, 44, 50, 56, 63, 69, 75, 81, 88, 94, 100]
    env = ["q8", "q9", "q12", "q13", "q14", "q23", "q24", "q25"]
    rows, want = [], []
    for total in range(8, 41):
        a = [total // 8] * 8
        for i in range(total % 8):
            a[i] += 1
        rows.append(_who_row(**dict(zip(env, a, strict=True))))
        want.append(table[int(round_half_up(total / 2, 0)) - 4])
    got = indeks.score(w, pd.DataFrame(rows), transform_rule="manual_table").respondents
    assert got["environment"].tolist() == want
    assert want[:4] == [0, 6, 6, 13]  # sums 8, 9, 10, 11: raw 4, 4.5 -> 5, 5, 5.5 -> 6
    with pytest.raises(ValueError, match="manual_table"):
        indeks.score(w, df, transform_rule="table")
    code, text = cli(capsys, "instruments", "show", "whoqol-bref")
    assert "manual_table" in text


# ------------------------------------------------------------------ two-row merged header
def _merged_header_xlsx(path, extra_sheet=False):
    wb = openpyxl.Workbook()
    if extra_sheet:
        wb.active.title = "Petunjuk"
        ws = wb.create_sheet("Data SKM")
    else:
        ws = wb.active
    ws.append(["Survei Kepuasan Masyarakat - Rekapitulasi"])  # a one-cell title row
    ws.append(["No", "Nama", "Layanan", "Nilai Unsur Pelayanan"] + [None] * 8)
    ws.append([None, None, None, *UNSUR])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:L2")
    for i, r in enumerate(IKM_ANSWERS, start=1):
        ws.append([i, f"Klien {i}", "Rawat jalan" if i <= 6 else "Rawat inap", *r])
    wb.save(path)


def test_two_row_merged_header_keeps_name_and_service(tmp_path):
    p = tmp_path / "rekap_gabung.xlsx"
    _merged_header_xlsx(p)
    df = indeks.read_responses(p)
    assert list(df.columns[:4]) == ["No", "Nama", "Layanan", "U1"]
    assert df.attrs["header_rows"] == (2, 3)
    res = indeks.score("ikm", df, group_by="Layanan")
    s = res.summary
    assert s["n"].tolist() == [10, 4, 6]  # overall, Rawat inap, Rawat jalan
    assert s["index"].iloc[0] == pytest.approx(float(HAND))
    assert s["index"].iloc[2] == pytest.approx(float(hand_ikm(IKM_ANSWERS[:6])))
    assert res.respondents["row"].tolist() == list(range(4, 14))
    assert res.issues.empty


def test_data_on_another_sheet_lists_the_sheets(tmp_path, capsys):
    p = tmp_path / "survei.xlsx"
    _merged_header_xlsx(p, extra_sheet=True)
    code, text = cli(capsys, "score", "ikm", p, "--lang", "en")
    assert code == 1
    assert "Sheet 'Petunjuk'" in text and "'Petunjuk', 'Data SKM'" in text
    assert "--sheet" in text
    code, text = cli(capsys, "score", "ikm", p, "--sheet", "Data SKM")
    assert code == 0, text
    # a sheet with text but no item column names the other sheets too
    wb = openpyxl.load_workbook(p)
    wb["Petunjuk"].append(["Isi lembar Data SKM", "lalu simpan"])
    wb.save(p)
    code, text = cli(capsys, "score", "ikm", p, "--lang", "en")
    assert code == 1
    assert "sheets are: 'Petunjuk', 'Data SKM'" in text


# ------------------------------------------------------------------ indeks map
def test_map_command_prefills_best_guesses(tmp_path, capsys):
    p = tmp_path / "forms.csv"
    heads = list(GFORMS_QUESTIONS)
    heads[3] = "Menurut Anda, apakah biaya layanan wajar?"  # nothing close: left empty
    heads[8] = "Penanganan pengaduan bagaimana?"  # close-ish: a guess to check
    pd.DataFrame([[3] * 9, [4] * 9], columns=heads).to_csv(p, index=False)
    out = tmp_path / "peta.csv"
    code, text = cli(capsys, "map", "ikm", p, "-o", out, "--lang", "en")
    assert code == 0, text
    m = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(m.columns) == ["item", "column", "confidence", "matched_by", "question"]
    row = m.set_index("item")
    assert row.loc["u1", "matched_by"] == "question_text" and row.loc["u1", "confidence"] == 1.0
    assert row.loc["u4", "column"] == "" and row.loc["u4", "confidence"] == 0.0
    assert row.loc["u9", "matched_by"] == "guess"
    assert 0.5 <= row.loc["u9", "confidence"] < 0.85
    assert "'guess' and 'number' rows (1)" in text
    # the file as written is a valid --map: u9 by the guess, u4 still missing
    res = indeks.score("ikm", pd.read_csv(p), mapping=out)
    assert res.columns.items["u9"] == "Penanganan pengaduan bagaimana?"
    assert res.issues.loc[res.issues["code"] == "missing_item_column", "item"].tolist() == ["u4"]


# ------------------------------------------------------------------ output for the officer's Excel
def test_csv_style_id_semicolons_decimal_commas_crlf(tmp_path, capsys):
    df = pd.DataFrame(IKM_ANSWERS, columns=UNSUR)
    df.insert(0, "kode", [f"K{i}" for i in range(10)])
    df.insert(1, "layanan", ["Asesmen"] * 5 + ["Konseling"] * 5)
    df.insert(2, "nama", "x")
    p = tmp_path / "in.csv"
    df.to_csv(p, index=False)
    code, text = cli(capsys, "score", "ikm", p, "-o", tmp_path / "hasil.csv", "--csv-style", "id")
    assert code == 0, text
    raw = (tmp_path / "hasil.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b";" in raw.splitlines()[0]
    back = pd.read_csv(tmp_path / "hasil.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert back["index"].iloc[0] == pytest.approx(float(hand_ikm(IKM_ANSWERS[:1])))
    summ = pd.read_csv(tmp_path / "hasil.ringkasan.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert summ["index"].iloc[0] == pytest.approx(float(HAND))
    # the declared group column (layanan) stays in the respondents table, ungrouped summary
    assert back["layanan"].tolist()[:6] == ["Asesmen"] * 5 + ["Konseling"]
    assert len(summ) == 1
    code, _ = cli(capsys, "score", "ikm", p, "-o", tmp_path / "x.csv", "--csv-style", "excel")
    assert code == 2


# ------------------------------------------------------------------ the bundled samples
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def test_samples_of_each_field_shape():
    rekap = indeks.score("ikm", indeks.read_responses(SAMPLES / "ikm" / "rekap_skm.xlsx"))
    assert rekap.summary["n"].iloc[0] == 14
    assert rekap.issues.loc[rekap.issues["code"] == "summary_row", "row"].tolist() == [
        21,
        22,
        23,
        24,
    ]
    assert rekap.issues.loc[rekap.issues["code"] == "blank_row", "row"].tolist() == [14]
    gab = indeks.score("ikm", indeks.read_responses(SAMPLES / "ikm" / "gabungan.csv"))
    assert gab.summary["n"].iloc[0] == 12 and (gab.issues["code"] == "repeated_header").sum() == 1
    gf = indeks.score("ikm", indeks.read_responses(SAMPLES / "ikm" / "google_forms_standar.csv"))
    assert gf.summary["n_scored"].iloc[0] == 15 and gf.issues.empty
    setuju = indeks.read_responses(SAMPLES / "ikm" / "setuju.csv")
    assert indeks.score("ikm", setuju).summary["n_scored"].iloc[0] == 0
    ok = indeks.score("ikm", setuju, labels=SAMPLES / "ikm" / "setuju_labels.csv")
    assert ok.summary["n_scored"].iloc[0] == 12
    u14 = indeks.read_responses(SAMPLES / "ikm" / "ikm_14_unsur.csv")
    assert (indeks.score("ikm", u14).issues["code"] == "extra_item_column").sum() == 1
    assert indeks.score("ikm-2004", u14).issues.empty
    pre = indeks.read_responses(SAMPLES / "whoqol" / "kobo_pre.csv")
    post = indeks.read_responses(SAMPLES / "whoqol" / "kobo_post.csv")
    c = indeks.compare("whoqol-bref", pre, post)
    assert c.summary["n_pairs"].iloc[0] == 8
    ages = indeks.score("dektari", indeks.read_responses(SAMPLES / "dektari" / "usia_satuan.csv"))
    inel = ages.issues[ages.issues["code"] == "ineligible"]
    assert inel["value"].tolist() == ["22 tahun", "16 bulan"]
    assert ages.summary["n_scored"].iloc[0] == 6


def test_xlsx_status_and_severity_in_the_chosen_language(tmp_path):
    from indeks.io.results import write_result

    df = pd.DataFrame(IKM_ANSWERS[:3] + [[9] * 9], columns=UNSUR)
    df.loc[0, "U1"] = 7
    res = indeks.score("ikm", df)
    for lang, want in (
        ("id", ("diskor", "ditolak", "kesalahan")),
        ("en", ("scored", "rejected", "error")),
    ):
        out = tmp_path / f"hasil_{lang}.xlsx"
        write_result(res, out, lang=lang)
        book = pd.read_excel(out, sheet_name=None)
        resp = book["responden" if lang == "id" else "respondents"]
        assert resp.iloc[:, 2].tolist() == [want[0]] * 3 + [want[1]]
        iss = book["masalah" if lang == "id" else "issues"]
        assert want[2] in iss.iloc[:, 5].tolist()
    # CSV keeps the stable codes programs read
    write_result(res, tmp_path / "hasil.csv")
    assert pd.read_csv(tmp_path / "hasil.csv")["status"].tolist()[-1] == "rejected"


def test_lkip_table_fits_80_columns(tmp_path, monkeypatch):
    from rich.console import Console

    from indeks import terminal
    from indeks.lkip import build

    result = build(SAMPLES / "kupang-2024" / "workspace.toml", tmp_path / "lk")
    con = Console(width=80, record=True, force_terminal=False)
    monkeypatch.setattr(terminal, "console", con)
    terminal.print_capaian(result, "id")
    text = con.export_text()
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    head = next(ln for ln in lines if "Indikator Kinerja ┃" in ln or "Indikator Kinerja |" in ln)
    assert "No." in head  # the number column is not shrunk to nothing
    body = [ln for ln in lines if ln.startswith("│ 1 ")]
    assert body and "103,74" in body[0]


def test_labels_and_transform_reach_the_parts_engine(tmp_path, capsys):
    src = SAMPLES / "ikm" / "setuju.csv"
    lab = SAMPLES / "ikm" / "setuju_labels.csv"
    code, text = cli(
        capsys, "score", "ikm", src, "--chunk-rows", "5", "--labels", lab, "--lang", "en"
    )
    assert code == 0, text
    assert "'Setuju' = 3" in text
    whole = indeks.score("ikm", indeks.read_responses(src), labels=lab)
    assert f"{whole.summary['index'].iloc[0]:.2f}" in text
    code, text = cli(
        capsys,
        "score",
        "ikm",
        src,
        "--chunk-rows",
        "5",
        "-o",
        tmp_path / "x.csv",
        "--csv-style",
        "id",
    )
    assert code == 1 and "--csv-style id" in text


def test_map_guesses_numbered_headers_one_header_per_item(tmp_path, capsys):
    """Headers numbered '1. ...'..'9. ...' are guessed item by number ('number', to check);
    a header is never guessed for two items (the group column used to be guessed for three)."""
    heads = [f"{k}. pertanyaan unsur" for k in range(1, 10)]
    df = pd.DataFrame([[3] * 9, [4] * 9], columns=heads)
    df.insert(0, "Jenis Layanan", ["Rehab", "P2M"])
    p = tmp_path / "gf.csv"
    df.to_csv(p, index=False)
    out = tmp_path / "peta.csv"
    code, text = cli(capsys, "map", "ikm", p, "-o", out)
    assert code == 0, text
    m = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False).set_index("item")
    assert m["column"].tolist() == heads and set(m["matched_by"]) == {"number"}
    assert "'guess' dan 'number' (9)" in text and "Keyakinan" in text
    res = indeks.score("ikm", pd.read_csv(p), mapping=out)
    assert res.n_scored == 2 and float(res.summary["index"].iloc[0]) == 3.5
    # no numbering: text guesses, each header at most once
    from indeks.instruments import get_instrument
    from indeks.scoring.columns import suggest_mapping

    sug = suggest_mapping(get_instrument("ikm"), ["Jenis Layanan", "Kompetensi petugas?"])
    guessed = sug.loc[sug["column"] != "", "column"].tolist()
    assert len(guessed) == len(set(guessed))


def test_ikm_generic_baik_wording(tmp_path):
    """'Tidak baik / Kurang baik / Baik / Sangat baik' (any case, stray spaces) is the generic
    4-point wording many SKM forms use for every unsur: 1..4."""
    words = ["Tidak Baik", "kurang baik", "Baik", "Sangat Baik "]
    df = pd.DataFrame({u: words for u in UNSUR})
    r = indeks.score("ikm", df)
    assert r.n_scored == 4 and len(r.issues) == 0
    assert r.respondents["u1"].tolist() == [1, 2, 3, 4]
    assert float(r.summary["index"].iloc[0]) == 2.5


@pytest.mark.parametrize(
    "label_row",
    [
        ["RATA-RATA", 3, 3, 3, 3, 3, 3, 3, 3, 3],  # whole averages: every cell a valid code
        ["Jumlah", 4, 3, 3, 4, 2, 3, 4, 4, 3],  # the JUMLAH of one respondent
        ["NRR per unsur", 4, 4, 4, 4, 4, 4, 4, 4, 4],
    ],
)
def test_summary_label_beside_valid_codes_is_not_a_respondent(label_row):
    """A recap row whose item cells all hold valid codes was scored as one more respondent
    (n 2 instead of 1, a wrong IKM and no warning); the label alone identifies it."""
    df = pd.DataFrame([[1, 4, 3, 3, 4, 2, 3, 4, 4, 3], label_row], columns=["No", *UNSUR])
    r = indeks.score("ikm", df)
    assert r.n_scored == 1 and int(r.summary["n"].iloc[0]) == 1
    assert r.summary["index"].iloc[0] == pytest.approx(30 / 9, abs=1e-12)
    issue = r.issues.loc[r.issues["code"] == "summary_row"]
    assert issue["row"].tolist() == [2] and issue["value"].tolist() == [label_row[0]]


def test_label_like_words_in_a_comment_do_not_exclude():
    """'total pelayanan baik' is a comment, not a label: the row is a respondent."""
    df = pd.DataFrame(
        [[4] * 9 + ["total pelayanan baik"], [3] * 9 + [""]], columns=[*UNSUR, "Saran"]
    )
    r = indeks.score("ikm", df)
    assert r.n_scored == 2 and not (r.issues["code"] == "summary_row").any()


def test_many_files_name_the_file_of_each_excluded_row(tmp_path, capsys):
    head = "No," + ",".join(UNSUR) + "\n"
    (tmp_path / "kupang.csv").write_text(head + "1,4,3,3,4,2,3,4,4,3\nJUMLAH,4,3,3,4,2,3,4,4,3\n")
    (tmp_path / "ende.csv").write_text(
        head + "1,3,3,3,3,3,3,3,3,3\n,,,,,,,,,\n2,4,4,4,4,4,4,4,4,4\n"
    )
    code, text = cli(capsys, "score", "ikm", tmp_path)
    assert code == 0, text
    assert "kupang.csv:3" in text and "ende.csv:3" in text
