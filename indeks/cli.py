"""The ``indeks`` command: a thin shell over the library (typer + rich).

Exit status: 0 when the job ran (rejected rows are reported, not fatal); 1 when the
input cannot be used (unreadable file, no item column, bad definition), with one clear
message and no traceback; 2 for usage errors.  ``indeks lkip check`` exits 1 when a
reported figure disagrees with the recomputation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from indeks.errors import IndeksError
from indeks.i18n import check_lang, label_of
from indeks.i18n import tr as i18n_tr

app = typer.Typer(
    name="indeks",
    help="indeks: skor kuesioner BNN (DEKTARA, DEKTARI, IKP, IKOTAN, WHOQOL-BREF, IKM) dan capaian LKIP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
instruments_app = typer.Typer(
    help="Daftar, rincian dan pemeriksaan definisi instrumen.", invoke_without_command=True
)
lkip_app = typer.Typer(
    help="Realisasi indikator dan capaian LKIP dari sebuah workspace.", no_args_is_help=True
)
app.add_typer(instruments_app, name="instruments")
app.add_typer(lkip_app, name="lkip")

# markup=False: every string printed is shown literally, so a value from the data such as
# "[/x]" or "[red]" can neither raise MarkupError nor change the output; styled text is
# built with Text / style= instead of markup.
console = Console(highlight=False, markup=False)
err_console = Console(stderr=True, highlight=False, markup=False)

DISPLAY_CUT = 120  # characters of a data value shown in a terminal (files keep the full value)


def _cut(value, limit: int = DISPLAY_CUT) -> str:
    """A value for the terminal: line breaks and control characters shown as one symbol each,
    cut to ``limit`` characters with an ellipsis (the full value stays in the output files)."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text.translate(_CONTROL)


_CONTROL = {c: " " if c == 9 else "\u21b5" for c in [*range(0, 32), 127]}

LangOpt = typer.Option("id", "--lang", help="Bahasa keluaran: id (Bahasa Indonesia) atau en.")

T = {
    "rows": {"id": "Baris", "en": "Rows"},
    "scored": {"id": "diskor", "en": "scored"},
    "rejected": {"id": "ditolak", "en": "rejected"},
    "issues": {"id": "Masalah dalam data", "en": "Problems in the data"},
    "no_issues": {"id": "Tidak ada masalah dalam data.", "en": "No problems in the data."},
    "written": {"id": "Hasil ditulis ke", "en": "Results written to"},
    "summary": {"id": "Ringkasan", "en": "Summary"},
    "columns": {"id": "Kolom yang dipakai", "en": "Columns used"},
    "ignored": {"id": "Kolom yang diabaikan", "en": "Columns ignored"},
    "error": {"id": "Tidak dapat diproses", "en": "Cannot be processed"},
    "id_column": {"id": "Kolom ID responden", "en": "Respondent id column"},
    "no_id_column": {
        "id": "tidak ada (nomor urut baris dipakai; pilih kolom dengan --id)",
        "en": "none (row order used; choose a column with --id)",
    },
    "by_text": {
        "id": "{n} kolom dicocokkan lewat teks pertanyaan baku; yang mirip tetapi tidak sama persis:",
        "en": "{n} columns matched by the standard question text; close but not identical:",
    },
    "by_text_exact": {
        "id": "{n} kolom dicocokkan lewat teks pertanyaan baku.",
        "en": "{n} columns matched by the standard question text.",
    },
    "similarity": {"id": "kemiripan", "en": "similarity"},
    "group": {"id": "Kelompok", "en": "Group"},
    "more": {
        "id": "... dan {n} masalah lain (lihat berkas keluaran atau 'indeks validate').",
        "en": "... and {n} more problems (see the output file or 'indeks validate').",
    },
}


def tr(key: str, lang: str, **kw) -> str:
    return i18n_tr(T[key], lang, **kw)


class Fail(IndeksError):
    """A user-facing failure: message printed, exit status 1."""


def _fail(message: str) -> None:
    raise Fail(message)


def _known_errors():
    from indeks.errors import IndeksError
    from indeks.instruments import UnknownInstrumentError

    errs = [IndeksError, UnknownInstrumentError, Fail]
    try:
        from indeks.lkip.sources import SourceError

        errs.append(SourceError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errs)


def _message(exc: BaseException) -> str:
    for attr in ("problems",):
        probs = getattr(exc, attr, None)
        if probs:
            return "\n".join(str(p) for p in probs)
    return str(exc)


def _p(value) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    return "<0.0001" if 0 <= v < 0.0001 else _num(v, 4)


def _num(value, decimals: int) -> str:
    from indeks.numbers import format_half_up

    try:
        return format_half_up(float(value), decimals)
    except (TypeError, ValueError):
        return "" if value is None else str(value)


# ------------------------------------------------------------------------- helpers
def _lang(lang: str) -> str:
    try:
        return check_lang(lang)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _instrument(spec: str):
    from indeks.instruments import resolve_instrument

    return resolve_instrument(spec)


