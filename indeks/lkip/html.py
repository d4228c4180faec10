"""The self-contained, printable LKIP HTML report."""

from __future__ import annotations

import base64
from pathlib import Path

from indeks.i18n import tr
from indeks.lkip.check import CheckResult, format_check_table
from indeks.lkip.compute import Computation
from indeks.lkip.tables import (
    C,
    L,
    _detail_tables,
    _fmt_cell,
    _provenance_rows,
    budget_sentence,
    decimals_of,
    num,
    rp,
    status_groups,
    t,
    target_decimals,
)
from indeks.numbers import format_half_up

TEMPLATE_DIR = Path(__file__).parent / "templates"
# CSS class suffix of a capaian status in the template ("none" without a status)
STATUS_KEY: dict[str | None, str] = {C.MELEBIHI: "up", C.SESUAI: "eq", C.DI_BAWAH: "down"}

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
                "status": C.status_label(r.status, lang),
                "status_key": STATUS_KEY.get(r.status, "none"),
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
    summary_groups = []
    for key, st, members in status_groups(comp):
        summary_groups.append(
            {
                "title": t(key, lang, n=len(members)),
                "key": STATUS_KEY.get(st, "none"),
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
            "sentence": budget_sentence(b, ws_.year, lang),
            "chain": chain,
        }
    check_headers, check_rows = format_check_table(chk, lang)
    sasaran = [
        {
            "name": s.name,
            "indicators": ", ".join(str(n) for n in s.indicators),
            "capaian": num(s.capaian, prec, lang),
            "status": C.status_label(s.status, lang) if s.status else "—",
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
        check_none_text=t("none_check", lang),
        check_bad_text=t("bad_check", lang, k=len(chk.issues), n=chk.checked),
        check_headers=check_headers,
        check_rows=check_rows,
        grafik_capaian=t("grafik_capaian", lang, year=ws_.year),
        made=t("dibuat", lang, version=__version__, time=datetime.now().strftime("%Y-%m-%d %H:%M")),
        warnings=comp.warnings,
    )
