import math

import numpy as np
import pandas as pd
import pytest

from indeks.io import SUPPORTED_EXTENSIONS, InputError, read_table


def rows(df):
    assert df.index.name == "source_row"
    return df.index.tolist()


def test_utf8_csv_basic(tmp_path):
    p = tmp_path / "data.csv"
    p.write_text("id,q1,q2,nama\n1,4,3.5,Ani\n2,5,2,Budi\n", encoding="utf-8")
    df = read_table(p)
    assert list(df.columns) == ["id", "q1", "q2", "nama"]
    assert df["q1"].tolist() == [4, 5]
    assert df["q2"].tolist() == [3.5, 2.0]
    assert df["nama"].tolist() == ["Ani", "Budi"]
    assert rows(df) == [2, 3]
    assert df.attrs["source"] == "data.csv"
    assert df.attrs["source_path"] == str(p)
    assert df.attrs["delimiter"] == ","
    assert df.index.dtype == np.int64 and "source_rows" not in df.attrs


def test_utf8_bom_csv(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeffid,kota\n1,Sémarang\n".encode("utf-8"))
    df = read_table(p)
    assert list(df.columns) == ["id", "kota"]  # BOM not glued to the first name
    assert df["kota"].tolist() == ["Sémarang"]
    assert df.attrs["encoding"] == "utf-8-sig"


def test_utf16_tab_unicode_text(tmp_path):
    p = tmp_path / "unicode.txt"
    p.write_bytes("id\tnama\tskor\r\n1\tÉva\t3\r\n2\tDéwi\t4\r\n".encode("utf-16"))  # BOM + LE
    df = read_table(p)
    assert list(df.columns) == ["id", "nama", "skor"]
    assert df["nama"].tolist() == ["Éva", "Déwi"]
    assert df["skor"].tolist() == [3, 4]
    assert df.attrs["delimiter"] == "\t"
    assert rows(df) == [2, 3]


def test_utf16_be(tmp_path):
    p = tmp_path / "be.txt"
    p.write_bytes(b"\xfe\xff" + "a\tb\n1\t2\n".encode("utf-16-be"))
    df = read_table(p)
    assert df.to_dict("list") == {"a": [1], "b": [2]}


def test_cp1252_fallback(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes("id,nama\n1,José\n2,André\n".encode("cp1252"))
    df = read_table(p)
    assert df["nama"].tolist() == ["José", "André"]
    assert df.attrs["encoding"] == "cp1252"


def test_semicolon_decimal_commas(tmp_path):
    p = tmp_path / "excel_id.csv"
    p.write_text("id;skor;teks;bulat\n1;3,5;a,b;4\n2;1.234,5;c;5\n3;;d;6\n", encoding="utf-8")
    df = read_table(p)
    assert df.attrs["delimiter"] == ";"
    assert df["skor"].iloc[0] == 3.5
    assert df["skor"].iloc[1] == 1234.5
    assert math.isnan(df["skor"].iloc[2])
    assert df["teks"].tolist() == ["a,b", "c", "d"]  # not a number: left as text
    assert df["bulat"].tolist() == [4, 5, 6]


def test_pipe_delimiter_and_quotes(tmp_path):
    p = tmp_path / "pipe.txt"
    p.write_text('a|b\n1|"x|y"\n2|"baris\nbaru"\n', encoding="utf-8")
    df = read_table(p)
    assert df["b"].tolist() == ["x|y", "baris\nbaru"]
    assert rows(df) == [2, 3]


def test_leading_zero_ids_kept_as_text(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text("id,hp,q1\n007,08123,4\n010,08124,5\n", encoding="utf-8")
    df = read_table(p)
    assert df["id"].tolist() == ["007", "010"]
    assert df["hp"].tolist() == ["08123", "08124"]
    assert df["q1"].tolist() == [4, 5]


def test_dates_stay_text(tmp_path):
    p = tmp_path / "dates.csv"
    p.write_text("t,q1\n2024-01-05 10:00:00,4\n", encoding="utf-8")
    df = read_table(p)
    assert df["t"].tolist() == ["2024-01-05 10:00:00"]


def test_blank_rows_dropped_row_numbers_true(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_text("a,b\n1,2\n\n,\n3,4\n\n\n", encoding="utf-8")
    df = read_table(p)
    assert df["a"].tolist() == [1, 3]
    assert rows(df) == [2, 5]


def test_short_rows_padded_trailing_delimiter_tolerated(tmp_path):
    p = tmp_path / "short.csv"
    p.write_text("a,b,c\n1,2,3\n4,5,6,\n7,8\n", encoding="utf-8")
    df = read_table(p)
    assert df["a"].tolist() == [1, 4, 7]
    assert math.isnan(df["c"].iloc[2])
    assert rows(df) == [2, 3, 4]


def test_header_only_returns_empty_frame(tmp_path):
    p = tmp_path / "header.csv"
    p.write_text("id,q1,q2\n", encoding="utf-8")
    df = read_table(p)
    assert list(df.columns) == ["id", "q1", "q2"]
    assert len(df) == 0
    assert rows(df) == []


def test_duplicate_and_empty_header_names(tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text("q,q,\n1,2,3\n", encoding="utf-8")
    df = read_table(p)
    assert list(df.columns) == ["q", "q.1", "Unnamed: 2"]


# --------------------------------------------------------------------------- excel


def _xlsx(path, sheets):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, data in sheets.items():
        ws = wb.create_sheet(name)
        for r in data:
            ws.append(list(r))
    wb.save(path)


def test_xlsx_title_rows_above_header(tmp_path):
    p = tmp_path / "survei.xlsx"
    _xlsx(
        p,
        {
            "Data": [
                ["DATA SURVEI KEPUASAN 2024"],
                ["Kabupaten X"],
                [None],
                ["id", "u1", "u2", "nama"],
                [1, 4, 3, "Ani"],
                [None, None, None, None],
                [2, 2, 4.5, "Budi"],
                [None],
                [None],
            ]
        },
    )
    df = read_table(p)
    assert list(df.columns) == ["id", "u1", "u2", "nama"]
    assert df["u1"].tolist() == [4, 2]
    assert df["u2"].tolist() == [3.0, 4.5]
    assert df["nama"].tolist() == ["Ani", "Budi"]
    assert rows(df) == [5, 7]
    assert df.attrs["header_row"] == 4
    assert df.attrs["sheet"] == "Data"
    assert df.attrs["source"] == "survei.xlsx"


def test_xlsx_sheet_choice(tmp_path):
    p = tmp_path / "dua.xlsx"
    _xlsx(p, {"pre": [["id", "q1"], [1, 1]], "post": [["id", "q1"], [1, 5], [2, 4]]})
    assert read_table(p)["q1"].tolist() == [1]
    assert read_table(p, sheet="post")["q1"].tolist() == [5, 4]
    assert read_table(p, sheet=1)["q1"].tolist() == [5, 4]
    with pytest.raises(InputError) as ei:
        read_table(p, sheet="tiga")
    assert (
        "dua.xlsx" in ei.value.message
        and "'pre'" in ei.value.message
        and "'post'" in ei.value.message
    )
    with pytest.raises(InputError):
        read_table(p, sheet=5)


# --------------------------------------------------------------------------- stat files


def test_sav_value_and_variable_labels(tmp_path):
    import pyreadstat

    p = tmp_path / "survei.sav"
    src = pd.DataFrame({"id": [1.0, 2.0, 3.0], "q1": [1.0, 2.0, 9.0], "nama": ["a", "b", ""]})
    pyreadstat.write_sav(
        src,
        str(p),
        column_labels={"q1": "Kepuasan layanan"},
        variable_value_labels={"q1": {1.0: "Tidak puas", 2.0: "Puas", 9.0: "Tidak tahu"}},
        missing_ranges={"q1": [9.0]},
    )
    df = read_table(p)
    assert df["q1"].iloc[:2].tolist() == [1.0, 2.0]  # codes, not labels
    assert math.isnan(df["q1"].iloc[2])  # user-missing -> NaN
    assert df.attrs["value_labels"]["q1"] == {1.0: "Tidak puas", 2.0: "Puas", 9.0: "Tidak tahu"}
    assert df.attrs["column_labels"] == {"q1": "Kepuasan layanan"}
    assert pd.isna(df["nama"].iloc[2])
    assert rows(df) == [1, 2, 3]


def test_dta(tmp_path):
    import pyreadstat

    p = tmp_path / "survei.dta"
    src = pd.DataFrame({"id": [1, 2], "q1": [3, 4]})
    pyreadstat.write_dta(
        src, str(p), column_labels={"q1": "Soal 1"}, variable_value_labels={"q1": {3: "tiga"}}
    )
    df = read_table(p)
    assert df["q1"].tolist() == [3, 4]
    assert df.attrs["column_labels"] == {"q1": "Soal 1"}
    assert df.attrs["value_labels"] == {"q1": {3: "tiga"}}
    assert rows(df) == [1, 2]


def test_parquet(tmp_path):
    p = tmp_path / "d.parquet"
    pd.DataFrame({"id": ["a", "b"], "x": [1.5, 2.5]}).to_parquet(p)
    df = read_table(p)
    assert df["x"].tolist() == [1.5, 2.5]
    assert rows(df) == [1, 2]
    assert df.attrs["source"] == "d.parquet"


def test_jsonl_and_json(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text(
        '{"id": "007", "q1": 4}\n\n{"id": "008", "q1": 5, "extra": "x"}\n', encoding="utf-8"
    )
    df = read_table(p)
    assert df["id"].tolist() == ["007", "008"]
    assert df["q1"].tolist() == [4, 5]
    assert rows(df) == [1, 3]
    j = tmp_path / "d.json"
    j.write_text('[{"id": 1, "q1": 4.5}, {"id": 2, "q1": null}]', encoding="utf-8")
    df = read_table(j)
    assert df["q1"].iloc[0] == 4.5 and math.isnan(df["q1"].iloc[1])
    k = tmp_path / "kobo.json"
    k.write_text('{"count": 1, "results": [{"id": 1}]}', encoding="utf-8")
    assert read_table(k)["id"].tolist() == [1]


# --------------------------------------------------------------------------- errors


def _assert_input_error(path, *fragments, **kw):
    with pytest.raises(InputError) as ei:
        read_table(path, **kw)
    err = ei.value
    assert isinstance(err, ValueError)
    assert path.name in err.message
    assert err.path == str(path)
    for f in fragments:
        assert f in err.message
    assert "\n" not in err.message
    return err


def test_error_zero_byte(tmp_path):
    p = tmp_path / "kosong.csv"
    p.write_bytes(b"")
    _assert_input_error(p, "kosong")
    _assert_input_error(p, "empty", lang="en")


def test_error_binary_garbage_csv(tmp_path):
    p = tmp_path / "sampah.csv"
    p.write_bytes(b"\x00\x01\xff\xfe\x00\x02\x03garbage\x00\x00\x9c\x8f" * 20)
    _assert_input_error(p)


def test_error_xlsx_renamed_csv(tmp_path):
    p = tmp_path / "really.csv"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _assert_input_error(p, ".xlsx")


def test_error_text_named_xlsx(tmp_path):
    p = tmp_path / "palsu.xlsx"
    p.write_text("id,q1\n1,2\n", encoding="utf-8")
    _assert_input_error(p, "Excel")


def test_error_unknown_extension(tmp_path):
    p = tmp_path / "laporan.pdf"
    p.write_bytes(b"%PDF-1.4 ...")
    err = _assert_input_error(p, ".pdf")
    for ext in (".csv", ".xlsx", ".sav"):
        assert ext in err.message


def test_error_ragged_row(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text("a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n", encoding="utf-8")
    err = _assert_input_error(p, "baris 4", "4", "3")
    err_en = _assert_input_error(p, "row 4", lang="en")
    assert err_en.message != err.message


def test_error_missing_file(tmp_path):
    p = tmp_path / "sub" / "tidak_ada.csv"
    err = _assert_input_error(p, "'tidak_ada.csv' tidak ditemukan", str(p))
    assert err.path == str(p) and "multiple values" not in err.message
    _assert_input_error(p, "'tidak_ada.csv' was not found", str(p), lang="en")


def test_error_bad_sav_and_json(tmp_path):
    p = tmp_path / "rusak.sav"
    p.write_bytes(b"this is not spss")
    _assert_input_error(p, "SPSS")
    j = tmp_path / "rusak.json"
    j.write_text('[{"a": 1},', encoding="utf-8")
    _assert_input_error(j)
    j2 = tmp_path / "rusak.jsonl"
    j2.write_text('{"a": 1}\n[1]\n', encoding="utf-8")
    _assert_input_error(j2, "2")
    pq_ = tmp_path / "rusak.parquet"
    pq_.write_bytes(b"nope")
    _assert_input_error(pq_)


def test_error_whitespace_only(tmp_path):
    p = tmp_path / "spasi.csv"
    p.write_text("\n\n  \n", encoding="utf-8")
    _assert_input_error(p)


def test_supported_extensions():
    assert {
        ".csv",
        ".tsv",
        ".txt",
        ".xlsx",
        ".xlsm",
        ".sav",
        ".zsav",
        ".dta",
        ".parquet",
        ".jsonl",
        ".ndjson",
        ".json",
    } == set(SUPPORTED_EXTENSIONS)


def test_cp1252_byte_after_the_sample(tmp_path):
    p = tmp_path / "late.csv"
    body = "".join(f"{i},Ani\n" for i in range(20000))
    p.write_bytes(("id,nama\n" + body + "20000,José\n").encode("cp1252"))
    df = read_table(p)
    assert len(df) == 20001
    assert df["nama"].iloc[-1] == "José"
    assert df.index[-1] == 20002
    assert df.attrs["encoding"] == "cp1252"


def test_xlsx_header_only_and_text_ids(tmp_path):
    p = tmp_path / "h.xlsx"
    _xlsx(p, {"S": [["id", "q1"]]})
    df = read_table(p)
    assert list(df.columns) == ["id", "q1"] and len(df) == 0
    p2 = tmp_path / "ids.xlsx"
    _xlsx(p2, {"S": [["id", "q1"], ["007", 4], ["  ", None], ["008", 5]]})
    df = read_table(p2)
    assert df["id"].tolist() == ["007", "008"]
    assert df.index.tolist() == [2, 4]
