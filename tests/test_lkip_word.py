"""LKIP Word output and generated narrative: the DOCX holds every indicator's figures,
equal to the computation, and a narrative never contradicts its own tables."""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indeks.lkip import build as build_lkip
from indeks.lkip.compute import compute
from indeks.lkip.narrative import indicator_narrative
from indeks.lkip.report import Block, audit_report
from indeks.lkip.workspace import HistoryEntry, Indicator, Sasaran, Source, Workspace

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "kupang-2024"
WS_OK = SAMPLE / "workspace-corrected.toml"

# hand-computed: realisasi / target x 100, half-up at 2 decimals, decimal comma
EXPECTED = {
    1: ("81,339", "84,38", "103,74"),
    2: ("53,65", "40,98", "76,38"),
    3: ("3,53", "3,54", "100,28"),
    4: ("68,00", "100,00", "147,06"),
    5: ("10", "10", "100,00"),
    6: ("1", "1", "100,00"),
    7: ("2", "2", "100,00"),
    8: ("2,60", "3,55", "136,54"),
    9: ("87,00", "98,47", "113,18"),
    10: ("97,39", "97,96", "100,59"),  # IKPA from its aspect table: 97.9585 -> 97,96
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("lkip-docx")
    return build_lkip(WS_OK, out)


def _tables(doc) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_docx_written_with_every_indicator_figure(built):
    path = built.files["docx"]
    assert path.name == "lkip-bnn-kota-kupang-2024.docx"
    doc = docx.Document(str(path))
    tables = _tables(doc)
    text = "\n".join(p.text for p in doc.paragraphs)
    # the capaian table: one row per indicator with target, realisasi, capaian, status
    cap = next(
        t
        for t in tables
        if t[0][:7]
        == [
            "No.",
            "Sasaran Kegiatan",
            "Indikator Kinerja",
            "Target",
            "Realisasi",
            "Capaian (%)",
            "Status",
        ]
    )
    rows = {int(r[0]): r for r in cap[1:]}
    assert set(rows) == set(EXPECTED)
    for n, (tgt, rea, cp) in EXPECTED.items():
        assert rows[n][3:6] == [tgt, rea, cp], n
        # and the narrative prints the same three figures in its first sentence
        sentence = next(line for line in text.splitlines() if line.startswith(f"Capaian IKK {n} ("))
        assert f"sebesar {cp}% " in sentence
        assert re.search(rf"realisasi {re.escape(rea)}(%| )", sentence)
        assert re.search(rf"target {re.escape(tgt)}(%| |\.)", sentence)
    assert rows[2][6] == "di bawah target" and rows[1][6] == "melebihi target"
    assert rows[5][6] == "sesuai target"
    # Indonesian number formatting of the budget
    budget = next(t for t in tables if t[0][0] == "Pagu (Rp)")
    assert budget[1] == ["1.621.270.000", "1.619.544.593", "1.725.407", "99,89", "0,11"]
    # history of IKK 1 as its own table
    hist = [t for t in tables if t[0][:4] == ["Tahun", "Target", "Realisasi", "Capaian (%)"]]
    ikk1 = hist[0]
    assert ikk1[1][:4] == ["2021", "77,00", "75,446", "97,98"]
    assert ikk1[-1][:4] == ["2024", "81,339", "84,38", "103,74"]
    # every indicator's chart is in the document
    assert len(doc.inline_shapes) == 11  # 10 histories + the capaian chart


def test_docx_audited_by_report_check_has_no_disagreement(built):
    comp = compute(WS_OK)
    audit = audit_report(comp, built.files["docx"])
    assert audit.figures_checked > 200 and audit.claims_checked > 20
    assert audit.disagreements == []


def test_docx_english(tmp_path):
    res = build_lkip(WS_OK, tmp_path, lang="en")
    doc = docx.Document(str(res.files["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "The capaian of IKK 1 (Indeks Ketahanan Keluarga terhadap Penyalahgunaan Narkoba) in 2024 is 103.74%"
        in text
    )
    assert "The realisasi of 2024 rose by 0.01 indeks from 3.53 indeks in 2023." in text
    budget = next(t for t in _tables(doc) if t[0][0].startswith("Pagu"))
    assert budget[1][:3] == ["1,621,270,000", "1,619,544,593", "1,725,407"]
    # the English document read back by the report audit: nothing contradicts its tables
    audit = audit_report(compute(WS_OK), res.files["docx"])
    assert audit.figures_checked > 200 and audit.disagreements == []


def test_template_styles_are_used(tmp_path):
    tpl = docx.Document()
    tpl.styles["Normal"].font.name = "Times New Roman"
    tpl.add_paragraph("old template text that must not stay")
    tpl_path = tmp_path / "agency.docx"
    tpl.save(str(tpl_path))
    res = build_lkip(WS_OK, tmp_path / "out", template=tpl_path)
    doc = docx.Document(str(res.files["docx"]))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert not any("old template text" in p.text for p in doc.paragraphs)


def test_template_must_be_a_docx(tmp_path):
    from indeks.errors import IndeksError

    bad = tmp_path / "t.txt"
    bad.write_text("x")
    with pytest.raises(IndeksError, match="docx"):
        build_lkip(WS_OK, tmp_path / "out", template=bad)
    assert not (tmp_path / "out" / "lkip-bnn-kota-kupang-2024.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_of_the_docx_audits_clean(built, tmp_path):
    src = tmp_path / "r.docx"
    shutil.copy(built.files["docx"], src)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    audit = audit_report(compute(WS_OK), tmp_path / "r.pdf")
    # from a PDF the tables are text lines: the sentences are still found and checked
    assert audit.figures_checked >= 30
    assert audit.disagreements == []
    assert audit.format == "pdf"


# --------------------------------------------------------------------------- property


def _ws(
    target: float,
    real: float,
    history: list[tuple[int, float | None, float | None]],
    unit: str,
    precision: int,
):
    ind = Indicator(
        number=1,
        sasaran="S1",
        name="Indeks Contoh Ketahanan Warga",
        unit=unit,
        target=target,
        precision=precision,
        source=Source(kind="value", value=real),
        history=[HistoryEntry(y, t, r) for y, t, r in history],
    )
    return Workspace(
        path=Path("contoh.toml"),
        unit="BNN Kota Contoh",
        year=2024,
        sasaran=[Sasaran("S1", "Meningkatnya ketahanan warga")],
        indicators=[ind],
    )


def _half_up(x: Fraction, d: int) -> Fraction:
    q = Fraction(1, 10**d)
    n = x / q
    return (n.numerator * 2 + n.denominator) // (2 * n.denominator) * q


def _shown(text: str) -> Fraction:
    return Fraction(text.replace(".", "").replace(",", "."))


values = st.decimals(min_value="0.5", max_value="120", places=2).map(float)
maybe = st.one_of(st.none(), values)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=values,
    real=values,
    hist=st.lists(st.tuples(maybe, maybe), min_size=0, max_size=4),
    pct=st.booleans(),
)
def test_narrative_never_contradicts_its_table(target, real, hist, pct):
    history = [(2024 - len(hist) + i, t, r) for i, (t, r) in enumerate(hist)]
    unit = "%" if pct else "Indeks"
    ws = _ws(target, real, history, unit, 2)
    comp = compute(ws)
    nar = indicator_narrative(comp.indicators[0], 2024, 2, "id")
    # independent recomputation of every year shown
    met: dict[int, bool] = {}
    shown_real: dict[int, Fraction] = {}
    for y, t, r in history + [(2024, target, real)]:
        if r is not None:
            shown_real[y] = _half_up(Fraction(str(r)), 2)
        if t is not None and r is not None:
            cap = _half_up(_half_up(Fraction(str(r)), 2) / Fraction(str(t)) * 100, 2)
            met[y] = cap >= 100
    rows = {row.year: row for row in nar.rows}
    for y, v in shown_real.items():
        assert _shown(rows[y].realisasi) == v
    text = nar.text
    m = re.search(
        r"Realisasi tahun 2024 (naik|turun) ([\d.,]+)(?: indeks| poin persen) dari ([\d.,]+)%? (?:indeks )?pada tahun (\d{4})",
        text,
    )
    if m:
        y0 = int(m.group(4))
        diff = shown_real[2024] - shown_real[y0]
        assert (diff > 0) == (m.group(1) == "naik")
        assert _shown(m.group(2)) == abs(diff)
        assert _shown(m.group(3)) == shown_real[y0]
    m = re.search(r"sama dengan tahun (\d{4})", text)
    if m:
        assert shown_real[2024] == shown_real[int(m.group(1))]
    if "target selalu tercapai" in text:
        assert met and all(met.values())
    if "target tidak pernah tercapai" in text:
        assert met and not any(met.values())
    m = re.search(
        r"Target tercapai pada tahun ([\d, dan]+), tetapi tidak tercapai pada tahun ([\d, dan]+)\.",
        text,
    )
    if m:
        yes = {int(y) for y in re.findall(r"\d{4}", m.group(1))}
        no = {int(y) for y in re.findall(r"\d{4}", m.group(2))}
        assert yes == {y for y, v in met.items() if v}
        assert no == {y for y, v in met.items() if not v}
    if len(met) >= 2:
        assert any(
            s in text for s in ("selalu tercapai", "tidak pernah tercapai", "Target tercapai pada")
        )
    ys = sorted(shown_real)
    if "meningkat setiap tahun" in text:
        assert all(shown_real[a] < shown_real[b] for a, b in zip(ys, ys[1:]))
    if "menurun setiap tahun" in text:
        assert all(shown_real[a] > shown_real[b] for a, b in zip(ys, ys[1:]))
    # and the report audit, reading the same sentences and the history table, agrees
    table = [["Tahun", "Target", "Realisasi", "Capaian (%)"]] + [
        [str(r.year), r.target or "—", r.realisasi or "—", r.capaian or "—"] for r in nar.rows
    ]
    blocks = [
        Block("paragraph", 1, "IKK 1. Indeks Contoh Ketahanan Warga"),
        Block("table", 1, rows=table),
        Block("paragraph", 2, nar.text),
    ]
    audit = audit_report(comp, "narasi.docx", blocks=blocks)
    assert audit.disagreements == [], [
        (f.what, f.printed, f.recomputed, f.location) for f in audit.disagreements
    ]
