"""Texts, number formatting and the tables shared by the LKIP workbook and HTML report."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from indeks.i18n import catalogue, check_lang, decimal_comma, tr
from indeks.lkip import formulas as C
from indeks.lkip.check import _rp
from indeks.lkip.compute import Computation, IndicatorResult
from indeks.numbers import format_half_up

# --------------------------------------------------------------------------- labels

L = catalogue("lkip/tables")


def t(key: str, lang: str, **kw) -> str:
    return tr(L[key], lang, **kw)


def texts(keys: Iterable[str], lang: str) -> list[str]:
    """The texts of several keys of :data:`L` (a table's headers)."""
    return [t(k, lang) for k in keys]


# the columns of the budget table (Word document, XLSX workbook)
BUDGET_COLUMNS = ("pagu", "realisasi_rp", "sisa", "pct_realisasi", "pct_sisa")


def num(value: float | None, decimals: int, lang: str) -> str:
    if value is None:
        return "—"
    return format_half_up(value, decimals, decimal_comma=decimal_comma(lang))


def rp(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    text = _rp(value)
    return text if decimal_comma(lang) else text.replace(".", ",")


def budget_sentence(b, year, lang: str) -> str:
    """The one sentence on the budget (realisasi and sisa of the pagu) in every format."""
    return t(
        "budget_sentence",
        lang,
        year=year,
        realisasi=rp(b.realisasi, lang),
        pct_r=num(b.pct_realisasi, 2, lang),
        pagu=rp(b.pagu, lang),
        sisa=rp(b.sisa, lang),
        pct_s=num(b.pct_sisa, 2, lang),
    )


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


def format_capaian_table(result, lang: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and text rows of the capaian table (one row per indicator).

    ``result``: a :class:`BuildResult`, a :class:`~indeks.lkip.check.CheckResult` or a
    :class:`~indeks.lkip.compute.Computation`.  Numbers are rounded half-up and use a
    decimal comma in Indonesian.  Status stays in Indonesian (official terms).
    """
    comp = result if isinstance(result, Computation) else result.computation
    lang = check_lang(lang or comp.lang)
    headers = texts(
        ("no", "sasaran", "indikator", "target", "realisasi", "capaian", "status", "catatan"), lang
    )
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
                C.status_label(r.status, lang),
                "; ".join(notes),
            ]
        )
    return headers, rows


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


DETAIL_TITLES = catalogue("lkip/detail_titles")
DETAIL_HEADERS = catalogue("lkip/detail_headers")


def _detail_instrument(r: IndicatorResult):
    """The instrument behind a realisation (for the display names of its columns)."""
    prov = r.realisation.provenance if r.realisation is not None else {}
    if prov.get("kind") != "instrument" or not prov.get("instrument"):
        return None
    try:
        from indeks.instruments import resolve_instrument

        return resolve_instrument(prov["instrument"])
    except Exception:  # a definition file that moved: ids are shown instead
        return None


# a summary with at most this many rows is turned: measures as rows (fits A4 portrait)
TURN_ROWS = 8


def _detail_tables(
    r: IndicatorResult, lang: str = "id"
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, headers, rows) of what lies behind a realisation.

    Every header is a display name (:mod:`indeks.display`); a scoring summary is turned
    so that its measures are rows and each group a column, as it would otherwise be far
    wider than a printed page."""
    from indeks.display import display_name

    out: list[tuple[str, list[str], list[list[Any]]]] = []
    if r.realisation is None:
        return out
    inst = _detail_instrument(r)

    def title(label: str) -> str:
        return tr(DETAIL_TITLES[label], lang) if label in DETAIL_TITLES else label

    def head(h: str) -> str:
        if inst is None and h in DETAIL_HEADERS:  # IKPA aspects: Aspek, Nilai akhir
            return tr(DETAIL_HEADERS[h], lang)
        return display_name(h, lang, inst) or str(h)

    for label, obj in r.realisation.details.items():
        if hasattr(obj, "columns") and hasattr(obj, "itertuples"):
            cols = [str(c) for c in obj.columns]
            rows = [[_cell(v) for v in row] for row in obj.itertuples(index=False, name=None)]
            if 0 < len(rows) <= TURN_ROWS:
                # group columns (e.g. kelurahan) name the columns of the turned table
                groups = [j for j, c in enumerate(cols) if display_name(c, lang, inst) is None]
                if len(rows) == 1 and not groups:
                    heads = [head("measure"), head("value")]
                else:
                    heads = [head("measure")] + [
                        " / ".join(str(row[j]) for j in groups) or f"#{k}"
                        for k, row in enumerate(rows, start=1)
                    ]
                turned = [
                    [head(c)] + [row[j] for row in rows]
                    for j, c in enumerate(cols)
                    if j not in groups
                ]
                out.append((title(label), heads, turned))
            else:
                out.append((title(label), [head(c) for c in cols], rows))
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


def _fmt_cell(v: Any, lang: str) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return num(v, 2 if (abs(v) >= 0.1 or v == 0) else 4, lang)
    return str(v)


STATUS_GROUPS = (
    ("group_melebihi", C.MELEBIHI),
    ("group_sesuai", C.SESUAI),
    ("group_di_bawah", C.DI_BAWAH),
    ("group_none", None),
)


def status_groups(comp: Computation) -> list[tuple[str, str | None, list[IndicatorResult]]]:
    """(label key, status, indicators) per capaian status, best first, for the summary of
    every report format; the group without a status only when it has indicators."""
    groups = comp.by_status()
    out = []
    for key, st in STATUS_GROUPS:
        members = groups.get(st, [])
        if st is None and not members:
            continue
        out.append((key, st, members))
    return out
