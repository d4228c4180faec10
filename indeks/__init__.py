"""indeks: survey-scoring engine for BNN questionnaire indices.

Public API (see ``shared/spec/interfaces.md``)::

    indeks.list_instruments()
    indeks.get_instrument("whoqol-bref")
    indeks.load_instrument("my_survey.toml")
    indeks.score(instrument, data, id_column=None, group_by=None)
    indeks.compare(instrument, pre, post, id_column="id")
    indeks.reliability(instrument, data)
    indeks.read_responses(path, instrument=None, mapping=None)
    indeks.ScoringOptions(...)   # one options object accepted by score/compare/reliability
"""

from indeks._version import __version__
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

__all__ = [
    "__version__",
    "CompareResult",
    "DefinitionError",
    "IndeksError",
    "InputError",
    "Instrument",
    "ReliabilityResult",
    "ScoreResult",
    "ScoringOptions",
    "ScoringInputError",
    "UnknownInstrumentError",
    "compare",
    "format_half_up",
    "get_instrument",
    "krejcie_morgan",
    "list_instruments",
    "read_responses",
    "reliability",
    "load_instrument",
    "round_half_up",
    "score",
]
