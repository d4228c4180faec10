"""Generated narrative of an LKIP indicator: sentences built from the same displayed
figures as the tables, so a sentence can never contradict its table.

Every number in a sentence is the text of a table cell (:class:`Row`), and every
comparison (naik / turun, tercapai / tidak tercapai, trend) is decided on the exact
decimal value of that displayed text, not on the unrounded figure.  A realisasi shown
as 3,54 next to a 2023 value shown as 3,53 is "naik 0,01", whatever the unrounded
values were.

Indonesian by default; English with ``lang="en"`` (the terms capaian, realisasi and
the status labels stay Indonesian).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from indeks.i18n import catalogue, check_lang, tr
from indeks.lkip.compute import Computation, IndicatorResult
from indeks.lkip.formulas import status, status_label
from indeks.lkip.tables import decimals_of, num

# --------------------------------------------------------------------------- displayed rows


@dataclass(frozen=True)
class Row:
    """One year of an indicator's target / realisasi / capaian table, as displayed."""

    year: int
    target: str | None
    realisasi: str | None
    capaian: str | None  # without the % sign
    status: str | None  # melebihi / sesuai / di bawah target (from the displayed capaian)
    note: str = ""
    current: bool = False

    @property
    def met(self) -> bool | None:
        """Target met (capaian >= 100 at the displayed precision); None without capaian."""
        if self.status is None:
            return None
        return self.status != "di bawah target"


def value_of(text: str) -> Fraction:
    """The exact value of a displayed number ("1.234,56" or "1,234.56" or "84,38")."""
    s = text.strip()
    if "," in s and "." in s:
        s = (
            s.replace(".", "").replace(",", ".")
            if s.rfind(",") > s.rfind(".")
            else s.replace(",", "")
        )
    else:
        s = s.replace(",", ".")
    return Fraction(Decimal(s))


def _decimals(text: str) -> int:
    t = text.replace(".", ",") if "," not in text else text
    return len(t.rsplit(",", 1)[1]) if "," in t else 0


def indicator_rows(
    r: IndicatorResult, year: int, capaian_precision: int = 2, lang: str = "id"
) -> list[Row]:
    """The history years and this year, each figure as the tables print it.

    Targets and earlier realisations keep their own decimals (at least the indicator's
    precision); this year's realisasi is shown at the indicator's precision; capaian
    at ``capaian_precision``, half-up.
    """
    ind = r.indicator
    rows = []
    series = r.series(year)
    for i, p in enumerate(series):
        current = i == len(series) - 1
        tgt = (
            None
            if p.target is None
            else num(p.target, max(decimals_of(p.target), ind.precision), lang)
        )
        if p.realisasi is None:
            rea = None
        elif current:
            rea = num(p.realisasi, ind.precision, lang)
        else:
            rea = num(p.realisasi, max(decimals_of(p.realisasi), ind.precision), lang)
        cap = None if p.capaian is None else num(p.capaian, capaian_precision, lang)
        st = None if p.capaian is None else status(p.capaian, capaian_precision)
        rows.append(Row(p.year, tgt, rea, cap, st, p.note, current))
    return rows


# --------------------------------------------------------------------------- texts

S = catalogue("lkip/narrative")


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {tr(S['and'], lang)} " + items[-1]


def with_unit(text: str, unit: str) -> str:
    """ "84,38 indeks", "100,00%", "10 orang"."""
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit.lower()}".strip()


def _diff_text(a: str, b: str, unit: str, lang: str) -> tuple[int, str]:
    """Sign of a - b and the text of |a - b| at the larger displayed precision."""
    d = value_of(a) - value_of(b)
    decimals = max(_decimals(a), _decimals(b))
    text = num(float(abs(d)), decimals, lang)
    sign = (d > 0) - (d < 0)
    if unit == "%":
        return sign, f"{text} {tr(S['pp'], lang)}"
    return sign, with_unit(text, unit)


