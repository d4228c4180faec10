import json
import math
import os

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest

import indeks.io.writers as writers
from indeks.io import (
    OutputError,
    neutralise_formulas,
    read_table,
    spss_safe_names,
    write_table_outputs,
)


@pytest.fixture
def sheets():
    respondents = pd.DataFrame(
        {
            "respondent_id": ["001", "002", "003"],
            "status": ["scored", "rejected", "scored"],
            "physical": [56.25, np.nan, 0.1 + 0.2],
            "category": [1, 2, 3],
            "note": ["=1+1", "-x", None],
            "delta": [-1.5, 2.0, 3.0],
            "Umur (thn)": [20, 30, 40],
        }
    )
    summary = pd.DataFrame({"n": [3], "n_scored": [2], "index": [71.123456]})
    issues = pd.DataFrame(
        {
            "row": [3],
            "column": ["q1"],
            "code": ["too_many_missing"],
            "severity": ["error"],
            "message": ["@SUM(A1)"],
        }
    )
    return {"summary": summary, "respondents": respondents, "issues": issues}


META = {
    "instrument": "whoqol-bref",
    "instrument_version": "1.0",
    "provisional_warning": "Norma masih sementara",
    "source": "data.csv",
    "precision": {"index": 3},
}


def listing(d):
    return sorted(p.name for p in d.iterdir())


def test_csv_roundtrip_and_companions(tmp_path, sheets):
    out = tmp_path / "hasil.csv"
    written = write_table_outputs(out, sheets, META)
    assert written[0] == out
    assert listing(tmp_path) == [
        "hasil.csv",
        "hasil.info.csv",
        "hasil.masalah.csv",
        "hasil.ringkasan.csv",
    ]
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = read_table(out)
    assert back["physical"].iloc[0] == 56.25
    assert back["physical"].iloc[2] == 0.1 + 0.2  # exact round trip
    assert math.isnan(back["physical"].iloc[1])
    assert back["delta"].tolist() == [-1.5, 2.0, 3.0]  # negative numbers untouched
    assert back["note"].iloc[0] == "'=1+1"
    assert back["note"].iloc[1] == "'-x"
    assert back["respondent_id"].tolist() == ["001", "002", "003"]
    summ = read_table(tmp_path / "hasil.ringkasan.csv")
    assert summ["index"].iloc[0] == 71.123456
    iss = read_table(tmp_path / "hasil.masalah.csv")
    assert iss["message"].iloc[0] == "'@SUM(A1)"


def test_csv_english_names(tmp_path, sheets):
    write_table_outputs(tmp_path / "r.csv", sheets, {}, lang="en")
    assert listing(tmp_path) == ["r.csv", "r.issues.csv", "r.summary.csv"]


def test_xlsx(tmp_path, sheets):
    out = tmp_path / "hasil.xlsx"
    write_table_outputs(out, sheets, META)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["info", "ringkasan", "responden", "masalah"]
    ws = wb["responden"]
    assert [c.value for c in ws[1]] == [
        "respondent_id",
        "status",
        "physical",
        "category",
        "note",
        "delta",
        "Umur (thn)",
    ]
    assert ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert ws["E2"].value == "'=1+1"
    assert ws["E2"].data_type == "s"
    assert ws["C2"].value == 56.25 and ws["C2"].number_format == "0.00"
    assert ws["C3"].value is None
    assert ws["F2"].value == -1.5
    assert ws["A2"].value == "001"
    assert wb["ringkasan"]["C2"].number_format == "0.000"  # meta precision
    assert wb["ringkasan"]["C2"].value == 71.123456
    assert wb["masalah"]["E2"].value == "'@SUM(A1)"
    info = {r[0]: r[1] for r in wb["info"].iter_rows(values_only=True) if r[0]}
    assert info["Instrumen"] == "whoqol-bref"
    assert "instrument_name" not in info  # a labelled row, not the raw key
    assert info["Versi instrumen"] == "1.0"
    assert info["Berkas sumber"] == "data.csv"
    assert info["PERINGATAN (sementara)"] == "Norma masih sementara"
    warn_cell = next(r[1] for r in wb["info"].iter_rows() if r[0].value == "PERINGATAN (sementara)")
    assert warn_cell.font.color.rgb.endswith("C00000")
    assert listing(tmp_path) == ["hasil.xlsx"]


