"""The ``indeks`` command: a thin shell over the library (typer + rich).

Exit status: 0 when the job ran (rejected rows are reported, not fatal); 1 when the
input cannot be used (unreadable file, no item column, bad definition), with one clear
message and no traceback; 2 for usage errors.  ``indeks lkip check`` exits 1 when a
reported figure disagrees with the recomputation.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from indeks.display import display_name
from indeks.errors import IndeksError
from indeks.i18n import LANGS, check_lang, label_of
from indeks.messages import message
from indeks.present import format_number, label, sheet_arg, split_list
from indeks.terminal import (
    console,
    cut,
    err_console,
    issues_table,
    print_capaian,
    print_check,
    print_columns_used,
    print_compare,
    print_report_audit,
    print_score,
)

# the help option's text, in Bahasa Indonesia as every other option's help (written
# here, not read from the catalogue: `indeks --help` reads no catalogue file)
HELP_OPTION_TEXT = "Tampilkan bantuan ini lalu keluar."


def _help_in_lang(option):
    """The --help option described as the other options are, not in typer's English."""
    if option is not None:
        option.help = HELP_OPTION_TEXT
    return option


class _Command(TyperCommand):
    def get_help_option(self, ctx):
        return _help_in_lang(super().get_help_option(ctx))


class _Group(TyperGroup):
    def get_help_option(self, ctx):
        return _help_in_lang(super().get_help_option(ctx))


