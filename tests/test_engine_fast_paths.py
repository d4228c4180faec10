"""The engine's fast paths give exactly what the plain computation gives (issue 13).

Each fast path (the cast-and-compare coercion of number columns, the summary-row scan
of suspect rows only, the one-group and group-by-group statistics, the in-place
half-up rounding, the factorizing of ascending numbers) is checked against a plain
reference written here, on data made to hit its edges.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import indeks
from indeks.instruments.model import Item, Scale
from indeks.numbers import round_half_up
from indeks.scoring.coerce import coerce_codes, coerce_column
from indeks.scoring.engine import ResolvedOptions, coerce_step, match_step
from indeks.scoring.issues import IssueLog
from indeks.scoring.options import ScoringOptions
from indeks.scoring.rows import find_excluded
from indeks.scoring.stats_merge import _block, factorize_runs

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALE = Scale("s", 1, 5, labels={1: ("Satu",), 5: ("Lima",)}, missing_codes=(9.0, 99.0))
ITEM = Item("q", "q", "s", None, "main")

number = st.one_of(
    st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, 0.0, -0.0, 6.0, -1.0, 9.0, 99.0, 2.5, 4.999999]),
    st.sampled_from([np.nan, np.inf, -np.inf, 1e300, -1e300, 127.0, 128.0, 255.0, 256.0 + 3]),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _reference(x: np.ndarray, scale: Scale):
    """(valid, codes, {issue code: positions}, {issue code: texts}) the plain way."""
    valid = np.array(
        [not np.isnan(v) and v == np.floor(v) and scale.min <= v <= scale.max for v in x]
    )
    codes = np.where(valid, x, 0)
    problems: dict[str, list[int]] = {}
    texts: dict[str, list[str]] = {}
    for i, v in enumerate(x):
        if valid[i] or np.isnan(v) or v in scale.missing_codes:
            continue
        code = "not_a_code" if v != np.floor(v) else "out_of_range"
        problems.setdefault(code, []).append(i)
        texts.setdefault(code, []).append(f"{v:g}")
    return valid, codes, problems, texts


def _got(cc):
    probs = {code: [int(p) for p in pos] for code, pos, _ in cc.problems}
    texts = {code: list(vals) for code, _, vals in cc.problems}
    return probs, texts


@SETTINGS
@given(st.lists(number, min_size=1, max_size=40))
def test_number_column_coercion_equals_the_plain_rules(values):
    x = np.array(values, dtype="float64")
    with np.errstate(over="ignore"):
        x32 = x.astype("float32")
    for series in (pd.Series(x), pd.Series(x32), pd.Series(x32).astype("float64")):
        valid, codes, problems, texts = _reference(series.to_numpy(dtype="float64"), SCALE)
        cc = coerce_codes(series, ITEM, SCALE)
        assert cc.codes.dtype == np.int8
        assert np.array_equal(cc.valid, valid)
        assert np.array_equal(cc.codes, codes.astype("int8"))
        assert _got(cc) == (problems, texts)


@SETTINGS
@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), min_size=1, max_size=30))
def test_integer_column_coercion_never_wraps_around(values):
    # 257 cast to int8 is 1: the cast-and-compare must still call it out of range
    x = np.array(values + [257, -255, 1, 5], dtype="int64")
    cc = coerce_codes(pd.Series(x), ITEM, SCALE)
    ref_valid = (x >= 1) & (x <= 5)
    assert np.array_equal(cc.valid, ref_valid)
    assert np.array_equal(cc.codes, np.where(ref_valid, x, 0))
    oor = [i for i, v in enumerate(x) if not ref_valid[i] and float(v) not in SCALE.missing_codes]
    got = {code: [int(p) for p in pos] for code, pos, _ in cc.problems}
    assert got.get("out_of_range", []) == oor
    assert "not_a_code" not in got


def test_nullable_and_text_columns_give_the_same_codes_and_issues():
    nullable = pd.Series([1, 5, None, 7, 9], dtype="Int64")
    cc = coerce_codes(nullable, ITEM, SCALE)
    assert cc.valid.tolist() == [True, True, False, False, False]
    assert cc.codes.tolist() == [1, 5, 0, 0, 0]
    assert [(c, p.tolist(), list(v)) for c, p, v in cc.problems] == [("out_of_range", [3], ["7"])]
    text = pd.Series(["1", "5", "", "7", "9", "2.5", "Lima", True, "x"], dtype=object)
    cc = coerce_codes(text, ITEM, SCALE)
    assert cc.codes.tolist() == [1, 5, 0, 0, 0, 0, 5, 0, 0]
    got = {c: (p.tolist(), list(v)) for c, p, v in cc.problems}
    assert got == {
        "unknown_label": ([7, 8], ["True", "x"]),
        "out_of_range": ([3], ["7"]),
        "not_a_code": ([5], ["2.5"]),
    }
    # the float view (coerce_column) says the same
    co = coerce_column(text, ITEM, SCALE)
    assert np.array_equal(np.isnan(co.codes), ~cc.valid)
    assert _got(co) == _got(cc)


def test_boolean_column_is_unknown_label_in_the_fast_path_too():
    cc = coerce_codes(pd.Series([True, False]), ITEM, SCALE)
    assert not cc.valid.any()
    assert [(c, p.tolist()) for c, p, _ in cc.problems] == [("unknown_label", [0, 1])]


# summary rows: the scan of suspect rows finds what a scan of every candidate row finds
ROW_CELLS = st.sampled_from(
    [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, np.nan, np.nan, 9, 3.25, 35, "RATA-RATA", "u1", "", "x"]
)


@SETTINGS
@given(st.lists(st.lists(ROW_CELLS, min_size=9, max_size=9), min_size=1, max_size=15))
def test_summary_rows_found_from_suspects_equal_a_full_scan(rows):
    ikm = indeks.get_instrument("ikm")
    df = pd.DataFrame(rows, columns=[f"U{i}" for i in range(1, 10)])
    df.insert(0, "nama", ["a"] * len(df))
    if len(df) > 2:
        df.loc[1, "nama"] = "JUMLAH"
    for numeric in (False, True):
        frame = df.apply(pd.to_numeric, errors="coerce") if numeric else df
        frame = frame.assign(nama=df["nama"])
        match = match_step(ikm, frame, ResolvedOptions(ScoringOptions(), "", (), None))
        answers = coerce_step(ikm, frame, match, (), IssueLog())
        fast = find_excluded(
            ikm, frame, match, answers.valid, answered=answers.answered(), flagged=answers.flagged
        )
        full = find_excluded(ikm, frame, match, answers.valid)
        if fast is None or full is None:
            assert fast is None and full is None
        else:
            assert fast.positions.tolist() == full.positions.tolist()
            assert fast.codes == full.codes and fast.values == full.values


# statistics: the one-group and group-by-group ways equal the general per-(group, shape) way
def _as_tuple(b):
    if b is None:
        return None
    return tuple(np.asarray(getattr(b, c)).tolist() for c in ("g", "c1", "c2", "c3", "k", "t"))


@SETTINGS
@given(
    arrays(np.int64, st.integers(1, 60), elements=st.integers(0, 8)),
    st.integers(0, 2**32 - 1),
)
def test_one_group_statistics_equal_the_general_way(cnt, seed):
    rng = np.random.default_rng(seed)
    n = cnt.size
    mask = rng.random(n) < 0.8
    t = rng.integers(0, 40, n).astype("int16")
    mx = (cnt * 5).astype("int16")
    for shape in ((cnt, 0, 0), (cnt, 3, mx), (0, 0, 0), (cnt, rng.integers(0, 3000, n), 0)):
        for k in (1, rng.integers(0, 9, n)):
            fast = _block("d", None, 1, mask, k, t, shape)
            general = _block("d", np.zeros(n, dtype="int64"), 1, mask, k, t, shape)
            assert _as_tuple(fast) == _as_tuple(general)


@SETTINGS
@given(arrays(np.int64, st.integers(1, 60), elements=st.integers(1, 4)), st.integers(0, 2**32 - 1))
def test_group_by_group_statistics_equal_the_general_way(sizes, seed):
    rng = np.random.default_rng(seed)
    gcode = np.repeat(np.arange(sizes.size), sizes)
    n, G = gcode.size, sizes.size
    runs = np.flatnonzero(np.r_[True, gcode[1:] != gcode[:-1]])
    k, t = rng.integers(0, 60, n).astype("int16"), rng.integers(0, 60, n).astype("float64")
    for mask in (np.ones(n, bool), rng.random(n) < 0.6):
        fast = _block("p", gcode, G, mask, k, t, (0, 0, 0), runs)
        general = _block("p", gcode, G, mask, k, t, (0, 0, 0))
        assert _as_tuple(fast) == _as_tuple(general)


def _round_half_up_plain(values, decimals):
    """The definition: noise removed at 9 significant decimals, then half away from zero."""
    arr = np.asarray(values, dtype="float64")
    scale = 10.0**decimals
    cleaned = np.round(arr * scale, 9 - min(decimals, 6))
    return np.sign(cleaned) * np.floor(np.abs(cleaned) + 0.5) / scale + 0.0


@SETTINGS
@given(
    arrays(
        np.float64,
        st.integers(1, 50),
        elements=st.one_of(
            st.floats(allow_nan=True, allow_infinity=False, width=64),
            st.integers(-100000, 100000).map(lambda i: i / 8),
            st.integers(-100000, 100000).map(lambda i: i / 1000),
        ),
    ),
    st.integers(0, 6),
)
def test_in_place_half_up_rounding_equals_the_definition(x, decimals):
    with np.errstate(over="ignore", invalid="ignore"):
        got = round_half_up(x, decimals)
        want = _round_half_up_plain(x, decimals)
    assert np.array_equal(got, want, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("v", [2.675, -0.125, 84.375, 0.0, -0.0, 1.005])
def test_half_up_rounding_of_scalars_is_a_float(v):
    assert isinstance(round_half_up(v, 2), float)
    assert round_half_up(v, 2) == float(_round_half_up_plain(v, 2))


@SETTINGS
@given(arrays(np.float64, st.integers(1, 40), elements=st.sampled_from([0.0, 1.0, 2.0, np.nan])))
def test_factorizing_ascending_numbers_equals_pandas(x):
    for arr in (np.sort(x), x, np.sort(x).astype("int64") if not np.isnan(x).any() else x):
        runs = factorize_runs(arr)
        if runs is None:
            continue
        codes, uniques = pd.factorize(arr)
        assert runs[0].tolist() == codes.tolist()
        assert runs[1].tolist() == list(uniques)


# text columns of many distinct values (ids, names): Arrow kernels over the rows give the
# answers the per-distinct-value tests give
TEXT_CELLS = st.one_of(
    st.sampled_from(
        [
            "id_klien",
            " ID-Klien ",
            "data/id_klien",
            "ID KLIEN\u00a0",
            "İd_klien",
            "\u2003",
            "  ",
            "",
            "RATA-RATA",
            "jumlah",
            " Total  nilai ",
            "K1",
            "k/1",
            "ÄÖ",
            "id\x1cklien",
        ]
    ),
    st.text(alphabet=st.sampled_from(list("iIdDkK_ -/.lLeEnN\t\u00a0\u3000éR")), max_size=12),
    st.none(),
)


@SETTINGS
@given(st.lists(TEXT_CELLS, min_size=1, max_size=30), st.data())
def test_arrow_text_cells_equal_the_per_value_tests(cells, data):
    from indeks.scoring.rows import _label_rows, _string_cells, _text_cells

    ikm = indeks.get_instrument("ikm")
    col = pd.Series(cells, dtype="str", name="id_klien")
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, len(cells) - 1), min_size=1))))
    head = "idklien"
    label = _label_rows(pd.DataFrame({"id_klien": col}), {}).get(0)
    got = _string_cells(col, rows, head, None if label is None else label[rows])
    want = _text_cells(col.iloc[rows], head, None, ikm)
    assert got.filled.tolist() == want.filled.tolist()
    for name in ("same", "label"):
        a, b = getattr(got, name), getattr(want, name)
        assert (a is None) == (b is None) and (a is None or a.tolist() == b.tolist()), name
    if want.label is not None:
        at = np.flatnonzero(want.label)
        assert got.label_text[at].tolist() == want.label_text[at].tolist()


LABEL_CELLS = st.one_of(
    st.sampled_from(
        [
            "RATA-RATA",
            " rata-rata",
            "-Jumlah",
            "(Total)",
            "K1",
            "Rata2",
            "ikm",
            "IKM = 78,3",
            "\u017fum",
            "\u212akor rata-rata",
            "nrr per unsur",
            "R0",
            "BNN-7",
            "7",
            "",
            "  ",
            "Jumlah responden",
            "mean",
            "Ämean",
            "total pelayanan baik",
        ]
    ),
    st.text(alphabet=st.sampled_from(list("RrKk0Aa- =\u00e4s")), max_size=8),
    st.none(),
)


@SETTINGS
@given(st.lists(LABEL_CELLS, min_size=2, max_size=40))
def test_summary_label_search_by_first_byte_equals_testing_every_text(cells):
    """Only texts whose first byte may start a label go through the regex; the rows found
    are those the label rule finds testing every text."""
    from indeks.scoring.rows import _label_rows, is_summary_label

    col = pd.Series(cells, dtype="str")
    found = _label_rows(pd.DataFrame({"nama": col}), {}).get(0)
    want = [is_summary_label(v) for v in cells]
    got = found.tolist() if found is not None else [False] * len(cells)
    assert got == want


def test_formula_cells_are_found_by_their_first_byte():
    from indeks.io.writers import neutralise_formulas

    df = pd.DataFrame(
        {
            "a": pd.Series(
                ["=1+1", "+62", "-x", "@a", "\tb", "\rc", "ok", None, "", "ü=", " =x"], dtype="str"
            )
        }
    )
    got = neutralise_formulas(df)["a"].tolist()
    assert got[:7] == ["'=1+1", "'+62", "'-x", "'@a", "'\tb", "'\rc", "ok"]
    assert got[8:] == ["", "ü=", " =x"] and pd.isna(got[7])
