"""Messages of the definition loader (:mod:`indeks.instruments.loader`), in Bahasa
Indonesia and English.

The texts live in ``indeks/locale/instruments/loader.toml`` (read on first use); every
entry has an ``id`` and an ``en`` text with the same ``{placeholders}``. A problem in a definition
file is shown as ``file:line: key: message`` in the language asked for (``str()`` of a
:class:`~indeks.instruments.loader.DefinitionError` is English).
"""

from __future__ import annotations

from indeks.i18n import catalogue

LOADER_MESSAGES = catalogue("instruments/loader")

__all__ = ["LOADER_MESSAGES"]
