"""Tests of indeks.scoring.stats (paired pre/post statistics)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sst

from indeks.scoring.stats import paired_statistics, share_improved

KEYS = {
    "n",
    "mean_pre",
    "mean_post",
    "mean_change",
    "sd_change",
    "ci_low",
    "ci_high",
    "t",
    "t_df",
    "t_p",
    "wilcoxon_stat",
    "wilcoxon_p",
    "wilcoxon_method",
    "cohens_dz",
    "wilcoxon_r",
    "note",
    "note_text",
}


def _random_pairs(n, seed, shift=0.4, decimals=None):
    rng = np.random.default_rng(seed)
    pre = rng.normal(50, 10, n)
    post = pre + rng.normal(shift * 10, 8, n)
    if decimals is not None:
        pre, post = np.round(pre, decimals), np.round(post, decimals)
    return pre, post


def test_keys_and_types():
    pre, post = _random_pairs(30, 0)
    r = paired_statistics(pre, post)
    assert set(r) == KEYS
    assert r["n"] == 30 and isinstance(r["n"], int)
    assert r["note"] == "" and r["note_text"] == ""
    assert r["t_df"] == 29


@pytest.mark.parametrize("n,seed", [(8, 1), (20, 2), (50, 3), (51, 4), (300, 5)])
def test_t_and_wilcoxon_equal_scipy(n, seed):
    pre, post = _random_pairs(n, seed)
    r = paired_statistics(pre, post)
    tt = sst.ttest_rel(post, pre)
    assert r["t"] == pytest.approx(tt.statistic, abs=1e-12, rel=1e-12)
    assert r["t_p"] == pytest.approx(tt.pvalue, abs=1e-12)
    assert r["t_df"] == n - 1
    # continuous data: no ties, no zeros -> exact up to 50 pairs, approx beyond
    expected_method = "exact" if n <= 50 else "approx"
    assert r["wilcoxon_method"] == expected_method
    w = sst.wilcoxon(post, pre, method="exact" if n <= 50 else "asymptotic")
    assert r["wilcoxon_stat"] == pytest.approx(w.statistic, abs=1e-12)
    assert r["wilcoxon_p"] == pytest.approx(w.pvalue, abs=1e-12)
    # scipy's own "auto" picks the same as we report
    w_auto = sst.wilcoxon(post, pre)
    assert r["wilcoxon_p"] == pytest.approx(w_auto.pvalue, abs=1e-12)
    d = post - pre
    assert r["mean_change"] == pytest.approx(d.mean(), abs=1e-12)
    assert r["sd_change"] == pytest.approx(d.std(ddof=1), abs=1e-12)
    assert r["cohens_dz"] == pytest.approx(d.mean() / d.std(ddof=1), abs=1e-12)
    assert r["mean_pre"] == pytest.approx(pre.mean()) and r["mean_post"] == pytest.approx(
        post.mean()
    )


def test_ci_hand_computed():
    pre = np.array([10.0, 12, 9, 14, 11, 13, 8, 10])
    post = np.array([12.0, 15, 9, 13, 14, 16, 10, 13])
    d = post - pre  # 2 3 0 -1 3 3 2 3
    n = 8
    mean = d.mean()  # 15/8 = 1.875
    assert mean == 1.875
    sd = d.std(ddof=1)
    half = sst.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    r = paired_statistics(pre, post)
    assert r["ci_low"] == pytest.approx(mean - half, abs=1e-12)
    assert r["ci_high"] == pytest.approx(mean + half, abs=1e-12)
    r90 = paired_statistics(pre, post, confidence=0.90)
    half90 = sst.t.ppf(0.95, n - 1) * sd / math.sqrt(n)
    assert r90["ci_low"] == pytest.approx(mean - half90, abs=1e-12)
    assert r90["ci_high"] - r90["ci_low"] < r["ci_high"] - r["ci_low"]


def test_too_few_pairs_all_nan_and_texts():
    pre = [1, 2, 3, np.nan, 5]
    post = [2, 2, np.nan, 4, 6]
    r = paired_statistics(pre, post, min_n=5)
    assert r["n"] == 3
    assert r["note"] == "too_few_pairs"
    assert r["note_text"] == "terlalu sedikit pasangan (n=3 < 5)"
    for k in KEYS - {"n", "note", "note_text", "wilcoxon_method"}:
        assert math.isnan(r[k]), k
    assert r["wilcoxon_method"] == ""
    en = paired_statistics(pre, post, min_n=5, lang="en")
    assert en["note_text"] == "too few pairs (n=3 < 5)"
    ok = paired_statistics(pre, post, min_n=3)
    assert ok["n"] == 3 and ok["note"] != "too_few_pairs"


def test_nan_pairs_dropped_listwise():
    pre = np.array([1, 2, np.nan, 4, 5, 6, 7, 8.5])
    post = np.array([2, np.nan, 3, 5, 5.5, 8, 6, 9])
    r = paired_statistics(pre, post)
    keep = ~(np.isnan(pre) | np.isnan(post))
    assert r["n"] == 6
    tt = sst.ttest_rel(post[keep], pre[keep])
    assert r["t"] == pytest.approx(tt.statistic, abs=1e-12)
    # pandas nullable input and None are accepted too
    r2 = paired_statistics(pd.Series(pre), [None if np.isnan(v) else v for v in post])
    assert r2["n"] == 6 and r2["t"] == pytest.approx(r["t"], abs=1e-12)


def test_length_mismatch_raises():
    with pytest.raises(ValueError):
        paired_statistics([1, 2, 3], [1, 2])


def test_ties_and_zeros_use_approx_and_match_scipy():
    # Likert-like data with zero differences and tied |d|
    pre = np.array([3, 2, 4, 3, 1, 2, 3, 4, 2, 3, 3, 2], dtype=float)
    post = np.array([4, 3, 4, 5, 2, 2, 4, 3, 4, 3, 5, 3], dtype=float)
    r = paired_statistics(pre, post)
    assert r["wilcoxon_method"] == "approx"
    w = sst.wilcoxon(post, pre, method="asymptotic")
    assert r["wilcoxon_p"] == pytest.approx(w.pvalue, abs=1e-12)
    assert r["wilcoxon_stat"] == pytest.approx(w.statistic, abs=1e-12)
    # Z from the normal approximation, sign of the change (post mostly higher)
    assert r["wilcoxon_r"] == pytest.approx(abs(w.zstatistic) / math.sqrt(12), abs=1e-12)
    assert r["wilcoxon_r"] > 0
    assert r["note"] == ""


def test_wilcoxon_r_exact_from_p_value_and_sign():
    pre, post = _random_pairs(15, 11, shift=-0.5)
    r = paired_statistics(pre, post)
    assert r["wilcoxon_method"] == "exact"
    z = sst.norm.isf(r["wilcoxon_p"] / 2)
    d = post - pre
    ranks = sst.rankdata(np.abs(d))
    sign = np.sign(ranks[d > 0].sum() - ranks[d < 0].sum())
    assert sign < 0
    assert r["wilcoxon_r"] == pytest.approx(sign * z / math.sqrt(15), abs=1e-12)
    assert -1 <= r["wilcoxon_r"] <= 1


def test_all_changes_zero_no_warning_no_exception():
    x = [3.0, 4.0, 2.0, 5.0, 1.0, 3.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = paired_statistics(x, x)
    assert r["n"] == 6
    assert r["mean_change"] == 0 and r["sd_change"] == 0
    for k in ("t", "t_p", "wilcoxon_stat", "wilcoxon_p", "cohens_dz", "wilcoxon_r"):
        assert math.isnan(r[k]), k
    assert r["note"] == "no_change"
    assert "nol" in r["note_text"]
    assert r["wilcoxon_method"] == ""


def test_constant_nonzero_change():
    pre = np.array([1.0, 2, 3, 4, 5, 6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = paired_statistics(pre, pre + 2)
    assert r["note"] == "constant_change"
    assert math.isnan(r["t"]) and math.isnan(r["t_p"]) and math.isnan(r["cohens_dz"])
    assert r["ci_low"] == r["ci_high"] == 2.0
    # the Wilcoxon test is still defined (all differences tied and positive)
    assert r["wilcoxon_method"] == "approx"
    assert r["wilcoxon_p"] == pytest.approx(sst.wilcoxon(pre + 2, pre, method="asymptotic").pvalue)
    assert r["wilcoxon_r"] > 0


def test_invalid_arguments():
    with pytest.raises(ValueError):
        paired_statistics([1, 2, 3, 4, 5], [2, 3, 4, 5, 6], confidence=1.0)
    with pytest.raises(ValueError):
        paired_statistics([1, 2, 3, 4, 5], [2, 3, 4, 5, 6], lang="fr")


_vals = st.integers(min_value=-40, max_value=40).map(lambda v: v / 4)  # exact in binary


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(st.tuples(_vals, _vals), min_size=5, max_size=40),
    shift=st.integers(min_value=-100, max_value=100).map(lambda v: v / 4),
)
def test_shift_invariance(data, shift):
    pre = np.array([p for p, _ in data])
    post = np.array([q for _, q in data])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        base = paired_statistics(pre, post)
        moved = paired_statistics(pre + shift, post + shift)
    for k in KEYS - {"mean_pre", "mean_post"}:
        a, b = base[k], moved[k]
        if isinstance(a, float) and math.isnan(a):
            assert isinstance(b, float) and math.isnan(b), k
        elif isinstance(a, float):
            assert b == pytest.approx(a, rel=1e-9, abs=1e-12), k
        else:
            assert a == b, k
    assert moved["mean_pre"] == pytest.approx(base["mean_pre"] + shift)
    assert moved["mean_post"] == pytest.approx(base["mean_post"] + shift)


# ---------------------------------------------------------------- share_improved


def test_share_improved_hand_vector():
    pre = [50, 60, 55, 70, 40, 65, 80]
    post = [55, 62, 60, 71, 45, 70, 80]  # last pair tied -> not improved
    n_imp, n, pct = share_improved(pre, post)
    assert (n_imp, n) == (6, 7)
    assert pct == pytest.approx(85.71428571428571, abs=1e-12)
    assert pct == pytest.approx(600 / 7)
    # not strict: the tie counts
    assert share_improved(pre, post, strict=False) == (7, 7, 100.0)


def test_share_improved_missing_and_decline():
    pre = [1.0, np.nan, 3.0, 4.0, 5.0]
    post = [2.0, 5.0, np.nan, 3.0, 5.0]
    assert share_improved(pre, post) == (1, 3, pytest.approx(100 / 3))
    n_imp, n, pct = share_improved([np.nan], [1.0])
    assert (n_imp, n) == (0, 0) and math.isnan(pct)
    n_imp, n, pct = share_improved([], [])
    assert (n_imp, n) == (0, 0) and math.isnan(pct)
