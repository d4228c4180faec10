"""LKIP: indicator realisations, capaian, the audit of a published report, and the
workbook / HTML report of a unit's yearly performance (Laporan Kinerja).

Public API::

    from indeks.lkip import load_workspace, build, check, capaian, ikpa
"""

from indeks.lkip.capaian import capaian, ikpa, status
from indeks.lkip.check import CheckResult, Discrepancy, check, format_check_table
from indeks.lkip.compute import compute
from indeks.lkip.workspace import Workspace, WorkspaceError, load_workspace


def build(workspace_path, out_dir, lang=None):
    """See :func:`indeks.lkip.build.build` (imported lazily: matplotlib, openpyxl)."""
    from indeks.lkip.build import build as _build

    return _build(workspace_path, out_dir, lang=lang)


def format_capaian_table(result, lang=None):
    """See :func:`indeks.lkip.build.format_capaian_table`."""
    from indeks.lkip.build import format_capaian_table as _f

    return _f(result, lang=lang)


__all__ = [
    "CheckResult",
    "Discrepancy",
    "Workspace",
    "WorkspaceError",
    "build",
    "capaian",
    "check",
    "compute",
    "format_capaian_table",
    "format_check_table",
    "ikpa",
    "load_workspace",
    "status",
]
