"""Definition files: strict types, every problem at once, [[examples]] run by check.

Each test here fails on the loader before strict checking (issue 14 item 4, issue 12
items 3-4): strings taken as booleans, precision 400, "1e999999999", tables where a
text was expected (exit 3), all-zero weights, alias patterns run through str.format,
a BOM, one problem per run.
"""

import copy
import time
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from cli_run import run
from test_definitions import GOOD

import indeks
from indeks.instruments import DEFINITIONS_DIR, DefinitionError
from indeks.instruments.examples import check_instrument, run_examples
from indeks.instruments.loader import parse_definition


def write(tmp_path, text, name="mini.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problems(tmp_path, text) -> list:
    with pytest.raises(DefinitionError) as err:
        indeks.load_instrument(write(tmp_path, text))
    return err.value.problems


def keys(tmp_path, text) -> list[str]:
    return [p.key for p in problems(tmp_path, text)]


# ---------------------------------------------------------------- strict types
def test_reverse_as_text_is_rejected(tmp_path):
    text = GOOD.replace("reverse = true", 'reverse = "false"')
    (p,) = problems(tmp_path, text)
    assert p.key == "items[1] (a2).reverse"
    assert "true or false" in p.message and "without quotes" in p.message


@pytest.mark.parametrize(
    "old, new, key",
    [
        ('method = "mean"\n', 'method = "mean"\nreported = "no"\n', "domains[0] (d1).reported"),
        (
            "max = 4.00 },\n]\n",
            "max = 4.00 },\n]\n[sample_size]\nkrejcie_morgan = 1\n",
            "sample_size.krejcie_morgan",
        ),
        (
            '{ id = "b1", domain = "d2" }',
            '{ id = "b1", domain = "d2", placeholder = "yes" }',
            "items[2] (b1).placeholder",
        ),
    ],
)
def test_other_booleans_must_be_booleans(tmp_path, old, new, key):
    assert key in keys(tmp_path, GOOD.replace(old, new, 1))


def test_same_answer_text_for_two_codes_is_rejected(tmp_path):
    text = GOOD.replace("max = 4\n", 'max = 4\nlabels = { 1 = ["Tidak"], 2 = ["tidak "] }\n', 1)
    (p,) = problems(tmp_path, text)
    assert p.key == "scales.s4.labels"
    assert "'tidak '" in p.message and "code 1" in p.message and "code 2" in p.message


def test_item_labels_contradicting_the_scale_are_rejected(tmp_path):
    text = GOOD.replace("max = 4\n", 'max = 4\nlabels = { 1 = ["Buruk"] }\n', 1).replace(
        '{ id = "b1", domain = "d2" }', '{ id = "b1", domain = "d2", labels = { 4 = ["buruk"] } }'
    )
    assert keys(tmp_path, text) == ["items[2] (b1).labels"]


def test_missing_label_equal_to_an_answer_is_rejected(tmp_path):
    text = GOOD.replace("max = 4\n", 'max = 4\nlabels = { 1 = ["-"] }\nmissing_labels = ["-"]\n', 1)
    assert keys(tmp_path, text) == ["scales.s4.missing_labels"]


@pytest.mark.parametrize("value", ["400", "-1", "11", '"2"', "2.5", "true"])
@pytest.mark.parametrize(
    "where",
    ["domain", "index", "category", "conversion"],
)
def test_precision_out_of_range_or_not_whole(tmp_path, value, where):
    text = GOOD
    if where == "domain":
        text = text.replace('label = "D1"\n', f'label = "D1"\nprecision = {value}\n')
        key = "domains[0] (d1).precision"
    elif where == "index":
        text = text.replace("weights_sum = 1\n", f"weights_sum = 1\nprecision = {value}\n")
        key = "index.precision"
    elif where == "category":
        text = text.replace('on = "index"\nprecision = 2', f'on = "index"\nprecision = {value}')
        key = "categories[0].precision"
    else:
        text = text + f"\n[conversion]\nmultiply = 25\nprecision = {value}\n"
        key = "conversion.precision"
    assert key in keys(tmp_path, text)


def test_precision_ten_is_accepted(tmp_path):
    text = GOOD.replace('label = "D1"\n', 'label = "D1"\nprecision = 10\n')
    assert indeks.load_instrument(write(tmp_path, text)).domain("d1").precision == 10


@pytest.mark.parametrize(
    "number", ['"1e999999999"', '"1/1e-999999999"', '"1e400"', "1e300", '"1e15"', "inf", "nan"]
)
def test_huge_numbers_rejected_quickly(tmp_path, number):
    text = GOOD + f"\n[conversion]\nmultiply = {number}\n"
    t = time.perf_counter()
    assert keys(tmp_path, text) == ["conversion.multiply"]
    assert time.perf_counter() - t < 2


def test_multiply_that_makes_scores_huge_is_rejected(tmp_path):
    text = GOOD.replace(
        'label = "D1"\n', 'label = "D1"\ntransform = { add = 0, multiply = 999999999999999 }\n'
    )
    ks = keys(tmp_path, text)
    assert "domains (d1)" in ks


def test_zero_multiply_is_rejected(tmp_path):
    text = GOOD + "\n[conversion]\nmultiply = 0\n"
    assert keys(tmp_path, text) == ["conversion.multiply"]


def test_all_zero_weights_are_rejected(tmp_path):
    text = GOOD.replace('weights = { d1 = "1/3", d2 = "2/3" }', "weights = { d1 = 0, d2 = 0 }")
    text = text.replace("weights_sum = 1", "weights_sum = 0")
    (p,) = problems(tmp_path, text)
    assert p.key == "index.weights" and "all 0" in p.message


def test_bom_is_accepted(tmp_path):
    p = tmp_path / "notepad.toml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert indeks.load_instrument(p).id == "mini"


def test_not_utf8_says_so(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes(GOOD.replace('name = "Mini"', 'name = "Mini é"').encode("latin-1"))
    with pytest.raises(DefinitionError, match="not a UTF-8 text file"):
        indeks.load_instrument(p)


def test_deep_nesting_is_a_clean_error(tmp_path):
    p = write(tmp_path, "x = " + "[" * 50000 + "]" * 50000)
    with pytest.raises(DefinitionError, match="nested too deeply"):
        indeks.load_instrument(p)


def test_toml_syntax_error_has_a_line(tmp_path):
    p = write(tmp_path, GOOD.replace('version = "1"', "version = "))
    with pytest.raises(DefinitionError) as err:
        indeks.load_instrument(p)
    assert err.value.line == 4 and f"{p}:4:" in str(err.value)


# ---------------------------------------------------------------- alias patterns
NUMBERED = GOOD.replace('{ id = "b1", domain = "d2" }', '{ id = "b1", domain = "d2", number = 3 }')


@pytest.mark.parametrize(
    "pattern",
    [
        "{n.__class__.__mro__}",
        "{n:>300000000}",
        "{0}",
        "{}",
        "q{n",
        "q}{n}",
        "{m}",
        "{n!r}",
        "{n:2d}",
        "plain",
    ],
)
def test_alias_patterns_are_a_small_template_language(tmp_path, pattern):
    text = NUMBERED.replace(
        'status = "official"', f'status = "official"\nalias_patterns = ["p{{n}}", "{pattern}"]'
    )
    (p,) = problems(tmp_path, text)
    assert p.key == "alias_patterns[1]" and "{n:02d}" in p.message


def test_alias_patterns_expand(tmp_path):
    text = NUMBERED.replace(
        'status = "official"',
        'status = "official"\nalias_patterns = ["q{n:03d}", "p{n}", "x{n}y{n:02d}"]',
    )
    inst = indeks.load_instrument(write(tmp_path, text))
    assert inst.item("b1").aliases == ("q003", "p3", "x3y03")
    # and they are used to find columns
    df = pd.DataFrame(
        {"q001": [4], "p2": [4], "x3y03": [2]}
    )  # a1 via q001, a2 via p2; b1 via x3y03
    r = indeks.score(inst, df)
    assert r.respondents["d1"].iloc[0] == pytest.approx(2.5)  # 4 and reversed 4 -> 1
    assert r.respondents["d2"].iloc[0] == 2


def test_builtin_patterns_unchanged():
    assert indeks.get_instrument("whoqol-bref").item("q7").aliases[:3] == ("q07", "p7", "p07")
    assert indeks.get_instrument("ikm").item("u3").aliases[:2] == ("u03", "unsur3")


# ---------------------------------------------------------------- all problems at once
FIVE = (
    GOOD.replace('status = "official"', 'status = "oficial"')
    .replace(
        '{ id = "a2", domain = "d1", reverse = true }',
        '{ id = "a2", domain = "d1", reverse = "yes" }',
    )
    .replace('label = "D2"\nmethod = "mean"', 'label = "D2"\nmethod = "median"')
    .replace("weights_sum = 1", "weights_sum = 1\nprecison = 2")
    .replace("min = 2.51", "min = 2.52")
)


def test_five_mistakes_reported_together_with_lines(tmp_path):
    probs = problems(tmp_path, FIVE)
    got = {p.key: p for p in probs}
    assert set(got) == {
        "status",
        "items[1] (a2).reverse",
        "domains[1] (d2).method",
        "index.precison",
        "categories[0].bands[1].min",
    }, [str(p) for p in probs]
    lines = FIVE.splitlines()
    assert lines[got["status"].line - 1].startswith("status =")
    assert 'id = "a2"' in lines[got["items[1] (a2).reverse"].line - 1]
    assert lines[got["domains[1] (d2).method"].line - 1] == 'method = "median"'
    assert lines[got["index.precison"].line - 1] == "precison = 2"
    assert "did you mean 'precision'" in got["index.precison"].message


def test_five_mistakes_on_the_command_line(tmp_path, capsys):
    p = write(tmp_path, FIVE)
    code, out, err = run(capsys, "instruments", "check", p)
    assert code == 1 and "Traceback" not in out + err
    for needle in ("status", "(a2).reverse", "median", "precison", "celah"):
        assert needle in err, err
    assert err.count(str(p)) >= 5


# ---------------------------------------------------------------- never exit 3; check == score
def _leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, path + (i,))
    else:
        yield path


def _set(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


WRONG = [["x"], {"t": 1}, "text", True, 10**18, -3, 0.5, ""]


@pytest.mark.parametrize("name", ["mini", "dektara", "ikm", "whoqol-bref"])
def test_any_wrong_value_is_a_definition_error_and_what_loads_can_be_scored(name):
    if name == "mini":
        base = tomllib.loads(GOOD)
    else:
        base = tomllib.loads((DEFINITIONS_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    base.pop("examples", None)
    leaves = list(_leaves(base))
    if len(leaves) > 120:  # keep the run short: every kind of key, not every item
        leaves = leaves[:: max(1, len(leaves) // 120)]
    loaded = checked = 0
    for path in leaves:
        for value in WRONG:
            data = copy.deepcopy(base)
            _set(data, path, value)
            try:
                inst = parse_definition(data, f"{name}.toml")
            except DefinitionError as exc:
                assert exc.problems and all(p.message for p in exc.problems)
                continue
            loaded += 1
            original = base
            for p in path:
                original = original[p]
            if isinstance(value, str) and isinstance(original, str) or checked >= 12:
                continue  # a text for a text (a label, a note) changes nothing to score
            checked += 1
            report = check_instrument(inst)
            assert not report.problems, (path, value, report.problems)
    assert loaded  # some replacements are legitimate (a label text, a note)


# ---------------------------------------------------------------- examples
@pytest.mark.parametrize("iid", sorted(p.stem for p in DEFINITIONS_DIR.glob("*.toml")))
def test_every_builtin_reproduces_its_examples(iid):
    inst = indeks.load_instrument(DEFINITIONS_DIR / f"{iid}.toml")
    names = {e.name for e in inst.examples}
    assert len(names) >= 3
    assert {n for n in names if n.startswith(("best", "worst", "typical"))}
    outcomes = run_examples(inst)
    bad = [o for o in outcomes if not o.ok]
    assert not bad, bad
    assert check_instrument(inst).ok


def test_changed_weight_is_reported_by_the_example_it_breaks(tmp_path, capsys):
    text = (DEFINITIONS_DIR / "ikp.toml").read_text(encoding="utf-8")
    text = text.replace("kegiatan = 8 }", "kegiatan = 9 }").replace(
        "weights_sum = 25", "weights_sum = 26"
    )
    p = write(tmp_path, text, "ikp-edit.toml")
    code, out, err = run(capsys, "instruments", "check", p, "--lang", "en")
    assert code == 1
    assert "3 of 6 examples do not match" in " ".join(err.split())
    # typical: (81 + 4) / 26 = 3.27 instead of 3.24
    row = next(line for line in out.splitlines() if "typical" in line and "index " in line)
    assert "3.24" in row and "3.27" in row and "DIFFERS" in row


def test_example_keys_are_checked(tmp_path):
    text = GOOD + '\n[[examples]]\nname = "x"\nfill = 4\nexpect = { indx = 4, d9 = 1 }\n'
    (p,) = problems(tmp_path, text)
    assert p.key == "examples[0] (x).expect.indx" and "did you mean 'index'" in p.message
    text = GOOD + '\n[[examples]]\nname = "x"\nanswers = { zz = 4 }\nexpect = { index = 4 }\n'
    assert keys(tmp_path, text) == ["examples[0] (x).answers.zz"]


def test_mini_examples_by_hand(tmp_path):
    text = GOOD + (
        '\n[[examples]]\nname = "typical"\nanswers = { a1 = 4, a2 = 2, b1 = 1 }\n'
        # d1 = (4 + (5 - 2)) / 2 = 3.5; d2 = 1; index = 3.5/3 + 2/3 = 11/6 = 1.83 -> Low
        'expect = { d1 = 3.5, d2 = 1, index = "11/6", category = "L" }\n'
    )
    inst = indeks.load_instrument(write(tmp_path, text))
    assert all(o.ok for o in run_examples(inst))
    wrong = text.replace('index = "11/6"', "index = 1.84")
    inst = indeks.load_instrument(write(tmp_path, wrong))
    (bad,) = [o for o in run_examples(inst) if not o.ok]
    assert (bad.key, bad.expected, bad.got) == ("index", "1.84", "1.83")


def test_check_ok_message(tmp_path, capsys):
    code, out, err = run(capsys, "instruments", "check", DEFINITIONS_DIR / "ikm.toml")
    assert code == 0 and "5 contoh cocok" in out


def test_definition_sources_stay_inside_the_project():
    for p in DEFINITIONS_DIR.glob("*.toml"):
        assert "shared/" not in p.read_text(encoding="utf-8"), p
    assert Path(indeks.__file__).read_text(encoding="utf-8").count("shared/") == 0


def test_a_kisi_given_as_definition_gets_a_hint(tmp_path, capsys):
    p = tmp_path / "kisi.xlsx"
    p.write_bytes(b"PK")
    code, out, err = run(capsys, "instruments", "check", p)
    assert code == 1 and "indeks instruments new --from kisi.xlsx" in " ".join(err.split())


# ---------------------------------------------------------------- English name
def test_name_en_is_the_name_in_english_output_and_optional(tmp_path, capsys):
    from indeks.i18n import label_of

    plain = indeks.load_instrument(write(tmp_path, GOOD))
    assert plain.name_en == ""
    assert label_of(plain, "en", "name") == plain.name  # no English name: the name
    named = GOOD.replace(
        f'name = "{plain.name}"', f'name = "{plain.name}"\nname_en = "Mini index"', 1
    )
    assert named != GOOD
    inst = indeks.load_instrument(write(tmp_path, named, "mini_en.toml"))
    assert (inst.name, inst.name_en) == (plain.name, "Mini index")
    assert (label_of(inst, "id", "name"), label_of(inst, "en", "name")) == (inst.name, "Mini index")
    bad = GOOD.replace(f'name = "{plain.name}"', f'name = "{plain.name}"\nname_en = 3', 1)
    assert "name_en" in keys(tmp_path, bad)


def test_every_built_in_instrument_has_an_english_name_used_with_lang_en(capsys, tmp_path):
    for iid in indeks.list_instruments():
        inst = indeks.get_instrument(iid)
        assert inst.name_en and inst.name_en != inst.name, iid
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "whoqol" / "clean.csv"
    code, out, _ = run(capsys, "score", "whoqol-bref", sample, "--lang", "en")
    assert code == 0 and "WHOQOL-BREF (quality of life) - clean.csv" in out
    code, out, _ = run(capsys, "score", "whoqol-bref", sample)
    assert code == 0 and "WHOQOL-BREF (kualitas hidup) - clean.csv" in out
    r = indeks.score("whoqol-bref", indeks.read_responses(sample), lang="en")
    assert r.meta["instrument_name"] == "WHOQOL-BREF (quality of life)"
    from indeks.io.writers import _info_rows

    rows = {k: v for k, v, _ in _info_rows(r.meta, "en", r.sheets())}
    assert rows["Instrument name"] == "WHOQOL-BREF (quality of life)"
    assert "instrument_name" not in rows
