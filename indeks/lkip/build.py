"""Build the LKIP outputs of a workspace: an XLSX workbook, a self-contained printable
HTML report and PNG charts, all written atomically (into a temporary directory next
to the output, then moved into place file by file).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from indeks.errors import FileError
from indeks.i18n import catalogue, tr
from indeks.lkip.charts import chart_capaian, chart_history
from indeks.lkip.check import CheckResult, audit
from indeks.lkip.compute import Computation
from indeks.lkip.html import render_html
from indeks.lkip.pdf import docx_to_pdf
from indeks.lkip.tables import (
    format_capaian_table,
    slug,
)
from indeks.lkip.word import write_docx
from indeks.lkip.workspace import Workspace
from indeks.lkip.xlsx import write_xlsx

MSG = catalogue("lkip/build")

# --------------------------------------------------------------------------- result


@dataclass
class BuildResult:
    computation: Computation
    check: CheckResult
    out_dir: Path
    files: dict[str, Path] = field(
        default_factory=dict
    )  # "xlsx", "html", "chart:capaian", "chart:ikk-01"...
    warnings: list[str] = field(default_factory=list)

    @property
    def workspace(self) -> Workspace:
        return self.computation.workspace

    @property
    def xlsx(self) -> Path:
        return self.files["xlsx"]

    @property
    def html(self) -> Path:
        return self.files["html"]

    @property
    def docx(self) -> Path:
        return self.files["docx"]

    @property
    def charts(self) -> list[Path]:
        return [p for k, p in self.files.items() if k.startswith("chart:")]


# --------------------------------------------------------------------------- build


def build(
    workspace_path: str | Path | Workspace,
    out_dir: str | Path,
    lang: str | None = None,
    template: str | Path | None = None,
    pdf: bool = False,
) -> BuildResult:
    """Compute every figure of the workspace and write, atomically, into ``out_dir``:

    * ``lkip-<unit>-<year>.xlsx`` (sheets Perjanjian Kinerja, Capaian Sasaran Kegiatan,
      Ikhtisar, Anggaran, Rincian, Provenans, Pemeriksaan),
    * ``lkip-<unit>-<year>.html`` (self-contained, printable, charts inline),
    * ``lkip-<unit>-<year>.docx`` (chapter III with generated narrative; the styles of
      ``template``, an agency .docx, when given),
    * ``lkip-<unit>-<year>.pdf`` with ``pdf=True``: that document converted by LibreOffice
      (A4 portrait, page numbers, unit and year in the footer),
    * ``charts/capaian-<year>.png`` and ``charts/ikk-NN.png`` (target vs realisasi over
      the years).
    """
    ws_, lang, comp, chk = audit(workspace_path, lang)
    if template is not None:
        template = Path(template)
        if not template.is_file() or template.suffix.lower() != ".docx":
            raise FileError(tr(MSG["template"], lang, file=template), template)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"lkip-{slug(ws_.unit)}-{ws_.year}"
    charts: dict[str, bytes] = {"capaian": chart_capaian(comp, lang)}
    for r in comp.indicators:
        charts[f"ikk-{r.number:02d}"] = chart_history(r, ws_.year, lang)

    tmp = Path(tempfile.mkdtemp(prefix=".lkip-build-", dir=out_dir))
    try:
        rel: dict[str, Path] = {}
        (tmp / "charts").mkdir()
        for key, data in charts.items():
            name = f"charts/capaian-{ws_.year}.png" if key == "capaian" else f"charts/{key}.png"
            (tmp / name).write_bytes(data)
            rel[f"chart:{key}"] = Path(name)
        write_xlsx(comp, chk, tmp / f"{stem}.xlsx", lang)
        rel["xlsx"] = Path(f"{stem}.xlsx")
        (tmp / f"{stem}.html").write_text(render_html(comp, chk, charts, lang), encoding="utf-8")
        rel["html"] = Path(f"{stem}.html")
        write_docx(comp, chk, charts, tmp / f"{stem}.docx", lang, template=template)
        rel["docx"] = Path(f"{stem}.docx")
        if pdf:
            docx_to_pdf(tmp / f"{stem}.docx", tmp, lang)
            rel["pdf"] = Path(f"{stem}.pdf")
        # everything written: move into place (os.replace is atomic per file)
        (out_dir / "charts").mkdir(exist_ok=True)
        files = {}
        for key, relpath in rel.items():
            os.replace(tmp / relpath, out_dir / relpath)
            files[key] = out_dir / relpath
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildResult(comp, chk, out_dir, files, list(comp.warnings))


__all__ = [
    "BuildResult",
    "build",
    "chart_capaian",
    "chart_history",
    "format_capaian_table",
    "render_html",
    "write_xlsx",
]
