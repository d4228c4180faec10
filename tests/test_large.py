"""Large and national data: mergeable statistics, roll-up, streaming, many files, Dask.

The same respondents must come out of the in-memory engine, the streaming engine and
the Dask engine, with the same issues and bit-for-bit the same summaries at every
level of the roll-up.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import indeks
from indeks.scoring.engine import _domain_scores, prepare
from indeks.scoring.stats_merge import merge_stats, part_stats, summary_levels
from indeks.scoring.stream import score_files

PROVINCES = {"Jawa Timur": ["Surabaya", "Malang"], "NTT": ["Kupang", "Ende", "Sikka"]}
GROUPS = ["provinsi", "kota"]


# --------------------------------------------------------------------------- data
def _places(rng, n):
    prov = rng.choice(list(PROVINCES), n)
    kota = np.array([rng.choice(PROVINCES[p]) for p in prov], dtype=object)
    return prov, kota


def whoqol_frame(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"id_klien": [f"W{i:05d}" for i in range(n)]})
    for i in range(1, 27):
        col = rng.integers(1, 6, n).astype(float)
        col[rng.random(n) < 0.04] = np.nan  # some blanks: some domains / rows not computed
        df[f"Q{i}"] = col
    df["provinsi"], df["kota"] = _places(rng, n)
    # problems: a row rejected early (one chunk only), an out-of-range code, duplicate ids
    df.loc[1, [f"Q{i}" for i in range(3, 12)]] = np.nan
    df.loc[2, "Q7"] = 7
    df.loc[n - 3, "id_klien"] = df.loc[4, "id_klien"]  # same id in the first and last part
    df.loc[n - 1, "id_klien"] = " W00010 "  # the same id after trimming
    return df


def ikm_frame(n: int, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"id_responden": [f"R{i}" for i in range(n)]})
    for i in range(1, 10):
        col = rng.integers(1, 5, n).astype(float)
        col[rng.random(n) < 0.05] = np.nan
        df[f"U{i}"] = col
    df["provinsi"], df["kota"] = _places(rng, n)
    df.loc[3, "U2"] = 7  # out of range
    df.loc[n - 2, "id_responden"] = "R0"  # duplicate of the first row
    return df


def dektara_frame(families: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    prov, kota = _places(rng, families)
    for f in range(families):
        for role, prefix in (("Orang tua", "ot"), ("Anak", "an")):
            r = {"keluarga": f"K{f:03d}", "id": f"K{f:03d}-{prefix}", "peran": role}
            for i in range(1, 15):
                r[f"ot{i:02d}"] = np.nan
                r[f"an{i:02d}"] = np.nan
            for i in range(1, 15):
                r[f"{prefix}{i:02d}"] = float(rng.integers(1, 5)) if rng.random() > 0.03 else np.nan
            r["provinsi"], r["kota"] = prov[f], kota[f]
            rows.append(r)
    df = pd.DataFrame(rows)
    df.loc[5, "peran"] = "Tetangga"  # unknown form: rejected
    df.loc[len(df) - 2, "id"] = df.loc[0, "id"]  # two parents with one id, far apart
    return df


CASES = {
    "whoqol-bref": (whoqol_frame, 240),
    "ikm": (ikm_frame, 200),
    "dektara": (dektara_frame, 60),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Each case as CSV and as Parquet with small row groups."""
    out = {}
    base = tmp_path_factory.mktemp("large")
    for inst, (make, n) in CASES.items():
        df = make(n)
        csv = base / f"{inst}.csv"
        df.to_csv(csv, index=False)
        pq = base / f"{inst}.parquet"
        df.to_parquet(pq, index=False, row_group_size=37)
        out[inst] = (csv, pq)
    return out


def plain(inst: str, path: Path) -> indeks.ScoreResult:
    """The in-memory engine on the whole file."""
    return indeks.score(inst, indeks.read_responses(path), group_by=GROUPS)


def _objects(df: pd.DataFrame) -> pd.DataFrame:
    return df.reset_index(drop=True).astype(object).where(df.notna().to_numpy(), None)


def same_result(a: indeks.ScoreResult, b: indeks.ScoreResult) -> None:
    assert_frame_equal(a.summary, b.summary, check_exact=True)
    assert_frame_equal(_objects(a.respondents), _objects(b.respondents), check_exact=True)
    key = ["row", "code", "column", "item"]
    ia = a.issues.sort_values(key, kind="stable").reset_index(drop=True)
    ib = b.issues[a.issues.columns].sort_values(key, kind="stable").reset_index(drop=True)
    assert_frame_equal(_objects(ia), _objects(ib))
    if a.units is not None:
        assert_frame_equal(a.units, b.units, check_exact=True)


