"""Startup: nothing heavy is imported until a command needs it."""

from __future__ import annotations

import json
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
