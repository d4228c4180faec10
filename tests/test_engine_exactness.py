"""Results that a faster engine must keep exactly: the ``index_incomplete`` issues
against a plain per-respondent computation, on one-form and two-form instruments."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indeks

TWO_FORMS = """
id = "two"
name = "Two forms, weighted index"
version = "1"
status = "official"
items = [
  { id = "p1", domain = "a", form = "parent" },
  { id = "p2", domain = "a", form = "parent" },
  { id = "p3", domain = "b", form = "parent" },
  { id = "c1", domain = "b", form = "child" },
  { id = "c2", domain = "c", form = "child" },
  { id = "c3", domain = "c", form = "child" },
]

[columns]
form = ["form", "peran"]

[scales.s4]
min = 1
max = 4

[item_defaults]
scale = "s4"

[forms.parent]
label = "Orang tua"
values = ["ortu"]

[forms.child]
label = "Anak"
values = ["anak"]

[missing]
default = "r"
[missing.rules.r]
assessment_min_answered = 1

[[domains]]
id = "a"
label = "A"
method = "mean"
min_answered = { r = 2 }

[[domains]]
id = "b"
label = "B"
method = "mean"

[[domains]]
id = "c"
label = "C"
method = "mean"

[index]
method = "weighted_mean"
weights = { a = "1/3", b = "1/3", c = "1/3" }
weights_sum = 1
"""


@pytest.fixture(scope="module")
def two_forms(tmp_path_factory):
    p = tmp_path_factory.mktemp("def") / "two.toml"
    p.write_text(TWO_FORMS, encoding="utf-8")
    return indeks.load_instrument(p)


def _answers(inst, n: int, seed: int, blank: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {"id": np.arange(1, n + 1)}
    for it in inst.items:
        sc = inst.scales[it.scale]
        v = rng.integers(sc.min, sc.max + 1, n).astype("float64")
        v[rng.random(n) < blank] = np.nan
        v[rng.random(n) < 0.01] = sc.max + 5  # an invalid answer: not usable
        cols[it.id] = v
    df = pd.DataFrame(cols)
    if len(inst.forms) > 1:
        forms = np.array(["ortu", "anak", "tetangga"], dtype=object)
        df["peran"] = forms[rng.choice(3, n, p=[0.48, 0.48, 0.04])]
    return df


def _reference(inst, res) -> dict[int, str]:
    """Row -> the empty domains (in index order) of each scored respondent whose index
    is empty because a domain of its own form is empty: one respondent at a time."""
    r = res.respondents
    form_of = {it.id: it.form for it in inst.items}
    out = {}
    for i in range(len(r)):
        if r["status"].iloc[i] != "scored":
            continue
        form = r["form"].iloc[i] if "form" in r else None
        names = []
        for d in inst.index.weights:
            items = inst.domain(d).items
            in_form = len(items) if form is None else sum(form_of[x] == form for x in items)
            if in_form > 0 and np.isnan(r[d].iloc[i]):
                names.append(d)
        if names:
            out[int(r["row"].iloc[i])] = ", ".join(names)
    return out


def _check(inst, df):
    res = indeks.score(inst, df, id_column="id")
    got = res.issues[res.issues["code"] == "index_incomplete"]
    assert got["row"].is_unique
    assert dict(zip(got["row"].astype(int), got["value"], strict=True)) == _reference(inst, res)
    return got


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    iid=st.sampled_from(["ikm", "ikotan", "ikm-2004", "two"]),
    n=st.integers(1, 300),
    seed=st.integers(0, 10_000),
    blank=st.sampled_from([0.0, 0.05, 0.3, 0.8]),
)
def test_index_incomplete_equals_per_respondent_reference(two_forms, iid, n, seed, blank):
    inst = two_forms if iid == "two" else indeks.get_instrument(iid)
    _check(inst, _answers(inst, n, seed, blank))


def test_index_incomplete_two_forms_by_hand(two_forms):
    """Parent rows never answer domain c (not in their form): only a or b counts."""
    df = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "peran": ["ortu", "anak", "ortu", "x", "anak"],
            "p1": [1, None, 2, 3, None],
            "p2": [2, None, None, 3, None],
            "p3": [3, None, None, 1, None],
            "c1": [None, 2, None, 1, None],
            "c2": [None, 3, None, None, None],
            "c3": [None, None, None, None, 4],
        }
    )
    got = _check(two_forms, df)
    # row 1: every domain of the parent form computed -> no issue although the index is
    # empty; row 3: a (1 of 2 answered) and b empty; row 4: unknown form (rejected);
    # row 5: the child left b empty
    assert got["row"].tolist() == [3, 5] and got["value"].tolist() == ["a, b", "b"]


# ---------------------------------------------------------------------------------
# category lookup: the cutoffs on the unrounded value give the bands of the rounded value
def reference_category_index(table, values) -> np.ndarray:
    """Round half-up at the table's precision, then find the band (the plain way)."""
    from indeks.numbers import round_half_up

    with np.errstate(over="ignore", invalid="ignore"):
        v = np.atleast_1d(round_half_up(np.asarray(values, dtype="float64"), table.precision))
    thresholds = np.array([float(b.min) for b in table.bands])
    pos = np.searchsorted(thresholds, v, side="right").astype("int64") - 1
    last = table.bands[-1]
    if last.max is not None:
        pos[v > float(last.max) + 1e-12] = -1
    pos[np.isnan(v)] = -1
    return pos


