"""The LKIP as a Word document (python-docx): chapter III ready to paste.

Contents, in the layout of a BNN LKIP: the executive summary groups, the Perjanjian
Kinerja table, the capaian table per sasaran with status, one section per sasaran and
indicator (definition, target vs realisasi table, generated narrative, history table
over the years, chart, the scoring summary behind an index with its provenance and
any provisional warning), and the budget table.

Every number comes from :mod:`indeks.lkip.narrative` rows (the same text in the tables
and in the sentences) or from the computation, formatted the Indonesian way (84,38;
1.625.380.000) or the English way with ``lang="en"``.

Tables use the built-in "Table Grid" style when the document (or the agency template
given with ``template=``) has it, and carry direct cell borders, so they keep their
lines when pasted into another template.  Header rows repeat on every page and rows do
not break across pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from indeks.i18n import catalogue, tr
from indeks.lkip.check import CheckResult
from indeks.lkip.compute import Computation, IndicatorResult
from indeks.lkip.narrative import indicator_narrative, with_unit
from indeks.lkip.tables import (
    BUDGET_COLUMNS,
    C,
    _detail_tables,
    _fmt_cell,
    _provenance_rows,
    budget_sentence,
    num,
    rp,
    status_groups,
    t,
    texts,
)

W = catalogue("lkip/word")

BLUE = "1F4E79"
STATUS_SHADE: dict[str | None, str] = {
    C.MELEBIHI: "E8F5E9",
    C.SESUAI: "E3F2FD",
    C.DI_BAWAH: "FFEBEE",
}


def w(key: str, lang: str, **kw) -> str:
    return tr(W[key], lang, **kw)


# --------------------------------------------------------------------------- low-level helpers


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _borders(table) -> None:
    """Direct single borders on the table (they survive copy-paste)."""
    from docx.oxml import OxmlElement

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(_qn("w:val"), "single")
        el.set(_qn("w:sz"), "4")
        el.set(_qn("w:space"), "0")
        el.set(_qn("w:color"), "808080")
        borders.append(el)
    tbl_pr.append(borders)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement

    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(_qn("w:val"), "clear")
    shd.set(_qn("w:color"), "auto")
    shd.set(_qn("w:fill"), fill)
    tc_pr.append(shd)


def _row_flags(row, header: bool = False) -> None:
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        h = OxmlElement("w:tblHeader")
        tr_pr.append(h)


class _Doc:
    def __init__(self, template: Path | None, lang: str):
        import docx
        from docx.shared import Cm, Pt

        self.lang = lang
        if template is not None:
            self.doc = docx.Document(str(template))
            body = self.doc.element.body
            for el in list(body):
                if not el.tag.endswith("sectPr"):
                    body.remove(el)
        else:
            self.doc = docx.Document()
            normal = self.doc.styles["Normal"]
            normal.font.name = "Arial"
            normal.font.size = Pt(10.5)
            sec = self.doc.sections[0]
            sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
            sec.left_margin = sec.right_margin = Cm(2.5)
            sec.top_margin = sec.bottom_margin = Cm(2.2)
        names = {s.name for s in self.doc.styles}
        self.table_style = "Table Grid" if "Table Grid" in names else None
        self.heading_styles = {n for n in names if n.startswith("Heading")}
        self.has_caption = "Caption" in names

    @property
    def width_cm(self) -> float:
        sec = self.doc.sections[0]
        page, left, right = sec.page_width, sec.left_margin, sec.right_margin
        if page is None or left is None or right is None:  # a template without a page size
            return 16.0  # A4 with margins of 2.5 cm, as the default document
        return (page - left - right) / 360000

    def heading(self, text: str, level: int):
        name = f"Heading {level}"
        if name in self.heading_styles:
            p = self.doc.add_heading(text, level)
        else:
            p = self.doc.add_paragraph()
            r = p.add_run(text)
            r.bold = True
        p.paragraph_format.keep_with_next = True
        return p

    def para(
        self,
        text: str = "",
        bold: bool = False,
        italic: bool = False,
        color: str | None = None,
        size: float | None = None,
        keep: bool = False,
    ):
        from docx.shared import Pt, RGBColor

        p = self.doc.add_paragraph()
        if keep:
            p.paragraph_format.keep_with_next = True
        if text:
            r = p.add_run(text)
            r.bold = bold
            r.italic = italic
            if color:
                r.font.color.rgb = RGBColor.from_string(color)
            if size:
                r.font.size = Pt(size)
        return p

    def caption(self, text: str):
        if self.has_caption:
            p = self.doc.add_paragraph(text, style="Caption")
        else:
            p = self.para(text, bold=True, size=9.5)
        p.paragraph_format.keep_with_next = True
        return p

    def table(
        self,
        headers: list[str],
        rows: list[list[Any]],
        widths: list[float] | None = None,
        numeric: set[int] | None = None,
        shades: list[str | None] | None = None,
        font_size: float = 9.0,
    ):
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt, RGBColor

        numeric = numeric or set()
        table = self.doc.add_table(rows=1, cols=len(headers))
        if self.table_style:
            table.style = self.table_style
        _borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        hdr = table.rows[0]
        _row_flags(hdr, header=True)
        for j, h in enumerate(headers):
            cell = hdr.cells[j]
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(h))
            run.bold = True
            run.font.size = Pt(font_size)
            run.font.color.rgb = RGBColor.from_string("FFFFFF")
            _shade(cell, BLUE)
            if j in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for i, row in enumerate(rows):
            cells = table.add_row()
            _row_flags(cells)
            for j, v in enumerate(row):
                cell = cells.cells[j]
                text = "" if v is None else str(v)
                run = cell.paragraphs[0].add_run(text)
                run.font.size = Pt(font_size)
                if j in numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                shade = shades[i] if shades else None
                if shade and j == len(row) - 1:
                    _shade(cell, shade)
        if widths:
            total = sum(widths)
            scale = min(1.0, self.width_cm / total)
            table.autofit = False
            for j, wd in enumerate(widths):
                table.columns[j].width = Cm(wd * scale)  # the grid (LibreOffice reads it)
            for row in table.rows:
                for j, wd in enumerate(widths):
                    row.cells[j].width = Cm(wd * scale)
        self.doc.add_paragraph()
        return table

    def picture(self, data: bytes, width_cm: float = 15.5):
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(data), width=Cm(min(width_cm, self.width_cm)))

    def footer(self, text: str):
        """Footer: unit, year and the page number (a PAGE field)."""
        from docx.oxml import OxmlElement
        from docx.shared import Pt

        for sec in self.doc.sections:
            p = sec.footer.paragraphs[0] if sec.footer.paragraphs else sec.footer.add_paragraph()
            p.text = ""
            if p.style is not None and p.style.name == "Footer":
                p.style.font.size = Pt(8.5)  # also the size of the page number
            run = p.add_run(text)
            run.font.size = Pt(8.5)
            r2 = p.add_run()
            r2.font.size = Pt(8.5)
            for kind, value in (
                ("begin", None),
                ("instr", " PAGE "),
                ("separate", None),
                ("end", None),
            ):
                if kind == "instr":
                    el = OxmlElement("w:instrText")
                    el.set(_qn("xml:space"), "preserve")
                    el.text = value
                else:
                    el = OxmlElement("w:fldChar")
                    el.set(_qn("w:fldCharType"), kind)
                r2._r.append(el)
                if kind == "separate":
                    txt = OxmlElement("w:t")
                    txt.text = "1"
                    r2._r.append(txt)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


# --------------------------------------------------------------------------- content


def _status_text(st: str | None, lang: str) -> str:
    return C.status_label(st, lang)


def _capaian_text(r: IndicatorResult, prec: int, lang: str) -> str:
    return num(r.capaian.value, prec, lang) if r.capaian.value is not None else "—"


def _summary(d: _Doc, comp: Computation, lang: str) -> None:
    ws = comp.workspace
    prec = ws.capaian_precision
    d.heading(t("ikhtisar", lang), 1)
    for key, _status, members in status_groups(comp):
        d.para(t(key, lang, n=len(members)), bold=True, keep=True)
        if not members:
            continue
        d.table(
            texts(("no", "sasaran", "indikator", "capaian"), lang),
            [
                [k, r.sasaran_name, r.name, _capaian_text(r, prec, lang)]
                for k, r in enumerate(members, start=1)
            ],
            widths=[1.1, 6.0, 6.4, 2.5],
            numeric={3},
        )
    if comp.budget is not None:
        b = comp.budget
        d.para(budget_sentence(b, ws.year, lang))


def _pk(d: _Doc, comp: Computation, lang: str) -> None:
    ws = comp.workspace
    d.heading(w("pk_title", lang, unit=ws.unit, year=ws.year), 1)
    rows = []
    for r in comp.indicators:
        row = indicator_narrative(r, ws.year, ws.capaian_precision, lang).rows[-1]
        rows.append(
            [r.number, r.sasaran_name, r.name, with_unit(row.target, r.unit) if row.target else "—"]
        )
    d.table(
        texts(("no", "sasaran", "indikator", "target"), lang),
        rows,
        widths=[1.1, 6.4, 6.4, 2.6],
        numeric={3},
    )


def _status_rows(
    rows: Sequence[tuple[list[Any], str | None]], lang: str
) -> tuple[list[list[Any]], list[str | None]]:
    """Each row's cells followed by its status text, and the shade of its status cell."""
    cells = [[*row, _status_text(st, lang)] for row, st in rows]
    return cells, [STATUS_SHADE.get(st) for _, st in rows]


