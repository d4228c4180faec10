"""Startup: nothing heavy is imported until a command needs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"

# Runs the CLI in a fresh interpreter and prints which top-level packages got imported.
RUN = r"""
import json, sys
sys.argv = ["indeks"] + sys.argv[1:]
from indeks.cli import main
try:
    main()
except SystemExit as e:
    if e.code not in (0, None):
        raise
print("\nMODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _modules(*args: str) -> set[str]:
    r = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr[-2000:]
    line = [x for x in r.stdout.splitlines() if x.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES ") :]))


def test_score_does_not_import_scipy_matplotlib_or_the_web_stack(tmp_path):
    mods = _modules(
        "score",
        "whoqol-bref",
        str(SAMPLES / "whoqol" / "clean.csv"),
        "-o",
        str(tmp_path / "out.csv"),
    )
    assert "pandas" in mods  # the job really ran
    assert (tmp_path / "out.csv").exists()
    assert not mods & {"scipy", "matplotlib", "starlette", "uvicorn", "jinja2"}


def test_help_imports_neither_pandas_nor_scipy():
    mods = _modules("--help")
    assert "typer" in mods
    assert not mods & {"pandas", "scipy", "matplotlib", "numpy", "pyarrow"}


def test_import_indeks_is_light_and_names_resolve():
    code = (
        "import sys, indeks; before = {m.split('.')[0] for m in sys.modules}; "
        "assert 'pandas' not in before and 'scipy' not in before, before; "
        "assert callable(indeks.score) and callable(indeks.compare); "
        "assert 'scipy' not in {m.split('.')[0] for m in sys.modules}; "
        "assert set(indeks.__all__) <= set(dir(indeks)); print('ok')"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "ok", r.stderr[-2000:]


GC_RUN = r"""
import gc, json, sys
sys.argv = ["indeks"] + sys.argv[1:]
import indeks.cli as cli
seen = []
real = cli._modules_loaded
def spy():
    seen.append(["before", gc.isenabled(), "pandas" in sys.modules])
    real()
    seen.append(["after", gc.isenabled(), gc.get_freeze_count() > 0])
cli._modules_loaded = spy
try:
    cli.main()
except SystemExit as e:
    if e.code not in (0, None):
        raise
print("\nGC " + json.dumps({"seen": seen, "enabled": gc.isenabled()}))
"""


def _gc_run(*args: str) -> dict:
    r = subprocess.run(
        [sys.executable, "-c", GC_RUN, *args], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr[-2000:]
    line = [x for x in r.stdout.splitlines() if x.startswith("GC ")][-1]
    return json.loads(line[len("GC ") :])


def test_collector_paused_while_a_command_imports_then_resumed(tmp_path):
    got = _gc_run(
        "score", "whoqol-bref", str(SAMPLES / "whoqol" / "clean.csv"), "-o", str(tmp_path / "o.csv")
    )
    # paused while pandas was imported, resumed (with the imported objects frozen)
    # before any data was read, and left running when main() returned
    assert got["seen"] == [["before", False, True], ["after", True, True]]
    assert got["enabled"] is True
    assert (tmp_path / "o.csv").exists()


def test_collector_resumed_once_lkip_build_has_imported(tmp_path):
    ws = SAMPLES / "kupang-2024" / "workspace.toml"
    got = _gc_run("lkip", "build", str(ws), "-o", str(tmp_path / "out"))
    assert got["seen"][0][:2] == ["before", False]
    assert got["seen"][1][:2] == ["after", True]
    assert got["enabled"] is True


def test_collector_resumed_after_a_command_that_loads_nothing():
    got = _gc_run("version")
    assert got == {"seen": [], "enabled": True}


def test_command_line_keeps_numpy_blas_to_one_thread_unless_the_user_set_it():
    code = (
        "import os, sys; sys.argv = ['indeks', 'version']; import indeks.cli as c\n"
        "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
        "print('BLAS', os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.strip().splitlines()[-1] == "BLAS 1", r.stderr[-2000:]
    env["OPENBLAS_NUM_THREADS"] = "2"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.strip().splitlines()[-1] == "BLAS 2", r.stderr[-2000:]