def _read(path: Path, sheet: str | None, lang: str):
    from indeks.io import read_table

    sheet_arg = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    return read_table(path, sheet=sheet_arg, lang=lang)


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _show_warning(text: str) -> None:
    if text:
        console.print(Panel(text, style="bold yellow", expand=False))


def _summary_table(result, lang: str, title: str) -> Table:
    """Overall summary as a two-column table; with groups one row per group."""
    inst = result.instrument
    s = result.summary
    prec = result.precision()
    group_cols = [c for c in s.columns if c in set(result.columns.groups)]
    score_cols = [d.id for d in inst.domains if d.reported and d.id in s.columns]
    labels = {d.id: label_of(d, lang) for d in inst.domains}
    if inst.index is not None:
        labels["index"] = label_of(inst.index, lang)
        labels["index_converted"] = "Nilai konversi" if lang == "id" else "Converted value"
    cats = [
        c
        for c in s.columns
        if (c == "category" or (c.startswith("category_") and not c.endswith("_code")))
        and c != "category_code"
    ]
    extra = [c for c in ("index", "index_converted") if c in s.columns]

    def cat_text(row, c):
        label, code = row[c], row.get(f"{c}_code")
        if label is None or label != label:
            return ""
        return _cut(f"{label} ({code})" if code and code != label else label)

    def count_text(v):
        return str(int(v)) if v == v else ""

    # measures as rows, the overall value and each group as columns (readable in 80 columns)
    rows = [r for _, r in s.iterrows()]
    wide = len(rows) > 7
    measures = [
        ("n", "Jumlah baris" if lang == "id" else "Rows", count_text),
        ("n_scored", "Diskor" if lang == "id" else "Scored", count_text),
        ("n_rejected", "Ditolak" if lang == "id" else "Rejected", count_text),
    ]
    for c in score_cols:
        measures.append(
            (
                c,
                Text.assemble(_cut(labels[c]), " ", (f"({c})", "dim")),
                lambda v, c=c: _num(v, prec.get(c, 2)),
            )
        )
    for c in extra:
        measures.append(
            (
                c,
                Text(_cut(labels.get(c, c)), style="bold"),
                lambda v, c=c: Text(_num(v, prec.get(c, 2)), style="bold"),
            )
        )
    for c in cats:
        name = ("Kategori" if lang == "id" else "Category") + (
            "" if c == "category" else f" ({c[9:]})"
        )
        measures.append((c, Text(name, style="bold"), None))
    if wide:  # many groups: one row per group, columns per measure
        table = Table(title=title)
        for c in group_cols:
            table.add_column(c)
        for key, _, _ in measures:
            table.add_column(key, justify="right")
        for row in rows:
            cells = [_cut(row[c]) for c in group_cols]
            cells += [
                cat_text(row, key) if fmt is None else fmt(row[key]) for key, _, fmt in measures
            ]
            table.add_row(*cells)
        return table
    table = Table(title=title, show_header=bool(group_cols))
    table.add_column(
        " / ".join(group_cols) if group_cols else ("ukuran" if lang == "id" else "measure")
    )
    for row in rows:
        head = (
            _cut(" / ".join(str(row[c]) for c in group_cols))
            if group_cols
            else ("nilai" if lang == "id" else "value")
        )
        table.add_column(head, justify="right")
    for key, label, fmt in measures:
        table.add_row(
            label, *[cat_text(row, key) if fmt is None else fmt(row[key]) for row in rows]
        )
    return table


def _issues_table(issues, lang: str, limit: int = 20) -> None:
    if issues is None or len(issues) == 0:
        console.print(tr("no_issues", lang))
        return
    counts = issues.groupby(["code", "severity"]).size().reset_index(name="n")
    t = Table(title=tr("issues", lang))
    for c in ("code", "severity", "n"):
        t.add_column(c)
    for _, r in counts.iterrows():
        t.add_row(r["code"], r["severity"], str(r["n"]))
    console.print(t)
    d = Table(show_header=True)
    for c in ("row", "column", "code", "value", "message"):
        d.add_column(c, overflow="fold")
    for _, r in issues.head(limit).iterrows():
        d.add_row(
            "" if r["row"] is None or str(r["row"]) == "<NA>" else str(r["row"]),
            _cut(r["column"] or "", 40),
            r["code"],
            _cut(r["value"] or "", 40),
            _cut(r["message"], 240),
        )
    console.print(d)
    if len(issues) > limit:
        console.print(tr("more", lang, n=len(issues) - limit))


def _check_output(out: Path | None) -> None:
    """Refuse an unusable output path before any work is done."""
    if out is None:
        return
    from indeks.io import OUTPUT_EXTENSIONS

    if out.suffix.lower() not in OUTPUT_EXTENSIONS:
        _fail(
            f"Tidak dapat menulis '{out}': jenis berkas '{out.suffix}' tidak didukung; gunakan {', '.join(OUTPUT_EXTENSIONS)}. / "
            f"Cannot write '{out}': use one of {', '.join(OUTPUT_EXTENSIONS)}."
        )
    parent = out.resolve().parent
    if not parent.is_dir():
        _fail(
            f"Tidak dapat menulis '{out}': folder '{parent}' tidak ada. / Cannot write '{out}': folder '{parent}' does not exist."
        )


