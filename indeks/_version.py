"""The one version of the package: setuptools reads it (``[tool.setuptools.dynamic]`` in
pyproject.toml), ``indeks.__version__``, ``indeks --version`` and the outputs report it."""

__version__ = "0.2.0.dev0"
