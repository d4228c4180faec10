"""Texts of the web pages: Bahasa Indonesia first, English on ``?lang=en``."""

from __future__ import annotations

from indeks.i18n import catalogue
from indeks.i18n import tr as i18n_tr

T = catalogue("web")


def tr(key: str, lang: str, **values) -> str:
    """The text of ``T[key]`` in ``lang``."""
    return i18n_tr(T[key], lang, **values)