def _tables():
    out = []
    for iid in indeks.list_instruments():
        out.extend(indeks.get_instrument(iid).categories)
    return out


TABLES = _tables()


def _near(draw, edges, precision):
    """Values at, around and half a unit of the precision away from the band edges, and
    a few floats around the cutoffs the engine uses (where the rounded value changes)."""
    from indeks.scoring.engine import _band_cutoffs

    e = draw(st.sampled_from(edges))
    half = 0.5 * 10.0**-precision
    noise = 0.5 * 10.0 ** -(9 + max(0, precision - 6))
    bases = [e, e - half, e + half, e - half - noise, e + half - noise, -e, e / 25, e * 25]
    cuts = _band_cutoffs(tuple(edges), None, precision)  # every edge as a band minimum
    if cuts is not None:
        bases += cuts[0]
    cuts = _band_cutoffs((), edges[-1] + 1e-12, precision)  # the last edge as the top
    if cuts is not None and cuts[1] is not None:
        bases.append(cuts[1])
    base = draw(st.sampled_from(bases))
    steps = draw(st.sampled_from([0, 1, -1, 2, -2, 5, -5, 100, -100]))
    x = float(base)
    for _ in range(abs(steps)):
        x = float(np.nextafter(x, np.inf if steps > 0 else -np.inf))
    return x


@st.composite
def values_for(draw, table):
    edges = [float(b.min) for b in table.bands]
    if table.bands[-1].max is not None:
        edges.append(float(table.bands[-1].max))
    special = st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -0.0, 2.675, 84.375, 5e-324])
    out = []
    for kind in draw(st.lists(st.integers(0, 4), min_size=1, max_size=40)):
        if kind == 0:
            out.append(draw(special))
        elif kind == 1:
            out.append(draw(st.floats(allow_nan=True, allow_infinity=True)))
        elif kind == 2:
            out.append(draw(st.floats(-200, 200)))
        else:
            out.append(_near(draw, edges, table.precision))
    return np.array(out, dtype="float64")


@settings(max_examples=400, deadline=None)
@given(data=st.data(), t=st.sampled_from(range(len(TABLES))))
def test_category_index_equals_lookup_on_rounded_value(data, t):
    from indeks.scoring.engine import category_index

    table = TABLES[t]
    v = data.draw(values_for(table))
    got = category_index(table, v)
    assert got.tolist() == reference_category_index(table, v).tolist()


@settings(max_examples=200, deadline=None)
@given(
    mins=st.lists(st.floats(-1000, 1000), min_size=1, max_size=8, unique=True),
    top=st.one_of(st.none(), st.floats(-1000, 2000)),
    precision=st.integers(0, 6),
    data=st.data(),
)
def test_category_index_any_table(mins, top, precision, data):
    """Random ascending bands at any precision, values around every edge."""
    from indeks.instruments.model import Band, CategoryTable
    from indeks.scoring.engine import category_index

    mins = sorted(mins)
    last = len(mins) - 1
    bands = tuple(
        Band(
            code=f"c{i}",
            label=f"b{i}",
            label_en=f"b{i}",
            min=Fraction(m),
            max=Fraction(top) if i == last and top is not None else None,
        )
        for i, m in enumerate(mins)
    )
    table = CategoryTable(name="", on="index", precision=precision, bands=bands)
    v = data.draw(values_for(table))
    assert category_index(table, v).tolist() == reference_category_index(table, v).tolist()


