"""The message catalogue: every text a user reads lives in indeks/locale/*.toml, each entry
with an Indonesian and an English text using the same {placeholders}."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from indeks import i18n
from indeks.i18n import (
    Catalogue,
    CatalogueFileError,
    catalogue,
    catalogue_names,
    check_entries,
    load_catalogue,
    placeholders,
    tr,
)

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "indeks" / "locale"
FILES = sorted(LOCALE.rglob("*.toml"))


def test_the_catalogue_files_are_found():
    names = catalogue_names()
    assert names == sorted(names)
    assert {"messages", "issues", "present", "web", "instruments/loader", "lkip/report"} <= set(
        names
    )
    assert len(names) == len(FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_every_entry_has_both_languages_and_the_same_placeholders(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data, f"{path.name}: empty catalogue"
    for key, entry in data.items():
        assert isinstance(entry, dict), key
        assert isinstance(entry.get("id"), str) and entry["id"], f"{key}: no id text"
        assert isinstance(entry.get("en"), str) and entry["en"], f"{key}: no en text"
        assert placeholders(entry["id"]) == placeholders(entry["en"]), key
    # the loader accepts it (and checks the same rules)
    name = path.relative_to(LOCALE).with_suffix("").as_posix()
    assert load_catalogue(name) == data


def test_placeholders_are_field_names():
    assert placeholders("{a} and {b:,} and {c!r} and {{literal}}") == {"a", "b", "c"}
    assert placeholders("no fields") == set()


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"k": {"id": "teks"}}, "no en text"),
        ({"k": {"en": "text"}}, "no id text"),
        ({"k": "text"}, "an entry is a table"),
        ({"k": {"id": "{a}", "en": "{b}"}}, "different placeholders"),
        ({"k": {"id": "{a}", "en": "{a"}}, "unbalanced braces"),
        ({"k": {"id": "a", "en": 1}}, "every value is a text"),
    ],
)
def test_a_malformed_entry_is_refused_with_its_place(data, problem):
    with pytest.raises(CatalogueFileError, match=problem) as exc:
        check_entries("demo", data)
    assert "indeks/locale/demo.toml [k]" in str(exc.value)


def test_a_catalogue_is_read_once_on_first_use(monkeypatch):
    calls = []
    real = i18n.load_catalogue.__wrapped__

    def counting(name):
        calls.append(name)
        return real(name)

    cached = i18n.functools.cache(counting)
    monkeypatch.setattr(i18n, "load_catalogue", cached)
    cat = catalogue("messages")
    assert calls == []  # nothing read when the catalogue object is made
    assert cat["aborted"] == {"id": "Dibatalkan.", "en": "Aborted."}
    assert cat.text("aborted", "en") == "Aborted."
    assert "aborted" in cat and "no such key" not in cat
    assert len(cat) == len(list(cat)) > 10
    assert calls == ["messages"]


def test_tr_picks_the_language_and_fills_placeholders():
    msg = {"id": "Berkas {name} kosong", "en": "File {name} is empty"}
    assert tr(msg, name="a.csv") == "Berkas a.csv kosong"
    assert tr(msg, "en", name="a.csv") == "File a.csv is empty"
    assert tr(msg, "EN", name="a.csv") == "File a.csv is empty"
    with pytest.raises(ValueError, match="unknown language"):
        tr(msg, "fr")


def test_the_module_tables_are_catalogues():
    """The names other code imports still work: they are catalogues read from locale/."""
    from indeks.instruments.loader_messages import LOADER_MESSAGES
    from indeks.messages import MESSAGES, message
    from indeks.present import LABELS
    from indeks.web.texts import T

    for table in (MESSAGES, LABELS, LOADER_MESSAGES, T):
        assert isinstance(table, Catalogue)
    assert message("serve_open", "en", url="http://x") == "indeks: open http://x  (Ctrl+C to stop)"
    assert message("serve_open", url="http://x") == "indeks: buka http://x  (Ctrl+C untuk berhenti)"


def _is_message(node) -> bool:
    """{"id": "...", "en": "..."} or a pair of texts ("Indonesian", "English")."""
    if isinstance(node, ast.Dict):
        return {getattr(k, "value", None) for k in node.keys} == {"id", "en"}
    return (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
    )


def test_no_message_table_is_left_in_python():
    """No module-level table of id/en texts ({"id": ..., "en": ...} entries or
    ("Indonesian", "English") pairs): they belong in locale/."""
    found = []
    for path in sorted((ROOT / "indeks").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
                entries = [v for v in node.value.values if _is_message(v)]
                if len(entries) >= 2:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "move these tables to indeks/locale/*.toml:\n" + "\n".join(found)


def test_every_limit_has_a_name_in_both_languages():
    from dataclasses import fields

    from indeks.limits import Limits

    names = catalogue("limits")
    for f in fields(Limits):
        assert names.text(f.name, "id") and names.text(f.name, "en"), f.name


def test_the_catalogue_files_are_package_data():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    globs = data["package-data"]["indeks"]
    shipped = {p for g in globs for p in (ROOT / "indeks").glob(g)}
    assert set(FILES) <= shipped


def test_help_does_not_read_the_catalogue():
    """Startup: `indeks --help` neither parses TOML nor reads a catalogue file."""
    code = (
        "import sys; sys.argv = ['indeks', '--help']\n"
        "from indeks.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "from indeks import i18n\n"
        "print('\\nLOADED', i18n.load_catalogue.cache_info().currsize, 'tomllib' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.splitlines()[-1] == "LOADED 0 False"


def test_an_unknown_transform_rule_is_named_in_the_users_language():
    from indeks.errors import IndeksError
    from indeks.instruments import get_instrument

    with pytest.raises(IndeksError) as exc:
        get_instrument("whoqol-bref").with_transform_rule("nope")
    assert isinstance(exc.value, ValueError)  # as before, for callers catching ValueError
    assert str(exc.value) == (
        "aturan transformasi 'nope' tidak dikenal untuk whoqol-bref; "
        "pilih salah satu dari who_spss, manual_table"
    )
    assert exc.value.text("en") == (
        "unknown transform rule 'nope' for whoqol-bref; choose one of who_spss, manual_table"
    )
    with pytest.raises(IndeksError) as exc:
        get_instrument("ikm").with_transform_rule("nope")
    assert exc.value.text("en").endswith("its transforms have no variants")
