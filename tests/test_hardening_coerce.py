"""Issue 14 item 1: distinct answers are keyed by (type, value).

``pandas.factorize`` treats ``True`` as ``1``; before the fix the first of the two to appear
decided how the other was scored.  Booleans are an ``unknown_label`` unless the scale
declares them; list/dict cells (JSON, Parquet) are a per-cell issue, not a crash.
"""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indeks
from indeks.instruments.model import Item, Scale
from indeks.scoring.coerce import coerce_column

IKM = indeks.get_instrument("ikm")
ITEM = IKM.items[0]
SCALE = IKM.scales[ITEM.scale]


def _problems(co):
    return {code: sorted(int(p) for p in pos) for code, pos, _ in co.problems}


def test_true_never_becomes_one_in_either_order():
    a = coerce_column(pd.Series([True, 1, 2], dtype=object), ITEM, SCALE)
    b = coerce_column(pd.Series([1, True, 2], dtype=object), ITEM, SCALE)
    assert np.isnan(a.codes[0]) and a.codes[1] == 1 and a.codes[2] == 2
    assert b.codes[0] == 1 and np.isnan(b.codes[1]) and b.codes[2] == 2
    assert _problems(a) == {"unknown_label": [0]}
    assert _problems(b) == {"unknown_label": [1]}


def test_false_never_becomes_zero_or_missing_code():
    scale = Scale("s", 0, 1, labels={0: ("Tidak",), 1: ("Ya",)})
    item = Item("q", "q", "s", None, "main")
    co = coerce_column(pd.Series([0, False, 1, True], dtype=object), item, scale)
    assert co.codes[0] == 0 and co.codes[2] == 1
    assert np.isnan(co.codes[1]) and np.isnan(co.codes[3])
    assert _problems(co) == {"unknown_label": [1, 3]}


def test_booleans_are_answers_when_the_scale_declares_them():
    scale = Scale("yn", 0, 1, labels={0: ("Tidak", "false"), 1: ("Ya", "true")})
    item = Item("q", "q", "yn", None, "main")
    co = coerce_column(pd.Series([True, False, "Ya", 0]), item, scale)
    assert list(co.codes) == [1, 0, 1, 0]
    assert co.problems == []
    co = coerce_column(pd.Series([True, False, True]), item, scale)  # bool dtype
    assert list(co.codes) == [1, 0, 1]


def test_bool_dtype_column_is_unknown_label_not_codes():
    co = coerce_column(pd.Series([True, False, True]), ITEM, SCALE)
    assert np.isnan(co.codes).all()
    assert _problems(co) == {"unknown_label": [0, 1, 2]}


def test_list_and_dict_cells_are_per_cell_issues():
    s = pd.Series([[1, 2], {"a": 1}, 3, None, (4,), np.array([1, 2])], dtype=object)
    co = coerce_column(s, ITEM, SCALE)
    assert co.codes[2] == 3
    assert np.isnan(co.codes[[0, 1, 3, 4, 5]]).all()
    assert _problems(co) == {"unknown_label": [0, 1, 4, 5]}


def test_list_cells_through_score_are_reported_not_fatal():
    df = pd.DataFrame({f"U{i}": [[4], 4, {"x": 1}] for i in range(1, 10)})
    res = indeks.score(IKM, df)
    codes = res.issues.loc[res.issues["item"] == "u1", "code"].tolist()
    assert codes.count("unknown_label") == 2
    assert res.respondents["status"].tolist()[1] == "scored"


# any mix of dtypes: numbers, numbers as text, labels, booleans, containers, missing
_cells = st.sampled_from(
    [
        1,
        2,
        3,
        4,
        1.0,
        4.0,
        2.5,
        0,
        5,
        "1",
        "4",
        " 3 ",
        "Sangat puas",
        "x",
        "",
        None,
        np.nan,
        True,
        False,
        "True",
        [1],
        {"a": 4},
        np.int64(3),
        np.float64(2.0),
        np.True_,
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cells, min_size=9, max_size=9), min_size=1, max_size=12), st.randoms())
def test_scoring_independent_of_row_order(rows, rnd):
    cols = [f"U{i}" for i in range(1, 10)]
    df = pd.DataFrame(rows, columns=cols, dtype=object)
    df.insert(0, "id", [f"r{i}" for i in range(len(df))])
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    a = indeks.score(IKM, df, id_column="id").respondents.set_index("respondent_id")
    b = indeks.score(IKM, df.iloc[perm].reset_index(drop=True), id_column="id")
    b = b.respondents.set_index("respondent_id").loc[a.index]
    keep = [c for c in a.columns if c not in ("row",)]
    pd.testing.assert_frame_equal(a[keep], b[keep], check_dtype=False)


_group_cells = st.sampled_from([True, False, 1, 0, "1", "True", "a", None, [1], {"k": 1}, 1.0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_group_cells, st.sampled_from([1, 2, 3, 4])), min_size=1, max_size=10),
    st.randoms(),
)
def test_group_summaries_independent_of_row_order(rows, rnd):
    df = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(len(rows))],
            "g": pd.Series([g for g, _ in rows], dtype=object),
            **{f"U{i}": [a for _, a in rows] for i in range(1, 10)},
        }
    )
    perm = list(range(len(df)))
    rnd.shuffle(perm)

    def summary(frame):
        s = indeks.score(IKM, frame, id_column="id", group_by="g").summary
        s = s.assign(key=s["g"].map(lambda v: f"{type(v).__name__}:{v}"))
        return s.sort_values("key").reset_index(drop=True)[["key", "n", "index"]]

    pd.testing.assert_frame_equal(summary(df), summary(df.iloc[perm].reset_index(drop=True)))


def test_whole_float_and_int_group_values_are_one_group_labelled_the_same_in_any_order():
    # an object column holding only 1 and 1.0 (mixed int/float) is one group "1",
    # whichever row comes first (found by the property above)
    def groups(values):
        df = pd.DataFrame(
            {
                "id": ["a", "b"],
                "g": pd.Series(values, dtype=object),
                **{f"U{i}": [3, 4] for i in range(1, 10)},
            }
        )
        s = indeks.score(IKM, df, id_column="id", group_by="g").summary
        return [(type(v).__name__, v, n) for v, n in zip(s["g"], s["n"], strict=True)][1:]

    assert groups([1, 1.0]) == groups([1.0, 1]) == [("int", 1, 2)]
