"""The frozen, validated form of an instrument definition.

A definition file (TOML) is parsed and checked by :mod:`indeks.instruments.loader`
into these dataclasses.  The scoring engine reads only these objects; nothing in the
engine knows which instrument it is scoring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol, TypeVar


@dataclass(frozen=True)
class Scale:
    """An answer scale: integer codes ``min..max`` with answer labels."""

    id: str
    min: int
    max: int
    # code -> answer texts (first is the canonical label) for every item on the scale
    labels: dict[int, tuple[str, ...]] = field(default_factory=dict)
    missing_codes: tuple[float, ...] = ()
    missing_labels: tuple[str, ...] = ()

    @property
    def points(self) -> int:
        return self.max - self.min + 1


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    scale: str
    domain: str | None
    form: str
    reverse: bool = False
    aliases: tuple[str, ...] = ()
    # extra answer texts for this item only (code -> texts), e.g. WHOQOL item groups
    labels: dict[int, tuple[str, ...]] = field(default_factory=dict)
    text: str = ""  # the standard question text (Bahasa Indonesia)
    placeholder: bool = False
    text_en: str = ""  # the standard question text in English
    texts: tuple[str, ...] = ()  # other wordings of the question found on forms in circulation
    # answer texts stated by the user for this data source (--labels): (text, code), win last
    user_labels: tuple[tuple[str, int], ...] = ()
    number: int | None = None  # declared item number (for alias_patterns), if any

    @property
    def question_texts(self) -> tuple[str, ...]:
        """Every known wording of the item's question (Indonesian first), no empties."""
        return tuple(t for t in dict.fromkeys((self.text, self.text_en, *self.texts)) if t)


@dataclass(frozen=True)
class Transform:
    """``(x + add) * multiply``, applied after the domain method.

    A named transform rule (``[transforms.rules.NAME]``) may round the input half-up
    to ``round_input`` decimals first and the result to ``round_output`` decimals
    (WHOQOL-BREF's printed table: 16.57 -> 17 -> 81.25 -> 81)."""

    add: Fraction = Fraction(0)
    multiply: Fraction = Fraction(1)
    round_input: int | None = None
    round_output: int | None = None

    def prepare(self, x: Any) -> Any:
        """The input as the transform uses it (rounded when the rule says so)."""
        if self.round_input is None:
            return x
        from indeks.numbers import round_half_up

        return round_half_up(x, self.round_input)

    def apply(self, x: Any) -> Any:
        y = (self.prepare(x) + float(self.add)) * float(self.multiply)
        if self.round_output is None:
            return y
        from indeks.numbers import round_half_up

        return round_half_up(y, self.round_output)


@dataclass(frozen=True)
class TransformRule:
    """A named way of applying every domain transform (``[transforms.rules.NAME]``)."""

    name: str
    note: str = ""
    round_input: int | None = None
    round_output: int | None = None


@dataclass(frozen=True)
class Domain:
    id: str
    label: str
    label_en: str
    method: str  # mean | sum | percent_of_max | percent_of_points
    items: tuple[str, ...]
    min_answered: dict[str, int]  # rule name -> minimum answered items
    raw_multiply: Fraction = Fraction(1)  # raw = method(x) * raw_multiply
    transform: Transform | None = None
    precision: int = 2
    reported: bool = True

    def transform_text(self, num: Callable[[Fraction], str] = str) -> str:
        """How the reported value is made from the method's value, e.g.
        ``raw = mean x 4; (raw + -4) x 25/4`` (empty when it is reported as computed);
        ``num`` writes a number. Shown by ``indeks instruments show``, the definition pages
        and the kisi-kisi workbook."""
        text = ""
        if self.raw_multiply != 1:
            text += f"raw = {self.method} x {num(self.raw_multiply)}; "
        if self.transform is not None:
            text += f"(raw + {num(self.transform.add)}) x {num(self.transform.multiply)}"
        return text


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    label_en: str
    min: Fraction
    max: Fraction | None  # inclusive at the table's precision; None: up to the next band


@dataclass(frozen=True)
class CategoryTable:
    name: str  # "" for the primary table (columns category, category_code)
    on: str  # "index", "index_converted" or a domain id
    precision: int
    bands: tuple[Band, ...]
    label: str = ""
    domains: tuple[str, ...] = ()  # domains whose (group) values are classified with this table too


@dataclass(frozen=True)
class IndexSpec:
    method: str  # weighted_mean | mean | percent_of_points
    weights: dict[str, Fraction]  # domain id -> weight (weighted_mean, mean)
    weights_sum: Fraction | None
    precision: int = 2
    label: str = "Indeks"
    label_en: str = "Index"


@dataclass(frozen=True)
class Conversion:
    multiply: Fraction = Fraction(1)
    add: Fraction = Fraction(0)
    precision: int = 2

    def apply(self, x: Any) -> Any:
        return x * float(self.multiply) + float(self.add)


@dataclass(frozen=True)
class Form:
    id: str
    label: str
    label_en: str
    values: tuple[str, ...]  # texts in the form column that mean this form
    min_answered: dict[str, int]  # rule -> minimum answered items of the form


@dataclass(frozen=True)
class Eligibility:
    id: str
    column: str
    aliases: tuple[str, ...]
    min: float | None
    max: float | None
    label: str
    label_en: str


@dataclass(frozen=True)
class PrePost:
    score: str  # "index", a domain id, or "mean_of_domains"
    domains: tuple[str, ...]  # for mean_of_domains, and the per-domain shares
    strict: bool = True
    reported: str = "post_group_index"
    min_pairs_for_tests: int = 5