def _write(out: Path, result, lang: str, protect, source: str | None = None) -> list[Path]:
    from indeks.io.results import write_result

    return write_result(result, out, lang=lang, protect=protect, source=source)


def _progress(enabled: bool):
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not enabled,
    )


def _big(path: Path) -> bool:
    try:
        return path.stat().st_size > 5_000_000 and err_console.is_terminal
    except OSError:
        return False


# ------------------------------------------------------------------------- instruments
@instruments_app.callback()
def instruments_list(ctx: typer.Context, lang: str = LangOpt) -> None:
    """Daftar instrumen bawaan (list the built-in instruments)."""
    if ctx.invoked_subcommand is not None:
        return
    from indeks.instruments import get_instrument, list_instruments

    lang = _lang(lang)
    t = Table(title="Instrumen bawaan" if lang == "id" else "Built-in instruments")
    for c in ("id", "name", "version", "status", "items"):
        t.add_column(c)
    for iid in list_instruments():
        inst = get_instrument(iid)
        status = inst.status + (" *" if inst.provisional else "")
        t.add_row(inst.id, inst.name, inst.version, status, str(len(inst.items)))
    console.print(t)
    console.print(
        "* = punya aturan sementara (provisional)" if lang == "id" else "* = has provisional rules"
    )


@instruments_app.command("show")
def instruments_show(
    instrument: str = typer.Argument(..., help="id atau berkas .toml"), lang: str = LangOpt
) -> None:
    """Butir, domain, aturan dan catatan sementara sebuah instrumen."""
    lang = _lang(lang)
    inst = _instrument(instrument)
    console.print(
        Text.assemble((inst.name, "bold"), f"  ({inst.id} {inst.version}, {inst.status})")
    )
    if inst.description:
        console.print(inst.description)
    for s in inst.sources:
        console.print(f"  sumber/source: {s}")
    if inst.provisional:
        t = Table(
            title="Aturan sementara (PROVISIONAL)" if lang == "id" else "PROVISIONAL rules",
            style="yellow",
        )
        t.add_column("key")
        t.add_column("note", overflow="fold")
        for n in inst.provisional:
            t.add_row(n.key, n.note)
        console.print(t)
    d = Table(title="Domain")
    for c in ("id", "label", "method", "items", "min answered", "transform"):
        d.add_column(c, overflow="fold")
    for dom in inst.domains:
        tf = ""
        if dom.raw_multiply != 1:
            tf += f"raw = x {dom.raw_multiply}; "
        if dom.transform is not None:
            tf += f"(raw + {dom.transform.add}) x {dom.transform.multiply}"
        d.add_row(
            dom.id,
            label_of(dom, lang),
            dom.method,
            ", ".join(dom.items),
            ", ".join(f"{k}: {v}" for k, v in dom.min_answered.items()),
            tf,
        )
    console.print(d)
    if inst.index is not None:
        w = ", ".join(f"{k} {v}" for k, v in inst.index.weights.items())
        console.print(
            f"index: {inst.index.method} ({w})"
            + (f", x{inst.conversion.multiply}" if inst.conversion else "")
        )
    for tbl in inst.categories:
        c = Table(title=f"Kategori / categories ({tbl.on}, {tbl.precision} desimal)")
        for col in ("code", "label", "min", "max"):
            c.add_column(col)
        for b in tbl.bands:
            c.add_row(
                b.code,
                label_of(b, lang),
                f"{float(b.min):g}",
                "" if b.max is None else f"{float(b.max):g}",
            )
        console.print(c)
    i = Table(title="Butir / items")
    for col in ("id", "domain", "form", "reverse", "label", "column names"):
        i.add_column(col, overflow="fold")
    for it in inst.items:
        i.add_row(
            it.id,
            it.domain or "",
            it.form,
            "ya" if it.reverse else "",
            it.label + (" (placeholder)" if it.placeholder else ""),
            ", ".join(it.aliases[:5]),
        )
    console.print(i)
    for r in inst.missing_rules:
        console.print(
            Text.assemble(
                "missing rule ",
                (r, "bold"),
                f"{' (default)' if r == inst.missing_rules[0] else ''}: ",
                inst.missing_rule_notes.get(r, ""),
            )
        )


