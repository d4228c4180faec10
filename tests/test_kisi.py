"""Kisi-kisi import (four layouts built here, malformed cells) and export round trips."""

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from cli_run import run
from openpyxl import Workbook

import indeks
from indeks.instruments import DEFINITIONS_DIR, load_instrument
from indeks.instruments.kisi import (
    KisiError,
    definition_from_kisi,
    read_kisi,
    write_definition,
    write_kisi,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def build(tmp_path, tmp_name, kisi, base="dektari"):
    text, guesses = definition_from_kisi(kisi, base, instrument_id=tmp_name, lang="en")
    path = write_definition(text, tmp_path / f"{tmp_name}.toml")
    return load_instrument(path), guesses, text


# ----------------------------------------------------------------- layout 1: merged cells
def merged_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["KISI-KISI ANGKET KETAHANAN DIRI"])
    ws.append([])
    ws.append(["No", "Variabel", "Indikator", "No. Butir", "Pernyataan", "Sifat"])
    ws.append([1, "Kontrol Diri", "Menahan dorongan", 1, "Saya bisa menahan diri", "(+)"])
    ws.append([2, None, None, 2, "Saya mudah terpengaruh teman", "(-)"])
    ws.append([3, None, "Menunda", 3, "Saya selesaikan tugas dulu", "(+)"])
    ws.append([4, "Berani Menolak", "Berkata tidak", 4, "Saya berani menolak", "+"])
    ws.append([5, None, None, 5, "Saya sulit berkata tidak", "-"])
    ws.append(["Jumlah", None, None, 5])
    ws.merge_cells("B4:B6")
    ws.merge_cells("B7:B8")
    ws.merge_cells("C4:C5")
    ws.merge_cells("C7:C8")
    wb.save(path)
    return path


def test_merged_dimension_cells(tmp_path):
    kisi = read_kisi(merged_workbook(tmp_path / "kisi.xlsx"))
    assert [(i.number, i.dimension, i.reverse) for i in kisi.items] == [
        (1, "Kontrol Diri", False),
        (2, "Kontrol Diri", True),
        (3, "Kontrol Diri", False),
        (4, "Berani Menolak", False),
        (5, "Berani Menolak", True),
    ]
    assert kisi.items[1].indicator == "Menahan dorongan"  # merged indicator cell
    assert kisi.items[2].indicator == "Menunda"
    inst, guesses, text = build(tmp_path, "angket", kisi)
    assert inst.item_ids == ["b01", "b02", "b03", "b04", "b05"]
    assert [d.id for d in inst.domains] == ["kontrol_diri", "berani_menolak"]
    assert inst.domain("kontrol_diri").items == ("b01", "b02", "b03")
    assert [i.id for i in inst.items if i.reverse] == ["b02", "b05"]
    assert inst.item("b02").text == "Saya mudah terpengaruh teman"
    # rules from the base
    assert inst.domain("berani_menolak").method == "percent_of_max"
    assert inst.index.method == "mean" and set(inst.index.weights) == {
        "kontrol_diri",
        "berani_menolak",
    }
    assert inst.categories == indeks.get_instrument("dektari").categories
    # guesses on screen and in the file
    assert any("'kontrol_diri'" in g for g in guesses)
    assert (
        "# GUESSES" in text and "#   - dimension 'Kontrol Diri' gets the id 'kontrol_diri'" in text
    )
    # and it scores: b02 and b05 reversed (5 - x)
    df = pd.DataFrame([{"b01": 4, "b02": 1, "b03": 4, "b04": 4, "b05": 1, "usia": 15}])
    r = indeks.score(inst, df).respondents.iloc[0]
    assert r["kontrol_diri"] == 100 and r["berani_menolak"] == 100 and r["index"] == 100


