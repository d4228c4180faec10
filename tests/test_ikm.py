"""IKM (PermenPAN-RB 14/2017): hand-computed vectors from instruments.md section 2."""

import numpy as np
import pandas as pd
import pytest

import indeks
from indeks.scoring.engine import categorize

U = [f"u{i}" for i in range(1, 10)]


def test_nrr_per_unsur_pooled_over_answering_respondents():
    df = pd.DataFrame(
        [
            [4, 3, 3, 4, 3, 4, 4, 3, 2],
            [3, 3, 2, 4, 3, 4, 3, 3, np.nan],  # skipped u9
            [4, 2, 3, 4, 4, 3, 4, 2, 3],
        ],
        columns=U,
    )
    res = indeks.score("ikm", df)
    s = res.summary.iloc[0]
    # NRR u1 = (4+3+4)/3, u9 = (2+3)/2 (only the two who answered)
    assert s["u1"] == pytest.approx(11 / 3)
    assert s["u9"] == pytest.approx(2.5)
    nrr = [11 / 3, 8 / 3, 8 / 3, 4, 10 / 3, 11 / 3, 11 / 3, 8 / 3, 2.5]
    ikm = sum(nrr) / 9
    assert s["index"] == pytest.approx(ikm)
    assert s["index_converted"] == pytest.approx(ikm * 25)
    # the respondent who skipped u9 has no own index but counts in every other NRR
    r = res.respondents
    assert r["status"].tolist() == ["scored"] * 3
    assert np.isnan(r["index"].iloc[1])
    assert (res.issues["code"] == "index_incomplete").sum() == 1


def test_perfect_score_exactly_4_and_100():
    df = pd.DataFrame([[4] * 9] * 3, columns=U)
    s = indeks.score("ikm", df).summary.iloc[0]
    assert s["index"] == 4.0  # exactly: weights 1/9, not 0.11 (which would give 3.96)
    assert s["index_converted"] == 100.0
    assert indeks.format_half_up(s["index"], 2) == "4.00"
    assert indeks.format_half_up(s["index_converted"], 2) == "100.00"
    assert s["category_code"] == "A" and s["category"] == "Sangat Baik"


@pytest.mark.parametrize(
    "value, code",
    [
        (2.5996, "D"),
        (2.60, "C"),
        (3.064, "C"),
        (3.0644, "B"),
        (3.532, "B"),
        (3.5324, "A"),
        (1.0, "D"),
        (4.0, "A"),
    ],
)
def test_mutu_at_band_edges_ni(value, code):
    table = indeks.get_instrument("ikm").categories[0]
    assert categorize(table, [value])[1][0] == code


@pytest.mark.parametrize(
    "value, code",
    [
        (64.99, "D"),
        (65.00, "C"),
        (76.60, "C"),
        (76.61, "B"),
        (88.30, "B"),
        (88.31, "A"),
        (25.0, "D"),
        (100.0, "A"),
    ],
)
def test_mutu_at_band_edges_converted(value, code):
    table = indeks.get_instrument("ikm").categories[1]
    assert table.name == "converted"
    assert categorize(table, [value])[1][0] == code


def test_category_uses_rounded_value():
    table = indeks.get_instrument("ikm").categories[0]
    # 3.06435 rounds half-up to 3.0644 -> B although it is below the threshold unrounded
    assert categorize(table, [3.06435])[1][0] == "B"
    assert categorize(table, [3.06434])[1][0] == "C"


def test_ikm_edge_from_data():
    # every unsur NRR = 2.6 (3 of 5 respondents answer 3, two answer 2) -> IKM 2.60 -> C, x25 = 65.00 -> C
    rows = [[3] * 9] * 3 + [[2] * 9] * 2
    s = indeks.score("ikm", pd.DataFrame(rows, columns=U)).summary.iloc[0]
    assert s["index"] == pytest.approx(2.6)
    assert s["category_code"] == "C" and s["category_converted_code"] == "C"


def test_per_unsur_mutu_lowest_first():
    rows = [[4, 4, 2, 4, 4, 4, 4, 3, 4], [4, 3, 2, 4, 4, 4, 4, 3, 4]]
    res = indeks.score("ikm", pd.DataFrame(rows, columns=U))
    t = res.domain_table()
    assert t["domain"].iloc[0] == "u3" and t["category_code"].iloc[0] == "D"
    assert t["domain"].iloc[1] == "u8" and t["category_code"].iloc[1] == "C"  # 3.0 -> C
    assert t["domain"].iloc[2] == "u2" and t["value"].iloc[2] == pytest.approx(3.5)


@pytest.mark.parametrize("N, S", [(100, 80), (300, 169), (500, 217), (2000, 322), (10000, 370)])
def test_krejcie_morgan(N, S):
    assert indeks.krejcie_morgan(N) == S


def test_sample_too_small_warning():
    df = pd.DataFrame([[3] * 9] * 10, columns=U)
    res = indeks.score("ikm", df, population=100)
    assert res.summary["sample_required"].iloc[0] == 80
    assert not res.summary["sample_adequate"].iloc[0]
    iss = res.issues[res.issues["code"] == "sample_too_small"]
    assert len(iss) == 1 and iss["value"].iloc[0] == "10"


def test_generic_and_unsur_specific_labels():
    df = pd.DataFrame(
        [
            [
                "Sangat sesuai",
                "Mudah",
                "cepat",
                "Gratis",
                "sesuai",
                "Kompeten",
                "sopan dan ramah",
                "Baik",
                "Puas",
            ]
        ],
        columns=[f"U{i}" for i in range(1, 10)],
    )
    r = indeks.score("ikm", df).respondents.iloc[0]
    assert [r[u] for u in U] == [4, 3, 3, 4, 3, 3, 3, 3, 3]


def test_ikm_2004_fourteen_unsur():
    inst = indeks.get_instrument("ikm-2004")
    assert len(inst.items) == 14
    df = pd.DataFrame([[4] * 14], columns=[f"u{i}" for i in range(1, 15)])
    s = indeks.score(inst, df).summary.iloc[0]
    assert s["index"] == 4.0 and s["category_code"] == "A"
    t = inst.categories[0]
    assert [categorize(t, [v])[1][0] for v in (1.75, 1.76, 2.50, 2.51, 3.25, 3.26)] == [
        "D",
        "C",
        "C",
        "B",
        "B",
        "A",
    ]
    t2 = inst.categories[1]
    assert [categorize(t2, [v])[1][0] for v in (43.75, 43.76, 62.50, 62.51, 81.25, 81.26)] == [
        "D",
        "C",
        "C",
        "B",
        "B",
        "A",
    ]


def test_rehab_alias():
    assert indeks.get_instrument("ikm-rehab").id == "ikm"
