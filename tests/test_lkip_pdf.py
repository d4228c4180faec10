"""Print-ready LKIP: lkip build --pdf (the Word document through LibreOffice), every
capaian in the PDF text, every page A4 portrait with nothing beyond its right edge; every
column an output shows has a display name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from indeks.display import display_name, missing_display_names
from indeks.lkip import build as build_lkip
from indeks.lkip.compute import compute
from indeks.lkip.tables import _detail_tables

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "kupang-2024"
WS_INST = SAMPLE / "workspace-instruments.toml"
A4 = (595.28, 841.89)  # points

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice not installed",
)


@needs_office
def test_pdf_of_the_sample_workspace(tmp_path):
    res = build_lkip(WS_INST, tmp_path, pdf=True)
    pdf = res.files["pdf"]
    assert pdf.name == "lkip-bnn-kota-kupang-2024.pdf"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 10
    text = ""
    for n, page in enumerate(reader.pages, start=1):
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert w <= A4[0] + 0.5 and h <= A4[1] + 0.5, (n, w, h)  # A4 portrait
        xs: list[float] = []

        def visit(t, cm, tm, _font, size, xs=xs):
            if t.strip():
                xs.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])

        page_text = page.extract_text(visitor_text=visit)
        assert max(xs) < w, (n, max(xs))  # no text starts beyond the right edge
        # footer: unit, year and the page number
        assert f"LKIP BNN Kota Kupang Tahun 2024 — halaman {n}" in page_text
        text += page_text + "\n"
    flat = " ".join(text.split())
    comp = compute(WS_INST)
    for r in comp.indicators:
        cap = f"{r.capaian.value:.2f}".replace(".", ",")  # exact here: no half-way cases
        assert f"Capaian IKK {r.number} (" in flat
        assert f"sebesar {cap}%" in flat, (r.number, cap)
    assert "Pasangan pre/post" in flat and "n_pairs" not in flat  # display names, not ids


def test_pdf_without_libreoffice_is_a_clear_message(tmp_path, monkeypatch, capsys):
    import indeks.lkip.pdf as P
    from indeks.cli import main

    monkeypatch.setattr(P, "office_executable", lambda: None)
    with pytest.raises(SystemExit) as exc:
        main(["lkip", "build", str(WS_INST), "-o", str(tmp_path), "--pdf"])
    out = capsys.readouterr()
    assert exc.value.code == 1
    assert "LibreOffice" in out.err and "Traceback" not in out.err + out.out
    assert not list(tmp_path.glob("*.docx"))  # nothing half-written


def test_every_shown_column_has_a_display_name():
    comp = compute(WS_INST)
    shown = 0
    for r in comp.indicators:
        if r.realisation is None:
            continue
        inst = None
        if r.realisation.provenance.get("instrument"):
            from indeks.instruments import resolve_instrument

            inst = resolve_instrument(r.realisation.provenance["instrument"])
        for frame in r.realisation.details.values():
            cols = (
                list(frame.columns)
                if hasattr(frame, "columns")
                else (list(frame[0]) if isinstance(frame, list) else [])
            )
            shown += len(cols)
            assert missing_display_names(cols, inst) == [], r.number
        # and the tables of the outputs carry those names, never an id alone
        for _title, headers, rows in _detail_tables(r, "en"):
            for cell in headers + [row[0] for row in rows if rows and isinstance(row[0], str)]:
                assert cell not in (
                    "n_scored",
                    "category_converted_code",
                    "n_unmatched_pre",
                    "share_text",
                )
    assert shown > 100


def test_display_names_of_domain_columns():
    from indeks.instruments import resolve_instrument

    whoqol = resolve_instrument("whoqol-bref")
    assert (
        display_name("pct_improved_physical", "id", whoqol)
        == "Persentase membaik: Kesehatan fisik (%)"
    )
    assert display_name("pct_improved_physical", "en", whoqol).startswith("Improved: ")
    assert display_name("mean_change_any_domain", "en", whoqol) == "Mean change: any domain"
    assert display_name("physical_raw", "id", whoqol).endswith("(skor mentah)")
    assert display_name("no_such_column", "id", whoqol) is None
    assert missing_display_names(["n", "no_such_column"], whoqol) == ["no_such_column"]


def test_score_result_headers_cover_every_column():
    """The XLSX writer and the web page take their headers from header_labels."""
    import pandas as pd

    import indeks

    inst = indeks.get_instrument("whoqol-bref")
    from indeks.scoring.result import header_labels

    labels_en = header_labels(inst, "en")
    for c in (
        "n_pairs",
        "pct_improved",
        "share_text",
        "n_improved_physical",
        "mean_change_headline",
    ):
        assert c in labels_en and labels_en[c] != c
    assert isinstance(pd.DataFrame(), pd.DataFrame)


def test_compare_workbook_headers_are_display_names(tmp_path):
    """Every column of every sheet of a pre/post workbook has a display name."""
    import openpyxl

    import indeks
    from indeks.io.results import write_result
    from indeks.lkip.workspace import load_workspace

    src = next(i for i in load_workspace(WS_INST).indicators if i.number == 4).source
    inst = indeks.get_instrument("whoqol-bref")
    c = indeks.compare(
        inst,
        indeks.read_responses(src.files[0]),
        indeks.read_responses(src.files[1]),
        id_column="id",
    )
    for frame in c.sheets().values():
        assert missing_display_names(frame.columns, inst) == []
    out = tmp_path / "prepost.xlsx"
    write_result(c, out, lang="en")
    wb = openpyxl.load_workbook(out, read_only=True)
    heads = set()
    for ws in wb.worksheets:
        first = next(ws.iter_rows(max_row=1, values_only=True), ())
        heads |= {h for h in first if isinstance(h, str)}
    assert "Pre/post pairs" in heads and "Improved: Physical health" in heads
    assert not heads & {"n_pairs", "pct_improved", "share_text", "change_physical"}
