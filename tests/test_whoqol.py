"""WHOQOL-BREF: hand-computed vectors from instruments.md section 1."""

import numpy as np
import pandas as pd
import pytest

import indeks

# One respondent, every item answered.  Keyed (Q3, Q4, Q26 reversed as 6 - x):
#   physical     q3=2->4 q4=1->5 q10=4 q15=3 q16=4 q17=5 q18=3  -> 28/7 = 4      raw 16     -> (16-4)*100/16 = 75
#   psych        q5=3 q6=4 q7=2 q11=3 q19=4 q26=5->1           -> 17/6          raw 11.333 -> 45.8333
#   social       q20=4 q21=2 q22=3                             -> 9/3 = 3       raw 12     -> 50
#   environment  q8=3 q9=4 q12=2 q13=3 q14=2 q23=4 q24=5 q25=3 -> 26/8 = 3.25   raw 13     -> 56.25
BASE = {
    "q1": 4,
    "q2": 3,
    "q3": 2,
    "q4": 1,
    "q5": 3,
    "q6": 4,
    "q7": 2,
    "q8": 3,
    "q9": 4,
    "q10": 4,
    "q11": 3,
    "q12": 2,
    "q13": 3,
    "q14": 2,
    "q15": 3,
    "q16": 4,
    "q17": 5,
    "q18": 3,
    "q19": 4,
    "q20": 4,
    "q21": 2,
    "q22": 3,
    "q23": 4,
    "q24": 5,
    "q25": 3,
    "q26": 5,
}


def frame(*rows):
    return pd.DataFrame(list(rows), columns=[f"q{i}" for i in range(1, 27)])


def with_missing(*items):
    r = dict(BASE)
    for it in items:
        r[it] = np.nan
    return r


def test_complete_answers():
    r = indeks.score("whoqol-bref", frame(BASE)).respondents.iloc[0]
    assert r["status"] == "scored"
    assert r["physical_raw"] == pytest.approx(16.0)
    assert r["physical"] == pytest.approx(75.0)
    assert r["psychological_raw"] == pytest.approx(17 / 6 * 4)
    assert r["psychological"] == pytest.approx((17 / 6 * 4 - 4) * 100 / 16)
    assert r["social"] == pytest.approx(50.0)
    assert r["environment_raw"] == pytest.approx(13.0)
    assert r["environment"] == pytest.approx(56.25)
    assert r["overall_qol"] == 4 and r["general_health"] == 3


def test_reversed_once_and_not_again_when_pre_reversed():
    printed = dict(BASE, q3=4, q4=5, q26=1)  # a form that prints Q3/Q4/Q26 as 5 4 3 2 1
    plain = indeks.score("whoqol-bref", frame(BASE)).respondents
    pre = indeks.score("whoqol-bref", frame(printed), pre_reversed=["q3", "q4", "q26"]).respondents
    for d in ("physical", "psychological"):
        assert pre[d].iloc[0] == pytest.approx(plain[d].iloc[0])
    # without the pre-reversed flag the same file is reversed and gives other scores
    wrong = indeks.score("whoqol-bref", frame(printed)).respondents
    assert wrong["physical"].iloc[0] != pytest.approx(plain["physical"].iloc[0])
    # physical keyed with q3=4->2, q4=5->1: (2+1+4+3+4+5+3)/7*4 = 13.714 -> 60.714
    assert wrong["physical"].iloc[0] == pytest.approx(((22 / 7) * 4 - 4) * 100 / 16)


def test_pre_reversed_does_not_touch_label_answers():
    # a label is the answer's position on the form, so it is reversed as usual
    lab = dict(BASE, q3="Sedikit")  # position 2 -> keyed 4, as BASE's q3 = 2
    out = indeks.score("whoqol-bref", frame(lab), pre_reversed=["q3"]).respondents
    assert out["physical"].iloc[0] == pytest.approx(75.0)


