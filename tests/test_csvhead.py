"""The first block of a big CSV parsed ahead of time (indeks.io.csvhead)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from indeks.io import csvhead

ROWS = "\n".join(f"R{i},{i % 5 + 1},{i % 3}" for i in range(300))


@pytest.fixture
def big(tmp_path, monkeypatch):
    """A CSV that counts as big (the threshold lowered), with nothing parsed ahead."""
    monkeypatch.setattr(csvhead, "AUTO_STREAM_BYTES", 100)
    monkeypatch.setattr(csvhead, "_AHEAD", [])
    path = tmp_path / "besar.csv"
    path.write_text("id,q1,q2\n" + ROWS + "\n", encoding="utf-8")
    return path


def _same(a, b) -> bool:
    (sa, ta, oa), (sb, tb, ob) = a, b
    return sa == sb and oa == ob and ta.equals(tb)


def test_the_block_parsed_ahead_is_the_block_parsed_in_place_and_is_taken_once(big):
    assert csvhead.start_head(big)
    layout = csvhead.sniff_layout(big)
    got = csvhead.take_head(big, layout)
    assert got is not None
    assert _same(got, csvhead.parse_head(big, layout))
    assert got[1].num_rows == 300 and got[1].column_names == ["id", "q1", "q2"]
    assert csvhead.take_head(big, layout) is None  # taken once: a second reading parses


def test_a_changed_file_another_layout_or_another_file_is_not_taken(big, tmp_path):
    layout = csvhead.sniff_layout(big)
    other = tmp_path / "lain.csv"
    other.write_bytes(big.read_bytes())
    assert csvhead.start_head(big)
    assert csvhead.take_head(other, layout) is None  # another file: nothing for it
    assert csvhead.take_head(big, layout) is not None

    import pyarrow as pa

    assert csvhead.start_head(big)
    as_text = csvhead.CsvLayout(layout.delimiter, layout.names, {"q1": pa.string()})
    assert csvhead.take_head(big, as_text) is None  # read with other column types

    assert csvhead.start_head(big)
    csvhead._AHEAD[0][1].result()  # parsed; then the file is written to
    with open(big, "a", encoding="utf-8") as fh:
        fh.write("R999,9,9\n")
    assert csvhead.take_head(big, csvhead.sniff_layout(big)) is None


def test_nothing_is_started_for_small_files_other_formats_or_missing_files(big, tmp_path):
    small = tmp_path / "kecil.csv"
    small.write_text("id,q1\nR1,1\n", encoding="utf-8")
    xlsx = tmp_path / "besar.xlsx"
    xlsx.write_bytes(big.read_bytes())
    assert not csvhead.start_head(small)
    assert not csvhead.start_head(xlsx)
    assert not csvhead.start_head(tmp_path / "tidak_ada.csv")
    assert csvhead._AHEAD == []


def test_a_failure_on_the_thread_is_left_to_the_reader(big, monkeypatch):
    def boom(path, layout):
        raise OSError("disk gone")

    monkeypatch.setattr(csvhead, "parse_head", boom)
    assert csvhead.start_head(big)
    assert csvhead.take_head(big, csvhead.sniff_layout(big)) is None


def test_the_parsing_module_does_not_import_pandas():
    code = "import sys, indeks.io.csvhead; print('pandas' in sys.modules)"
    env = dict(os.environ)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.strip() == "False", r.stderr[-2000:]
