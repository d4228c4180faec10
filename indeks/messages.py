"""What the library, the command line and the web page say to a user when something
cannot be done, in Bahasa Indonesia (default) and English.

The texts live in the catalogue file ``indeks/locale/messages.toml`` (:data:`MESSAGES`,
read on first use); :func:`message` picks the language. The other catalogues sit beside
it under ``indeks/locale/``: issue codes (``issues.toml``), file reading
(``io/read.toml``), shared labels of results (``present.toml``), web page texts
(``web.toml``), LKIP report texts (``lkip/*.toml``)...
No message is written inline as ``"Indonesian / English"`` or chosen with
``if lang == "id"``.
"""

from __future__ import annotations

from indeks.i18n import catalogue, tr

MESSAGES = catalogue("messages")


def message(key: str, lang: str | None = None, **values: object) -> str:
    """The text of catalogue entry ``key`` in ``lang`` (default Bahasa Indonesia)."""
    return tr(MESSAGES[key], lang, **values)


__all__ = ["MESSAGES", "message"]
