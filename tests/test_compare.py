"""Pre/post comparison: hand-computed WHOQOL-BREF vectors (instruments.md section 1)."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hst
from scipy import stats as st

from indeks.scoring.compare import compare
from indeks.scoring.ids import normalize_ids

INST = "whoqol-bref"
DOMAINS = {
    "physical": ["q3", "q4", "q10", "q15", "q16", "q17", "q18"],
    "psychological": ["q5", "q6", "q7", "q11", "q19", "q26"],
    "social": ["q20", "q21", "q22"],
    "environment": ["q8", "q9", "q12", "q13", "q14", "q23", "q24", "q25"],
}
REVERSED = {"q3", "q4", "q26"}
ITEMS = [f"q{i}" for i in range(1, 27)]
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "whoqol"


def answers(levels, keyed=None):
    """One WHOQOL-BREF row whose *keyed* answers are ``levels`` per domain.

    Every item of a domain answered at level L gives raw 4L and transformed 25 (L - 1).
    Reverse-keyed items get the printed answer 6 - L.  ``keyed`` overrides single
    items (keyed value).
    """
    row = {"q1": 3, "q2": 3}
    for (d, its), lv in zip(DOMAINS.items(), levels):
        for it in its:
            row[it] = lv
    row.update(keyed or {})
    for it in REVERSED:
        row[it] = 6 - row[it]
    return row


def wave(rows, ids, **extra):
    df = pd.DataFrame(rows, columns=ITEMS)
    df.insert(0, "id", ids)
    for k, v in extra.items():
        df[k] = v
    return df


# Seven paired clients, keyed levels (physical, psychological, social, environment).
# Headline (mean of the four transformed scores = 25 * (mean level - 1)):
#   C1 (2,2,2,2)->(3,3,3,3)  25    -> 50     improved
#   C2 (3,3,3,3)->(4,3,3,3)  50    -> 56.25  improved
#   C3 (2,3,2,3)->(3,2,3,2)  37.5  -> 37.5   tie: NOT improved
#   C4 (1,1,1,1)->(2,2,1,1)  0     -> 12.5   improved
#   C5 (4,4,4,4)->(5,5,4,4)  75    -> 87.5   improved
#   C6 (3,2,3,2)->(3,3,3,3)  37.5  -> 50     improved
#   C7 (2,2,2,2)->(5,2,1,2)  25    -> 37.5   improved
# -> 6 of 7 = 85.714285...%.  H only in pre, I only in post: unmatched, not in the denominator.
PRE_LV = [
    (2, 2, 2, 2),
    (3, 3, 3, 3),
    (2, 3, 2, 3),
    (1, 1, 1, 1),
    (4, 4, 4, 4),
    (3, 2, 3, 2),
    (2, 2, 2, 2),
    (3, 3, 3, 3),
]
POST_LV = [
    (3, 3, 3, 3),
    (4, 3, 3, 3),
    (3, 2, 3, 2),
    (2, 2, 1, 1),
    (5, 5, 4, 4),
    (3, 3, 3, 3),
    (5, 2, 1, 2),
    (4, 4, 4, 4),
]
PRE_IDS = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "H"]
POST_IDS = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "I"]


def seven(**kw):
    pre = wave([answers(lv) for lv in PRE_LV], PRE_IDS, **kw.pop("pre_extra", {}))
    post = wave([answers(lv) for lv in POST_LV], POST_IDS, **kw.pop("post_extra", {}))
    return pre, post


def test_headline_six_of_seven_tie_not_improved_unmatched_excluded():
    pre, post = seven()
    c = compare(INST, pre, post)
    s = c.summary.iloc[0]
    assert s["n_pairs"] == 7
    assert s["n_unmatched_pre"] == 1 and s["n_unmatched_post"] == 1
    assert s["n_improved"] == 6
    assert s["pct_improved"] == pytest.approx(600 / 7)
    assert s["share_text"] == "6 dari 7 = 85.71%"
    assert s["headline_rule"] == "mean_of_domains"
    p = c.pairs.set_index("respondent_id")
    assert list(p.index) == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    assert p.loc["C3", "headline_pre"] == pytest.approx(37.5)
    assert p.loc["C3", "headline_post"] == pytest.approx(37.5)
    assert p.loc["C3", "improved"] == False  # noqa: E712  (a tie is not an improvement)
    assert p.loc["C2", "headline_post"] == pytest.approx(56.25)
    assert p.loc["C7", "change_physical"] == pytest.approx(75.0)
    assert p.loc["C4", "physical_pre"] == 0 and p.loc["C4", "physical_post"] == 25
    assert p["improved"].sum() == 6
    u = c.unmatched.set_index("respondent_id")
    assert set(u.index) == {"H", "I"}
    assert (
        u.loc["H", "wave"] == "pre"
        and u.loc["H", "reason"] == "unmatched"
        and u.loc["H", "row"] == 8
    )
    assert u.loc["I", "wave"] == "post" and u.loc["I", "reason"] == "unmatched"
    assert set(c.issues.loc[c.issues["code"] == "unmatched", "respondent_id"]) == {"H", "I"}
    en = compare(INST, pre, post, lang="en")
    assert en.summary["share_text"].iloc[0] == "6 of 7 = 85.71%"


def test_contract_columns_and_provisional_warning():
    pre, post = seven()
    c = compare(INST, pre, post)
    for col in [
        "n_pairs",
        "n_unmatched_pre",
        "n_unmatched_post",
        "n_improved",
        "pct_improved",
        "n_rejected_pre",
        "n_rejected_post",
        "n_duplicate",
        "pct_improved_all_domains",
        "pct_improved_any_domain",
        "headline_rule",
        "share_text",
    ]:
        assert col in c.summary.columns, col
    for d in DOMAINS:
        assert f"pct_improved_{d}" in c.summary.columns
        assert f"mean_change_{d}" in c.summary.columns
        assert f"improved_{d}" in c.pairs.columns and f"change_{d}" in c.pairs.columns
    assert "mean_change_index" not in c.summary.columns  # WHOQOL-BREF declares no index
    # the headline rule of WHOQOL-BREF is provisional: compare results carry the warning
    assert "prepost.score" in c.meta["provisional_warning"]
    assert c.summary.attrs["provisional_warning"] == c.meta["provisional_warning"]
    assert set(c.sheets()) == {"summary", "pairs", "unmatched", "stats", "issues"}
    assert set(c.waves) == {"pre", "post"}


def test_per_domain_all_and_any_shares_by_hand():
    pre, post = seven()
    s = compare(INST, pre, post).summary.iloc[0]
    # physical improves for C1 C2 C3 C4 C5 C7 (C6 3->3); psychological C1 C4 C5 C6;
    # social C1 C3; environment C1 C6; all four: C1 only; any: every client.
    assert s["pct_improved_physical"] == pytest.approx(600 / 7)
    assert s["pct_improved_psychological"] == pytest.approx(400 / 7)
    assert s["pct_improved_social"] == pytest.approx(200 / 7)
    assert s["pct_improved_environment"] == pytest.approx(200 / 7)
    assert s["pct_improved_all_domains"] == pytest.approx(100 / 7)
    assert s["pct_improved_any_domain"] == pytest.approx(100.0)
    # mean change of physical: level changes 1,1,1,1,1,0,3 -> 8 * 25 / 7
    assert s["mean_change_physical"] == pytest.approx(200 / 7)
    assert s["mean_change_social"] == pytest.approx((1 + 0 + 1 + 0 + 0 + 0 - 1) * 25 / 7)


def test_headline_override():
    pre, post = seven()
    assert compare(INST, pre, post, headline="physical").summary["n_improved"].iloc[0] == 6
    assert compare(INST, pre, post, headline="all_domains").summary["n_improved"].iloc[0] == 1
    any_ = compare(INST, pre, post, headline="any_domain")
    assert any_.summary["n_improved"].iloc[0] == 7
    assert any_.pairs["headline_pre"].isna().all()
    with pytest.raises(ValueError):
        compare(INST, pre, post, headline="index")  # WHOQOL-BREF has no index
    with pytest.raises(ValueError):
        compare(INST, pre, post, headline="nonsense")


def test_float_noise_tie_is_a_tie():
    # keyed sums pre: physical 7/7, psychological 13/6, social 6/3, environment 24/8;
    # post: physical 14/7, psychological 7/6: physical +25, psychological -25 points, so
    # the mean of the four domains is mathematically unchanged, but in floating point
    # the post mean comes out 3.6e-15 larger.
    psych_pre = {"q5": 3, "q6": 2, "q7": 2, "q11": 2, "q19": 2, "q26": 2}
    pre = wave([answers((1, 2, 2, 3), keyed=psych_pre)] * 6, [f"P{i}" for i in range(6)])
    psych_post = {"q5": 2, "q6": 1, "q7": 1, "q11": 1, "q19": 1, "q26": 1}
    post = wave([answers((2, 1, 2, 3), keyed=psych_post)] * 6, [f"P{i}" for i in range(6)])
    c = compare(INST, pre, post)
    p = c.pairs
    assert p["headline_post"].iloc[0] > p["headline_pre"].iloc[0]  # the float noise is really there
    assert p["headline_post"].iloc[0] == pytest.approx(p["headline_pre"].iloc[0], abs=1e-12)
    assert not p["improved"].any()
    assert c.summary["n_improved"].iloc[0] == 0


def test_id_normalisation_pairs_and_duplicate_reported():
    rows = [answers((2, 2, 2, 2))] * 6
    pre = wave(rows, pd.Series(["007", "K007", " 8 ", "9", "5", "05"], dtype=object))
    post = wave([answers((3, 3, 3, 3))] * 5, pd.Series([7.0, "k007", 8, "9.0", "5"], dtype=object))
    c = compare(INST, pre, post)
    assert sorted(c.pairs["id_normalized"]) == ["7", "8", "9", "k007"]
    assert c.summary["n_pairs"].iloc[0] == 4
    assert c.summary["n_duplicate"].iloc[0] == 2
    u = c.unmatched
    dup = u[u["reason"] == "duplicate_id"]
    assert list(dup["respondent_id"]) == ["5", "05"] and (dup["wave"] == "pre").all()
    assert list(dup["detail"]) == ["5, 6", "5, 6"]
    assert u.loc[u["wave"] == "post", "reason"].tolist() == ["duplicate_in_other_wave"]
    iss = c.issues[c.issues["code"] == "duplicate_id"]
    assert len(iss) == 2 and (iss["wave"] == "pre").all()
    # the id as written in pre is shown
    assert set(c.pairs["respondent_id"]) == {"007", "K007", " 8 ", "9"}


def test_normalize_ids_unit():
    got = normalize_ids(
        ["007", 7, 7.0, " 7 ", "7.0", "K007", "k007", "7.5", 7.5, None, np.nan, "", "  ", "000"]
    )
    assert list(got) == [
        "7",
        "7",
        "7",
        "7",
        "7",
        "k007",
        "k007",
        "7.5",
        "7.5",
        None,
        None,
        None,
        None,
        "0",
    ]
    assert list(normalize_ids(pd.Series([1.0, np.nan]))) == ["1", None]
    assert list(normalize_ids(pd.Series([3, 4]))) == ["3", "4"]


def test_rejected_in_post_excluded_and_listed():
    pre, post = seven()
    # C5 answers only 20 of 26 items at post (< 21): rejected, out of the denominator
    for it in ["q5", "q8", "q12", "q16", "q20", "q23"]:
        post.loc[4, it] = np.nan
    c = compare(INST, pre, post)
    s = c.summary.iloc[0]
    assert s["n_pairs"] == 6
    assert s["n_rejected_post"] == 1 and s["n_rejected_pre"] == 0
    assert s["n_improved"] == 5  # C5 (improved) is gone: 5 of 6
    assert s["share_text"] == "5 dari 6 = 83.33%"
    assert "C5" not in set(c.pairs["respondent_id"])
    u = c.unmatched[c.unmatched["respondent_id"] == "C5"].set_index("wave")
    assert u.loc["post", "reason"] == "rejected" and u.loc["post", "detail"] == "too_many_missing"
    assert u.loc["pre", "reason"] == "rejected_in_other_wave" and u.loc["pre", "detail"] == "post"
    codes = set(c.issues["code"])
    assert {"rejected_in_other_wave", "too_many_missing", "unmatched"} <= codes
    assert c.issues.loc[c.issues["code"] == "too_many_missing", "wave"].tolist() == ["post"]


def test_three_waves_first_with_last():
    w1 = wave(
        [answers((2, 2, 2, 2)), answers((2, 2, 2, 2)), answers((3, 3, 3, 3))], ["A", "B", "X"]
    )
    w2 = wave(
        [answers((5, 5, 5, 5)), answers((1, 1, 1, 1)), answers((4, 4, 4, 4))], ["A", "B", "C"]
    )
    w3 = wave(
        [answers((3, 3, 3, 3)), answers((2, 2, 2, 2)), answers((2, 2, 2, 2))], ["A", "C", "D"]
    )
    c = compare(INST, waves=[w1, w2, w3])
    p = c.pairs.set_index("respondent_id")
    assert set(p.index) == {"A", "B", "C"}
    # A: w1 25 -> w3 50 (w2's 100 is shown, not compared)
    assert p.loc["A", "wave_first"] == "w1" and p.loc["A", "wave_last"] == "w3"
    assert p.loc["A", "headline_pre"] == pytest.approx(25) and p.loc[
        "A", "headline_post"
    ] == pytest.approx(50)
    assert p.loc["A", "physical_w2"] == pytest.approx(100)
    # B: only w1 and w2: 25 -> 0, not improved; C: w2 75 -> w3 25
    assert p.loc["B", "wave_last"] == "w2" and p.loc["B", "change_headline"] == pytest.approx(-25)
    assert math.isnan(p.loc["B", "physical_w3"])
    assert p.loc["C", "wave_first"] == "w2" and p.loc["C", "headline_post"] == pytest.approx(25)
    s = c.summary.iloc[0]
    assert s["n_pairs"] == 3 and s["n_improved"] == 1
    assert s["n_unmatched_w1"] == 1 and s["n_unmatched_w3"] == 1 and s["n_unmatched_w2"] == 0
    named = compare(INST, waves={"awal": w1, "tengah": w2, "akhir": w3})
    assert "physical_tengah" in named.pairs.columns and "n_unmatched_akhir" in named.summary.columns


def test_stats_equal_scipy_and_too_few_pairs():
    pre = pd.read_csv(SAMPLE / "pre.csv")
    post = pd.read_csv(SAMPLE / "post.csv")
    c = compare(INST, pre, post, id_column="id_klien")
    p = c.pairs
    stats = c.stats.set_index("score")
    for d in list(DOMAINS) + ["mean_of_domains"]:
        a = p[f"{d}_pre"].to_numpy() if d != "mean_of_domains" else p["headline_pre"].to_numpy()
        b = p[f"{d}_post"].to_numpy() if d != "mean_of_domains" else p["headline_post"].to_numpy()
        row = stats.loc[d]
        assert row["n"] == len(p)
        assert row["t_p"] == pytest.approx(st.ttest_rel(b, a).pvalue, rel=1e-12)
        method = "exact" if row["wilcoxon_method"] == "exact" else "asymptotic"
        w = st.wilcoxon(b, a, method=method)
        assert row["wilcoxon_p"] == pytest.approx(w.pvalue, rel=1e-12)
        assert row["wilcoxon_stat"] == pytest.approx(w.statistic)
        assert row["mean_change"] == pytest.approx(np.mean(b - a))
    assert stats.loc["mean_of_domains", "headline"]
    assert c.summary["headline_t_p"].iloc[0] == pytest.approx(stats.loc["mean_of_domains", "t_p"])

    pre7, post7 = seven()
    few = compare(INST, pre7, post7, min_pairs=10, lang="en")
    assert (few.stats["note"] == "too_few_pairs").all()
    assert few.stats["t_p"].isna().all() and (few.stats["n"] == 7).all()
    assert "too few pairs" in few.stats["note_text"].iloc[0]
    # default minimum of the definition is 5 pairs: 3 pairs are too few
    three = compare(INST, pre7.iloc[:3], post7.iloc[:3])
    assert (three.stats["note"] == "too_few_pairs").all()
    assert three.summary["pct_improved"].iloc[0] == pytest.approx(
        200 / 3
    )  # C1, C2 improved, C3 tie: still reported


def test_group_summaries_from_post_wave():
    # C4 moves from unit B (pre) to unit A (post): counted in A
    pre, post = seven(
        pre_extra={"unit": ["A", "A", "A", "B", "B", "B", "B", "B"]},
        post_extra={"unit": ["A", "A", "A", "A", "B", "B", "B", "A"]},
    )
    c = compare(INST, pre, post, group_by="unit")
    s = c.summary.set_index("unit")
    assert list(s.index) == ["(semua)", "A", "B"]
    assert s.loc["(semua)", "n_pairs"] == 7 and s.loc["(semua)", "n_improved"] == 6
    # A: C1 C2 C3 C4 -> improved C1 C2 C4 (C3 tie); B: C5 C6 C7 all improved
    assert s.loc["A", "n_pairs"] == 4 and s.loc["A", "n_improved"] == 3
    assert s.loc["A", "share_text"] == "3 dari 4 = 75.00%"
    assert s.loc["B", "n_pairs"] == 3 and s.loc["B", "pct_improved"] == pytest.approx(100.0)
    # unmatched rows are counted in the group of their own wave: H (pre, B), I (post, A)
    assert s.loc["B", "n_unmatched_pre"] == 1 and s.loc["A", "n_unmatched_pre"] == 0
    assert s.loc["A", "n_unmatched_post"] == 1
    assert c.pairs.set_index("respondent_id").loc["C4", "unit"] == "A"


def test_sample_files():
    pre = pd.read_csv(SAMPLE / "pre.csv")
    post = pd.read_csv(SAMPLE / "post.csv")
    c = compare(
        INST, pre, post, group_by="unit"
    )  # id_klien found through the definition's id aliases
    s = c.summary.iloc[0]
    assert (len(pre), len(post)) == (30, 30)
    assert s["n_pairs"] == 28
    assert s["n_unmatched_pre"] == 1 and s["n_unmatched_post"] == 1 and s["n_rejected_post"] == 1
    assert s["n_improved"] == 22 and s["share_text"] == "22 dari 28 = 78.57%"
    u = c.unmatched.set_index(["respondent_id", "wave"])["reason"]
    assert u[("K030", "pre")] == "unmatched" and u[("K031", "post")] == "unmatched"
    assert u[("K015", "post")] == "rejected" and u[("K015", "pre")] == "rejected_in_other_wave"
    assert "k007" in set(c.pairs["id_normalized"])  # "k007 " in post pairs with "K007"
    assert len(c.summary) == 3
    # every row of every wave is either in a pair or listed in unmatched
    for name, df in (("pre", pre), ("post", post)):
        listed = (c.unmatched["wave"] == name).sum()
        assert len(df) == s["n_pairs"] + listed


def test_no_id_column_is_an_input_error():
    import indeks

    pre, post = seven()
    with pytest.raises(indeks.ScoringInputError):
        compare(INST, pre.drop(columns="id"), post)
    with pytest.raises(indeks.ScoringInputError):
        compare(INST, pre, post, id_column="kode_x")


def test_multi_form_instrument_pairs_within_form_and_all_any_use_own_domains():
    folder = SAMPLE.parent / "dektara"
    if not (folder / "pre.csv").exists():
        pytest.skip("DEKTARA sample not present")
    pre, post = pd.read_csv(folder / "pre.csv"), pd.read_csv(folder / "post.csv")
    c = compare("dektara", pre, post)
    p = c.pairs
    assert "form" in p.columns and p["form"].nunique() == 2
    inst = c.instrument
    for form, sub in p.groupby("form"):
        own = [
            d
            for d in inst.prepost.domains
            if any(inst.item(i).form == form for i in inst.domain(d).items)
        ]
        flags = sub[[f"improved_{d}" for d in own]].astype(bool)
        assert (sub["improved_all_domains"].astype(bool) == flags.all(axis=1)).all()
        assert (sub["improved_any_domain"].astype(bool) == flags.any(axis=1)).all()
    s = c.summary.iloc[0]
    assert s["pct_improved_any_domain"] == pytest.approx(
        100 * p["improved_any_domain"].sum() / len(p)
    )
    assert c.meta["provisional_warning"]


def test_compare_measures_one_list_for_terminal_and_web_page():
    from indeks.present import compare_measures

    cols = ["mean_change_phys", "n_duplicate", "pct_improved_phys", "share_text", "n_pairs", "x"]
    assert compare_measures(cols, {"phys": "Fisik"}, "en") == [
        ("n_pairs", "Pairs"),
        ("n_duplicate", "Duplicate ids"),
        ("share_text", "Improved (headline rule)"),
        ("pct_improved_phys", "% improved: Fisik"),
        ("mean_change_phys", "Mean change: Fisik"),
    ]
    assert compare_measures(["pct_improved_psych"], {}, "id") == [
        ("pct_improved_psych", "% membaik: psych")
    ]


def test_row_mean_is_numpys_mean_over_stacked_columns_bit_for_bit():
    from indeks.scoring.compare import _row_mean

    rng = np.random.default_rng(3)
    values = [0.0, -0.0, np.nan, 0.1, 1 / 3, 2.5, -7.25, 1e-300, 93.75, 6.25, 100.0, 1e16]
    for k in range(1, 11):
        for _ in range(40):
            cols = [rng.choice(values, size=60) for _ in range(k)]
            want = np.column_stack(cols).mean(axis=1)
            assert _row_mean(cols, 60).view("int64").tolist() == want.view("int64").tolist()


# --------------------------------------------------------------------------- arithmetic
_SCORE = hst.floats(allow_nan=True, allow_infinity=True)


def _improved_reference(pre, post, strict):
    """The rule as first written: improved when post - pre passes a relative tolerance."""
    from indeks.scoring.compare import _REL_TOL

    pre, post = np.asarray(pre, dtype="float64"), np.asarray(post, dtype="float64")
    valid = ~(np.isnan(pre) | np.isnan(post))
    with np.errstate(invalid="ignore", over="ignore"):
        diff = post - pre
        tol = _REL_TOL * np.maximum(1.0, np.maximum(np.abs(pre), np.abs(post)))
        up = diff > tol if strict else diff >= -tol
    return np.where(valid, up.astype("float64"), np.nan)


@given(hst.lists(hst.tuples(_SCORE, _SCORE), max_size=40), hst.booleans())
def test_improved_is_the_reference_rule_bit_for_bit(pairs, strict):
    from indeks.scoring.compare import _improved

    pre = np.array([a for a, _ in pairs], dtype="float64")
    post = np.array([b for _, b in pairs], dtype="float64")
    with np.errstate(over="ignore"):
        got = _improved(pre, post, strict)
    want = _improved_reference(pre, post, strict)
    assert got.tobytes() == want.tobytes()
