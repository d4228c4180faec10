"""Bahasa Indonesia by default, English on request; the message catalogue.

Every text a user reads lives in a data file under ``indeks/locale/`` (one TOML file per
catalogue, e.g. ``messages.toml``, ``lkip/report.toml``); each entry is a table::

    [key]
    id = "Teks dalam Bahasa Indonesia {placeholder}"
    en = "The English text {placeholder}"

:func:`catalogue` gives a catalogue as a read-only mapping ``key -> {"id": ..., "en": ...}``
that reads its file on first use (once per process) and checks it: every entry has both
texts, with the same ``{placeholders}``. :func:`tr` picks the language and fills the
placeholders.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

DEFAULT_LANG = "id"
LANGS = ("id", "en")

LOCALE_PACKAGE = "indeks"
LOCALE_FOLDER = "locale"


class CatalogueFileError(Exception):
    """A catalogue file under ``indeks/locale/`` is malformed (a bug in the package)."""


def check_lang(lang: str | None) -> str:
    lang = (lang or DEFAULT_LANG).lower()
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def tr(message: Mapping[str, str], lang: str | None = None, **values: object) -> str:
    text = message.get(check_lang(lang)) or message[DEFAULT_LANG]
    return text.format(**values) if values else text


def label_of(obj: object, lang: str | None = None, attr: str = "label") -> str:
    """``obj.<attr>`` in Bahasa Indonesia, ``obj.<attr>_en`` in English (the Indonesian
    text when there is no English one): domains, bands, forms, index specs..."""
    text = getattr(obj, attr)
    return tr({"id": text, "en": getattr(obj, f"{attr}_en", None) or text}, lang)


DECIMAL_COMMA = {"id": True, "en": False}  # Indonesian writes 3,5; English 3.5


def decimal_comma(lang: str | None = None) -> bool:
    """Whether numbers are written with a decimal comma in ``lang``."""
    return DECIMAL_COMMA[check_lang(lang)]


# ---- the catalogue files


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in ``text`` (``{size:,}`` -> ``size``)."""
    import string

    return {
        field.split(".")[0].split("[")[0].split("!")[0]
        for _, field, _, _ in string.Formatter().parse(text)
        if field is not None
    }


def check_entries(name: str, data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The entries of catalogue ``name`` after checking them: every entry is a table of
    texts with one for each of :data:`LANGS` (``id`` and ``en``), all with the same
    placeholders. Other text fields are kept (the issue codes carry ``severity``)."""
    out: dict[str, dict[str, str]] = {}
    for key, entry in data.items():
        where = f"indeks/{LOCALE_FOLDER}/{name}.toml [{key}]"
        if not isinstance(entry, dict):
            raise CatalogueFileError(f"{where}: an entry is a table with id and en texts")
        missing = [lang for lang in LANGS if lang not in entry]
        if missing:
            raise CatalogueFileError(f"{where}: no {' / '.join(missing)} text")
        if not all(isinstance(v, str) for v in entry.values()):
            raise CatalogueFileError(f"{where}: every value is a text")
        try:
            fields = {lang: placeholders(entry[lang]) for lang in LANGS}
        except ValueError as exc:
            raise CatalogueFileError(f"{where}: unbalanced braces ({exc})") from None
        for lang in LANGS:
            if fields[lang] != fields[DEFAULT_LANG]:
                raise CatalogueFileError(
                    f"{where}: {DEFAULT_LANG} and {lang} use different placeholders "
                    f"({sorted(fields[DEFAULT_LANG])} / {sorted(fields[lang])})"
                )
        out[key] = dict(entry)
    return out


@functools.cache
def load_catalogue(name: str) -> dict[str, dict[str, str]]:
    """Read and check ``indeks/locale/<name>.toml`` (once per process)."""
    import tomllib  # only when a message is first needed (startup time)
    from importlib import resources

    path = resources.files(LOCALE_PACKAGE).joinpath(LOCALE_FOLDER, *f"{name}.toml".split("/"))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueFileError(f"indeks/{LOCALE_FOLDER}/{name}.toml: {exc}") from None
    return check_entries(name, data)


class Catalogue(Mapping[str, Mapping[str, str]]):
    """Catalogue ``name`` (file ``indeks/locale/<name>.toml``) as a read-only mapping
    ``key -> {"id": ..., "en": ...}``; the file is read when an entry is first used."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def entries(self) -> dict[str, dict[str, str]]:
        return load_catalogue(self.name)

    def __getitem__(self, key: str) -> Mapping[str, str]:
        return self.entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __repr__(self) -> str:
        return f"Catalogue({self.name!r})"

    def text(self, key: str, lang: str | None = None, **values: object) -> str:
        """Entry ``key`` in ``lang`` with its placeholders filled (:func:`tr`)."""
        return tr(self.entries[key], lang, **values)


def catalogue(name: str) -> Catalogue:
    """Catalogue ``name`` (``"messages"``, ``"lkip/report"``...), read on first use."""
    return Catalogue(name)


def catalogue_names() -> list[str]:
    """Every catalogue shipped under ``indeks/locale/`` (for checks and tests)."""
    from importlib import resources

    root = resources.files(LOCALE_PACKAGE).joinpath(LOCALE_FOLDER)
    names: list[str] = []

    def walk(folder: Any, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.is_dir():
                walk(item, f"{prefix}{item.name}/")
            elif item.name.endswith(".toml"):
                names.append(prefix + item.name[: -len(".toml")])

    walk(root, "")
    return names
