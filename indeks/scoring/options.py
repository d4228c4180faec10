"""One object for the options every entry point accepts.

:class:`ScoringOptions` holds the options that decide how a data set is read and
scored.  :func:`indeks.score`, :func:`indeks.compare`, :func:`indeks.reliability`,
the ``indeks`` command and the web page all take the same object (``options=``), so
a job described once is scored the same way everywhere::

    opts = indeks.ScoringOptions(id_column="id_klien", group_by=("unit",),
                                 missing_rule="manual", lang="en")
    indeks.score("whoqol-bref", df, options=opts)
    indeks.compare("whoqol-bref", pre, post, options=opts)
    indeks.reliability("whoqol-bref", df, options=opts)

Keyword arguments stay as a convenience: ``indeks.score(inst, df, lang="en")`` is
``indeks.score(inst, df, options=ScoringOptions(lang="en"))``.  When both are given a
keyword argument that is not ``None`` replaces the same field of ``options``
(:meth:`ScoringOptions.merged`).

The object is frozen: derive a variant with :meth:`ScoringOptions.replace`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from dataclasses import replace as _dc_replace
from typing import Any, TypedDict

from indeks.i18n import check_lang

__all__ = ["OptionKeywords", "ScoringOptions"]


def _names(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(str(v) for v in value)
    except TypeError:
        raise TypeError(f"{what} must be a column name or a list of names, not {value!r}") from None


@dataclass(frozen=True)
class ScoringOptions:
    """How a data set is read and scored (the same for every entry point).

    Attributes
    ----------
    id_column:
        Respondent id column.  ``None``: found from the definition's id aliases
        (``compare`` needs one and looks for ``id`` and then the aliases).
    group_by:
        Column names for group summaries (a tuple; a single name is accepted).
    missing_rule:
        A missing-data rule of the definition (``None``: its first, the default).
    transform_rule:
        A named transform rule of the definition (``[transforms]``; WHOQOL-BREF:
        ``who_spss``, the default, or ``manual_table``).
    labels:
        The user's own answer labels: a file (CSV ``item,text,code`` or TOML), a dict
        ``{item or "*": {text: code}}`` or ``(item, text, code)`` triples
        (:mod:`indeks.scoring.labels`).
    pre_reversed:
        Item ids whose *numbers* are printed reversed in this data source.  For
        ``compare`` also a mapping ``{wave name: item ids}``.
    mapping:
        Item id -> column header (a dict) or a mapping file path, for exports whose
        headers are question texts.  For ``compare`` also ``{wave name: mapping}``.
    form_column, unit_column:
        The form and unit (e.g. family) columns of multi-form instruments, when
        the definition's names do not find them.
    population:
        Population size for the Krejcie-Morgan sample check (where the definition
        asks for it).
    confidence:
        Level of the confidence intervals (``compare``: mean change;
        ``reliability``: Feldt interval of alpha).  Strictly between 0 and 1.
    lang:
        ``"id"`` (default) or ``"en"``: labels and messages.
    """

    id_column: str | None = None
    group_by: tuple[str, ...] = ()
    missing_rule: str | None = None
    transform_rule: str | None = None
    labels: Any = None
    pre_reversed: tuple[str, ...] | Mapping[str, Any] = ()
    mapping: Any = None
    form_column: str | None = None
    unit_column: str | None = None
    population: int | None = None
    confidence: float = 0.95
    lang: str = "id"

    def __post_init__(self) -> None:
        object.__setattr__(self, "group_by", _names(self.group_by, "group_by"))
        if not isinstance(self.pre_reversed, Mapping):
            object.__setattr__(self, "pre_reversed", _names(self.pre_reversed, "pre_reversed"))
        if not (0.0 < float(self.confidence) < 1.0):
            raise ValueError(f"confidence must be strictly between 0 and 1, not {self.confidence}")
        object.__setattr__(self, "lang", check_lang(self.lang))

    def replace(self, **changes: Any) -> ScoringOptions:
        """A copy with ``changes`` applied (the object itself is frozen)."""
        return _dc_replace(self, **changes)

    @classmethod
    def merged(cls, options: ScoringOptions | None = None, **kwargs: Any) -> ScoringOptions:
        """``options`` (or the defaults) with every keyword that is not ``None`` applied.

        Unknown keywords are a ``TypeError`` naming the known ones.
        """
        if options is not None and not isinstance(options, ScoringOptions):
            raise TypeError(
                f"options must be an indeks.ScoringOptions, not {type(options).__name__}"
            )
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(
                f"unknown scoring option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        changes = {k: v for k, v in kwargs.items() if v is not None}
        base = options if options is not None else cls()
        return _dc_replace(base, **changes) if changes else base

    def for_wave(self, wave: str, waves: list[str]) -> ScoringOptions:
        """The options of one wave of ``compare``: per-wave ``pre_reversed`` and
        ``mapping`` dicts resolved to that wave's value."""
        changes: dict[str, Any] = {}
        pr = self.pre_reversed
        if isinstance(pr, Mapping):
            changes["pre_reversed"] = _per_wave(pr, wave, waves) or ()
        mp = _per_wave(self.mapping, wave, waves)
        if mp is not self.mapping:
            changes["mapping"] = mp
        return _dc_replace(self, **changes) if changes else self


class OptionKeywords(TypedDict, total=False):
    """The fields of :class:`ScoringOptions` as the keyword arguments that
    :func:`indeks.score`, :func:`indeks.compare` and :func:`indeks.reliability` accept
    beside ``options`` (``id_column`` and ``group_by`` are their own parameters); a value
    that is not ``None`` replaces the same field (:meth:`ScoringOptions.merged`)."""

    missing_rule: str | None
    transform_rule: str | None
    labels: Any
    pre_reversed: Any
    mapping: Any
    form_column: str | None
    unit_column: str | None
    population: int | None
    confidence: float | None
    lang: str | None


def _per_wave(value: Any, name: str, names: list[str]) -> Any:
    """``value`` itself, or ``value[name]`` when it is a dict keyed by wave names."""
    if isinstance(value, Mapping) and value and set(map(str, value)) <= set(names):
        return {str(k): v for k, v in value.items()}.get(name)
    return value
