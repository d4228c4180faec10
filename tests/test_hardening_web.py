"""Issue 14 item 6: the web page shared by several officers.

Results kept by age and memory (not a count of 8), a bounded job queue with 503 +
Retry-After, a body read timeout, Host allow-list and same-origin POST, an access
token for network binds, long file names keeping their extension, no upload data in logs.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import warnings

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)

from starlette.testclient import TestClient  # noqa: E402

from indeks.cli import main  # noqa: E402
from indeks.web import create_app  # noqa: E402
from indeks.web.app import AccessError, serve_options  # noqa: E402
from indeks.web.guard import log_internal  # noqa: E402
from indeks.web.store import ResultStore  # noqa: E402
from indeks.web.upload import UploadTimeout, display_name, read_upload  # noqa: E402

LOCAL = "http://127.0.0.1"
HEAD = "id," + ",".join(f"U{i}" for i in range(1, 10))
CSV = (HEAD + "\nr1," + ",".join(["4"] * 9) + "\nr2," + ",".join(["3"] * 9) + "\n").encode()


def upload(client, name="survei.csv", body=CSV, headers=None):
    return client.post(
        "/score?lang=id",
        data={"instrument": "ikm", "mode": "single", "lang": "id"},
        files={"data": (name, body, "text/csv")},
        headers=headers or {},
        follow_redirects=False,
    )


@pytest.fixture()
def client(tmp_path):
    return TestClient(
        create_app(upload_dir=tmp_path), raise_server_exceptions=False, base_url=LOCAL
    )


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_store_keeps_results_by_age_not_by_count():
    clock = Clock()
    store = ResultStore(ttl=1800, max_bytes=10**9, sizeof=lambda v: 1000, clock=clock)
    tokens = [store.put(i) for i in range(50)]  # before the fix only the last 8 survived
    clock.t = 1799
    assert [store.get(t) for t in tokens] == list(range(50))
    clock.t = 1799 + 1801
    assert store.get(tokens[0]) is None
    assert store.why_gone(tokens[0]) == "age"
    assert store.nbytes == 0 and len(store) == 0


def test_store_drops_least_recently_opened_beyond_memory():
    store = ResultStore(ttl=1800, max_bytes=3000, sizeof=lambda v: 1000, clock=Clock())
    a, b, c = store.put("a"), store.put("b"), store.put("c")
    store.get(a)  # a is now the most recently opened
    d = store.put("d")
    assert store.get(b) is None and store.why_gone(b) == "memory"
    assert [store.get(t) for t in (a, c, d)] == ["a", "c", "d"]
    assert store.why_gone("never-issued") is None


def test_expired_page_says_why(client):
    r = client.get("/result/abcdefabcdef")
    assert r.status_code == 404
    assert "30 menit" in r.text and "kedaluwarsa" in r.text


def test_host_allow_list(client):
    assert client.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"host": "localhost"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8000"}).status_code == 200
    r = client.get("/", headers={"host": "rebind.attacker.example"})
    assert r.status_code == 400 and "--allow-host" in r.text


def test_cross_site_post_refused(client):
    r = upload(client, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    r = upload(client, headers={"origin": "null"})
    assert r.status_code == 403
    r = upload(client, headers={"referer": "http://evil.example/page"})
    assert r.status_code == 403
    r = upload(client, headers={"origin": "http://127.0.0.1"})
    assert r.status_code == 303
    assert upload(client).status_code == 303  # no Origin: a script, not a browser form


def test_access_token(tmp_path):
    app = create_app(upload_dir=tmp_path, allowed_hosts=("*",), access_token="rahasia-123")
    c = TestClient(app, raise_server_exceptions=False, base_url="http://192.168.1.5:8000")
    r = c.get("/")
    assert r.status_code == 401 and "Basic" in r.headers["www-authenticate"]
    bad = base64.b64encode(b"x:salah").decode()
    assert c.get("/", headers={"authorization": f"Basic {bad}"}).status_code == 401
    good = base64.b64encode(b"petugas:rahasia-123").decode()
    assert c.get("/", headers={"authorization": f"Basic {good}"}).status_code == 200


def test_network_bind_needs_a_token(monkeypatch, capsys):
    monkeypatch.delenv("INDEKS_TOKEN", raising=False)
    with pytest.raises(AccessError):
        serve_options("0.0.0.0")
    with pytest.raises(AccessError):
        serve_options("0.0.0.0", token="short")
    opts = serve_options("0.0.0.0", token="rahasia-123", allow_hosts=("kantor.lan",))
    assert opts["access_token"] == "rahasia-123" and "kantor.lan" in opts["allowed_hosts"]
    assert serve_options("127.0.0.1")["access_token"] is None
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--host", "0.0.0.0", "--port", "1"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "INDEKS_TOKEN" in err and "Traceback" not in err


def test_long_file_name_keeps_its_extension(client):
    name = "Rekap survei kepuasan layanan rehabilitasi " * 4 + ".csv"
    assert len(name) > 121
    shown = display_name(name)
    assert len(shown) <= 120 and shown.endswith(".csv")
    r = upload(client, name=name)
    assert r.status_code == 303, r.text


def test_busy_answers_503_with_retry_after(tmp_path):
    app = create_app(upload_dir=tmp_path, max_jobs=1, max_waiting=0)
    c = TestClient(app, raise_server_exceptions=False, base_url=LOCAL)
    app.state.gate.enter()  # another upload holds the only place
    r = upload(c)
    assert r.status_code == 503 and r.headers["retry-after"] == "15"
    assert "sibuk" in r.text


def test_body_read_timeout():
    class Stalled:
        headers = {"content-type": "multipart/form-data; boundary=xyz"}

        async def receive(self):
            await asyncio.sleep(3600)

    async def go():
        return await read_upload(Stalled(), None, 10, 10, {}, {}, body_timeout=0.2)

    with pytest.raises(UploadTimeout):
        asyncio.run(asyncio.wait_for(go(), 5))


def test_internal_errors_logged_without_uploaded_values(caplog):
    try:
        raise ValueError("NIK 3271046504930002 Budi")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="t"):
            log_internal(logging.getLogger("t"), "scoring an upload", exc)
    assert "ValueError" in caplog.text and "3271046504930002" not in caplog.text


def test_guard_refusals_in_one_language_chosen_by_the_address_or_browser(client):
    evil = {"host": "rebind.attacker.example"}
    r = client.get("/", headers=evil)
    assert r.text == (
        "Nama host tidak diizinkan: rebind.attacker.example (indeks serve --allow-host NAMA)"
    )
    r = client.get("/?lang=en", headers=evil)
    assert (
        r.text == "Host name not allowed: rebind.attacker.example (indeks serve --allow-host NAME)"
    )
    r = client.get("/", headers={**evil, "accept-language": "en-GB,en;q=0.8"})
    assert r.text.startswith("Host name not allowed: ")
    r = client.get("/?lang=id", headers={**evil, "accept-language": "en-GB"})
    assert r.text.startswith("Nama host tidak diizinkan: ")
    r = upload(client, headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and r.text == "Formulir dikirim dari halaman lain; ditolak."
    r = client.post("/score?lang=en", headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and r.text == "The form was sent from another site; refused."


def test_access_token_refusal_language(tmp_path):
    app = create_app(upload_dir=tmp_path, allowed_hosts=("*",), access_token="rahasia-123")
    c = TestClient(app, raise_server_exceptions=False, base_url="http://192.168.1.5:8000")
    assert c.get("/").text == "Kata sandi akses diperlukan."
    assert c.get("/?lang=en").text == "Access token required."