def test_xlsx_english(tmp_path, sheets):
    out = tmp_path / "r.xlsx"
    write_table_outputs(
        out,
        {
            **sheets,
            "pairs": sheets["summary"],
            "unmatched": sheets["summary"],
            "custom": sheets["summary"],
        },
        {"instrument": "ikm"},
        lang="en",
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "info",
        "summary",
        "respondents",
        "issues",
        "pairs",
        "unmatched",
        "custom",
    ]
    info = [r[0] for r in wb["info"].iter_rows(values_only=True)]
    assert not any(str(x).startswith("WARNING") for x in info)  # no provisional warning given


def test_json(tmp_path, sheets):
    out = tmp_path / "hasil.json"
    write_table_outputs(out, sheets, {**META, "n": np.int64(3)})
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == ["meta", "summary", "respondents", "issues"]
    assert doc["meta"]["instrument"] == "whoqol-bref" and doc["meta"]["n"] == 3
    r = doc["respondents"]
    assert r[0]["physical"] == 56.25 and r[1]["physical"] is None and r[2]["physical"] == 0.1 + 0.2
    assert r[0]["note"] == "=1+1"  # JSON is data, not a spreadsheet: no apostrophe
    assert r[2]["note"] is None
    assert r[0]["Umur (thn)"] == 20
    assert doc["summary"][0]["index"] == 71.123456


def test_json_utf8_not_escaped(tmp_path):
    out = tmp_path / "a.json"
    write_table_outputs(out, {"respondents": pd.DataFrame({"nama": ["Dédé"]})}, {})
    assert "Dédé" in out.read_text(encoding="utf-8")


def test_sav_roundtrip(tmp_path, sheets):
    out = tmp_path / "hasil.sav"
    written = write_table_outputs(
        out,
        sheets,
        META,
        value_labels={"category": {1: "rendah", 2: "sedang", 3: "tinggi"}},
        variable_labels={"physical": "Domain fisik"},
    )
    assert [p.name for p in written] == ["hasil.sav", "hasil.ringkasan.sav", "hasil.masalah.sav"]
    df, meta = pyreadstat.read_sav(str(out))
    assert list(df.columns) == [
        "respondent_id",
        "status",
        "physical",
        "category",
        "note",
        "delta",
        "Umur_thn",
    ]
    assert df["physical"].iloc[0] == 56.25 and math.isnan(df["physical"].iloc[1])
    assert df["delta"].tolist() == [-1.5, 2.0, 3.0]
    assert df["category"].tolist() == [1, 2, 3]
    assert df["respondent_id"].tolist() == ["001", "002", "003"]
    assert meta.column_names_to_labels["physical"] == "Domain fisik"
    assert (
        meta.column_names_to_labels["Umur_thn"] == "Umur (thn)"
    )  # renamed -> original name as label
    assert meta.variable_value_labels["category"] == {1: "rendah", 2: "sedang", 3: "tinggi"}
    back = read_table(out)
    assert back.attrs["value_labels"]["category"] == {1: "rendah", 2: "sedang", 3: "tinggi"}


def test_spss_safe_names():
    m = spss_safe_names(
        ["Umur (thn)", "1st", "q1", "Q1", "kepuasan-layanan", "", "all", "é" * 3, "x" * 80]
    )
    assert m["Umur (thn)"] == "Umur_thn"
    assert m["1st"] == "v_1st"
    assert m["q1"] == "q1" and m["Q1"] == "Q1_2"
    assert m["kepuasan-layanan"] == "kepuasan_layanan"
    assert m[""] == "v"
    assert m["all"] == "all_"
    assert m["é" * 3] == "eee"
    assert len(m["x" * 80]) == 64
    assert len({v.lower() for v in m.values()}) == len(m)