class _Typer(typer.Typer):
    """typer.Typer whose groups and commands describe --help in Bahasa Indonesia."""

    def __init__(self, **kwargs):
        kwargs.setdefault("cls", _Group)
        super().__init__(**kwargs)

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _Typer(
    name="indeks",
    help="indeks: skor kuesioner BNN (DEKTARA, DEKTARI, IKP, IKOTAN, WHOQOL-BREF, IKM) dan capaian LKIP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
instruments_app = _Typer(
    help="Daftar, rincian dan pemeriksaan definisi instrumen.", invoke_without_command=True
)
lkip_app = _Typer(
    help="Realisasi indikator dan capaian LKIP dari sebuah workspace.", no_args_is_help=True
)
app.add_typer(instruments_app, name="instruments")
app.add_typer(lkip_app, name="lkip")

_cut = cut  # the terminal's display cut (indeks.terminal.cut), kept under its old name

# ---- options shared by several commands, declared once
LangOpt = typer.Option("id", "--lang", help="Bahasa keluaran: id (Bahasa Indonesia) atau en.")
OutputOpt = typer.Option(
    None, "-o", "--output", help="berkas hasil: .csv .xlsx .json .sav .parquet"
)
IdOpt = typer.Option(
    None, "--id", help="kolom ID responden (pre/post: di kedua berkas; default: dari definisi)"
)
GroupOpt = typer.Option(None, "--group", help="kolom kelompok (boleh berulang atau dipisah koma)")
MapOpt = typer.Option(None, "--map", help="berkas pemetaan butir -> tajuk kolom")
SheetOpt = typer.Option(None, "--sheet", help="nama atau nomor (0, 1, ...) lembar Excel")
MissingRuleOpt = typer.Option(None, "--missing-rule", help="aturan data hilang dari definisi")
PreReversedOpt = typer.Option(
    None, "--pre-reversed", help="butir yang angkanya sudah dibalik di formulir, mis. q3,q4"
)
TransformOpt = typer.Option(
    None,
    "--transform",
    help="aturan transformasi 0..100 dari definisi (WHOQOL-BREF: who_spss, manual_table)",
)
CsvStyleOpt = typer.Option(
    "plain",
    "--csv-style",
    help="gaya CSV: plain (koma, titik desimal) atau id (titik koma, koma desimal: Excel Indonesia)",
)
LabelsOpt = typer.Option(
    None, "--labels", help="berkas label jawaban Anda sendiri (.csv butir,teks,kode atau .toml)"
)
WorkspaceLangOpt = typer.Option(None, "--lang", help="id atau en (default: dari workspace)")
InstrumentArg = typer.Argument(..., help="id instrumen (mis. whoqol-bref) atau berkas .toml")
InputArg = typer.Argument(..., help="berkas jawaban (.csv .xlsx .sav .dta .parquet .json ...)")
WorkspaceArg = typer.Argument(..., help="berkas workspace .toml")


class Fail(IndeksError):
    """A user-facing failure: message printed, exit status 1."""


def _fail(message: str) -> None:
    raise Fail(message)


def _message(exc: BaseException, lang: str = "id") -> str:
    if isinstance(exc, IndeksError):  # a DefinitionError: one line per problem, in lang
        return exc.text(lang)
    probs = getattr(exc, "problems", None)
    if probs:
        return "\n".join(str(p) for p in probs)
    return str(exc)


# ------------------------------------------------------------------------- helpers
def _lang(lang: str) -> str:
    try:
        return check_lang(lang)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _modules_loaded() -> None:
    """A command has imported what it works with: collection of garbage resumes.

    :func:`main` pauses Python's cyclic garbage collector while a command imports its
    modules: pandas, pyarrow and numpy make a few hundred thousand objects that live
    as long as the process, and collecting while they are being made cost 0.1-0.15 s
    of every run (a third of the import time).  They are moved out of the collector's
    way (``gc.freeze``, once a process: a program that calls :func:`main` again and
    again does not freeze the garbage of its earlier calls) and collection resumes;
    when the collector was not paused by :func:`main` (the app called in-process),
    nothing changes."""
    if _GC_PAUSED and not gc.isenabled():
        if not _GC_FROZEN:
            gc.freeze()
            _GC_FROZEN.append(True)
        gc.enable()


_GC_PAUSED: list[bool] = []  # holds True while main() has the collector paused
_GC_FROZEN: list[bool] = []  # holds True once the imported modules' objects are frozen


def _instrument(spec: str):
    from indeks.instruments import resolve_instrument

    _modules_loaded()
    return resolve_instrument(spec)


def _read(path: Path, sheet: str | None, lang: str):
    from indeks.io import read_table

    return read_table(path, sheet=sheet_arg(sheet), lang=lang)


def _check_output(out: Path | None, lang: str) -> None:
    """Refuse an unusable output path before any work is done."""
    if out is None:
        return
    from indeks.io import OUTPUT_EXTENSIONS

    if out.suffix.lower() not in OUTPUT_EXTENSIONS:
        _fail(
            message(
                "output_type",
                lang,
                path=out,
                ext=out.suffix,
                supported=", ".join(OUTPUT_EXTENSIONS),
            )
        )
    parent = out.resolve().parent
    if not parent.is_dir():
        _fail(message("output_folder", lang, path=out, folder=parent))


def _csv_style(style: str) -> str:
    if style not in ("plain", "id"):
        raise typer.BadParameter(
            f"'{style}': pilih plain atau id / choose plain or id", param_hint="--csv-style"
        )
    return style


def _write(
    out: Path, result, lang: str, protect, source: str | None = None, csv_style: str = "plain"
) -> list[Path]:
    from indeks.io.results import write_result

    sheets = result.sheets()
    rows = sum(len(df) for df in sheets.values())
    show = rows >= _BIG_ROWS and err_console.is_terminal
    with _progress(show, rows=True) as prog:
        task = prog.add_task(label("writing", lang, name=out.name), total=rows)

        def advance(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        return write_result(
            result,
            out,
            lang=lang,
            protect=protect,
            source=source,
            progress=advance,
            csv_style=csv_style,
        )


def _print_written(files, lang: str) -> None:
    """The files a command wrote (nothing when it wrote none)."""
    if files:
        console.print(f"{label('written', lang)}: " + ", ".join(str(f) for f in files))


# a step this long or longer shows a progress display (on a terminal only)
_BIG_BYTES = 5_000_000
_BIG_ROWS = 50_000


def _progress(enabled: bool, rows: bool = False):
    """A rich progress display on stderr, only when ``enabled`` (a terminal and a long
    step); nothing at all when output is piped or redirected."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
    if rows:
        columns.append(MofNCompleteColumn())
    columns.append(TimeElapsedColumn())
    return Progress(
        *columns,
        console=err_console,
        transient=True,
        disable=not enabled,
    )


def _big(path: Path) -> bool:
    try:
        return path.stat().st_size > _BIG_BYTES and err_console.is_terminal
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
    t = Table(title=label("builtin_instruments", lang))
    for c in ("id", "name", "version", "status", "items"):
        t.add_column(c)
    for iid in list_instruments():
        inst = get_instrument(iid)
        status = inst.status + (" *" if inst.provisional else "")
        t.add_row(inst.id, label_of(inst, lang, "name"), inst.version, status, str(len(inst.items)))
    console.print(t)
    console.print(label("has_provisional", lang))


@instruments_app.command("show")
def instruments_show(
    instrument: str = InstrumentArg,
    lang: str = LangOpt,
    fmt: str = typer.Option(
        "text", "--format", help="text (layar), md (Markdown) atau html: halaman dokumentasi"
    ),
    out: Path | None = typer.Option(None, "-o", "--output", help="tulis halaman ke berkas ini"),
) -> None:
    """Butir, domain, aturan dan catatan sementara sebuah instrumen."""
    lang = _lang(lang)
    inst = _instrument(instrument)
    if fmt not in ("text", "md", "html"):
        raise typer.BadParameter(f"{fmt!r}: text, md or html", param_hint="--format")
    if fmt != "text":
        from indeks.instruments.docs import render
        from indeks.instruments.kisi import write_definition

        page = render(inst, fmt, lang)
        if out is not None:
            write_definition(page, out)
        else:
            sys.stdout.write(page)
        return
    console.print(
        Text.assemble(
            (label_of(inst, lang, "name"), "bold"), f"  ({inst.id} {inst.version}, {inst.status})"
        )
    )
    if inst.description:
        console.print(inst.description)
    for s in inst.sources:
        console.print(f"  {label('source', lang)}: {s}")
    if inst.provisional:
        t = Table(
            title=label("provisional_rules", lang),
            style="yellow",
        )
        t.add_column("key")
        t.add_column("note", overflow="fold")
        for n in inst.provisional:
            t.add_row(n.key, n.note)
        console.print(t)
    d = Table(title="Domain")
    for col in ("id", "label", "method", "items", "min answered", "transform"):
        d.add_column(col, overflow="fold")
    for dom in inst.domains:
        d.add_row(
            dom.id,
            label_of(dom, lang),
            dom.method,
            ", ".join(dom.items),
            ", ".join(f"{k}: {v}" for k, v in dom.min_answered.items()),
            dom.transform_text(),
        )
    console.print(d)
    if inst.index is not None:
        w = ", ".join(f"{k} {v}" for k, v in inst.index.weights.items())
        console.print(
            f"index: {inst.index.method} ({w})"
            + (f", x{inst.conversion.multiply}" if inst.conversion else "")
        )
    for tbl in inst.categories:
        c = Table(title=label("categories", lang, on=tbl.on, precision=tbl.precision))
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
    i = Table(title=label("items", lang))
    for col in ("id", "domain", "form", "reverse", "label", "column names"):
        i.add_column(col, overflow="fold")
    for it in inst.items:
        i.add_row(
            it.id,
            it.domain or "",
            it.form,
            label("yes", lang) if it.reverse else "",
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
    for k, rule in enumerate(inst.transform_rules):
        console.print(
            Text.assemble(
                "transform rule (--transform) ",
                (rule.name, "bold"),
                " (default): " if k == 0 else ": ",
                rule.note,
            )
        )


@instruments_app.command("check")
def instruments_check(
    file: Path = typer.Argument(..., help="berkas definisi .toml"), lang: str = LangOpt
) -> None:
    """Periksa berkas definisi instrumen: semua masalah sekaligus, lalu contoh [[examples]]."""
    from indeks.instruments import load_instrument
    from indeks.instruments.examples import check_instrument

    _modules_loaded()

    lang = _lang(lang)
    inst = load_instrument(file)
    report = check_instrument(inst)
    for p in report.problem_texts(lang):
        err_console.print(Text(p), style="red")
    if report.outcomes:
        t = Table(title=label("examples", lang))
        for key in ("example", "value", "expected", "got"):
            t.add_column(label(f"ex_{key}", lang), overflow="fold")
        t.add_column("", overflow="fold")
        by_example: dict[str, list] = {}
        for o in report.outcomes:
            by_example.setdefault(o.example, []).append(o)
        for name, outs in by_example.items():
            bad = [o for o in outs if not o.ok]
            if not bad:
                n_ok = label("ex_n_values", lang, n=len(outs))
                t.add_row(Text(name), n_ok, "", "", Text("OK", "green"))
            for o in bad:
                t.add_row(
                    Text(name),
                    Text(o.key),
                    Text(o.expected),
                    Text(o.got),
                    Text(label("ex_differs", lang), "bold red"),
                )
        console.print(t)
    n_ex = len(inst.examples)
    if not report.ok:
        bad_names = sorted({o.example for o in report.failures})
        msg = label(
            "ex_mismatch", lang, file=file, k=len(bad_names), n=n_ex, names=", ".join(bad_names)
        )
        if report.problems and not bad_names:
            msg = label("ex_unscorable", lang, file=file)
        raise Fail(msg)
    summary = label(
        "check_ok" if n_ex else "check_ok_no_examples",
        lang,
        file=file,
        id=inst.id,
        version=inst.version,
        items=len(inst.items),
        domains=len(inst.domains),
        examples=n_ex,
    )
    console.print(Text.assemble(("OK", "green"), " ", summary))
    if n_ex == 0:
        console.print(label("ex_none", lang))
    if inst.provisional:
        keys = ", ".join(n.key for n in inst.provisional)
        console.print(label("check_provisional", lang, keys=keys))


@instruments_app.command("new")
def instruments_new(
    source: Path = typer.Option(..., "--from", help="kisi-kisi .xlsx atau .csv"),
    base: str = typer.Option(
        ..., "--base", help="definisi dasar (id bawaan atau berkas .toml): skala dan aturan skor"
    ),
    out: Path = typer.Option(..., "-o", "--output", help="berkas definisi .toml yang ditulis"),
    instrument_id: str | None = typer.Option(
        None, "--id", help="id instrumen baru (default: nama berkas keluaran)"
    ),
    name: str | None = typer.Option(None, "--name", help="nama instrumen baru"),
    sheet: str | None = typer.Option(None, "--sheet", help="lembar kisi-kisi dalam XLSX"),
    lang: str = LangOpt,
) -> None:
    """Buat definisi dari kisi-kisi (butir, dimensi, kunci +/-) dengan aturan dari --base."""
    from indeks.instruments import load_instrument
    from indeks.instruments.kisi import definition_from_kisi, read_kisi, slug, write_definition

    _modules_loaded()

    lang = _lang(lang)
    if out.suffix.lower() != ".toml":
        _fail(label("kisi_toml_only", lang, file=out))
    kisi = read_kisi(source, sheet=sheet, lang=lang)
    iid = instrument_id or slug(out.stem.replace("-", "_"), "instrumen").replace("_", "-")
    text, guesses = definition_from_kisi(kisi, base, instrument_id=iid, name=name, lang=lang)
    write_definition(text, out)
    n_rev = sum(it.reverse for it in kisi.items)
    summary = label(
        "kisi_new_ok", lang, file=out, items=len(kisi.items), dims=len(kisi.dimensions), rev=n_rev
    )
    console.print(Text.assemble(("OK", "green"), " ", summary))
    t = Table(title=label("kisi_dimensions", lang))
    for col in ("id", "label", label("items", lang), label("kisi_reverse", lang)):
        t.add_column(col, overflow="fold")
    inst = load_instrument(out)
    for d in inst.domains:
        rev = [i for i in d.items if inst.item(i).reverse]
        t.add_row(d.id, d.label, ", ".join(d.items), ", ".join(rev))
    console.print(t)
    if guesses:
        console.print(Text(label("kisi_guesses", lang), "yellow"))
        for g in guesses:
            console.print(f"  - {g}")
    console.print(label("kisi_next", lang, file=out))


@instruments_app.command("kisi")
def instruments_kisi(
    instrument: str = InstrumentArg,
    out: Path = typer.Option(..., "-o", "--output", help="kisi-kisi .xlsx (atau .csv: tabel saja)"),
    lang: str = LangOpt,
) -> None:
    """Tulis definisi sebagai kisi-kisi (XLSX) untuk diperiksa dan ditandatangani."""
    from indeks.instruments.kisi import write_kisi

    lang = _lang(lang)
    inst = _instrument(instrument)
    write_kisi(inst, out, lang=lang)
    summary = label(
        "kisi_written", lang, file=out, id=inst.id, version=inst.version, items=len(inst.items)
    )
    console.print(Text.assemble(("OK", "green"), " ", summary))


# ------------------------------------------------------------------------- score
KeepOpt = typer.Option(
    None,
    "--keep",
    help="kolom masukan lain yang ikut disalin ke hasil (mis. --keep kelurahan,petugas); "
    "kolom lain (nama, telepon, NIK, alamat) tidak pernah disalin",
)
SchedulerOpt = typer.Option(
    None,
    "--scheduler",
    help="alamat penjadwal Dask, mis. tcp://host:8786 (tanpa ini: LocalCluster)",
)
PseudoOpt = typer.Option(
    None,
    "--pseudonymise",
    "--pseudonymize",
    envvar="INDEKS_PSEUDONYM_KEY",
    help="ganti ID responden dengan pseudonim berkunci (HMAC); kunci yang sama di pre dan "
    "post menjaga pasangan (juga INDEKS_PSEUDONYM_KEY)",
)


def _options(
    lang,
    id_col=None,
    group=None,
    mapping=None,
    missing_rule=None,
    pre_reversed=None,
    population=None,
    transform_rule=None,
    labels=None,
):
    """The ScoringOptions of a command's options (lists repeated or comma-separated)."""
    from indeks.scoring.options import ScoringOptions

    return ScoringOptions(
        id_column=id_col,
        group_by=tuple(split_list(group)),
        mapping=mapping,
        missing_rule=missing_rule,
        pre_reversed=tuple(split_list(pre_reversed)),
        population=population,
        transform_rule=transform_rule,
        labels=labels,
        lang=lang,
    )


def _score_job(instrument, input, options, sheet, keep=None, pseudonym_key=None):
    """One file read and scored in memory with the command's ScoringOptions."""
    from indeks.scoring.engine import score

    lang = options.lang
    inst = _instrument(instrument)
    with _progress(_big(input)) as prog:
        try:
            mb = f" ({input.stat().st_size / 1e6:,.0f} MB)"
        except OSError:
            mb = ""
        task = prog.add_task(label("reading_file", lang, name=input.name) + mb, total=None)
        data = _read(input, sheet, lang)
        source = data
        if pseudonym_key:
            from indeks.privacy import pseudonymise

            data, _ = pseudonymise(data, pseudonym_key, options.id_column, inst, options.mapping)
        prog.update(task, description=label("scoring_rows", lang, n=f"{len(data):,}"))
        result = score(inst, data, options=options)
        if keep:
            from indeks.privacy import keep_columns

            keep_columns(result, source, split_list(keep))
    return result


@app.command()
def score(
    instrument: str = InstrumentArg,
    inputs: list[Path] = typer.Argument(
        ...,
        help="berkas jawaban (.csv .xlsx .sav .dta .parquet .jsonl); beberapa berkas, folder atau pola glob dinilai sebagai satu data",
    ),
    output: Path | None = OutputOpt,
    id_col: str | None = IdOpt,
    group: list[str] | None = GroupOpt,
    mapping: Path | None = MapOpt,
    sheet: str | None = SheetOpt,
    missing_rule: str | None = MissingRuleOpt,
    pre_reversed: list[str] | None = PreReversedOpt,
    population: int | None = typer.Option(
        None, "--population", help="jumlah populasi (cek sampel Krejcie-Morgan)"
    ),
    chunk_rows: int | None = typer.Option(
        None,
        "--chunk-rows",
        min=1,
        help="baca dan skor per bagian N baris (berkas besar); hasil .csv/.parquet ditulis bertahap",
    ),
    engine: str | None = typer.Option(
        None, "--engine", help="pandas (di memori), stream (per bagian) atau dask (klaster)"
    ),
    scheduler: str | None = SchedulerOpt,
    transform_rule: str | None = TransformOpt,
    labels: Path | None = LabelsOpt,
    keep: list[str] | None = KeepOpt,
    pseudonymise: str | None = PseudoOpt,
    csv_style: str = CsvStyleOpt,
    lang: str = LangOpt,
) -> None:
    """Skor sebuah berkas jawaban: indeks, kategori, dan daftar masalah.

    Beberapa berkas, folder atau pola glob dinilai sebagai satu data (kolom 'file');
    beberapa --group memberi setiap tingkat (mis. nasional, provinsi, kota).
    """
    lang = _lang(lang)
    csv_style = _csv_style(csv_style)
    in_memory_only = bool(keep or pseudonymise) or csv_style != "plain"
    if len(inputs) == 1 and engine in (None, "stream") and not scheduler and not in_memory_only:
        _parse_ahead(inputs[0], output)
    _check_output(output, lang)
    auto = engine is None and chunk_rows is None and not scheduler
    engine = _pick_engine(inputs, output, chunk_rows, engine, scheduler, not in_memory_only)
    if engine is not None and (keep or pseudonymise):
        _fail(message("in_memory_only", lang, option="--keep / --pseudonymise"))
    if engine is not None and csv_style != "plain":
        _fail(message("in_memory_only", lang, option="--csv-style id"))
    options = _options(
        lang, id_col, group, mapping, missing_rule, pre_reversed, population, transform_rule, labels
    )
    if engine is not None:
        _score_parts_cmd(
            instrument, inputs, output, engine, chunk_rows, scheduler, options, sheet, auto
        )
        return
    input = inputs[0]
    result = _score_job(instrument, input, options, sheet, keep=keep, pseudonym_key=pseudonymise)
    from indeks.scoring.explain import nothing_scored_message

    why = nothing_scored_message(result, lang)
    # the files are written before anything is printed: a closed standard output (a
    # pipe into head) must not cost the results, as in the streamed job
    files = None
    if output is not None and not why:
        files = _write(
            output, result, lang, protect=[input], source=input.name, csv_style=csv_style
        )
    print_score(result, input, lang)
    if why:
        _fail(why)
    _print_written(files, lang)


def _parse_ahead(input: Path, output: Path | None) -> None:
    """A big text file that will be streamed: its first block is parsed on a thread
    while pandas is imported (a quarter of a second on one core; see
    :mod:`indeks.io.csvhead`).  The streamed reader takes it if nothing changed."""
    if output is None or output.suffix.lower() in (".csv", ".parquet", ".xlsx"):
        from indeks.io.csvhead import start_head

        start_head(input)


def _pick_engine(
    inputs, output, chunk_rows, engine, scheduler, may_stream: bool = True
) -> str | None:
    """None: the plain in-memory job on one file; else the engine of a job in parts.

    A big streamable file (CSV, Parquet) written to .csv, .parquet or .xlsx, or scored
    without an output, is streamed when ``may_stream`` (no in-memory-only option):
    memory is then set by the part size, and the printed result is the same."""
    from indeks.scoring.stream import AUTO_STREAM_BYTES, ENGINES, STREAM_OUTPUTS

    if engine is not None and engine not in ENGINES:
        raise Fail(
            texts={
                lg: message("engine_choice", lg, engines=", ".join(ENGINES)) for lg in ("id", "en")
            }
        )
    if scheduler and engine is None:
        engine = "dask"
    if engine is None and chunk_rows is not None:
        engine = "stream"
    single = inputs[0] if len(inputs) == 1 else None
    one = single is not None and not single.is_dir() and (single.exists() or "*" not in str(single))
    if engine is None and single is not None and one:
        from indeks.io.chunks import streamable

        big = single.is_file() and single.stat().st_size > AUTO_STREAM_BYTES
        to_file = output is None or output.suffix.lower() in (*STREAM_OUTPUTS, ".xlsx")
        if may_stream and big and to_file and streamable(single):
            engine = "stream"
    if engine is None and not one:
        engine = "pandas"
    if engine == "pandas" and one:
        return None
    return engine


def _score_parts_cmd(
    instrument, inputs, output, engine, chunk_rows, scheduler, options, sheet, auto=False
) -> None:
    """A job in parts: a big file streamed, many files, or a Dask cluster.

    ``auto``: streamed by choice of the command (a big file), not by the user's
    --chunk-rows / --engine: every issue is kept, so the printed result is the one the
    in-memory job prints."""
    from indeks.scoring.stream import score_files

    lang = options.lang
    inst = _instrument(instrument)
    with _progress(err_console.is_terminal, rows=True) as prog:
        task = prog.add_task(label("scoring", lang), total=None)

        def step(done: int, total: int | None) -> None:
            if total is None:  # rows scored so far
                prog.update(task, completed=done)
                return
            name = output.name if output is not None else ""  # a spooled .xlsx being written
            prog.update(
                task, description=label("writing", lang, name=name), completed=done, total=total
            )

        result = score_files(
            inst,
            [str(p) for p in inputs],
            output,
            chunk_rows=chunk_rows,
            engine=engine,
            scheduler=scheduler,
            options=options,
            sheet=sheet,
            # .xlsx: respondents spooled to disk, not held; .json/.sav need them in memory
            keep_respondents=output is not None and output.suffix.lower() in (".json", ".sav"),
            keep_issues=auto,
            progress=step,
        )
    print_score(result, inputs[0] if len(inputs) == 1 else Path(result.meta["source"]), lang)
    from indeks.scoring.explain import nothing_scored_message

    why = nothing_scored_message(result, lang)
    if why:  # as the in-memory job: nothing scored is a failure, and no output is left
        for name in result.meta.get("files", []):
            Path(name).unlink(missing_ok=True)
        _fail(why)
    streamed = result.meta.get("streamed")
    if streamed and streamed["issues"] > len(result.issues):  # only the first issues kept
        issues = label("issues_word", lang)
        console.print(
            f"{label('rows_short', lang)}: {streamed['rows']}; {issues}: {streamed['issues']}"
        )
    if output is not None:
        console.print(f"{label('written', lang)}: " + ", ".join(result.meta.get("files", [])))


@app.command()
def validate(
    instrument: str = InstrumentArg,
    input: Path = InputArg,
    output: Path | None = OutputOpt,
    id_col: str | None = IdOpt,
    mapping: Path | None = MapOpt,
    sheet: str | None = SheetOpt,
    missing_rule: str | None = MissingRuleOpt,
    labels: Path | None = LabelsOpt,
    pseudonymise: str | None = PseudoOpt,
    lang: str = LangOpt,
) -> None:
    """Hanya laporan validasi: kolom yang cocok, dan setiap masalah dengan baris dan kolomnya."""
    lang = _lang(lang)
    _check_output(output, lang)
    options = _options(lang, id_col, mapping=mapping, missing_rule=missing_rule, labels=labels)
    result = _score_job(instrument, input, options, sheet, pseudonym_key=pseudonymise)
    rep = result.columns.report()
    t = Table(title=label("columns_used", lang))
    for c in ("item", "column", "matched_by", "similarity"):
        t.add_column(c)
    for _, r in rep[
        rep["matched_by"].isin(["id", "alias", "mapping", "question_text", "missing", "ambiguous"])
    ].iterrows():
        t.add_row(r["item"], _cut(r["column"], 60), r["matched_by"], r["similarity"])
    console.print(t)
    print_columns_used(result.columns, lang)
    ignored = rep.loc[rep["matched_by"] == "ignored", "column"].tolist()
    if ignored:
        console.print(
            f"{label('columns_ignored', lang)}: {_cut(', '.join(_cut(c, 60) for c in ignored), 2000)}"
        )
    console.print(
        f"{label('rows_short', lang)}: {len(result.respondents)} ({result.n_scored} "
        f"{label('scored_lower', lang)}, {result.n_rejected} {label('rejected_lower', lang)})"
    )
    issues_table(result.issues, lang, limit=50)
    if output is not None:
        from indeks.io import write_table_outputs

        files = write_table_outputs(
            output,
            {"issues": result.issues, "columns": rep},
            meta=dict(result.meta, source=input.name),
            lang=lang,
            protect=[input],
        )
        console.print(f"{label('written', lang)}: " + ", ".join(str(f) for f in files))


@app.command("map")
def map_cmd(
    instrument: str = InstrumentArg,
    input: Path = InputArg,
    output: Path | None = typer.Option(
        None, "-o", "--output", help="berkas pemetaan .csv yang ditulis (untuk --map)"
    ),
    sheet: str | None = SheetOpt,
    lang: str = LangOpt,
) -> None:
    """Tulis berkas pemetaan butir -> kolom berisi tebakan terbaik dan tingkat keyakinannya."""
    import csv
    import os
    import tempfile

    from indeks.scoring.columns import TEXT_SIMILARITY, suggest_mapping

    lang = _lang(lang)
    if output is not None and output.suffix.lower() != ".csv":
        _fail(message("mapping_csv_only", lang, name=output.name))
    if output is not None and output.resolve() == input.resolve():
        _fail(message("output_is_input", lang, name=output.name))
    inst = _instrument(instrument)
    data = _read(input, sheet, lang)
    sug = suggest_mapping(inst, data.columns)
    t = Table(title=f"{inst.id}: {input.name}")
    for c in ("item", "column", "confidence", "matched_by"):
        t.add_column(display_name(c, lang) or c)
    for _, r in sug.iterrows():
        conf = f"{r['confidence']:.2f}" if r["column"] else ""
        how = r["matched_by"] or "-"
        t.add_row(r["item"], _cut(r["column"], 60), conf, how)
    console.print(t)
    guesses = int(sug["matched_by"].isin(["guess", "number"]).sum())
    empty = int((sug["column"] == "").sum())
    note = label(
        "suggest_note",
        lang,
        similarity=f"{TEXT_SIMILARITY:.2f}",
        guesses=guesses,
        empty=empty,
        id=inst.id,
        name=input.name,
    )
    console.print(note)
    if output is not None:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(list(sug.columns))
                for row in sug.itertuples(index=False):
                    w.writerow([row[0], row[1], f"{row[2]:.2f}", row[3], row[4]])
            os.replace(tmp, output)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            _fail(f"{output}: {exc.strerror or exc}")
        console.print(f"{label('written', lang)}: {output}")


# ------------------------------------------------------------------------- compare / reliability


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@app.command()
def compare(
    instrument: str = InstrumentArg,
    pre: Path = typer.Argument(..., help="berkas pre-test (awal)"),
    post: Path = typer.Argument(..., help="berkas post-test (akhir)"),
    middle: list[Path] | None = typer.Option(
        None, "--middle", help="gelombang tengah (boleh berulang)"
    ),
    output: Path | None = OutputOpt,
    id_col: str | None = IdOpt,
    group: list[str] | None = GroupOpt,
    mapping: Path | None = MapOpt,
    sheet: str | None = SheetOpt,
    pre_sheet: str | None = typer.Option(
        None, "--pre-sheet", help="lembar Excel pre-test (bawaan: --sheet)"
    ),
    post_sheet: str | None = typer.Option(
        None, "--post-sheet", help="lembar Excel post-test (bawaan: --sheet)"
    ),
    headline: str | None = typer.Option(
        None, "--headline", help="aturan utama 'membaik' (default dari definisi)"
    ),
    missing_rule: str | None = MissingRuleOpt,
    pre_reversed: list[str] | None = PreReversedOpt,
    transform_rule: str | None = TransformOpt,
    labels: Path | None = LabelsOpt,
    pseudonymise: str | None = PseudoOpt,
    csv_style: str = CsvStyleOpt,
    engine: str | None = typer.Option(
        None, "--engine", help="pandas (di memori) atau dask (klaster; PRE/POST boleh folder/glob)"
    ),
    scheduler: str | None = SchedulerOpt,
    lang: str = LangOpt,
) -> None:
    """Bandingkan pre-test dan post-test: pasangan, perubahan, persentase membaik, uji statistik."""
    from indeks.scoring.compare import compare as do_compare

    lang = _lang(lang)
    csv_style = _csv_style(csv_style)
    _check_output(output, lang)
    inst = _instrument(instrument)
    if scheduler and engine is None:
        engine = "dask"
    if engine not in (None, "pandas", "dask"):
        _fail(message("engine_choice", lang, engines="pandas, dask"))
    if engine == "dask":
        for flag, used in (
            ("--middle", middle),
            ("--pseudonymise", pseudonymise),
            ("--sheet", sheet or pre_sheet or post_sheet),
            ("--csv-style id", csv_style != "plain"),
        ):
            if used:
                _fail(message("in_memory_only", lang, option=flag))
        frames = []
    else:
        pre_sheet, post_sheet = pre_sheet or sheet, post_sheet or sheet
        if _same_file(pre, post) and pre_sheet == post_sheet:
            _fail(message("same_wave_twice", lang, name=pre.name))
        frames = (
            [_read(pre, pre_sheet, lang)]
            + [_read(m, sheet, lang) for m in (middle or [])]
            + [_read(post, post_sheet, lang)]
        )
    if pseudonymise:
        from indeks.privacy import pseudonymise as _pseudo

        # the id column as compare finds it: --id, else "id", else the definition's aliases
        frames = [
            _pseudo(
                f, pseudonymise, id_col or ("id" if "id" in f.columns else None), inst, mapping
            )[0]
            for f in frames
        ]
    options = _options(
        lang,
        id_col,
        group,
        mapping,
        missing_rule,
        pre_reversed,
        transform_rule=transform_rule,
        labels=labels,
    )
    if engine == "dask":  # pre and post: files, folders or globs, paired on the cluster
        result = do_compare(
            inst,
            str(pre),
            str(post),
            options=options,
            headline=headline,
            engine="dask",
            scheduler=scheduler,
        )
    elif len(frames) == 2:
        result = do_compare(inst, frames[0], frames[1], options=options, headline=headline)
    else:
        result = do_compare(inst, None, None, waves=frames, options=options, headline=headline)
    from indeks.scoring.explain import no_pairs_message

    why = no_pairs_message(result, lang)
    files = None
    if output is not None and not why:  # written before printing (see score)
        files = _write(
            output,
            result,
            lang,
            protect=[pre, post],
            source=f"{pre.name} -> {post.name}",
            csv_style=csv_style,
        )
    print_compare(result, pre, post, lang)
    if why:
        _fail(why)
    _print_written(files, lang)


@app.command()
def reliability(
    instrument: str = InstrumentArg,
    input: Path = InputArg,
    output: Path | None = OutputOpt,
    missing: str = typer.Option("listwise", "--missing", help="listwise (default) atau pairwise"),
    mapping: Path | None = MapOpt,
    sheet: str | None = SheetOpt,
    pre_reversed: list[str] | None = PreReversedOpt,
    lang: str = LangOpt,
) -> None:
    """Reliabilitas per domain: alpha Cronbach (CI Feldt), alpha jika butir dihapus, korelasi butir-total, omega."""
    from indeks.scoring.reliability import reliability as do_rel

    lang = _lang(lang)
    _check_output(output, lang)
    inst = _instrument(instrument)
    data = _read(input, sheet, lang)
    options = _options(lang, mapping=mapping, pre_reversed=pre_reversed)
    result = do_rel(inst, data, options=options, missing=missing)
    files = None
    if output is not None:  # written before printing (see score)
        files = _write(output, result, lang, protect=[input], source=input.name)
    d = result.domains
    t = Table(title=label("reliability", lang, name=label_of(inst, lang, "name"), missing=missing))
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
        t.add_row(*[format_number(r[c], 3) if isinstance(r[c], float) else str(r[c]) for c in show])
    console.print(t)
    it = result.items
    t2 = Table(title=label("items", lang))
    show2 = [
        c
        for c in ("domain", "item", "corrected_item_total_r", "alpha_if_deleted")
        if c in it.columns
    ]
    for c in show2:
        t2.add_column(c, justify="right")
    for _, r in it.iterrows():
        t2.add_row(
            *[format_number(r[c], 3) if isinstance(r[c], float) else str(r[c]) for c in show2]
        )
    console.print(t2)
    _print_written(files, lang)


# ------------------------------------------------------------------------- lkip


@lkip_app.command("init")
def lkip_init(
    folder: Path = typer.Argument(..., help="folder workspace baru (dibuat bila belum ada)"),
    unit: str | None = typer.Option(
        None, "--unit", help='nama satuan kerja, mis. "BNN Kota Kupang" (default: BNN Kota Contoh)'
    ),
    year: int | None = typer.Option(None, "--year", help="tahun laporan (default: tahun ini)"),
    lang: str = typer.Option("id", "--lang", help="bahasa penjelasan dan laporan: id atau en"),
) -> None:
    """Mulai workspace LKIP baru: FOLDER/workspace.toml berisi contoh dan penjelasan, dan FOLDER/data/."""
    from indeks.lkip.init import DEFAULT_UNIT, default_year, summary, write_template

    _modules_loaded()

    lang = _lang(lang)
    unit_ = DEFAULT_UNIT if unit is None else unit
    year_ = default_year() if year is None else year
    path = write_template(folder, unit_, year_, lang)
    console.print(summary(path, unit_, year_, lang), markup=False, highlight=False, soft_wrap=True)


@lkip_app.command("build")
def lkip_build(
    workspace: Path = WorkspaceArg,
    out: Path = typer.Option(Path("lkip-output"), "-o", "--output", help="folder hasil"),
    lang: str | None = WorkspaceLangOpt,
    allow_outside: bool = typer.Option(
        False,
        "--allow-outside",
        help="izinkan berkas di luar folder workspace (hanya untuk workspace yang Anda percayai)",
    ),
    template: Path | None = typer.Option(
        None, "--template", help="templat Word instansi (.docx) yang gayanya dipakai"
    ),
    pdf: bool = typer.Option(
        False, "--pdf", help="juga tulis PDF (dokumen Word diubah oleh LibreOffice, A4)"
    ),
) -> None:
    """Hitung realisasi dan capaian, tulis workbook XLSX, laporan HTML, dokumen Word dan grafik PNG."""
    from indeks.lkip import build, load_workspace

    _modules_loaded()

    lang_ = _lang(lang) if lang else None
    result = build(
        load_workspace(workspace, allow_outside=allow_outside),
        out,
        lang=lang_,
        template=template,
        pdf=pdf,
    )
    lang2 = lang_ or getattr(result.computation, "lang", "id") or "id"
    print_capaian(result, lang2)
    for w in result.warnings:
        console.print(w, style="yellow")
    console.print(f"{label('written', lang2)}:")
    files = result.files.values() if isinstance(result.files, dict) else result.files
    for f in files:
        console.print(f"  {f}")
    if result.check is not None and not result.check.ok:
        n = len(result.check.issues)
        console.print(label("build_disagree", lang2, n=n), style="yellow")


@lkip_app.command("check")
def lkip_check(
    workspace: Path = WorkspaceArg,
    report: Path | None = typer.Option(
        None,
        "--report",
        help="berkas laporan (.docx, .txt, .pdf) yang angka dan klaimnya diperiksa langsung",
    ),
    lang: str | None = WorkspaceLangOpt,
    allow_outside: bool = typer.Option(
        False,
        "--allow-outside",
        help="izinkan berkas di luar folder workspace (hanya untuk workspace yang Anda percayai)",
    ),
) -> None:
    """Audit: hitung ulang setiap angka turunan dan daftar angka laporan yang tidak sesuai (exit 1 bila ada)."""
    from indeks.lkip import load_workspace
    from indeks.lkip.check import audit

    _modules_loaded()

    lang_ = _lang(lang) if lang else None
    _ws, lang2, comp, result = audit(
        load_workspace(workspace, allow_outside=allow_outside), lang=lang_
    )
    bad = not result.ok
    if report is not None:
        from indeks.lkip.report import audit_report

        rep = audit_report(comp, report, lang=lang2)
        print_report_audit(rep)
        bad = bad or not rep.ok
        if result.checked:
            print_check(result, lang2)
    else:
        print_check(result, lang2)
    if bad:
        raise typer.Exit(1)


# ------------------------------------------------------------------------- demo
@app.command()
def demo(
    out: Path = typer.Option(Path("indeks-demo"), "-o", "--output", help="folder hasil demo"),
    lang: str = LangOpt,
) -> None:
    """Jalankan seluruh rantai pada data contoh: skor, pre/post, laporan LKIP."""
    from indeks.demo import run_demo

    _modules_loaded()

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
    lang: str = LangOpt,
) -> None:
    """Jalankan halaman web lokal untuk petugas lapangan (unggah ekspor, lihat indeks, unduh hasil)."""
    from indeks.web import run

    _modules_loaded()
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
        lang=_lang(lang),
    )


