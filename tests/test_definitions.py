"""Definition files that break a validation rule are rejected naming file and key."""

import pytest

import indeks
from indeks.instruments import DEFINITIONS_DIR, DefinitionError

GOOD = """
id = "mini"
name = "Mini"
version = "1"
status = "official"
items = [
  { id = "a1", domain = "d1" },
  { id = "a2", domain = "d1", reverse = true },
  { id = "b1", domain = "d2" },
]

[scales.s4]
min = 1
max = 4

[item_defaults]
scale = "s4"

[[domains]]
id = "d1"
label = "D1"
method = "mean"

[[domains]]
id = "d2"
label = "D2"
method = "mean"

[index]
method = "weighted_mean"
weights = { d1 = "1/3", d2 = "2/3" }
weights_sum = 1

[[categories]]
on = "index"
precision = 2
bands = [
  { code = "L", label = "Low", min = 1.00, max = 2.50 },
  { code = "H", label = "High", min = 2.51, max = 4.00 },
]
"""


def write(tmp_path, text, name="mini.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_good_definition_loads(tmp_path):
    inst = indeks.load_instrument(write(tmp_path, GOOD))
    assert inst.id == "mini" and [i.id for i in inst.items] == ["a1", "a2", "b1"]


BROKEN = [
    (
        "unknown key",
        GOOD.replace('status = "official"', 'status = "official"\ncolour = "red"'),
        "colour",
        "unknown key",
    ),
    (
        "unknown nested key",
        GOOD.replace(
            'method = "mean"\n\n[[domains]]', 'method = "mean"\nmin_anwsered = 1\n\n[[domains]]', 1
        ),
        "domains[0] (d1).min_anwsered",
        "did you mean 'min_answered'",
    ),
    (
        "item in no domain",
        GOOD.replace('{ id = "b1", domain = "d2" }', '{ id = "b1" }'),
        "items[2] (b1).domain",
        "in no domain",
    ),
    (
        "undeclared domain",
        GOOD.replace('{ id = "b1", domain = "d2" }', '{ id = "b1", domain = "d9" }'),
        "items[2] (b1).domain",
        "undeclared domain 'd9'",
    ),
    (
        "duplicate item id",
        GOOD.replace('{ id = "b1", domain = "d2" }', '{ id = "a1", domain = "d2" }'),
        "items[2] (a1).id",
        "duplicate item id",
    ),
    (
        "duplicate domain id",
        GOOD.replace('id = "d2"\nlabel = "D2"', 'id = "d1"\nlabel = "D2"'),
        "domains[1] (d1).id",
        "duplicate domain id",
    ),
    ("weights do not sum", GOOD.replace('d2 = "2/3"', "d2 = 0.66"), "index.weights", "sum to"),
    (
        "reverse key without a scale",
        GOOD.replace(
            '{ id = "a2", domain = "d1", reverse = true }',
            '{ id = "a2", domain = "d1", reverse = true, scale = "nope" }',
        ),
        "items[1] (a2).scale",
        "reverse-keyed item needs a declared scale",
    ),
    ("category gap", GOOD.replace("min = 2.51", "min = 2.52"), "categories[0].bands[1].min", "gap"),
    (
        "category overlap",
        GOOD.replace("min = 2.51", "min = 2.50"),
        "categories[0].bands[1].min",
        "overlap",
    ),
    (
        "threshold out of range",
        GOOD.replace("max = 4.00 }", "max = 5.00 }"),
        "categories[0].bands[1].max",
        "outside the range",
    ),
    (
        "threshold below range",
        GOOD.replace("min = 1.00, max = 2.50", "min = 0.50, max = 2.50"),
        "categories[0].bands[0].min",
        "outside the range",
    ),
    (
        "more decimals than precision",
        GOOD.replace("min = 2.51", "min = 2.515"),
        "categories[0].bands[1].min",
        "precision",
    ),
    (
        "min answered above items",
        GOOD.replace(
            'label = "D2"\nmethod = "mean"', 'label = "D2"\nmethod = "mean"\nmin_answered = 2'
        ),
        "domains[1] (d2).min_answered.default",
        "not between 0",
    ),
    (
        "bad method",
        GOOD.replace('label = "D2"\nmethod = "mean"', 'label = "D2"\nmethod = "median"'),
        "domains[1] (d2).method",
        "median",
    ),
    (
        "missing code inside scale",
        GOOD.replace("max = 4\n", "max = 4\nmissing_codes = [3]\n", 1),
        "scales.s4.missing_codes[0]",
        "inside the scale",
    ),
    ("not toml", "id = ", "", "not valid TOML"),
]


@pytest.mark.parametrize("what, text, key, msg", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_definition_rejected_with_file_and_key(tmp_path, what, text, key, msg):
    path = write(tmp_path, text)
    with pytest.raises(DefinitionError) as err:
        indeks.load_instrument(path)
    text = str(err.value)
    assert str(path) in text
    assert key in [p.key for p in err.value.problems]
    assert msg in text


def test_every_builtin_definition_loads():
    ids = indeks.list_instruments()
    assert {"whoqol-bref", "ikm", "ikm-2004"} <= set(ids)
    for p in DEFINITIONS_DIR.glob("*.toml"):
        indeks.load_instrument(p)


def test_weights_exactly_one_ninth():
    inst = indeks.get_instrument("ikm")
    from fractions import Fraction

    assert set(inst.index.weights.values()) == {Fraction(1, 9)}


def test_edit_a_copy_changes_the_result(tmp_path):
    import pandas as pd

    text = (DEFINITIONS_DIR / "ikm.toml").read_text(encoding="utf-8")
    # move the C/B threshold from 3.0644 to 3.5000: an NRR of 3.3 becomes C instead of B
    edited = text.replace("min = 3.0644", "min = 3.5000").replace(
        'id = "ikm"', 'id = "ikm-edit"', 1
    )
    path = write(tmp_path, edited, "ikm-edit.toml")
    df = pd.DataFrame(
        [[3] * 9] * 7 + [[4] * 9] * 3, columns=[f"u{i}" for i in range(1, 10)]
    )  # IKM 3.3
    assert indeks.score("ikm", df).summary["category_code"].iloc[0] == "B"
    assert indeks.score(str(path), df).summary["category_code"].iloc[0] == "C"
