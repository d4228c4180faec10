"""Issue 14 item 5: LKIP workspaces stay inside their folder (unless --allow-outside),
and non-finite, huge or negative figures are errors or explicit reasons, never exit 3."""

from __future__ import annotations

import math
import os
import shutil
import time
from pathlib import Path

import pytest
from cli_run import run
from indeks.lkip.capaian import capaian

from indeks.lkip import WorkspaceError, load_workspace

KUPANG = Path(__file__).resolve().parents[1] / "sample_data" / "kupang-2024"


@pytest.fixture()
def ws(tmp_path):
    d = tmp_path / "ws"
    shutil.copytree(KUPANG, d)
    return d


def _problems(path, **kw) -> str:
    with pytest.raises(WorkspaceError) as exc:
        load_workspace(path, **kw)
    return exc.value.text("en")


def test_files_outside_the_folder_refused_unless_allowed(ws, tmp_path):
    secret = tmp_path / "klien_lain.csv"
    shutil.copy(ws / "data" / "ikm.csv", secret)
    p = ws / "workspace-instruments.toml"
    p.write_text(p.read_text().replace('"data/ikm.csv"', f'"{secret}"'))
    text = _problems(p)
    assert "outside the workspace folder" in text and "--allow-outside" in text
    assert str(secret) in text
    load_workspace(p, allow_outside=True)  # the user's own workspace: allowed


def test_relative_escape_and_symlink_escape_refused(ws, tmp_path):
    (tmp_path / "luar.csv").write_text("x\n1\n")
    (ws / "data" / "link.csv").symlink_to(tmp_path / "luar.csv")
    p = ws / "workspace-instruments.toml"
    text = p.read_text()
    p.write_text(
        text.replace('"data/ikm.csv"', '"../luar.csv"').replace('"data/ikp.csv"', '"data/link.csv"')
    )
    problems = _problems(p)
    assert "../luar.csv" in problems and "data/link.csv" in problems


def test_mapping_instrument_and_extends_outside_refused(ws, tmp_path):
    (tmp_path / "base.toml").write_text((ws / "workspace.toml").read_text())
    p = ws / "w.toml"
    p.write_text(
        (ws / "workspace-instruments.toml")
        .read_text()
        .replace('extends = "workspace.toml"', f'extends = "{tmp_path / "base.toml"}"')
    )
    assert "extends" in _problems(p)
    p.write_text(
        (ws / "workspace-instruments.toml")
        .read_text()
        .replace('instrument = "ikp"', 'instrument = "../def.toml"\nmapping = "/etc/passwd.csv"')
    )
    problems = _problems(p)
    assert ".instrument: " in problems and ".mapping: /etc/passwd.csv is outside" in problems


def test_extends_dev_zero_refused_quickly(ws, capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    (ws / "zero.toml").symlink_to("/dev/zero")
    p = ws / "w.toml"
    p.write_text('extends = "zero.toml"\n')
    t0 = time.monotonic()
    assert "zero.toml is outside the workspace folder" in _problems(p)  # the link is followed
    assert "not a regular file" in _problems(p, allow_outside=True)
    p.write_text('extends = "/dev/zero"\n')
    code, out, err = run(capsys, "lkip", "check", p, "--allow-outside", "--lang", "en")
    assert code == 1 and "not a regular file" in " ".join(err.split())
    assert time.monotonic() - t0 < 10


@pytest.mark.parametrize(
    ("literal", "needle"),
    [
        ("inf", "is not a finite number"),
        ("nan", "is not a finite number"),
        ("1e308", "larger than 1e+15"),
        ("1" + "0" * 400, "401-digit"),
    ],
)
def test_non_finite_and_huge_targets_are_errors(ws, capsys, literal, needle):
    p = ws / "workspace.toml"
    p.write_text(p.read_text().replace("target = 81.339", f"target = {literal}", 1))
    code, out, err = run(capsys, "lkip", "check", p, "--lang", "en")
    text = " ".join(err.split())
    assert code == 1 and needle in text and "indicators[1].target" in text, text
    assert "Traceback" not in out + err


def test_non_finite_value_and_printed_figure_are_errors(ws):
    p = ws / "workspace.toml"
    p.write_text(p.read_text().replace("value = 84.38", "value = -inf", 1))
    assert "is not a finite number" in _problems(p)
    p.write_text((KUPANG / "workspace.toml").read_text().replace('"97,98%"', '"1e999999999"', 1))
    assert "not a finite number" in _problems(p)


def test_negative_target_gives_no_capaian_with_reason(ws, capsys):
    p = ws / "workspace.toml"
    p.write_text(p.read_text().replace("target = 81.339", "target = -5", 1))
    code, out, err = run(capsys, "lkip", "build", p, "-o", ws / "out", "--lang", "en")
    assert "Traceback" not in out + err
    assert "target is negative (-5); no capaian" in " ".join(out.split())


def test_capaian_rules():
    assert capaian(10, -5).value is None and "negatif" in capaian(10, -5).reason
    assert capaian(math.inf, 5).value is None
    assert capaian(5, math.nan).value is None  # a NaN target reads as missing
    assert capaian(10**400, 5).value is None
    v = capaian(-2, 5, lang="en")
    assert v.value == pytest.approx(-40.0) and "realisasi is negative" in v.note
    assert capaian(84.38, 81.339).value == pytest.approx(84.38 / 81.339 * 100)