# ---------------------------------------------------------------------------------
# group statistics: a sum over most rows taken as the column's total less the others
@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 400),
    dtype=st.sampled_from(["int8", "uint8", "int16", "int32", "int64", "bool", "float64"]),
    seed=st.integers(0, 10_000),
    share=st.floats(0, 1),
)
def test_sum_over_rows_equals_masked_sum(n, dtype, seed, share):
    from indeks.scoring.stats_merge import _wsum, _wsum_but

    rng = np.random.default_rng(seed)
    info = np.iinfo(dtype) if dtype not in ("bool", "float64") else None
    if info is not None:
        a = rng.integers(max(info.min, -(2**40)), min(info.max, 2**40), n, endpoint=True)
    else:
        a = rng.integers(0, 50, n)
    a = a.astype(dtype)
    where = rng.random(n) < share
    count = int(where.sum())
    want = _wsum(a, where, count)
    assert _wsum_but(a, where, count, np.flatnonzero(~where)) == want
    assert _wsum_but(a, where, count, None) == want
    assert _wsum_but(3, where, count, np.flatnonzero(~where)) == 3 * count


@settings(max_examples=100, deadline=None)
@given(
    x=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30),
    mul=st.sampled_from([Fraction(25), Fraction(1, 9), Fraction(1), Fraction(-3, 7)]),
    add=st.sampled_from([Fraction(0), Fraction(-1, 3), Fraction(5)]),
)
def test_conversion_in_place_equals_apply(x, mul, add):
    from indeks.instruments.model import Conversion
    from indeks.scoring.engine import _converted

    conv = Conversion(multiply=mul, add=add)
    arr = np.array(x + [-0.0, 0.0], dtype="float64")
    want = conv.apply(arr)
    got = _converted(conv, arr.copy())
    assert np.array_equal(got.view("int64"), want.view("int64"))


# ---------------------------------------------------------------------------------
# duplicate ids of a whole-number id column: integer codes give what the text keys give
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    iid=st.sampled_from(["dektara", "ikm"]),
    n=st.integers(2, 200),
    seed=st.integers(0, 10_000),
    spread=st.sampled_from([3, 50, 10**6, 2**53 - 10]),
)
def test_whole_number_ids_duplicates_equal_text_keys(iid, n, seed, spread):
    import indeks.scoring.engine as engine

    inst = indeks.get_instrument(iid)
    rng = np.random.default_rng(seed)
    df = _answers(inst, n, seed, 0.05)
    df["id"] = rng.integers(-spread, spread, n)
    if len(inst.forms) > 1:
        forms = np.array(["orang_tua", "anak", "tetangga"], dtype=object)
        df["peran"] = forms[rng.choice(3, n, p=[0.45, 0.45, 0.1])]
        df["keluarga"] = rng.integers(0, n // 2 + 1, n)
    got = indeks.score(inst, df, id_column="id")
    plain = engine._whole_number_keys
    try:
        engine._whole_number_keys = lambda *a: None  # the text keys, hashed
        want = indeks.score(inst, df, id_column="id")
    finally:
        engine._whole_number_keys = plain
    pd.testing.assert_frame_equal(got.issues, want.issues, check_exact=True)
    pd.testing.assert_frame_equal(got.respondents, want.respondents, check_exact=True)


# ---------------------------------------------------------------------------------
# compare: text ids taken in Arrow give the tables the Python-object route gives
def _wave(inst, ids, seed):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"id": ids})
    for it in inst.items:
        df[it.id] = rng.integers(1, 5, len(ids)).astype(float)
    return df


