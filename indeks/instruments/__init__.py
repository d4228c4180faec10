"""Built-in instrument definitions and the loader for users' own files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from indeks.errors import IndeksError
from indeks.instruments.loader import DefinitionError, load_instrument, parse_definition
from indeks.instruments.model import Instrument
from indeks.messages import message

DEFINITIONS_DIR = Path(__file__).parent / "definitions"

__all__ = [
    "DEFINITIONS_DIR",
    "DefinitionError",
    "Instrument",
    "UnknownInstrumentError",
    "get_instrument",
    "list_instruments",
    "load_instrument",
    "parse_definition",
    "resolve_instrument",
]


class UnknownInstrumentError(IndeksError, KeyError):
    """No built-in instrument has this id or alias. An :class:`~indeks.IndeksError`;
    also a ``KeyError`` (as it always was) for code that catches that."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.known = known
        super().__init__(name)

    def text(self, lang: str | None = None) -> str:
        return message("unknown_instrument", lang, name=self.name, known=", ".join(self.known))

    def __str__(self) -> str:
        return self.text("en")


@cache
def _builtin() -> dict[str, Instrument]:
    out: dict[str, Instrument] = {}
    for path in sorted(DEFINITIONS_DIR.glob("*.toml")):
        inst = load_instrument(path)
        out[inst.id] = inst
    return out


def list_instruments() -> list[str]:
    """Ids of the built-in instruments."""
    return list(_builtin())


def get_instrument(instrument_id: str) -> Instrument:
    """A built-in instrument by id or alias (e.g. ``"whoqol-bref"``)."""
    table = _builtin()
    key = instrument_id.strip().lower()
    if key in table:
        return table[key]
    for inst in table.values():
        if key in (a.lower() for a in inst.aliases):
            return inst
    raise UnknownInstrumentError(instrument_id, list(table))


def resolve_instrument(instrument: str | Path | Instrument) -> Instrument:
    """An Instrument, a built-in id, or a path to a ``.toml`` definition file."""
    if isinstance(instrument, Instrument):
        return instrument
    text = str(instrument)
    if text.endswith(".toml") or Path(text).is_file():
        return load_instrument(text)
    return get_instrument(text)
