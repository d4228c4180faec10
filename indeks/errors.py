"""Exceptions that mean "this input cannot be used" (exit status 1 in the CLI).

Every error meant for a user derives from :class:`IndeksError` (definition, workspace,
file, scoring input, unknown instrument, LKIP source, web upload), so one ``except
IndeksError`` catches them all. Each carries one clear paragraph; none should ever
surface as a traceback.
"""

from __future__ import annotations


class IndeksError(ValueError):
    """Base class of every error whose message is meant for the user.

    ``IndeksError("one text")``, or ``IndeksError(texts={"id": ..., "en": ...})`` for a
    message known in both languages (``str()`` gives Bahasa Indonesia, :meth:`text` the
    language asked for).
    """

    def __init__(self, *args: object, texts: dict[str, str] | None = None):
        self.texts = texts
        if texts is not None and not args:
            args = (texts["id"],)
        super().__init__(*args)

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` where the error knows both languages; else ``str(self)``."""
        texts = getattr(self, "texts", None)
        if texts:
            from indeks.i18n import tr

            return tr(texts, lang)
        return str(self)


class CatalogueError(IndeksError):
    """An error whose message is entry ``key`` of :data:`indeks.messages.MESSAGES`, so it
    can be shown in either language (``str()`` gives Bahasa Indonesia)."""

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(self.text("id"))

    def text(self, lang: str | None = None) -> str:
        from indeks.messages import message

        return message(self.key, lang, **self.values)


class FileError(IndeksError):
    """A file that cannot be read or written; ``message`` is one readable paragraph,
    ``path`` the file concerned."""

    def __init__(self, message: str, path: object = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)

    def __str__(self) -> str:
        return self.message


class ScoringInputError(IndeksError):
    """The data cannot be scored at all (e.g. no item column recognised)."""


__all__ = ["CatalogueError", "FileError", "IndeksError", "ScoringInputError"]
