"""indeks: survey-scoring engine for BNN questionnaire indices."""
from indeks._version import __version__

__all__ = ["__version__"]
