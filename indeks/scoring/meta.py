"""The typed contract of ``result.meta``: which keys a scoring, comparison or reliability
result carries, so writers and pages read them by one name each.

These are :class:`typing.TypedDict` types: at run time ``meta`` is a plain ``dict``
(``dict(result.meta, source=...)`` keeps working), a type checker knows its keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from indeks.i18n import label_of

if TYPE_CHECKING:
    import pandas as pd

    from indeks.instruments.model import Instrument


class ResultMeta(TypedDict, total=False):
    """Keys every result may carry (and the writers read)."""

    instrument: str  # instrument id, e.g. "whoqol-bref"
    instrument_version: str
    provisional_warning: str  # "" for a fully official instrument
    missing_rule: str | None
    lang: str  # "id" or "en": language of labels and messages
    # set by the caller before writing (indeks.io.results.write_result)
    source: str  # the input file name(s) shown in the info sheet
    precision: dict[str, int]  # decimals per column, for spreadsheets
    package_version: str  # default: the installed indeks version
    generated: str  # default: now, "YYYY-MM-DD HH:MM:SS"


class ScoreMeta(ResultMeta, total=False):
    """``ScoreResult.meta``."""

    instrument_name: str
    status: str  # "official" | "provisional"
    transform_rule: str
    user_labels: object  # the --labels table used (indeks.scoring.labels)
    pre_reversed: list[str]
    aggregation: str
    streamed: dict[str, int]  # rows / issues written to a file instead of kept
    files: list[str]  # files written while streaming


class CompareMeta(ResultMeta, total=False):
    """``CompareResult.meta``."""

    instrument_name: str
    waves: list[str]
    id_columns: dict[str, str]
    headline_rule: str
    headline_rule_default: str
    strict: bool
    share_domains: list[str]
    min_pairs_for_tests: int
    confidence: float
    group_by: list[str]
    group_source: str


class ReliabilityMeta(ResultMeta, total=False):
    """``ReliabilityResult.meta``."""

    n_rows: int
    n_rejected: int
    missing_handling: str
    confidence: float
    pre_reversed: list[str]


INFO_KEYS = frozenset(
    {
        "instrument",
        "instrument_name",
        "instrument_version",
        "provisional_warning",
        "source",
        "generated",
        "package_version",
        "precision",
    }
)
"""Keys the info sheet shows in its own rows (the others are listed after them)."""


def score_meta(
    inst: Instrument,
    warning: str,
    *,
    missing_rule: str,
    user_labels: object,
    pre_reversed: list[str],
    source: str,
    lang: str,
) -> ScoreMeta:
    """The ``meta`` of a scoring result, in-memory or streamed: the instrument, the rules
    applied (``inst`` carries the chosen transform rule first), the source, the language."""
    return {
        "instrument": inst.id,
        "instrument_name": label_of(inst, lang, "name"),
        "instrument_version": inst.version,
        "status": inst.status,
        "provisional_warning": warning,
        "missing_rule": missing_rule,
        "transform_rule": inst.transform_rules[0].name if inst.transform_rules else "",
        "user_labels": user_labels,
        "pre_reversed": pre_reversed,
        "aggregation": inst.aggregation.method,
        "source": source,
        "lang": lang,
    }


def stamp_frames(frames: Iterable[pd.DataFrame | None], inst: Instrument, warning: str) -> None:
    """Give every table of a result the same ``attrs``: the instrument and its
    provisional warning travel with a table written or passed on alone."""
    for df in frames:
        if df is None:
            continue
        df.attrs.clear()
        df.attrs.update(
            {
                "provisional_warning": warning,
                "instrument": inst.id,
                "instrument_version": inst.version,
            }
        )


__all__ = [
    "CompareMeta",
    "INFO_KEYS",
    "ReliabilityMeta",
    "ResultMeta",
    "ScoreMeta",
    "score_meta",
    "stamp_frames",
]
