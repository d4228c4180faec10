"""Code health rules that tools do not check: one way to say things to a user.

Every text a user reads comes from an {"id": ..., "en": ...} catalogue; code does not pick
a language with ``if lang == "id"`` nor glue both languages into one string.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import indeks

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "indeks").rglob("*.py"))

INLINE_LANG = re.compile(r"""lang\s*(==|!=)\s*['"](id|en)['"]""")
# "Tidak dapat ... . / Cannot ..." : both languages glued into one message
GLUED = re.compile(
    r"""['"][^'"\n]*[a-z.):] / (?:[A-Z][a-z]+|the|cannot|no|not|output|file) [a-z][^'"\n]*['"]"""
)

# Known spots still choosing the language inline (each builds many strings under one
# flag); convert them to a catalogue and delete them from this list. No new entries.
KNOWN_GLUED: set[str] = set()
KNOWN_INLINE: set[tuple[str, str]] = set()


def _lines():
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0] if not line.lstrip().startswith(("'", '"')) else line
            yield rel, no, line.strip(), code


def test_no_inline_language_choice():
    found = [
        f"{rel}:{no}: {text}"
        for rel, no, text, code in _lines()
        if INLINE_LANG.search(code)
        and (rel, text) not in KNOWN_INLINE
        and rel != "indeks/messages.py"  # its docstring names the rule
    ]
    assert not found, "use a catalogue entry and i18n.tr / present.label:\n" + "\n".join(found)


# "Indonesian sentence. / " then the English one on the next line
GLUED_SPLIT = re.compile(r"""[a-z.)] / ['"]\s*$""")


def test_no_glued_two_language_strings():
    found = [
        f"{rel}:{no}: {text}"
        for rel, no, text, code in _lines()
        if (GLUED.search(code) or GLUED_SPLIT.search(code)) and rel not in KNOWN_GLUED
    ]
    assert not found, "one catalogue entry per message, not 'id / en':\n" + "\n".join(found)


def test_one_version_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "indeks._version.__version__"
    from indeks._version import __version__

    assert indeks.__version__ == __version__
    assert "## [" + __version__.split(".dev")[0] + "]" in (ROOT / "CHANGELOG.md").read_text()


def test_license_file_matches_the_declared_licence():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
