"""Bahasa Indonesia by default, English on request.

Messages are kept as ``{"id": "...", "en": "..."}`` dicts next to the code that emits
them; :func:`tr` picks the language and fills ``{placeholders}``.
"""

from __future__ import annotations

DEFAULT_LANG = "id"
LANGS = ("id", "en")


def check_lang(lang: str | None) -> str:
    lang = (lang or DEFAULT_LANG).lower()
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def tr(message: dict[str, str], lang: str | None = None, **values: object) -> str:
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