@instruments_app.command("check")
def instruments_check(
    file: Path = typer.Argument(..., help="berkas definisi .toml"), lang: str = LangOpt
) -> None:
    """Periksa berkas definisi instrumen: semua masalah sekaligus, lalu contoh [[examples]]."""
    from indeks.instruments import load_instrument
    from indeks.instruments.examples import check_instrument

    lang = _lang(lang)
    en = lang == "en"
    inst = load_instrument(file)
    report = check_instrument(inst)
    for p in report.problems:
        err_console.print(p, style="red")
    if report.outcomes:
        t = Table(title="Examples" if en else "Contoh / examples")
        for col in (
            "example" if en else "contoh",
            "value" if en else "nilai",
            "expected" if en else "diharapkan",
            "got" if en else "hasil",
            "",
        ):
            t.add_column(col, overflow="fold")
        by_example: dict[str, list] = {}
        for o in report.outcomes:
            by_example.setdefault(o.example, []).append(o)
        for name, outs in by_example.items():
            bad = [o for o in outs if not o.ok]
            if not bad:
                n_ok = f"{len(outs)} values" if en else f"{len(outs)} nilai"
                t.add_row(Text(name), n_ok, "", "", Text("OK", "green"))
            for o in bad:
                t.add_row(
                    Text(name),
                    Text(o.key),
                    Text(o.expected),
                    Text(o.got),
                    Text("DIFFERS" if en else "BEDA", "bold red"),
                )
        console.print(t)
    n_ex = len(inst.examples)
    if not report.ok:
        bad_names = sorted({o.example for o in report.failures})
        msg = (
            f"{file}: {len(bad_names)} of {n_ex} examples do not match: {', '.join(bad_names)}"
            if en
            else f"{file}: {len(bad_names)} dari {n_ex} contoh tidak cocok: {', '.join(bad_names)}"
        )
        if report.problems and not bad_names:
            msg = (
                f"{file}: the definition loads but cannot be scored"
                if en
                else f"{file}: definisi terbaca tetapi tidak dapat dipakai untuk menskor"
            )
        raise Fail(msg)
    items_word = "items" if en else "butir"
    ex_word = "examples match" if en else "contoh cocok"
    console.print(
        Text.assemble(
            ("OK", "green"),
            f" {file}: {inst.id} {inst.version}, {len(inst.items)} {items_word}, "
            f"{len(inst.domains)} domain, {n_ex} {ex_word}",
        )
    )
    if n_ex == 0:
        console.print(
            "  no [[examples]]: add a best, a worst and a typical case (see FORMAT.md)"
            if en
            else "  belum ada [[examples]]: tambahkan contoh terbaik, terburuk dan umum (lihat FORMAT.md)"
        )
    if inst.provisional:
        console.print(
            f"  aturan sementara / provisional: {', '.join(n.key for n in inst.provisional)}"
        )


# ------------------------------------------------------------------------- score
def _score_job(
    instrument, input, id_col, group, mapping, sheet, missing_rule, pre_reversed, population, lang
):
    from indeks.scoring.engine import score
    from indeks.scoring.options import ScoringOptions

    inst = _instrument(instrument)
    with _progress(_big(input)) as prog:
        task = prog.add_task("membaca / reading", total=3)
        data = _read(input, sheet, lang)
        prog.update(task, advance=1, description="menskor / scoring")
        options = ScoringOptions(
            id_column=id_col,
            group_by=tuple(_split(group)),
            mapping=mapping,
            missing_rule=missing_rule,
            pre_reversed=tuple(_split(pre_reversed)),
            population=population,
            lang=lang,
        )
        result = score(inst, data, options=options)
        prog.update(task, advance=1)
    return result


@app.command()
def score(
    instrument: str = typer.Argument(..., help="id instrumen (mis. whoqol-bref) atau berkas .toml"),
    input: Path = typer.Argument(..., help="berkas jawaban: .csv .xlsx .sav .dta .parquet .jsonl"),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="berkas hasil: .csv .xlsx .json .sav .parquet"
    ),
    id_col: str | None = typer.Option(None, "--id", help="kolom ID responden"),
    group: list[str] | None = typer.Option(
        None, "--group", help="kolom kelompok (boleh berulang atau dipisah koma)"
    ),
    mapping: Path | None = typer.Option(None, "--map", help="berkas pemetaan butir -> tajuk kolom"),
    sheet: str | None = typer.Option(
        None, "--sheet", help="nama atau nomor (0, 1, ...) lembar Excel"
    ),
    missing_rule: str | None = typer.Option(
        None, "--missing-rule", help="aturan data hilang dari definisi"
    ),
    pre_reversed: list[str] | None = typer.Option(
        None, "--pre-reversed", help="butir yang angkanya sudah dibalik di formulir, mis. q3,q4"
    ),
    population: int | None = typer.Option(
        None, "--population", help="jumlah populasi (cek sampel Krejcie-Morgan)"
    ),
    lang: str = LangOpt,
) -> None:
    """Skor sebuah berkas jawaban: indeks, kategori, dan daftar masalah."""
    lang = _lang(lang)
    _check_output(output)
    result = _score_job(
        instrument,
        input,
        id_col,
        group,
        mapping,
        sheet,
        missing_rule,
        pre_reversed,
        population,
        lang,
    )
    _print_score(result, input, lang)
    if output is not None:
        files = _write(output, result, lang, protect=[input], source=input.name)
        console.print(f"{tr('written', lang)}: " + ", ".join(str(f) for f in files))


def _print_columns_used(match, lang: str) -> None:
    """The id column chosen, and every column matched by its question text."""
    idc = match.id_column if match.id_column is not None else tr("no_id_column", lang)
    console.print(f"{tr('id_column', lang)}: {escape(str(idc))}")
    if match.similarity:
        close = {i: v for i, v in match.similarity.items() if v < 1}
        console.print(tr("by_text" if close else "by_text_exact", lang, n=len(match.similarity)))
        for item, sim in close.items():
            col = match.items[item]
            col = col if len(col) <= 70 else col[:67] + "..."
            console.print(f"  {item} = '{escape(col)}' ({tr('similarity', lang)} {sim:.2f})")


