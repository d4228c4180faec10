"""Realisations from questionnaire sources, with fake score/compare objects standing in
for the library API (``read_responses``, ``score``, ``compare``, ``resolve_instrument``)
as imported by :mod:`indeks.lkip.sources`; the last tests use the real library."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import indeks
from indeks.lkip import build, check, sources
from indeks.lkip.compute import compute


class FakeAPI:
    def __init__(
        self, index_by_file: dict[str, float], pct_improved: float = 85.71, provisional: str = ""
    ):
        self.index_by_file = index_by_file
        self.pct_improved = pct_improved
        self.provisional = provisional
        self.calls: list[tuple] = []

    def read_responses(self, path, instrument=None, mapping=None):
        self.calls.append(("read", Path(path).name, instrument, mapping))
        df = pd.read_csv(path)
        df.attrs["file"] = Path(path).name
        return df

    def score(self, instrument, df, id_column=None, group_by=None):
        self.calls.append(("score", instrument.id, df.attrs.get("file"), id_column, group_by))
        idx = self.index_by_file[df.attrs["file"]]
        summary = pd.DataFrame(
            [
                {
                    "n": len(df),
                    "n_scored": len(df) - 1,
                    "n_rejected": 1,
                    "d1": idx - 1.0,
                    "index": idx,
                    "index_converted": idx * 25,
                    "category": "B",
                }
            ]
        )
        return SimpleNamespace(
            respondents=df,
            summary=summary,
            issues=pd.DataFrame([{"row": 3, "code": "too_many_missing"}]),
        )

    def compare(self, instrument, pre, post, id_column="id"):
        self.calls.append(
            ("compare", instrument.id, pre.attrs.get("file"), post.attrs.get("file"), id_column)
        )
        summary = pd.DataFrame(
            [
                {
                    "n_pairs": 7,
                    "n_unmatched_pre": 1,
                    "n_unmatched_post": 0,
                    "n_improved": 6,
                    "pct_improved": self.pct_improved,
                    "mean_change_index": 4.2,
                }
            ]
        )
        return SimpleNamespace(pairs=pd.DataFrame(), unmatched=pd.DataFrame(), summary=summary)

    def resolve_instrument(self, iid):
        return SimpleNamespace(
            id=iid,
            version="2024.1",
            provisional_warning_for=lambda context, lang: self.provisional,
        )


@pytest.fixture
def api(monkeypatch):
    fake = FakeAPI({"pre.csv": 70.0, "post.csv": 84.375, "one.csv": 3.545, "ikm.csv": 3.55})
    for name in ("read_responses", "score", "compare", "resolve_instrument"):
        monkeypatch.setattr(sources, name, getattr(fake, name))
    return fake


def _workspace(tmp_path: Path, source: str, target: float = 81.339, reported: str = "") -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for name in ("pre.csv", "post.csv", "one.csv", "ikm.csv"):
        (data / name).write_text("id,q1,q2\n1,3,4\n2,2,3\n3,4,4\n", encoding="utf-8")
    text = f"""
unit = "BNN Kota Contoh"
year = 2024

[[sasaran]]
id = "S1"
name = "Sasaran satu"