@app.command()
def version() -> None:
    """Versi paket."""
    from indeks._version import __version__

    console.print(__version__)


def _print_version(value: bool) -> None:
    if value:
        version()
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Versi paket."
    ),
) -> None:
    """indeks: skor kuesioner BNN (DEKTARA, DEKTARI, IKP, IKOTAN, WHOQOL-BREF, IKM) dan capaian LKIP."""


def _argv_lang(argv: list[str] | None) -> str:
    """The ``--lang`` given on the command line (for messages printed outside a command)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, a in enumerate(args):
        value = args[i + 1] if a == "--lang" and i + 1 < len(args) else None
        if a.startswith("--lang="):
            value = a.split("=", 1)[1]
        if value and value.lower() in LANGS:
            return value.lower()
    return "id"


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one message and exit status 1."""
    lang = _argv_lang(argv)
    if gc.isenabled():  # paused while the command imports (see _modules_loaded)
        gc.disable()
        _GC_PAUSED.append(True)
    # numpy's OpenBLAS starts a thread per core that spins for about 0.1 s of a core
    # when numpy is imported, taking it from the file reader; the command line's only
    # matrix work (reliability) is on matrices of a few dozen items, where one thread
    # is as fast.  A value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        rv = app(args=argv, standalone_mode=False)
        if isinstance(rv, int) and rv:
            sys.exit(rv)
    except IndeksError as exc:
        _print_error(message("cannot_process", lang), exc, lambda e: _message(e, lang))
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print(message("aborted", lang))
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
            _print_error(message("cannot_process", lang), exc, str)
            sys.exit(1)
        _print_error(
            message("internal_error", lang),
            exc,
            lambda e: message("internal_error_hint", lang, error=f"{type(e).__name__}: {e}"),
        )
        sys.exit(3)
    finally:
        if _GC_PAUSED:
            _GC_PAUSED.clear()
            gc.enable()


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
