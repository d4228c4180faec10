"""Definition-loader messages in Bahasa Indonesia (default) and English (--lang en).

``str(DefinitionError)`` stays English; ``DefinitionError.text(lang)`` (used by the
command line and the web page) gives every problem as ``file:line: key: message`` in the
chosen language.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from cli_run import run
from test_definitions import GOOD

import indeks
from indeks.instruments import DefinitionError
from indeks.instruments.loader import Msg, parse_definition_text
from indeks.instruments.loader_messages import LOADER_MESSAGES

# four mistakes: a misspelt status, a quoted boolean, a misspelt key, a gap between bands
MISTAKES = (
    GOOD.replace('status = "official"', 'status = "oficial"')
    .replace("reverse = true", 'reverse = "yes"')
    .replace("weights_sum = 1", "weights_sum = 1\nprecison = 2")
    .replace("min = 2.51", "min = 2.52")
)

ID_TEXTS = (
    "gunakan salah satu dari official, provisional",
    "harus true atau false, bukan 'yes' (tulis true atau false tanpa tanda kutip)",
    "kunci tidak dikenal (maksud Anda 'precision'?)",
    "ada celah antara 2.5 dan 2.52 pada presisi 2",
)
EN_TEXTS = (
    "use one of official, provisional",
    "must be true or false, got 'yes' (write true or false without quotes)",
    "unknown key (did you mean 'precision'?)",
    "gap between 2.5 and 2.52 at precision 2",
)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture()
def bad_file(tmp_path) -> Path:
    p = tmp_path / "salah.toml"
    p.write_text(MISTAKES, encoding="utf-8")
    return p


def test_mistakes_fixture_really_has_four_problems(bad_file):
    with pytest.raises(DefinitionError) as err:
        indeks.load_instrument(bad_file)
    assert len(err.value.problems) == 4, str(err.value)


def test_check_without_lang_speaks_indonesian(bad_file, capsys):
    code, out, err = run(capsys, "instruments", "check", bad_file)
    text = flat(err)
    assert code == 1 and "Traceback" not in out + err
    for needle in ID_TEXTS:
        assert needle in text, text
    for needle in EN_TEXTS:
        assert needle not in text, text
    assert "Tidak dapat diproses" in text
    # every problem keeps its file:line: key: prefix
    for key in ("status", "items[1] (a2).reverse", "index.precison", "categories[0].bands[1].min"):
        assert re.search(rf"{re.escape(str(bad_file))}:\d+: {re.escape(key)}: ", text), key


def test_check_with_lang_en_speaks_english(bad_file, capsys):
    code, out, err = run(capsys, "instruments", "check", bad_file, "--lang", "en")
    text = flat(err)
    assert code == 1
    for needle in EN_TEXTS:
        assert needle in text, text
    for needle in ID_TEXTS:
        assert needle not in text, text
    assert "Cannot be processed" in text


def test_score_with_a_broken_definition_file_uses_the_language(bad_file, tmp_path, capsys):
    data = tmp_path / "jawaban.csv"
    data.write_text("a1,a2\n1,2\n", encoding="utf-8")
    out = tmp_path / "hasil.csv"
    code, _, err = run(capsys, "score", bad_file, data, "-o", out)
    assert code == 1 and ID_TEXTS[2] in flat(err) and not out.exists()
    code, _, err = run(capsys, "score", bad_file, data, "-o", out, "--lang", "en")
    assert code == 1 and EN_TEXTS[2] in flat(err) and not out.exists()


def test_str_stays_english_and_text_renders_both(bad_file):
    with pytest.raises(DefinitionError) as err:
        indeks.load_instrument(bad_file)
    exc = err.value
    assert exc.text("en") == str(exc)
    assert str(exc).count("\n") == exc.text("id").count("\n") == 3
    for en, id_ in zip(EN_TEXTS, ID_TEXTS, strict=True):
        assert en in str(exc) and id_ not in str(exc)
        assert id_ in exc.text("id") and id_ in exc.text()
    # the prefix (file, line, key) is the same in both languages
    for p in exc.problems:
        prefix = str(p)[: len(str(p)) - len(p.message)]
        assert p.text("id").startswith(prefix) and p.text("en") == str(p)


def test_kinds_of_values_are_translated_inside_messages():
    bad = GOOD.replace('status = "official"', "status = [1]")
    with pytest.raises(DefinitionError) as err:
        parse_definition_text(bad, "x.toml")
    assert "a list: use one of official, provisional" in str(err.value)
    assert "sebuah daftar: gunakan salah satu dari official, provisional" in err.value.text("id")


def test_a_kisi_given_as_definition_gets_the_hint_in_both_languages(tmp_path, capsys):
    p = tmp_path / "kisi.xlsx"
    p.write_bytes(b"PK")
    code, _, err = run(capsys, "instruments", "check", p)
    assert code == 1 and "definisi instrumen berupa berkas .toml" in flat(err)
    code, _, err = run(capsys, "instruments", "check", p, "--lang", "en")
    assert code == 1 and "a definition is a .toml file" in flat(err)


def _fields(text: str) -> list[tuple[str, str, str]]:
    return sorted(
        (name, conv or "", spec or "")
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    )


@pytest.mark.parametrize("key", sorted(LOADER_MESSAGES))
def test_every_catalogue_entry_has_both_languages_with_the_same_placeholders(key):
    entry = LOADER_MESSAGES[key]
    assert set(entry) == {"id", "en"}
    assert entry["id"].strip() and entry["en"].strip()
    assert _fields(entry["id"]) == _fields(entry["en"])
    if key != "kind_bool":  # "true/false" is the same in both
        assert entry["id"] != entry["en"]


def test_every_message_the_loader_uses_is_in_the_catalogue_and_vice_versa():
    import indeks.instruments.examples as examples
    import indeks.instruments.loader as loader

    source = Path(loader.__file__).read_text(encoding="utf-8")
    source += Path(examples.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'Msg\(\s*"([a-z0-9_]+)"', source))
    assert used == set(LOADER_MESSAGES)
    # no message written inline any more: fail()/note() take a catalogue entry
    assert not re.search(r"\.(fail|note)\([^()]*,\s*f?\"", source)
    with pytest.raises(KeyError):
        Msg("no_such_message")


def test_web_own_definition_problems_in_the_page_language(tmp_path):
    import html
    import warnings

    warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
    from starlette.testclient import TestClient

    from indeks.web import create_app

    client = TestClient(
        create_app(upload_dir=tmp_path),
        raise_server_exceptions=False,
        base_url="http://127.0.0.1",
    )
    for lang, want, other in (("id", ID_TEXTS, EN_TEXTS), ("en", EN_TEXTS, ID_TEXTS)):
        files = {
            "definition": ("saya.toml", MISTAKES.encode(), "application/octet-stream"),
            "data": ("x.csv", b"a1,a2,b1\n1,2,3\n", "application/octet-stream"),
        }
        form = {"instrument": "own", "lang": lang, "mode": "single"}
        r = client.post(f"/score?lang={lang}", data=form, files=files)
        page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", r.text)).split())
        assert r.status_code == 422, page
        assert "saya.toml" in page
        for needle in want:
            assert needle in page, (lang, page)
        for needle in other:
            assert needle not in page, (lang, page)


def test_problems_inside_a_kisi_error_and_check_report_follow_the_language():
    from indeks.errors import ScoringInputError
    from indeks.instruments.examples import CheckReport, _Typed
    from indeks.instruments.kisi import KisiError

    with pytest.raises(DefinitionError) as err:
        parse_definition_text(MISTAKES, "<kisi>")
    kerr = KisiError("invalid_result", "kisi.xlsx", base="dektari", problems=err.value)
    assert ID_TEXTS[1] in str(kerr) and ID_TEXTS[1] in kerr.text("id")
    assert EN_TEXTS[1] in kerr.text("en") and ID_TEXTS[1] not in kerr.text("en")
    assert "tidak sah" in kerr.text("id") and "is not valid" in kerr.text("en")

    cause = ScoringInputError(texts={"id": "tidak ada kolom", "en": "no column"})
    report = CheckReport(
        indeks.get_instrument("ikm"),
        (),
        (Msg("example_unscorable", name="e1", error=_Typed(cause)),),
    )
    assert not report.ok
    assert report.problem_texts("id") == [
        "contoh 'e1' tidak dapat diskor: ScoringInputError: tidak ada kolom"
    ]
    assert report.problem_texts("en") == [
        "example 'e1' cannot be scored: ScoringInputError: no column"
    ]
    assert str(report.problems[0]) == report.problem_texts("en")[0]


def test_every_msg_call_gives_exactly_the_placeholders_of_its_entry():
    import ast

    import indeks.instruments.examples as examples
    import indeks.instruments.loader as loader

    calls = 0
    for mod in (loader, examples):
        tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Msg":
                key = node.args[0].value
                given = {kw.arg for kw in node.keywords}
                wanted = {name for name, _, _ in _fields(LOADER_MESSAGES[key]["en"])}
                assert given == wanted, (mod.__name__, node.lineno, key)
                calls += 1
    assert calls >= len(LOADER_MESSAGES)
