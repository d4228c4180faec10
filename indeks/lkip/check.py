"""Audit a report: recompute every derived figure and list each printed figure that
disagrees beyond rounding at the precision it was printed with (half-up).

Two figures agree when both, rounded half-up at the printed number of decimals, give
the same text: "81,34" agrees with a target of 81.339, "103,73" does not agree with
84.38 / 81.339 = 103.7387... (103.74).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from indeks.i18n import catalogue, check_lang, decimal_comma, tr
from indeks.lkip import formulas as C
from indeks.lkip.compute import Computation, IndicatorResult, compute
from indeks.lkip.workspace import Printed, Workspace, load_workspace
from indeks.numbers import format_half_up, to_fraction


@dataclass
class Discrepancy:
    """One printed figure that disagrees with the recomputation."""

    indicator: int | None  # None for the budget
    name: str  # indicator name, or "Anggaran"
    field: str  # e.g. "capaian_summary", "history[2023].capaian", "budget.pct_sisa"
    reported: float | str
    reported_text: str  # as written in the workspace (as printed)
    recomputed: float | str
    recomputed_text: str  # at least the printed precision
    decimals: int  # precision of the comparison
    note: str = ""
    kind: str = "number"  # number | amount (rupiah) | text

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class CheckResult:
    workspace: Workspace
    issues: list[Discrepancy] = field(default_factory=list)
    checked: int = 0  # printed figures compared
    unchecked: list[str] = field(default_factory=list)  # figures that could not be recomputed
    computation: Computation | None = None
    lang: str = "id"

    @property
    def ok(self) -> bool:
        return not self.issues

    def __bool__(self) -> bool:  # pragma: no cover - convenience
        return self.ok


MSG = catalogue("lkip/check")


def _agree(recomputed: float, printed: Printed) -> bool:
    d = printed.decimals
    return format_half_up(recomputed, d) == format_half_up(float(printed.value), d)


def _text(value: float, printed: Printed, at_least: int) -> str:
    return format_half_up(value, max(printed.decimals, at_least))


def _truncates_to(value: float, printed: Fraction, decimals: int) -> bool:
    """``value`` cut (not rounded) after ``decimals`` places is ``printed``, exactly."""
    scale = 10**decimals
    return Fraction(math.trunc(to_fraction(value) * scale), scale) == printed


def capaian_hint(
    capaian: float,
    printed: Fraction,
    decimals: int,
    *,
    realisasi: float | None,
    realisasi_decimals: int,
    other_years: Iterable[tuple[int, float | None]],
    lang: str,
) -> str:
    """Why a printed capaian disagrees with the recomputed ``capaian``: it is the capaian
    truncated instead of rounded, the realisasi, or the capaian of another year; ``""``
    when none of these.  Exact: the capaian is read as the decimal it stands for and the
    printed figure (``decimals`` shown) is compared as a fraction."""
    if _truncates_to(capaian, printed, decimals):
        return tr(MSG["truncated"], lang)
    shown = format_half_up(float(printed), decimals)
    comma = decimal_comma(lang)
    if realisasi is not None and format_half_up(realisasi, decimals) == shown:
        return tr(
            MSG["equals_realisasi"],
            lang,
            value=format_half_up(realisasi, realisasi_decimals, decimal_comma=comma),
        )
    for year, value in other_years:
        if value is not None and format_half_up(value, decimals) == shown:
            return tr(
                MSG["equals_history"],
                lang,
                year=year,
                value=format_half_up(value, 2, decimal_comma=comma),
            )
    return ""


def _norm_status(s: str) -> str:
    s = " ".join(s.lower().replace("dibawah", "di bawah").split())
    return s


class _Auditor:
    def __init__(self, comp: Computation, lang: str):
        self.comp = comp
        self.ws = comp.workspace
        self.lang = lang
        self.result = CheckResult(self.ws, computation=comp, lang=lang)

    def compare(
        self,
        indicator,
        name,
        fieldname,
        printed: Printed,
        recomputed,
        at_least=2,
        note="",
        kind="number",
    ):
        self.result.checked += 1
        if not _agree(recomputed, printed):
            if not note and _truncates_to(recomputed, to_fraction(printed.value), printed.decimals):
                note = tr(MSG["truncated"], self.lang)
            self.result.issues.append(
                Discrepancy(
                    indicator,
                    name,
                    fieldname,
                    float(printed.value),
                    printed.text,
                    float(recomputed),
                    _text(recomputed, printed, at_least),
                    printed.decimals,
                    note,
                    kind,
                )
            )
            return False
        return True

    def fmt(self, value: float, decimals: int) -> str:
        return format_half_up(value, decimals, decimal_comma=decimal_comma(self.lang))

    def unchecked(self, number, fieldname, reason):
        self.result.unchecked.append(
            tr(MSG["no_recompute"], self.lang, number=number, field=fieldname, reason=reason)
        )

    # ---------------------------------------------------------------- indicators
    def indicator(self, r: IndicatorResult) -> None:
        ind = r.indicator
        prec = self.ws.capaian_precision
        for key, printed in sorted(ind.reported.items()):
            base = key.split("_", 1)[0]
            if base == "status":
                self.result.checked += 1
                if r.status is None:
                    self.unchecked(ind.number, key, r.reason)
                elif _norm_status(str(printed.value)) != _norm_status(r.status):
                    self.result.issues.append(
                        Discrepancy(
                            ind.number,
                            ind.name,
                            key,
                            str(printed.value),
                            printed.text,
                            r.status,
                            r.status,
                            0,
                            kind="text",
                        )
                    )
                continue
            if base == "target":
                if ind.target is None:
                    self.unchecked(ind.number, key, "target")
                    continue
                self.compare(ind.number, ind.name, key, printed, ind.target, at_least=0)
                continue
            if base == "realisasi":
                if r.realisasi is None:  # None exactly when realisasi_raw is
                    self.unchecked(ind.number, key, r.reason)
                    continue
                # compare with the realisation used (rounded at the indicator's precision)
                note = ""
                if not _agree(r.realisasi, printed):
                    note = tr(
                        MSG["equals_other_realisasi"],
                        self.lang,
                        value=self.fmt(r.realisasi, ind.precision),
                    )
                self.compare(
                    ind.number,
                    ind.name,
                    key,
                    printed,
                    r.realisasi,
                    at_least=ind.precision,
                    note=note,
                )
                continue
            if base == "capaian":
                if r.capaian.value is None:
                    self.unchecked(ind.number, key, r.reason or r.capaian.reason)
                    continue
                self.compare(
                    ind.number,
                    ind.name,
                    key,
                    printed,
                    r.capaian.value,
                    at_least=prec,
                    note=""
                    if _agree(r.capaian.value, printed)
                    else capaian_hint(
                        r.capaian.value,
                        to_fraction(printed.value),
                        printed.decimals,
                        realisasi=r.realisasi,
                        realisasi_decimals=ind.precision,
                        other_years=[(hp.year, hp.capaian) for hp in r.history],
                        lang=self.lang,
                    ),
                )
        for h, hp in zip(ind.history, r.history, strict=True):
            if h.capaian is None:
                continue
            fieldname = f"history[{h.year}].capaian"
            if hp.capaian is None:
                self.unchecked(ind.number, fieldname, "target/realisasi")
                continue
            self.compare(ind.number, ind.name, fieldname, h.capaian, hp.capaian, at_least=prec)
        # IKPA aspect table
        src = ind.source
        if src is not None and src.kind == "ikpa":
            for a in src.aspects:
                if a.reported_score is not None:
                    self.compare(
                        ind.number,
                        ind.name,
                        f"source.aspects[{a.name}].reported_score",
                        a.reported_score,
                        a.value * a.weight / 100,
                        at_least=2,
                    )
            if ind.reported_groups:
                groups = C.ikpa_groups(
                    [{"value": a.value, "weight": a.weight, "group": a.group} for a in src.aspects]
                )
                for g, printed in ind.reported_groups.items():
                    if g not in groups:
                        self.unchecked(
                            ind.number, f"reported.groups.{g}", "no aspect has this group"
                        )
                        continue
                    self.compare(
                        ind.number,
                        ind.name,
                        f"reported.groups.{g}",
                        printed,
                        groups[g],
                        at_least=2,
                        note=tr(MSG["group_note"], self.lang),
                    )

    # ---------------------------------------------------------------- budget
    def budget(self) -> None:
        spec = self.ws.budget
        b = self.comp.budget
        if spec is None or b is None:
            return
        name = tr(MSG["budget"], self.lang)
        rep = spec.reported
        if "pagu" in rep:
            self.compare(
                None, name, "budget.reported.pagu", rep["pagu"], b.pagu, at_least=0, kind="amount"
            )
        if "realisasi" in rep:
            self.compare(
                None,
                name,
                "budget.reported.realisasi",
                rep["realisasi"],
                b.realisasi,
                at_least=0,
                kind="amount",
            )
        if "sisa" in rep:
            self.compare(
                None, name, "budget.reported.sisa", rep["sisa"], b.sisa, at_least=0, kind="amount"
            )
        for key, value in (("pct_realisasi", b.pct_realisasi), ("pct_sisa", b.pct_sisa)):
            if key in rep and value is not None:
                note = ""
                if key == "pct_sisa" and "pct_realisasi" in rep:
                    total = float(rep["pct_realisasi"].value) + float(rep["pct_sisa"].value)
                    if format_half_up(total, 2) != "100.00":
                        note = tr(
                            MSG["pct_sum"],
                            self.lang,
                            total=format_half_up(total, 2, decimal_comma=decimal_comma(self.lang)),
                        )
                self.compare(
                    None, name, f"budget.reported.{key}", rep[key], value, at_least=2, note=note
                )
        if spec.awal is not None and spec.adjustments:
            previous = spec.awal
            for n, adj in enumerate(spec.adjustments, start=1):
                expected = previous + adj.amount
                if adj.result is not None:
                    note = tr(
                        MSG["adjustment"],
                        self.lang,
                        previous=_rp(previous),
                        sign="-" if adj.amount < 0 else "+",
                        amount=_rp(abs(adj.amount)),
                        expected=_rp(expected),
                    )
                    self.compare(
                        None,
                        name,
                        f"budget.adjustments[{n}].result ({adj.label})",
                        adj.result,
                        expected,
                        at_least=0,
                        note=note,
                        kind="amount",
                    )
                    previous = float(adj.result.value)
                else:
                    previous = expected
            self.result.checked += 1
            if format_half_up(previous, 0) != format_half_up(spec.pagu, 0):
                self.result.issues.append(
                    Discrepancy(
                        None,
                        name,
                        "budget.pagu",
                        spec.pagu,
                        _rp(spec.pagu),
                        previous,
                        _rp(previous),
                        0,
                        tr(MSG["chain_end"], self.lang, chain=_rp(previous)),
                        "amount",
                    )
                )


def _rp(amount: float) -> str:
    """Rupiah with Indonesian thousand separators: 1.625.121.134"""
    neg = amount < 0
    text = f"{abs(int(round(amount))):,}".replace(",", ".")
    return ("-" if neg else "") + text


def audit(workspace_path: str | Path | Workspace, lang: str | None = None):
    """(workspace, language, computation, check result): everything recomputed once."""
    ws = workspace_path if isinstance(workspace_path, Workspace) else load_workspace(workspace_path)
    lang = check_lang(lang or ws.lang)
    comp = compute(ws, lang)
    a = _Auditor(comp, lang)
    for r in comp.indicators:
        a.indicator(r)
    a.budget()
    return ws, lang, comp, a.result


def check(workspace_path: str | Path | Workspace, lang: str | None = None) -> CheckResult:
    """Recompute every derived figure and list each printed figure that disagrees."""
    return audit(workspace_path, lang)[3]


def format_check_table(
    result: CheckResult, lang: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """Headers and text rows of the discrepancies, for a rich table or a CSV."""
    lang = check_lang(lang or result.lang)
    comma = decimal_comma(lang)
    headers = [
        tr(MSG[key], lang)
        for key in ("h_no", "h_indicator", "h_field", "h_printed", "h_recomputed", "h_note")
    ]
    rows = []
    for d in result.issues:
        rec = d.recomputed_text
        if d.kind == "amount":
            rec = _rp(float(d.recomputed))
        elif d.kind == "number" and comma:
            rec = rec.replace(".", ",")
        rows.append(
            [
                "" if d.indicator is None else str(d.indicator),
                d.name,
                d.field,
                d.reported_text,
                rec,
                d.note,
            ]
        )
    return headers, rows


__all__ = ["CheckResult", "Discrepancy", "check", "format_check_table"]