def _print_score(result, input: Path, lang: str, issue_limit: int = 10) -> None:
    _show_warning(result.provisional_warning)
    title = f"{result.instrument.name} - {input.name}"
    console.print(_summary_table(result, lang, title))
    _print_columns_used(result.columns, lang)
    inst = result.instrument
    if len(inst.domains) > 1 and any(c.domains for c in inst.categories):
        dt = result.domain_table(lang)
        t = Table(
            title="Nilai per unsur/domain (terendah dulu)"
            if lang == "id"
            else "Value per element/domain (lowest first)"
        )
        for c in ("domain", "label", "value", "category"):
            t.add_column(c)
        for _, r in dt.iterrows():
            t.add_row(
                r["domain"],
                r["label"],
                _num(r["value"], 2),
                f"{r.get('category', '')} ({r.get('category_code', '')})"
                if r.get("category")
                else "",
            )
        console.print(t)
    _issues_table(result.issues, lang, limit=issue_limit)


@app.command()
def validate(
    instrument: str = typer.Argument(..., help="id instrumen atau berkas .toml"),
    input: Path = typer.Argument(..., help="berkas jawaban"),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="tulis laporan masalah (.csv .xlsx .json)"
    ),
    id_col: str | None = typer.Option(None, "--id"),
    mapping: Path | None = typer.Option(None, "--map"),
    sheet: str | None = typer.Option(None, "--sheet"),
    missing_rule: str | None = typer.Option(None, "--missing-rule"),
    lang: str = LangOpt,
) -> None:
    """Hanya laporan validasi: kolom yang cocok, dan setiap masalah dengan baris dan kolomnya."""
    lang = _lang(lang)
    _check_output(output)
    result = _score_job(
        instrument, input, id_col, None, mapping, sheet, missing_rule, None, None, lang
    )
    rep = result.columns.report()
    t = Table(title=tr("columns", lang))
    for c in ("item", "column", "matched_by", "similarity"):
        t.add_column(c)
    for _, r in rep[
        rep["matched_by"].isin(["id", "alias", "mapping", "question_text", "missing", "ambiguous"])
    ].iterrows():
        t.add_row(r["item"], _cut(r["column"], 60), r["matched_by"], r["similarity"])
    console.print(t)
    _print_columns_used(result.columns, lang)
    ignored = rep.loc[rep["matched_by"] == "ignored", "column"].tolist()
    if ignored:
        console.print(
            f"{tr('ignored', lang)}: {_cut(', '.join(_cut(c, 60) for c in ignored), 2000)}"
        )
    console.print(
        f"{tr('rows', lang)}: {len(result.respondents)} ({result.n_scored} {tr('scored', lang)}, {result.n_rejected} {tr('rejected', lang)})"
    )
    _issues_table(result.issues, lang, limit=50)
    if output is not None:
        from indeks.io import write_table_outputs

        files = write_table_outputs(
            output,
            {"issues": result.issues, "columns": rep},
            meta=dict(result.meta, source=input.name),
            lang=lang,
            protect=[input],
        )
        console.print(f"{tr('written', lang)}: " + ", ".join(str(f) for f in files))


