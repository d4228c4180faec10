"""One small file per issue code: the code, row (as in the spreadsheet), column and value."""

import pandas as pd
import pytest

import indeks


def score_csv(tmp_path, text, instrument="whoqol-bref", **kw):
    p = tmp_path / "data.csv"
    p.write_text(text, encoding="utf-8")
    return indeks.score(instrument, indeks.read_responses(p), **kw)


def whoqol_csv(rows, header=None, extra=""):
    header = header or ",".join(["id"] + [f"Q{i}" for i in range(1, 27)]) + extra
    return header + "\n" + "\n".join(rows) + "\n"


FULL = ["3"] * 26


def row(id_, answers=FULL, extra=""):
    return ",".join([id_] + list(answers)) + extra


def only(res, code):
    got = res.issues[res.issues["code"] == code]
    assert len(got) >= 1, res.issues
    return got.iloc[0]


def test_out_of_range(tmp_path):
    a = list(FULL)
    a[9] = "8"
    i = only(score_csv(tmp_path, whoqol_csv([row("A"), row("B", a)])), "out_of_range")
    assert (i["row"], i["column"], i["item"], i["value"], i["severity"]) == (
        3,
        "Q10",
        "q10",
        "8",
        "error",
    )


def test_unknown_label(tmp_path):
    a = list(FULL)
    a[0] = "Lumayan baik"
    i = only(score_csv(tmp_path, whoqol_csv([row("A", a)])), "unknown_label")
    assert (i["row"], i["column"], i["value"]) == (2, "Q1", "Lumayan baik")
    assert "tidak dikenali" in i["message"]


def test_unknown_label_english(tmp_path):
    a = list(FULL)
    a[0] = "So-so"
    i = only(score_csv(tmp_path, whoqol_csv([row("A", a)]), lang="en"), "unknown_label")
    assert "not recognised" in i["message"]


def test_not_a_code(tmp_path):
    a = list(FULL)
    a[4] = "2.5"
    i = only(score_csv(tmp_path, whoqol_csv([row("A", a)])), "not_a_code")
    assert (i["row"], i["column"], i["value"]) == (2, "Q5", "2.5")


def test_duplicate_id(tmp_path):
    res = score_csv(tmp_path, whoqol_csv([row("A"), row("B"), row("A")]))
    d = res.issues[res.issues["code"] == "duplicate_id"]
    assert d["row"].tolist() == [2, 4] and set(d["value"]) == {"A"} and set(d["column"]) == {"id"}
    assert "2, 4" in d["message"].iloc[0]


def test_missing_id(tmp_path):
    i = only(score_csv(tmp_path, whoqol_csv([row("A"), row("")])), "missing_id")
    assert (i["row"], i["column"]) == (3, "id")


def test_missing_item_column(tmp_path):
    header = ",".join(["id"] + [f"Q{i}" for i in range(1, 26)] + ["Q26x"])
    res = score_csv(tmp_path, whoqol_csv([row("A")], header=header))
    i = only(res, "missing_item_column")
    assert pd.isna(i["row"]) and i["item"] == "q26" and "Q26x" in i["message"]


def test_ambiguous_column(tmp_path):
    header = ",".join(["id"] + [f"Q{i}" for i in range(1, 27)] + ["q_1"])
    res = score_csv(tmp_path, whoqol_csv([row("A", extra=",4")], header=header))
    i = only(res, "ambiguous_column")
    assert i["item"] == "q1" and "Q1" in i["value"] and "q_1" in i["value"]


def test_too_many_missing(tmp_path):
    a = list(FULL)
    for k in range(6):
        a[k] = ""
    i = only(score_csv(tmp_path, whoqol_csv([row("A"), row("B", a)])), "too_many_missing")
    assert (i["row"], i["value"]) == (3, "20")


def test_domain_not_computed(tmp_path):
    a = list(FULL)
    a[19] = a[20] = ""  # Q20, Q21: social has 1 of 3
    i = only(score_csv(tmp_path, whoqol_csv([row("A", a)])), "domain_not_computed")
    assert (i["row"], i["item"], i["value"]) == (2, "social", "1")


def test_index_incomplete(tmp_path):
    text = "no,U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,4,4,4,,4,4,4,4,4\n"
    i = only(score_csv(tmp_path, text, "ikm"), "index_incomplete")
    assert (i["row"], i["value"]) == (2, "u4")


def test_sample_too_small(tmp_path):
    text = "no,U1,U2,U3,U4,U5,U6,U7,U8,U9\n1,4,4,4,4,4,4,4,4,4\n"
    i = only(score_csv(tmp_path, text, "ikm", population=300), "sample_too_small")
    assert (i["value"], pd.isna(i["row"])) == ("1", True) and "169" in i["message"]


def readme_issue_table() -> dict[str, str]:
    """``{code: severity}`` from README.md's table whose header is ``| code | severity | ...``."""
    from pathlib import Path

    lines = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8").splitlines()
    start = next(
        i for i, ln in enumerate(lines) if ln.replace(" ", "").startswith("|code|severity|")
    )
    table: dict[str, str] = {}
    for ln in lines[start + 2 :]:
        if not ln.startswith("|"):
            break
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        assert cells[0].startswith("`") and cells[0].endswith("`"), ln
        table[cells[0].strip("`")] = cells[1]
    return table


