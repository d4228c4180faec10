"""The LKIP as PDF: the Word document converted by LibreOffice (headless).

Chosen over rendering the HTML report (e.g. with WeasyPrint) because the PDF is then the
very document the planning officer edits, signs and submits: the same tables, narrative,
page breaks before each sasaran, repeated table headers and a footer with the unit, the
year and the page number (a Word PAGE field), on A4 portrait.  LibreOffice is an ordinary
Debian package (``libreoffice-writer``); WeasyPrint would need Pango and its own layout of
the HTML, a second document to keep in step.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from indeks.errors import FileError
from indeks.i18n import catalogue, tr

MSG = catalogue("lkip/pdf")


def office_executable() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, out_dir: Path, lang: str = "id", timeout: float = 300) -> Path:
    """Convert ``docx`` into ``out_dir/<stem>.pdf`` with LibreOffice headless."""
    exe = office_executable()
    if exe is None:
        raise FileError(tr(MSG["no_office"], lang), docx)
    pdf = out_dir / (docx.stem + ".pdf")
    # a private profile: a running LibreOffice (or another conversion) does not block this one
    with tempfile.TemporaryDirectory(prefix="indeks-lo-") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise FileError(tr(MSG["failed"], lang, file=docx.name, error=exc), docx) from None
    if proc.returncode != 0 or not pdf.exists():
        err = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip()[:300]
        raise FileError(tr(MSG["failed"], lang, file=docx.name, error=err or proc.returncode), docx)
    return pdf


__all__ = ["docx_to_pdf", "office_executable"]