def _capaian_table(d: _Doc, comp: Computation, lang: str) -> None:
    ws = comp.workspace
    d.caption(w("capaian_title", lang, unit=ws.unit, year=ws.year))
    indicator_rows = []
    for r in comp.indicators:
        row = indicator_narrative(r, ws.year, ws.capaian_precision, lang).rows[-1]
        figures = [x or "—" for x in (row.target, row.realisasi, row.capaian)]
        indicator_rows.append(([r.number, r.sasaran_name, r.name, *figures], r.status))
    rows, shades = _status_rows(indicator_rows, lang)
    d.table(
        texts(("no", "sasaran", "indikator", "target", "realisasi", "capaian", "status"), lang),
        rows,
        widths=[1.1, 4.0, 4.2, 1.8, 2.0, 1.9, 2.2],
        numeric={3, 4, 5},
        shades=shades,
        font_size=8.5,
    )
    d.caption(w("sasaran_table", lang))
    srows, sshades = _status_rows(
        [
            (
                [
                    k,
                    s.name,
                    ", ".join(str(n) for n in s.indicators),
                    num(s.capaian, ws.capaian_precision, lang) if s.capaian is not None else "—",
                ],
                s.status,
            )
            for k, s in enumerate(comp.sasaran, start=1)
        ],
        lang,
    )
    d.table(
        [*texts(("no", "sasaran"), lang), w("ikk_col", lang), *texts(("capaian", "status"), lang)],
        srows,
        widths=[1.1, 8.8, 1.6, 2.3, 2.9],
        numeric={3},
        shades=sshades,
    )


