"""LKIP: capaian arithmetic, workspace validation, audit of the Kupang 2024 report, build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indeks.lkip import build as build_lkip
from indeks.lkip import (
    capaian,
    check,
    format_capaian_table,
    format_check_table,
    ikpa,
    load_workspace,
)
from indeks.lkip.formulas import budget, category, sasaran_capaian, status
from indeks.lkip.workspace import WorkspaceError, parse_printed

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "kupang-2024"
WS = SAMPLE / "workspace.toml"
WS_OK = SAMPLE / "workspace-corrected.toml"

IKPA_2024 = [
    ("Revisi DIPA", 100, 10),
    ("Deviasi Halaman III DIPA", 89.11, 15),
    ("Penyerapan Anggaran", 99.27, 20),
    ("Belanja Kontraktual", 100, 10),
    ("Penyelesaian Tagihan", 100, 10),
    ("Pengelolaan UP dan TUP", 97.42, 10),
    ("Dispensasi SPM", 0, 0),
    ("Capaian Output", 100, 25),
]


# --------------------------------------------------------------------------- capaian


def test_capaian_higher_is_better_report_values():
    assert capaian(84.38, 81.339).text() == "103.74"
    assert capaian(40.98, 53.65).text() == "76.38"
    assert capaian(3.54, 3.53).text() == "100.28"
    assert capaian(100, 68).text() == "147.06"
    assert capaian(3.55, 2.60).text() == "136.54"
    assert capaian(98.47, 87).text() == "113.18"
    assert capaian(97.96, 97.39).text() == "100.59"
    value, reason = capaian(10, 10)
    assert value == 100.0 and reason == ""


def test_capaian_lower_is_better_and_floor():
    assert capaian(80, 100, polarity="lower").value == pytest.approx(120.0)
    assert capaian(120, 100, polarity="lower").value == pytest.approx(80.0)
    assert capaian(100, 100, polarity="lower").value == pytest.approx(100.0)
    c = capaian(250, 100, polarity="lower")
    assert c.value == 0.0 and c.raw == pytest.approx(-50.0) and c.note


def test_capaian_cap():
    c = capaian(100, 68, cap=120)
    assert c.value == 120.0 and c.capped and c.raw == pytest.approx(147.0588, abs=1e-4)
    assert "120.00" in c.note
    assert capaian(100, 68).value == pytest.approx(147.0588, abs=1e-4)  # no cap by default
    assert capaian(90, 100, cap=120).value == pytest.approx(90.0)


@pytest.mark.parametrize("target", [0, 0.0, None, float("nan")])
def test_capaian_target_zero_or_missing_gives_message_not_exception(target):
    value, reason = capaian(5, target)
    assert value is None
    assert "target" in reason
    assert status(value) is None


def test_capaian_messages_in_english():
    assert "division by zero" in capaian(5, 0, lang="en").reason
    assert "pembagian dengan nol" in capaian(5, 0).reason


def test_status_triple_at_two_decimals_half_up():
    assert status(100.0) == "sesuai target"
    assert status(99.995) == "sesuai target"  # -> 100.00
    assert status(99.999) == "sesuai target"
    assert status(100.005) == "melebihi target"  # -> 100.01
    assert status(100.004) == "sesuai target"
    assert status(99.994) == "di bawah target"
    assert status(76.38) == "di bawah target"
    assert status(capaian(10, 10).value) == "sesuai target"
    assert status(capaian(2.01, 2.01).value) == "sesuai target"


def test_category_preset():
    assert category(147.06) == "Sangat Baik"
    assert category(91) == "Sangat Baik"
    assert category(90.4) == "Baik"
    assert category(76.38) == "Baik"
    assert category(70) == "Cukup"
    assert category(51) == "Kurang"
    assert category(50) == "Sangat Kurang"


def test_sasaran_capaian_mean_after_cap():
    assert sasaran_capaian([100.0, 100.0]) == 100.0
    assert sasaran_capaian([147.06, 80.0]) == pytest.approx(113.53)
    assert sasaran_capaian([147.06, 80.0], cap=120) == pytest.approx(100.0)
    assert sasaran_capaian([150.0, 90.0], weights=[1, 3]) == pytest.approx(105.0)
    assert sasaran_capaian([None, 90.0]) == 90.0
    assert sasaran_capaian([None]) is None


def test_budget_percentages_kupang_2024():
    b = budget(1_621_270_000, 1_619_544_593)
    assert b.sisa == 1_725_407
    from indeks.numbers import format_half_up

    assert format_half_up(b.pct_realisasi, 2) == "99.89"
    assert format_half_up(b.pct_sisa, 2) == "0.11"  # the report printed 0,99
    assert b.pct_realisasi + b.pct_sisa == pytest.approx(100.0)
    z = budget(0, 0)
    assert z.pct_realisasi is None and z.pct_sisa is None


def test_ikpa_from_the_report_aspect_table():
    value = ikpa(IKPA_2024)
    assert value == pytest.approx(97.9625)
    from indeks.numbers import format_half_up

    assert format_half_up(value, 2) == "97.96"
    # the same as a mapping and as dicts
    assert ikpa({n: (v, w) for n, v, w in IKPA_2024}) == value
    assert ikpa([{"name": n, "value": v, "weight": w} for n, v, w in IKPA_2024]) == value


def test_parse_printed_keeps_printed_decimals():
    p = parse_printed("147,00")
    assert p.value == 147.0 and p.decimals == 2
    assert parse_printed("107, 1 %").value == 107.1 and parse_printed("107, 1 %").decimals == 1
    assert parse_printed("Rp.1.725.407").value == 1_725_407
    assert parse_printed("Rp. 1.625.380.000,-").value == 1_625_380_000
    assert parse_printed("81,339").decimals == 3
    assert parse_printed(84.38).decimals == 2
    assert parse_printed(10).decimals == 0


# --------------------------------------------------------------------------- workspace validation


def _write(tmp_path: Path, text: str, name: str = "ws.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


BASE = """
unit = "BNN Kota Contoh"
year = 2024

