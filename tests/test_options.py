"""indeks.ScoringOptions: one options object accepted by every entry point."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import indeks
from indeks.scoring.engine import prepare

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def _whoqol(n=40, seed=3):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.integers(1, 6, size=(n, 26)), columns=[f"q{i}" for i in range(1, 27)])
    df.insert(0, "klien", [f"K{i:03d}" for i in range(n)])
    df["unit"] = np.where(np.arange(n) % 2, "Rawat Inap", "Rawat Jalan")
    return df


def test_options_are_frozen_and_normalised():
    o = indeks.ScoringOptions(group_by="unit", pre_reversed=["q3", "q4"], lang="EN")
    assert o.group_by == ("unit",)
    assert o.pre_reversed == ("q3", "q4")
    assert o.lang == "en"
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.lang = "id"  # type: ignore[misc]
    assert o.replace(lang="id").lang == "id" and o.lang == "en"


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="lang"):
        indeks.ScoringOptions(lang="fr")
    with pytest.raises(ValueError, match="confidence"):
        indeks.ScoringOptions(confidence=1.0)
    with pytest.raises(TypeError, match="unknown scoring option"):
        indeks.ScoringOptions.merged(None, colour="red")
    with pytest.raises(TypeError, match="ScoringOptions"):
        indeks.score("whoqol-bref", _whoqol(), options={"lang": "en"})


def test_score_with_options_equals_keywords():
    df = _whoqol()
    opts = indeks.ScoringOptions(
        id_column="klien", group_by=("unit",), pre_reversed=("q3",), lang="en"
    )
    a = indeks.score("whoqol-bref", df, options=opts)
    b = indeks.score(
        "whoqol-bref", df, id_column="klien", group_by="unit", pre_reversed=["q3"], lang="en"
    )
    pd.testing.assert_frame_equal(a.respondents, b.respondents)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert a.meta["pre_reversed"] == ["q3"] and a.meta["lang"] == "en"
    assert list(a.respondents["respondent_id"][:2]) == ["K000", "K001"]
    # q3 printed reversed: the same answers read differently than without the option
    c = indeks.score("whoqol-bref", df, options=opts.replace(pre_reversed=()))
    assert not np.allclose(
        a.respondents["physical"].to_numpy(), c.respondents["physical"].to_numpy()
    )


def test_keyword_replaces_the_option_it_names():
    df = _whoqol()
    opts = indeks.ScoringOptions(id_column="klien", lang="en")
    r = indeks.score("whoqol-bref", df, options=opts, lang="id")
    assert r.meta["lang"] == "id"
    assert r.respondents["respondent_id"].iloc[0] == "K000"  # id_column kept from options
    # the object given is not changed
    assert opts.lang == "en"


def test_population_option_checks_the_sample():
    df = indeks.read_responses(SAMPLES / "ikm" / "clean.csv")
    r = indeks.score("ikm", df, options=indeks.ScoringOptions(population=100_000))
    assert int(r.summary["sample_required"].iloc[0]) == indeks.krejcie_morgan(100_000) == 383


def test_compare_and_reliability_take_the_same_options():
    pre = indeks.read_responses(SAMPLES / "whoqol" / "pre.csv")
    post = indeks.read_responses(SAMPLES / "whoqol" / "post.csv")
    opts = indeks.ScoringOptions(lang="en", confidence=0.90)
    c1 = indeks.compare("whoqol-bref", pre, post, options=opts)
    c2 = indeks.compare("whoqol-bref", pre, post, lang="en", confidence=0.90)
    pd.testing.assert_frame_equal(c1.pairs, c2.pairs)
    pd.testing.assert_frame_equal(c1.stats, c2.stats)
    assert c1.meta["confidence"] == 0.90 and c1.meta["lang"] == "en"
    r = indeks.reliability("whoqol-bref", pre, options=opts)
    assert r.meta["confidence"] == 0.90 and r.meta["lang"] == "en"
    r95 = indeks.reliability("whoqol-bref", pre)
    d90 = r.domains.set_index("domain")
    d95 = r95.domains.set_index("domain")
    # same alpha, a narrower interval at 90 %
    assert np.allclose(d90["alpha"], d95["alpha"])
    assert (
        d90["alpha_ci_high"] - d90["alpha_ci_low"] < d95["alpha_ci_high"] - d95["alpha_ci_low"]
    ).all()


def test_prepare_steps_give_forms_as_small_codes():
    pre = indeks.read_responses(SAMPLES / "dektara" / "pre.csv")
    prep = prepare("dektara", pre, id_column="id")
    assert prep.form_code.dtype == np.int8
    forms = list(prep.inst.forms)
    assert [forms[c] for c in prep.form_code[:2]] == list(prep.forms[:2])
    # items outside a row's form are never answered
    for j, it in enumerate(prep.inst.items):
        other = prep.form_code != forms.index(it.form)
        assert not prep.valid[j][other].any()


def test_duplicate_ids_are_per_form():
    pre = indeks.read_responses(SAMPLES / "dektara" / "pre.csv")
    pre = pre.copy()
    pre["id"] = pre["keluarga"]  # parent and child of a family share an id: not a duplicate
    r = indeks.score("dektara", pre, id_column="id")
    assert "duplicate_id" not in set(r.issues["code"])
    pre.attrs.clear()  # rows counted 1..n below
    twice = pd.concat([pre.iloc[:1], pre], ignore_index=True)  # the first parent twice
    r2 = indeks.score("dektara", twice, id_column="id")
    dup = r2.issues[r2.issues["code"] == "duplicate_id"]
    assert sorted(dup["row"]) == [1, 2]
    assert dup["message"].str.contains("1, 2").all()
