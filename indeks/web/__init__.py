"""A local web page for field officers: upload an export, see the index, download results.

``indeks serve`` calls :func:`run`; tests and embedders use :func:`create_app`.
Server-rendered (Starlette + Jinja2), works offline, binds 127.0.0.1 by default.
"""

from __future__ import annotations

__all__ = ["create_app", "run"]


def create_app(
    max_upload_mb: float = 20, allowed_extensions: tuple[str, ...] | None = None, **kwargs
):
    """The ASGI app (see :func:`indeks.web.app.create_app` for the keyword options)."""
    from indeks.web.app import create_app as _create

    return _create(max_upload_mb=max_upload_mb, allowed_extensions=allowed_extensions, **kwargs)


def run(host: str = "127.0.0.1", port: int = 8000, max_upload_mb: float = 20.0, **options) -> None:
    """Serve the page with uvicorn until Ctrl+C (see :func:`indeks.web.app.run`)."""
    from indeks.web.app import run as _run

    _run(host=host, port=port, max_upload_mb=max_upload_mb, **options)
