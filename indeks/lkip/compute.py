"""Every derived figure of a workspace: realisasi, capaian, status, category,
sasaran capaian, budget.  Shared by :mod:`build` and :mod:`check`.

The capaian is computed from the realisation rounded half-up at the indicator's
``precision`` (the figure the report prints), as the published reports do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indeks.i18n import catalogue, check_lang, tr
from indeks.lkip import formulas as C
from indeks.lkip.sources import Realisation, SourceError, realise
from indeks.lkip.workspace import Indicator, Workspace, load_workspace
from indeks.numbers import round_half_up


@dataclass
class HistoryPoint:
    year: int
    target: float | None
    realisasi: float | None
    capaian: float | None
    note: str = ""


@dataclass
class IndicatorResult:
    indicator: Indicator
    sasaran_name: str
    realisasi_raw: float | None
    realisasi: float | None  # rounded half-up at indicator.precision
    capaian: C.CapaianValue
    status: str | None
    category: str | None
    realisation: Realisation | None
    history: list[HistoryPoint] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reason: str = ""  # why there is no realisasi / capaian

    # convenience
    @property
    def number(self) -> int:
        return self.indicator.number

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def target(self) -> float | None:
        return self.indicator.target

    @property
    def capaian_value(self) -> float | None:
        return self.capaian.value

    @property
    def provisional(self) -> str:
        if self.realisation is None:
            return ""
        return str(self.realisation.provenance.get("provisional_warning", "") or "")

    def series(self, year: int) -> list[HistoryPoint]:
        """History plus this year."""
        return self.history + [HistoryPoint(year, self.target, self.realisasi, self.capaian.value)]


@dataclass
class SasaranResult:
    id: str
    name: str
    indicators: list[int]
    capaian: float | None
    status: str | None


@dataclass
class Computation:
    workspace: Workspace
    lang: str
    indicators: list[IndicatorResult]
    sasaran: list[SasaranResult]
    budget: C.Budget | None
    warnings: list[str] = field(default_factory=list)

    def indicator(self, number: int) -> IndicatorResult:
        return next(r for r in self.indicators if r.number == number)

    def by_status(self) -> dict[str | None, list[IndicatorResult]]:
        out: dict[str | None, list[IndicatorResult]] = {s: [] for s in C.STATUSES}
        out[None] = []
        for r in self.indicators:
            out[r.status].append(r)
        return out


MSG = catalogue("lkip/compute")


def _r(value: float | None, decimals: int) -> float | None:
    return None if value is None else float(round_half_up(value, decimals))


def compute(workspace: Workspace | str, lang: str | None = None) -> Computation:
    ws = workspace if isinstance(workspace, Workspace) else load_workspace(workspace)
    lang = check_lang(lang or ws.lang)
    scale = C.category_scale(ws.category_preset, ws.category_bands)
    results: list[IndicatorResult] = []
    warnings = [w.text(lang) for w in ws.warnings]
    for ind in ws.indicators:
        sas = ws.sasaran_by_id(ind.sasaran)
        real: Realisation | None
        reason = ""
        try:
            real = realise(ind, ws, lang)
        except SourceError as exc:
            real = None
            reason = tr(MSG["source_failed"], lang, number=ind.number, error=exc)
            warnings.append(reason)
        raw = real.value if real is not None else None
        if real is not None and real.reason:
            reason = real.reason
        rounded = _r(raw, ind.precision)
        cap = ws.effective_cap(ind)
        cv = C.capaian(rounded, ind.target, ind.polarity, cap, lang)
        if cv.value is None and not reason:
            reason = cv.reason
        st = C.status(cv.value, ws.capaian_precision)
        cat = scale.classify(cv.value) if scale is not None else None
        hist = []
        for h in ind.history:
            hc = C.capaian(h.realisasi, h.target, ind.polarity, cap, lang)
            hist.append(HistoryPoint(h.year, h.target, h.realisasi, hc.value, h.note))
        res = IndicatorResult(
            indicator=ind,
            sasaran_name=sas.name if sas else ind.sasaran,
            realisasi_raw=raw,
            realisasi=rounded,
            capaian=cv,
            status=st,
            category=cat,
            realisation=real,
            history=hist,
            warnings=list(real.warnings) if real is not None else [],
            reason=reason,
        )
        if cv.note:
            res.warnings.append(cv.note)
        results.append(res)
    sas_results = []
    for s in ws.sasaran:
        members = [r for r in results if r.indicator.sasaran == s.id]
        value = (
            C.sasaran_capaian(
                [r.capaian.value for r in members], [r.indicator.weight for r in members], ws.cap
            )
            if members
            else None
        )
        sas_results.append(
            SasaranResult(
                s.id,
                s.name,
                [r.number for r in members],
                value,
                C.status(value, ws.capaian_precision),
            )
        )
    bud = C.budget(ws.budget.pagu, ws.budget.realisasi) if ws.budget is not None else None
    return Computation(ws, lang, results, sas_results, bud, warnings)


__all__ = ["Computation", "HistoryPoint", "IndicatorResult", "SasaranResult", "compute"]
