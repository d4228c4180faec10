"""The command line: exit codes, one clear message on bad input, outputs written."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from cli_run import run

import indeks

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def assert_clean_failure(code, out, err, *needles):
    assert code == 1
    text = out + err
    assert "Traceback" not in text
    for n in needles:
        assert n in text, text


def test_empty_file(tmp_path, capsys):
    p = tmp_path / "kosong.csv"
    p.write_bytes(b"")
    assert_clean_failure(*run(capsys, "score", "whoqol-bref", p), "kosong.csv")


def test_binary_file(tmp_path, capsys):
    p = tmp_path / "rusak.csv"
    p.write_bytes(bytes(range(256)) * 40)
    assert_clean_failure(*run(capsys, "score", "whoqol-bref", p), "rusak.csv")


def test_binary_xlsx(tmp_path, capsys):
    p = tmp_path / "rusak.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a workbook")
    assert_clean_failure(*run(capsys, "score", "whoqol-bref", p), "rusak.xlsx")


def test_no_recognisable_item_column(tmp_path, capsys):
    p = tmp_path / "lain.csv"
    p.write_text("nama_kolom,lainnya\n1,2\n", encoding="utf-8")
    assert_clean_failure(*run(capsys, "score", "whoqol-bref", p), "Tidak ada kolom butir", "--map")


def test_ragged_row(tmp_path, capsys):
    p = tmp_path / "pincang.csv"
    p.write_text("id,Q1,Q2\n1,3,4\n2,3,4,5,6\n", encoding="utf-8")
    assert_clean_failure(*run(capsys, "score", "whoqol-bref", p), "pincang.csv", "3")


def test_unknown_extension(tmp_path, capsys):
    p = tmp_path / "laporan.pdf"
    p.write_bytes(b"%PDF-1.4")
    assert_clean_failure(*run(capsys, "score", "whoqol-bref", p), "laporan.pdf")


def test_missing_file(tmp_path, capsys):
    missing = tmp_path / "tidak-ada.csv"
    code, out, err = run(capsys, "score", "whoqol-bref", missing)
    assert_clean_failure(code, out, err, "tidak-ada.csv")
    squashed = "".join((out + err).split())  # rich wraps long lines
    assert "'tidak-ada.csv'tidakditemukan(" + str(missing) + ")" in squashed
    assert "multiple values" not in out + err


def test_unknown_instrument(capsys):
    assert_clean_failure(
        *run(capsys, "score", "qol-x", SAMPLES / "whoqol" / "clean.csv"), "qol-x", "whoqol-bref"
    )


def test_bad_definition_file(tmp_path, capsys):
    p = tmp_path / "rusak.toml"
    p.write_text('id = "x"\nname = "x"\nversion = "1"\nstatus = "resmi"\n', encoding="utf-8")
    assert_clean_failure(*run(capsys, "instruments", "check", p), "rusak.toml")


def test_usage_error_exit_2(capsys):
    code, out, err = run(capsys, "score")
    assert code == 2


def test_score_prints_summary_and_writes_xlsx(tmp_path, capsys):
    out_file = tmp_path / "hasil.xlsx"
    code, out, err = run(
        capsys, "score", "ikm", SAMPLES / "ikm" / "clean.csv", "-o", out_file, "--group", "layanan"
    )
    assert code == 0, err
    ref = indeks.score(
        "ikm", indeks.read_responses(SAMPLES / "ikm" / "clean.csv"), group_by="layanan"
    )
    assert indeks.format_half_up(ref.summary["index"].iloc[0], 2) in out
    import openpyxl

    wb = openpyxl.load_workbook(out_file)
    assert {"ringkasan", "responden", "masalah"} <= set(wb.sheetnames)
    ws = wb["ringkasan"]
    header = [c.value for c in ws[1]]
    col = header.index("Indeks Kepuasan Masyarakat (IKM)") + 1  # readable headers in spreadsheets
    assert "Diskor" in header and "Persyaratan (u1)" in header
    assert ws.cell(row=2, column=col).value == pytest.approx(ref.summary["index"].iloc[0])


def test_score_english(capsys):
    code, out, err = run(
        capsys, "score", "whoqol-bref", SAMPLES / "whoqol" / "problems.csv", "--lang", "en"
    )
    assert code == 0
    assert "Physical health" in out and "Problems in the data" in out


def test_rejected_rows_are_not_fatal(capsys):
    code, out, err = run(capsys, "score", "whoqol-bref", SAMPLES / "whoqol" / "problems.csv")
    assert code == 0 and "too_many_missing" in out


def test_sav_round_trip_keeps_values_and_labels(tmp_path, capsys):
    out_file = tmp_path / "hasil.sav"
    code, out, err = run(
        capsys, "score", "whoqol-bref", SAMPLES / "whoqol" / "clean.csv", "-o", out_file
    )
    assert code == 0, err
    df, meta = pyreadstat.read_sav(out_file)
    ref = indeks.score(
        "whoqol-bref", indeks.read_responses(SAMPLES / "whoqol" / "clean.csv")
    ).respondents
    np.testing.assert_allclose(
        df["physical"].to_numpy(), ref["physical"].to_numpy(), equal_nan=True
    )
    labels = dict(zip(meta.column_names, meta.column_labels))
    assert labels["physical"] == "Kesehatan fisik"
    assert meta.variable_value_labels["status"] == {1.0: "scored", 2.0: "rejected"}
    assert (df["status"] == 1).all()


def test_sav_category_value_labels(tmp_path, capsys):
    out_file = tmp_path / "ikm.sav"
    code, out, err = run(
        capsys, "score", "ikm", SAMPLES / "kupang-2024" / "data" / "ikm.csv", "-o", out_file
    )
    assert code == 0, err
    df, meta = pyreadstat.read_sav(out_file)
    vl = meta.variable_value_labels["category_code"]
    assert vl == {1.0: "D", 2.0: "C", 3.0: "B", 4.0: "A"}
    ref = indeks.score(
        "ikm", indeks.read_responses(SAMPLES / "kupang-2024" / "data" / "ikm.csv")
    ).respondents
    assert [vl[c] for c in df["category_code"]] == list(ref["category_code"].astype(str))
    np.testing.assert_allclose(df["index"], ref["index"])


def test_input_never_overwritten(tmp_path, capsys):
    src = tmp_path / "data.csv"
    src.write_bytes((SAMPLES / "whoqol" / "clean.csv").read_bytes())
    before = src.read_bytes()
    code, out, err = run(capsys, "score", "whoqol-bref", src, "-o", src)
    assert code == 1 and src.read_bytes() == before


def test_validate_lists_columns_and_issues(capsys):
    code, out, err = run(capsys, "validate", "whoqol-bref", SAMPLES / "whoqol" / "problems.csv")
    assert code == 0
    assert "catatan" in out and "out_of_range" in out and "Lumayan" in out


def test_instruments_list_and_show(capsys):
    code, out, _ = run(capsys, "instruments")
    assert code == 0 and "whoqol-bref" in out and "ikm" in out
    code, out, _ = run(capsys, "instruments", "show", "whoqol-bref")
    assert code == 0 and "prepost.score" in out and "who_spss" in out


def test_formula_cells_neutralised_in_csv(tmp_path, capsys):
    out_file = tmp_path / "hasil.csv"
    p = tmp_path / "data.csv"
    df = pd.read_csv(SAMPLES / "whoqol" / "clean.csv").head(2)
    df["id_klien"] = ["=1+1", "@SUM(A1)"]
    df.to_csv(p, index=False)
    code, out, err = run(capsys, "score", "whoqol-bref", p, "-o", out_file)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8-sig")
    assert "'=1+1" in text and "'@SUM(A1)" in text


def test_compare_prints_share_and_writes_sheets(tmp_path, capsys):
    out_file = tmp_path / "prepost.xlsx"
    code, out, err = run(
        capsys,
        "compare",
        "whoqol-bref",
        SAMPLES / "whoqol" / "pre.csv",
        SAMPLES / "whoqol" / "post.csv",
        "-o",
        out_file,
    )
    assert code == 0, err
    assert "22 dari 28 = 78.57%" in out and "SEMENTARA" in out  # the headline rule is provisional
    import openpyxl

    assert {"ringkasan", "pasangan", "tidak_berpasangan", "statistik", "masalah"} <= set(
        openpyxl.load_workbook(out_file).sheetnames
    )


def test_reliability_command(capsys):
    code, out, err = run(capsys, "reliability", "whoqol-bref", SAMPLES / "whoqol" / "pre.csv")
    assert code == 0, err
    r = indeks.reliability("whoqol-bref", indeks.read_responses(SAMPLES / "whoqol" / "pre.csv"))
    alpha = r.domains.set_index("domain").loc["physical", "alpha"]
    assert indeks.format_half_up(alpha, 3) in out


@pytest.mark.parametrize(
    "instrument, folder",
    [
        ("dektara", "dektara"),
        ("dektari", "dektari"),
        ("ikp", "ikp"),
        ("ikotan", "ikotan"),
        ("ikm", "ikm"),
        ("whoqol-bref", "whoqol"),
    ],
)
def test_every_sample_file_scores(capsys, instrument, folder):
    for f in sorted((SAMPLES / folder).glob("*")):
        if f.suffix not in (".csv", ".xlsx", ".sav") or f.name.endswith(
            ("_map.csv", "_labels.csv")
        ):
            continue
        args = ["score", instrument, f]
        if f.name == "google_forms.xlsx":
            args += ["--map", SAMPLES / folder / "google_forms_map.csv"]
        if f.name == "setuju.csv":  # answered on a Setuju scale: the user's labels
            args += ["--labels", SAMPLES / folder / "setuju_labels.csv"]
        code, out, err = run(capsys, *args)
        assert code == 0, (f, err)


@pytest.mark.parametrize("instrument", ["dektara", "dektari", "whoqol-bref"])
def test_every_pre_post_sample_compares(capsys, instrument):
    folder = SAMPLES / {"whoqol-bref": "whoqol"}.get(instrument, instrument)
    code, out, err = run(capsys, "compare", instrument, folder / "pre.csv", folder / "post.csv")
    assert code == 0, err
    assert "Pasangan" in out


def test_kobo_group_prefixes(tmp_path):
    df = pd.read_csv(SAMPLES / "ikm" / "clean.csv")
    kobo = df.rename(columns={c: f"group_survei/{c}" for c in df.columns if c.startswith("U")})
    res = indeks.score("ikm", kobo)
    ref = indeks.score("ikm", df)
    assert res.summary["index"].iloc[0] == pytest.approx(ref.summary["index"].iloc[0])
    assert res.columns.items["u1"] == "group_survei/U1"


def test_version_option(capsys):
    code, out, err = run(capsys, "--version")
    assert code == 0 and out.strip() == indeks.__version__


@pytest.mark.parametrize(
    "lang, heads, severities, converted",
    [
        ("id", ("Baris", "Kolom", "Kode masalah", "Pesan", "Tingkat"), ("kesalahan",), "konversi"),
        ("en", ("Row", "Column", "Issue code", "Message", "Severity"), ("error",), "converted"),
    ],
)
def test_terminal_tables_speak_the_chosen_language(capsys, lang, heads, severities, converted):
    """Table headers, severities and the converted-category row follow --lang (an
    Indonesian run used to show 'row/column/severity/error' and 'Kategori (converted)')."""
    code, out, _ = run(capsys, "score", "ikm", SAMPLES / "ikm" / "problems.csv", "--lang", lang)
    assert code == 0
    for h in heads + severities:
        assert h in out, (h, out)
    assert f"({converted})" in out
    if lang == "id":
        assert "converted" not in out and "severity" not in out


def _workbook_pre_post(path: Path) -> None:
    """One workbook as officers keep it: an instructions sheet, then 'Pre' and 'Post' sheets
    whose headers are 'Pertanyaan 1'..'Pertanyaan 26' and whose ids differ in case."""
    rng = np.random.default_rng(3)
    items = {f"Pertanyaan {i}": rng.integers(1, 5, 6) for i in range(1, 27)}
    pre = pd.DataFrame({"NIK Klien": [f"K-{i}" for i in range(6)], **items})
    post = pre.copy()
    post["Pertanyaan 1"] = pre["Pertanyaan 1"] + 1  # overall QoL up by one for everyone
    post["NIK Klien"] = [f"k-{i} " for i in range(6)]
    with pd.ExcelWriter(path) as w:
        pd.DataFrame({"Petunjuk": ["isi semua butir"]}).to_excel(w, sheet_name="Petunjuk")
        pre.to_excel(w, sheet_name="Pre", index=False)
        post.to_excel(w, sheet_name="Post", index=False)


def test_compare_pre_and_post_sheets_of_one_workbook(tmp_path, capsys):
    book = tmp_path / "survei.xlsx"
    _workbook_pre_post(book)
    out = tmp_path / "hasil.xlsx"
    args = ["compare", "whoqol-bref", book, book, "--id", "NIK Klien"]
    code, text, err = run(capsys, *args, "--pre-sheet", "Pre", "--post-sheet", "Post", "-o", out)
    assert code == 0, text + err
    s = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert int(s["ringkasan"]["Pasangan pre/post"].iloc[0]) == 6
    stats = s["statistik"].set_index("Skor")
    assert float(stats.loc["overall_qol", "Rata-rata perubahan"]) == 1.0
    # the same sheet for both waves is refused, not compared with itself
    code, text, err = run(capsys, *args, "--sheet", "Pre")
    assert_clean_failure(code, text, err, "--pre-sheet", "survei.xlsx")


def test_pertanyaan_n_headers_are_items(tmp_path, capsys):
    """'Pertanyaan 1', 'Soal 2', 'Butir 3' headers name items 1, 2, 3 (built-in aliases)."""
    book = tmp_path / "survei.xlsx"
    _workbook_pre_post(book)
    r = indeks.score(
        "whoqol-bref",
        pd.read_excel(book, sheet_name="Pre", engine="calamine"),
        id_column="NIK Klien",
    )
    assert r.n_scored == 6 and r.columns.items["q1"] == "Pertanyaan 1"
    df = pd.DataFrame({f"Soal {i}": [4, 3] for i in range(1, 10)})
    assert indeks.score("ikm", df).columns.items["u9"] == "Soal 9"


@pytest.mark.parametrize("how", [["--engine", "stream"], ["--chunk-rows", "7"]])
def test_streamed_job_with_nobody_scored_fails_like_the_in_memory_one(tmp_path, capsys, how):
    """Every answer out of range: the in-memory job exits 1 and writes nothing; a job scored
    in parts used to write its files and exit 0."""
    df = pd.DataFrame({"id": range(1, 31), **{f"q{i}": [9] * 30 for i in range(1, 27)}})
    src = tmp_path / "semua_salah.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "hasil.csv"
    code, text, err = run(capsys, "score", "whoqol-bref", src, "-o", out, *how)
    assert_clean_failure(code, text, err, "0 dari 30 responden diskor", "too_many_missing")
    assert list(tmp_path.iterdir()) == [src]
