"""Build the LKIP outputs of a workspace: an XLSX workbook, a self-contained printable
HTML report and PNG charts, all written atomically (into a temporary directory next
to the output, then moved into place file by file).
"""

from __future__ import annotations

import base64
import importlib
import io
import os
import re
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indeks.i18n import check_lang, tr

C = importlib.import_module(
    "indeks.lkip.capaian"
)  # the module (the package exports the function `capaian`)
from indeks.lkip.check import CheckResult, _rp, audit, format_check_table
from indeks.lkip.compute import Computation, IndicatorResult
from indeks.lkip.workspace import Workspace
from indeks.numbers import format_half_up, round_half_up

TEMPLATE_DIR = Path(__file__).parent / "templates"

# --------------------------------------------------------------------------- labels

L = {
    "pk": {"id": "Perjanjian Kinerja", "en": "Performance Agreement (Perjanjian Kinerja)"},
    "capaian_sheet": {
        "id": "Capaian Sasaran Kegiatan",
        "en": "Achievement of Activity Targets (Capaian Sasaran Kegiatan)",
    },
    "ikhtisar": {"id": "Ikhtisar Eksekutif", "en": "Executive Summary (Ikhtisar Eksekutif)"},
    "anggaran": {"id": "Realisasi Anggaran", "en": "Budget Realisation (Realisasi Anggaran)"},
    "rincian": {"id": "Rincian Indikator", "en": "Indicator Details"},
    "provenans": {"id": "Provenans", "en": "Provenance"},
    "pemeriksaan": {"id": "Pemeriksaan Angka Laporan", "en": "Audit of Printed Figures"},
    "sasaran_capaian": {
        "id": "Capaian per Sasaran Kegiatan",
        "en": "Capaian per Activity Target (Sasaran Kegiatan)",
    },
    "no": {"id": "No.", "en": "No."},
    "sasaran": {"id": "Sasaran Kegiatan", "en": "Activity target (Sasaran Kegiatan)"},
    "indikator": {"id": "Indikator Kinerja", "en": "Performance indicator"},
    "satuan": {"id": "Satuan", "en": "Unit"},
    "target": {"id": "Target", "en": "Target"},
    "realisasi": {"id": "Realisasi", "en": "Realisasi"},
    "capaian": {"id": "Capaian (%)", "en": "Capaian (%)"},
    "status": {"id": "Status", "en": "Status"},
    "kategori": {"id": "Kategori", "en": "Category"},
    "catatan": {"id": "Catatan", "en": "Notes"},
    "tahun": {"id": "Tahun", "en": "Year"},
    "indikator_no": {"id": "Indikator", "en": "Indicators"},
    "pagu": {"id": "Pagu (Rp)", "en": "Pagu / allocation (Rp)"},
    "realisasi_rp": {"id": "Realisasi (Rp)", "en": "Realisasi (Rp)"},
    "sisa": {"id": "Sisa (Rp)", "en": "Unspent / sisa (Rp)"},
    "pct_realisasi": {"id": "% Realisasi", "en": "% realised"},
    "pct_sisa": {"id": "% Sisa", "en": "% unspent"},
    "penyesuaian": {"id": "Penyesuaian pagu", "en": "Pagu adjustments"},
    "pagu_awal": {"id": "Pagu awal", "en": "Initial pagu"},
    "jumlah": {"id": "Jumlah (Rp)", "en": "Amount (Rp)"},
    "hasil": {"id": "Pagu setelahnya, hitung (Rp)", "en": "Pagu after, computed (Rp)"},
    "sumber": {"id": "Sumber realisasi", "en": "Source of the realisasi"},
    "instrumen": {"id": "Instrumen", "en": "Instrument"},
    "versi": {"id": "Versi", "en": "Version"},
    "berkas": {"id": "Berkas", "en": "Files"},
    "dinilai": {"id": "Responden dinilai", "en": "Respondents scored"},
    "ditolak": {"id": "Ditolak", "en": "Rejected"},
    "versi_paket": {"id": "Versi indeks", "en": "indeks version"},
    "waktu": {"id": "Waktu", "en": "Time"},
    "peringatan": {"id": "Peringatan", "en": "Warning"},
    "perbandingan": {
        "id": "Perbandingan target dan realisasi",
        "en": "Target vs realisasi over the years",
    },
    "grafik_capaian": {
        "id": "Capaian indikator kinerja tahun {year}",
        "en": "Capaian of the indicators, {year}",
    },
    "isian": {"id": "Isian", "en": "Field"},
    "tercetak": {"id": "Tercetak", "en": "Printed"},
    "hitung_ulang": {"id": "Hitung ulang", "en": "Recomputed"},
    "keterangan": {"id": "Keterangan", "en": "Note"},
    "ok_check": {
        "id": "Semua angka tercetak sesuai dengan hasil hitung ulang ({n} angka diperiksa).",
        "en": "Every printed figure agrees with the recomputation ({n} figures checked).",
    },
    "bad_check": {
        "id": "{k} dari {n} angka tercetak tidak sesuai dengan hasil hitung ulang:",
        "en": "{k} of {n} printed figures disagree with the recomputation:",
    },
    "group_melebihi": {
        "id": "Capaian melebihi target ({n} indikator)",
        "en": "Above target — melebihi target ({n} indicators)",
    },
    "group_sesuai": {
        "id": "Capaian sesuai target ({n} indikator)",
        "en": "On target — sesuai target ({n} indicators)",
    },
    "group_di_bawah": {
        "id": "Capaian di bawah target ({n} indikator)",
        "en": "Below target — di bawah target ({n} indicators)",
    },
    "group_none": {
        "id": "Capaian belum dapat dihitung ({n} indikator)",
        "en": "No capaian yet ({n} indicators)",
    },
    "budget_sentence": {
        "id": "Realisasi anggaran tahun {year} sebesar Rp {realisasi} ({pct_r}% dari pagu Rp {pagu}); "
        "tidak terealisasi Rp {sisa} ({pct_s}%).",
        "en": "Budget realisation {year}: Rp {realisasi} ({pct_r}% of the pagu of Rp {pagu}); "
        "unspent Rp {sisa} ({pct_s}%).",
    },
    "kind_value": {"id": "nilai diisi langsung", "en": "value entered"},
    "kind_ikpa": {
        "id": "dihitung dari tabel aspek IKPA",
        "en": "computed from the IKPA aspect table",
    },
    "kind_instrument": {"id": "dihitung dari kuesioner", "en": "computed from questionnaires"},
    "aspek": {"id": "Aspek", "en": "Aspect"},
    "nilai": {"id": "Nilai", "en": "Value"},
    "bobot": {"id": "Bobot", "en": "Weight"},
    "nilai_akhir": {"id": "Nilai akhir", "en": "Weighted score"},
    "kelompok": {"id": "Kelompok", "en": "Group"},
    "ringkasan_skor": {"id": "Ringkasan skor", "en": "Scoring summary"},
    "dibuat": {
        "id": "Dibuat dengan indeks {version} pada {time}.",
        "en": "Made with indeks {version} on {time}.",
    },
    "provisional": {"id": "SEMENTARA", "en": "PROVISIONAL"},
    "tidak_ada": {"id": "—", "en": "—"},
    "sasaran_n": {"id": "Sasaran", "en": "Sasaran"},
    "polaritas_lower": {
        "id": "semakin rendah semakin baik: capaian = (2 × target − realisasi) / target × 100",
        "en": "lower is better: capaian = (2 × target − realisasi) / target × 100",
    },
}