# ----------------------------------------------------------------- layout 2: ranges, favorable/unfavorable
def ranges_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Kisi-kisi"
    ws.append(["Aspek", "Indikator", "Favorable", "Unfavorable", "Jumlah"])
    ws.append(["Regulasi diri", "Mengatur emosi", "1-3", "4, 5", 5])
    ws.append(["Regulasi diri", "Mengatur waktu", "6", "7 s.d. 8", 3])
    ws.append(["Asertivitas", "Menyatakan pendapat", "9-10", None, 2])
    ws.append(["Total", None, None, None, 10])
    st = wb.create_sheet("Butir")
    st.append(["No", "Pernyataan"])
    for n in range(1, 11):
        st.append([n, f"Pernyataan nomor {n}"])
    wb.save(path)
    return path


def test_item_ranges_and_favorable_columns(tmp_path):
    kisi = read_kisi(ranges_workbook(tmp_path / "kisi.xlsx"))
    assert [i.number for i in kisi.items] == list(range(1, 11))
    assert [i.number for i in kisi.items if i.reverse] == [4, 5, 7, 8]
    assert {i.dimension for i in kisi.items[:8]} == {"Regulasi diri"}
    assert kisi.items[9].text == "Pernyataan nomor 10"
    inst, guesses, _ = build(tmp_path, "ranges", kisi)
    assert inst.domain("regulasi_diri").items == tuple(f"b{n:02d}" for n in range(1, 9))
    assert inst.domain("asertivitas").items == ("b09", "b10")
    assert any("numbered list" in g for g in guesses)


# ----------------------------------------------------------------- layout 3: (+)/(-) column, "butir"
def test_plus_minus_column_and_butir_numbers(tmp_path):
    path = tmp_path / "kisi.csv"
    path.write_text(
        "Dimensi;Butir;(+)/(-);Pernyataan\n"
        "Pengasuhan;1;+;Saya memuji anak\n"
        ";2;-;Saya membentak anak\n"
        "Komunikasi;3;(+);Kami makan bersama\n"
        ";4;(-);Anak jarang bercerita\n",
        encoding="utf-8",
    )
    kisi = read_kisi(path)
    assert [(i.number, i.dimension, i.reverse) for i in kisi.items] == [
        (1, "Pengasuhan", False),
        (2, "Pengasuhan", True),
        (3, "Komunikasi", False),
        (4, "Komunikasi", True),
    ]
    assert any("read as item numbers" in g.text("en") for g in kisi.guesses)
    assert any("empty dimension cell" in g.text("en") for g in kisi.guesses)  # not merged
    assert any("dibaca sebagai nomor butir" in g.text("id") for g in kisi.guesses)


# ----------------------------------------------------------------- layout 4: English headers with weights
def test_english_headers_and_weights(tmp_path):
    path = tmp_path / "blueprint.csv"
    path.write_text(
        "Dimension,Indicator,Item No,Statement,Keying,Weight\n"
        "People,Trained staff,1,Our staff are trained,positive,40%\n"
        "People,Trained staff,2,We lack volunteers,negative,40%\n"
        "Budget,Own budget,3,We have our own budget,positive,60%\n",
        encoding="utf-8",
    )
    kisi = read_kisi(path)
    assert [(i.number, i.dimension, i.reverse) for i in kisi.items] == [
        (1, "People", False),
        (2, "People", True),
        (3, "Budget", False),
    ]
    inst, guesses, _ = build(tmp_path, "blueprint", kisi, base="ikp")
    assert inst.index.method == "weighted_mean"
    assert {k: int(v) for k, v in inst.index.weights.items()} == {"people": 40, "budget": 60}
    assert inst.index.weights_sum == 100
    # IKP's answer letters a-d still work; index = (40 x mean(4, 5-1=... ) ) checked by hand:
    # people = mean(4, reverse(1) = 4) = 4; budget = 2; index = (40 x 4 + 60 x 2) / 100 = 2.80
    df = pd.DataFrame([{"b01": "d", "b02": "a", "b03": "b"}])
    r = indeks.score(inst, df).respondents.iloc[0]
    assert r["people"] == 4 and r["budget"] == 2 and r["index"] == pytest.approx(2.8)
    assert r["category_code"] == "B"


