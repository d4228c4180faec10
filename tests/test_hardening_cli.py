"""Issue 14 item 2: data-derived text reaches the terminal literally and cut; the error
handler never raises."""

import pytest
from cli_run import run

from indeks import cli

ITEMS = [f"U{i}" for i in range(1, 10)]


def _csv(path, rows, extra=("[/x]grp",)):
    head = ",".join(["id", *ITEMS, *extra])
    path.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_markup_in_answer_group_column_and_output_folder(tmp_path, capsys):
    p = _csv(
        tmp_path / "m.csv",
        ["r1,[/x],4,4,4,4,4,4,4,4,[red]a", "r2,3,3,3,3,3,3,3,3,3,[/b]"],
    )
    outdir = tmp_path / "[" / "x]"
    outdir.mkdir(parents=True)
    code, out, err = run(capsys, "score", "ikm", p, "--group", "[/x]grp", "-o", outdir / "o.xlsx")
    assert code == 0, err
    assert "Traceback" not in out + err
    for literal in ("[/x]grp", "[red]a", "[/b]", "Jawaban '[/x]'", "[/x]/o.xlsx"):
        assert literal in out, literal
    assert (outdir / "o.xlsx").exists()


@pytest.mark.parametrize("name", ["[/x]nope", "[red]kolom[/red]", "[scales.likert4]"])
def test_markup_in_error_messages_shown_literally(tmp_path, capsys, name):
    p = _csv(tmp_path / "m.csv", ["r1,4,4,4,4,4,4,4,4,4,a"], extra=("g",))
    code, out, err = run(capsys, "score", "ikm", p, "--group", name)
    assert code == 1
    assert "Traceback" not in out + err and "MarkupError" not in out + err
    assert f"'{name}'" in err.replace("\n", "")


def test_long_value_with_many_line_breaks_is_cut_for_display(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("INDEKS_MAX_CELL_CHARS", "1000000")  # above the default cell limit
    big = "a\n" * 200_000 + "[/x]"
    import pandas as pd

    df = pd.DataFrame({"id": ["r1", "r2"], "U1": [big, 4], **{c: [4, 4] for c in ITEMS[1:]}})
    p = tmp_path / "big.csv"
    df.to_csv(p, index=False)
    out_file = tmp_path / "o.csv"
    code, out, err = run(capsys, "score", "ikm", p, "-o", out_file)
    assert code == 0, err
    assert len(out) < 20_000  # the terminal shows a cut value ...
    issues = pd.read_csv(tmp_path / "o.masalah.csv", keep_default_na=False)
    assert big.strip() in set(issues["value"].str.strip())  # ... the file keeps all of it


def test_error_handler_never_raises(capsys):
    class Hostile(Exception):
        def __str__(self):
            raise RuntimeError("no str")

    cli._print_error("Error:", Hostile(), str)
    cli._print_error("Error:", ValueError("[/x] [bold]x" * 5000), str)
    err = capsys.readouterr().err
    assert "Hostile" in err
    assert "[/x] [bold]x" in err
    assert len(err) < cli.ERROR_CUT + 500


def test_cut_replaces_control_characters_and_limits_length():
    assert cli._cut("a\nb\x00c\x0bd") == "a\u21b5b\u21b5c\u21b5d"
    s = cli._cut("x" * 1000, 50)
    assert len(s) == 50 and s.endswith("\u2026")


def test_results_are_written_even_when_standard_output_is_closed(tmp_path):
    """``indeks score ... -o out.csv | head -1``: the pipe closes before the summary is
    printed; the files are written before anything is printed, so none is lost."""
    import subprocess
    import sys
    from pathlib import Path

    whoqol = Path(__file__).resolve().parent.parent / "sample_data" / "whoqol"
    sample, pre, post = (str(whoqol / f) for f in ("clean.csv", "pre.csv", "post.csv"))
    for args in (
        ["score", "whoqol-bref", sample, "-o", str(tmp_path / "skor.csv")],
        ["compare", "whoqol-bref", pre, post, "-o", str(tmp_path / "banding.csv")],
        ["reliability", "whoqol-bref", sample, "-o", str(tmp_path / "reliabilitas.csv")],
    ):
        p = subprocess.Popen(
            [sys.executable, "-m", "indeks.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert p.stdout is not None
        p.stdout.close()  # nobody reads what is printed
        p.wait(timeout=120)
        out = Path(args[-1])
        assert out.exists() and out.stat().st_size > 0, args


def test_help_option_is_described_like_the_other_options(capsys):
    """In Bahasa Indonesia, as every option's help, instead of typer's English."""
    for args in (["--help"], ["score", "--help"], ["lkip", "build", "--help"]):
        code, out, _ = run(capsys, *args)
        flat = " ".join(out.replace("│", " ").split())
        assert code == 0, args
        assert "Tampilkan bantuan ini lalu keluar." in flat and "Show this message" not in flat