# ------------------------------------------------------------------------- compare / reliability
def _print_compare(result, pre: Path, post: Path, lang: str) -> None:
    inst = result.instrument
    _show_warning(result.provisional_warning)
    s = result.summary
    labels = {d.id: label_of(d, lang) for d in inst.domains}
    labels.update(
        {
            "all_domains": "semua domain" if lang == "id" else "all domains",
            "any_domain": "minimal satu domain" if lang == "id" else "any domain",
            "headline": "skor aturan utama" if lang == "id" else "headline score",
            "index": "indeks" if lang == "id" else "index",
        }
    )
    group_cols = [c for c in (result.meta.get("group_by") or []) if c in s.columns]
    t = Table(
        title=f"{inst.name}: pre/post ({pre.name} -> {post.name})", show_header=bool(group_cols)
    )
    t.add_column("ukuran" if lang == "id" else "measure")
    rows = s if group_cols else s.head(1)
    for _, r in rows.iterrows():
        t.add_column(
            " / ".join(str(r[g]) for g in group_cols)
            if group_cols
            else ("nilai" if lang == "id" else "value"),
            justify="right",
        )
    measures = [
        ("n_pairs", "Pasangan" if lang == "id" else "Pairs"),
        ("n_unmatched_pre", "Hanya di pre" if lang == "id" else "Only in pre"),
        ("n_unmatched_post", "Hanya di post" if lang == "id" else "Only in post"),
        ("n_rejected_pre", "Ditolak di pre" if lang == "id" else "Rejected in pre"),
        ("n_rejected_post", "Ditolak di post" if lang == "id" else "Rejected in post"),
        ("n_duplicate", "ID ganda" if lang == "id" else "Duplicate ids"),
        (
            "share_text",
            Text(
                "Membaik (aturan utama)" if lang == "id" else "Improved (headline rule)",
                style="bold",
            ),
        ),
    ]
    for c in [c for c in s.columns if c.startswith("pct_improved_")]:
        d = c[len("pct_improved_") :]
        measures.append(
            (
                c,
                f"% membaik: {labels.get(d, d)}"
                if lang == "id"
                else f"% improved: {labels.get(d, d)}",
            )
        )
    for c in [c for c in s.columns if c.startswith("mean_change_")]:
        d = c[len("mean_change_") :]
        measures.append(
            (
                c,
                f"Rata-rata perubahan: {labels.get(d, d)}"
                if lang == "id"
                else f"Mean change: {labels.get(d, d)}",
            )
        )
    for col, label in measures:
        if col not in s.columns:
            continue
        cells = []
        for _, r in rows.iterrows():
            v = r[col]
            cells.append(_num(v, 2) if isinstance(v, float) else str(v))
        t.add_row(label, *cells)
    console.print(t)
    st = result.stats
    if st is not None and len(st):
        t2 = Table(title="Uji statistik berpasangan" if lang == "id" else "Paired tests")
        heads = [
            ("score", "skor" if lang == "id" else "score"),
            ("n", "n"),
            ("mean_change", "perubahan" if lang == "id" else "change"),
            ("ci", "95% CI"),
            ("t_p", "p (t)"),
            ("wilcoxon_p", "p (Wilcoxon)"),
            ("cohens_dz", "dz"),
            ("note", ""),
        ]
        for key, h in heads:
            t2.add_column(
                h, justify="left" if key == "score" else "right", no_wrap=key in ("ci", "score")
            )
        for _, r in st.iterrows():
            sc = str(r.get("score", ""))
            cells = [
                sc,
                str(r.get("n", "")),
                _num(r.get("mean_change"), 2),
                f"{_num(r.get('ci_low'), 2)} .. {_num(r.get('ci_high'), 2)}",
                _p(r.get("t_p")),
                _p(r.get("wilcoxon_p")),
                _num(r.get("cohens_dz"), 2),
                str(r.get("note_text") or r.get("note") or ""),
            ]
            t2.add_row(*cells)
        console.print(t2)
    un = result.unmatched
    if un is not None and len(un):
        t3 = Table(
            title=("Tidak berpasangan / dikeluarkan" if lang == "id" else "Not paired / excluded")
            + f" ({len(un)})"
        )
        show = [c for c in un.columns if c in ("respondent_id", "wave", "row", "reason")] or list(
            un.columns[:4]
        )
        for c in show:
            t3.add_column(str(c))
        for _, r in un.head(20).iterrows():
            t3.add_row(*[str(r[c]) for c in show])
        console.print(t3)


@app.command()
def compare(
    instrument: str = typer.Argument(..., help="id instrumen atau berkas .toml"),
    pre: Path = typer.Argument(..., help="berkas pre-test (awal)"),
    post: Path = typer.Argument(..., help="berkas post-test (akhir)"),
    middle: list[Path] | None = typer.Option(
        None, "--middle", help="gelombang tengah (boleh berulang)"
    ),
    output: Path | None = typer.Option(None, "-o", "--output"),
    id_col: str | None = typer.Option(
        None, "--id", help="kolom ID responden di kedua berkas (default: dikenali dari definisi)"
    ),
    group: list[str] | None = typer.Option(None, "--group"),
    mapping: Path | None = typer.Option(None, "--map"),
    sheet: str | None = typer.Option(None, "--sheet"),
    headline: str | None = typer.Option(
        None, "--headline", help="aturan utama 'membaik' (default dari definisi)"
    ),
    missing_rule: str | None = typer.Option(None, "--missing-rule"),
    pre_reversed: list[str] | None = typer.Option(None, "--pre-reversed"),
    lang: str = LangOpt,
) -> None:
    """Bandingkan pre-test dan post-test: pasangan, perubahan, persentase membaik, uji statistik."""
    from indeks.scoring.compare import compare as do_compare
    from indeks.scoring.options import ScoringOptions

    lang = _lang(lang)
    _check_output(output)
    inst = _instrument(instrument)
    frames = (
        [_read(pre, sheet, lang)]
        + [_read(m, sheet, lang) for m in (middle or [])]
        + [_read(post, sheet, lang)]
    )
    options = ScoringOptions(
        id_column=id_col,
        group_by=tuple(_split(group)),
        missing_rule=missing_rule,
        pre_reversed=tuple(_split(pre_reversed)),
        mapping=mapping,
        lang=lang,
    )
    if len(frames) == 2:
        result = do_compare(inst, frames[0], frames[1], options=options, headline=headline)
    else:
        result = do_compare(inst, None, None, waves=frames, options=options, headline=headline)
    _print_compare(result, pre, post, lang)
    if output is not None:
        files = _write(
            output, result, lang, protect=[pre, post], source=f"{pre.name} -> {post.name}"
        )
        console.print(f"{tr('written', lang)}: " + ", ".join(str(f) for f in files))


