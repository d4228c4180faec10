"""BNN instruments (DEKTARA, DEKTARI, IKP, IKOTAN): hand-computed vectors from
shared/spec/instruments.md sections 3-6, scored through the one engine."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import indeks
from indeks.instruments import DEFINITIONS_DIR
from indeks.scoring.engine import categorize, combine_index

OT = [
    f"ot{i:02d}" for i in range(1, 15)
]  # parent form: ot01-ot10 parenting, ot11-ot14 behaviour problems (reversed)
AN = [f"an{i:02d}" for i in range(1, 15)]  # child form: child resilience
REVERSED = set(OT[10:])
IKP_ASPECTS = ["manusia", "metode", "anggaran", "sistem", "sarana_prasarana", "kegiatan"]
IKP_WEIGHTS = dict(zip(IKP_ASPECTS, [6, 1, 3, 4, 3, 8]))


# ----------------------------------------------------------------------------- helpers
def dektara_frame(total_points: int, families: int = 10) -> pd.DataFrame:
    """``families`` parent+child pairs, every item answered, whose KEYED points sum to ``total_points``.

    Keyed values start at 3 everywhere; cells are then raised to 4 (or lowered to 2)
    one by one until the total is reached.  Reverse-keyed items (ot11-ot14) are
    written as the raw answer 5 - keyed, so the engine must reverse them back.
    """
    cells = families * 2 * 14
    keyed = np.full(cells, 3)
    diff = total_points - keyed.sum()
    step = 1 if diff > 0 else -1
    for j in range(abs(diff)):
        keyed[j] += step
    assert keyed.sum() == total_points and keyed.min() >= 1 and keyed.max() <= 4
    keyed = keyed.reshape(families, 2, 14)
    rows = []
    for f in range(families):
        fam = f"K{f + 1:02d}"
        parent = {"keluarga": fam, "id": f"{fam}-O", "peran": "Orang tua"}
        for j, item in enumerate(OT):
            v = int(keyed[f, 0, j])
            parent[item] = 5 - v if item in REVERSED else v
        child = {"keluarga": fam, "id": f"{fam}-A", "peran": "Anak"}
        for j, item in enumerate(AN):
            child[item] = int(keyed[f, 1, j])
        rows += [parent, child]
    return pd.DataFrame(rows, columns=["keluarga", "id", "peran"] + OT + AN)


def ikp_row(**answers) -> dict:
    """An IKP respondent: every aspect 3 unless given."""
    row = {a: 3 for a in IKP_ASPECTS}
    row.update(answers)
    return row


def ikp_total(row: dict) -> int:
    return sum(IKP_WEIGHTS[a] * row[a] for a in IKP_ASPECTS)


def dektari_row(sr, as_, ro, usia=16, rid="R01") -> dict:
    row = {"id": rid, "usia": usia}
    row.update({f"sr{i:02d}": sr for i in range(1, 9)})
    row.update({f"as{i:02d}": as_ for i in range(1, 8)})
    row.update({f"ro{i:02d}": ro for i in range(1, 7)})
    return row


# ----------------------------------------------------------------------------- DEKTARA
@pytest.mark.parametrize(
    "points, shown, label",
    [
        (917, "81.88", "Tinggi"),
        (839, "74.91", "Rendah"),
        (945, "84.38", "Tinggi"),
        (845, "75.45", "Tinggi"),
    ],
)
def test_dektara_pooled_group_index(points, shown, label):
    df = dektara_frame(points)
    res = indeks.score("dektara", df)
    assert res.n_scored == 20 and res.issues.empty
    s = res.summary.iloc[0]
    assert s["index"] == pytest.approx(100 * points / 1120)
    assert indeks.format_half_up(s["index"], 2) == shown
    assert s["category"] == label
    # every family contributes 2 x 14 x 4 = 112 maximum points: 1120 in all
    assert res.units["n_scored"].tolist() == [2] * 10


def test_dektara_917_is_81_875():
    s = indeks.score("dektara", dektara_frame(917)).summary.iloc[0]
    assert s["index"] == pytest.approx(81.875)
    assert s["category_code"] == "T"


def test_dektara_reverse_keyed_behaviour_items_on_declared_scale():
    # a parent answering 4 ("Sangat Setuju") everywhere: parenting 40/40, behaviour problems keyed 1 -> 4/16
    row = {"keluarga": "K01", "id": "K01-O", "peran": "ayah", **{i: 4 for i in OT}}
    r = indeks.score("dektara", pd.DataFrame([row])).respondents.iloc[0]
    assert r["pengasuhan"] == pytest.approx(100.0)
    assert r["masalah_perilaku_anak"] == pytest.approx(25.0)
    assert r["index"] == pytest.approx(100 * 44 / 56)
    assert np.isnan(r["ketahanan_anak"])  # not on the parent form


def test_dektara_family_unit_pools_parent_and_child_points():
    # parent answers all 14 items with keyed 4 (56/56 = 100); child answers only 7 items, all 1 (7/28 = 25).
    # Pooled family value = 63 / 84 = 75.00, not the mean of the two respondents (62.50).
    parent = {
        "keluarga": "K07",
        "id": "K07-O",
        "peran": "Ibu",
        **{i: (1 if i in REVERSED else 4) for i in OT},
    }
    child = {
        "keluarga": "K07",
        "id": "K07-A",
        "peran": "remaja",
        **{i: (1 if j < 7 else np.nan) for j, i in enumerate(AN)},
    }
    other = {"keluarga": "K08", "id": "K08-A", "peran": "anak", **{i: 2 for i in AN}}
    res = indeks.score("dektara", pd.DataFrame([parent, child, other]))
    r = res.respondents
    assert r["form"].tolist() == ["orang_tua", "anak", "anak"]
    assert r["unit"].tolist() == ["K07", "K07", "K08"]
    assert r["index"].tolist() == pytest.approx([100.0, 25.0, 50.0])
    u = res.units.set_index("unit")
    assert u.loc["K07", "index"] == pytest.approx(75.0)
    assert u.loc["K07", "category"] == "Tinggi"
    assert u.loc["K08", "index"] == pytest.approx(50.0)
    # group: (56 + 7 + 28) / (56 + 28 + 56)
    assert res.summary["index"].iloc[0] == pytest.approx(100 * 91 / 140)


def test_dektara_answer_labels_and_kurang_setuju_rejected():
    row = {
        "keluarga": "K01",
        "id": "K01-A",
        "peran": "child",
        **dict(
            zip(
                AN,
                [
                    "Sangat Setuju",
                    "SS",
                    "setuju",
                    "S",
                    "Tidak Setuju",
                    "ts",
                    "Sangat Tidak Setuju",
                    "STS",
                    "sangat  setuju",
                    "Kurang Setuju",
                    4,
                    3,
                    2,
                    1,
                ],
            )
        ),
    }
    res = indeks.score("dektara", pd.DataFrame([row]))
    r = res.respondents.iloc[0]
    # 4+4+3+3+2+2+1+1+4 + (unknown) + 4+3+2+1 = 34 of 13 x 4 = 52
    assert r["index"] == pytest.approx(100 * 34 / 52)
    bad = res.issues[res.issues["code"] == "unknown_label"]
    assert bad["item"].tolist() == ["an10"] and bad["value"].tolist() == ["Kurang Setuju"]


def test_dektara_unknown_form_value_is_rejected():
    row = {"keluarga": "K01", "id": "K01-X", "peran": "guru", **{i: 3 for i in AN}}
    res = indeks.score("dektara", pd.DataFrame([row]))
    assert res.respondents["status"].iloc[0] == "rejected"
    assert "unknown_form" in res.respondents["reason"].iloc[0]


def test_dektara_complete_rule_rejects_partial_respondent():
    df = dektara_frame(90, families=1)
    df.loc[1, "an03"] = np.nan
    pooled = indeks.score("dektara", df)
    assert pooled.n_scored == 2
    complete = indeks.score("dektara", df, missing_rule="complete")
    assert complete.respondents["status"].tolist() == ["scored", "rejected"]
    assert complete.respondents["reason"].iloc[1] == "too_many_missing"


def test_dektara_provisional_and_prepost_rule():
    inst = indeks.get_instrument("dektara")
    assert inst.status == "provisional"
    assert all(it.placeholder for it in inst.items)
    assert len([i for i in inst.items if i.form == "orang_tua"]) == 14
    assert len([i for i in inst.items if i.form == "anak"]) == 14
    assert inst.prepost.score == "index" and inst.prepost.reported == "post_group_index"
    res = indeks.score(inst, dektara_frame(945))
    assert "dektara" in res.meta["provisional_warning"]


# ----------------------------------------------------------------------------- DEKTARI
@pytest.mark.parametrize(
    "value, label",
    [
        (0.0, "Sangat Rendah"),
        (44.99, "Sangat Rendah"),
        (45.00, "Rendah"),
        (49.99, "Rendah"),
        (50.00, "Tinggi"),
        (54.99, "Tinggi"),
        (55.00, "Sangat Tinggi"),
        (100.0, "Sangat Tinggi"),
        (44.995, "Rendah"),
        (54.994, "Tinggi"),
    ],
)
def test_dektari_band_edges(value, label):
    table = indeks.get_instrument("dektari").categories[0]
    assert categorize(table, [value])[0][0] == label


def test_dektari_percent_of_max_dimensions_and_mean_index():
    rows = [
        dektari_row(3, 2, 4, rid="R01"),
        dektari_row(2, 2, 2, rid="R02"),
        dektari_row(4, 3, 1, usia=12, rid="R03"),
    ]
    res = indeks.score("dektari", pd.DataFrame(rows))
    r = res.respondents
    assert r["self_regulation"].tolist() == pytest.approx([200 / 3, 100 / 3, 100.0])
    assert r["assertiveness"].tolist() == pytest.approx([100 / 3, 100 / 3, 200 / 3])
    assert r["reaching_out"].tolist() == pytest.approx([100.0, 100 / 3, 0.0])
    assert r["index"].tolist() == pytest.approx([200 / 3, 100 / 3, 500 / 9])
    assert r["category"].tolist() == ["Sangat Tinggi", "Sangat Rendah", "Sangat Tinggi"]
    s = res.summary.iloc[0]
    assert s["index"] == pytest.approx((200 / 3 + 100 / 3 + 500 / 9) / 3)  # 51.85 -> Tinggi
    assert indeks.format_half_up(s["index"], 2) == "51.85" and s["category"] == "Tinggi"


def test_dektari_ineligible_22_year_old():
    rows = [
        dektari_row(3, 3, 3, usia=21, rid="R01"),
        dektari_row(4, 4, 4, usia=22, rid="R02"),
        dektari_row(2, 2, 2, usia=12, rid="R03"),
    ]
    res = indeks.score("dektari", pd.DataFrame(rows))
    r = res.respondents
    assert r["status"].tolist() == ["scored", "rejected", "scored"]
    assert r["reason"].tolist() == ["", "ineligible", ""]
    assert np.isnan(r["index"].iloc[1])
    iss = res.issues[res.issues["code"] == "ineligible"]
    assert len(iss) == 1
    assert int(iss["row"].iloc[0]) == 2 and iss["column"].iloc[0] == "usia"
    assert str(iss["value"].iloc[0]) == "22" and iss["respondent_id"].iloc[0] == "R02"
    # the rejected respondent is not in the group mean: (66.67 + 33.33) / 2
    assert res.summary["index"].iloc[0] == pytest.approx(50.0)
    assert res.summary["n_rejected"].iloc[0] == 1


def test_dektari_age_alias_umur():
    df = pd.DataFrame([dektari_row(3, 3, 3, usia=11)]).rename(columns={"usia": "Umur"})
    res = indeks.score("dektari", df)
    assert res.respondents["reason"].iloc[0] == "ineligible"


# ----------------------------------------------------------------------------- IKP
@pytest.mark.parametrize(
    "answers, total, shown, code, label",
    [
        (dict(metode=4, sistem=4), 80, "3.20", "B", "Mandiri"),
        (dict(kegiatan=2, anggaran=2), 64, "2.56", "B", "Mandiri"),
        ({a: 1 for a in IKP_ASPECTS}, 25, "1.00", "D", "Tidak Mandiri"),
        ({a: 4 for a in IKP_ASPECTS}, 100, "4.00", "A", "Sangat Mandiri"),
    ],
)
def test_ikp_total_over_25(answers, total, shown, code, label):
    row = ikp_row(**answers)
    assert ikp_total(row) == total
    res = indeks.score("ikp", pd.DataFrame([row]))
    r = res.respondents.iloc[0]
    assert r["index"] == pytest.approx(total / 25)
    assert indeks.format_half_up(r["index"], 2) == shown
    assert r["category_code"] == code and r["category"] == label
    assert r["index_converted"] == pytest.approx(total)
    assert r["category_converted_code"] == code


def test_ikp_62_5_is_2_50_c():
    # total 62.5 is the mean of two activists with totals 62 and 63: IKP 2.50 -> C Kurang Mandiri
    a, b = ikp_row(kegiatan=2, sistem=2, metode=2), ikp_row(kegiatan=2, anggaran=2, metode=2)
    assert (ikp_total(a), ikp_total(b)) == (62, 63)
    s = indeks.score("ikp", pd.DataFrame([a, b])).summary.iloc[0]
    assert s["index"] == pytest.approx(2.5)
    assert indeks.format_half_up(s["index"], 2) == "2.50"
    assert s["category_code"] == "C" and s["category"] == "Kurang Mandiri"
    assert (
        indeks.format_half_up(s["index_converted"], 2) == "62.50"
        and s["category_converted_code"] == "C"
    )
    table = indeks.get_instrument("ikp").categories[0]
    assert categorize(table, [62.5 / 25])[1][0] == "C"


def test_ikp_3_54_converts_to_88_50_a():
    a, b = ikp_row(**{x: 4 for x in IKP_ASPECTS}), ikp_row(**{x: 4 for x in IKP_ASPECTS})
    a.update(kegiatan=3, sistem=3)
    b.update(kegiatan=3, anggaran=3)
    assert (ikp_total(a), ikp_total(b)) == (88, 89)
    s = indeks.score("ikp", pd.DataFrame([a, b])).summary.iloc[0]
    assert indeks.format_half_up(s["index"], 2) == "3.54"
    assert indeks.format_half_up(s["index_converted"], 2) == "88.50"
    assert s["category_converted"] == "Sangat Mandiri" and s["category"] == "Sangat Mandiri"


@pytest.mark.parametrize(
    "value, code",
    [
        (1.75, "D"),
        (1.76, "C"),
        (2.50, "C"),
        (2.51, "B"),
        (3.21, "B"),
        (2.57, "B"),
        (3.25, "B"),
        (3.26, "A"),
        (1.755, "C"),
        (3.254, "B"),
    ],
)
def test_ikp_interval_edges(value, code):
    table = indeks.get_instrument("ikp").categories[0]
    assert categorize(table, [value])[1][0] == code


@pytest.mark.parametrize(
    "value, code",
    [
        (43.75, "D"),
        (43.76, "C"),
        (62.50, "C"),
        (62.51, "B"),
        (81.25, "B"),
        (81.26, "A"),
        (100.0, "A"),
    ],
)
def test_ikp_converted_edges(value, code):
    table = indeks.get_instrument("ikp").categories[1]
    assert table.name == "converted" and table.on == "index_converted"
    assert categorize(table, [value])[1][0] == code


def test_ikp_environment_and_city_values():
    # three activists in pemerintah with IKP 4.00, one in swasta with 1.00.
    # city = mean over all four respondents = 3.25 (B); the mean of the two environment means would be 2.50 (C)
    top, low = {a: 4 for a in IKP_ASPECTS}, {a: 1 for a in IKP_ASPECTS}
    df = pd.DataFrame([top, top, low, top])
    df["lingkungan"] = ["pemerintah", "pemerintah", "swasta", "pemerintah"]
    res = indeks.score("ikp", df, group_by="lingkungan")
    s = res.summary
    assert s["lingkungan"].tolist() == ["(semua)", "pemerintah", "swasta"]
    assert s["n"].tolist() == [4, 3, 1]
    assert s["index"].tolist() == pytest.approx([3.25, 4.0, 1.0])
    assert s["category_code"].tolist() == ["B", "A", "D"]
    assert s["index_converted"].iloc[0] == pytest.approx(81.25)
    assert s["manusia"].iloc[0] == pytest.approx(3.25)


def test_ikp_letters_a_to_d_and_incomplete_rejected():
    df = pd.DataFrame(
        [
            {
                "manusia": "d",
                "metode": "A",
                "anggaran": "c",
                "sistem": "b",
                "sarpras": "D",
                "kegiatan": "c",
            },
            {
                "manusia": "d",
                "metode": "a",
                "anggaran": "c",
                "sistem": None,
                "sarpras": "d",
                "kegiatan": "c",
            },
        ]
    )
    res = indeks.score("ikp", df)
    r = res.respondents
    assert r["index"].iloc[0] == pytest.approx((6 * 4 + 1 * 1 + 3 * 3 + 4 * 2 + 3 * 4 + 8 * 3) / 25)
    assert (
        r["status"].tolist() == ["scored", "rejected"] and r["reason"].iloc[1] == "too_many_missing"
    )


def test_ikp_weights_exact_and_provisional_notes():
    inst = indeks.get_instrument("ikp")
    assert inst.index.weights == {a: Fraction(w) for a, w in IKP_WEIGHTS.items()}
    assert inst.index.weights_sum == 25
    keys = {n.key for n in inst.provisional}
    assert {"index.weights", "aggregation", "conversion.precision"} <= keys
    assert inst.conversion.precision == 2
    res = indeks.score(inst, pd.DataFrame([ikp_row()]))
    assert "index.weights" in res.meta["provisional_warning"]


# ----------------------------------------------------------------------------- IKOTAN
@pytest.mark.parametrize(
    "value, label",
    [
        (25.00, "Tidak Tanggap"),
        (25.01, "Cukup Tanggap"),
        (50.00, "Cukup Tanggap"),
        (50.01, "Tanggap"),
        (75.00, "Tanggap"),
        (75.01, "Sangat Tanggap"),
        (100.0, "Sangat Tanggap"),
        (50.004, "Cukup Tanggap"),
        (50.005, "Tanggap"),
    ],
)
def test_ikotan_band_edges_on_converted_value(value, label):
    table = indeks.get_instrument("ikotan").categories[0]
    assert table.on == "index_converted" and table.precision == 2
    assert categorize(table, [value])[0][0] == label


IKOTAN_VARS = ["ketahanan_keluarga", "ketahanan_masyarakat", "kewilayahan", "kelembagaan", "hukum"]
IKOTAN_PREFIX = ["kk", "km", "kw", "kl", "hk"]


def ikotan_row(values: dict | None = None, default=2) -> dict:
    row = {f"{p}{i:02d}": default for p in IKOTAN_PREFIX for i in range(1, 6)}
    row.update(values or {})
    return row


def test_ikotan_from_answers_edge_50_and_51():
    # all 2 -> index 2.00 -> 50.00 Cukup Tanggap; one item 3 -> variable 2.2, index 2.04 -> 51.00 Tanggap
    res = indeks.score(
        "ikotan", pd.DataFrame([ikotan_row(), ikotan_row({"hk05": 3}), ikotan_row(default=1)])
    )
    r = res.respondents
    assert r["index"].tolist() == pytest.approx([2.0, 2.04, 1.0])
    assert r["hukum"].tolist() == pytest.approx([2.0, 2.2, 1.0])
    assert r["index_converted"].tolist() == pytest.approx([50.0, 51.0, 25.0])
    assert r["category"].tolist() == ["Cukup Tanggap", "Tanggap", "Tidak Tanggap"]


def test_ikotan_equal_weights_on_report_variables_give_2_70_not_2_79():
    inst = indeks.get_instrument("ikotan")
    assert set(inst.index.weights.values()) == {Fraction(1, 5)}
    vals = dict(zip(IKOTAN_VARS, [2.74, 3.41, 2.21, 2.65, 2.48]))
    idx = combine_index(inst, {k: np.array([v]) for k, v in vals.items()})[0]
    assert indeks.format_half_up(idx, 2) == "2.70"
    assert categorize(inst.categories[0], [idx * 25])[0][0] == "Tanggap"


def test_every_ikotan_result_carries_the_provisional_warning():
    df = pd.DataFrame([ikotan_row(default=3), ikotan_row(default=4)])
    df["tatanan"] = ["sekolah", "keluarga"]
    for res in (
        indeks.score("ikotan", df),
        indeks.score("ikotan", df, group_by="tatanan"),
        indeks.score("ikotan", df, lang="en"),
    ):
        w = res.meta["provisional_warning"]
        assert w and "index.weights" in w
        assert res.summary.attrs["provisional_warning"] == w
        assert res.respondents.attrs["provisional_warning"] == w


# ----------------------------------------------------------------------------- editing a definition
def _copy(tmp_path, name: str, old: str, new: str):
    text = (DEFINITIONS_DIR / f"{name}.toml").read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new, 1).replace(f'id = "{name}"', f'id = "{name}-edit"', 1)
    path = tmp_path / f"{name}-edit.toml"
    path.write_text(edited, encoding="utf-8")
    return indeks.load_instrument(path), path


def test_edit_dektara_threshold_changes_category(tmp_path):
    df = dektara_frame(945)  # 84.38
    assert indeks.score("dektara", df).summary["category"].iloc[0] == "Tinggi"
    inst, path = _copy(tmp_path, "dektara", "min = 75.00", "min = 85.00")
    s = indeks.score(inst, df).summary.iloc[0]
    assert s["category"] == "Rendah" and s["index"] == pytest.approx(100 * 945 / 1120)
    assert indeks.score(str(path), df).summary["category"].iloc[0] == "Rendah"


def test_edit_ikp_weights_changes_index(tmp_path):
    row = ikp_row(kegiatan=4)  # 75 + 8 = 83 -> 3.32
    assert indeks.score("ikp", pd.DataFrame([row])).respondents["index"].iloc[0] == pytest.approx(
        83 / 25
    )
    inst, _ = _copy(
        tmp_path, "ikp", "sarana_prasarana = 3, kegiatan = 8", "sarana_prasarana = 5, kegiatan = 6"
    )
    assert inst.index.weights["kegiatan"] == 6
    assert indeks.score(inst, pd.DataFrame([row])).respondents["index"].iloc[0] == pytest.approx(
        81 / 25
    )


def test_edit_ikotan_weights_changes_index(tmp_path):
    row = ikotan_row({f"hk{i:02d}": 4 for i in range(1, 6)})  # hukum 4, the other four variables 2
    assert indeks.score("ikotan", pd.DataFrame([row])).respondents["index"].iloc[
        0
    ] == pytest.approx(2.4)
    bad = tmp_path / "ikotan-bad.toml"
    text = (DEFINITIONS_DIR / "ikotan.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace('hukum = "1/5"', 'hukum = "2/5"'), encoding="utf-8")
    with pytest.raises(
        indeks.DefinitionError, match="weights_sum"
    ):  # weights must keep their declared sum
        indeks.load_instrument(bad)
    good = tmp_path / "ikotan-hukum2.toml"
    good.write_text(
        text.replace('hukum = "1/5"', 'hukum = "2/5"').replace(
            "weights_sum = 1", 'weights_sum = "6/5"'
        ),
        encoding="utf-8",
    )
    inst = indeks.load_instrument(good)
    res = indeks.score(inst, pd.DataFrame([row]))
    assert res.respondents["index"].iloc[0] == pytest.approx((4 * 2 + 2 * 4) / 6)
    assert res.meta["provisional_warning"]


# ----------------------------------------------------------------------------- sample data
SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.mark.parametrize(
    "inst, rel, group, shown, label, n_scored",
    [
        ("dektara", "kupang-2024/data/dektara_pre.csv", None, "74.91", "Rendah", 20),
        ("dektara", "kupang-2024/data/dektara_post.csv", None, "84.38", "Tinggi", 20),
        ("dektari", "kupang-2024/data/dektari_post.csv", None, "40.98", "Sangat Rendah", 10),
        ("ikp", "kupang-2024/data/ikp.csv", "lingkungan", "3.54", "Sangat Mandiri", 40),
        ("dektara", "dektara/post.csv", None, "84.38", "Tinggi", 20),
        ("dektari", "dektari/post.csv", None, "40.98", "Sangat Rendah", 10),
        ("ikotan", "ikotan/ikotan.csv", "tatanan", "2.70", "Tanggap", 40),
    ],
)
def test_sample_files_reproduce_the_reference_realisations(
    inst, rel, group, shown, label, n_scored
):
    from indeks.io.readers import read_table

    path = SAMPLES / rel
    if not path.exists():
        pytest.skip(f"{rel} not generated (python sample_data/generate_bnn.py)")
    res = indeks.score(inst, read_table(path), group_by=group)
    s = res.summary.iloc[0]
    assert indeks.format_half_up(s["index"], 2) == shown
    assert s["category"] == label
    assert int(s["n_scored"]) == n_scored
    assert set(res.issues["code"]) <= {"ineligible"}
