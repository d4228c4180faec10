"""Charts rendered on the server with matplotlib (Agg, no pyplot: safe in threads)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from indeks.i18n import label_of
from indeks.numbers import format_half_up
from indeks.present import label
from indeks.web.texts import tr

BLUE = "#1f5fa8"
ORANGE = "#d9822b"


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def _label(inst, key: str, lang: str) -> str:
    if key in ("index", "index_converted") and inst.index is not None:
        base = label_of(inst.index, lang)
        if key == "index_converted":
            return f"{base} ({label('converted', lang).lower()})"
        return base
    for d in inst.domains:
        if d.id == key:
            return label_of(d, lang)
    return key


def chart_columns(result) -> tuple[str, list[str]]:
    """("hist", [column]) for an index, ("box", [domains]) for instruments without one."""
    inst = result.instrument
    resp = result.respondents
    for c in ("index_converted", "index"):
        if c in resp.columns and pd.to_numeric(resp[c], errors="coerce").notna().any():
            return "hist", [c]
    doms = [d for d in inst.domains if d.reported and d.id in resp.columns]
    transformed = [d.id for d in doms if d.transform is not None]
    return "box", transformed or [d.id for d in doms]


def score_chart(result, lang: str) -> bytes | None:
    """Distribution of the index (histogram, overall value marked) or of the main domains."""
    inst = result.instrument
    resp = result.respondents
    kind, cols = chart_columns(result)
    if not cols:
        return None
    prec = result.precision()
    fig = Figure(figsize=(7.2, 3.6))
    ax = fig.add_subplot(1, 1, 1)
    if kind == "hist":
        col = cols[0]
        values = pd.to_numeric(resp[col], errors="coerce").dropna().to_numpy(dtype=float)
        if len(values) == 0:
            return None
        ax.hist(
            values,
            bins=min(20, max(5, int(np.sqrt(len(values))) + 1)),
            color=BLUE,
            edgecolor="white",
        )
        overall = result.summary[col].iloc[0] if col in result.summary.columns else None
        if overall is not None and overall == overall:
            text = format_half_up(float(overall), prec.get(col, 2))
            ax.axvline(float(overall), color=ORANGE, linewidth=2.5)
            ax.annotate(
                tr("chart_overall", lang, value=text),
                xy=(float(overall), 1),
                xycoords=("data", "axes fraction"),
                xytext=(6, -14),
                textcoords="offset points",
                color=ORANGE,
                fontsize=10,
                fontweight="bold",
            )
        ax.set_xlabel(_label(inst, col, lang))
        ax.set_ylabel(tr("chart_respondents", lang))
        ax.set_title(
            tr("chart_distribution", lang),
            fontsize=11,
        )
    else:
        data = [
            pd.to_numeric(resp[c], errors="coerce").dropna().to_numpy(dtype=float) for c in cols
        ]
        keep = [(c, d) for c, d in zip(cols, data, strict=True) if len(d)]
        if not keep:
            return None
        labels = [_label(inst, c, lang) for c, _ in keep]
        ax.boxplot(
            [d for _, d in keep],
            orientation="horizontal",
            patch_artist=True,
            widths=0.55,
            boxprops=dict(facecolor="#cfe0f5", edgecolor=BLUE),
            medianprops=dict(color=ORANGE, linewidth=2),
        )
        ax.set_yticks(range(1, len(labels) + 1), labels)
        ax.invert_yaxis()
        ax.set_xlabel(tr("chart_score", lang))
        ax.set_title(
            tr("chart_domain_distribution", lang),
            fontsize=11,
        )
        fig.set_size_inches(7.2, 1.2 + 0.55 * len(labels))
    ax.grid(axis="x" if kind == "box" else "y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def compare_chart(result, lang: str) -> bytes | None:
    """Mean pre and post per domain (and index), bars side by side, for paired respondents."""
    inst = result.instrument
    pairs = result.pairs
    if pairs is None or len(pairs) == 0:
        return None
    keys = [d.id for d in inst.domains if d.reported]
    share = list(result.meta.get("share_domains") or [])
    if share:
        keys = share
    if "index_pre" in pairs.columns:
        keys = keys + ["index"]
    keys = [k for k in keys if f"{k}_pre" in pairs.columns and f"{k}_post" in pairs.columns]
    if not keys:
        return None
    pre = [float(pd.to_numeric(pairs[f"{k}_pre"], errors="coerce").mean()) for k in keys]
    post = [float(pd.to_numeric(pairs[f"{k}_post"], errors="coerce").mean()) for k in keys]
    prec = (
        result.waves[next(iter(result.waves))].precision() if getattr(result, "waves", None) else {}
    )
    labels = [_label(inst, k, lang) for k in keys]
    fig = Figure(figsize=(7.2, 1.3 + 0.75 * len(keys)))
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(keys))
    h = 0.38
    b1 = ax.barh(y - h / 2, pre, h, color="#9bb8dc", label="Pre")
    b2 = ax.barh(y + h / 2, post, h, color=BLUE, label="Post")
    for bars, vals in ((b1, pre), (b2, post)):
        for bar, v, k in zip(bars, vals, keys, strict=True):
            if v == v:
                ax.annotate(
                    format_half_up(v, prec.get(k, 2)),
                    xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    top = max([v for v in pre + post if v == v] or [1])
    ax.set_xlim(0, top * 1.15)
    ax.set_xlabel(tr("chart_mean_of_pairs", lang, n=len(pairs)))
    ax.set_title(
        tr("chart_pre_post", lang),
        fontsize=11,
        loc="left",
    )
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
