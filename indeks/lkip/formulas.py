"""Pure arithmetic of an LKIP: capaian, status, categories, sasaran, budget, IKPA.

Every function here is free of I/O.  Rounding for display and for comparisons is
half-up (:func:`indeks.numbers.round_half_up`), never Python's ``round``.

Rules (documented for users in ``indeks/lkip/WORKSPACE.md`` and README):

* higher is better: ``capaian = realisasi / target x 100``;
* lower is better: ``capaian = (2 x target - realisasi) / target x 100``, floored at 0;
* target 0 or missing: no capaian, a message, never a division error;
* no cap by default; a cap (e.g. 120) clips the capaian from above;
* status triple: compare the capaian rounded half-up at 2 decimals with 100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from indeks.i18n import catalogue, tr
from indeks.numbers import format_half_up, round_half_up, to_fraction

CAPAIAN_DECIMALS = 2

POLARITIES = ("higher", "lower")

# official terms: the status labels stay Indonesian in every language
MELEBIHI = "melebihi target"
SESUAI = "sesuai target"
DI_BAWAH = "di bawah target"
STATUSES = (MELEBIHI, SESUAI, DI_BAWAH)

STATUS_LABELS = catalogue("lkip/status")

MSG = catalogue("lkip/formulas")


def _is_nan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


@dataclass(frozen=True)
class CapaianValue:
    """A capaian (percent) or ``None`` with the reason.

    Unpacks as ``value, reason = capaian(...)``.  ``raw`` is the value before any cap
    or floor; ``note`` says when a cap or floor changed it.
    """

    value: float | None
    reason: str = ""
    raw: float | None = None
    capped: bool = False
    note: str = ""

    def __iter__(self) -> Iterator[object]:
        yield self.value
        yield self.reason

    @property
    def ok(self) -> bool:
        return self.value is not None

    def text(self, decimals: int = CAPAIAN_DECIMALS, decimal_comma: bool = False) -> str:
        return format_half_up(self.value, decimals, decimal_comma)


def capaian(
    realisasi: float | None,
    target: float | None,
    polarity: str = "higher",
    cap: float | None = None,
    lang: str | None = None,
) -> CapaianValue:
    """Capaian in percent, or ``None`` with a reason (never raises on bad target)."""
    if polarity not in POLARITIES:
        return CapaianValue(None, tr(MSG["bad_polarity"], lang, polarity=polarity))
    if target is None or _is_nan(target):
        return CapaianValue(None, tr(MSG["target_missing"], lang))
    if realisasi is None or _is_nan(realisasi):
        return CapaianValue(None, tr(MSG["realisasi_missing"], lang))
    try:
        t = float(target)
        r = float(realisasi)
    except (OverflowError, TypeError, ValueError):
        t = r = math.inf
    for what, v in (("target", t), ("realisasi", r)):
        if not math.isfinite(v):
            return CapaianValue(None, tr(MSG["not_finite"], lang, what=what, value=v))
    if t == 0:
        return CapaianValue(None, tr(MSG["target_zero"], lang))
    if t < 0:
        return CapaianValue(None, tr(MSG["target_negative"], lang, target=f"{t:g}"))
    note = tr(MSG["realisasi_negative"], lang, value=f"{r:g}") if r < 0 else ""
    if polarity == "higher":
        raw = r / t * 100.0
        value = raw
    else:
        raw = (2.0 * t - r) / t * 100.0
        value = raw
        if value < 0:
            value = 0.0
            note = (note + "; " if note else "") + tr(MSG["floored"], lang)
    capped = False
    if cap is not None and value > float(cap):
        capped = True
        note = tr(
            MSG["capped"],
            lang,
            raw=format_half_up(value, CAPAIAN_DECIMALS),
            cap=format_half_up(float(cap), CAPAIAN_DECIMALS),
        )
        value = float(cap)
    return CapaianValue(value, "", raw, capped, note)


def status(value: float | None, decimals: int = CAPAIAN_DECIMALS) -> str | None:
    """ "melebihi target" / "sesuai target" / "di bawah target" (``None`` without capaian).

    The capaian is rounded half-up at ``decimals`` first: 99.995 -> 100.00 -> sesuai.
    """
    if value is None or _is_nan(value):
        return None
    # compare as exact decimals after half-up rounding, not as binary floats
    rounded = to_fraction(format_half_up(float(value), decimals))
    if rounded > 100:
        return MELEBIHI
    if rounded == 100:
        return SESUAI
    return DI_BAWAH


def status_label(value: str | None, lang: str | None = None) -> str:
    if value is None:
        return tr(MSG["status_none"], lang)
    return tr(STATUS_LABELS[value], lang)


# --------------------------------------------------------------------------- categories


@dataclass(frozen=True)
class Band:
    min: float  # inclusive lower bound on the rounded value
    label: str


@dataclass(frozen=True)
class CategoryScale:
    """Bands on a capaian.  The value is rounded half-up at ``decimals``; the first band
    (from the top) whose ``min`` is <= the rounded value gives the label."""

    id: str
    bands: tuple[Band, ...]
    decimals: int = 0
    description: str = ""

    def classify(self, value: float | None) -> str | None:
        if value is None or _is_nan(value):
            return None
        # the rounded value and the band bounds are both short decimals, so float
        # comparison is exact enough here (75.01 >= 75.01 holds)
        v = float(round_half_up(float(value), self.decimals))
        for band in sorted(self.bands, key=lambda b: b.min, reverse=True):
            if v >= band.min:
                return band.label
        return sorted(self.bands, key=lambda b: b.min)[0].label


CATEGORY_PRESETS: dict[str, CategoryScale] = {
    # bands written in whole numbers (91-100, 76-90, ...): the capaian is rounded
    # half-up to a whole number first, so 90.5 -> 91 -> Sangat Baik; above 100 stays
    # in the top band.
    "sakip5": CategoryScale(
        "sakip5",
        (
            Band(91, "Sangat Baik"),
            Band(76, "Baik"),
            Band(66, "Cukup"),
            Band(51, "Kurang"),
            Band(float("-inf"), "Sangat Kurang"),
        ),
        decimals=0,
        description="91-100 Sangat Baik, 76-90 Baik, 66-75 Cukup, 51-65 Kurang, <=50 Sangat Kurang",
    ),
}


def category_scale(
    preset: str | None, bands: Sequence[Mapping] | None = None
) -> CategoryScale | None:
    """A preset by name, or a custom scale from ``[{min=.., label=..}, ...]``."""
    if bands:
        return CategoryScale(
            "custom",
            tuple(Band(float(b["min"]), str(b["label"])) for b in bands),
            decimals=int(bands[0].get("decimals", 2)) if isinstance(bands[0], Mapping) else 2,
        )
    if preset is None or preset in ("", "none"):
        return None
    return CATEGORY_PRESETS[preset]


def category(value: float | None, preset: str = "sakip5") -> str | None:
    return CATEGORY_PRESETS[preset].classify(value)


# --------------------------------------------------------------------------- sasaran


def sasaran_capaian(
    values: Iterable[float | None],
    weights: Iterable[float] | None = None,
    cap: float | None = None,
) -> float | None:
    """Mean (weighted when ``weights`` given) of the indicators' capaian after the cap.

    Indicators without a capaian are left out; ``None`` when none has one.
    """
    vals = list(values)
    ws = [1.0] * len(vals) if weights is None else [float(w) for w in weights]
    if len(ws) != len(vals):
        raise ValueError("weights and values differ in length")
    num = 0.0
    den = 0.0
    for v, w in zip(vals, ws, strict=True):
        if v is None or _is_nan(v):
            continue
        v = float(v)
        if cap is not None:
            v = min(v, float(cap))
        num += v * w
        den += w
    if den == 0:
        return None
    return num / den


# --------------------------------------------------------------------------- budget


@dataclass(frozen=True)
class Budget:
    pagu: float
    realisasi: float
    sisa: float
    pct_realisasi: float | None
    pct_sisa: float | None


def budget(pagu: float, realisasi: float) -> Budget:
    """Realisasi, sisa = pagu - realisasi, and the percentage of each (of pagu)."""
    p = to_fraction(pagu)
    r = to_fraction(realisasi)
    s = p - r
    if p == 0:
        return Budget(float(p), float(r), float(s), None, None)
    return Budget(float(p), float(r), float(s), float(r / p * 100), float(s / p * 100))


# --------------------------------------------------------------------------- IKPA


@dataclass(frozen=True)
class Aspect:
    name: str
    value: Fraction
    weight: Fraction
    group: str = ""

    @property
    def score(self) -> Fraction:
        """The aspect's contribution ("nilai akhir"): value x weight / 100."""
        return self.value * self.weight / 100


