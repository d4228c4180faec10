"""Exceptions that mean "this input cannot be used" (exit status 1 in the CLI).

Each carries one clear paragraph for the user; none should ever surface as a traceback.
"""
from __future__ import annotations


class IndeksError(ValueError):
    """Base class of every error whose message is meant for the user."""


class ScoringInputError(IndeksError):
    """The data cannot be scored at all (e.g. no item column recognised)."""