[[sasaran]]
id = "S1"
name = "Sasaran satu"

[[indicators]]
number = 1
sasaran = "S1"
name = "Indeks contoh"
unit = "Indeks"
{target}
[indicators.source]
{source}
"""


def test_workspace_minimal_loads(tmp_path):
    p = _write(tmp_path, BASE.format(target="target = 3.0", source='kind = "value"\nvalue = 3.3'))
    ws = load_workspace(p)
    assert ws.unit == "BNN Kota Contoh" and ws.indicators[0].target == 3.0
    r = check(p)
    assert r.ok and r.checked == 0


def test_workspace_missing_target_names_file_and_key(tmp_path):
    p = _write(tmp_path, BASE.format(target="", source='kind = "value"\nvalue = 3.3'))
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    assert "ws.toml: indicators[1].target: missing" in str(e.value)


def test_workspace_unknown_source_kind(tmp_path):
    p = _write(tmp_path, BASE.format(target="target = 3", source='kind = "magic"'))
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    assert "ws.toml: indicators[1].source.kind: unknown source kind 'magic'" in str(e.value)


def test_workspace_unknown_keys(tmp_path):
    text = BASE.format(
        target="target = 3\ntargett = 4", source='kind = "value"\nvalue = 3\nvalu = 2'
    )
    text = "colour = 'red'\n" + text
    p = _write(tmp_path, text)
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    msg = str(e.value)
    assert "ws.toml: colour: unknown key" in msg
    assert "ws.toml: indicators[1].targett: unknown key" in msg
    assert "ws.toml: indicators[1].source.valu: unknown key for kind = 'value'" in msg


def test_workspace_missing_files_and_bad_figure(tmp_path):
    src = 'kind = "instrument"\ninstrument = "whoqol-bref"\nfiles = ["data/pre.csv", "data/post.csv"]\nfigure = "pct_improved"'
    p = _write(tmp_path, BASE.format(target="target = 68", source=src))
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    msg = str(e.value)
    assert (
        "ws.toml: indicators[1].source.files: file not found:" in msg
        and "pre.csv" in msg
        and "post.csv" in msg
    )
    load_workspace(p, check_files=False)  # fine without the file check
    bad = src.replace("pct_improved", "median").replace('"whoqol-bref"', '"whoqool"')
    p2 = _write(tmp_path, BASE.format(target="target = 68", source=bad), "ws2.toml")
    msg = str(pytest.raises(WorkspaceError, load_workspace, p2, check_files=False).value)
    assert "ws2.toml: indicators[1].source.figure: 'median'" in msg
    assert "ws2.toml: indicators[1].source.instrument: unknown instrument 'whoqool'" in msg


def test_workspace_unknown_sasaran_and_ikpa_weights(tmp_path):
    src = 'kind = "ikpa"\naspects = [{name = "a", value = 100, weight = 60}, {name = "b", value = 90, weight = 30}]'
    text = BASE.format(target="target = 97", source=src).replace('sasaran = "S1"', 'sasaran = "S9"')
    p = _write(tmp_path, text)
    msg = str(pytest.raises(WorkspaceError, load_workspace, p).value)
    assert "ws.toml: indicators[1].sasaran: unknown sasaran id 'S9'" in msg
    assert "ws.toml: indicators[1].source.aspects: weights sum to 90, not 100" in msg


def test_workspace_extends_names_the_file_of_the_bad_key(tmp_path):
    _write(
        tmp_path, BASE.format(target="target = 3", source='kind = "value"\nvalue = 3'), "base.toml"
    )
    top = _write(
        tmp_path, 'extends = "base.toml"\n[[indicators]]\nnumber = 1\nunitt = "x"\n', "top.toml"
    )
    msg = str(pytest.raises(WorkspaceError, load_workspace, top).value)
    assert "top.toml: indicators[1].unitt: unknown key" in msg


def test_sample_instrument_workspace_lists_missing_data_files(tmp_path):

    for name in ("workspace.toml", "workspace-instruments.toml"):
        shutil.copy(SAMPLE / name, tmp_path / name)  # a copy without its data/ folder
    p = tmp_path / "workspace-instruments.toml"
    msg = str(pytest.raises(WorkspaceError, load_workspace, p).value)
    assert "workspace-instruments.toml: indicators[1].source.files: file not found" in msg
    ws = load_workspace(p, check_files=False)
    assert ws.indicator(4).source.figure == "pct_improved"
    assert ws.indicator(9).source.kind == "value"  # inherited from workspace.toml


# --------------------------------------------------------------------------- audit of the sample report


def _issues(result):
    return {(d.indicator, d.field): d for d in result.issues}


def test_check_finds_the_kupang_2024_slips():
    r = check(WS)
    assert not r.ok
    got = _issues(r)
    d = got[(4, "capaian_summary")]
    assert d.reported == 107.1 and d.recomputed_text == "147.06"
    assert "2023" in d.note  # 107,1 is the 2023 capaian (85,71 / 80)
    assert got[(4, "capaian")].reported == 107.1
    assert got[(4, "capaian_section")].reported == 147.0
    assert (
        got[(1, "capaian")].reported == 103.73 and got[(1, "capaian")].recomputed_text == "103.74"
    )
    assert got[(1, "history[2023].capaian")].recomputed_text == "105.64"
    d2 = got[(2, "capaian_summary")]
    assert d2.reported == 40.98 and d2.recomputed_text == "76.38"
    assert got[(2, "history[2021].capaian")].recomputed_text == "98.04"
    assert (
        got[(3, "realisasi")].reported == 3.64 and got[(3, "realisasi")].recomputed_text == "3.54"
    )
    assert got[(8, "capaian_section")].reported == 136.53
    assert got[(8, "history[2023].capaian")].recomputed_text == "93.24"
    assert got[(9, "realisasi_aspect_table")].reported == 98.98
    sisa = got[(None, "budget.reported.pct_sisa")]
    assert sisa.reported == 0.99 and sisa.recomputed_text == "0.11"
    blokir = [d for (i, f), d in got.items() if f.startswith("budget.adjustments[1]")]
    assert len(blokir) == 1 and blokir[0].recomputed == 1_625_121_134
    assert len(r.issues) == 15
    # figures that agree are not listed: the rounded target 81,34 of 81,339, IKPA 97,96,
    # the budget percentage 99,89, the IKPA aspect scores, every status
    assert (1, "target") not in got and (10, "realisasi") not in got
    assert (None, "budget.reported.pct_realisasi") not in got
    assert not any(f.startswith("status") for _, f in got)
    assert not any(f.startswith("source.aspects") for _, f in got)


def test_check_table_rows():
    headers, rows = format_check_table(check(WS))
    assert headers[3] == "Tercetak"
    row = next(r for r in rows if r[0] == "4" and r[2] == "capaian_summary")
    assert row[3] == "107, 1 %" and row[4] == "147,06"
    headers_en, rows_en = format_check_table(check(WS, lang="en"), "en")
    assert headers_en[3] == "Printed"
    assert next(r for r in rows_en if r[0] == "4" and r[2] == "capaian_summary")[4] == "147.06"


def test_check_corrected_workspace_passes():
    r = check(WS_OK)
    assert r.ok, r.issues
    assert r.checked == check(WS).checked
    assert not r.unchecked


def test_corrected_workspace_differs_only_in_printed_figures():
    a, b = load_workspace(WS), load_workspace(WS_OK)
    for x, y in zip(a.indicators, b.indicators):
        assert (x.number, x.target, x.source.value if x.source.kind == "value" else None) == (
            y.number,
            y.target,
            y.source.value if y.source.kind == "value" else None,
        )
        assert [(h.year, h.target, h.realisasi) for h in x.history] == [
            (h.year, h.target, h.realisasi) for h in y.history
        ]
    assert (a.budget.pagu, a.budget.realisasi, a.budget.awal) == (
        b.budget.pagu,
        b.budget.realisasi,
        b.budget.awal,
    )


# --------------------------------------------------------------------------- build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("lkip")
    return build_lkip(WS, out)


def test_build_writes_files(built):
    assert built.xlsx.exists() and built.html.exists()
    assert len(built.charts) == 11
    for p in built.charts:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [
        p for p in built.out_dir.iterdir() if p.name.startswith(".lkip-build-")
    ]  # temp dir removed


def test_build_xlsx_cells(built):
    from openpyxl import load_workbook

    wb = load_workbook(built.xlsx)
    assert wb.sheetnames[:6] == [
        "Perjanjian Kinerja",
        "Capaian Sasaran Kegiatan",
        "Ikhtisar",
        "Anggaran",
        "Rincian",
        "Provenans",
    ]
    sh = wb["Capaian Sasaran Kegiatan"]
    rows = {sh.cell(row=r, column=1).value: r for r in range(5, 15)}
    r4 = rows[4]
    assert sh.cell(row=r4, column=5).value == 68
    assert sh.cell(row=r4, column=6).value == 100
    assert sh.cell(row=r4, column=7).value == 147.06
    assert sh.cell(row=r4, column=8).value == "melebihi target"
    r1 = rows[1]
    assert sh.cell(row=r1, column=5).value == 81.339
    assert sh.cell(row=r1, column=6).value == 84.38
    assert sh.cell(row=r1, column=7).value == 103.74
    assert sh.cell(row=rows[2], column=7).value == 76.38
    assert sh.cell(row=rows[2], column=8).value == "di bawah target"
    assert sh.cell(row=rows[5], column=7).value == 100.0
    assert sh.cell(row=rows[5], column=8).value == "sesuai target"
    assert sh.cell(row=rows[10], column=6).value == 97.96  # IKPA computed from the aspects
    assert sh.cell(row=r4, column=7).number_format.startswith("0.00")
    an = wb["Anggaran"]
    assert (
        an["A5"].value == 1_621_270_000
        and an["B5"].value == 1_619_544_593
        and an["C5"].value == 1_725_407
    )
    assert an["D5"].value == 99.89 and an["E5"].value == 0.11
    ik = wb["Ikhtisar"]
    texts = [c.value for row in ik.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Capaian melebihi target (6 indikator)") for t in texts)
    assert any(t.startswith("Capaian sesuai target (3 indikator)") for t in texts)
    assert any(t.startswith("Capaian di bawah target (1 indikator)") for t in texts)
    pk = wb["Perjanjian Kinerja"]
    assert [pk.cell(row=r, column=4).value for r in range(5, 15)] == [
        81.339,
        53.65,
        3.53,
        68,
        10,
        1,
        2,
        2.6,
        87,
        97.39,
    ]


def test_build_html_is_self_contained(built):
    html = built.html.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    assert (
        "<link" not in html
        and "<script" not in html
        and "http://" not in html
        and "https://" not in html
    )
    assert "147,06 %" in html and "Ikhtisar Eksekutif" in html
    assert "Pemeriksaan Angka Laporan" in html and "107, 1 %" in html


def test_build_english(tmp_path):
    res = build_lkip(WS_OK, tmp_path, lang="en")
    html = res.html.read_text(encoding="utf-8")
    assert "Executive Summary" in html and "147.06 %" in html
    assert "Every printed figure agrees" in html
    headers, rows = format_capaian_table(res, "en")
    assert headers[0] == "No." and rows[3][5] == "147.06"


def test_build_overwrites_atomically(tmp_path):
    a = build_lkip(WS, tmp_path)
    b = build_lkip(WS_OK, tmp_path)
    assert a.xlsx == b.xlsx and b.check.ok


def test_capaian_table_rows(built):
    headers, rows = format_capaian_table(built)
    assert headers[:3] == ["No.", "Sasaran Kegiatan", "Indikator Kinerja"]
    assert rows[3][3] == "68,00 %" and rows[3][5] == "147,06" and rows[3][6] == "melebihi target"
    assert rows[0][3] == "81,339 Indeks"


def test_workspace_cap_applies(tmp_path):
    text = WS.read_text(encoding="utf-8").replace(
        'category_preset = "sakip5"', 'category_preset = "sakip5"\ncap = 120'
    )
    p = tmp_path / "workspace.toml"
    p.write_text(text, encoding="utf-8")
    r = check(p)
    comp = r.computation
    assert comp.indicator(4).capaian.value == 120.0 and comp.indicator(8).capaian.value == 120.0
    assert comp.indicator(1).capaian.value == pytest.approx(103.7387, abs=1e-4)


def test_package_functions_are_not_shadowed_by_modules():
    """``indeks.lkip.build`` and ``indeks.lkip.capaian`` stay the functions after the
    modules behind them are imported (build used to turn into a module after its first call)."""
    import importlib

    import indeks.lkip as lkip

    importlib.import_module("indeks.lkip.build")
    importlib.import_module("indeks.lkip.formulas")
    assert callable(lkip.build) and callable(lkip.capaian)
    assert lkip.capaian(90, 100).value == 90.0


def test_capaian_hint_one_exact_function_for_check_and_report_audit():
    from fractions import Fraction

    from indeks.lkip.check import capaian_hint

    def hint(cap, printed, decimals, lang="id", realisasi=None, others=()):
        return capaian_hint(
            cap,
            Fraction(printed),
            decimals,
            realisasi=realisasi,
            realisasi_decimals=2,
            other_years=list(others),
            lang=lang,
        )

    # 103.7387... printed as 103.73: cut, not rounded (103.74)
    assert hint(84.38 / 81.339 * 100, "103.73", 2) == (
        "sama dengan hasil pemotongan angka (bukan pembulatan)"
    )
    assert hint(84.38 / 81.339 * 100, "103.73", 2, "en") == (
        "equals the truncated figure (not rounded)"
    )
    # 2.675 is the binary 2.67499999...: read as the decimal 2.675, cut at 2 gives 2.67
    assert hint(2.675, "2.67", 2, "en") == "equals the truncated figure (not rounded)"
    assert hint(104.0, "84.38", 2, "en", realisasi=84.375) == (
        "the printed figure is the realisasi (84.38), not the capaian"
    )
    assert hint(104.0, "98.5", 1, "id", others=[(2023, None), (2022, 98.46)]) == (
        "sama dengan capaian tahun 2022 (98,46%)"
    )
    assert hint(104.0, "50", 0, "en", realisasi=84.375, others=[(2022, 98.46)]) == ""