@dataclass
class Narrative:
    """The sentences about one indicator, and the rows they were built from."""

    number: int
    rows: list[Row]
    sentences: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def indicator_narrative(
    r: IndicatorResult, year: int, capaian_precision: int = 2, lang: str | None = None
) -> Narrative:
    """Sentences comparing this year with the target, with last year, with the
    history years (met every year or not, which years fell short) and the trend."""
    lang = check_lang(lang)
    ind = r.indicator
    unit = ind.unit
    rows = indicator_rows(r, year, capaian_precision, lang)
    cur = rows[-1]
    out = Narrative(ind.number, rows)
    name = ind.name
    if cur.capaian is not None and cur.realisasi is not None and cur.target is not None:
        out.sentences.append(
            tr(
                S["capaian"],
                lang,
                n=ind.number,
                name=name,
                year=year,
                cap=cur.capaian,
                status=status_label(cur.status, lang),
                rea=with_unit(cur.realisasi, unit),
                tgt=with_unit(cur.target, unit),
            )
        )
    else:
        reason = (r.reason or r.capaian.reason or "").rstrip(".")
        out.sentences.append(
            tr(S["no_capaian"], lang, n=ind.number, name=name, year=year, reason=reason)
        )
    earlier = [x for x in rows[:-1] if x.year < year]
    # against last year (the latest earlier year with a realisasi)
    prev = next((x for x in reversed(earlier) if x.realisasi is not None), None)
    if prev is not None and prev.realisasi is not None and cur.realisasi is not None:
        sign, diff = _diff_text(cur.realisasi, prev.realisasi, unit, lang)
        key = {1: "up", -1: "down", 0: "same"}[sign]
        out.sentences.append(
            tr(
                S[key],
                lang,
                year=year,
                pyear=prev.year,
                diff=diff,
                prev=with_unit(prev.realisasi, unit),
            )
        )
        if prev.capaian is not None:
            out.sentences.append(
                tr(
                    S["prev_capaian"],
                    lang,
                    pyear=prev.year,
                    pcap=prev.capaian,
                    pstatus=status_label(prev.status, lang),
                )
            )
    # the history: met every year or not
    with_cap = [x for x in rows if x.met is not None]
    if len(with_cap) >= 2:
        met = [str(x.year) for x in with_cap if x.met]
        unmet = [str(x.year) for x in with_cap if not x.met]
        y0, y1 = with_cap[0].year, with_cap[-1].year
        if not unmet:
            out.sentences.append(tr(S["met_all"], lang, y0=y0, y1=y1))
        elif not met:
            out.sentences.append(tr(S["met_none"], lang, y0=y0, y1=y1))
        else:
            out.sentences.append(
                tr(S["met_some"], lang, met=_join(met, lang), unmet=_join(unmet, lang))
            )
        missing = [str(x.year) for x in rows if x.met is None and x.year >= y0]
        if missing:
            out.sentences.append(tr(S["no_cap_years"], lang, years=_join(missing, lang)))
    # trend over the years with a realisasi
    with_rea = [(x.year, x.realisasi) for x in rows if x.realisasi is not None]
    if len(with_rea) >= 3:
        vals = [value_of(text) for _, text in with_rea]
        steps = [(b > a) - (b < a) for a, b in zip(vals, vals[1:], strict=False)]
        y0, y1 = with_rea[0][0], with_rea[-1][0]
        if all(s > 0 for s in steps):
            out.sentences.append(tr(S["trend_up"], lang, y0=y0))
        elif all(s < 0 for s in steps):
            out.sentences.append(tr(S["trend_down"], lang, y0=y0))
        elif all(s == 0 for s in steps):
            out.sentences.append(tr(S["trend_flat"], lang, y0=y0))
        elif all(s >= 0 for s in steps) or all(s <= 0 for s in steps):
            key = "trend_nondown" if all(s >= 0 for s in steps) else "trend_noup"
            out.sentences.append(
                tr(
                    S[key],
                    lang,
                    y0=y0,
                    y1=y1,
                    first=with_unit(with_rea[0][1], unit),
                    last=with_unit(with_rea[-1][1], unit),
                )
            )
        else:
            hi = max(range(len(vals)), key=lambda i: (vals[i], -i))
            lo = min(range(len(vals)), key=lambda i: (vals[i], i))
            out.sentences.append(
                tr(
                    S["trend_mixed"],
                    lang,
                    y0=y0,
                    y1=y1,
                    hi=with_unit(with_rea[hi][1], unit),
                    yhi=with_rea[hi][0],
                    lo=with_unit(with_rea[lo][1], unit),
                    ylo=with_rea[lo][0],
                )
            )
    return out


def narratives(comp: Computation, lang: str | None = None) -> list[Narrative]:
    """One :class:`Narrative` per indicator of a computation."""
    lang = check_lang(lang or comp.lang)
    ws = comp.workspace
    return [indicator_narrative(r, ws.year, ws.capaian_precision, lang) for r in comp.indicators]


__all__ = ["Narrative", "Row", "indicator_narrative", "indicator_rows", "narratives", "value_of"]