def _indicator(
    d: _Doc, comp: Computation, r: IndicatorResult, charts: dict[str, bytes], lang: str
) -> None:
    ws = comp.workspace
    nar = indicator_narrative(r, ws.year, ws.capaian_precision, lang)
    rows = nar.rows
    cur = rows[-1]
    ind = r.indicator
    d.heading(w("ikk_heading", lang, n=ind.number, name=ind.name), 3)
    definition = ind.note or (ind.source.note if ind.source is not None else "")
    if definition:
        d.para(w("definisi", lang, text=definition), italic=True)
    d.para(w("capaian_ikk", lang), bold=True, keep=True)
    head = texts(("no", "indikator", "target", "realisasi", "capaian", "status"), lang)
    body = [
        ind.number,
        ind.name,
        with_unit(cur.target, ind.unit) if cur.target else "—",
        with_unit(cur.realisasi, ind.unit) if cur.realisasi else "—",
        cur.capaian or "—",
        _status_text(r.status, lang),
    ]
    widths = [1.1, 6.0, 2.2, 2.2, 1.9, 2.6]
    if r.category:
        head.append(t("kategori", lang))
        body.append(r.category)
        widths = [1.1, 5.0, 2.0, 2.0, 1.8, 2.3, 2.0]
    d.table(head, [body], widths=widths, numeric={2, 3, 4}, font_size=8.5)
    # the first sentence: this year against the target
    d.para(nar.sentences[0])
    if r.provisional:
        text = r.provisional
        if not text.startswith(("SEMENTARA", "PROVISIONAL")):
            text = f"{t('provisional', lang)}: {text}"
        d.para(text, bold=True, color="B71C1C")
    for wn in r.warnings:
        if wn != r.provisional:
            d.para(wn, italic=True, color="B71C1C", size=9)
    # history
    if len(rows) > 1:
        d.para(w("history_title", lang, y0=rows[0].year, y1=rows[-1].year), bold=True, keep=True)
        d.table(
            [
                t("tahun", lang),
                t("target", lang),
                t("realisasi", lang),
                t("capaian", lang),
                w("keterangan", lang),
            ],
            [[x.year, x.target or "—", x.realisasi or "—", x.capaian or "—", x.note] for x in rows],
            widths=[1.6, 2.6, 2.6, 2.4, 6.8],
            numeric={1, 2, 3},
        )
    chart = charts.get(f"ikk-{ind.number:02d}")
    if chart:
        d.picture(chart, 15.0)
    if len(nar.sentences) > 1:
        d.para(" ".join(nar.sentences[1:]))
    # what lies behind the realisation
    prov = _provenance_rows(comp, lang)[comp.indicators.index(r)]
    details = _detail_tables(r, lang)
    d.para(w("method_title", lang), bold=True, keep=True)
    detail = ""
    if prov["instrument"]:
        detail += f" — {prov['instrument']} {prov['version']}".rstrip()
    if prov["figure"]:
        detail += f", {prov['figure']}"
    if prov["files"]:
        detail += "; " + w("files", lang, files=prov["files"])
    if prov["n_scored"]:
        detail += "; " + w("rows", lang, scored=prov["n_scored"], rejected=prov["n_rejected"])
    d.para(
        w(
            "provenance",
            lang,
            kind=prov["kind"],
            detail=detail,
            version=prov["package_version"],
            time=prov["time"],
        ),
        size=9,
    )
    for title, headers, trows in details:
        d.caption(title)
        headers, trows = fit_table(headers, trows)
        d.table(
            headers,
            [[_fmt_cell(v, lang) for v in row] for row in trows],
            widths=[9.5] + [3.0] * (len(headers) - 1) if len(headers) <= 5 else None,
            numeric={j for j in range(1, len(headers))},
            font_size=8,
        )


