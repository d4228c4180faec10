"""What :func:`indeks.score` returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indeks.display import COLUMNS
from indeks.i18n import label_of, tr
from indeks.instruments.model import Instrument
from indeks.numbers import round_half_up
from indeks.present import label
from indeks.scoring.columns import ColumnMatch
from indeks.scoring.meta import ScoreMeta
from indeks.scoring.stats_merge import PartStats


@dataclass
class ScoreResult:
    """Scores of one data set with one instrument.

    ``respondents``: one row per input row, in input order (rows in = scored + rejected).
    ``summary``: one row overall, then one per group when ``group_by`` was given.
    ``issues``: every problem found, with spreadsheet row, column, code and message.
    ``columns``: which column became which item (:class:`ColumnMatch`).
    ``units``: pooled values per unit (e.g. a family) for multi-form instruments.
    ``meta``: instrument id and version, missing-data rule, provisional warning, ...
    (:class:`~indeks.scoring.meta.ScoreMeta`).
    """

    instrument: Instrument
    respondents: pd.DataFrame
    summary: pd.DataFrame
    issues: pd.DataFrame
    columns: ColumnMatch
    meta: ScoreMeta = field(default_factory=lambda: ScoreMeta())
    units: pd.DataFrame | None = None
    # mergeable group statistics (indeks.scoring.stats_merge) the summary was computed from
    stats: pd.DataFrame | None = field(default=None, repr=False)
    # the same per unit (the table is built from ``unit_parts`` when first asked for)
    unit_parts: pd.DataFrame | PartStats | None = field(default=None, repr=False)
    # 64-bit hash of each respondent's id key (0: empty id; None: not computed), from
    # which a job in parts finds the duplicates across its parts
    id_hashes: np.ndarray | None = field(default=None, repr=False)

    @property
    def unit_stats(self) -> pd.DataFrame | None:
        """Mergeable statistics per unit (multi-form instruments), as :attr:`stats`."""
        if isinstance(self.unit_parts, PartStats):
            self.unit_parts = self.unit_parts.frame()
        return self.unit_parts

    @property
    def provisional_warning(self) -> str:
        return self.meta.get("provisional_warning", "")

    @property
    def n_scored(self) -> int:
        if self.meta.get("streamed"):  # respondents were written to a file, not kept
            return int(self.summary["n_scored"].iloc[0])
        return int((self.respondents["status"] == "scored").sum())

    @property
    def n_rejected(self) -> int:
        if self.meta.get("streamed"):
            return int(self.summary["n_rejected"].iloc[0])
        return int((self.respondents["status"] == "rejected").sum())

    def domain_table(self, lang: str | None = None, row: int = 0) -> pd.DataFrame:
        """Domains of one summary row (default: overall), lowest value first.

        For IKM this is the NRR per unsur with its own mutu letter: what a unit uses
        to plan improvements.
        """
        lang = lang or self.meta.get("lang", "id")
        s = self.summary.iloc[row]
        rows = []
        for d in self.instrument.domains:
            rec = {
                "domain": d.id,
                "label": label_of(d, lang),
                "value": s.get(d.id),
                "value_rounded": round_half_up(s.get(d.id), d.precision),
            }
            if f"{d.id}_category" in s.index:
                rec["category_code"] = s.get(f"{d.id}_category_code")
                rec["category"] = s.get(f"{d.id}_category")
            rows.append(rec)
        return (
            pd.DataFrame(rows)
            .sort_values("value", kind="stable", na_position="last")
            .reset_index(drop=True)
        )

    def precision(self) -> dict[str, int]:
        """Display precision (decimals) of every score column."""
        inst = self.instrument
        out = {}
        for d in inst.domains:
            out[d.id] = d.precision
            out[f"{d.id}_raw"] = d.precision
        if inst.index is not None:
            out["index"] = inst.index.precision
            if inst.conversion is not None:
                out["index_converted"] = inst.conversion.precision
        return out

    def header_labels(self, lang: str | None = None) -> dict[str, str]:
        """Readable column headers for spreadsheets ("physical" -> "Kesehatan fisik (physical)")."""
        return header_labels(self.instrument, lang or self.meta.get("lang", "id"))

    def sheets(self) -> dict[str, pd.DataFrame]:
        out = {"summary": self.summary}
        if self.units is not None:
            out["units"] = self.units
        out["domains"] = self.domain_table()
        out["respondents"] = self.respondents
        out["issues"] = self.issues
        out["columns"] = self.columns.report()
        return out


# headers of the columns every result table can have (texts in indeks.display.COLUMNS)
_COMMON = (
    "respondent_id",
    "row",
    "status",
    "reason",
    "n",
    "n_scored",
    "n_rejected",
    "index_converted",
    "category",
    "category_code",
    "category_converted",
    "category_converted_code",
    "form",
    "unit",
    "population",
    "sample_required",
    "sample_adequate",
    "column",
    "item",
    "code",
    "severity",
    "value",
    "message",
    "matched_by",
    "similarity",
    "closest",
    "domain",
    "label",
    "value_rounded",
)


def header_labels(inst: Instrument, lang: str = "id") -> dict[str, str]:
    """Readable headers for every column a result can have; ids stay visible in brackets."""
    out = {c: tr(COLUMNS[c], lang) for c in _COMMON}
    for d in inst.domains:
        name = label_of(d, lang)
        out[d.id] = f"{name} ({d.id})"
        out[f"{d.id}_raw"] = label("raw_score_header", lang, label=name, id=f"{d.id}_raw")
        out[f"{d.id}_category"] = label("category_header", lang, label=name)
        out[f"{d.id}_category_code"] = label("code_header", lang, label=name)
    if inst.index is not None:
        out["index"] = label_of(inst.index, lang)
    # every other column the outputs can show (pre/post comparison, ...): one table
    from indeks.display import SPECIAL_DOMAINS, derived_columns, display_name

    for c in COLUMNS:
        out.setdefault(c, display_name(c, lang, inst) or c)
    for d in [*(d.id for d in inst.domains), *SPECIAL_DOMAINS]:
        for c in derived_columns(d):
            out.setdefault(c, display_name(c, lang, inst) or c)
    return out
