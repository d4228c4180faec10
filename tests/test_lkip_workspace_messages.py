"""LKIP workspace problems in Bahasa Indonesia (default) and English (--lang en), each
naming the file and the key, from the catalogue indeks/locale/lkip/workspace.toml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indeks.cli import main
from indeks.i18n import load_catalogue
from indeks.lkip import WorkspaceError, compute, load_workspace

ROOT = Path(__file__).resolve().parents[1]

BAD = """\
unit = "BNN Kab. Contoh"
year = 2025
colour = "biru"

[[sasaran]]
id = "S1"
name = "Sasaran satu"

[[indicators]]
number = 1
sasaran = "S9"
name = "Indeks Kewaspadaan"
unit = "Indeks"
target = 3.1
polarity = "naik"
precision = 9
source = { kind = "instrument", instrument = "dektara", figure = "pct_improved", files = ["a.csv"] }
reported = { capaian = "seratus" }
"""


def _error(tmp_path: Path, text: str = BAD, name: str = "kerja.toml") -> WorkspaceError:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError) as exc:
        load_workspace(p, check_files=False)
    return exc.value


def test_problems_in_indonesian_by_default_and_in_english(tmp_path):
    err = _error(tmp_path)
    id_lines = err.text().splitlines()
    assert err.text("id").splitlines() == id_lines
    en_lines = err.text("en").splitlines()
    assert str(err).splitlines() == en_lines  # str() stays English
    assert len(id_lines) == len(en_lines) == len(err.problems) == 6
    assert id_lines == [
        "kerja.toml: colour: kunci tidak dikenal (yang boleh: budget, cap, capaian_precision, "
        "category_bands, category_preset, extends, indicators, lang, note, sasaran, title, "
        "unit, year)",
        "kerja.toml: indicators[1].sasaran: id sasaran 'S9' tidak dikenal (id: S1)",
        "kerja.toml: indicators[1].polarity: 'naik'; pakai 'higher' atau 'lower'",
        "kerja.toml: indicators[1].precision: bilangan bulat 0..6 (jumlah desimal realisasi)",
        "kerja.toml: indicators[1].source.files: figure 'pct_improved' memerlukan 2 berkas "
        "(pre, post), ada 1",
        "kerja.toml: indicators[1].reported.capaian: bukan bilangan: 'seratus'",
    ]
    assert en_lines == [
        "kerja.toml: colour: unknown key (allowed: budget, cap, capaian_precision, "
        "category_bands, category_preset, extends, indicators, lang, note, sasaran, title, "
        "unit, year)",
        "kerja.toml: indicators[1].sasaran: unknown sasaran id 'S9' (ids: S1)",
        "kerja.toml: indicators[1].polarity: 'naik'; use 'higher' or 'lower'",
        "kerja.toml: indicators[1].precision: a whole number 0..6 (decimals of the realisasi)",
        "kerja.toml: indicators[1].source.files: figure 'pct_improved' takes 2 file(s) "
        "(pre, post), got 1",
        "kerja.toml: indicators[1].reported.capaian: not a number: 'seratus'",
    ]
    first = err.problems[0]
    assert (first.file, first.key, first.code) == ("kerja.toml", "colour", "unknown_key_allowed")


def test_either_count_is_joined_in_the_message_language(tmp_path):
    text = BAD.replace(
        'figure = "pct_improved", files = ["a.csv"]',
        'figure = "post_index", files = ["a.csv", "b.csv", "c.csv"]',
    )
    err = _error(tmp_path, text)
    assert "figure 'post_index' memerlukan 1 atau 2 berkas (pre, post), ada 3" in err.text("id")
    assert "figure 'post_index' takes 1 or 2 file(s) (pre, post), got 3" in err.text("en")


def test_the_file_that_sets_a_key_is_named_across_extends(tmp_path):
    (tmp_path / "dasar.toml").write_text(BAD.replace('colour = "biru"\n', ""), encoding="utf-8")
    err = _error(tmp_path, 'extends = "dasar.toml"\ntahun = 2025\n', "atas.toml")
    lines = err.text("id").splitlines()
    assert lines[0].startswith("atas.toml: tahun: kunci tidak dikenal")
    assert "dasar.toml: indicators[1].polarity: 'naik'; pakai 'higher' atau 'lower'" in lines


def test_file_level_problems_in_both_languages(tmp_path):
    err = _error(tmp_path, 'unit = "X"\nyear = = 2025\n')
    assert err.text("id").startswith("kerja.toml: kesalahan sintaks TOML: ")
    assert err.text("en").startswith("kerja.toml: TOML syntax error: ")
    assert "(at line 2, column 8)" in err.text("id")  # the parser's line and column are kept
    with pytest.raises(WorkspaceError) as exc:
        load_workspace(tmp_path / "tidak-ada.toml")
    assert exc.value.text() == f"{tmp_path / 'tidak-ada.toml'}: berkas tidak ditemukan"
    assert exc.value.text("en") == f"{tmp_path / 'tidak-ada.toml'}: file not found"
    err = _error(tmp_path, 'unit = "X"\nyear = 2025\nlang = "fr"\n')
    assert "kerja.toml: lang: bahasa 'fr' tidak dikenal; pakai salah satu dari id, en" in err.text(
        "id"
    )
    assert "kerja.toml: lang: unknown language 'fr'; use one of id, en" in err.text("en")


def test_an_unusual_unit_is_a_warning_in_the_report_language(tmp_path):
    text = (ROOT / "sample_data" / "kupang-2024" / "workspace.toml").read_text(encoding="utf-8")
    p = tmp_path / "workspace.toml"
    p.write_text(text.replace('unit = "Indeks"', 'unit = "Poin"', 1), encoding="utf-8")
    ws = load_workspace(p)
    (number,) = [i.number for i in ws.indicators if i.unit == "Poin"]
    where = f"workspace.toml: indicators[{number}].unit: 'Poin'"
    units = "Indeks, %, Orang, Lembaga, Unit"
    assert f"{where} bukan salah satu dari {units}" in compute(ws, lang="id").warnings
    assert f"{where} is not one of {units}" in compute(ws, lang="en").warnings
    assert f"{where} bukan salah satu dari {units}" in compute(ws).warnings  # ws lang = "id"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "kerja.toml: indicators[1].polarity: 'naik'; pakai 'higher' atau 'lower'"),
        (("--lang", "en"), "kerja.toml: indicators[1].polarity: 'naik'; use 'higher' or 'lower'"),
    ],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_lkip_commands_print_the_problems_in_the_chosen_language(
    tmp_path, capsys, command, args, expected
):
    p = tmp_path / "kerja.toml"
    p.write_text(BAD, encoding="utf-8")
    extra = ("-o", str(tmp_path / "out")) if command == "build" else ()
    with pytest.raises(SystemExit) as exc:
        main(["lkip", command, str(p), *extra, *args])
    err = " ".join(capsys.readouterr().err.split())
    assert exc.value.code == 1 and "Traceback" not in err
    assert expected in err
    other = "use 'higher'" if not args else "pakai 'higher'"
    assert other not in err  # one language, not both


def test_every_workspace_message_is_used_and_no_text_is_inline():
    source = (ROOT / "indeks" / "lkip" / "workspace.py").read_text(encoding="utf-8")
    for key in load_catalogue("lkip/workspace"):
        assert re.search(rf'["\']{key}["\']', source), f"catalogue entry {key} is not used"
    assert "problems.append(f" not in source


@pytest.mark.parametrize(
    ("line", "key", "table"),
    [
        ("sasaran = 3", "sasaran", "[[sasaran]]"),
        ("indicators = { a = 1 }", "indicators", "[[indicators]]"),
        (
            "[budget]\npagu = 1\nrealisasi = 1\nadjustments = 5",
            "budget.adjustments",
            "[[budget.adjustments]]",
        ),
    ],
)
def test_a_list_of_tables_of_another_type_is_a_problem_not_a_crash(tmp_path, line, key, table):
    err = _error(tmp_path, f'unit = "U"\nyear = 2025\n{line}\n')
    assert f"kerja.toml: {key}: harus daftar tabel {table}" in err.text("id").splitlines()
    assert f"kerja.toml: {key}: must be a list of tables {table}" in err.text("en").splitlines()


def test_a_wrong_list_in_an_extended_file_is_named_not_replaced_silently(tmp_path):
    (tmp_path / "dasar.toml").write_text('indicators = "x"\n', encoding="utf-8")
    good = BAD.replace('colour = "biru"\n', "").replace('sasaran = "S9"', 'sasaran = "S1"')
    good = good.replace('polarity = "naik"\nprecision = 9\n', "").replace(
        'kind = "instrument", instrument = "dektara", figure = "pct_improved", files = ["a.csv"]',
        'kind = "value", value = 3.2',
    )
    good = good.replace('reported = { capaian = "seratus" }\n', "")
    load_workspace(_write(tmp_path, good, "tanpa-dasar.toml"))  # valid on its own
    err = _error(tmp_path, 'extends = "dasar.toml"\n' + good, "atas.toml")
    assert err.text("en") == "dasar.toml: indicators: must be a list of tables [[indicators]]"


def _write(tmp_path: Path, text: str, name: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p
