"""The sample Kupang 2024 workspace with realisations computed from questionnaire files."""

from pathlib import Path

import pytest

from indeks.lkip import check, compute

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "kupang-2024"


@pytest.fixture(scope="module")
def comp():
    return compute(SAMPLE / "workspace-instruments.toml")


@pytest.mark.parametrize(
    "number, realisasi, capaian, instrument",
    [
        (1, 84.38, 103.74, "dektara"),  # 945 of 1120 points pooled over 10 families (post-test)
        (2, 40.98, 76.38, "dektari"),  # post-test group mean of 10 teenagers aged 12..21
        (3, 3.54, 100.28, "ikp"),  # city value: mean over all activists
        (4, 100.00, 147.06, "whoqol-bref"),  # 7 of 7 clients improved
        (8, 3.55, 136.54, "ikm"),  # 639 / 180 points
    ],
)
def test_realisations_from_questionnaires(comp, number, realisasi, capaian, instrument):
    r = next(x for x in comp.indicators if x.number == number)
    assert r.realisasi == pytest.approx(realisasi)
    assert r.capaian.value == pytest.approx(capaian, abs=0.005)
    prov = r.realisation.provenance
    assert prov["instrument"] == instrument
    assert all(len(f["sha256"]) == 64 for f in prov["files"])
    if instrument in ("dektara", "dektari", "whoqol-bref"):
        assert "SEMENTARA" in prov["provisional_warning"]
    if instrument == "ikm":
        assert not prov.get("provisional_warning")


def test_check_on_instrument_workspace_still_finds_the_summary_slip():
    res = check(SAMPLE / "workspace-instruments.toml")
    fields = {(d.indicator, d.field) for d in res.issues}
    assert (4, "capaian_summary") in fields
