"""Every sample shape reads and scores to the same numbers as the clean frame."""

from pathlib import Path

import numpy as np
import pytest

import indeks

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
SCORE_COLS = {
    "whoqol": [
        "overall_qol",
        "general_health",
        "physical",
        "psychological",
        "social",
        "environment",
    ],
    "ikm": [f"u{i}" for i in range(1, 10)] + ["index"],
}
INSTRUMENT = {"whoqol": "whoqol-bref", "ikm": "ikm"}


def clean(name):
    df = indeks.read_responses(SAMPLES / name / "clean.csv")
    return indeks.score(INSTRUMENT[name], df)


@pytest.mark.parametrize("name", ["whoqol", "ikm"])
@pytest.mark.parametrize(
    "shape, kwargs",
    [
        ("google_forms.xlsx", {"mapping": "google_forms_map.csv"}),
        ("semicolon.csv", {}),
        ("spss.sav", {}),
    ],
)
def test_shape_scores_like_clean_frame(name, shape, kwargs):
    ref = clean(name)
    kw = {k: SAMPLES / name / v for k, v in kwargs.items()}
    df = indeks.read_responses(SAMPLES / name / shape, instrument=INSTRUMENT[name], **kw)
    res = indeks.score(INSTRUMENT[name], df)
    # the same issues as the clean frame (row numbers differ: xlsx has title rows)
    assert (
        res.issues[["code", "value"]].values.tolist()
        == ref.issues[["code", "value"]].values.tolist()
    )
    cols = SCORE_COLS[name]
    np.testing.assert_allclose(
        res.respondents[cols].to_numpy(float), ref.respondents[cols].to_numpy(float), equal_nan=True
    )
    np.testing.assert_allclose(
        res.summary[cols].to_numpy(float), ref.summary[cols].to_numpy(float), equal_nan=True
    )


def test_google_forms_mapping_via_score_argument():
    ref = clean("ikm")
    df = indeks.read_responses(SAMPLES / "ikm" / "google_forms.xlsx")
    assert df.index[0] == 5  # two title rows, a blank row, the header on row 4
    res = indeks.score("ikm", df, mapping=SAMPLES / "ikm" / "google_forms_map.csv")
    assert res.summary["index"].iloc[0] == pytest.approx(ref.summary["index"].iloc[0])
    rep = res.columns.report()
    assert set(rep.loc[rep["matched_by"] == "mapping", "item"]) == {f"u{i}" for i in range(1, 10)}
    assert "Timestamp" in set(rep.loc[rep["matched_by"] == "ignored", "column"])


def test_whoqol_problem_file_reports_every_problem():
    df = indeks.read_responses(SAMPLES / "whoqol" / "problems.csv")
    res = indeks.score("whoqol-bref", df)
    iss = res.issues.set_index("code")
    assert (iss.loc["out_of_range", ["row", "column", "value"]].tolist()) == [3, "Q10", "7"]
    assert (iss.loc["unknown_label", ["row", "column", "value"]].tolist()) == [4, "Q2", "Lumayan"]
    assert (iss.loc["not_a_code", ["row", "column", "value"]].tolist()) == [8, "Q5", "3.5"]
    assert iss.loc["too_many_missing", "row"] == 6
    dup = res.issues[res.issues["code"] == "duplicate_id"]
    assert dup["row"].tolist() == [4, 5]
    r = res.respondents
    assert r["status"].tolist().count("rejected") == 1
    assert len(r) == 8
