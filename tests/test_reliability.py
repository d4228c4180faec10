"""Tests of indeks.scoring.reliability (alpha, Feldt CI, omega, item table)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import optimize
from scipy import stats as sst

from indeks.scoring.reliability import cronbach_alpha, omega_total, reliability_table

TOP_KEYS = {
    "n_used",
    "n_ci",
    "n_items",
    "missing_handling",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "omega_total",
    "items",
    "note",
    "note_text",
}
ITEM_COLUMNS = ["item", "n", "mean", "sd", "corrected_item_total_r", "alpha_if_deleted"]


def one_factor_data(n, loadings, seed, scales=None):
    """Standardised items x_i = l_i f + sqrt(1 - l_i^2) e_i, optionally rescaled."""
    rng = np.random.default_rng(seed)
    lam = np.asarray(loadings, dtype=float)
    f = rng.normal(size=n)
    x = f[:, None] * lam + rng.normal(size=(n, lam.size)) * np.sqrt(1 - lam**2)
    if scales is not None:
        x = x * np.asarray(scales, dtype=float)
    return pd.DataFrame(x, columns=[f"i{j + 1}" for j in range(lam.size)])


def likert(df, seed=0):
    """Map continuous items to 1..5 (shifted, scaled, rounded and clipped)."""
    return (df * 1.0 + 3).round().clip(1, 5)


# ------------------------------------------------------------------ hand example

HAND = pd.DataFrame(
    {
        "i1": [4, 3, 5, 2, 4],
        "i2": [5, 3, 5, 3, 4],
        "i3": [4, 4, 5, 2, 3],
    }
)


def test_alpha_textbook_hand_computation():
    # Step by step (ddof = 1):
    # i1 = 4 3 5 2 4, mean 3.6, squared deviations .16 .36 1.96 2.56 .16 = 5.2 -> var 1.3
    # i2 = 5 3 5 3 4, mean 4.0, squared deviations 1 1 1 1 0            = 4.0 -> var 1.0
    # i3 = 4 4 5 2 3, mean 3.6, squared deviations .16 .16 1.96 2.56 .36 = 5.2 -> var 1.3
    # sum of item variances = 3.6
    # totals = 13 10 15 7 11, mean 11.2, squared deviations
    #          3.24 1.44 14.44 17.64 0.04 = 36.8 -> var 9.2
    # alpha = k/(k-1) * (1 - 3.6/9.2) = 1.5 * 5.6/9.2 = 8.4/9.2 = 21/23 = 0.91304347826...
    k = 3
    by_formula = k / (k - 1) * (1 - HAND.var(ddof=1).sum() / HAND.sum(axis=1).var(ddof=1))
    assert by_formula == pytest.approx(21 / 23, abs=1e-12)
    assert cronbach_alpha(HAND) == pytest.approx(21 / 23, abs=1e-12)
    assert cronbach_alpha(HAND, missing="pairwise") == pytest.approx(21 / 23, abs=1e-12)
    t = reliability_table(HAND)
    assert set(t) == TOP_KEYS
    assert t["alpha"] == pytest.approx(21 / 23, abs=1e-12)
    assert t["n_used"] == 5 and t["n_items"] == 3 and t["missing_handling"] == "listwise"
    assert t["note"] == "" and t["note_text"] == ""
    items = t["items"]
    assert list(items.columns) == ITEM_COLUMNS
    assert list(items["item"]) == ["i1", "i2", "i3"]
    assert items["mean"].tolist() == pytest.approx([3.6, 4.0, 3.6])
    assert items["sd"].tolist() == pytest.approx([math.sqrt(1.3), 1.0, math.sqrt(1.3)])


def test_feldt_ci_hand_formula():
    t = reliability_table(HAND, confidence=0.95)
    a, n, k = 21 / 23, 5, 3
    lo = 1 - (1 - a) * sst.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    hi = 1 - (1 - a) * sst.f.ppf(0.025, n - 1, (n - 1) * (k - 1))
    assert t["alpha_ci_low"] == pytest.approx(lo, abs=1e-12)
    assert t["alpha_ci_high"] == pytest.approx(hi, abs=1e-12)
    assert t["alpha_ci_low"] < t["alpha"] < t["alpha_ci_high"]


# ------------------------------------------------------------------ pingouin


@pytest.mark.parametrize("seed,n,k", [(1, 40, 4), (2, 200, 6), (3, 15, 3), (4, 1000, 8)])
def test_alpha_and_ci_equal_pingouin_complete_data(seed, n, k):
    df = likert(one_factor_data(n, np.linspace(0.8, 0.4, k), seed))
    t = reliability_table(df)
    pa, pci = pg.cronbach_alpha(df, nan_policy="listwise")
    assert t["alpha"] == pytest.approx(pa, abs=1e-10)
    assert cronbach_alpha(df) == pytest.approx(pa, abs=1e-10)
    # pingouin rounds its CI to 3 decimals
    assert abs(t["alpha_ci_low"] - pci[0]) <= 0.0005 + 1e-12
    assert abs(t["alpha_ci_high"] - pci[1]) <= 0.0005 + 1e-12
    # 90% interval as well
    _, pci90 = pg.cronbach_alpha(df, ci=0.90)
    t90 = reliability_table(df, confidence=0.90)
    assert abs(t90["alpha_ci_low"] - pci90[0]) <= 0.0005 + 1e-12
    assert abs(t90["alpha_ci_high"] - pci90[1]) <= 0.0005 + 1e-12


def test_missing_listwise_and_pairwise_match_pingouin_alpha():
    df = likert(one_factor_data(120, [0.8, 0.7, 0.6, 0.5], 7))
    rng = np.random.default_rng(8)
    mask = rng.random(df.shape) < 0.08
    df = df.mask(mask)
    assert df.isna().any(axis=1).sum() > 10
    complete = df.dropna()

    lw = reliability_table(df, missing="listwise")
    assert lw["n_used"] == len(complete) == lw["n_ci"]
    assert lw["alpha"] == pytest.approx(pg.cronbach_alpha(df, nan_policy="listwise")[0], abs=1e-10)
    assert lw["alpha"] == pytest.approx(cronbach_alpha(complete), abs=1e-12)
    # pingouin's listwise CI uses the row count *before* dropping incomplete rows,
    # so the interval is compared with the Feldt formula on the rows actually used.
    n, k, a = len(complete), 4, lw["alpha"]
    assert lw["alpha_ci_low"] == pytest.approx(
        1 - (1 - a) * sst.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    )
    assert lw["items"]["n"].tolist() == [n] * 4

    pw = reliability_table(df, missing="pairwise")
    assert pw["missing_handling"] == "pairwise"
    assert pw["alpha"] == pytest.approx(pg.cronbach_alpha(df, nan_policy="pairwise")[0], abs=1e-10)
    assert cronbach_alpha(df, missing="pairwise") == pytest.approx(pw["alpha"], abs=1e-12)
    assert pw["n_used"] == int(df.notna().any(axis=1).sum())
    present = df.notna().to_numpy(dtype=int)
    pair_n = present.T @ present
    assert pw["n_ci"] == pair_n[np.triu_indices(4, 1)].min()
    assert pw["items"]["mean"].tolist() == pytest.approx(df.mean().tolist())
    assert pw["alpha"] != pytest.approx(lw["alpha"], abs=1e-6)


def test_unknown_missing_policy_raises():
    with pytest.raises(ValueError):
        cronbach_alpha(HAND, missing="mean")
    with pytest.raises(ValueError):
        reliability_table(HAND, missing="impute")


# ------------------------------------------------------------------ item table


def test_alpha_if_deleted_and_corrected_item_total_r():
    df = likert(one_factor_data(150, [0.8, 0.7, 0.6, 0.5, 0.2], 11))
    t = reliability_table(df)
    items = t["items"].set_index("item")
    for col in df.columns:
        rest = df.drop(columns=col)
        assert items.loc[col, "alpha_if_deleted"] == pytest.approx(cronbach_alpha(rest), abs=1e-12)
        r = np.corrcoef(df[col].to_numpy(), rest.sum(axis=1).to_numpy())[0, 1]
        assert items.loc[col, "corrected_item_total_r"] == pytest.approx(r, abs=1e-12)
        assert items.loc[col, "mean"] == pytest.approx(df[col].mean())
        assert items.loc[col, "sd"] == pytest.approx(df[col].std(ddof=1))
    # the weakest item correlates least with the rest
    assert items["corrected_item_total_r"].idxmin() == "i5"


def test_two_items_alpha_if_deleted_nan_and_no_omega():
    df = likert(one_factor_data(60, [0.8, 0.7], 12))
    t = reliability_table(df, lang="en")
    assert np.isfinite(t["alpha"])
    assert t["items"]["alpha_if_deleted"].isna().all()
    assert math.isnan(t["omega_total"])
    assert t["note"] == "omega_needs_3_items"
    assert "at least 3 items" in t["note_text"]


# ------------------------------------------------------------------ degenerate input


@pytest.mark.parametrize(
    "frame,code",
    [
        (HAND[["i1"]], "too_few_items"),
        (pd.DataFrame(), "too_few_items"),
        (HAND.iloc[:1], "too_few_rows"),
        (HAND.assign(i2=[np.nan, np.nan, np.nan, np.nan, 4]).iloc[3:], "too_few_rows"),
    ],
)
def test_too_few_items_or_rows_gives_nan_and_note(frame, code):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = reliability_table(frame)
        a = cronbach_alpha(frame)
    assert math.isnan(a)
    assert t["note"] == code
    for key in ("alpha", "alpha_ci_low", "alpha_ci_high", "omega_total"):
        assert math.isnan(t[key])
    assert list(t["items"].columns) == ITEM_COLUMNS
    assert t["note_text"].startswith("terlalu sedikit")
    en = reliability_table(frame, lang="en")
    assert en["note_text"].startswith("too few")


def test_zero_variance_does_not_warn():
    frame = pd.DataFrame({"a": [3, 3, 3, 3], "b": [3, 3, 3, 3], "c": [3, 3, 3, 3]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = reliability_table(frame)
    assert math.isnan(t["alpha"]) and math.isnan(t["omega_total"])
    assert t["note"] == "zero_variance"


# ------------------------------------------------------------------ omega


def _ml_discrepancy_omega(df):
    """Independent check: minimise the full ML discrepancy over (lambda, log psi)."""
    c = np.cov(df.to_numpy(), rowvar=False)
    p = c.shape[0]
    _, logdet_s = np.linalg.slogdet(c)

    def f(theta):
        lam, psi = theta[:p], np.exp(theta[p:])
        sigma = np.outer(lam, lam) + np.diag(psi)
        sign, logdet = np.linalg.slogdet(sigma)
        if sign <= 0:
            return 1e10
        return logdet + np.trace(c @ np.linalg.inv(sigma)) - logdet_s - p

    start = np.concatenate([np.sqrt(np.diag(c)) * 0.5, np.log(np.diag(c) * 0.5)])
    res = optimize.minimize(f, start, method="BFGS", options={"gtol": 1e-10, "maxiter": 10000})
    lam, psi = res.x[:p], np.exp(res.x[p:])
    return lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum())


def test_omega_recovers_theoretical_value():
    lam = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    theory = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())  # 9 / (9 + 3.1)
    df = one_factor_data(40_000, lam, 21)
    t = reliability_table(df)
    assert 0 < t["omega_total"] < 1
    assert t["omega_total"] == pytest.approx(theory, abs=0.02)
    assert omega_total(df) == pytest.approx(t["omega_total"], abs=1e-12)
    # congeneric items (equal loadings would make omega == alpha): omega >= alpha here
    assert t["omega_total"] >= t["alpha"] - 1e-3


def test_omega_on_covariance_scale_with_unequal_item_scales():
    # item i has loading lam_i * s_i and uniqueness (1 - lam_i^2) s_i^2 on the raw scale
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    s = np.array([1.0, 2.0, 0.5, 3.0])
    theory = (lam * s).sum() ** 2 / ((lam * s).sum() ** 2 + ((1 - lam**2) * s**2).sum())
    df = one_factor_data(40_000, lam, 22, scales=s)
    om = reliability_table(df)["omega_total"]
    assert om == pytest.approx(theory, abs=0.02)


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_omega_equals_direct_ml_fit(seed):
    df = likert(one_factor_data(250, [0.8, 0.6, 0.5, 0.4, 0.3], seed))
    assert reliability_table(df)["omega_total"] == pytest.approx(
        _ml_discrepancy_omega(df), abs=1e-4
    )


# ------------------------------------------------------------------ reverse keying


def test_unreversed_negative_item_lowers_alpha():
    rng = np.random.default_rng(41)
    n = 500
    true = rng.uniform(1, 5, n)

    def item(values):
        return np.clip(np.round(values + rng.normal(0, 0.6, n)), 1, 5)

    raw = pd.DataFrame(
        {
            "item1": item(true),
            "item2": item(true),
            "item3": item(6 - true),  # reverse-worded item
            "item4": item(true),
        }
    )
    reversed_ = raw.assign(item3=6 - raw["item3"])  # declared scale 1..5: min + max - x
    a_ok = cronbach_alpha(reversed_)
    a_bad = cronbach_alpha(raw)
    assert a_ok > 0.85
    assert a_bad < a_ok - 0.3
    t_bad = reliability_table(raw)
    items = t_bad["items"].set_index("item")
    # the un-reversed item shows a negative corrected item-total r and deleting it helps
    assert items.loc["item3", "corrected_item_total_r"] < 0
    assert items.loc["item3", "alpha_if_deleted"] > a_bad
    assert reliability_table(reversed_)["omega_total"] > 0.85
