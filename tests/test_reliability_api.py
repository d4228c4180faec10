"""reliability(instrument, data): per-domain alpha/omega on reverse-keyed items."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

import indeks
from indeks.scoring.reliability import reliability, reliability_table

INST = "whoqol-bref"
PHYSICAL = ["q3", "q4", "q10", "q15", "q16", "q17", "q18"]
PSYCH = ["q5", "q6", "q7", "q11", "q19", "q26"]
REVERSED = ["q3", "q4", "q26"]
ITEMS = [f"q{i}" for i in range(1, 27)]


def whoqol_like(n=80, seed=11):
    """Printed answers 1..5 driven by one latent quality of life; Q3, Q4, Q26 worded negatively."""
    rng = np.random.default_rng(seed)
    level = rng.normal(3.0, 0.8, n)
    cols = {}
    for it in ITEMS:
        x = level + rng.normal(0, 0.8, n)
        if it in REVERSED:
            x = 6 - x
        cols[it] = np.clip(np.rint(x), 1, 5).astype("float64")
    return pd.DataFrame(cols)


def hand_alpha(df: pd.DataFrame) -> float:
    k = df.shape[1]
    return k / (k - 1) * (1 - df.var(ddof=1).sum() / df.sum(axis=1).var(ddof=1))


def test_alpha_after_reverse_keying_equals_pingouin():
    data = whoqol_like()
    r = reliability(INST, data)
    dom = r.domains.set_index("domain")
    assert list(dom.index) == [
        "physical",
        "psychological",
        "social",
        "environment",
    ]  # Q1/Q2 have 1 item
    keyed = data.copy()
    keyed[REVERSED] = 6 - keyed[REVERSED]
    for d, its in (("physical", PHYSICAL), ("psychological", PSYCH)):
        expected = pg.cronbach_alpha(keyed[its])[0]
        assert dom.loc[d, "alpha"] == pytest.approx(expected, abs=1e-10)
        assert dom.loc[d, "alpha"] == pytest.approx(hand_alpha(keyed[its]), abs=1e-10)
        # forgetting the reversal gives another (much lower) alpha
        wrong = hand_alpha(data[its])
        assert abs(wrong - dom.loc[d, "alpha"]) > 0.1
        assert wrong < dom.loc[d, "alpha"]
    lo, hi = pg.cronbach_alpha(keyed[PHYSICAL], ci=0.95)[1]
    assert dom.loc["physical", "alpha_ci_low"] == pytest.approx(
        lo, abs=1e-3
    )  # pingouin rounds the CI to 3 decimals
    assert dom.loc["physical", "alpha_ci_high"] == pytest.approx(hi, abs=1e-3)
    assert dom.loc["physical", "n_items"] == 7 and dom.loc["physical", "n_used"] == len(data)


def test_item_table_matches_reliability_table_and_marks_reversed():
    data = whoqol_like()
    r = reliability(INST, data)
    keyed = data.copy()
    keyed[REVERSED] = 6 - keyed[REVERSED]
    ref = reliability_table(keyed[PHYSICAL])["items"].set_index("item")
    t = r.items[r.items["domain"] == "physical"].set_index("item")
    assert list(t.index) == PHYSICAL
    for col in ("corrected_item_total_r", "alpha_if_deleted", "mean", "sd"):
        np.testing.assert_allclose(t[col].to_numpy(), ref[col].to_numpy(), rtol=1e-12)
    assert t.loc["q3", "reversed"] and not t.loc["q10", "reversed"]
    assert t.loc["q3", "mean"] == pytest.approx(keyed["q3"].mean())
    assert set(r.sheets()) == {"domains", "items", "issues"}
    for col in [
        "domain",
        "n_used",
        "n_items",
        "alpha",
        "alpha_ci_low",
        "alpha_ci_high",
        "omega_total",
        "missing_handling",
        "note",
    ]:
        assert col in r.domains.columns


def test_pre_reversed_source_gives_the_same_alpha():
    data = whoqol_like()
    printed = data.copy()
    printed[["q3", "q4"]] = 6 - printed[["q3", "q4"]]  # a form printing Q3/Q4 as 5 4 3 2 1
    a = reliability(INST, data).domains.set_index("domain").loc["physical", "alpha"]
    b = (
        reliability(INST, printed, pre_reversed=["q3", "q4"])
        .domains.set_index("domain")
        .loc["physical", "alpha"]
    )
    wrong = reliability(INST, printed).domains.set_index("domain").loc["physical", "alpha"]
    assert b == pytest.approx(a, abs=1e-12)
    assert wrong != pytest.approx(a, abs=1e-3)


def test_rejected_rows_left_out_and_pairwise_matches_pingouin():
    data = whoqol_like(60)
    data.loc[0, ITEMS[:10]] = np.nan  # 16 of 26 answered: rejected by the assessment rule
    data.loc[1, "q10"] = np.nan  # one missing physical item: kept, dropped listwise
    data.loc[2, "q16"] = 7  # out of range: missing, reported
    r = reliability(INST, data)
    dom = r.domains.set_index("domain")
    assert dom.loc["physical", "n_used"] == 57
    assert dom.loc["social", "n_used"] == 59
    assert r.meta["n_rejected"] == 1
    assert "out_of_range" in set(r.issues["code"])
    keyed = data.copy()
    keyed.loc[2, "q16"] = np.nan
    keyed[REVERSED] = 6 - keyed[REVERSED]
    keyed = keyed.iloc[1:]
    assert dom.loc["physical", "alpha"] == pytest.approx(
        pg.cronbach_alpha(keyed[PHYSICAL], nan_policy="listwise")[0], abs=1e-10
    )
    pw = reliability(INST, data, missing="pairwise").domains.set_index("domain")
    expected = pg.cronbach_alpha(keyed[PHYSICAL], nan_policy="pairwise")[0]
    assert pw.loc["physical", "alpha"] == pytest.approx(expected, abs=1e-10)
    assert pw.loc["physical", "missing_handling"] == "pairwise"


def test_sample_file_runs():
    from pathlib import Path

    pre = pd.read_csv(Path(__file__).resolve().parent.parent / "sample_data" / "whoqol" / "pre.csv")
    r = reliability(indeks.get_instrument(INST), pre, lang="en")
    assert len(r.domains) == 4
    assert r.domains["alpha"].between(0, 1).all()
    assert r.domains["n_used"].eq(30).all()