@app.command()
def reliability(
    instrument: str = typer.Argument(...),
    input: Path = typer.Argument(...),
    output: Path | None = typer.Option(None, "-o", "--output"),
    missing: str = typer.Option("listwise", "--missing", help="listwise (default) atau pairwise"),
    mapping: Path | None = typer.Option(None, "--map"),
    sheet: str | None = typer.Option(None, "--sheet"),
    pre_reversed: list[str] | None = typer.Option(None, "--pre-reversed"),
    lang: str = LangOpt,
) -> None:
    """Reliabilitas per domain: alpha Cronbach (CI Feldt), alpha jika butir dihapus, korelasi butir-total, omega."""
    from indeks.scoring.options import ScoringOptions
    from indeks.scoring.reliability import reliability as do_rel

    lang = _lang(lang)
    _check_output(output)
    inst = _instrument(instrument)
    data = _read(input, sheet, lang)
    options = ScoringOptions(mapping=mapping, pre_reversed=tuple(_split(pre_reversed)), lang=lang)
    result = do_rel(inst, data, options=options, missing=missing)
    d = result.domains
    t = Table(title=f"Reliabilitas / reliability: {inst.name} ({missing})")
    show = [
        c
        for c in (
            "domain",
            "n_used",
            "n_items",
            "alpha",
            "alpha_ci_low",
            "alpha_ci_high",
            "omega_total",
            "note",
        )
        if c in d.columns
    ]
    for c in show:
        t.add_column(c, justify="right")
    for _, r in d.iterrows():
        t.add_row(*[_num(r[c], 3) if isinstance(r[c], float) else str(r[c]) for c in show])
    console.print(t)
    it = result.items
    t2 = Table(title="Butir / items")
    show2 = [
        c
        for c in ("domain", "item", "corrected_item_total_r", "alpha_if_deleted")
        if c in it.columns
    ]
    for c in show2:
        t2.add_column(c, justify="right")
    for _, r in it.iterrows():
        t2.add_row(*[_num(r[c], 3) if isinstance(r[c], float) else str(r[c]) for c in show2])
    console.print(t2)
    if output is not None:
        files = _write(output, result, lang, protect=[input], source=input.name)
        console.print(f"{tr('written', lang)}: " + ", ".join(str(f) for f in files))


# ------------------------------------------------------------------------- lkip
def _print_capaian(result, lang: str) -> None:
    """The capaian table, fitted to a terminal: the sasaran column is left to the files,
    long notes (provisional warnings) become a mark with the text once below."""
    from indeks.lkip import format_capaian_table

    headers, rows = format_capaian_table(result, lang)
    keep = [i for i, h in enumerate(headers) if not h.lower().startswith("sasaran")]
    t = Table(
        title="Capaian Indikator Kinerja" if lang == "id" else "Indicator capaian", show_lines=False
    )
    notes: list[str] = []
    for i in keep:
        h = headers[i]
        if "ndikator" in h:
            t.add_column(h, overflow="ellipsis", max_width=30, no_wrap=True)
        elif h.lower().startswith(("catatan", "note")):
            t.add_column("", no_wrap=True)
        else:
            t.add_column(h, justify="right" if i > 2 else "left", no_wrap=True)
    note_col = next((i for i in keep if headers[i].lower().startswith(("catatan", "note"))), None)
    for r in rows:
        cells = []
        for i in keep:
            v = str(r[i])
            if i == note_col and len(v) > 14:
                if v not in notes:
                    notes.append(v)
                v = f"[{notes.index(v) + 1}]"
            cells.append(v)
        t.add_row(*cells)
    console.print(t)
    for k, n in enumerate(notes, start=1):
        console.print(
            f"[{k}] {n}", style="yellow" if ("SEMENTARA" in n or "PROVISIONAL" in n) else None
        )


def _print_check(result, lang: str) -> None:
    from indeks.lkip import format_check_table

    if result.ok:
        console.print(
            "Semua angka yang dilaporkan sesuai hasil hitung ulang."
            if lang == "id"
            else "Every reported figure agrees with the recomputation.",
            style="green",
        )
    else:
        headers, rows = format_check_table(result, lang)
        t = Table(
            title="Angka laporan yang tidak sesuai"
            if lang == "id"
            else "Reported figures that disagree",
            style="red",
        )
        for h in headers:
            t.add_column(h, overflow="fold")
        for r in rows:
            t.add_row(*[str(c) for c in r])
        console.print(t)
    for u in getattr(result, "unchecked", []) or []:
        console.print(f"  - {u}")


