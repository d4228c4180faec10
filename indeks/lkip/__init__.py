"""LKIP: indicator realisations, capaian, the audit of a published report, and the
workbook / HTML report of a unit's yearly performance (Laporan Kinerja).

Public API::

    from indeks.lkip import load_workspace, build, check, capaian, ikpa

The capaian and IKPA formulas live in :mod:`indeks.lkip.formulas` (a module may not share
its name with a function the package exports: ``import indeks.lkip.capaian`` would then
give the function).
"""

import sys

from indeks.lkip import formulas
from indeks.lkip.build import BuildResult, build
from indeks.lkip.check import CheckResult, Discrepancy, check, format_check_table
from indeks.lkip.compute import compute
from indeks.lkip.formulas import capaian, ikpa, status
from indeks.lkip.tables import format_capaian_table
from indeks.lkip.workspace import Workspace, WorkspaceError, load_workspace

# The formulas module was called indeks.lkip.capaian; the old name still imports
# (``from indeks.lkip.capaian import status``) without a module file that would replace
# the package's ``capaian`` function once imported.
sys.modules.setdefault("indeks.lkip.capaian", formulas)

__all__ = [
    "BuildResult",
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