# --------------------------------------------------------------------------- statistics
@pytest.mark.parametrize("inst", list(CASES))
@settings(max_examples=15, deadline=None)
@given(cuts=st.lists(st.integers(0, 10_000), min_size=1, max_size=4), seed=st.integers(0, 99))
def test_merged_parts_equal_whole_bit_for_bit(inst, cuts, seed):
    make, n = CASES[inst]
    df = make(n // 2, seed)
    edges = sorted({0, len(df), *(c % (len(df) + 1) for c in cuts)})

    def stats(frame):
        prep = prepare(inst, frame, group_by=GROUPS)
        return part_stats(prep.inst, prep.rejected, _domain_scores(prep), prep.groups)

    whole = summary_levels(indeks.get_instrument(inst), stats(df), GROUPS)
    parts = [stats(df.iloc[a:b]) for a, b in zip(edges[:-1], edges[1:], strict=True)]
    merged = summary_levels(indeks.get_instrument(inst), merge_stats(parts, GROUPS), GROUPS)
    assert_frame_equal(whole, merged, check_exact=True)


def test_ikm_index_is_the_exact_ninth_of_the_nrr_sum():
    # three respondents; unsur 4 answered by two of them only
    df = pd.DataFrame(
        {f"U{i}": [1 + (i % 4), 1 + ((i + 1) % 4), 1 + ((i + 2) % 4)] for i in range(1, 10)}
    )
    df.loc[0, "U4"] = np.nan
    r = indeks.score("ikm", df)
    nrr = {
        i: Fraction(int(df[f"U{i}"].sum()), int(df[f"U{i}"].notna().sum())) for i in range(1, 10)
    }
    expected = sum(nrr.values(), Fraction(0)) / 9
    assert r.summary["index"].iloc[0] == float(expected)
    assert r.summary["index_converted"].iloc[0] == pytest.approx(float(expected * 25), abs=1e-12)
    assert r.summary["u4"].iloc[0] == float(nrr[4])


def test_whoqol_group_mean_is_the_exact_mean_of_respondents():
    df = whoqol_frame(50)
    r = indeks.score("whoqol-bref", df)
    scored = r.respondents[r.respondents["physical"].notna()]
    # physical = (4 * mean of the 7 keyed items - 4) * 100 / 16 per respondent; the group
    # value is their mean, computed exactly from the integer code sums
    exact = sum((Fraction(v).limit_denominator(10**6) for v in scored["physical"]), Fraction(0))
    assert r.summary["physical"].iloc[0] == pytest.approx(float(exact / len(scored)), abs=1e-12)


def test_roll_up_levels_pool_by_the_definition_not_mean_of_means(files):
    for inst in CASES:
        csv, _ = files[inst]
        data = indeks.read_responses(csv)
        r = indeks.score(inst, data, group_by=GROUPS)
        s = r.summary
        allv = "(semua)"
        # nation, each province, each city
        assert (s["provinsi"] == allv).sum() == 1
        prov_rows = s[(s["provinsi"] != allv) & (s["kota"] == allv)]
        city_rows = s[(s["provinsi"] != allv) & (s["kota"] != allv)]
        assert set(prov_rows["provinsi"]) == set(PROVINCES)
        assert len(city_rows) == sum(len(v) for v in PROVINCES.values())
        assert s["n"].iloc[0] == len(data) == prov_rows["n"].sum() == city_rows["n"].sum()
        # a province row is the province scored on its own, bit for bit
        for p in PROVINCES:
            alone = indeks.score(inst, data[data["provinsi"] == p]).summary
            row = prov_rows[prov_rows["provinsi"] == p].drop(columns=GROUPS)
            assert_frame_equal(
                row.reset_index(drop=True), alone.reset_index(drop=True), check_exact=True
            )
        if inst != "whoqol-bref":  # pooled rules: the province is not the mean of its cities
            p = "NTT"
            cities = city_rows[city_rows["provinsi"] == p]["index"]
            assert prov_rows[prov_rows["provinsi"] == p]["index"].iloc[0] != pytest.approx(
                cities.mean(), abs=1e-9
            )


# --------------------------------------------------------------------------- streaming
@pytest.mark.parametrize("inst", list(CASES))
@pytest.mark.parametrize("chunk_rows", [7, 64])
def test_streaming_equals_in_memory(files, inst, chunk_rows):
    csv, pq = files[inst]
    a = plain(inst, csv)
    same_result(a, score_files(inst, csv, chunk_rows=chunk_rows, group_by=GROUPS))
    same_result(plain(inst, pq), score_files(inst, pq, chunk_rows=chunk_rows, group_by=GROUPS))
    # duplicate ids split over parts are still reported, with every row
    dup = a.issues[a.issues["code"] == "duplicate_id"]
    assert len(dup) >= 2


@pytest.mark.parametrize("ext", [".parquet", ".csv"])
def test_streaming_writes_respondents_and_issues_as_it_goes(files, tmp_path, ext):
    csv, _ = files["whoqol-bref"]
    a = plain("whoqol-bref", csv)
    out = tmp_path / f"hasil{ext}"
    r = score_files("whoqol-bref", csv, out, chunk_rows=50, group_by=GROUPS)
    assert r.meta["streamed"] == {"rows": len(a.respondents), "issues": len(a.issues)}
    assert r.n_scored == a.n_scored
    read = pd.read_parquet if ext == ".parquet" else pd.read_csv
    resp = read(out)
    if ext == ".parquet":
        expect = _objects(a.respondents)
        assert_frame_equal(_objects(resp), expect, check_exact=True)
    else:
        assert (
            resp["respondent_id"].str.strip().tolist()
            == a.respondents["respondent_id"].str.strip().tolist()
        )
        assert np.allclose(resp["physical"], a.respondents["physical"], equal_nan=True)
    issues = read(tmp_path / f"hasil.masalah{ext}")
    assert len(issues) == len(a.issues)
    assert sorted(issues["code"]) == sorted(a.issues["code"])
    summary = read(tmp_path / f"hasil.ringkasan{ext}")
    assert (
        np.array_equal(
            summary["index"].to_numpy(float), a.summary["index"].to_numpy(float), equal_nan=True
        )
        if "index" in a.summary
        else True
    )
    assert len(summary) == len(a.summary)
    # nothing else is left behind
    assert not list(tmp_path.glob(".*tmp"))


@pytest.mark.parametrize(("ext", "every"), [(".csv", 2), (".xlsx", 1)])
def test_unused_memory_is_handed_back_every_few_parts(files, tmp_path, monkeypatch, ext, every):
    import indeks.scoring.stream as stream

    calls = []
    monkeypatch.setattr(stream, "_release", lambda: calls.append(1))
    csv, _ = files["whoqol-bref"]
    n = len(plain("whoqol-bref", csv).respondents)
    parts = -(-n // 10)
    assert parts >= 8
    score_files("whoqol-bref", csv, tmp_path / f"o{ext}", chunk_rows=10, keep_respondents=False)
    assert len(calls) == parts // every


def test_streaming_failure_leaves_no_file(files, tmp_path):
    csv, _ = files["ikm"]
    out = tmp_path / "hasil.parquet"
    with pytest.raises(indeks.IndeksError):
        score_files("ikm", csv, out, chunk_rows=10, group_by=["tidak_ada"])
    assert list(tmp_path.iterdir()) == []


def _sheet_rows(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    rows = {n: list(wb[n].iter_rows(values_only=True)) for n in wb.sheetnames}
    # the generation time is the only cell that may differ between two runs
    rows["info"] = [r for r in rows["info"] if r[0] != "Dibuat pada"]
    return rows


@pytest.mark.parametrize("ext", [".xlsx", ".csv"])
def test_cli_streams_a_big_file_and_prints_and_writes_what_the_in_memory_job_does(
    files, tmp_path, monkeypatch, ext
):
    from typer.testing import CliRunner

    import indeks.scoring.stream as stream
    from indeks.cli import app

    csv, _ = files["whoqol-bref"]
    args = ["score", "whoqol-bref", str(csv), "--group", "provinsi", "--group", "kota"]
    whole = CliRunner().invoke(app, [*args, "-o", str(tmp_path / f"whole{ext}")])
    assert whole.exit_code == 0, whole.output
    calls = []
    monkeypatch.setattr(stream, "AUTO_STREAM_BYTES", 1000)  # this file counts as big
    monkeypatch.setattr(stream, "DEFAULT_CHUNK_ROWS", 50)  # in parts of 50 rows
    monkeypatch.setattr(stream, "SPOOL_CHUNK_ROWS", 50)
    real = stream.score_part
    monkeypatch.setattr(stream, "score_part", lambda *a, **k: calls.append(1) or real(*a, **k))
    # the first block is parsed on a thread while the command imports, and taken
    import indeks.io.chunks as chunks
    import indeks.io.csvhead as csvhead

    monkeypatch.setattr(csvhead, "AUTO_STREAM_BYTES", 1000)
    taken, take = [], chunks.take_head
    monkeypatch.setattr(chunks, "take_head", lambda *a: taken.append(take(*a)) or taken[-1])
    parts = CliRunner().invoke(app, [*args, "-o", str(tmp_path / f"parts{ext}")])
    assert parts.exit_code == 0, parts.output
    assert len(calls) == 5  # 240 rows streamed in parts of 50
    assert taken and taken[0] is not None and taken[0][1].num_rows == 240
    # the same printed result (every issue kept, not only the first ones)
    assert parts.output.replace("parts", "whole") == whole.output
    if ext == ".xlsx":  # respondents spooled to disk and written from there
        assert _sheet_rows(tmp_path / "parts.xlsx") == _sheet_rows(tmp_path / "whole.xlsx")
    else:
        for f in sorted(tmp_path.glob("whole*.csv")):
            if not f.name.endswith(".info.csv"):
                assert (tmp_path / f.name.replace("whole", "parts")).read_bytes() == f.read_bytes()
    assert not list(tmp_path.glob(".*"))  # no spool or temporary file left


def test_streamed_csv_write_failure_on_the_writer_thread_leaves_no_file(
    files, tmp_path, monkeypatch
):
    import pyarrow.csv as pacsv

    csv, _ = files["whoqol-bref"]
    real, calls = pacsv.write_csv, []

    def failing(*a, **k):  # the third part cannot be written (disk full)
        calls.append(1)
        if len(calls) == 3:
            raise OSError("No space left on device")
        return real(*a, **k)

    monkeypatch.setattr(pacsv, "write_csv", failing)
    with pytest.raises(OSError, match="No space left"):
        score_files("whoqol-bref", csv, tmp_path / "hasil.csv", chunk_rows=50)
    assert list(tmp_path.iterdir()) == []


def test_streamed_xlsx_failure_leaves_no_file(files, tmp_path, monkeypatch):
    import indeks.io.writers as writers

    csv, _ = files["whoqol-bref"]
    (tmp_path / "hasil.xlsx").write_bytes(b"old")

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(writers, "_write_xlsx", broken)
    with pytest.raises(indeks.IndeksError):
        score_files(
            "whoqol-bref", csv, tmp_path / "hasil.xlsx", chunk_rows=50, keep_respondents=False
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hasil.xlsx"]
    assert (tmp_path / "hasil.xlsx").read_bytes() == b"old"


# --------------------------------------------------------------------------- many files
def test_many_files_are_one_data_set_with_the_file_as_column_and_level(tmp_path):
    df = ikm_frame(90)
    a, b = df.iloc[:50].copy(), df.iloc[50:].copy()
    a.to_csv(tmp_path / "unit_a.csv", index=False)
    # unit B exports question numbers under other headers, with its own mapping beside it
    b = b.rename(columns={f"U{i}": f"Pertanyaan {i}" for i in range(1, 10)})
    b.to_parquet(tmp_path / "unit_b.parquet", index=False)
    pd.DataFrame(
        {
            "item": [f"u{i}" for i in range(1, 10)],
            "column": [f"Pertanyaan {i}" for i in range(1, 10)],
        }
    ).to_csv(tmp_path / "unit_b.map.csv", index=False)

    r = indeks.score("ikm", tmp_path, group_by=["provinsi"])
    assert r.respondents["file"].tolist() == ["unit_a.csv"] * 50 + ["unit_b.parquet"] * 40
    s = r.summary
    files = s[(s["provinsi"] != "(semua)") & (s["file"] != "(semua)")]
    assert set(files["file"]) == {"unit_a.csv", "unit_b.parquet"}
    # pooled over both files = the concatenated data scored at once
    whole = indeks.score("ikm", df)
    assert s["index"].iloc[0] == whole.summary["index"].iloc[0]
    assert s["n"].iloc[0] == 90
    # the duplicate id spans the two files and names its file
    dup = r.issues[r.issues["code"] == "duplicate_id"]
    assert set(dup["file"]) == {"unit_a.csv", "unit_b.parquet"}
    assert "file" in r.columns.report().columns
    # streaming the same folder in small parts gives the same
    same_result(
        r, score_files("ikm", str(tmp_path / "unit_*"), chunk_rows=9, group_by=["provinsi"])
    )


def test_files_sharing_a_name_are_told_apart_by_their_folder(tmp_path):
    # two units export the same file name; the file column says which folder each came from
    df = ikm_frame(40)
    for unit, part in (("kupang", df.iloc[:25]), ("ende", df.iloc[25:])):
        (tmp_path / unit).mkdir()
        part.to_csv(tmp_path / unit / "survei.csv", index=False)
    r = indeks.score("ikm", str(tmp_path / "*" / "survei.csv"))
    assert r.respondents["file"].tolist() == ["ende/survei.csv"] * 15 + ["kupang/survei.csv"] * 25
    assert r.summary["n"].iloc[0] == 40


def test_cli_streams_and_accepts_many_files(files, tmp_path):
    from typer.testing import CliRunner

    from indeks.cli import app

    csv, _ = files["ikm"]
    out = tmp_path / "hasil.parquet"
    res = CliRunner().invoke(
        app,
        [
            "score",
            "ikm",
            str(csv),
            "-o",
            str(out),
            "--chunk-rows",
            "25",
            "--group",
            "provinsi",
            "--group",
            "kota",
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "hasil.masalah.parquet").is_file()
    a = plain("ikm", csv)
    assert_frame_equal(_objects(pd.read_parquet(out)), _objects(a.respondents), check_exact=True)
    s = pd.read_parquet(tmp_path / "hasil.ringkasan.parquet")
    assert s["index"].tolist() == a.summary["index"].tolist()
    # two files in one call
    other = tmp_path / "lain.csv"
    ikm_frame(30, seed=9).to_csv(other, index=False)
    res = CliRunner().invoke(app, ["score", "ikm", str(csv), str(other), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "lain.csv" in res.output


# --------------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    client = distributed.Client(cluster)
    assert len(client.scheduler_info()["workers"]) == 2
    yield client
    client.close()
    cluster.close()


@pytest.mark.parametrize("inst", list(CASES))
def test_dask_equals_in_memory(files, dask_client, inst):
    csv, pq = files[inst]
    # CSV cut into byte ranges: ids and families split across partitions
    size = csv.stat().st_size
    r = score_files(
        inst,
        csv,
        engine="dask",
        scheduler=dask_client,
        partition_bytes=size // 4,
        group_by=GROUPS,
    )
    same_result(plain(inst, csv), r)
    # Parquet row groups as partitions
    r = score_files(inst, pq, engine="dask", scheduler=dask_client, chunk_rows=40, group_by=GROUPS)
    same_result(plain(inst, pq), r)


def test_dask_through_indeks_score_and_a_folder(tmp_path, dask_client):
    df = whoqol_frame(120)
    for k, part in enumerate(np.array_split(np.arange(len(df)), 3)):
        df.iloc[part].to_parquet(tmp_path / f"part{k}.parquet", index=False)
    r = indeks.score(
        "whoqol-bref",
        str(tmp_path / "*.parquet"),
        engine="dask",
        scheduler=dask_client,
        group_by=["provinsi"],
    )
    s = score_files("whoqol-bref", tmp_path, chunk_rows=13, group_by=["provinsi"])
    same_result(s, r)
    whole = indeks.score("whoqol-bref", df)
    assert r.summary["physical"].iloc[0] == whole.summary["physical"].iloc[0]
    assert r.summary["n"].iloc[0] == 120


def test_core_never_imports_dask():
    import subprocess
    import sys

    code = (
        "import sys, indeks, indeks.scoring.stream, indeks.scoring.parts, indeks.cli;"
        "print(any(m == 'dask' or m.startswith('dask.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_blank_summary_and_header_rows_across_parts(tmp_path, dask_client):
    """Rows that are not respondents (blank, repeated header, recap rows) come out the
    same whichever part they fall in; blank rows at the end of a part are reported only
    when data follows."""
    df = ikm_frame(40)
    lines = df.to_csv(index=False).splitlines()
    header = lines[0]
    body = lines[1:]
    out = [header]
    for i, line in enumerate(body):
        out.append(line)
        if i in (5, 6, 19):
            out.append("")  # blank rows, some at part boundaries
        if i == 12:
            out.append(header)  # a second export pasted below
    out.append("RATA-RATA," + ",".join(["3.1"] * 9) + ",,")
    out += ["", ""]  # trailing blank rows: not reported
    path = tmp_path / "rekap.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    a = plain("ikm", path)
    codes = set(a.issues["code"])
    assert {"blank_row", "repeated_header", "summary_row"} <= codes
    for rows in (3, 7, 8, 100):
        same_result(a, score_files("ikm", path, chunk_rows=rows, group_by=GROUPS))
    size = path.stat().st_size
    for k in (3, 5):
        same_result(
            a,
            score_files(
                "ikm",
                path,
                engine="dask",
                scheduler=dask_client,
                partition_bytes=size // k,
                group_by=GROUPS,
            ),
        )


def test_text_after_numbers_in_a_later_block_restarts_with_the_column_as_text(
    tmp_path, monkeypatch
):
    """Column types come from the first block; text further down (a label answer) makes
    the job start again with that column read as text, with the same result."""
    import indeks.io.chunks as chunks

    df = ikm_frame(400)
    for c in ("U3", "U5"):
        df[c] = df[c].astype(object)
    df.loc[350, "U3"] = "Sangat puas"
    df.loc[360, "U5"] = "Lumayan"
    path = tmp_path / "campur.csv"
    df.to_csv(path, index=False)
    a = plain("ikm", path)
    assert "unknown_label" in set(a.issues["code"])
    monkeypatch.setattr(chunks.csvhead, "BLOCK_SIZE", 2048)  # the first block ends before row 350
    same_result(a, score_files("ikm", path, chunk_rows=50, group_by=GROUPS))


def test_header_only_file_streams_to_an_empty_result(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_text("id,U1,U2,U3,U4,U5,U6,U7,U8,U9\n", encoding="utf-8")
    r = score_files("ikm", path, chunk_rows=10)
    assert r.summary[["n", "n_scored"]].iloc[0].tolist() == [0, 0]
    assert len(r.respondents) == 0


def test_streaming_memory_does_not_grow_with_the_file(tmp_path):
    """Peak Python-side memory of a streamed job is set by the part, not the file: four
    times the rows (same part size) costs far less than four times the memory."""
    import tracemalloc

    small, big = tmp_path / "kecil.csv", tmp_path / "besar.csv"
    whoqol_frame(6_000, seed=5).to_csv(small, index=False)
    whoqol_frame(24_000, seed=5).to_csv(big, index=False)

    def peak(path):
        tracemalloc.start()
        score_files("whoqol-bref", path, tmp_path / f"{path.stem}.parquet", chunk_rows=2_000)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    peak(small)  # warm-up: imports and caches are not part of the comparison
    p_small, p_big = peak(small), peak(big)
    assert p_big < 1.6 * p_small, (p_small, p_big)


# --------------------------------------------------------------------------- compare on Dask
def _prepost_frames(inst: str) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Pre and post of the same respondents in another order, with an unmatched id in
    each wave, a rejected respondent, and an id duplicated in the first and the last
    partition of a wave (the frames' own duplicates)."""
    if inst == "whoqol-bref":
        pre, post, idc = whoqol_frame(160, seed=1), whoqol_frame(160, seed=5), "id_klien"
    else:
        pre, post, idc = dektara_frame(50, seed=3), dektara_frame(50, seed=7), "id"
        post.loc[5, "peran"] = "Anak"  # K002-an: unknown form in pre only (keyed apart)
        pre.loc[20, [f"ot{i:02d}" for i in range(1, 15)]] = np.nan  # K010-ot: rejected
    post = post.iloc[::-1].reset_index(drop=True)  # the other order: pairs cross partitions
    post.loc[0, idc] = "BARU-1"  # only in post (its old id is now only in pre)
    pre.loc[len(pre) - 5, idc] = "LAMA-1"  # only in pre (its old id is now only in post)
    return pre, post, idc


@pytest.mark.parametrize("inst", ["whoqol-bref", "dektara"])
def test_compare_on_dask_equals_in_memory(tmp_path, dask_client, inst):
    from indeks.scoring.compare_dask import compare_dask

    pre, post, idc = _prepost_frames(inst)
    pre.to_csv(tmp_path / "pre.csv", index=False)
    post.to_csv(tmp_path / "post.csv", index=False)
    mem = indeks.compare(
        inst,
        indeks.read_responses(tmp_path / "pre.csv"),
        indeks.read_responses(tmp_path / "post.csv"),
        group_by=["provinsi"],
    )
    size = (tmp_path / "pre.csv").stat().st_size
    dsk = compare_dask(
        inst,
        tmp_path / "pre.csv",
        tmp_path / "post.csv",
        scheduler=dask_client,
        partition_bytes=size // 5,  # five CSV partitions per wave
        npartitions=3,
        group_by=["provinsi"],
    )
    for name in ("pairs", "unmatched", "summary", "stats", "issues"):
        assert_frame_equal(getattr(mem, name), getattr(dsk, name), check_exact=True)
    assert dsk.meta == mem.meta
    # the cases the data was built with are really there
    um = dsk.unmatched[dsk.unmatched["reason"] == "unmatched"]
    expect = {
        "whoqol-bref": ({"LAMA-1"}, {"BARU-1", "W00155"}),  # W00159 of pre is " W00010 "
        "dektara": ({"LAMA-1", "K049-an", "K002-an"}, {"BARU-1", "K047-an", "K002-an"}),
    }[inst]
    assert set(um.loc[um["wave"] == "pre", "respondent_id"]) == expect[0]
    assert set(um.loc[um["wave"] == "post", "respondent_id"]) == expect[1]
    assert (dsk.unmatched["reason"] == "rejected").any()
    dup_id = pre.loc[0, idc] if inst == "dektara" else pre.loc[4, idc]
    dups = dsk.unmatched[dsk.unmatched["reason"] == "duplicate_id"]
    assert (dups["respondent_id"] == dup_id).sum() == 4  # twice in each wave
    s = dsk.summary.iloc[0]
    assert (s["n_unmatched_pre"], s["n_unmatched_post"]) == tuple(map(len, expect))
    # share: improved / evaluable pairs, recomputed from the pairs table
    imp = dsk.pairs["improved"]
    assert s["n_evaluable"] == int(imp.notna().sum())
    assert s["n_improved"] == int((imp == True).sum())  # noqa: E712
    assert s["n_pairs"] == len(dsk.pairs) > 0
    # through indeks.compare(engine="dask")
    via = indeks.compare(
        inst,
        str(tmp_path / "pre.csv"),
        str(tmp_path / "post.csv"),
        engine="dask",
        scheduler=dask_client,
        chunk_rows=23,
        group_by=["provinsi"],
    )
    assert_frame_equal(mem.pairs, via.pairs, check_exact=True)
    assert_frame_equal(mem.summary, via.summary, check_exact=True)


def test_compare_on_dask_from_the_command_line(tmp_path, dask_client):
    from typer.testing import CliRunner

    from indeks.cli import app

    pre, post, _ = _prepost_frames("whoqol-bref")
    pre.to_csv(tmp_path / "pre.csv", index=False)
    post.to_csv(tmp_path / "post.csv", index=False)
    out = tmp_path / "banding.xlsx"
    args = ["compare", "whoqol-bref", str(tmp_path / "pre.csv"), str(tmp_path / "post.csv")]
    res = CliRunner().invoke(
        app,
        [*args, "--engine", "dask", "--scheduler", dask_client.scheduler.address, "-o", str(out)],
    )
    assert res.exit_code == 0, res.output
    mem = CliRunner().invoke(app, args)
    assert mem.exit_code == 0, mem.output
    assert res.output.replace(f"{out}", "").count("%") == mem.output.count("%")
    assert pd.read_excel(out, sheet_name=None)  # written completely
    bad = CliRunner().invoke(
        app, [*args, "--engine", "dask", "--middle", str(tmp_path / "pre.csv")]
    )
    assert bad.exit_code != 0
    assert "--middle" in str(bad.exception)


# ids across parts: a hash per normalised id, then an exact check of shared hashes
_ID_TEXT = st.text(alphabet=st.sampled_from(list("Kkab07 \t.\u00a0é\x00\u2003")), max_size=6)
_ID_CELL = st.one_of(
    _ID_TEXT, st.integers(-3, 3), st.sampled_from([7.0, 7.5, -0.0, 1e20]), st.none()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ID_CELL, min_size=1, max_size=30), st.booleans())
def test_id_hashes_agree_with_the_exact_keys(cells, with_forms):
    """Equal keys always share a hash (a duplicate is never missed); different keys of a
    small set never do (no false candidate); an empty id hashes to 0 and nothing else."""
    from indeks.scoring.parts import id_hashes, id_keys

    series = pd.Series(cells, dtype=object)
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in cells if c is not None):
        series = pd.to_numeric(series)  # a number column, as a reader gives it
    forms = np.array([("a", "b", None)[i % 3] for i in range(len(cells))], dtype=object)
    forms = forms if with_forms else None
    keys, empty = id_keys(series, forms)
    h = id_hashes(series, forms)
    assert ((h == 0) == empty).all()
    for i in range(len(cells)):
        for j in range(len(cells)):
            if not (empty[i] or empty[j]):
                assert (keys[i] == keys[j]) == (h[i] == h[j]), (keys[i], keys[j])


def test_id_keys_write_numbers_by_value_and_trim_text():
    from indeks.scoring.parts import id_keys

    keys, empty = id_keys(pd.Series([7, 7.0, 7.5, np.nan, -0.0, 1e20]))
    assert keys.tolist() == ["7", "7", "7.5", None, "0", "1e+20"]
    assert empty.tolist() == [False, False, False, True, False, False]
    keys, empty = id_keys(
        pd.Series([" K1", "K1\u00a0", "", None, "\tx y "]), ["p", "p", "p", "c", "c"]
    )
    assert keys.tolist() == ["K1\x00p", "K1\x00p", None, None, "x y\x00c"]
    assert empty.tolist() == [False, False, True, True, False]


@pytest.mark.parametrize("collide", [False, True])
def test_duplicate_ids_are_confirmed_on_the_keys_when_hashes_collide(monkeypatch, collide):
    """Every id sharing one hash (a forced collision) still gives exactly the true
    duplicates: the hash only picks the rows to compare."""
    import indeks.scoring.ids as ids_mod

    if collide:
        monkeypatch.setattr(ids_mod, "text_hashes", lambda t: np.full(len(t), 5, dtype="uint64"))
    inst = indeks.get_instrument("whoqol-bref")
    ids = ["K1", "K2", "K1", " K2", "k1", "", "K3", 7, 7.0]
    df = pd.DataFrame({"id_klien": pd.Series(ids, dtype=object)})
    for it in inst.items:
        df[it.id] = 3
    r = indeks.score(inst, df, id_column="id_klien")
    dup = r.issues[r.issues["code"] == "duplicate_id"]
    # rows 1..n of a frame; 7 and 7.0 in a text column are two different texts
    assert dup["row"].tolist() == [1, 2, 3, 4]
    assert dup["value"].tolist() == ["K1", "K2", "K1", " K2"]
    assert "1, 3" in dup["message"].iloc[0] and "2, 4" in dup["message"].iloc[1]
    assert r.issues[r.issues["code"] == "missing_id"]["row"].tolist() == [6]
    h = r.id_hashes
    assert h is not None and h[5] == 0 and (h[[0, 1, 2, 3, 4, 6, 7, 8]] != 0).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.none()), min_size=1, max_size=40))
def test_text_hashes_are_the_same_place_by_place_and_byte_by_byte(texts):
    """Short texts are hashed one place at a time, long ones byte by byte: the same
    function, so a text hashes alike in every part of a job."""
    import pyarrow as pa

    import indeks.scoring.ids as ids_mod

    arr = pa.array(texts, type=pa.string())
    got = {}
    for short in (0, 10_000):
        ids_mod._SHORT, saved = short, ids_mod._SHORT
        try:
            got[short] = ids_mod.text_hashes(arr)
        finally:
            ids_mod._SHORT = saved
    assert got[0].tolist() == got[10_000].tolist()
    # a slice (an offset into the buffers) hashes as the same texts on their own
    if len(texts) > 2:
        assert ids_mod.text_hashes(arr.slice(1)).tolist() == got[0][1:].tolist()


@pytest.mark.parametrize("block", [40, 64, 85, 97, 150, 158, 333, 700, 1 << 24])
def test_streamed_parts_equal_the_whole_file_wherever_the_first_block_ends(
    tmp_path, monkeypatch, block
):
    """The first block's rows are kept and the file is read on from their end: the parts
    hold the rows, values and row numbers of the whole-file reader, also when the block
    ends inside a quoted answer that spans lines (then the file is read from the start)."""
    import indeks.io.chunks as chunks
    from indeks.io.readers import read_table

    lines = ["id,nilai,catatan"]
    for i in range(1, 41):
        note = f'"baris {i},\nlanjut"' if i % 6 == 0 else ("" if i % 5 == 0 else f"ok {i}")
        lines.append(f"R{i},{i % 4 + 1},{note}")
        if i % 13 == 0:
            lines.append("")  # a blank line between respondents
    path = tmp_path / "panjang.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    whole = read_table(path)
    monkeypatch.setattr(chunks.csvhead, "BLOCK_SIZE", block)
    parts = list(chunks.iter_chunks(path, chunk_rows=7))
    got = pd.concat(parts)
    assert got.index.tolist() == whole.index.tolist()
    assert got["id"].tolist() == whole["id"].tolist()
    assert got["nilai"].tolist() == whole["nilai"].tolist()
    assert got["catatan"].fillna("").tolist() == whole["catatan"].fillna("").tolist()
    assert "baris 6,\nlanjut" in got["catatan"].tolist()


def test_a_date_column_is_read_as_its_text_when_the_file_streams(tmp_path, monkeypatch):
    """A column Arrow would read as dates keeps its text: the first rows are then read
    again with it as text (not kept from the first block)."""
    import indeks.io.chunks as chunks
    from indeks.io.readers import read_table

    lines = ["id,waktu,nilai"] + [
        f"R{i},2024-01-{i % 28 + 1:02d}T10:00:00,{i % 4 + 1}" for i in range(30)
    ]
    path = tmp_path / "waktu.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = read_table(path)
    monkeypatch.setattr(chunks.csvhead, "BLOCK_SIZE", 200)
    got = pd.concat(list(chunks.iter_chunks(path, chunk_rows=8)))
    assert got["waktu"].tolist() == whole["waktu"].tolist()
    assert got["waktu"].iloc[0] == "2024-01-01T10:00:00"
    assert got.index.tolist() == whole.index.tolist()


def test_a_repeated_header_further_down_costs_one_new_reading_not_one_per_column(
    tmp_path, monkeypatch
):
    """Two exports pasted one below the other: the second header row makes every answer
    column text. The file is searched once for all such columns and read again once,
    with the result of the in-memory job (not one new reading per column)."""
    import indeks.io.chunks as chunks

    df = ikm_frame(400)
    df["id_responden"] = [f"X{i}" for i in range(len(df))]  # no duplicate: no second look
    lines = df.to_csv(index=False).splitlines()
    lines.insert(300, lines[0])  # the header again, below row 298
    path = tmp_path / "dua_ekspor.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    a = plain("ikm", path)
    assert "repeated_header" in set(a.issues["code"])
    readings = []
    real = chunks._csv_chunks
    monkeypatch.setattr(
        chunks, "_csv_chunks", lambda *x, **k: (readings.append(1), real(*x, **k))[1]
    )
    monkeypatch.setattr(chunks.csvhead, "BLOCK_SIZE", 2048)  # the first block ends before row 300
    same_result(a, score_files("ikm", path, chunk_rows=50, group_by=GROUPS))
    assert len(readings) == 2


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(_ID_TEXT, st.none()), min_size=1, max_size=30))
def test_id_keys_of_arrow_text_equal_those_of_python_objects(cells):
    """A text column as pandas reads a CSV (Arrow strings) and the same cells as Python
    objects give the same keys (the Arrow column is trimmed by the kernel itself)."""
    from indeks.scoring.ids import duplicate_key_text

    a, ea = duplicate_key_text(pd.Series(cells, dtype="str"))
    b, eb = duplicate_key_text(pd.Series(cells, dtype=object))
    assert a.to_pylist() == b.to_pylist() and ea.tolist() == eb.tolist()


# ------------------------------------------------------------- issues in order when streamed
def _issue_rows(df: pd.DataFrame) -> list[tuple]:
    cols = [c for c in ("file", "row", "code", "column", "item") if c in df.columns]
    out = df[cols].astype(object).where(df[cols].notna(), None)
    return [tuple(str(v) if v is not None else "" for v in r) for r in out.itertuples(index=False)]


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
@pytest.mark.parametrize("inst", list(CASES))
def test_streamed_issues_file_is_in_the_in_memory_order_with_duplicates_across_parts(
    files, tmp_path, inst, ext
):
    csv, _ = files[inst]
    a = plain(inst, csv)
    assert "duplicate_id" in set(a.issues["code"])
    out = tmp_path / f"hasil{ext}"
    score_files(inst, csv, out, chunk_rows=7, group_by=GROUPS)
    read = pd.read_parquet if ext == ".parquet" else pd.read_csv
    got = read(tmp_path / f"hasil.masalah{ext}")
    assert _issue_rows(got) == _issue_rows(a.issues)
    assert not list(tmp_path.glob(".indeks-spool*"))  # the spool of the issues is gone
    if ext == ".csv":  # text only (pyarrow once wrote NUL bytes for a merged part)
        assert b"\x00" not in (tmp_path / "hasil.masalah.csv").read_bytes()


def test_many_files_streamed_keep_the_in_memory_order_of_issues(tmp_path):
    df = whoqol_frame(120)
    df.loc[5, "Q3"] = 9  # an answer off the scale
    a_path, b_path = tmp_path / "a.csv", tmp_path / "b.csv"
    df.iloc[:60].to_csv(a_path, index=False)
    b = df.iloc[60:].copy()
    b.iloc[3, 0] = df.iloc[2, 0]  # an id of file a again in file b
    b.to_csv(b_path, index=False)
    whole = indeks.score("whoqol-bref", [a_path, b_path])
    out = tmp_path / "hasil.csv"
    score_files("whoqol-bref", [a_path, b_path], out, chunk_rows=9)
    got = pd.read_csv(tmp_path / "hasil.masalah.csv")
    assert "duplicate_id" in set(got["code"])
    assert _issue_rows(got) == _issue_rows(whole.issues)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), max_size=6), max_size=6),
    st.lists(st.integers(-1, 35), max_size=8),
    st.booleans(),
)
def test_late_issues_are_merged_in_key_order_after_equal_keys(parts, late, shuffle):
    """Spooled parts (in key order, or not: then everything is sorted) and late issues:
    the result is a stable sort of all of them by key, the parts' issues first."""
    import tempfile

    from indeks.scoring.parts import FileSink

    with tempfile.TemporaryDirectory() as tmp:
        sink = FileSink(Path(tmp) / "o.csv")
        sink.issue_keys = lambda df: df["k"].to_numpy(dtype="int64")
        keys = sorted(k for p in parts for k in p)
        if shuffle:  # parts out of order
            keys = keys[::-1]
        frames, n, arrived = [], 0, []
        for p in parts:
            f = pd.DataFrame(
                {"k": keys[n : n + len(p)], "who": [f"p{n + i}" for i in range(len(p))]}
            )
            n += len(p)
            frames.append(f)
            arrived.append(f)
            sink.issues(f)
        late_df = pd.DataFrame({"k": late, "who": [f"l{i}" for i in range(len(late))]})
        sink.issues(late_df, late=True)
        arrived.append(late_df)
        got = pd.concat(list(sink._ordered_issues()) or [late_df.iloc[:0]], ignore_index=True)
        everything = pd.concat(arrived, ignore_index=True)
        want = everything.iloc[np.argsort(everything["k"].to_numpy(), kind="stable")]
        assert got["who"].tolist() == want["who"].tolist()
        sink.abort()
