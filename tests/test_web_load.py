"""Issue 14: a bounded load test of the real server on loopback (uvicorn in a subprocess).

- 50 uploads at once: every one is answered with its own result, and all 50 results are
  still there afterwards (kept by age, 30 minutes, not evicted by the 8 newest).
- 1,000 idle connections (connected, never sending a byte) do not stop a new upload.
- The server's peak memory (VmHWM) stays under 800 MiB.
Bounds: the test stops the server itself; every network call has a timeout; the test
takes about 10-30 s on two cores.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

MEMORY_BOUND_MB = 800
HEAD = "id," + ",".join(f"U{i}" for i in range(1, 10))


def _csv(i: int) -> bytes:
    rows = [f"r{i}-{k}," + ",".join(str(1 + (i + k + j) % 4) for j in range(9)) for k in range(20)]
    return (HEAD + "\n" + "\n".join(rows) + "\n").encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    port = _free_port()
    code = (
        "from indeks.web.app import run; "
        f"run(host='127.0.0.1', port={port}, header_timeout=60, upload_dir={str(tmp_path)!r})"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _upload(base: str, i: int) -> str:
    r = httpx.post(
        base + "/score",
        data={"instrument": "ikm", "mode": "single", "lang": "id", "id_column": "id"},
        files={"data": (f"unit-{i}.csv", _csv(i), "text/csv")},
        timeout=120,
        follow_redirects=False,
    )
    assert r.status_code == 303, (r.status_code, r.text[:300])
    return r.headers["location"].split("?")[0]


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_concurrent_uploads_and_idle_connections(server):
    base, proc = server
    with ThreadPoolExecutor(50) as pool:
        links = list(pool.map(lambda i: _upload(base, i), range(50)))
    assert len(set(links)) == 50
    # every officer's result page is still there, with their own file name
    for i, link in enumerate(links):
        r = httpx.get(base + link, timeout=30)
        assert r.status_code == 200 and f"unit-{i}.csv" in r.text

    idle = []
    try:
        for _ in range(1000):
            s = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=5)
            idle.append(s)
        t0 = time.monotonic()
        link = _upload(base, 99)
        assert time.monotonic() - t0 < 20
        assert httpx.get(base + link, timeout=30).status_code == 200
    finally:
        for s in idle:
            s.close()
    assert httpx.get(base + links[0], timeout=30).status_code == 200
    assert _peak_mb(proc.pid) < MEMORY_BOUND_MB


def test_idle_connection_closed_after_header_timeout(tmp_path):
    port = _free_port()
    code = (
        "from indeks.web.app import run; "
        f"run(host='127.0.0.1', port={port}, header_timeout=1, upload_dir={str(tmp_path)!r})"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        s.settimeout(10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the head is never finished
        t0 = time.monotonic()
        assert s.recv(100) == b""  # closed by the server
        assert time.monotonic() - t0 < 5
        s.close()
    finally:
        proc.terminate()
        proc.wait(10)