def _aspects(aspects) -> list[Aspect]:
    out: list[Aspect] = []
    if isinstance(aspects, Mapping):
        items = []
        for name, vw in aspects.items():
            if isinstance(vw, Mapping):
                items.append({"name": name, **vw})
            else:
                value, weight = vw
                items.append({"name": name, "value": value, "weight": weight})
        aspects = items
    for a in aspects:
        if isinstance(a, Aspect):
            out.append(a)
        elif isinstance(a, Mapping):
            out.append(
                Aspect(
                    str(a.get("name", "")),
                    to_fraction(a["value"]),
                    to_fraction(a["weight"]),
                    str(a.get("group", "")),
                )
            )
        else:
            name, value, weight = a
            out.append(Aspect(str(name), to_fraction(value), to_fraction(weight)))
    return out


def ikpa(aspects) -> float:
    """IKPA = sum(value x weight) / 100.

    ``aspects``: a list of ``{"name", "value", "weight"}`` dicts, of ``(name, value,
    weight)`` tuples, or a mapping ``name -> (value, weight)``.  Computed with exact
    fractions; round with :func:`indeks.numbers.round_half_up` for display.
    """
    return float(sum((a.score for a in _aspects(aspects)), Fraction(0)))


def ikpa_detail(aspects) -> list[dict]:
    """Per aspect: name, group, value, weight, score (value x weight / 100)."""
    return [
        {
            "name": a.name,
            "group": a.group,
            "value": float(a.value),
            "weight": float(a.weight),
            "score": float(a.score),
        }
        for a in _aspects(aspects)
    ]


def ikpa_groups(aspects) -> dict[str, float]:
    """Weighted mean of the aspect values within each group ("Nilai Aspek")."""
    sums: dict[str, list[Fraction]] = {}
    for a in _aspects(aspects):
        if not a.group:
            continue
        s = sums.setdefault(a.group, [Fraction(0), Fraction(0)])
        s[0] += a.value * a.weight
        s[1] += a.weight
    return {g: float(num / den) for g, (num, den) in sums.items() if den != 0}


def ikpa_weight_total(aspects) -> Fraction:
    return sum((a.weight for a in _aspects(aspects)), Fraction(0))


__all__ = [
    "Band",
    "Budget",
    "CATEGORY_PRESETS",
    "CapaianValue",
    "CategoryScale",
    "DI_BAWAH",
    "MELEBIHI",
    "SESUAI",
    "budget",
    "capaian",
    "category",
    "category_scale",
    "ikpa",
    "ikpa_detail",
    "ikpa_groups",
    "sasaran_capaian",
    "status",
    "status_label",
]