def t(key: str, lang: str, **kw) -> str:
    return tr(L[key], lang, **kw)


def num(value: float | None, decimals: int, lang: str) -> str:
    if value is None:
        return "—"
    return format_half_up(value, decimals, decimal_comma=lang == "id")


def rp(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    text = _rp(value)
    return text if lang == "id" else text.replace(".", ",")


def decimals_of(x: float | None) -> int:
    if x is None:
        return 0
    text = repr(float(x))
    if "e" in text:
        return 6
    frac = text.split(".")[1]
    return 0 if frac == "0" else len(frac)


def target_decimals(ind) -> int:
    """Decimals to show a target with: its own, at least the realisation's precision."""
    return max(decimals_of(ind.target), ind.precision)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "lkip"


# --------------------------------------------------------------------------- result


@dataclass
class BuildResult:
    computation: Computation
    check: CheckResult
    out_dir: Path
    files: dict[str, Path] = field(
        default_factory=dict
    )  # "xlsx", "html", "chart:capaian", "chart:ikk-01"...
    warnings: list[str] = field(default_factory=list)

    @property
    def workspace(self) -> Workspace:
        return self.computation.workspace

    @property
    def indicators(self) -> list[IndicatorResult]:
        return self.computation.indicators

    @property
    def lang(self) -> str:
        return self.computation.lang

    @property
    def xlsx(self) -> Path:
        return self.files["xlsx"]

    @property
    def html(self) -> Path:
        return self.files["html"]

    @property
    def charts(self) -> list[Path]:
        return [p for k, p in self.files.items() if k.startswith("chart:")]


def format_capaian_table(result, lang: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and text rows of the capaian table (one row per indicator).

    ``result``: a :class:`BuildResult`, a :class:`~indeks.lkip.check.CheckResult` or a
    :class:`~indeks.lkip.compute.Computation`.  Numbers are rounded half-up and use a
    decimal comma in Indonesian.  Status stays in Indonesian (official terms).
    """
    comp = result if isinstance(result, Computation) else result.computation
    lang = check_lang(lang or comp.lang)
    headers = [
        t("no", lang),
        t("sasaran", lang),
        t("indikator", lang),
        t("target", lang),
        t("realisasi", lang),
        t("capaian", lang),
        t("status", lang),
        t("catatan", lang),
    ]
    rows = []
    for r in comp.indicators:
        ind = r.indicator
        notes = list(r.warnings)
        if r.reason:
            notes.insert(0, r.reason)
        rows.append(
            [
                str(ind.number),
                r.sasaran_name,
                ind.name,
                f"{num(ind.target, target_decimals(ind), lang)} {ind.unit}".strip(),
                f"{num(r.realisasi, ind.precision, lang)} {ind.unit}".strip()
                if r.realisasi is not None
                else "—",
                num(r.capaian.value, comp.workspace.capaian_precision, lang),
                r.status or C.status_label(None, lang),
                "; ".join(notes),
            ]
        )
    return headers, rows


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
    if lang == "id":
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
    for yi, r, v in zip(y, rs, values):
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
    if lang == "id":
        ax.xaxis.set_major_formatter(_comma_formatter())
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return _png(fig, plt)


def _png(fig, plt) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


# --------------------------------------------------------------------------- tables (shared by xlsx and html)


def _provenance_rows(comp: Computation, lang: str) -> list[dict]:
    rows = []
    for r in comp.indicators:
        p = r.realisation.provenance if r.realisation is not None else {}
        kind = p.get("kind", r.indicator.source.kind if r.indicator.source else "")
        files = p.get("files", [])
        scoring = p.get("scoring", {})
        rows.append(
            {
                "number": r.number,
                "name": r.name,
                "kind": t(f"kind_{kind}", lang)
                if kind in ("value", "ikpa", "instrument")
                else kind,
                "instrument": p.get("instrument", "") or p.get("system", ""),
                "version": p.get("instrument_version", ""),
                "figure": p.get("figure", p.get("formula", "")),
                "files": "; ".join(f"{f['name']} (sha256 {f['sha256']})" for f in files)
                or p.get("file", ""),
                "n_scored": "; ".join(f"{k}: {v.get('n_scored')}" for k, v in scoring.items()),
                "n_rejected": "; ".join(f"{k}: {v.get('n_rejected')}" for k, v in scoring.items()),
                "package_version": p.get("package_version", ""),
                "time": p.get("time", ""),
                "provisional": p.get("provisional_warning", ""),
                "note": p.get("note", "")
                or (r.indicator.source.note if r.indicator.source else ""),
            }
        )
    return rows


DETAIL_TITLES = {
    "ikpa_aspects": {
        "id": "Aspek IKPA (nilai × bobot / 100)",
        "en": "IKPA aspects (value × weight / 100)",
    },
    "ikpa_groups": {
        "id": "Nilai aspek per kelompok (rata-rata tertimbang)",
        "en": "Aspect groups (weighted mean of the values)",
    },
    "pre": {"id": "Ringkasan skor pre-test", "en": "Scoring summary, pre-test"},
    "post": {"id": "Ringkasan skor post-test", "en": "Scoring summary, post-test"},
    "data": {"id": "Ringkasan skor", "en": "Scoring summary"},
    "compare": {"id": "Perbandingan pre/post", "en": "Pre/post comparison"},
}
DETAIL_HEADERS = {
    "name": {"id": "Aspek", "en": "Aspect"},
    "group": {"id": "Kelompok", "en": "Group"},
    "value": {"id": "Nilai", "en": "Value"},
    "weight": {"id": "Bobot", "en": "Weight"},
    "score": {"id": "Nilai akhir", "en": "Weighted score"},
    "key": {"id": "Kelompok", "en": "Group"},
}


def _detail_tables(
    r: IndicatorResult, lang: str = "id"
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, headers, rows) of what lies behind a realisation."""
    out = []
    if r.realisation is None:
        return out

    def title(label: str) -> str:
        return tr(DETAIL_TITLES[label], lang) if label in DETAIL_TITLES else label

    def head(h: str) -> str:
        return tr(DETAIL_HEADERS[h], lang) if h in DETAIL_HEADERS else h

    for label, obj in r.realisation.details.items():
        if hasattr(obj, "columns") and hasattr(obj, "itertuples"):
            headers = [str(c) for c in obj.columns]
            rows = [[_cell(v) for v in row] for row in obj.itertuples(index=False, name=None)]
            out.append((title(label), headers, rows))
        elif isinstance(obj, list) and obj and isinstance(obj[0], dict):
            headers = list(obj[0].keys())
            out.append(
                (
                    title(label),
                    [head(h) for h in headers],
                    [[_cell(d.get(h)) for h in headers] for d in obj],
                )
            )
        elif isinstance(obj, dict):
            out.append(
                (
                    title(label),
                    [head("key"), head("value")],
                    [[k, _cell(v)] for k, v in obj.items()],
                )
            )
    return out


def _cell(v: Any) -> Any:
    if hasattr(v, "item"):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, (int, float, str)) or v is None:
        return v
    return str(v)


# --------------------------------------------------------------------------- xlsx


def write_xlsx(comp: Computation, chk: CheckResult, path: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws_ = comp.workspace
    wb = Workbook()
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="1F4E79")
    title_font = Font(bold=True, size=13)
    thin = Side(style="thin", color="B0B0B0")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    status_fill = {
        C.MELEBIHI: PatternFill("solid", fgColor="E8F5E9"),
        C.SESUAI: PatternFill("solid", fgColor="E3F2FD"),
        C.DI_BAWAH: PatternFill("solid", fgColor="FFEBEE"),
    }
    warn_font = Font(color="B71C1C", italic=True)

    def fmt(decimals: int, suffix: str = "") -> str:
        base = "0" if decimals == 0 else "0." + "0" * decimals
        return base + suffix

    def sheet(title: str, heading: str, headers: list[str], widths: list[int]):
        sh = wb.create_sheet(title[:31])
        sh["A1"] = heading
        sh["A1"].font = title_font
        sh["A2"] = f"{ws_.unit} — {ws_.year}"
        for j, h in enumerate(headers, start=1):
            c = sh.cell(row=4, column=j, value=h)
            c.font = head_font
            c.fill = head_fill
            c.alignment = Alignment(wrap_text=True, vertical="center")
            c.border = border
        for j, w in enumerate(widths, start=1):
            sh.column_dimensions[get_column_letter(j)].width = w
        sh.freeze_panes = "A5"
        return sh

    def put(sh, row, col, value, number_format=None, bold=False, fill=None, font=None):
        c = sh.cell(row=row, column=col, value=value)
        c.border = border
        c.alignment = wrap
        if number_format:
            c.number_format = number_format
        if bold:
            c.font = Font(bold=True)
        if font is not None:
            c.font = font
        if fill is not None:
            c.fill = fill
        return c

    wb.remove(wb.active)
    cap_fmt = fmt(ws_.capaian_precision, '" %"')

    # 1. Perjanjian Kinerja
    sh = sheet(
        "Perjanjian Kinerja",
        f"{t('pk', lang)} {ws_.unit} {ws_.year}",
        [
            t("no", lang),
            t("sasaran", lang),
            t("indikator", lang),
            t("target", lang),
            t("satuan", lang),
        ],
        [6, 48, 52, 12, 10],
    )
    for i, r in enumerate(comp.indicators, start=5):
        ind = r.indicator
        put(sh, i, 1, ind.number)
        put(sh, i, 2, r.sasaran_name)
        put(sh, i, 3, ind.name)
        put(sh, i, 4, ind.target, fmt(target_decimals(ind)))
        put(sh, i, 5, ind.unit)

    # 2. Capaian Sasaran Kegiatan
    headers = [
        t("no", lang),
        t("sasaran", lang),
        t("indikator", lang),
        t("satuan", lang),
        t("target", lang),
        t("realisasi", lang),
        t("capaian", lang),
        t("status", lang),
        t("kategori", lang),
        t("catatan", lang),
    ]
    sh = sheet(
        "Capaian Sasaran Kegiatan",
        f"{t('capaian_sheet', lang)} {ws_.unit} {ws_.year}",
        headers,
        [6, 42, 46, 9, 11, 11, 12, 17, 13, 46],
    )
    row = 5
    for r in comp.indicators:
        ind = r.indicator
        put(sh, row, 1, ind.number)
        put(sh, row, 2, r.sasaran_name)
        put(sh, row, 3, ind.name)
        put(sh, row, 4, ind.unit)
        put(sh, row, 5, ind.target, fmt(target_decimals(ind)))
        put(sh, row, 6, r.realisasi, fmt(ind.precision))
        cval = (
            None
            if r.capaian.value is None
            else float(round_half_up(r.capaian.value, ws_.capaian_precision))
        )
        put(sh, row, 7, cval, cap_fmt, fill=status_fill.get(r.status))
        put(sh, row, 8, r.status or C.status_label(None, lang), fill=status_fill.get(r.status))
        put(sh, row, 9, r.category)
        notes = ([r.reason] if r.reason else []) + r.warnings
        if ind.polarity == "lower":
            notes.append(t("polaritas_lower", lang))
        put(sh, row, 10, "; ".join(notes), font=warn_font if r.provisional else None)
        row += 1
    row += 2
    sh.cell(row=row, column=1, value=t("sasaran_capaian", lang)).font = title_font
    row += 1
    for j, h in enumerate(
        [
            t("no", lang),
            t("sasaran", lang),
            t("indikator_no", lang),
            t("capaian", lang),
            t("status", lang),
        ],
        start=1,
    ):
        c = sh.cell(row=row, column=j, value=h)
        c.font = head_font
        c.fill = head_fill
    row += 1
    for k, s in enumerate(comp.sasaran, start=1):
        put(sh, row, 1, k)
        put(sh, row, 2, s.name)
        put(sh, row, 3, ", ".join(str(n) for n in s.indicators))
        put(
            sh,
            row,
            4,
            None if s.capaian is None else float(round_half_up(s.capaian, ws_.capaian_precision)),
            cap_fmt,
        )
        put(sh, row, 5, s.status, fill=status_fill.get(s.status))
        row += 1

    # 3. Ikhtisar
    sh = sheet(
        "Ikhtisar",
        f"{t('ikhtisar', lang)} {ws_.year}",
        [t("no", lang), t("sasaran", lang), t("indikator", lang), t("capaian", lang)],
        [6, 48, 52, 14],
    )
    row = 5
    groups = comp.by_status()
    for key, st in (
        ("group_melebihi", C.MELEBIHI),
        ("group_sesuai", C.SESUAI),
        ("group_di_bawah", C.DI_BAWAH),
        ("group_none", None),
    ):
        members = groups.get(st, [])
        if st is None and not members:
            continue
        c = sh.cell(row=row, column=1, value=t(key, lang, n=len(members)))
        c.font = Font(bold=True)
        c.fill = status_fill.get(st, PatternFill("solid", fgColor="EEEEEE"))
        sh.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        row += 1
        for k, r in enumerate(members, start=1):
            put(sh, row, 1, k)
            put(sh, row, 2, r.sasaran_name)
            put(sh, row, 3, f"{r.indicator.name} (IKK {r.number})")
            put(
                sh,
                row,
                4,
                None
                if r.capaian.value is None
                else float(round_half_up(r.capaian.value, ws_.capaian_precision)),
                cap_fmt,
            )
            row += 1
        row += 1
    if comp.budget is not None:
        b = comp.budget
        sh.cell(
            row=row,
            column=1,
            value=t(
                "budget_sentence",
                lang,
                year=ws_.year,
                realisasi=rp(b.realisasi, lang),
                pct_r=num(b.pct_realisasi, 2, lang),
                pagu=rp(b.pagu, lang),
                sisa=rp(b.sisa, lang),
                pct_s=num(b.pct_sisa, 2, lang),
            ),
        )

    # 4. Anggaran
    sh = sheet(
        "Anggaran",
        f"{t('anggaran', lang)} {ws_.year}",
        [
            t("pagu", lang),
            t("realisasi_rp", lang),
            t("sisa", lang),
            t("pct_realisasi", lang),
            t("pct_sisa", lang),
        ],
        [52, 20, 24, 20, 13],
    )
    if comp.budget is not None:
        b = comp.budget
        put(sh, 5, 1, b.pagu, "#,##0")
        put(sh, 5, 2, b.realisasi, "#,##0")
        put(sh, 5, 3, b.sisa, "#,##0")
        put(
            sh,
            5,
            4,
            None if b.pct_realisasi is None else float(round_half_up(b.pct_realisasi, 2)),
            '0.00" %"',
        )
        put(
            sh,
            5,
            5,
            None if b.pct_sisa is None else float(round_half_up(b.pct_sisa, 2)),
            '0.00" %"',
        )
        spec = ws_.budget
        if spec is not None and spec.awal is not None:
            row = 8
            sh.cell(row=row, column=1, value=t("penyesuaian", lang)).font = title_font
            row += 1
            for j, h in enumerate(
                [t("keterangan", lang), t("jumlah", lang), t("hasil", lang), t("tercetak", lang)],
                start=1,
            ):
                c = sh.cell(row=row, column=j, value=h)
                c.font = head_font
                c.fill = head_fill
            row += 1
            put(sh, row, 1, t("pagu_awal", lang))
            put(sh, row, 3, spec.awal, "#,##0")
            running = spec.awal
            for adj in spec.adjustments:
                row += 1
                running += adj.amount
                put(sh, row, 1, adj.label)
                put(sh, row, 2, adj.amount, "#,##0")
                put(sh, row, 3, running, "#,##0")
                if adj.result is not None:
                    bad = format_half_up(running, 0) != format_half_up(float(adj.result.value), 0)
                    put(
                        sh,
                        row,
                        4,
                        float(adj.result.value),
                        "#,##0",
                        font=warn_font if bad else None,
                    )
                    running = float(adj.result.value)

    # 5. Rincian
    sh = sheet(
        "Rincian",
        t("rincian", lang),
        [t("no", lang), t("indikator", lang), "", "", "", ""],
        [10, 34, 14, 14, 14, 30],
    )
    row = 5
    for r in comp.indicators:
        ind = r.indicator
        c = sh.cell(row=row, column=1, value=f"IKK {ind.number}. {ind.name}")
        c.font = Font(bold=True, size=12)
        row += 1
        prov = r.realisation.provenance if r.realisation is not None else {}
        kind = prov.get("kind", "")
        line = t(f"kind_{kind}", lang) if kind else ""
        if prov.get("instrument"):
            line += f": {prov['instrument']} {prov.get('instrument_version', '')} — {prov.get('figure', '')}"
        sh.cell(row=row, column=1, value=t("sumber", lang)).font = Font(bold=True)
        sh.cell(row=row, column=2, value=line)
        row += 1
        for w in r.warnings + ([r.reason] if r.reason else []):
            c = sh.cell(row=row, column=2, value=w)
            c.font = warn_font
            row += 1
        for j, h in enumerate(
            [
                t("tahun", lang),
                t("target", lang),
                t("realisasi", lang),
                t("capaian", lang),
                t("catatan", lang),
            ],
            start=2,
        ):
            c = sh.cell(row=row, column=j, value=h)
            c.font = head_font
            c.fill = head_fill
        row += 1
        for p in r.series(ws_.year):
            put(sh, row, 2, p.year)
            put(
                sh,
                row,
                3,
                p.target,
                fmt(max(decimals_of(p.target), ind.precision)) if p.target is not None else None,
            )
            put(
                sh,
                row,
                4,
                p.realisasi,
                fmt(
                    ind.precision
                    if p.year == ws_.year
                    else max(decimals_of(p.realisasi), ind.precision)
                ),
            )
            put(
                sh,
                row,
                5,
                None
                if p.capaian is None
                else float(round_half_up(p.capaian, ws_.capaian_precision)),
                cap_fmt,
            )
            put(sh, row, 6, p.note)
            row += 1
        for title, headers_, rows_ in _detail_tables(r, lang):
            row += 1
            sh.cell(row=row, column=2, value=title).font = Font(bold=True, italic=True)
            row += 1
            for j, h in enumerate(headers_, start=2):
                c = sh.cell(row=row, column=j, value=h)
                c.font = Font(bold=True)
            row += 1
            for rr in rows_:
                for j, v in enumerate(rr, start=2):
                    c = sh.cell(row=row, column=j, value=v)
                    if isinstance(v, float):
                        c.number_format = "0.00##"
                row += 1
        row += 2

    # 6. Provenans
    prov_headers = [
        t("no", lang),
        t("indikator", lang),
        t("sumber", lang),
        t("instrumen", lang),
        t("versi", lang),
        "figure",
        t("berkas", lang),
        t("dinilai", lang),
        t("ditolak", lang),
        t("versi_paket", lang),
        t("waktu", lang),
        t("peringatan", lang),
        t("catatan", lang),
    ]
    sh = sheet(
        "Provenans",
        t("provenans", lang),
        prov_headers,
        [6, 40, 22, 14, 10, 16, 60, 16, 14, 10, 22, 40, 30],
    )
    for i, p in enumerate(_provenance_rows(comp, lang), start=5):
        for j, k in enumerate(
            [
                "number",
                "name",
                "kind",
                "instrument",
                "version",
                "figure",
                "files",
                "n_scored",
                "n_rejected",
                "package_version",
                "time",
                "provisional",
                "note",
            ],
            start=1,
        ):
            put(sh, i, j, p[k], font=warn_font if k == "provisional" and p[k] else None)

    # 7. Pemeriksaan (audit of the printed figures)
    h, rows = format_check_table(chk, lang)
    sh = sheet("Pemeriksaan", t("pemeriksaan", lang), h, [6, 40, 30, 16, 16, 50])
    if chk.ok:
        sh.cell(row=5, column=1, value=t("ok_check", lang, n=chk.checked))
    for i, rr in enumerate(rows, start=5):
        for j, v in enumerate(rr, start=1):
            put(sh, i, j, v)

    wb.save(path)


# --------------------------------------------------------------------------- html


def render_html(comp: Computation, chk: CheckResult, charts: dict[str, bytes], lang: str) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from indeks._version import __version__

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html", "j2"])
    )
    # an instrument's warning already says "SEMENTARA (PROVISIONAL)"; other texts get the label
    env.filters["provisional_label"] = lambda text, label: (
        text if str(text).startswith(("SEMENTARA", "PROVISIONAL")) else f"{label}: {text}"
    )
    ws_ = comp.workspace
    prec = ws_.capaian_precision

    def b64(key: str) -> str:
        data = charts.get(key)
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii") if data else ""

    inds = []
    for r in comp.indicators:
        ind = r.indicator
        inds.append(
            {
                "number": ind.number,
                "name": ind.name,
                "sasaran": r.sasaran_name,
                "unit": ind.unit,
                "target": num(ind.target, target_decimals(ind), lang),
                "realisasi": num(r.realisasi, ind.precision, lang),
                "capaian": num(r.capaian.value, prec, lang),
                "status": r.status or C.status_label(None, lang),
                "status_key": {C.MELEBIHI: "up", C.SESUAI: "eq", C.DI_BAWAH: "down"}.get(
                    r.status, "none"
                ),
                "category": r.category or "",
                "warnings": r.warnings,
                "reason": r.reason,
                "provisional": r.provisional,
                "lower": ind.polarity == "lower",
                "history": [
                    {
                        "year": p.year,
                        "target": num(p.target, max(decimals_of(p.target), ind.precision), lang)
                        if p.target is not None
                        else "—",
                        "realisasi": num(
                            p.realisasi,
                            ind.precision
                            if p.year == ws_.year
                            else max(decimals_of(p.realisasi), ind.precision),
                            lang,
                        )
                        if p.realisasi is not None
                        else "—",
                        "capaian": num(p.capaian, prec, lang) if p.capaian is not None else "—",
                        "note": p.note,
                        "current": p.year == ws_.year,
                    }
                    for p in r.series(ws_.year)
                ],
                "chart": b64(f"ikk-{ind.number:02d}"),
                "details": [
                    {
                        "title": title,
                        "headers": hh,
                        "rows": [
                            [(_fmt_cell(v, lang), isinstance(v, (int, float))) for v in row]
                            for row in rr
                        ],
                    }
                    for title, hh, rr in _detail_tables(r, lang)
                ],
                "source": _provenance_rows(comp, lang)[comp.indicators.index(r)],
            }
        )
    groups = comp.by_status()
    summary_groups = []
    for key, st in (
        ("group_melebihi", C.MELEBIHI),
        ("group_sesuai", C.SESUAI),
        ("group_di_bawah", C.DI_BAWAH),
        ("group_none", None),
    ):
        members = groups.get(st, [])
        if st is None and not members:
            continue
        summary_groups.append(
            {
                "title": t(key, lang, n=len(members)),
                "key": {C.MELEBIHI: "up", C.SESUAI: "eq", C.DI_BAWAH: "down"}.get(st, "none"),
                "rows": [next(i for i in inds if i["number"] == r.number) for r in members],
            }
        )
    budget = None
    if comp.budget is not None:
        b = comp.budget
        spec = ws_.budget
        chain = []
        if spec is not None and spec.awal is not None:
            running = spec.awal
            chain.append(
                {
                    "label": t("pagu_awal", lang),
                    "amount": "",
                    "result": rp(running, lang),
                    "printed": "",
                    "bad": False,
                }
            )
            for adj in spec.adjustments:
                # each step from the previous printed figure, as check does
                running += adj.amount
                printed = adj.result.value if adj.result is not None else None
                bad = printed is not None and format_half_up(running, 0) != format_half_up(
                    float(printed), 0
                )
                chain.append(
                    {
                        "label": adj.label,
                        "amount": rp(adj.amount, lang),
                        "result": rp(running, lang),
                        "printed": rp(float(printed), lang) if printed is not None else "",
                        "bad": bad,
                    }
                )
                if printed is not None:
                    running = float(printed)
        budget = {
            "pagu": rp(b.pagu, lang),
            "realisasi": rp(b.realisasi, lang),
            "sisa": rp(b.sisa, lang),
            "pct_realisasi": num(b.pct_realisasi, 2, lang),
            "pct_sisa": num(b.pct_sisa, 2, lang),
            "sentence": t(
                "budget_sentence",
                lang,
                year=ws_.year,
                realisasi=rp(b.realisasi, lang),
                pct_r=num(b.pct_realisasi, 2, lang),
                pagu=rp(b.pagu, lang),
                sisa=rp(b.sisa, lang),
                pct_s=num(b.pct_sisa, 2, lang),
            ),
            "chain": chain,
        }
    check_headers, check_rows = format_check_table(chk, lang)
    sasaran = [
        {
            "name": s.name,
            "indicators": ", ".join(str(n) for n in s.indicators),
            "capaian": num(s.capaian, prec, lang),
            "status": s.status or "—",
        }
        for s in comp.sasaran
    ]
    from datetime import datetime

    tmpl = env.get_template("report.html.j2")
    return tmpl.render(
        L={k: tr(v, lang) for k, v in L.items() if "{" not in tr(v, lang)},
        lang=lang,
        ws=ws_,
        title=ws_.title or f"LKIP {ws_.year}",
        indicators=inds,
        summary_groups=summary_groups,
        sasaran=sasaran,
        budget=budget,
        capaian_chart=b64("capaian"),
        check=chk,
        check_ok_text=t("ok_check", lang, n=chk.checked),
        check_bad_text=t("bad_check", lang, k=len(chk.issues), n=chk.checked),
        check_headers=check_headers,
        check_rows=check_rows,
        grafik_capaian=t("grafik_capaian", lang, year=ws_.year),
        made=t("dibuat", lang, version=__version__, time=datetime.now().strftime("%Y-%m-%d %H:%M")),
        warnings=comp.warnings,
    )


