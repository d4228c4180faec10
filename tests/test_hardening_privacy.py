"""Issue 14 item 7: clients' privacy, and output failures that end in one clean message.

- columns other than items, ids and declared group columns never reach an output,
  unless asked for with --keep;
- --pseudonymise KEY replaces ids by keyed hashes, stable across pre and post (pairing);
- XLSX output with control characters (vertical tab, NUL) is written; a full disk ends
  in one message without "Exception ignored" tracebacks.
"""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from cli_run import run

import indeks
from indeks.privacy import PrivacyError, keep_columns, pseudonym, pseudonymise

PERSONAL = ("Budi Santoso", "0812345678", "3271046504930002", "Jl. Mawar 1")
HEAD = "id,nama,telepon,NIK,alamat,U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,kelurahan\n"
ROWS = [
    "007,Budi Santoso,0812345678,3271046504930002,Jl. Mawar 1,4,4,4,4,4,4,4,4,4,rehab,Oebobo",
    "8,Siti,0813999,3271046504930003,Jl. Melati 2,3,3,3,3,3,3,3,3,3,rehab,Kelapa Lima",
]


def _all_text(path) -> str:
    wb = openpyxl.load_workbook(path)
    return " ".join(str(c.value) for ws in wb for r in ws.iter_rows() for c in r)


@pytest.fixture()
def survey(tmp_path):
    p = tmp_path / "survei.csv"
    p.write_text(HEAD + "\n".join(ROWS) + "\n")
    return p


def test_personal_columns_never_in_outputs(survey, tmp_path, capsys):
    out = tmp_path / "hasil.xlsx"
    code, *_ = run(capsys, "score", "ikm", survey, "--group", "layanan", "-o", out)
    assert code == 0
    text = _all_text(out)
    for value in PERSONAL + ("Oebobo",):
        assert value not in text
    assert "rehab" in text  # the declared group column is there


def test_keep_copies_only_the_named_columns(survey, tmp_path, capsys):
    out = tmp_path / "hasil.csv"
    code, *_ = run(capsys, "score", "ikm", survey, "--keep", "kelurahan", "-o", out)
    assert code == 0
    resp = pd.read_csv(out, dtype=str)
    assert resp["kelurahan"].tolist() == ["Oebobo", "Kelapa Lima"]
    assert "nama" not in resp.columns and "Budi Santoso" not in out.read_text()
    code, out_, err = run(capsys, "score", "ikm", survey, "--keep", "tidak_ada")
    assert code == 1 and "tidak_ada" in err


def test_pseudonymise_replaces_ids_everywhere_and_pairs(survey, tmp_path, capsys):
    post = tmp_path / "post.csv"
    # the post export has the ids as numbers without leading zeros: still one respondent
    post.write_text(HEAD + "\n".join(r.replace("007,", "7,", 1) for r in ROWS) + "\n")
    out = tmp_path / "pp.xlsx"
    code, stdout, err = run(
        capsys, "compare", "ikm", survey, post, "--pseudonymise", "kunci-rahasia-1", "-o", out
    )
    assert code == 0, err
    text = _all_text(out)
    assert pseudonym("007", "kunci-rahasia-1") in text
    assert pseudonym(7, "kunci-rahasia-1") == pseudonym("007", "kunci-rahasia-1")
    pairs = pd.read_excel(out, sheet_name=None)
    assert any(len(df) == 2 for name, df in pairs.items() if "pasangan" in name)
    assert "007" not in text.replace(pseudonym("007", "kunci-rahasia-1"), "")
    # another key, other pseudonyms
    assert pseudonym("007", "kunci-lain-22") != pseudonym("007", "kunci-rahasia-1")


def test_pseudonymise_library_keeps_missing_ids_missing():
    df = pd.DataFrame({"id": ["a1", None, " A1 "], "U1": [1, 2, 3]})
    out, col = pseudonymise(df, "kunci-rahasia-1", "id")
    assert col == "id" and pd.isna(out["id"].iloc[1])
    assert out["id"].iloc[0] == out["id"].iloc[2] == pseudonym("a1", "kunci-rahasia-1")
    assert df["id"].iloc[0] == "a1"  # the input frame is never modified
    with pytest.raises(PrivacyError):
        pseudonymise(df, "short", "id")


def test_keep_columns_by_row_number():
    data = pd.DataFrame(
        {"id": ["x", "y"], **{f"U{i}": [4, 3] for i in range(1, 10)}, "rt": ["01", "02"]}
    )
    data.index = pd.Index([5, 9], name="source_row")
    res = indeks.score("ikm", data, id_column="id")
    keep_columns(res, data, ["rt"])
    assert res.respondents["rt"].tolist() == ["01", "02"]


def test_xlsx_with_control_characters(tmp_path, capsys):
    p = tmp_path / "kobo.json"
    import json

    rows = [
        {"id": "r1", "U1": "a\u000bb", **{f"U{i}": 4 for i in range(2, 10)}},
        {"id": "r\u00002", **{f"U{i}": 3 for i in range(1, 10)}},
    ]
    p.write_text(json.dumps(rows))
    out = tmp_path / "hasil.xlsx"
    code, stdout, err = run(capsys, "score", "ikm", p, "-o", out)
    assert code == 0 and "Traceback" not in err
    text = _all_text(out)
    assert "a_x000B_b" in text and "r_x0000_2" in text  # OOXML escapes: Excel shows the char


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE + SIGXFSZ")
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_full_disk_is_one_clean_message(tmp_path, suffix):
    data = tmp_path / "besar.csv"
    n = 20000
    data.write_text(
        "id,"
        + ",".join(f"U{j}" for j in range(1, 10))
        + "\n"
        + "\n".join(
            f"r{i}," + ",".join(str((i + j) % 4 + 1) for j in range(1, 10)) for i in range(n)
        )
        + "\n"
    )
    out = tmp_path / f"hasil{suffix}"
    code = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, resource.RLIM_INFINITY))\n"
        "from indeks.cli import main\n"
        f"main(['score', 'ikm', {str(data)!r}, '-o', {str(out)!r}])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "Exception ignored" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert "File too large" in r.stderr and "Tidak ada berkas keluaran yang diubah" in " ".join(
        r.stderr.split()
    )
    assert not out.exists()