# ----------------------------------------------------------------- malformed
@pytest.mark.parametrize(
    "cell_value, cell, needle",
    [
        ("1-x", "D6", "cannot read item numbers"),
        ("5-2", "D6", "n <= m"),
        ("2", "D6", "appears twice (also in cell D5)"),
        (2.5, "D6", "not a whole item number"),
    ],
)
def test_malformed_numbers_name_the_cell(tmp_path, capsys, cell_value, cell, needle):
    path = merged_workbook(tmp_path / "bad.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active[cell] = cell_value
    wb.save(path)
    with pytest.raises(KisiError) as err:
        read_kisi(path)
    assert f"cell {cell}" in err.value.text("en") and needle in err.value.text("en")
    assert f"sel {cell}" in str(err.value)  # Bahasa Indonesia by default
    code, out, errtext = run(
        capsys, "instruments", "new", "--from", path, "--base", "dektari", "-o", tmp_path / "x.toml"
    )
    assert code == 1 and f"sel {cell}" in " ".join(errtext.split())
    assert "Traceback" not in out + errtext
    assert not (tmp_path / "x.toml").exists()


def test_unknown_direction_names_the_cell(tmp_path):
    path = merged_workbook(tmp_path / "bad.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["F6"] = "netral"
    wb.save(path)
    with pytest.raises(KisiError) as err:
        read_kisi(path)
    assert "cell F6: 'netral' is not a direction" in err.value.text("en")
    assert "sel F6: 'netral' bukan sifat butir" in str(err.value)


def test_one_statement_for_several_numbers_is_refused(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("Dimensi,No butir,Pernyataan\nA,1-3,Satu pernyataan\n", encoding="utf-8")
    with pytest.raises(KisiError) as err:
        read_kisi(path)
    assert "cell C2: one statement for several item numbers" in err.value.text("en")


def test_not_a_kisi(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("nama,umur\nAni,12\n", encoding="utf-8")
    with pytest.raises(KisiError) as err:
        read_kisi(path)
    assert "tabel kisi-kisi tidak ditemukan" in str(err.value)


# ----------------------------------------------------------------- round trip
BUILTINS = sorted(p.stem for p in DEFINITIONS_DIR.glob("*.toml"))

SAMPLE_FILES = {
    "dektara": ["dektara/pre.csv", "dektara/post.csv"],
    "dektari": ["dektari/pre.csv", "dektari/post.csv"],
    "ikm": ["ikm/clean.csv", "ikm/problems.csv"],
    "ikp": ["ikp/ikp.csv"],
    "ikotan": ["ikotan/ikotan.csv"],
    "whoqol-bref": ["whoqol/clean.csv", "whoqol/problems.csv"],
    "ikm-2004": [],
}


def _item(it):
    d = dataclasses.asdict(it)
    d.pop("number")  # declared or derived from the id: the same aliases either way
    return d


@pytest.mark.parametrize("iid", BUILTINS)
def test_round_trip_every_builtin(tmp_path, iid):
    orig = indeks.get_instrument(iid)
    xlsx = write_kisi(orig, tmp_path / f"{iid}.xlsx")
    kisi = read_kisi(xlsx)
    text, _ = definition_from_kisi(kisi, iid, instrument_id=f"{iid}-rt")
    back = load_instrument(write_definition(text, tmp_path / f"{iid}-rt.toml"))
    assert [_item(i) for i in back.items] == [_item(i) for i in orig.items]
    assert back.domains == orig.domains
    assert back.index == orig.index
    assert back.categories == orig.categories
    assert back.conversion == orig.conversion and back.scales == orig.scales
    assert back.prepost == orig.prepost and back.forms == orig.forms
    for rel in SAMPLE_FILES[iid]:
        df = indeks.read_responses(SAMPLES / rel)
        a = indeks.score(orig, df).respondents
        b = indeks.score(back, df).respondents
        pd.testing.assert_frame_equal(a, b)


def test_export_csv_and_cli(tmp_path, capsys):
    code, out, _ = run(capsys, "instruments", "kisi", "ikp", "-o", tmp_path / "ikp.csv")
    assert code == 0
    text = (tmp_path / "ikp.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0].startswith("No,Dimensi,Indikator,Nomor butir,Pernyataan,Sifat,Bobot dimensi")
    assert text[1].split(",")[:7] == ["1", "Manusia", "", "1", "", "positif", "6"]
    code, out, _ = run(
        capsys,
        "instruments",
        "new",
        "--from",
        tmp_path / "ikp.csv",
        "--base",
        "ikp",
        "-o",
        tmp_path / "ikp-copy.toml",
    )
    assert code == 0 and "6 butir" in " ".join(out.split())
    assert load_instrument(tmp_path / "ikp-copy.toml").id == "ikp-copy"


def test_export_workbook_sheets(tmp_path):
    from openpyxl import load_workbook

    path = write_kisi(indeks.get_instrument("dektara"), tmp_path / "d.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Kisi-kisi", "Skala", "Aturan", "Kategori", "Catatan sementara"]
    ws = wb["Kisi-kisi"]
    assert ws["B5"].value == "Pengasuhan (orang tua)" and "B5:B14" in {
        str(r) for r in ws.merged_cells.ranges
    }
    assert ws["F15"].value == "negatif"  # ot11, reverse-keyed
    cats = [[c.value for c in row] for row in wb["Kategori"].iter_rows(min_row=2)]
    assert cats[1][3:8] == ["T", "Tinggi", "High", 75.0, 100.0]


# ----------------------------------------------------------------- the bundled sample
def test_bundled_sample_kisi():
    folder = SAMPLES / "kisi"
    kisi = read_kisi(folder / "kisi-kisi-ketahanan-remaja.xlsx")
    assert kisi.dimensions == ["Regulasi Diri", "Asertivitas", "Mencari Bantuan"]
    assert [i.number for i in kisi.items if i.reverse] == [2, 4, 8, 10, 12, 14, 18]
    assert kisi.items[6].indicator == "Menolak ajakan negatif"
    # the committed definition is what the importer makes of the committed kisi-kisi
    text, _ = definition_from_kisi(
        kisi,
        "dektari",
        instrument_id="ketahanan-remaja",
        name="Angket Ketahanan Diri Remaja (contoh kisi-kisi)",
    )
    assert text == (folder / "ketahanan-remaja.toml").read_text(encoding="utf-8")
    # its review workbook reads back to the same items
    again = read_kisi(folder / "kisi-kisi-ketahanan-remaja-ekspor.xlsx")
    assert [(i.number, i.text, i.reverse) for i in again.items] == [
        (i.number, i.text, i.reverse) for i in kisi.items
    ]
    inst = load_instrument(folder / "ketahanan-remaja.toml")
    res = indeks.score(inst, indeks.read_responses(folder / "jawaban.csv"))
    assert res.n_scored == 39 and res.n_rejected == 1  # the 23-year-old is ineligible
    # respondent 1 by hand: the questions are matched by their texts
    df = indeks.read_responses(folder / "jawaban.csv")
    words = {"Sangat Tidak Setuju": 1, "Tidak Setuju": 2, "Setuju": 3, "Sangat Setuju": 4}
    first = [words[df[it.text].iloc[0]] for it in inst.items]
    keyed = [5 - v if it.reverse else v for v, it in zip(first, inst.items, strict=True)]
    dims = [sum(keyed[k : k + 6]) / 6 for k in (0, 6, 12)]
    expect = sum((m - 1) / 3 * 100 for m in dims) / 3
    assert res.respondents["index"].iloc[0] == pytest.approx(expect)


def test_thesis_layout_row_counter_and_worded_direction(tmp_path):
    """'No' is a row counter, 'Butir Soal' holds the item numbers, 'Positif (+)' words."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Tabel 3.1 Kisi-kisi Instrumen Penelitian"])
    ws.append(["No", "Aspek yang diukur", "Indikator", "Butir Soal", "Pernyataan", "Sifat"])
    ws.append([1, "Keterlibatan", "Waktu bersama", "2", "Kami makan bersama", "Positif (+)"])
    ws.append([2, "", "", "1", "Orang tua jarang di rumah", "Negatif (-)"])
    path = tmp_path / "skripsi.xlsx"
    wb.save(path)
    kisi = read_kisi(path)
    assert [(i.number, i.text, i.reverse) for i in kisi.items] == [
        (1, "Orang tua jarang di rumah", True),
        (2, "Kami makan bersama", False),
    ]
    assert any("'Butir Soal' (D2) read as item numbers" in g.text("en") for g in kisi.guesses)


def test_kisi_bomb_and_devices_refused(tmp_path):
    import zipfile

    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 30_000_000)
    with pytest.raises(indeks.IndeksError) as err:
        read_kisi(bomb)
    assert "bom.xlsx" in str(err.value)
    link = tmp_path / "nol.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(KisiError):
        read_kisi(link)


# ----------------------------------------------------------------- properties
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from indeks.instruments.kisi import _numbers, _ranges_text  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(1, 300), min_size=1, max_size=40), st.sampled_from([", ", ",", "; "]))
def test_item_number_cells_read_back(nums, sep):
    """A set of numbers written as ranges ("1-3, 7") or as a list reads back to itself."""
    ordered = sorted(nums)
    assert _numbers(_ranges_text(ordered), "A1", "k.csv") == ordered
    assert _numbers(sep.join(map(str, ordered)), "A1", "k.csv") == ordered


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["Kontrol", "Asertif", "Bantuan"]), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_any_kisi_table_reads_back(rows):
    """Rows written as a plain kisi-kisi CSV come back as the same items, in number order."""
    import tempfile

    lines = ["Dimensi,No butir,Pernyataan,Sifat"]
    for n, (dim, neg) in enumerate(rows, start=1):
        lines.append(f"{dim},{n},Pernyataan {n},{'-' if neg else '+'}")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "k.csv"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        kisi = read_kisi(p)
    got = [(i.dimension, i.reverse, i.text) for i in kisi.items]
    assert got == [(dim, neg, f"Pernyataan {n}") for n, (dim, neg) in enumerate(rows, start=1)]


def test_imported_items_find_columns_headed_by_item_number(tmp_path):
    # a kisi-kisi without item ids: the importer names the items b1..b4 and declares
    # column patterns, so an export headed P1..P4 (or Q01, "3") is scored without a map
    kisi = tmp_path / "kisi.csv"
    kisi.write_text(
        "Dimensi,No Butir,Pernyataan,Sifat\n"
        "Kontrol diri,1,Saya menahan diri,Positif\n"
        "Kontrol diri,2,Saya mudah terpengaruh teman,Negatif\n"
        "Asertif,3,Saya berani menolak,Positif\n"
        "Asertif,4,Saya diam saja bila dipaksa,Negatif\n",
        encoding="utf-8",
    )
    text, guesses = definition_from_kisi(read_kisi(kisi), "dektari", instrument_id="mine")
    inst = load_instrument(write_definition(text, tmp_path / "mine.toml"))
    df = pd.DataFrame(
        {"usia": [15, 16], "P1": [4, 1], "Q02": [1, 4], "3": [3, 2], "butir 4": [2, 3]}
    )
    res = indeks.score(inst, df)
    assert res.respondents["status"].tolist() == ["scored", "scored"]
    # respondent 1: kontrol (4, 5-1=4) -> mean 4 -> 100; asertif (3, 5-2=3) -> 66.67
    # respondent 2: kontrol (1, 5-4=1) -> 0; asertif (2, 5-3=2) -> 33.33
    doms = res.respondents[["kontrol_diri", "asertif"]].round(2).to_numpy().tolist()
    assert doms == [[100.0, 66.67], [0.0, 33.33]]
    assert "p{n}" in text  # declared in the file, where the officer can see and edit it