def fit_table(headers: list[str], rows: list[list[Any]], max_cols: int = 6):
    """A table too wide for an A4 portrait page is transposed (measures as rows)."""
    if len(headers) <= max_cols or len(rows) + 1 > max_cols + 2:
        return headers, rows
    first = headers[0]
    new_headers = [first] + [str(r[0]) for r in rows]
    new_rows = [[h] + [r[j] for r in rows] for j, h in enumerate(headers) if j > 0]
    return new_headers, new_rows


def _budget(d: _Doc, comp: Computation, lang: str) -> None:
    ws = comp.workspace
    d.heading(w("keuangan", lang), 2)
    if comp.budget is None:
        d.para(w("no_budget", lang))
        return
    b = comp.budget
    d.table(
        texts(BUDGET_COLUMNS, lang),
        [
            [
                rp(b.pagu, lang),
                rp(b.realisasi, lang),
                rp(b.sisa, lang),
                num(b.pct_realisasi, 2, lang),
                num(b.pct_sisa, 2, lang),
            ]
        ],
        widths=[3.6, 3.6, 3.0, 2.6, 2.4],
        numeric={0, 1, 2, 3, 4},
    )
    spec = ws.budget
    if spec is not None and spec.awal is not None and spec.adjustments:
        d.caption(t("penyesuaian", lang))
        rows = [[t("pagu_awal", lang), "", rp(spec.awal, lang)]]
        running = spec.awal
        for adj in spec.adjustments:
            running += adj.amount
            rows.append(
                [
                    adj.label,
                    rp(adj.amount, lang) if adj.amount >= 0 else "-" + rp(-adj.amount, lang),
                    rp(running, lang),
                ]
            )
            if adj.result is not None:
                running = float(adj.result.value)
        d.table(
            [w("keterangan", lang), t("jumlah", lang), t("hasil", lang)],
            rows,
            widths=[8.5, 3.5, 4.0],
            numeric={1, 2},
        )
    d.para(budget_sentence(b, ws.year, lang))


def write_docx(
    comp: Computation,
    chk: CheckResult | None,
    charts: dict[str, bytes],
    path: Path,
    lang: str,
    template: Path | None = None,
) -> None:
    """Write the LKIP Word document to ``path`` (see the module docstring)."""
    from indeks._version import __version__

    ws = comp.workspace
    d = _Doc(template, lang)
    d.para(ws.title or f"LKIP {ws.year}", bold=True, size=16, color=BLUE)
    d.para(f"{ws.unit} — {ws.year}", size=12)
    for wn in comp.warnings:
        d.para(wn, italic=True, color="B71C1C", size=9)
    _summary(d, comp, lang)
    _pk(d, comp, lang)
    d.heading(w("bab3", lang), 1)
    d.heading(w("analisis", lang), 2)
    _capaian_table(d, comp, lang)
    capaian_png = charts.get("capaian")
    if capaian_png:
        d.picture(capaian_png, 16.0)
    by_sasaran: dict[str, list[IndicatorResult]] = {}
    for r in comp.indicators:
        by_sasaran.setdefault(r.indicator.sasaran, []).append(r)
    k = 0
    for s in ws.sasaran:
        members = by_sasaran.get(s.id, [])
        if not members:
            continue
        k += 1
        h = d.heading(f"{k}. " + w("sasaran_heading", lang, name=s.name), 2)
        h.paragraph_format.page_break_before = True  # each sasaran starts a page
        for r in members:
            _indicator(d, comp, r, charts, lang)
    _budget(d, comp, lang)
    d.para(w("made", lang, version=__version__, ws=ws.path.name), italic=True, size=8.5)
    d.footer(w("footer", lang, unit=ws.unit, year=ws.year))
    d.save(path)


__all__ = ["fit_table", "write_docx"]
