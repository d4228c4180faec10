"""Read a multipart upload from the request stream into a temporary directory.

Why not ``request.form()``: Starlette spools uploaded files into its own temporary
files before the handler sees them, so a size limit could only be checked *after*
the whole file was received and stored. Here every byte is counted while it
arrives; a file over the limit is abandoned at once (its partial data deleted) and
nothing of it is written beyond the limit. File parts are written under
server-chosen names (``<field>-<random><suffix>``); the client's file name is kept
only as display text, and the suffix only after it was checked against a list.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from indeks.errors import IndeksError

MAX_FIELD_BYTES = 64 * 1024
MAX_PARTS = 32
MAX_NAME = 120  # characters of a client file name kept for display


class UploadTooLarge(IndeksError):
    def __init__(self, client_name: str, limit_bytes: int):
        super().__init__(client_name)
        self.client_name = client_name
        self.limit_bytes = limit_bytes


class BadExtension(IndeksError):
    def __init__(self, client_name: str, suffix: str, allowed: tuple[str, ...]):
        super().__init__(client_name)
        self.client_name = client_name
        self.suffix = suffix
        self.allowed = allowed


class UploadTimeout(IndeksError):
    """The client stopped sending the body (no data for the body timeout)."""


class BadForm(IndeksError):
    """The request is not a well-formed form upload."""


@dataclass
class UploadedFile:
    field: str
    client_name: str  # display text only, never a path
    path: Path  # server-chosen name inside the temporary directory
    size: int = 0


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(raw: str) -> str:
    """The client's file name as safe display text: last path component, no control characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = _CONTROL.sub("", name).strip()
    if len(name) > MAX_NAME:  # cut the middle, keep the extension (it decides the reader)
        suffix = suffix_of(name)
        name = name[: MAX_NAME - len(suffix) - 1] + "\u2026" + suffix
    return name or "-"


def suffix_of(name: str) -> str:
    m = re.search(r"(\.[A-Za-z0-9]{1,10})$", name or "")
    return m.group(1).lower() if m else ""