def _fmt_cell(v: Any, lang: str) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return num(v, 2 if (abs(v) >= 0.1 or v == 0) else 4, lang)
    return str(v)


# --------------------------------------------------------------------------- build


def build(
    workspace_path: str | Path | Workspace, out_dir: str | Path, lang: str | None = None
) -> BuildResult:
    """Compute every figure of the workspace and write, atomically, into ``out_dir``:

    * ``lkip-<unit>-<year>.xlsx`` (sheets Perjanjian Kinerja, Capaian Sasaran Kegiatan,
      Ikhtisar, Anggaran, Rincian, Provenans, Pemeriksaan),
    * ``lkip-<unit>-<year>.html`` (self-contained, printable, charts inline),
    * ``charts/capaian-<year>.png`` and ``charts/ikk-NN.png`` (target vs realisasi over
      the years).
    """
    ws_, lang, comp, chk = audit(workspace_path, lang)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"lkip-{slug(ws_.unit)}-{ws_.year}"
    charts: dict[str, bytes] = {"capaian": chart_capaian(comp, lang)}
    for r in comp.indicators:
        charts[f"ikk-{r.number:02d}"] = chart_history(r, ws_.year, lang)

    tmp = Path(tempfile.mkdtemp(prefix=".lkip-build-", dir=out_dir))
    try:
        rel: dict[str, Path] = {}
        (tmp / "charts").mkdir()
        for key, data in charts.items():
            name = f"charts/capaian-{ws_.year}.png" if key == "capaian" else f"charts/{key}.png"
            (tmp / name).write_bytes(data)
            rel[f"chart:{key}"] = Path(name)
        write_xlsx(comp, chk, tmp / f"{stem}.xlsx", lang)
        rel["xlsx"] = Path(f"{stem}.xlsx")
        (tmp / f"{stem}.html").write_text(render_html(comp, chk, charts, lang), encoding="utf-8")
        rel["html"] = Path(f"{stem}.html")
        # everything written: move into place (os.replace is atomic per file)
        (out_dir / "charts").mkdir(exist_ok=True)
        files = {}
        for key, name in rel.items():
            os.replace(tmp / name, out_dir / name)
            files[key] = out_dir / name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildResult(comp, chk, out_dir, files, list(comp.warnings))


__all__ = [
    "BuildResult",
    "build",
    "chart_capaian",
    "chart_history",
    "format_capaian_table",
    "render_html",
    "write_xlsx",
]
