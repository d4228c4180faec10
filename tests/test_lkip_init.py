"""`indeks lkip init`: a new workspace folder whose commented template loads, builds and
keeps every optional key valid."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from cli_run import run as run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from indeks.lkip import build, load_workspace
from indeks.lkip.init import InitError, template_text, write_template
from indeks.lkip.workspace import WorkspaceError

# a disabled setting: "#" directly followed by TOML (explanations are "# text")
DISABLED = re.compile(r"^#(?=[^\s#])", re.MULTILINE)


def run(capsys, *args):
    code, out, err = run_cli(capsys, *args)
    return code, out, " ".join(err.split())  # unwrapped


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_template_loads_as_written(tmp_path, lang):
    path = write_template(tmp_path / "ws", "BNN Kota Uji", 2025, lang)
    assert path == tmp_path / "ws" / "workspace.toml"
    assert (tmp_path / "ws" / "data").is_dir()
    ws = load_workspace(path)
    assert (ws.unit, ws.year, ws.lang) == ("BNN Kota Uji", 2025, lang)
    assert ws.title == "Laporan Kinerja Instansi Pemerintah (LKIP) Tahun 2025"
    assert [s.id for s in ws.sasaran] == ["SK1"]
    [ind] = ws.indicators
    assert ind.source is not None and ind.source.kind == "value"
    assert ind.source.value is None  # not known yet: left out
    assert ind.target == 100 and ind.unit == "%"
    assert ws.budget is not None and (ws.budget.pagu, ws.budget.realisasi) == (0, 0)
    assert ws.warnings == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_disabled_setting_is_valid(tmp_path, lang):
    """Removing every "#" in front of a setting gives a workspace the loader accepts:
    one indicator of each source kind and every optional key shown."""
    folder = tmp_path / "ws"
    path = write_template(folder, "BNN Kota Uji", 2025, lang)
    text = path.read_text(encoding="utf-8")
    shown = set(re.findall(r"^#([a-z_]+) = ", text, re.MULTILINE))
    shown |= set(re.findall(r"^#\[indicators\.([a-z]+)\]", text, re.MULTILINE))
    assert {"cap", "capaian_precision", "category_preset", "extends"} <= shown
    assert {"reported", "history", "value", "awal", "adjustments"} <= shown
    enabled = DISABLED.sub("", text)
    path.write_text(enabled, encoding="utf-8")
    [base] = re.findall(r'^extends = "(.+?)"', enabled, re.MULTILINE)
    (folder / base).write_text('unit = "Dasar"\nyear = 2025\n', encoding="utf-8")

    ws = load_workspace(path, check_files=False)
    assert ws.cap == 120 and ws.capaian_precision == 2 and ws.category_preset == "sakip5"
    assert [(i.number, i.source.kind) for i in ws.indicators if i.source] == [
        (1, "value"),
        (2, "instrument"),
        (3, "ikpa"),
    ]
    one, two, three = ws.indicators
    assert one.source is not None and one.source.value == 95.5 and one.cap == 120
    assert [(h.year, h.target, h.realisasi) for h in one.history] == [(2024, 100, 95.5)]
    assert one.reported["capaian"].text == "95,50%"
    assert two.source is not None and two.source.figure == "post_index"
    assert [p.name for p in two.source.files] == ["dektara_pre.csv", "dektara_post.csv"]
    assert two.source.instrument == "dektara" and two.source.id_column == "id"
    assert three.source is not None and sum(a.weight for a in three.source.aspects) == 100
    assert ws.budget is not None and ws.budget.awal == 0 and len(ws.budget.adjustments) == 1

    # why the instrument block stays disabled: its files do not exist yet
    with pytest.raises(WorkspaceError) as exc:
        load_workspace(path)
    assert "dektara_pre.csv" in str(exc.value) and "dektara_post.csv" in str(exc.value)


def test_unit_and_year_are_filled_in_exactly():
    unit = 'BNN Kab. "Uji" {year} \\ Timur'
    text = template_text(unit, 2031, "en")
    data = tomllib.loads(text)
    assert data["unit"] == unit and data["year"] == 2031
    assert data["title"].endswith("Tahun 2031")
    for lang in ("id", "en"):  # no field left unfilled
        plain = template_text("BNN Kota Uji", 2031, lang)
        assert not re.search(r"\{(unit|unit_toml|year|prev_year)\}", plain)
    assert "#history = [{ year = 2030," in text
    assert text.splitlines()[0] == f"# LKIP workspace of {unit}, year 2031"


def test_build_right_after_init(tmp_path, capsys):
    folder = tmp_path / "baru"
    code, out, err = run(capsys, "lkip", "init", folder, "--unit", "BNN Kota Uji", "--year", 2025)
    assert code == 0, err
    path = folder / "workspace.toml"
    assert f"Workspace baru ditulis: {path}" in out
    assert "satuan kerja BNN Kota Uji, tahun 2025" in out
    assert f"indeks lkip build {path} -o {folder / 'hasil'}" in out
    assert str(folder / "data") in out

    code, out, err = run(capsys, "lkip", "build", path, "-o", tmp_path / "hasil")
    assert code == 0, err
    assert "realisasi belum diisi" in out
    names = {p.name for p in (tmp_path / "hasil").iterdir()}
    assert {"lkip-bnn-kota-uji-2025.xlsx", "lkip-bnn-kota-uji-2025.docx"} <= names

    code, out, err = run(capsys, "lkip", "check", path)
    assert code == 0, out + err


def test_the_english_template_builds(tmp_path):
    path = write_template(tmp_path / "ws", "BNN Kota Uji", 2025, "en")
    result = build(load_workspace(path), tmp_path / "out")
    [ind] = result.computation.indicators
    assert ind.realisasi is None and ind.capaian.value is None
    assert "not entered" in ind.reason


def test_an_existing_workspace_is_never_overwritten(tmp_path, capsys):
    folder = tmp_path / "ws"
    folder.mkdir()
    path = folder / "workspace.toml"
    path.write_text("# mine\n", encoding="utf-8")
    code, out, err = run(capsys, "lkip", "init", folder)
    assert code == 1
    assert f"{path} sudah ada; berkas itu tidak ditimpa" in out + err
    assert "Traceback" not in out + err
    code, out, err = run(capsys, "lkip", "init", folder, "--lang", "en")
    assert code == 1 and f"{path} already exists; it is not overwritten" in out + err
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert not (folder / "data").exists()


@pytest.mark.parametrize(
    "unit, year, needle",
    [
        ("  ", 2025, "--unit kosong"),
        ("BNN\nKota", 2025, "karakter kendali"),
        ("BNN Kota Uji", 25, "--year 25 bukan tahun laporan"),
    ],
)
def test_bad_unit_or_year_writes_nothing(tmp_path, capsys, unit, year, needle):
    folder = tmp_path / "ws"
    code, out, err = run(capsys, "lkip", "init", folder, "--unit", unit, "--year", year)
    assert code == 1 and needle in out + err
    assert not folder.exists()


def test_a_file_is_not_a_folder(tmp_path):
    f = tmp_path / "ws"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(InitError) as exc:
        write_template(f, "BNN Kota Uji", 2025)
    assert (
        exc.value.text("en") == f"{f} is a file, not a folder; name a folder for the new workspace."
    )


def test_the_templates_are_package_data():
    root = Path(__file__).resolve().parents[1]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["indeks"]
    assert "lkip/templates/*" in shipped
    for lang in ("id", "en"):
        assert (root / "indeks" / "lkip" / "templates" / f"workspace.{lang}.toml").is_file()


@settings(max_examples=60, deadline=None)
@given(
    unit=st.text(
        st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn")), min_size=1, max_size=40
    ).filter(str.strip),
    year=st.integers(2000, 2100),
    lang=st.sampled_from(["id", "en"]),
)
def test_any_unit_name_round_trips(unit, year, lang):
    """Quotes, backslashes, braces, non-Latin letters: the file holds the unit exactly."""
    data = tomllib.loads(template_text(unit, year, lang))
    assert (data["unit"], data["year"], data["lang"]) == (unit.strip(), year, lang)
