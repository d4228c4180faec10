"""Exceptions that mean "this input cannot be used" (exit status 1 in the CLI).

Each carries one clear paragraph for the user; none should ever surface as a traceback.
"""

from __future__ import annotations


class IndeksError(ValueError):
    """Base class of every error whose message is meant for the user."""


class FileError(IndeksError):
    """A file that cannot be read or written; ``message`` is one readable paragraph,
    ``path`` the file concerned."""

    def __init__(self, message: str, path=None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)

    def __str__(self) -> str:
        return self.message


class ScoringInputError(IndeksError):
    """The data cannot be scored at all (e.g. no item column recognised)."""