@lkip_app.command("build")
def lkip_build(
    workspace: Path = typer.Argument(..., help="berkas workspace .toml"),
    out: Path = typer.Option(Path("lkip-output"), "-o", "--output", help="folder hasil"),
    lang: str | None = typer.Option(None, "--lang", help="id atau en (default: dari workspace)"),
) -> None:
    """Hitung realisasi dan capaian, tulis workbook XLSX, laporan HTML dan grafik PNG."""
    from indeks.lkip import build

    lang_ = _lang(lang) if lang else None
    result = build(workspace, out, lang=lang_)
    lang2 = lang_ or getattr(result.computation, "lang", "id") or "id"
    _print_capaian(result, lang2)
    for w in result.warnings:
        console.print(w, style="yellow")
    console.print(f"{tr('written', lang2)}:")
    files = result.files.values() if isinstance(result.files, dict) else result.files
    for f in files:
        console.print(f"  {f}")
    if result.check is not None and not result.check.ok:
        n = len(result.check.issues)
        console.print(
            f"{n} angka laporan tidak sesuai hitung ulang; lihat 'indeks lkip check'."
            if lang2 == "id"
            else f"{n} reported figures disagree with the recomputation; see 'indeks lkip check'.",
            style="yellow",
        )


@lkip_app.command("check")
def lkip_check(
    workspace: Path = typer.Argument(..., help="berkas workspace .toml"),
    lang: str | None = typer.Option(None, "--lang"),
) -> None:
    """Audit: hitung ulang setiap angka turunan dan daftar angka laporan yang tidak sesuai (exit 1 bila ada)."""
    from indeks.lkip import check

    lang_ = _lang(lang) if lang else None
    result = check(workspace, lang=lang_)
    _print_check(result, lang_ or "id")
    if not result.ok:
        raise typer.Exit(1)


# ------------------------------------------------------------------------- demo
@app.command()
def demo(
    out: Path = typer.Option(Path("indeks-demo"), "-o", "--output", help="folder hasil demo"),
    lang: str = LangOpt,
) -> None:
    """Jalankan seluruh rantai pada data contoh: skor, pre/post, laporan LKIP."""
    from indeks.demo import run_demo

    lang = _lang(lang)
    run_demo(out, lang=lang, console=console)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    max_upload_mb: float = typer.Option(20.0, "--max-upload-mb", help="batas ukuran unggahan (MB)"),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="INDEKS_TOKEN",
        help="kata sandi akses (wajib bila --host bukan localhost; juga INDEKS_TOKEN)",
    ),
    allow_host: list[str] | None = typer.Option(
        None, "--allow-host", help="nama host tambahan yang diterima (Host header)"
    ),
    result_minutes: float = typer.Option(
        30.0, "--result-minutes", help="lama hasil disimpan sejak terakhir dibuka"
    ),
    result_memory_mb: float = typer.Option(
        512.0, "--result-memory-mb", help="memori untuk semua hasil yang disimpan"
    ),
    max_jobs: int = typer.Option(2, "--max-jobs", help="pekerjaan skor yang berjalan bersamaan"),
    max_waiting: int = typer.Option(64, "--max-waiting", help="pekerjaan yang boleh antre"),
) -> None:
    """Jalankan halaman web lokal untuk petugas lapangan (unggah ekspor, lihat indeks, unduh hasil)."""
    from indeks.web import run

    run(
        host=host,
        port=port,
        max_upload_mb=max_upload_mb,
        token=token,
        allow_hosts=tuple(allow_host or ()),
        result_ttl=result_minutes * 60,
        result_memory_mb=result_memory_mb,
        max_jobs=max_jobs,
        max_waiting=max_waiting,
    )


@app.command()
def version() -> None:
    """Versi paket."""
    from indeks import __version__

    console.print(__version__)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one message and exit status 1."""
    try:
        rv = app(args=argv, standalone_mode=False)
        if isinstance(rv, int) and rv:
            sys.exit(rv)
    except _known_errors() as exc:
        _print_error(f"{tr('error', 'id')} / {tr('error', 'en')}:", exc, _message)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("Dibatalkan / aborted.")
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything else
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click/typer usage errors
            exc.show()
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Exit" and hasattr(exc, "exit_code"):
            sys.exit(exc.exit_code)
        if os.environ.get("INDEKS_DEBUG"):
            raise
        if isinstance(exc, (OSError, ValueError)):
            _print_error(f"{tr('error', 'id')} / {tr('error', 'en')}:", exc, str)
            sys.exit(1)
        _print_error(
            "Kesalahan internal / internal error:",
            exc,
            lambda e: (
                f"{type(e).__name__}: {e}\n"
                "Ini kesalahan program, bukan kesalahan data Anda; mohon laporkan (jalankan ulang "
                "dengan INDEKS_DEBUG=1 untuk rinciannya). / This is a bug, not a problem with your "
                "data; please report it (INDEKS_DEBUG=1 shows details)."
            ),
        )
        sys.exit(3)


ERROR_CUT = 4000  # characters of an error message shown (a message may quote a huge value)


def _print_error(head: str, exc: BaseException, describe) -> None:
    """Print one error message; never raises (a failure here would hide the real error)."""
    try:
        text = describe(exc)
    except Exception:  # a broken __str__ must not hide the failure
        text = type(exc).__name__
    try:
        text = str(text)
        if len(text) > ERROR_CUT:
            text = text[: ERROR_CUT - 1] + "\u2026"
        err_console.print(Text.assemble((head, "bold red"), " ", text))
    except Exception:
        try:
            sys.stderr.write(f"{head} {text}\n")
        except Exception:
            pass


if __name__ == "__main__":  # pragma: no cover
    main()
