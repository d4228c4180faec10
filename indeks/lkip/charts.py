"""PNG charts of the LKIP report: capaian per indicator and target vs realisasi over the years."""

from __future__ import annotations

import io
import textwrap

from indeks.i18n import decimal_comma
from indeks.lkip import formulas as C
from indeks.lkip.compute import Computation, IndicatorResult
from indeks.lkip.tables import decimals_of, num, t

# --------------------------------------------------------------------------- charts

STATUS_COLORS = {C.MELEBIHI: "#2e7d32", C.SESUAI: "#1565c0", C.DI_BAWAH: "#c62828", None: "#9e9e9e"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _wrap_label(text: str, width: int, lines: int) -> str:
    parts = textwrap.wrap(text, width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def chart_history(r: IndicatorResult, year: int, lang: str) -> bytes:
    """Target vs realisasi for each year of the history and this year; the capaian
    of each year under its label."""
    plt = _plt()
    pts = r.series(year)
    ind = r.indicator
    years = [p.year for p in pts]
    fig, ax = plt.subplots(figsize=(7.2, 3.7), dpi=110)
    x = list(range(len(years)))
    w = 0.38
    tgt = [p.target for p in pts]
    rea = [p.realisasi for p in pts]
    top = max([v for v in tgt + rea if v is not None] + [1])
    first_t = next((j for j, q in enumerate(tgt) if q is not None), None)
    first_r = next((j for j, q in enumerate(rea) if q is not None), None)
    for i, v in enumerate(tgt):
        if v is not None:
            ax.bar(
                i - w / 2, v, w, color="#b0bec5", label=t("target", lang) if i == first_t else None
            )
            ax.text(
                i - w / 2,
                v + top * 0.015,
                num(v, min(max(decimals_of(v), ind.precision), 3), lang),
                ha="center",
                va="bottom",
                fontsize=8,
                color="#37474f",
            )
    for i, v in enumerate(rea):
        if v is not None:
            d = ind.precision if years[i] == year else min(max(decimals_of(v), ind.precision), 3)
            ax.bar(
                i + w / 2,
                v,
                w,
                color="#1e88e5",
                label=t("realisasi", lang) if i == first_r else None,
            )
            ax.text(
                i + w / 2,
                v + top * 0.015,
                num(v, d, lang),
                ha="center",
                va="bottom",
                fontsize=8,
                color="#0d47a1",
                fontweight="bold",
            )
    ticks = []
    for p in pts:
        cap = (num(p.capaian, 2, lang) + " %") if p.capaian is not None else "—"
        ticks.append(f"{p.year}\n{cap}")
    ax.set_xticks(x, ticks, fontsize=8.5)
    span = max(len(x), 4)  # keep bars narrow when there are few years
    ax.set_xlim(-0.5 - (span - len(x)) / 2, len(x) - 0.5 + (span - len(x)) / 2)
    ax.set_xlabel(t("tahun", lang) + " / " + t("capaian", lang), fontsize=8, color="#546e7a")
    ax.set_ylim(0, top * 1.18)
    ax.set_ylabel(ind.unit)
    ax.spines[["top", "right"]].set_visible(False)
    title = f"IKK {ind.number}. " + ind.name
    ax.set_title(_wrap_label(title, 75, 2), fontsize=9.5, loc="left")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if ind.precision == 0:
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if decimal_comma(lang):
        ax.yaxis.set_major_formatter(_comma_formatter())
    fig.tight_layout()
    return _png(fig, plt)


def _comma_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:g}".replace(".", ","))


def chart_capaian(comp: Computation, lang: str) -> bytes:
    """Capaian of every indicator this year, with the 100 % line."""
    plt = _plt()
    from matplotlib.patches import Patch

    rs = comp.indicators
    n = len(rs)
    fig, ax = plt.subplots(figsize=(9.0, 0.55 * n + 1.8), dpi=110)
    labels = []
    values = []
    colors = []
    for r in rs:
        labels.append(_wrap_label(f"{r.number}. {r.indicator.name}", 48, 2))
        values.append(r.capaian.value if r.capaian.value is not None else 0.0)
        colors.append(STATUS_COLORS.get(r.status, "#9e9e9e"))
    y = list(range(n))[::-1]
    ax.barh(y, values, color=colors, height=0.62)
    vmax = max(values + [100.0])
    for yi, r, v in zip(y, rs, values, strict=True):
        txt = num(r.capaian.value, 2, lang) + " %" if r.capaian.value is not None else "—"
        ax.text(v + vmax * 0.01, yi, txt, va="center", fontsize=8)
    ax.axvline(100, color="#424242", linestyle="--", linewidth=1)
    ax.set_ylim(-0.6, n + 0.1)
    ax.text(100, n - 0.3, " 100 %", ha="left", va="center", fontsize=8, color="#424242")
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, vmax * 1.16)
    ax.set_xlabel(t("capaian", lang))
    ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(
        t("grafik_capaian", lang, year=comp.workspace.year) + f" — {comp.workspace.unit}",
        fontsize=10.5,
    )
    handles = [Patch(color=STATUS_COLORS[s], label=C.status_label(s, lang)) for s in C.STATUSES]
    fig.legend(handles=handles, fontsize=8, frameon=False, loc="lower center", ncol=3)
    if decimal_comma(lang):
        ax.xaxis.set_major_formatter(_comma_formatter())
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return _png(fig, plt)


def _png(fig, plt) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
