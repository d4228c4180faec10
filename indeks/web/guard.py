"""What keeps the shared web page usable when several officers (or a hostile page) use it.

- :class:`JobGate`: at most ``max_jobs`` scoring jobs run at once; up to ``max_waiting``
  more wait their turn ("antre", the browser keeps loading); beyond that the request
  is answered at once with 503 and ``Retry-After``.
- :class:`AccessGuard` (ASGI middleware): a ``Host`` allow-list (DNS rebinding),
  a same-origin check on POST (cross-site form posts), and, when the page is
  reachable from the network, an access token asked by the browser (HTTP Basic
  authentication; any user name, the token as password).
- :func:`deadline_protocol`: a uvicorn HTTP protocol class that closes a connection
  which has not sent a complete request head within ``header_timeout`` seconds
  (uvicorn's own keep-alive timer is reset by every byte, so a client trickling
  bytes, or never sending any, would otherwise hold a connection for ever).
- :func:`log_internal`: logs an internal error by type and code location only, never
  the message (a message may quote a cell of an upload).
"""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
import threading
import traceback
from urllib.parse import parse_qs, urlsplit

from indeks.i18n import LANGS
from indeks.web.texts import tr

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class Busy(Exception):
    """Every job slot and waiting place is taken."""

    def __init__(self, waiting: int):
        super().__init__(waiting)
        self.waiting = waiting


class JobGate:
    """A bounded number of concurrent jobs with a bounded queue.

    Waiting is asynchronous (a waiting upload holds no worker thread), and the gate is
    not tied to one event loop.
    """

    def __init__(self, max_jobs: int = 2, max_waiting: int = 64, max_wait_seconds: float = 600.0):
        self.max_jobs = max(1, int(max_jobs))
        self.max_waiting = max(0, int(max_waiting))
        self.max_wait_seconds = max_wait_seconds
        self._lock = threading.Lock()
        self.running = 0
        self.waiting = 0

    def enter(self) -> None:
        """Reserve a place (raises :class:`Busy` at once when the queue is full)."""
        with self._lock:
            if self.running + self.waiting >= self.max_jobs + self.max_waiting:
                raise Busy(self.waiting)
            self.waiting += 1

    def _try_start(self) -> bool:
        with self._lock:
            if self.running < self.max_jobs:
                self.waiting -= 1
                self.running += 1
                return True
            return False

    def leave(self) -> None:
        with self._lock:
            self.running -= 1

    async def run(self, fn, *args):
        """Wait for a slot (after :meth:`enter`), then run ``fn`` in a worker thread."""
        import asyncio
        import time

        from starlette.concurrency import run_in_threadpool

        start = time.monotonic()
        try:
            while not self._try_start():
                if time.monotonic() - start > self.max_wait_seconds:
                    raise Busy(self.waiting)
                await asyncio.sleep(0.05)
        except BaseException:
            with self._lock:
                self.waiting -= 1
            raise
        try:
            return await run_in_threadpool(fn, *args)
        finally:
            self.leave()


def host_of(value: str) -> str:
    """The host name of a ``Host`` header or netloc, without port, lower case."""
    value = (value or "").strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def refusal_lang(query_string: bytes, accept_language: str) -> str:
    """The language of a refusal sent before the page is reached: the ``lang`` of the
    address (``?lang=en``), else the browser's first language when it is id or en, else
    Bahasa Indonesia."""
    query = parse_qs(query_string.decode("latin-1"))
    wanted = [*query.get("lang", [])[:1], accept_language.split(",")[0].split(";")[0]]
    for lang in wanted:
        code = lang.strip().lower().split("-")[0]
        if code in LANGS:
            return code
    return "id"


def _plain(status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None):
    body = text.encode("utf-8")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *(extra or []),
    ]
    return status, headers, body


class AccessGuard:
    """Pure ASGI middleware: Host allow-list, same-origin POST, optional access token."""

    def __init__(self, app, allowed_hosts=LOCAL_HOSTS, token: str | None = None):
        self.app = app
        hosts = tuple(h.strip().lower().strip("[]") for h in (allowed_hosts or ()) if h.strip())
        self.any_host = "*" in hosts
        self.hosts = frozenset(hosts)
        self.token = token or None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {}
        for k, v in scope.get("headers", []):
            headers.setdefault(k.decode("latin-1").lower(), v.decode("latin-1"))
        host_header = headers.get("host", "")
        lang = refusal_lang(scope.get("query_string", b""), headers.get("accept-language", ""))
        refusal = None
        if not self.any_host and host_of(host_header) not in self.hosts:
            host = host_of(host_header)[:100] or "-"
            refusal = _plain(400, tr("refused_host", lang, host=host))
        elif self.token and not self._authorised(headers.get("authorization", "")):
            refusal = _plain(
                401,
                tr("refused_token", lang),
                [(b"www-authenticate", b'Basic realm="indeks", charset="UTF-8"')],
            )
        elif scope.get("method") == "POST" and not self._same_origin(headers, host_header):
            refusal = _plain(403, tr("refused_origin", lang))
        if refusal is None:
            return await self.app(scope, receive, send)
        status, hdrs, body = refusal
        await send({"type": "http.response.start", "status": status, "headers": hdrs})
        await send({"type": "http.response.body", "body": body})

    def _authorised(self, value: str) -> bool:
        scheme, _, data = value.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(data.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return False
        _, _, password = decoded.partition(":")
        return secrets.compare_digest(password.encode(), (self.token or "").encode())

    @staticmethod
    def _same_origin(headers: dict, host_header: str) -> bool:
        origin = headers.get("origin")
        if origin is None:
            referer = headers.get("referer")
            if not referer:
                return True  # not a browser form post (curl, scripts): nothing to compare
            origin = referer
        if origin.strip().lower() == "null":
            return False
        parts = urlsplit(origin.strip())
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()


def deadline_protocol(header_timeout: float = 20.0):
    """A uvicorn (h11) protocol class closing connections whose request head is late."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadlineProtocol(H11Protocol):
        _deadline = None
        _seen_cycle = None

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(header_timeout, self._expired)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expired(self) -> None:
            self._deadline = None
            if self.cycle is None or self.cycle.response_complete:
                if not self.transport.is_closing():
                    self.transport.close()

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not None and self.cycle is not self._seen_cycle:
                self._seen_cycle = self.cycle  # a complete request head arrived
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request on this connection has its own deadline

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderDeadlineProtocol


def log_internal(log: logging.Logger, where: str, exc: BaseException) -> None:
    """Log an internal error without its message (which may quote uploaded data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    trail = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[-6:][::-1]
    )
    log.error("internal error while %s: %s at %s", where, type(exc).__name__, trail or "-")