def test_parquet_roundtrip(tmp_path, sheets):
    out = tmp_path / "hasil.parquet"
    write_table_outputs(out, sheets, META, lang="en")
    assert listing(tmp_path) == ["hasil.issues.parquet", "hasil.parquet", "hasil.summary.parquet"]
    back = pd.read_parquet(out)
    assert back["physical"].iloc[2] == 0.1 + 0.2
    assert back["note"].iloc[0] == "=1+1"
    assert back["category"].tolist() == [1, 2, 3]
    md = json.loads(pq.read_schema(out).metadata[b"indeks_meta"])
    assert md["instrument"] == "whoqol-bref" and md["precision"] == {"index": 3}
    assert pd.read_parquet(tmp_path / "hasil.summary.parquet")["n"].tolist() == [3]


def test_mixed_object_column_survives(tmp_path):
    df = pd.DataFrame({"x": pd.Series([1, "a", None], dtype=object)})
    for ext in ("csv", "parquet", "sav", "xlsx", "json"):
        write_table_outputs(tmp_path / f"m.{ext}", {"respondents": df}, {})
    assert pd.read_parquet(tmp_path / "m.parquet")["x"].tolist()[:2] == ["1", "a"]


@pytest.mark.parametrize("dtype", [None, "str", "string[python]", "string[pyarrow]", object])
def test_neutralise_formulas_vectorised(dtype):
    # None: what pandas makes of a list of text (Arrow-backed text, the readers' kind)
    df = pd.DataFrame(
        {
            "s": pd.Series(["=A1", "+1", "@x", "\tt", "\rr", "ok", None, "-2"], dtype=dtype),
            "n": [-1, 2, 3, 4, 5, 6, 7, 8],
        }
    )
    out = neutralise_formulas(df)
    assert out["s"].dtype == df["s"].dtype
    assert out["s"].tolist()[:6] == ["'=A1", "'+1", "'@x", "'\tt", "'\rr", "ok"]
    assert pd.isna(out["s"].iloc[6]) and out["s"].iloc[7] == "'-2"
    assert out["n"].tolist() == [-1, 2, 3, 4, 5, 6, 7, 8]
    assert df["s"].iloc[0] == "=A1"  # input not modified


def test_unknown_extension(tmp_path, sheets):
    with pytest.raises(OutputError) as ei:
        write_table_outputs(tmp_path / "hasil.pdf", sheets, {})
    assert "hasil.pdf" in ei.value.message
    for ext in (".csv", ".xlsx", ".json", ".sav", ".parquet"):
        assert ext in ei.value.message
    assert listing(tmp_path) == []


