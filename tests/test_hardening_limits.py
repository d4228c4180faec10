"""Issue 14 item 3: limits with laptop-safe defaults; a limit hit is exit 1 naming the
limit and the variable that raises it; only regular files are opened."""

from __future__ import annotations

import os
import time

import pytest
from cli_run import run
from fuzz_corpus import xlsx_bomb

from indeks import limits
from indeks.io import InputError, read_table

HEAD = "id," + ",".join(f"U{i}" for i in range(1, 10))


def make_xlsx_bomb(path, inflated_mb: int = 60) -> None:
    xlsx_bomb(path, inflated_mb)


def test_xlsx_bomb_refused_from_zip_directory_before_parsing(tmp_path, capsys):
    p = tmp_path / "bom.xlsx"
    make_xlsx_bomb(p)
    assert p.stat().st_size < 1024 * 1024
    t0 = time.monotonic()
    code, out, err = run(capsys, "score", "ikm", p)
    assert code == 1 and "Traceback" not in out + err
    text = " ".join(err.split())
    assert "rasio kompresi XLSX" in text and "INDEKS_MAX_XLSX_RATIO" in text
    assert time.monotonic() - t0 < 10


def test_xlsx_unzipped_size_limit(tmp_path, monkeypatch):
    p = tmp_path / "besar.xlsx"
    make_xlsx_bomb(p, inflated_mb=3)
    monkeypatch.setenv("INDEKS_MAX_XLSX_UNZIPPED_MB", "2")
    with pytest.raises(limits.LimitError) as exc:
        read_table(p, lang="en")
    assert exc.value.limit == "max_xlsx_unzipped_mb"
    assert "INDEKS_MAX_XLSX_UNZIPPED_MB" in str(exc.value)
    monkeypatch.setenv("INDEKS_MAX_XLSX_UNZIPPED_MB", "100")
    monkeypatch.setenv("INDEKS_MAX_XLSX_RATIO", "100000")
    assert len(read_table(p)) == 1  # raised limits: the same file is read


def test_symlink_to_dev_zero_and_fifo_refused(tmp_path, capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    link = tmp_path / "data.csv"
    link.symlink_to("/dev/zero")
    t0 = time.monotonic()
    code, out, err = run(capsys, "score", "ikm", link)
    assert code == 1 and "bukan berkas biasa" in err and time.monotonic() - t0 < 10
    fifo = tmp_path / "pipa.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as exc:
        read_table(fifo, lang="en")
    assert "FIFO" in str(exc.value)


@pytest.mark.parametrize(
    ("env", "value", "needle"),
    [
        ("INDEKS_MAX_ROWS", "2", "number of rows 3 exceeds the limit 2"),
        ("INDEKS_MAX_COLUMNS", "5", "number of columns 10 exceeds the limit 5"),
        ("INDEKS_MAX_FILE_MB", "0.00001", "file size"),
        ("INDEKS_MAX_CELL_CHARS", "50", "row 4, column 'U1'"),
    ],
)
def test_each_limit_names_itself_and_how_to_raise_it(
    tmp_path, capsys, monkeypatch, env, value, needle
):
    p = tmp_path / "d.csv"
    p.write_text(
        HEAD
        + "\nr1,"
        + ",".join("4" * 9)
        + "\nr2,"
        + ",".join("3" * 9)
        + "\nr3,"
        + "x" * 60
        + ",3" * 8
        + "\n"
    )
    monkeypatch.setenv(env, value)
    code, out, err = run(capsys, "score", "ikm", p, "--lang", "en")
    text = " ".join(err.split())
    assert code == 1 and needle in text and f"{env}=" in text, text
    monkeypatch.delenv(env)
    assert run(capsys, "score", "ikm", p)[0] == 0


def test_configure_overrides_and_resets():
    try:
        assert limits.configure(max_rows=10).max_rows == 10
        assert limits.current().max_rows == 10
    finally:
        limits.configure()
    assert limits.current().max_rows == limits.Limits().max_rows


def test_bad_environment_value_keeps_the_default(monkeypatch):
    monkeypatch.setenv("INDEKS_MAX_ROWS", "banyak")
    assert limits.current().max_rows == limits.Limits().max_rows
    monkeypatch.setenv("INDEKS_MAX_ROWS", "-5")
    assert limits.current().max_rows == limits.Limits().max_rows


def test_mapping_file_must_be_regular(tmp_path, capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    data = tmp_path / "d.csv"
    data.write_text(HEAD + "\nr1," + ",".join("4" * 9) + "\n")
    link = tmp_path / "map.csv"
    link.symlink_to("/dev/zero")  # before: read for ever
    t0 = time.monotonic()
    code, out, err = run(capsys, "score", "ikm", data, "--map", link)
    assert code == 1 and "not a regular file" in " ".join(err.split())
    assert time.monotonic() - t0 < 10
