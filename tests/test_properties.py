"""Properties of the engine that hold for any data (hypothesis)."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import indeks
from indeks.instruments.loader import _ranges

WHO = indeks.get_instrument("whoqol-bref")
IKM = indeks.get_instrument("ikm")
# answers: mostly valid codes, some missing, some invalid (out of range, missing codes)
cell = st.sampled_from([1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, np.nan, np.nan, 0, 6, 9, 99])


def answers(n_items):
    return st.integers(min_value=1, max_value=25).flatmap(
        lambda n: arrays(np.float64, (n, n_items), elements=cell)
    )


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def who_frame(a):
    return pd.DataFrame(a, columns=WHO.item_ids)


@SETTINGS
@given(answers(26))
def test_rows_in_equal_scored_plus_rejected(a):
    res = indeks.score(WHO, who_frame(a))
    r = res.respondents
    # rows that are not respondents (blank, sums/averages) are issues, never respondents
    excluded = res.issues["code"].isin(["blank_row", "summary_row", "repeated_header"]).sum()
    assert len(r) + excluded == len(a)
    assert set(r["row"]).isdisjoint(
        res.issues.loc[res.issues["code"].isin(["blank_row", "summary_row"]), "row"]
    )
    n = len(a) - excluded
    assert (r["status"] == "scored").sum() + (r["status"] == "rejected").sum() == n
    assert res.summary["n"].iloc[0] == n
    assert res.summary["n_scored"].iloc[0] + res.summary["n_rejected"].iloc[0] == n
    # every rejected row has a reason, every scored row none
    assert (r.loc[r["status"] == "rejected", "reason"] != "").all()
    assert (r.loc[r["status"] == "scored", "reason"] == "").all()


@SETTINGS
@given(answers(26))
def test_scores_stay_inside_declared_range(a):
    r = indeks.score(WHO, who_frame(a)).respondents
    ranges = _ranges(WHO.domains, WHO.index, WHO.conversion, WHO.items, WHO.scales)
    for d, (lo, hi) in ranges.items():
        v = r[d].dropna()
        assert ((v >= float(lo) - 1e-9) & (v <= float(hi) + 1e-9)).all(), d


@SETTINGS
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 20), st.just(9)),
        elements=st.sampled_from([1, 2, 3, 4, np.nan, 7]),
    )
)
def test_ikm_index_inside_range(a):
    res = indeks.score(IKM, pd.DataFrame(a, columns=IKM.item_ids))
    for v in list(res.respondents["index"].dropna()) + list(res.summary["index"].dropna()):
        assert 1.0 <= v <= 4.0
    for v in res.summary["index_converted"].dropna():
        assert 25.0 <= v <= 100.0


@SETTINGS
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 20), st.just(26)),
        elements=st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]),
    )
)
def test_reversing_twice_is_identity(a):
    # marking Q3/Q4/Q26 pre-reversed and supplying 6 - x must give the same scores as x
    flipped = a.copy()
    cols = [WHO.item_ids.index(q) for q in ("q3", "q4", "q26")]
    flipped[:, cols] = 6 - flipped[:, cols]
    plain = indeks.score(WHO, who_frame(a)).respondents
    twice = indeks.score(WHO, who_frame(flipped), pre_reversed=["q3", "q4", "q26"]).respondents
    pd.testing.assert_frame_equal(plain, twice)


@SETTINGS
@given(answers(26), st.randoms(use_true_random=False))
def test_row_order_does_not_change_scores(a, rnd):
    df = who_frame(a)
    df.insert(0, "id", [f"R{i}" for i in range(len(df))])
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    base = indeks.score(WHO, df).respondents.set_index("respondent_id")
    shuf = indeks.score(WHO, df.iloc[perm].reset_index(drop=True)).respondents.set_index(
        "respondent_id"
    )
    cols = [d.id for d in WHO.domains] + ["status", "reason"]
    pd.testing.assert_frame_equal(base.loc[shuf.index, cols], shuf[cols])


@SETTINGS
@given(answers(26), st.integers(min_value=0, max_value=25))
def test_one_frame_or_two_halves_same_per_respondent(a, cut):
    cut = min(cut, len(a))
    whole = indeks.score(WHO, who_frame(a)).respondents
    first = indeks.score(WHO, who_frame(a[:cut])).respondents
    second = indeks.score(WHO, who_frame(a[cut:])).respondents
    parts = pd.concat([first, second], ignore_index=True)
    cols = [c for c in whole.columns if c not in ("respondent_id", "row")]
    for c in cols:
        left, right = whole[c].astype(object).to_numpy(), parts[c].astype(object).to_numpy()
        assert pd.Series(left).equals(pd.Series(right)) or np.allclose(
            whole[c].astype(float), parts[c].astype(float), equal_nan=True
        ), c