def test_one_missing_item_per_domain_both_rules():
    row = with_missing("q17", "q19", "q21", "q25")
    for rule in ("who_spss", "manual"):
        r = indeks.score("whoqol-bref", frame(row), missing_rule=rule).respondents.iloc[0]
        assert r["physical"] == pytest.approx((23 / 6 * 4 - 4) * 100 / 16)  # 70.8333
        assert r["psychological"] == pytest.approx((13 / 5 * 4 - 4) * 100 / 16)  # 40.0
        assert r["environment"] == pytest.approx((23 / 7 * 4 - 4) * 100 / 16)
        if rule == "who_spss":  # 2 of 3 social items suffice
            assert r["social"] == pytest.approx((7 / 2 * 4 - 4) * 100 / 16)  # 62.5
        else:  # the manual computes the social domain only with all 3 items answered
            assert np.isnan(r["social"])


def test_two_missing_items_per_domain_who_versus_manual():
    row = with_missing(
        "q17", "q18", "q19", "q11", "q21", "q22"
    )  # 6 missing -> 20 answered: rejected
    res = indeks.score("whoqol-bref", frame(row)).respondents.iloc[0]
    assert res["status"] == "rejected" and res["reason"] == "too_many_missing"
    # 2 missing in physical, psychological and social, 1 in nothing else: 20 valid -> still rejected.
    # Keep 21 valid: 2 missing in physical, 2 in social, 1 in environment
    row = with_missing("q17", "q18", "q21", "q22", "q25")
    who = indeks.score("whoqol-bref", frame(row)).respondents.iloc[0]
    man = indeks.score("whoqol-bref", frame(row), missing_rule="manual").respondents.iloc[0]
    assert who["status"] == man["status"] == "scored"
    # WHO SPSS: physical needs 6 of 7 (5 answered) -> empty; social needs 2 of 3 (1 answered) -> empty
    assert np.isnan(who["physical"]) and np.isnan(who["social"])
    assert who["environment"] == pytest.approx((23 / 7 * 4 - 4) * 100 / 16)
    assert who["psychological"] == pytest.approx((17 / 6 * 4 - 4) * 100 / 16)
    # manual: up to 2 missing per domain -> physical (4+5+4+3+4)/5 = 4 -> 75; the social
    # domain only with all 3 items answered -> empty
    assert man["physical"] == pytest.approx(75.0)
    assert np.isnan(man["social"])


def test_six_missing_rejected_five_missing_scored():
    six = with_missing("q1", "q2", "q5", "q8", "q9", "q10")
    five = with_missing("q1", "q2", "q5", "q8", "q9")
    res = indeks.score("whoqol-bref", frame(six, five))
    assert list(res.respondents["status"]) == ["rejected", "scored"]
    iss = res.issues[res.issues["code"] == "too_many_missing"]
    assert len(iss) == 1 and iss["row"].iloc[0] == 1 and iss["value"].iloc[0] == "20"


def test_out_of_range_is_missing_not_clipped():
    row = dict(BASE, q10=6)  # 6 is outside 1..5: q10 becomes missing, physical averages the other 6
    res = indeks.score("whoqol-bref", frame(row))
    r = res.respondents.iloc[0]
    assert r["physical"] == pytest.approx((24 / 6 * 4 - 4) * 100 / 16)
    iss = res.issues.iloc[0]
    assert (iss["code"], iss["column"], iss["item"], iss["value"]) == (
        "out_of_range",
        "q10",
        "q10",
        "6",
    )


def test_label_answers_and_missing_codes():
    row = dict(BASE, q1="Baik", q2=" biasa-biasa  saja ", q16="4 - Memuaskan", q10=9)
    r = indeks.score("whoqol-bref", frame(row)).respondents.iloc[0]
    assert r["overall_qol"] == 4 and r["general_health"] == 3
    assert r["physical"] == pytest.approx((24 / 6 * 4 - 4) * 100 / 16)  # q10 = 9 is a missing code


def test_summary_is_mean_of_respondents():
    a = dict(BASE)
    b = dict(BASE, q20=5, q21=5, q22=5)  # social 100
    res = indeks.score("whoqol-bref", frame(a, b))
    assert res.summary["social"].iloc[0] == pytest.approx(75.0)
    assert res.summary[["n", "n_scored", "n_rejected"]].iloc[0].tolist() == [2, 2, 0]
