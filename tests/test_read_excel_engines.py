"""XLSX input: python-calamine reads it, giving the same frame openpyxl gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import indeks.io.read_excel as rx
from indeks.io import read_table

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def _awkward(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["REKAP IKM TRIWULAN I"])  # a title row, then a blank row, then the header
    ws.append([])
    ws.append(["No", "Nama", "U1", "U2", "tgl", "ok", "big", "frac"])
    for i in range(1, 8):
        ws.append([i, f"R{i}", i % 4 + 1, "Puas", dt.datetime(2024, 1, i), i % 2 == 0, 1e20, 2.5])
    ws.append([None, "  ", None])
    ws.append(["JUMLAH", None, 17])
    wb.create_sheet("dua").append(["a", "b"])
    wb["dua"].append([1, "x"])
    wb.save(path)
    return path


def _with_openpyxl(monkeypatch):
    monkeypatch.setattr(
        rx,
        "_open_workbook",
        lambda p: openpyxl.load_workbook(p, read_only=True, data_only=True),
    )


@pytest.mark.parametrize("sheet", [None, 1, "dua"])
def test_calamine_frame_equals_openpyxl(tmp_path, monkeypatch, sheet):
    path = _awkward(tmp_path / "w.xlsx")
    assert isinstance(rx._open_workbook(path), rx._CalamineBook)
    a = read_table(path, sheet=sheet)
    _with_openpyxl(monkeypatch)
    b = read_table(path, sheet=sheet)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["header_row"] == b.attrs["header_row"]
    assert a.attrs["sheet"] == b.attrs["sheet"]
    if sheet is None:
        assert a.attrs["header_row"] == 3  # below the title row
        assert list(a.index[:2]) == [4, 5]  # spreadsheet rows kept
        assert a["No"].tolist()[:3] == [1, 2, 3]  # whole numbers stay ints
        assert a["tgl"].iloc[0] == pd.Timestamp(2024, 1, 1)


def test_bundled_workbooks_read_the_same(monkeypatch):
    files = sorted(SAMPLES.rglob("*.xlsx"))
    assert files
    first = {f: read_table(f) for f in files}
    _with_openpyxl(monkeypatch)
    for f in files:
        pd.testing.assert_frame_equal(first[f], read_table(f))


def test_not_a_workbook_still_a_clear_message(tmp_path):
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(Exception) as ei:
        read_table(bad)
    assert "rusak.xlsx" in str(ei.value)
    assert "Traceback" not in str(ei.value)
