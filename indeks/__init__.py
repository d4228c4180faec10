"""indeks: survey-scoring engine for BNN questionnaire indices.

Public API::

    indeks.list_instruments()
    indeks.get_instrument("whoqol-bref")
    indeks.load_instrument("my_survey.toml")
    indeks.score(instrument, data, id_column=None, group_by=None)
    indeks.compare(instrument, pre, post, id_column="id")
    indeks.reliability(instrument, data)
    indeks.read_responses(path, instrument=None, mapping=None)
    indeks.ScoringOptions(...)   # one options object accepted by score/compare/reliability

Names are imported on first use (PEP 562), so ``import indeks`` and the ``indeks``
command start without loading pandas, scipy or matplotlib until a job needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from indeks._version import __version__

# public name -> module that defines it
_LAZY = {
    "IndeksError": "indeks.errors",
    "ScoringInputError": "indeks.errors",
    "DefinitionError": "indeks.instruments",
    "Instrument": "indeks.instruments",
    "UnknownInstrumentError": "indeks.instruments",
    "get_instrument": "indeks.instruments",
    "list_instruments": "indeks.instruments",
    "load_instrument": "indeks.instruments",
    "InputError": "indeks.io.readers",
    "read_responses": "indeks.io.responses",
    "format_half_up": "indeks.numbers",
    "round_half_up": "indeks.numbers",
    "CompareResult": "indeks.scoring.compare",
    "compare": "indeks.scoring.compare",
    "krejcie_morgan": "indeks.scoring.engine",
    "score": "indeks.scoring.engine",
    "ScoringOptions": "indeks.scoring.options",
    "ReliabilityResult": "indeks.scoring.reliability",
    "reliability": "indeks.scoring.reliability",
    "ScoreResult": "indeks.scoring.result",
}

__all__ = [
    "__version__",
    "CompareResult",
    "DefinitionError",
    "IndeksError",
    "InputError",
    "Instrument",
    "ReliabilityResult",
    "ScoreResult",
    "ScoringInputError",
    "ScoringOptions",
    "UnknownInstrumentError",
    "compare",
    "format_half_up",
    "get_instrument",
    "krejcie_morgan",
    "list_instruments",
    "load_instrument",
    "read_responses",
    "reliability",
    "round_half_up",
    "score",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'indeks' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from indeks.errors import IndeksError, ScoringInputError
    from indeks.instruments import (
        DefinitionError,
        Instrument,
        UnknownInstrumentError,
        get_instrument,
        list_instruments,
        load_instrument,
    )
    from indeks.io.readers import InputError
    from indeks.io.responses import read_responses
    from indeks.numbers import format_half_up, round_half_up
    from indeks.scoring.compare import CompareResult, compare
    from indeks.scoring.engine import krejcie_morgan, score
    from indeks.scoring.options import ScoringOptions
    from indeks.scoring.reliability import ReliabilityResult, reliability
    from indeks.scoring.result import ScoreResult