def test_every_issue_code_is_documented():
    from indeks.scoring.issues import CATALOGUE, catalogue_frame

    documented = readme_issue_table()
    assert list(documented) == list(CATALOGUE)  # every code, README in catalogue order
    assert documented == {code: t.severity for code, t in CATALOGUE.items()}
    assert len(catalogue_frame()) == len(CATALOGUE)
    for t in CATALOGUE.values():
        assert t.severity in ("error", "warning", "info") and t.id and t.en


TINY = """
id = "tiny"
name = "Tiny two-form instrument"
version = "1"
status = "official"
items = [
  { id = "p1", domain = "d", form = "parent" },
  { id = "p2", domain = "d", form = "parent" },
  { id = "c1", domain = "d", form = "child" },
]

[columns]
form = ["form", "peran"]
unit = ["keluarga"]

[scales.s4]
min = 1
max = 4

[item_defaults]
scale = "s4"

[forms.parent]
label = "Orang tua"
values = ["orang tua", "ortu"]

[forms.child]
label = "Anak"
values = ["anak"]

[[eligibility]]
id = "age"
column = "usia"
aliases = ["umur"]
min = 12
max = 21
label = "Usia"

[[domains]]
id = "d"
label = "D"
method = "percent_of_points"

[index]
method = "percent_of_points"
domains = ["d"]

[aggregation]
method = "pool_points"
"""


@pytest.fixture
def tiny(tmp_path):
    p = tmp_path / "tiny.toml"
    p.write_text(TINY, encoding="utf-8")
    return indeks.load_instrument(p)


def test_ineligible_and_unknown_form(tmp_path, tiny):
    text = "id,keluarga,peran,usia,p1,p2,c1\n1,F1,ortu,40,4,3,\n2,F1,anak,22,,,4\n3,F2,tetangga,15,4,4,\n4,F2,anak,13,,,2\n"
    res = score_csv(tmp_path, text, tiny)
    inel = res.issues[res.issues["code"] == "ineligible"]
    # the parent aged 40 is outside 12..21 too: eligibility applies to every respondent of this definition
    assert (
        inel["row"].tolist() == [2, 3]
        and inel["value"].tolist() == ["40", "22"]
        and set(inel["column"]) == {"usia"}
    )
    uf = only(res, "unknown_form")
    assert (uf["row"], uf["column"], uf["value"]) == (4, "peran", "tetangga")
    assert res.respondents["status"].tolist() == ["rejected", "rejected", "rejected", "scored"]
    assert res.respondents["reason"].tolist()[:3] == ["ineligible", "ineligible", "unknown_form"]


def test_missing_eligibility_column_rejects_all(tmp_path, tiny):
    text = "id,keluarga,peran,p1,p2,c1\n1,F1,ortu,4,3,\n"
    res = score_csv(tmp_path, text, tiny)
    i = only(res, "missing_eligibility_column")
    assert pd.isna(i["row"]) and i["item"] == "usia"
    assert (res.respondents["status"] == "rejected").all()


def test_forms_pool_points_per_unit(tmp_path, tiny):
    text = "id,keluarga,peran,usia,p1,p2,c1\n1,F1,ortu,20,4,3,\n2,F1,anak,14,,,2\n3,F2,ortu,19,1,1,\n4,F2,anak,13,,,4\n"
    res = score_csv(tmp_path, text, tiny)
    r = res.respondents
    # parent F1: (4+3)/8 = 87.5; child F1: 2/4 = 50
    assert r["index"].tolist() == pytest.approx([87.5, 50.0, 25.0, 100.0])
    u = res.units.set_index("unit")
    assert u.loc["F1", "index"] == pytest.approx(100 * 9 / 12)  # pooled over both forms
    assert u.loc["F2", "index"] == pytest.approx(100 * 6 / 12)
    assert res.summary["index"].iloc[0] == pytest.approx(100 * 15 / 24)


def test_row_numbers_survive_slicing_filtering_and_concat(tmp_path):
    """Spreadsheet rows travel in the index: the bad answer sits on row 5 of the file
    (header row 1, respondents A..E on rows 2..6) however the frame was cut first."""
    a = list(FULL)
    a[0] = "Lumayan baik"
    p = tmp_path / "data.csv"
    p.write_text(
        whoqol_csv([row("A"), row("B"), row("C"), row("D", a), row("E")]), encoding="utf-8"
    )
    df = indeks.read_responses(p)
    assert df.index.tolist() == [2, 3, 4, 5, 6] and df.index.name == "source_row"

    def bad_row(frame):
        return int(only(indeks.score("whoqol-bref", frame), "unknown_label")["row"])

    assert bad_row(df) == 5
    assert bad_row(df.iloc[2:]) == 5  # sliced
    assert bad_row(df[df["id"] != "B"]) == 5  # filtered
    assert bad_row(pd.concat([df.iloc[3:], df.iloc[:1]])) == 5  # concatenated, reordered
    res = indeks.score("whoqol-bref", df.iloc[1:])
    assert res.respondents["row"].tolist() == [3, 4, 5, 6]
    # numbers lost (filtered, then the index reset): said aloud, then rows 1..n
    with pytest.warns(UserWarning, match="row numbers of data.csv were lost"):
        assert bad_row(df.iloc[2:].reset_index(drop=True)) == 2