[[indicators]]
number = 1
sasaran = "S1"
name = "Indikator dari kuesioner"
unit = "Indeks"
target = {target}
[indicators.source]
{source}
{reported}
"""
    p = tmp_path / "ws.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_post_index_from_pre_and_post_files(tmp_path, api):
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "dektara"\nfiles = ["data/pre.csv", "data/post.csv"]\n'
        'figure = "post_index"\nid_column = "id"',
    )
    comp = compute(p)
    r = comp.indicator(1)
    assert r.realisasi_raw == 84.375
    assert r.realisasi == 84.38  # half-up at precision 2
    assert r.capaian.text() == "103.74"
    prov = r.realisation.provenance
    assert prov["instrument"] == "dektara" and prov["instrument_version"] == "2024.1"
    assert [f["name"] for f in prov["files"]] == ["pre.csv", "post.csv"]
    sha = hashlib.sha256((tmp_path / "data" / "post.csv").read_bytes()).hexdigest()
    assert prov["files"][1]["sha256"] == sha
    assert prov["scoring"]["post"] == {
        "file": "post.csv",
        "rows": 3,
        "n_scored": 2,
        "n_rejected": 1,
        "issues": 1,
    }
    assert prov["package_version"] == indeks.__version__ and prov["time"]
    assert "provisional_warning" not in prov and not r.warnings
    assert ("score", "dektara", "post.csv", "id", None) in api.calls
    assert set(r.realisation.details) == {"pre", "post"}


def test_pre_index_index_and_converted(tmp_path, api):
    for figure, files, expected in [
        ("pre_index", '["data/pre.csv", "data/post.csv"]', 70.0),
        ("index", '["data/one.csv"]', 3.545),
        ("index_converted", '["data/one.csv"]', 3.545 * 25),
    ]:
        p = _workspace(
            tmp_path,
            f'kind = "instrument"\ninstrument = "ikp"\nfiles = {files}\nfigure = "{figure}"',
            target=3.53,
        )
        assert compute(p).indicator(1).realisasi_raw == pytest.approx(expected), figure
    # 3.545 -> 3.55 half-up (not 3.54 as round-half-even on the binary float would give)
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "ikp"\nfiles = ["data/one.csv"]\nfigure = "index"',
        target=3.53,
    )
    assert compute(p).indicator(1).realisasi == 3.55


def test_pct_improved_uses_compare(tmp_path, api):
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "whoqol-bref"\nfiles = ["data/pre.csv", "data/post.csv"]\n'
        'figure = "pct_improved"\nid_column = "id"',
        target=68,
    )
    r = compute(p).indicator(1)
    assert r.realisasi == 85.71
    assert r.capaian.text() == "126.04"
    assert r.realisation.provenance["compare"]["n_pairs"] == 7
    assert ("compare", "whoqol-bref", "pre.csv", "post.csv", "id") in api.calls
    assert "compare" in r.realisation.details


def test_mapping_file_is_passed_relative_to_workspace(tmp_path, api):
    (tmp_path / "map.toml").write_text("[columns]\n", encoding="utf-8")
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "ikm"\nfiles = ["data/ikm.csv"]\nfigure = "index"\n'
        'mapping = "map.toml"',
        target=2.6,
    )
    compute(p)
    reads = [c for c in api.calls if c[0] == "read"]
    assert reads and reads[0][3] == str(tmp_path / "map.toml")


def test_provisional_warning_travels_to_outputs(tmp_path, api):
    api.provisional = "Bobot variabel IKOTAN sementara (bobot sama)."
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "ikotan"\nfiles = ["data/one.csv"]\nfigure = "index"',
        target=2.5,
    )
    res = build(p, tmp_path / "out")
    r = res.computation.indicator(1)
    assert r.provisional == api.provisional
    assert any("SEMENTARA" in w for w in r.warnings)
    html = res.html.read_text(encoding="utf-8")
    assert api.provisional in html
    from openpyxl import load_workbook

    wb = load_workbook(res.xlsx)
    notes = [
        c.value
        for row in wb["Capaian Sasaran Kegiatan"].iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any(api.provisional in n for n in notes)
    prov = [c.value for row in wb["Provenans"].iter_rows() for c in row]
    assert api.provisional in prov and "one.csv" in " ".join(str(v) for v in prov)


def test_check_compares_reported_realisation_with_the_scored_figure(tmp_path, api):
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "dektara"\nfiles = ["data/post.csv"]\nfigure = "post_index"',
        reported='[indicators.reported]\nrealisasi = "84,38"\ncapaian = "103,73"',
    )
    r = check(p)
    assert [(d.field, d.recomputed_text) for d in r.issues] == [("capaian", "103.74")]


def test_unreadable_questionnaire_is_a_message_not_a_crash(tmp_path):
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "dektara"\nfiles = ["data/post.csv"]\nfigure = "post_index"',
    )
    (tmp_path / "data" / "post.csv").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    )  # a PDF named .csv
    comp = compute(p)  # the real library: read_responses raises InputError
    r = comp.indicator(1)
    assert r.capaian.value is None and r.status is None
    assert "post.csv" in r.reason and "PDF" in r.reason
    res = build(p, tmp_path / "out")  # still builds, with the message
    assert "post.csv" in res.html.read_text(encoding="utf-8")


def test_empty_figure_is_reported(tmp_path, api):
    api.index_by_file["post.csv"] = float("nan")
    p = _workspace(
        tmp_path,
        'kind = "instrument"\ninstrument = "dektara"\nfiles = ["data/post.csv"]\nfigure = "post_index"',
    )
    r = compute(p).indicator(1)
    assert r.realisasi is None and "kosong" in r.reason


@pytest.mark.parametrize(
    "alias, n_items",
    [("skm", 9), ("ikm-rehab", 9), ("ikm-2017", 9), ("ikm-2004", 14), ("ikm2004", 14)],
)
def test_workspace_instrument_aliases_resolve_through_the_catalogue(tmp_path, alias, n_items):
    """Any id or alias the instrument catalogue knows is accepted (not a private list) and
    scored by the real library: every unsur averages (4 + 2 + 3) / 3 = 3, so the index is
    3.00 whatever the weights (1/9 or 1/14), and capaian against a target of 3 is 100.00."""
    p = _workspace(
        tmp_path,
        f'kind = "instrument"\ninstrument = "{alias}"\nfiles = ["data/ikm.csv"]\nfigure = "index"',
        target=3.0,
    )
    items = [f"U{k}" for k in range(1, n_items + 1)]
    rows = [",".join([str(i)] + [v] * n_items) for i, v in enumerate("423", start=1)]
    (tmp_path / "data" / "ikm.csv").write_text(
        "no," + ",".join(items) + "\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    r = compute(p).indicator(1)  # real library, no fakes
    assert r.reason == ""
    assert r.realisation.provenance["instrument"] == indeks.get_instrument(alias).id
    assert r.realisasi == 3.0
    assert r.capaian.text() == "100.00"