def test_refuses_to_overwrite_input(tmp_path, sheets):
    inp = tmp_path / "data.csv"
    inp.write_text("id,q1\n1,2\n", encoding="utf-8")
    with pytest.raises(OutputError) as ei:
        write_table_outputs(tmp_path / "." / "data.csv", sheets, {}, protect=inp)
    assert "data.csv" in ei.value.message
    assert inp.read_text(encoding="utf-8") == "id,q1\n1,2\n"
    # a companion file may not hit the input either
    companion_input = tmp_path / "x.ringkasan.csv"
    companion_input.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(OutputError):
        write_table_outputs(tmp_path / "x.csv", sheets, {}, protect=companion_input)
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    "ext,func",
    [
        ("xlsx", "_write_xlsx"),
        ("csv", "_write_csv"),
        ("sav", "_write_sav"),
        ("parquet", "_write_parquet"),
        ("json", "_write_json"),
    ],
)
def test_atomic_on_failure(tmp_path, sheets, monkeypatch, ext, func):
    real = getattr(writers, func)
    calls = {"n": 0}

    def broken(tmp, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2 or ext in ("xlsx", "json"):
            with open(tmp, "wb") as fh:
                fh.write(b"half-written")
            raise RuntimeError("disk full")
        return real(tmp, *args, **kwargs)

    monkeypatch.setattr(writers, func, broken)
    out = tmp_path / f"hasil.{ext}"
    with pytest.raises(OutputError) as ei:
        write_table_outputs(out, sheets, META)
    assert "hasil" in ei.value.message and "disk full" in ei.value.message
    assert listing(tmp_path) == []  # no output, no companion, no temp file


def test_failure_keeps_previous_output(tmp_path, sheets, monkeypatch):
    out = tmp_path / "hasil.xlsx"
    write_table_outputs(out, sheets, META)
    before = out.read_bytes()

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(writers, "_write_xlsx", broken)
    with pytest.raises(OutputError):
        write_table_outputs(out, sheets, META)
    assert out.read_bytes() == before
    assert listing(tmp_path) == ["hasil.xlsx"]


def test_output_file_mode_not_private(tmp_path, sheets):
    out = tmp_path / "hasil.csv"
    write_table_outputs(out, sheets, {})
    old = os.umask(0o022)
    os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o666 & ~old


@pytest.mark.parametrize("spooled", [False, True])
def test_xlsx_more_rows_than_a_sheet_continue_on_further_sheets(tmp_path, monkeypatch, spooled):
    from openpyxl import load_workbook

    from indeks.io.spool import FrameSpool

    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 3)  # 2 data rows a sheet
    df = pd.DataFrame({"a": range(5), "b": [f"x{i}" for i in range(5)]})
    table: object = df
    if spooled:  # a streamed job's respondents, read back part by part
        table = FrameSpool(tmp_path)
        for part in (df.iloc[:3], df.iloc[3:]):
            table.append(part)
    sheets = {"respondents": table, "issues": pd.DataFrame({"code": ["x"]})}
    write_table_outputs(tmp_path / "big.xlsx", sheets, {}, lang="en")
    wb = load_workbook(tmp_path / "big.xlsx")
    assert wb.sheetnames == ["info", "respondents", "respondents_2", "respondents_3", "issues"]
    got = [
        row
        for name in ("respondents", "respondents_2", "respondents_3")
        for row in wb[name].iter_rows(values_only=True)
    ]
    assert got == [("a", "b"), (0, "x0"), (1, "x1")] + [("a", "b"), (2, "x2"), (3, "x3")] + [
        ("a", "b"),
        (4, "x4"),
    ]
    info = {r[0]: r[1] for r in wb["info"].iter_rows(values_only=True)}
    assert info["Table split"] == (
        "5 rows, more than Excel holds (2 rows a sheet): continued on sheets respondents, "
        "respondents_2, respondents_3. For one whole table save as .csv or .parquet."
    )
    if spooled:
        table.discard()
    assert listing(tmp_path) == ["big.xlsx"]


@pytest.mark.parametrize("header", [True, False])
def test_csv_parts_with_an_empty_first_chunk_are_written_as_text(header):
    """pyarrow's CSV writer, without a header, wrote NUL bytes for a column whose first
    chunk is empty (a frame concatenated with an empty one); parts are written after
    dropping such chunks."""
    import pyarrow as pa

    from indeks.scoring.parts import _csv_bytes

    text = pa.array(["x1", "y2", "z3"], type=pa.large_string())
    col = pa.chunked_array([text.slice(0, 0), text.slice(0, 1), text.slice(1, 1)])
    rows = pa.chunked_array([pa.array([], pa.int64()), pa.array([7, 8])])
    table = pa.Table.from_arrays([rows, col], names=["row", "v"])
    got = _csv_bytes(table, header).to_pybytes()
    assert got == (b'"row","v"\n' if header else b"") + b'7,"x1"\n8,"y2"\n'
