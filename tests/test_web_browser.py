"""End to end in a real headless browser: Playwright driving Debian's Chromium.

Skipped only when /usr/bin/chromium is absent (CI installs it with
``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("INDEKS_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[1]
IKM_XLSX = ROOT / "sample_data" / "ikm" / "google_forms.xlsx"
IKM_MAP = ROOT / "sample_data" / "ikm" / "google_forms_map.csv"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install -y chromium)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    import uvicorn

    from indeks.web import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def test_ikm_upload_result_and_download(server, browser, tmp_path):
    import openpyxl

    import indeks
    from indeks.numbers import format_half_up

    lib = indeks.score("ikm", indeks.read_responses(IKM_XLSX), mapping=IKM_MAP)
    s = lib.summary.iloc[0]
    prec = lib.precision()

    ctx = browser.new_context(accept_downloads=True)
    page = ctx.new_page()
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    assert page.locator("h1, legend").first.is_visible()
    page.check("input[name=instrument][value=ikm]")
    page.set_input_files("#f-data", str(IKM_XLSX))
    page.set_input_files("#f-mapping", str(IKM_MAP))
    assert page.locator("#f-pre").is_hidden()  # one-file mode hides the pre/post inputs
    with page.expect_navigation():
        page.click("#submit")
    assert "/result/" in page.url

    index_text = page.inner_text("#big-index .big-value").strip()
    conv_text = page.inner_text("#big-index_converted .big-value").strip()
    cat_code = page.inner_text("#big-category .big-value").strip()
    cat_label = page.inner_text("#big-category .big-sub").strip()
    assert index_text == format_half_up(s["index"], prec["index"])
    assert conv_text == format_half_up(s["index_converted"], prec["index_converted"])
    assert (cat_code, cat_label) == (s["category_code"], s["category"])
    # the chart image loaded (same origin, allowed by the CSP)
    assert page.evaluate(
        "() => { const i = document.querySelector('.chart img'); return i.complete && i.naturalWidth > 0; }"
    )

    with page.expect_download() as dl_info:
        page.click("#dl-xlsx")
    target = tmp_path / dl_info.value.suggested_filename
    dl_info.value.save_as(target)
    assert target.suffix == ".xlsx"
    wb = openpyxl.load_workbook(target)
    ws = wb["ringkasan"]
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    inst = indeks.get_instrument("ikm")
    assert row[header.index(inst.index.label)] == pytest.approx(float(s["index"]), abs=1e-12)
    assert row[header.index("Nilai konversi")] == pytest.approx(
        float(s["index_converted"]), abs=1e-12
    )
    assert row[header.index("Kategori")] == s["category"]
    for d in inst.domains:
        col = next(h for h in header if h and h.endswith(f"({d.id})"))
        assert row[header.index(col)] == pytest.approx(float(s[d.id]), abs=1e-12)
    resp = wb["responden"]
    assert resp.max_row == len(lib.respondents) + 1

    # language switch keeps the result
    page.click("#lang-switch")
    assert "lang=en" in page.url and "/result/" in page.url
    assert page.inner_text("#big-index_converted .big-label").strip() == "Converted value"
    assert not console_errors, console_errors  # e.g. no CSP violations
    ctx.close()


def test_error_page_in_browser(server, browser, tmp_path):
    bad = tmp_path / "laporan.pdf"
    bad.write_bytes(b"%PDF-1.4\n")
    page = browser.new_page()
    page.goto(server + "/?lang=en")
    page.check("input[name=instrument][value=whoqol-bref]")
    page.set_input_files("#f-data", str(bad))
    with page.expect_navigation() as nav:
        page.click("#submit")
    assert nav.value.status == 415
    assert "which is not supported" in page.inner_text("#error-message")
    page.close()
