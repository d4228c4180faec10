"""The LKIP workbook (XLSX)."""

from __future__ import annotations

from pathlib import Path

from indeks.lkip.check import CheckResult, format_check_table
from indeks.lkip.compute import Computation
from indeks.lkip.tables import (
    BUDGET_COLUMNS,
    C,
    _detail_tables,
    _provenance_rows,
    budget_sentence,
    decimals_of,
    status_groups,
    t,
    target_decimals,
    texts,
)
from indeks.numbers import format_half_up, round_half_up

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
    status_fill: dict[str | None, PatternFill] = {
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

    def head_row(sh, row: int, headers: list[str], start: int = 1) -> None:
        for j, h in enumerate(headers, start=start):
            c = sh.cell(row=row, column=j, value=h)
            c.font = head_font
            c.fill = head_fill

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
        texts(("no", "sasaran", "indikator", "target", "satuan"), lang),
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
    headers = texts(
        (
            "no",
            "sasaran",
            "indikator",
            "satuan",
            "target",
            "realisasi",
            "capaian",
            "status",
            "kategori",
            "catatan",
        ),
        lang,
    )
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
        put(sh, row, 8, C.status_label(r.status, lang), fill=status_fill.get(r.status))
        put(sh, row, 9, r.category)
        notes = ([r.reason] if r.reason else []) + r.warnings
        if ind.polarity == "lower":
            notes.append(t("polaritas_lower", lang))
        put(sh, row, 10, "; ".join(notes), font=warn_font if r.provisional else None)
        row += 1
    row += 2
    sh.cell(row=row, column=1, value=t("sasaran_capaian", lang)).font = title_font
    row += 1
    head_row(
        sh,
        row,
        texts(("no", "sasaran", "indikator_no", "capaian", "status"), lang),
    )
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
        put(
            sh,
            row,
            5,
            C.status_label(s.status, lang) if s.status else None,
            fill=status_fill.get(s.status),
        )
        row += 1

    # 3. Ikhtisar
    sh = sheet(
        "Ikhtisar",
        f"{t('ikhtisar', lang)} {ws_.year}",
        texts(("no", "sasaran", "indikator", "capaian"), lang),
        [6, 48, 52, 14],
    )
    row = 5
    for key, st, members in status_groups(comp):
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
            value=budget_sentence(b, ws_.year, lang),
        )

    # 4. Anggaran
    sh = sheet(
        "Anggaran",
        f"{t('anggaran', lang)} {ws_.year}",
        texts(BUDGET_COLUMNS, lang),
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
            head_row(
                sh,
                row,
                texts(("keterangan", "jumlah", "hasil", "tercetak"), lang),
            )
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
        head_row(
            sh,
            row,
            texts(("tahun", "target", "realisasi", "capaian", "catatan"), lang),
            start=2,
        )
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
    for i, prov in enumerate(_provenance_rows(comp, lang), start=5):
        for j, column in enumerate(
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
            put(
                sh,
                i,
                j,
                prov[column],
                font=warn_font if column == "provisional" and prov[column] else None,
            )

    # 7. Pemeriksaan (audit of the printed figures)
    check_headers, check_rows = format_check_table(chk, lang)
    sh = sheet("Pemeriksaan", t("pemeriksaan", lang), check_headers, [6, 40, 30, 16, 16, 50])
    if chk.ok:
        sh.cell(
            row=5,
            column=1,
            value=t("ok_check" if chk.checked else "none_check", lang, n=chk.checked),
        )
    for i, rr in enumerate(check_rows, start=5):
        for j, v in enumerate(rr, start=1):
            put(sh, i, j, v)

    wb.save(path)
