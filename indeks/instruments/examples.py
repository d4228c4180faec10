"""Run the ``[[examples]]`` of a definition and check that it can be scored.

An example is one respondent's answers with the results the definition's rules must
give, written by hand from those rules.  :func:`run_examples` scores every example with
the engine and compares the results at the declared precision; :func:`check_instrument`
also scores an all-highest and an all-lowest respondent of every form, so that a
definition ``indeks instruments check`` accepts can always be scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from indeks.errors import IndeksError
from indeks.instruments.loader import Msg
from indeks.instruments.model import Example, Instrument
from indeks.numbers import format_half_up


@dataclass(frozen=True)
class ExampleOutcome:
    """One expected value of one example, with what the engine gave."""

    example: str
    key: str  # a score, "category...", "status" or "reason"
    expected: str
    got: str
    ok: bool


@dataclass(frozen=True)
class CheckReport:
    instrument: Instrument
    outcomes: tuple[ExampleOutcome, ...]
    problems: tuple[Msg, ...]  # scoring failures (str() English; .text(lang) either)

    @property
    def ok(self) -> bool:
        return not self.problems and all(o.ok for o in self.outcomes)

    def problem_texts(self, lang: str | None = None) -> list[str]:
        """The scoring failures in ``lang`` (Bahasa Indonesia by default)."""
        return [p.text(lang) for p in self.problems]

    @property
    def failures(self) -> list[ExampleOutcome]:
        return [o for o in self.outcomes if not o.ok]


def _form_value(inst: Instrument, form: str | None) -> str | None:
    if inst.form_column is None or len(inst.forms) < 2:
        return None
    fid = form or next(iter(inst.forms))
    f = inst.forms[fid]
    return f.values[0] if f.values else fid


def _eligible_fields(inst: Instrument) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for e in inst.eligibility:
        v = e.min if e.min is not None else e.max
        out[e.column] = v
    return out


def example_frame(inst: Instrument, ex: Example) -> pd.DataFrame:
    """The one-row answers table of an example (columns named by item id)."""
    form = ex.form or (next(iter(inst.forms)) if len(inst.forms) > 1 else None)
    row: dict[str, object] = {"id": f"example:{ex.name}"}
    if inst.unit_column:
        row[inst.unit_column] = "example"
    fv = _form_value(inst, form)
    if fv is not None:
        row[inst.form_column] = fv  # type: ignore[index]
    row.update(_eligible_fields(inst))
    for it in inst.items:
        if form is not None and it.form != form:
            continue
        if it.id in ex.answers:
            row[it.id] = ex.answers[it.id]
        elif ex.fill is not None:
            row[it.id] = ex.fill
        else:
            row[it.id] = None
    row.update(ex.fields)
    return pd.DataFrame([row])


def _precision(inst: Instrument, key: str) -> int:
    if key == "index" and inst.index is not None:
        return inst.index.precision
    if key == "index_converted" and inst.conversion is not None:
        return inst.conversion.precision
    did = key[:-4] if key.endswith("_raw") else key
    return inst.domain(did).precision


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    return str(value)


def run_example(inst: Instrument, ex: Example) -> list[ExampleOutcome]:
    from indeks.scoring.engine import score

    res = score(inst, example_frame(inst, ex), id_column="id", missing_rule=ex.missing_rule)
    row = res.respondents.iloc[0]
    out = []
    for key, want in ex.expect.items():
        if key in ("status", "reason") or key.startswith("category"):
            got_text = _text(row.get(key))
            code_key = f"{key}_code"
            got_code = _text(row.get(code_key)) if code_key in row.index else ""
            want_s = str(want)
            ok = want_s.casefold() in (got_text.casefold(), got_code.casefold())
            got_show = (
                got_text if not got_code or got_code == got_text else f"{got_code} {got_text}"
            )
            out.append(ExampleOutcome(ex.name, key, want_s, got_show, ok))
            continue
        p = _precision(inst, key)
        value = row.get(key)
        got_s = "" if value is None or pd.isna(value) else format_half_up(float(value), p)
        if want is None:
            want_s = ""
        else:
            assert isinstance(want, Fraction)
            want_s = format_half_up(float(want), p)
        out.append(
            ExampleOutcome(
                ex.name, key, want_s or "(kosong/empty)", got_s or "(kosong/empty)", got_s == want_s
            )
        )
    return out


def run_examples(inst: Instrument) -> list[ExampleOutcome]:
    out: list[ExampleOutcome] = []
    for ex in inst.examples:
        out.extend(run_example(inst, ex))
    return out


def _smoke_examples(inst: Instrument) -> list[Example]:
    out = []
    forms = list(inst.forms) if len(inst.forms) > 1 else [None]
    for form in forms:
        for which in ("max", "min"):
            answers: dict[str, int | float | str] = {}
            for it in inst.items:
                if form is not None and it.form != form:
                    continue
                sc = inst.scales[it.scale]
                answers[it.id] = sc.max if which == "max" else sc.min
            out.append(
                Example(
                    name=f"{which}{'' if form is None else ':' + form}",
                    note="",
                    answers=answers,
                    fill=None,
                    form=form,
                    fields={},
                    missing_rule=None,
                    expect={"status": "scored"},
                )
            )
    return out


class _Typed:
    """An exception shown as ``Type: message`` in the language the problem is shown in."""

    def __init__(self, exc: Exception):
        self.exc = exc

    def text(self, lang: str | None = None) -> str:
        msg = self.exc.text(lang) if isinstance(self.exc, IndeksError) else str(self.exc)
        return f"{type(self.exc).__name__}: {msg}"

    def __str__(self) -> str:
        return self.text("en")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def check_instrument(inst: Instrument) -> CheckReport:
    """Score the definition's examples and an all-highest / all-lowest respondent."""
    problems = []
    for ex in _smoke_examples(inst):
        for rule in inst.missing_rules:
            try:
                from dataclasses import replace

                run_example(inst, replace(ex, missing_rule=rule))
            except Exception as exc:  # reported, not raised: the definition cannot be scored
                problems.append(Msg("smoke_fails", name=ex.name, rule=rule, error=_Typed(exc)))
    outcomes: list[ExampleOutcome] = []
    for ex in inst.examples:
        try:
            outcomes.extend(run_example(inst, ex))
        except Exception as exc:
            problems.append(Msg("example_unscorable", name=ex.name, error=_Typed(exc)))
    return CheckReport(inst, tuple(outcomes), tuple(problems))