@dataclass(frozen=True)
class Aggregation:
    method: str  # mean_of_respondents | pool_item_means | pool_points


@dataclass(frozen=True)
class ProvisionalNote:
    key: str
    note: str


@dataclass(frozen=True)
class Example:
    """A worked example inside a definition: one respondent's answers and the results
    its rules must give (checked by ``indeks instruments check``)."""

    name: str
    note: str
    answers: dict[str, int | float | str]  # item id -> code or answer text
    fill: int | float | str | None  # answer for every item of the form not in ``answers``
    form: str | None
    fields: dict[str, int | float | str]  # other columns (e.g. eligibility: usia = 16)
    missing_rule: str | None
    expect: dict[
        str, Fraction | str | None
    ]  # score -> value (None: empty); category/status -> text


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    version: str
    status: str  # official | provisional
    description: str
    sources: tuple[str, ...]
    provisional: tuple[ProvisionalNote, ...]
    scales: dict[str, Scale]
    forms: dict[str, Form]
    items: tuple[Item, ...]
    domains: tuple[Domain, ...]
    index: IndexSpec | None
    conversion: Conversion | None
    categories: tuple[CategoryTable, ...]
    aggregation: Aggregation
    eligibility: tuple[Eligibility, ...]
    prepost: PrePost | None
    missing_rules: tuple[str, ...]  # first is the default
    missing_rule_notes: dict[str, str]
    assessment_min_answered: dict[str, int]
    id_aliases: tuple[str, ...]
    form_column: str | None
    form_aliases: tuple[str, ...]
    unit_column: str | None
    unit_aliases: tuple[str, ...]
    group_columns: tuple[str, ...]
    krejcie_morgan: bool
    aliases: tuple[str, ...]  # other ids under which this instrument can be asked for
    path: str = ""
    examples: tuple[Example, ...] = ()
    name_en: str = ""  # the name in English ("" : the name is used in English too)
    # named ways of applying the domains' transforms; the first is the default
    transform_rules: tuple[TransformRule, ...] = ()

    # -- convenience -------------------------------------------------------------
    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    def item(self, item_id: str) -> Item:
        return _by_id(self.items, item_id)

    def domain(self, domain_id: str) -> Domain:
        return _by_id(self.domains, domain_id)

    @property
    def is_provisional(self) -> bool:
        return self.status == "provisional" or bool(self.provisional)

    @property
    def provisional_warning(self) -> str:
        """One line naming every provisional rule, empty for a fully official instrument."""
        if not self.is_provisional:
            return ""
        keys = ", ".join(n.key for n in self.provisional)
        return f"PROVISIONAL rules in {self.id} {self.version}: {keys}"

    def provisional_notes_for(self, context: str = "score") -> tuple[ProvisionalNote, ...]:
        """Provisional rules that affect results of ``context`` ("score" or "compare").

        Rules keyed ``prepost.*`` only affect pre/post comparisons.
        """
        if context == "compare":
            return self.provisional
        return tuple(n for n in self.provisional if not n.key.startswith("prepost"))

    def provisional_warning_for(self, context: str = "score", lang: str = "id") -> str:
        notes = self.provisional_notes_for(context)
        if not notes:
            return ""
        keys = ", ".join(n.key for n in notes)
        from indeks.messages import message

        return message(
            "provisional_rules",
            lang,
            id=self.id,
            version=self.version,
            keys=keys,
            ref=self.show_ref,
        )

    @property
    def show_ref(self) -> str:
        """What to pass to ``indeks instruments show``: the id of a built-in instrument,
        the file of a user's own definition."""
        from pathlib import Path

        from indeks.instruments import DEFINITIONS_DIR

        if not self.path or Path(self.path).resolve().parent == DEFINITIONS_DIR.resolve():
            return self.id
        return self.path

    @property
    def transform_rule_names(self) -> list[str]:
        return [r.name for r in self.transform_rules]

    def with_transform_rule(self, name: str | None) -> Instrument:
        """This instrument with its domain transforms applied by the rule ``name``
        (``None`` or the default rule: unchanged)."""
        if name is None or not self.transform_rules or name == self.transform_rules[0].name:
            if name is not None and name not in self.transform_rule_names:
                raise self._unknown_transform_rule(name)
            return self
        rule = next((r for r in self.transform_rules if r.name == name), None)
        if rule is None:
            raise self._unknown_transform_rule(name)
        from dataclasses import replace

        doms = tuple(
            replace(
                d,
                transform=replace(
                    d.transform, round_input=rule.round_input, round_output=rule.round_output
                ),
            )
            if d.transform is not None
            else d
            for d in self.domains
        )
        return replace(
            self,
            domains=doms,
            transform_rules=(rule,) + tuple(r for r in self.transform_rules if r.name != name),
        )

    def _unknown_transform_rule(self, name: str) -> ValueError:
        """The error for ``--transform NAME`` naming no rule (a ValueError, in either
        language)."""
        from indeks.errors import CatalogueError

        known = ", ".join(self.transform_rule_names)
        if not known:
            return CatalogueError("unknown_transform_rule_none", name=name, instrument=self.id)
        return CatalogueError("unknown_transform_rule", name=name, instrument=self.id, known=known)

    def __repr__(self) -> str:  # keep reprs short in tracebacks and notebooks
        return f"<Instrument {self.id} {self.version} ({self.status}), {len(self.items)} items>"


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _by_id(things: Iterable[_T], wanted: str) -> _T:
    """The one of ``things`` whose ``id`` is ``wanted`` (KeyError when none is)."""
    for thing in things:
        if thing.id == wanted:
            return thing
    raise KeyError(wanted)