@pytest.mark.parametrize(
    "pre, post",
    [
        (["a", "b", None, "c"], ["a", "b", "c", None]),  # only empty ids unmatched
        (["a", "b", "c"], ["c", "b", "a"]),  # nothing unmatched
        ([1, 2, 3, 4], [4, 3, 2, 9]),  # whole-number ids
        (["a", None, "x"], ["a", "y", None]),
        (["a", "a", "b", "c"], ["a", "b", "c", "c"]),  # duplicates
        ([" A", "b ", "C"], ["a", "B", "c "]),
    ],
)
def test_compare_tables_equal_object_route(monkeypatch, pre, post):
    import indeks.scoring.compare as cmp

    inst = indeks.get_instrument("ikm")
    a = _wave(inst, np.array(pre, dtype=object), 1)
    b = _wave(inst, np.array(post, dtype=object), 2)
    got = indeks.compare(inst, a, b)
    monkeypatch.setattr(cmp, "_flat_take", lambda w, n, c, g: cmp._flat(w, n, c, object)[g])
    monkeypatch.setattr(cmp._Rows, "id_norm_column", cmp._Rows.take_id_norm)
    want = indeks.compare(inst, a, b)
    for name in ("pairs", "unmatched", "issues", "stats", "summary"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 300),
    dtype=st.sampled_from(["int8", "uint8", "int16", "uint16", "int32", "int64", "bool"]),
    seed=st.integers(0, 10_000),
    masked=st.booleans(),
)
def test_run_sums_equal_reduceat(n, dtype, seed, masked):
    from indeks.scoring.stats_merge import _run_sums

    rng = np.random.default_rng(seed)
    if dtype == "bool":
        a = rng.random(n) < 0.5
    else:
        info = np.iinfo(dtype)
        a = rng.integers(max(info.min, -(2**40)), min(info.max, 2**40), n, endpoint=True)
        a = a.astype(dtype)
    starts = np.flatnonzero(np.r_[True, rng.random(n - 1) < 0.4])
    mask = rng.random(n) < 0.7 if masked else None
    cnt = np.diff(np.append(starts, n))
    want = np.add.reduceat(np.where(mask, a, 0) if masked else a, starts, dtype="int64")
    got = _run_sums(a, starts, mask, cnt)
    assert got.dtype == np.int64 and got.tolist() == want.tolist()


def test_compare_pairs_first_and_last_usable_wave():
    """Two waves: every pair runs from the first to the last; three waves: each pair
    from its own first to its own last wave (hand-made answers, every item the same)."""
    inst = indeks.get_instrument("ikm")

    def w(ids, vals):
        df = pd.DataFrame({"id": ids})
        for it in inst.items:
            df[it.id] = [float(v) for v in vals]
        return df

    three = indeks.compare(
        inst,
        waves={
            "w1": w(["a", "c"], [1, 2]),
            "w2": w(["a", "b"], [3, 4]),
            "w3": w(["b", "c", "a"], [2, 4, 4]),
        },
    ).pairs
    got = three.set_index("respondent_id")
    assert got.loc[["a", "b", "c"], "headline_pre"].tolist() == [1.0, 4.0, 2.0]
    assert got.loc[["a", "b", "c"], "headline_post"].tolist() == [4.0, 2.0, 4.0]
    assert got.loc[["a", "b", "c"], "change_u1"].tolist() == [3.0, -2.0, 2.0]
    two = indeks.compare(inst, w(["a", "b", "c"], [1, 2, 3]), w(["c", "a"], [4, 2])).pairs
    got = two.set_index("respondent_id")
    assert got.loc[["a", "c"], "headline_pre"].tolist() == [1.0, 3.0]
    assert got.loc[["a", "c"], "headline_post"].tolist() == [2.0, 4.0]
    assert got.loc[["a", "c"], "u9_pre"].tolist() == [1.0, 3.0]


@pytest.mark.parametrize(
    "ids, forms, dup_rows",
    [
        ([1, 2, 3, 4], ["orang_tua", "anak", "orang_tua", "anak"], []),  # increasing
        ([1, 1, 2, 2], ["orang_tua", "anak", "orang_tua", "anak"], []),  # one per form
        ([1, 2, 2, 3], ["orang_tua", "orang_tua", "orang_tua", "anak"], [2, 3]),
        ([5, 2, 5, 9], ["anak", "anak", "anak", "x"], [1, 3]),
    ],
)
def test_whole_number_ids_per_form_by_hand(ids, forms, dup_rows):
    inst = indeks.get_instrument("dektara")
    df = _answers(inst, len(ids), 3, 0.0)
    df["id"] = np.array(ids, dtype="int64")
    df["peran"] = forms
    df["keluarga"] = [1, 1, 2, 2]
    res = indeks.score(inst, df, id_column="id")
    dup = res.issues[res.issues["code"] == "duplicate_id"]
    assert dup["row"].tolist() == dup_rows
