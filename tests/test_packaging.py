"""Every subpackage of indeks is listed in pyproject.toml (the list is kept by hand)."""

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_packaged():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {p for p in find_packages(str(ROOT), include=["indeks*"])}
    assert found <= listed, (
        f"add to pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"
    )


def test_py_typed_is_shipped():
    """PEP 561: the package says it is typed, and the marker travels in the wheel."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert (ROOT / "indeks" / "py.typed").is_file()
    assert "py.typed" in data["package-data"]["indeks"]
