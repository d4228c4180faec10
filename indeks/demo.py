"""``indeks demo``: the whole chain on the bundled sample data.

1. score a Google-Forms-style WHOQOL-BREF export (question-text headers, label answers)
   with its mapping file;
2. score an IKM export with title rows above the header, per service (layanan);
   then a recap sheet (two-row merged header, JUMLAH / RATA-RATA / NRR / IKM rows that
   are flagged and left out of n);
3. compare WHOQOL-BREF pre-test and post-test (share of clients improved);
4. score the BNN instruments' sample files (DEKTARA, DEKTARI, IKP, IKOTAN) when present,
   then turn an invented kisi-kisi into a definition (rules from DEKTARI) and score a
   Google Forms export of that questionnaire with it;
5. build the LKIP report of the sample Kupang 2024 workspace, with realisations computed
   from questionnaire files, and audit the figures the published report printed.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from indeks.i18n import catalogue
from indeks.present import label


def sample_dir() -> Path:
    """The bundled sample data: inside the installed package, else the source tree's."""
    here = Path(__file__).resolve().parent
    for cand in (here / "sample_data", here.parent / "sample_data", Path.cwd() / "sample_data"):
        if (cand / "whoqol").is_dir():
            return cand
    from indeks.errors import IndeksError
    from indeks.messages import message

    raise IndeksError(message("sample_missing"))


TEXTS = catalogue("demo")


def _say(console: Console, lang: str, step: str, **values: object) -> None:
    """A step heading, in Bahasa Indonesia or English."""
    console.rule(Text(TEXTS.text(step, lang, **values), style="bold"))


def run_demo(out: Path, lang: str = "id", console: Console | None = None) -> list[Path]:
    import indeks
    from indeks import terminal
    from indeks.io.results import write_result

    console = console or Console(highlight=False, markup=False)
    data = sample_dir()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    # 1. WHOQOL-BREF from a Google Forms export
    _say(
        console,
        lang,
        "step_forms",
    )
    src = data / "whoqol" / "google_forms.xlsx"
    df = indeks.read_responses(
        src, instrument="whoqol-bref", mapping=data / "whoqol" / "google_forms_map.csv"
    )
    res = indeks.score("whoqol-bref", df, group_by="unit", lang=lang)
    terminal.print_score(res, src, lang, issue_limit=5)
    written += write_result(res, out / "whoqol-skor.xlsx", lang=lang)

    # 2. IKM with title rows above the header
    _say(
        console,
        lang,
        "step_ikm",
    )
    src = data / "ikm" / "google_forms.xlsx"
    df = indeks.read_responses(src)
    res = indeks.score(
        "ikm",
        df,
        group_by="layanan",
        mapping=data / "ikm" / "google_forms_map.csv",
        population=40,
        lang=lang,
    )
    terminal.print_score(res, src, lang, issue_limit=5)
    written += write_result(res, out / "ikm-skor.xlsx", lang=lang)

    # 2b. a recap sheet as officers keep it
    src = data / "ikm" / "rekap_skm.xlsx"
    if src.exists():
        _say(
            console,
            lang,
            "step_ikm_recap",
        )
        res = indeks.score("ikm", indeks.read_responses(src), group_by="Layanan", lang=lang)
        terminal.print_score(res, src, lang, issue_limit=6)
        written += write_result(res, out / "ikm-rekap-skor.xlsx", lang=lang)

    # 3. pre/post
    pre, post = data / "whoqol" / "pre.csv", data / "whoqol" / "post.csv"
    if pre.exists() and post.exists():
        _say(
            console,
            lang,
            "step_prepost",
        )
        from indeks.scoring.compare import compare

        c = compare(
            "whoqol-bref",
            indeks.read_responses(pre),
            indeks.read_responses(post),
            id_column="id_klien",
            lang=lang,
        )
        terminal.print_compare(c, pre, post, lang)
        written += write_result(c, out / "whoqol-prepost.xlsx", lang=lang)

    # 4. BNN instruments
    bnn = [(i, data / i) for i in ("dektara", "dektari", "ikp", "ikotan") if (data / i).is_dir()]
    if bnn:
        _say(console, lang, "step_bnn")
        for iid, folder in bnn:
            files = sorted(folder.glob("post*.csv")) or sorted(folder.glob("*.csv"))
            if not files:
                continue
            f = files[0]
            inst = indeks.get_instrument(iid)
            groups = [g for g in inst.group_columns if g in indeks.read_responses(f).columns][
                :1
            ] or None
            res = indeks.score(iid, indeks.read_responses(f), group_by=groups, lang=lang)
            terminal.print_score(res, f, lang, issue_limit=3)
            written += write_result(res, out / f"{iid}-skor.xlsx", lang=lang)

    # 4b. an instrument of one's own, from its kisi-kisi
    kisi_file = data / "kisi" / "kisi-kisi-ketahanan-remaja.xlsx"
    answers = data / "kisi" / "jawaban.csv"
    if kisi_file.exists() and answers.exists():
        _say(
            console,
            lang,
            "step_own",
        )
        from indeks.instruments.kisi import definition_from_kisi, read_kisi, write_definition

        kisi = read_kisi(kisi_file)
        text, guesses = definition_from_kisi(
            kisi,
            "dektari",
            instrument_id="ketahanan-remaja",
            name="Angket Ketahanan Diri Remaja (contoh kisi-kisi)",
            lang=lang,
        )
        toml = write_definition(text, out / "ketahanan-remaja.toml")
        written.append(toml)
        console.print(
            TEXTS.text(
                "own_definition",
                lang,
                kisi=kisi_file.name,
                definition=toml.name,
                items=len(kisi.items),
                n_dimensions=len(kisi.dimensions),
                dimensions=", ".join(kisi.dimensions),
                reverse=sum(i.reverse for i in kisi.items),
                guesses=len(guesses),
            ),
            markup=False,
        )
        inst = indeks.load_instrument(toml)
        res = indeks.score(inst, indeks.read_responses(answers), group_by="Nama Sekolah", lang=lang)
        terminal.print_score(res, answers, lang, issue_limit=3)
        written += write_result(res, out / "ketahanan-remaja-skor.xlsx", lang=lang)

    # 5. LKIP
    ws_dir = data / "kupang-2024"
    ws = ws_dir / "workspace-instruments.toml"
    if not ws.exists() or not (ws_dir / "data" / "dektara_post.csv").exists():
        ws = ws_dir / "workspace.toml"
    _say(
        console,
        lang,
        "step_lkip",
        workspace=ws.name,
    )
    from indeks.lkip import build

    result = build(ws, out / "lkip", lang=lang)
    terminal.print_capaian(result, lang)
    for w in result.warnings:
        console.print(w, style="yellow", markup=False)
    if result.check is not None:
        terminal.print_check(result.check, lang)
    written += [Path(f) for f in result.files.values()]

    console.rule()
    console.print(label("demo_files", lang, folder=out.resolve()))
    for f in written:
        console.print(f"  {f}")
    return written
