"""Running the command line inside a test: one helper for every test file."""

from __future__ import annotations

import pytest

from indeks.cli import main


def run(capsys, *args) -> tuple[int, str, str]:
    """Run ``indeks ARGS``; (exit status, standard output, standard error)."""
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return exc.value.code or 0, out.out, out.err


def run_flat(capsys, *args) -> tuple[int, str]:
    """Run ``indeks ARGS``; (exit status, everything printed as one line of words)."""
    code, out, err = run(capsys, *args)
    return code, " ".join((out + err).split())