async def read_upload(
    request,
    dest: Path,
    max_file_bytes: int,
    max_total_bytes: int,
    allowed: dict[str, tuple[str, ...]],
    progress: dict | None = None,
    body_timeout: float | None = None,
) -> Upload:
    """Parse the multipart body of ``request`` into ``dest``.

    ``allowed`` maps a file field name to the suffixes accepted for it; files sent
    under any other field name are dropped. Raises :class:`UploadTooLarge`,
    :class:`BadExtension` or :class:`BadForm`. ``progress["done"]`` tells whether the
    whole body was received (see :func:`drain`). ``body_timeout``: seconds the body
    may stall between two pieces (:class:`UploadTimeout`).
    """
    progress = {} if progress is None else progress
    ctype = request.headers.get("content-type", "")
    kind, params = parse_options_header(ctype)
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise BadForm("multipart/form-data expected")
    declared_charset: bytes = params.get(b"charset", b"utf-8")
    try:
        charset = codecs.lookup(declared_charset.decode("latin-1")).name
    except LookupError:
        charset = "utf-8"
    try:
        declared = int(request.headers.get("content-length", "0") or 0)
    except ValueError:
        declared = 0
    if declared > max_total_bytes:
        raise UploadTooLarge("", max_file_bytes)  # said so in advance: nothing is read

    out = Upload()
    state: dict = {
        "hname": b"",
        "hvalue": b"",
        "disp": b"",
        "name": None,
        "file": None,
        "fh": None,
        "buf": bytearray(),
        "skip": False,
        "parts": 0,
    }
    error: list[BaseException] = []

    def fail(exc: BaseException) -> None:
        if not error:
            error.append(exc)
        raise exc

    def on_part_begin() -> None:
        state.update(
            hname=b"",
            hvalue=b"",
            disp=b"",
            name=None,
            file=None,
            fh=None,
            buf=bytearray(),
            skip=False,
        )
        state["parts"] += 1
        if state["parts"] > MAX_PARTS:
            fail(BadForm("too many parts"))

    def on_header_field(data, start, end) -> None:
        state["hname"] += data[start:end]

    def on_header_value(data, start, end) -> None:
        state["hvalue"] += data[start:end]

    def on_header_end() -> None:
        if state["hname"].strip().lower() == b"content-disposition":
            state["disp"] = state["hvalue"]
        state["hname"], state["hvalue"] = b"", b""

    def on_headers_finished() -> None:
        _, opts = parse_options_header(state["disp"])
        if b"name" not in opts:
            fail(BadForm("part without a name"))
        name = opts[b"name"].decode(charset, "replace")
        state["name"] = name
        if b"filename" in opts:
            client = display_name(opts[b"filename"].decode(charset, "replace"))
            if name not in allowed or not opts[b"filename"]:
                state["skip"] = True  # unknown field or no file chosen
                return
            suffix = suffix_of(client)
            if suffix not in allowed[name]:
                fail(BadExtension(client, suffix, allowed[name]))
            path = dest / f"{re.sub(r'[^a-z]', '', name)[:10]}-{secrets.token_hex(8)}{suffix}"
            up = UploadedFile(field=name, client_name=client, path=path)
            state["file"] = up
            state["fh"] = open(path, "xb")

    def on_part_data(data, start, end) -> None:
        if state["skip"]:
            return
        chunk = data[start:end]
        up = state["file"]
        if up is None:
            if len(state["buf"]) + len(chunk) > MAX_FIELD_BYTES:
                fail(BadForm("form field too long"))
            state["buf"].extend(chunk)
            return
        if up.size + len(chunk) > max_file_bytes:
            state["fh"].close()
            state["fh"] = None
            up.path.unlink(missing_ok=True)
            fail(UploadTooLarge(up.client_name, max_file_bytes))
        up.size += len(chunk)
        state["fh"].write(chunk)

    def on_part_end() -> None:
        if state["skip"]:
            return
        up = state["file"]
        if up is None:
            if state["name"] is not None:
                out.fields[state["name"]] = bytes(state["buf"]).decode(charset, "replace")
            return
        state["fh"].close()
        state["fh"] = None
        out.files[up.field] = up

    parser = MultipartParser(
        params[b"boundary"],
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
        },
    )
    total = 0
    try:
        while not progress.get("done"):
            try:
                msg = await asyncio.wait_for(request.receive(), body_timeout)
            except TimeoutError:
                progress["done"] = True  # nothing more will be read
                raise UploadTimeout() from None
            if msg["type"] != "http.request":  # the client went away
                progress["done"] = True
                raise BadForm("client disconnected")
            chunk = msg.get("body", b"")
            if not msg.get("more_body", False):
                progress["done"] = True
            total += len(chunk)
            if total > max_total_bytes:
                raise UploadTooLarge(
                    state["file"].client_name if state["file"] else "", max_file_bytes
                )
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except (UploadTooLarge, BadExtension, BadForm, UploadTimeout):
        raise
    except FormParserError as exc:
        if error:
            raise error[0] from None
        raise BadForm(str(exc)) from None
    except Exception:
        if error:
            raise error[0] from None
        raise
    finally:
        if state.get("fh") is not None:
            state["fh"].close()
    return out


async def drain(request, limit_bytes: int, progress: dict) -> None:
    """Read and discard what is left of the request body (up to ``limit_bytes``).

    Answering before the client finished sending makes browsers show a "connection
    reset" page instead of our message; a body beyond ``limit_bytes`` is not waited for.
    """
    if progress.get("done"):
        return
    seen = 0
    try:
        while seen <= limit_bytes:
            msg = await request.receive()
            if msg.get("type") != "http.request":
                return
            seen += len(msg.get("body", b""))
            if not msg.get("more_body", False):
                progress["done"] = True
                return
    except Exception:  # pragma: no cover - client went away
        return
