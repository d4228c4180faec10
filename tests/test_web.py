"""The local web page (indeks.web) with Starlette's TestClient."""

from __future__ import annotations

import html
import io
import os
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)

from starlette.testclient import TestClient  # noqa: E402

import indeks  # noqa: E402
from indeks.io import read_table  # noqa: E402
from indeks.numbers import format_half_up  # noqa: E402
from indeks.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
IKM_XLSX = SAMPLES / "ikm" / "google_forms.xlsx"
IKM_MAP = SAMPLES / "ikm" / "google_forms_map.csv"
WHOQOL = SAMPLES / "whoqol" / "clean.csv"


LOCAL = "http://127.0.0.1"  # the Host allow-list accepts localhost names only by default


def text_of(page: str) -> str:
    """Visible text of a page, tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture()
def uploads(tmp_path):
    d = tmp_path / "uploads"
    d.mkdir()
    return d


@pytest.fixture()
def client(uploads):
    return TestClient(create_app(upload_dir=uploads), raise_server_exceptions=False, base_url=LOCAL)


def post_score(client, instrument, files, lang="id", **fields):
    data = {"instrument": instrument, "lang": lang, **fields}
    return client.post(f"/score?lang={lang}", data=data, files=files)


def ikm_upload(client, lang="id", **fields):
    files = {
        "data": ("google_forms.xlsx", IKM_XLSX.read_bytes(), "application/octet-stream"),
        "mapping": ("google_forms_map.csv", IKM_MAP.read_bytes(), "text/csv"),
    }
    return post_score(client, "ikm", files, lang=lang, mode="single", **fields)


def ikm_library():
    return indeks.score("ikm", read_table(IKM_XLSX), mapping=IKM_MAP)


def result_base(resp) -> str:
    assert re.search(r"/result/[\w-]+$", str(resp.url).split("?")[0]), resp.url
    return str(resp.url).split("?")[0].replace("http://testserver", "").replace(LOCAL, "")


# ---------------------------------------------------------------- home
@pytest.mark.parametrize(
    "lang,expected", [("id", "Pilih instrumen"), ("en", "Choose the instrument")]
)
def test_home_lists_instruments_with_provisional_notes(client, lang, expected):
    r = client.get(f"/?lang={lang}")
    assert r.status_code == 200
    t = text_of(r.text)
    assert expected in t
    for iid in indeks.list_instruments():
        inst = indeks.get_instrument(iid)
        assert f'value="{iid}"' in r.text
        assert (inst.name_en if lang == "en" else inst.name) in t  # the name in the page's language
        for note in inst.provisional:
            assert " ".join(note.note.split()) in t
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "http" not in csp
    assert 'enctype="multipart/form-data"' in r.text
    assert "http://" not in r.text and "https://" not in r.text  # nothing loaded from elsewhere


def test_home_default_language_is_indonesian(client):
    t = text_of(client.get("/").text)
    assert "Pilih instrumen" in t and "English" in t


def test_static_css_served_with_nosniff(client):
    r = client.get("/static/style.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
    assert r.headers["x-content-type-options"] == "nosniff"


# ---------------------------------------------------------------- scoring
def test_score_ikm_google_forms_with_mapping(client):
    r = ikm_upload(client)
    assert r.status_code == 200
    lib = ikm_library()
    s = lib.summary.iloc[0]
    prec = lib.precision()
    t = text_of(r.text)
    big_index = re.search(r'id="big-index".*?class="big-value">([^<]+)<', r.text, re.S).group(1)
    big_conv = re.search(
        r'id="big-index_converted".*?class="big-value">([^<]+)<', r.text, re.S
    ).group(1)
    assert big_index == format_half_up(s["index"], prec["index"]) == "3.05"
    assert big_conv == format_half_up(s["index_converted"], prec["index_converted"]) == "76.26"
    assert re.search(r'id="big-category".*?class="big-value">C<.*?Kurang Baik', r.text, re.S)
    assert "google_forms.xlsx" in t and "google_forms_map.csv" in t
    # column-matching report: which column became which item, which were ignored
    assert "1. Persyaratan" in t and "mapping" in t
    assert re.search(r"Kolom yang diabaikan:.*Timestamp", t)
    # issues with spreadsheet row and column
    for _, issue in lib.issues.iterrows():
        assert issue["message"] in t
    assert re.search(
        r"<td[^>]*>8</td>\s*<td[^>]*>4</td>\s*<td[^>]*></td>\s*<td[^>]*></td>\s*<td[^>]*>index_incomplete</td>",
        r.text,
    )
    # domain table and chart
    assert 'id="domains"' in r.text
    img = re.search(r'<img src="([^"]+chart\.png[^"]*)"', r.text).group(1)
    png = client.get(html.unescape(img))
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert (
        "provisional" not in r.text.split("<main>")[1].split('class="headline"')[0]
    )  # IKM has no provisional rules


def test_score_whoqol_shows_domains_large_and_no_index(client):
    files = {"data": ("clean.csv", WHOQOL.read_bytes(), "text/csv")}
    r = post_score(client, "whoqol-bref", files, mode="single")
    assert r.status_code == 200
    lib = indeks.score("whoqol-bref", read_table(WHOQOL))
    prec = lib.precision()
    for d in ("physical", "psychological", "social", "environment"):
        value = re.search(rf'id="big-{d}".*?class="big-value">([^<]+)<', r.text, re.S).group(1)
        assert value == format_half_up(lib.summary[d].iloc[0], prec[d])
    assert 'id="big-index"' not in r.text
    assert "24 baris: 24 diskor, 0 ditolak" in text_of(r.text)
    assert 'id="no-issues"' in r.text


def test_provisional_warning_in_yellow_box(client):
    files = {"data": ("ikp.csv", (SAMPLES / "ikp" / "ikp.csv").read_bytes(), "text/csv")}
    r = post_score(client, "ikp", files, mode="single")
    assert r.status_code == 200
    lib = indeks.score("ikp", read_table(SAMPLES / "ikp" / "ikp.csv"))
    box = re.search(r'<div class="provisional"[^>]*>(.*?)</div>', r.text, re.S)
    assert box and html.unescape(box.group(1)).strip() == lib.provisional_warning


def test_group_table(client):
    files = {
        "data": ("problems.csv", (SAMPLES / "whoqol" / "problems.csv").read_bytes(), "text/csv")
    }
    r = post_score(client, "whoqol-bref", files, mode="single", group="unit")
    assert r.status_code == 200
    table = re.search(r'<table id="groups".*?</table>', r.text, re.S).group(0)
    t = text_of(table)
    assert "(semua)" in t and "Klinik Pratama" in t and "Rawat Jalan" in t
    lib = indeks.score(
        "whoqol-bref", read_table(SAMPLES / "whoqol" / "problems.csv"), group_by=["unit"]
    )
    for v in lib.summary["physical"]:
        assert format_half_up(v, 2) in t
    # issues list with row and column, e.g. an out-of-range answer
    issues = re.search(r'<table id="issues".*?</table>', r.text, re.S).group(0)
    assert re.search(
        r"<td[^>]*>3</td>\s*<td[^>]*>K002</td>\s*<td[^>]*>Q10</td>\s*<td[^>]*>q10</td>\s*<td[^>]*>out_of_range</td>",
        issues,
    )


def test_sheet_and_id_column_options(client, tmp_path):
    df = pd.read_csv(WHOQOL, dtype={"id_klien": str})
    path = tmp_path / "two.xlsx"
    with pd.ExcelWriter(path) as w:
        pd.DataFrame({"x": [1]}).to_excel(w, sheet_name="catatan", index=False)
        df.to_excel(w, sheet_name="jawaban", index=False)
    for sheet in ("jawaban", "1"):
        files = {"data": ("two.xlsx", path.read_bytes(), "application/octet-stream")}
        r = post_score(
            client, "whoqol-bref", files, mode="single", sheet=sheet, id_column="id_klien"
        )
        assert r.status_code == 200, text_of(r.text)
        assert ">K001<" in r.text
    files = {"data": ("two.xlsx", path.read_bytes(), "application/octet-stream")}
    r = post_score(client, "whoqol-bref", files, mode="single", sheet="tidak_ada")
    assert r.status_code == 422
    assert "catatan" in text_of(r.text) and "jawaban" in text_of(r.text)


def test_prepost_comparison(client):
    files = {
        "pre": ("pre.csv", (SAMPLES / "whoqol" / "pre.csv").read_bytes(), "text/csv"),
        "post": ("post.csv", (SAMPLES / "whoqol" / "post.csv").read_bytes(), "text/csv"),
    }
    r = post_score(client, "whoqol-bref", files, mode="prepost")
    assert r.status_code == 200, text_of(r.text)
    lib = indeks.compare(
        "whoqol-bref",
        read_table(SAMPLES / "whoqol" / "pre.csv"),
        read_table(SAMPLES / "whoqol" / "post.csv"),
        id_column=None,
    )
    s = lib.summary.iloc[0]
    t = text_of(r.text)
    assert s["share_text"] in t
    big = re.search(r'id="big-improved".*?class="big-value">([^<]+)<', r.text, re.S).group(1)
    assert big == format_half_up(s["pct_improved"], 2) + "%"
    assert "pre.csv → post.csv" in t
    assert 'class="provisional"' in r.text  # whoqol-bref's pre/post rule is provisional
    assert 'id="unmatched"' in r.text and "K030" in t
    assert "too_many_missing" in t
    png = client.get(result_base(r) + "/chart.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    csv = client.get(result_base(r) + "/download.csv")
    pairs = pd.read_csv(io.BytesIO(csv.content))
    assert len(pairs) == int(s["n_pairs"])
    x = client.get(result_base(r) + "/download.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_prepost_needs_two_files(client):
    files = {"pre": ("pre.csv", (SAMPLES / "whoqol" / "pre.csv").read_bytes(), "text/csv")}
    r = post_score(client, "whoqol-bref", files, mode="prepost")
    assert r.status_code == 400
    assert "dua berkas" in text_of(r.text)


def test_comparison_degrades_when_module_missing(client, monkeypatch):
    import sys

    monkeypatch.setitem(
        sys.modules, "indeks.scoring.compare", None
    )  # import now raises ImportError
    files = {
        "pre": ("pre.csv", (SAMPLES / "whoqol" / "pre.csv").read_bytes(), "text/csv"),
        "post": ("post.csv", (SAMPLES / "whoqol" / "post.csv").read_bytes(), "text/csv"),
    }
    r = post_score(client, "whoqol-bref", files, mode="prepost")
    assert r.status_code == 501
    assert "belum tersedia" in text_of(r.text)
    assert "Traceback" not in r.text


# ---------------------------------------------------------------- downloads
def test_xlsx_download_equals_library(client):
    import openpyxl

    r = ikm_upload(client)
    base = result_base(r)
    x = client.get(base + "/download.xlsx?lang=id")
    assert x.status_code == 200
    assert x.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="google_forms-ikm-hasil.xlsx"' in x.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames[:2] == ["info", "ringkasan"]
    ws = wb["ringkasan"]
    header = [c.value for c in ws[1]]
    values = [c.value for c in ws[2]]
    inst = indeks.get_instrument("ikm")
    lib = ikm_library().summary.iloc[0]
    assert values[header.index(inst.index.label)] == pytest.approx(lib["index"], abs=1e-12)
    assert values[header.index("Nilai konversi")] == pytest.approx(
        lib["index_converted"], abs=1e-12
    )
    assert values[header.index("Kategori")] == lib["category"]
    assert len(list(wb["responden"].iter_rows())) == 31


def test_csv_download_is_respondents_table(client):
    r = ikm_upload(client)
    c = client.get(result_base(r) + "/download.csv")
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    got = pd.read_csv(io.BytesIO(c.content))
    lib = ikm_library().respondents
    assert list(got.columns) == list(lib.columns)
    pd.testing.assert_series_equal(got["index"], lib["index"].astype(float), check_names=False)


def test_unknown_download_and_expired_token(client):
    r = ikm_upload(client)
    assert client.get(result_base(r) + "/download.json").status_code == 404
    gone = client.get("/result/not-a-token")
    assert gone.status_code == 404
    assert "Unggah berkasnya lagi" in text_of(gone.text)
    assert client.get("/result/not-a-token/download.xlsx").status_code == 404


# ---------------------------------------------------------------- paging and language
def test_paging_50_per_page(client, tmp_path):
    df = pd.read_csv(WHOQOL, dtype={"id_klien": str})
    big = pd.concat([df] * 5, ignore_index=True)
    big["id_klien"] = [f"R{i:03d}" for i in range(1, len(big) + 1)]
    path = tmp_path / "big.csv"
    big.to_csv(path, index=False)
    r = post_score(
        client, "whoqol-bref", {"data": ("big.csv", path.read_bytes(), "text/csv")}, mode="single"
    )
    assert r.status_code == 200
    base = result_base(r)

    def ids(page_html):
        table = re.search(r'<table id="respondents".*?</table>', page_html, re.S).group(0)
        return re.findall(r"<tr><td>(R\d+)</td>", table)

    assert ids(r.text) == [f"R{i:03d}" for i in range(1, 51)]
    p2 = client.get(base + "?page=2&lang=id")
    assert ids(p2.text) == [f"R{i:03d}" for i in range(51, 101)]
    assert "Halaman 2 dari 3 (baris 51-100 dari 120)" in text_of(p2.text)
    last = client.get(base + "?page=99")
    assert ids(last.text) == [f"R{i:03d}" for i in range(101, 121)]
    assert client.get(base + "?page=abc").status_code == 200
    # next/prev links keep the language
    p2en = client.get(base + "?page=2&lang=en")
    assert f'href="{base}?page=3&amp;lang=en"' in p2en.text
    assert f'href="{base}?page=1&amp;lang=en"' in p2en.text


def test_language_switch_is_kept_across_pages(client):
    r = ikm_upload(client, lang="en")
    assert r.status_code == 200
    assert str(r.url).endswith("lang=en")
    t = text_of(r.text)
    assert "Converted value" in t and "Download results" in t
    assert "Poor" in t or "Fair" in t or "Kurang" not in t  # category labels come in English
    base = result_base(r)
    assert f'href="{base}/download.xlsx?lang=en"' in r.text
    # the switch link leads to the same result in Indonesian
    switch = html.unescape(
        re.search(r'id="lang-switch"|href="([^"]+)" hreflang="id"', r.text).group(0)
    )
    m = re.search(r'href="([^"]+)" hreflang="id"', r.text)
    assert m and "lang=id" in html.unescape(m.group(1)) and base in html.unescape(m.group(1))
    ri = client.get(html.unescape(m.group(1)))
    assert "Nilai konversi" in text_of(ri.text)
    x = client.get(base + "/download.xlsx?lang=en")
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    assert "summary" in wb.sheetnames
    del switch


def test_english_error_messages(client):
    files = {"data": ("x.pdf", b"%PDF-1.4", "application/pdf")}
    r = post_score(client, "ikm", files, lang="en", mode="single")
    assert r.status_code == 415
    assert "which is not supported" in text_of(r.text)


# ---------------------------------------------------------------- errors
def test_too_large_is_413_while_streaming(uploads, tmp_path):
    client = TestClient(
        create_app(max_upload_mb=0.001, upload_dir=uploads),
        raise_server_exceptions=False,
        base_url=LOCAL,
    )
    files = {"data": ("google_forms.xlsx", IKM_XLSX.read_bytes(), "application/octet-stream")}
    r = post_score(client, "ikm", files, mode="single")
    assert r.status_code == 413
    t = text_of(r.text)
    assert "google_forms.xlsx" in t and "lebih besar dari batas 0.001 MB" in t
    assert list(uploads.iterdir()) == []

    # a chunked body (no Content-Length): the limit is counted while reading
    boundary = "xXbOuNdArYXx"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="instrument"\r\n\r\nikm\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="data"; filename="big.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"u1,u2\n"
        + b"1,2\n" * 5000
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks():
        for i in range(0, len(body), 1000):
            yield body[i : i + 1000]

    r = client.post(
        "/score",
        content=chunks(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 413
    assert "big.csv" in text_of(r.text)
    assert list(uploads.iterdir()) == []


def test_wrong_extension_is_415(client, uploads):
    files = {"data": ("laporan.pdf", b"%PDF-1.4 not data", "application/pdf")}
    r = post_score(client, "ikm", files, mode="single")
    assert r.status_code == 415
    t = text_of(r.text)
    assert "laporan.pdf" in t and "'.pdf'" in t and "tidak didukung" in t and ".xlsx" in t
    assert list(uploads.iterdir()) == []


def test_garbage_xlsx_gives_the_readers_message(client, tmp_path, uploads):
    junk = os.urandom(4096)
    r = post_score(
        client, "ikm", {"data": ("ekspor.xlsx", junk, "application/octet-stream")}, mode="single"
    )
    assert r.status_code == 422
    same = tmp_path / "ekspor.xlsx"
    same.write_bytes(junk)
    with pytest.raises(indeks.InputError) as exc:
        read_table(same)
    assert (
        text_of(r.text).count(str(exc.value)) == 1
    )  # the CLI's message, with the client's file name
    assert "Traceback" not in r.text
    assert list(uploads.iterdir()) == []


def test_empty_file_is_422(client):
    r = post_score(client, "ikm", {"data": ("kosong.csv", b"", "text/csv")}, mode="single")
    assert r.status_code == 422
    assert "kosong.csv" in text_of(r.text) and "kosong (0 byte)" in text_of(r.text)


def test_no_item_column_is_422_with_library_message(client):
    body = b"a,b,c\n1,2,3\n4,5,6\n"
    r = post_score(client, "ikm", {"data": ("abc.csv", body, "text/csv")}, mode="single")
    assert r.status_code == 422
    with pytest.raises(indeks.IndeksError) as exc:
        indeks.score("ikm", pd.DataFrame({"a": [1, 4], "b": [2, 5], "c": [3, 6]}))
    assert str(exc.value) in text_of(r.text)


def test_bad_mapping_file(client):
    files = {
        "data": ("google_forms.xlsx", IKM_XLSX.read_bytes(), "application/octet-stream"),
        "mapping": ("peta.docx", b"PK..", "application/octet-stream"),
    }
    r = post_score(client, "ikm", files, mode="single")
    assert r.status_code == 415 and "peta.docx" in text_of(r.text)
    files["mapping"] = ("peta.json", b"{not json", "application/json")
    r = post_score(client, "ikm", files, mode="single")
    assert r.status_code == 422
    t = text_of(r.text)
    assert "peta.json" in t and "berkas pemetaan kolom tidak dapat dibaca" in t
    assert "map-" not in t  # the server-chosen temp name is never shown


def test_missing_file_instrument_and_bad_request(client):
    r = client.post(
        "/score",
        data={"instrument": "ikm", "mode": "single"},
        files={"data": ("", b"", "application/octet-stream")},
    )
    assert r.status_code == 400 and "Belum ada berkas" in text_of(r.text)
    files = {"data": ("clean.csv", WHOQOL.read_bytes(), "text/csv")}
    r = post_score(client, "", files, mode="single")
    assert r.status_code == 400 and "Pilih instrumen" in text_of(r.text)
    r = post_score(client, "tidak-ada", files, mode="single")
    assert (
        r.status_code == 400 and "tidak-ada" in text_of(r.text) and "whoqol-bref" in text_of(r.text)
    )
    r = client.post(
        "/score", content=b"x=1", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 400
    assert client.get("/score").status_code == 405
    assert client.get("/nope").status_code == 404


def test_client_file_name_is_escaped_text_only(client, uploads):
    name = "<script>alert(1)</script>..\\..\\evil.pdf"
    r = post_score(client, "ikm", {"data": (name, b"x", "application/pdf")}, mode="single")
    assert r.status_code == 415
    assert "<script>alert(1)" not in r.text
    assert "&lt;script&gt;" in r.text or "evil.pdf" in r.text
    assert list(uploads.iterdir()) == []
    assert not (uploads.parent / "evil.pdf").exists()


def test_upload_dir_removed_after_success(client, uploads):
    seen = []
    import indeks.web.app as web_app

    real = web_app._read_frames

    def spy(files, sheet, lang):
        seen.extend(up.path for up in files.values())
        for up in files.values():
            assert up.path.parent.parent == uploads
            assert up.path.name.startswith("data-") and up.path.suffix == ".xlsx"
        return real(files, sheet, lang)

    web_app._read_frames = spy
    try:
        r = ikm_upload(client)
    finally:
        web_app._read_frames = real
    assert r.status_code == 200
    assert seen and not any(p.exists() or p.parent.exists() for p in seen)
    assert list(uploads.iterdir()) == []
    client.get(result_base(r) + "/download.xlsx")
    client.get(result_base(r) + "/download.csv")
    assert list(uploads.iterdir()) == []


def test_result_store_is_bounded_by_memory(uploads):
    # a memory budget of about one result: the older results are dropped, with a page saying why
    client = TestClient(
        create_app(upload_dir=uploads, result_memory_mb=0.05),
        raise_server_exceptions=False,
        base_url=LOCAL,
    )
    bases = [result_base(ikm_upload(client)) for _ in range(3)]
    r = client.get(bases[0])
    assert r.status_code == 410
    assert "memori server untuk hasil penuh" in text_of(r.text)
    assert client.get(bases[2]).status_code == 200


def test_large_result_says_the_download_is_being_prepared(client, monkeypatch):
    import indeks.web.app as web_app

    small = ikm_upload(client)
    assert "large-note" not in small.text and "preparing.js" not in small.text
    monkeypatch.setattr(web_app, "_LARGE_ROWS", 20)  # the IKM sample has 30 respondents
    r = ikm_upload(client)
    t = text_of(r.text)
    assert "Hasil besar" in t and "berkas Excel disiapkan setelah tombol diklik" in t
    assert 'data-preparing="Berkas Excel sedang disiapkan' in r.text
    assert '<script src="/static/preparing.js" defer></script>' in r.text
    js = client.get("/static/preparing.js")
    assert js.status_code == 200 and "data-preparing" in js.text
    en = client.get(result_base(r) + "?lang=en")
    assert "Large result" in text_of(en.text)


def test_recap_sheet_rows_left_out_are_named_at_the_top(client):
    src = SAMPLES / "ikm" / "rekap_skm.xlsx"
    files = {"data": ("rekap_skm.xlsx", src.read_bytes(), "application/octet-stream")}
    r = post_score(client, "ikm", files, lang="en", mode="single")
    assert r.status_code == 200, r.text[:500]
    text = text_of(r.text)
    assert "Not counted as respondents: 4 summary row(s) (rows 21, 22, 23, 24)" in text
    assert "1 blank row(s) (rows 14)" in text
    # the notice comes before the figures
    assert text.index("Not counted as respondents") < text.index("77.98")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_prepost_page_shows_display_names_not_column_ids(client, lang):
    files = {
        "pre": ("pre.csv", (SAMPLES / "whoqol" / "pre.csv").read_bytes(), "text/csv"),
        "post": ("post.csv", (SAMPLES / "whoqol" / "post.csv").read_bytes(), "text/csv"),
    }
    r = post_score(client, "whoqol-bref", files, lang=lang, mode="prepost")
    assert r.status_code == 200, text_of(r.text)
    headers = {
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", r.text, re.S)
    }
    # the pairs, statistics, unmatched and issues tables name their columns for people
    raw = {"physical_pre", "change_physical", "ci_low", "t_p", "id_normalized", "row_pre", "code"}
    assert not raw & headers, raw & headers
    expected = {"en": "Physical health (pre-test)", "id": "Kesehatan fisik (pre-test)"}[lang]
    assert expected in headers
    # the paired tests name their scores too (no 'physical' or 'mean_of_domains' ids)
    cells = set(re.findall(r"<td[^>]*>([^<]*)</td>", r.text))
    assert not {"physical", "overall_qol", "mean_of_domains"} & cells
    assert {"en": "Physical health", "id": "Kesehatan fisik"}[lang] in cells
