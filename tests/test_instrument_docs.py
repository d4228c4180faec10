"""Documentation pages generated from the definitions; docs/instruments/ is current."""

from pathlib import Path

import pytest

import indeks
from indeks.cli import main
from indeks.instruments.docs import builtin_pages, render_html, render_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "instruments"


def test_docs_instruments_are_current():
    pages = builtin_pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    assert set(on_disk) == set(pages), "run: python -m indeks.instruments.docs docs/instruments"
    for name, text in pages.items():
        assert on_disk[name] == text, (
            f"docs/instruments/{name} is out of date; run: python -m indeks.instruments.docs docs/instruments"
        )


def test_markdown_page_has_every_part():
    md = render_markdown(indeks.get_instrument("ikp"))
    for needle in (
        "# IKP - Indeks Kemandirian Partisipasi",
        "## Aturan sementara",
        "`index.weights`",
        "## Skala jawaban",
        "| 4 | d |",
        "## Indeks",
        "| `kegiatan` | 8 |",
        "index_converted = index x 25",
        "| A | Sangat Mandiri | 3.26 | 4 |",
        "## Butir",
        "## Contoh perhitungan",
        "IKP 81/25 = 3.24",
    ):
        assert needle in md, needle


def test_html_page_escapes_and_english(tmp_path):
    text = (Path(indeks.get_instrument("ikm").path)).read_text(encoding="utf-8")
    text = text.replace('label = "Persyaratan"', 'label = "<script>alert(1)</script>"', 1)
    p = tmp_path / "x.toml"
    p.write_text(text.replace('id = "ikm"', 'id = "ikm-x"', 1), encoding="utf-8")
    page = render_html(indeks.load_instrument(p), "en")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<h2>Worked examples</h2>" in page and '<html lang="en">' in page


@pytest.mark.parametrize("fmt, needle", [("md", "## Butir"), ("html", "<h2>Butir</h2>")])
def test_show_format(tmp_path, capsys, fmt, needle):
    out = tmp_path / f"p.{fmt}"
    with pytest.raises(SystemExit) as exc:
        main(["instruments", "show", "dektari", "--format", fmt, "-o", str(out)])
        raise SystemExit(0)
    assert (exc.value.code or 0) == 0
    assert needle in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["instruments", "show", "dektari", "--format", fmt])
        raise SystemExit(0)
    assert needle in capsys.readouterr().out


def test_domain_transform_text_is_shared_by_cli_pages_and_kisi():
    from fractions import Fraction

    from indeks.instruments.model import Domain, Transform

    d = Domain("d", "D", "D", "mean", ("q1",), {"default": 1})
    assert d.transform_text() == ""
    d = Domain(
        "d", "D", "D", "sum", ("q1",), {}, Fraction(4), Transform(Fraction(-4), Fraction(25, 4))
    )
    assert d.transform_text() == "raw = sum x 4; (raw + -4) x 25/4"
    assert d.transform_text(lambda f: f"{float(f):g}") == "raw = sum x 4; (raw + -4) x 6.25"
