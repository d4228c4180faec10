"""The web page's "Instrumen sendiri" choice: a definition file or a kisi-kisi next to the
answers, checked (problems, examples) before scoring."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
from starlette.testclient import TestClient  # noqa: E402

import indeks  # noqa: E402
from indeks.instruments import DEFINITIONS_DIR  # noqa: E402
from indeks.numbers import format_half_up  # noqa: E402
from indeks.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KISI = ROOT / "sample_data" / "kisi"
LOCAL = "http://127.0.0.1"


def text_of(page: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture()
def client(tmp_path):
    return TestClient(
        create_app(upload_dir=tmp_path), raise_server_exceptions=False, base_url=LOCAL
    )


def post(client, definition: tuple[str, bytes], data: tuple[str, bytes], **fields):
    files = {
        "definition": (definition[0], definition[1], "application/octet-stream"),
        "data": (data[0], data[1], "application/octet-stream"),
    }
    form = {"instrument": "own", "lang": "id", "mode": "single", **fields}
    return client.post("/score?lang=id", data=form, files=files)


def test_home_offers_own_instrument(client):
    r = client.get("/")
    assert 'value="own"' in r.text and 'name="definition"' in r.text and 'name="base"' in r.text
    assert "Instrumen sendiri" in text_of(r.text)


def test_kisi_and_answers(client):
    r = post(
        client,
        (
            "kisi-kisi-ketahanan-remaja.xlsx",
            (KISI / "kisi-kisi-ketahanan-remaja.xlsx").read_bytes(),
        ),
        ("jawaban.csv", (KISI / "jawaban.csv").read_bytes()),
        base="dektari",
    )
    assert r.status_code == 200, text_of(r.text)[:500]
    t = text_of(r.text)
    assert "Pemeriksaan definisi" in t and "belum punya contoh" in t
    assert "dimensi 'Regulasi Diri' diberi id 'regulasi_diri'" in t
    lib = indeks.score(
        indeks.load_instrument(KISI / "ketahanan-remaja.toml"),
        indeks.read_responses(KISI / "jawaban.csv"),
    )
    value = re.search(r'id="big-index".*?class="big-value">([^<]+)<', r.text, re.S).group(1)
    assert value == format_half_up(lib.summary["index"].iloc[0], 2)
    base = str(r.url).split("?")[0].replace(LOCAL, "")
    d = client.get(base + "/definition.toml")
    assert d.status_code == 200 and 'id = "kisi-kisi-ketahanan-remaja"' in d.text
    assert "# TEBAKAN" in d.text


def test_definition_with_examples_is_checked_first(client):
    toml = (DEFINITIONS_DIR / "ikp.toml").read_bytes()
    data = b"manusia,metode,anggaran,sistem,sarana_prasarana,kegiatan\n3,4,2,3,3,4\n"
    r = post(client, ("ikp-saya.toml", toml), ("ikp.csv", data))
    assert r.status_code == 200
    t = text_of(r.text)
    assert "6 contoh [[examples]] cocok" in t
    assert re.search(r'id="big-index".*?class="big-value">3.24<', r.text, re.S)
    # one weight changed (and its declared sum): the examples it breaks stop the scoring
    bad = toml.replace(b"kegiatan = 8 }", b"kegiatan = 9 }").replace(
        b"weights_sum = 25", b"weights_sum = 26"
    )
    r = post(client, ("ikp-saya.toml", bad), ("ikp.csv", data))
    assert r.status_code == 422
    t = text_of(r.text)
    assert "contoh 'typical', index: diharapkan 3.24, hasil 3.27" in t


def test_broken_definition_lists_every_problem(client):
    text = (DEFINITIONS_DIR / "ikm.toml").read_text(encoding="utf-8")
    text = text.replace('status = "official"', 'status = "resmi"').replace(
        "precision = 4", "precision = 40"
    )
    r = post(client, ("ikm-saya.toml", text.encode()), ("x.csv", b"u1\n4\n"))
    assert r.status_code == 422
    t = text_of(r.text)
    assert "ikm-saya.toml" in t and "status" in t and "precision" in t
    assert "/tmp" not in t


def test_bad_kisi_names_the_cell_and_base_needed(client):
    bad = b"Dimensi,No butir,Sifat\nA,1,+\nA,1-x,-\n"
    r = post(client, ("kisi.csv", bad), ("x.csv", b"b01\n4\n"), base="dektari")
    assert r.status_code == 422 and "sel B3" in text_of(r.text) and "kisi.csv" in text_of(r.text)
    r = post(client, ("kisi.csv", bad), ("x.csv", b"b01\n4\n"))
    assert r.status_code == 400 and "instrumen dasar" in text_of(r.text)
    r = post(client, ("kisi.pdf", b"%PDF"), ("x.csv", b"b01\n4\n"))
    assert r.status_code == 415 and "bukan definisi atau kisi-kisi" in text_of(r.text)
