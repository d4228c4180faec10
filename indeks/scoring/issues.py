"""The catalogue of issue codes: stable codes, severity and messages (id / en).

Every problem found in a user's data becomes one row of ``ScoreResult.issues`` with
one of these codes.  Codes never change meaning; new codes may be added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from indeks.i18n import check_lang, tr

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: str
    id: str
    en: str
    meaning: str  # one line for the catalogue (English)


CATALOGUE: dict[str, IssueType] = {
    t.code: t
    for t in [
        IssueType(
            "missing_item_column",
            ERROR,
            "Kolom untuk butir {item} tidak ditemukan; kolom yang mirip: {close}. Butir ini dianggap tidak dijawab.",
            "No column for item {item}; closest headers: {close}. The item is treated as unanswered.",
            "A required item has no column in the data.",
        ),
        IssueType(
            "ambiguous_column",
            ERROR,
            "Beberapa kolom cocok dengan butir {item}: {value}. Tidak ada yang dipakai; gunakan berkas pemetaan (--map).",
            "Several columns match item {item}: {value}. None is used; give a mapping file (--map).",
            "Two or more columns match one item.",
        ),
        IssueType(
            "unknown_label",
            ERROR,
            "Jawaban '{value}' tidak dikenali untuk butir {item}; dianggap tidak dijawab.",
            "Answer '{value}' is not recognised for item {item}; treated as unanswered.",
            "A text answer that is not in the item's label table.",
        ),
        IssueType(
            "out_of_range",
            ERROR,
            "Nilai {value} di luar skala {min}..{max} untuk butir {item}; dianggap tidak dijawab (tidak dipotong).",
            "Value {value} is outside the scale {min}..{max} of item {item}; treated as unanswered (never clipped).",
            "A number outside the declared scale (and not a declared missing code).",
        ),
        IssueType(
            "not_a_code",
            ERROR,
            "Nilai {value} bukan kode jawaban bulat untuk butir {item}; dianggap tidak dijawab.",
            "Value {value} is not a whole answer code for item {item}; treated as unanswered.",
            "A fractional number where a whole answer code is expected.",
        ),
        IssueType(
            "too_many_missing",
            ERROR,
            "Hanya {value} butir dijawab, minimal {min} (aturan {rule}); responden tidak diskor.",
            "Only {value} items answered, at least {min} needed (rule {rule}); respondent not scored.",
            "The respondent answered too few items; rejected.",
        ),
        IssueType(
            "ineligible",
            ERROR,
            "{label} = {value} di luar syarat {min}..{max}; responden tidak diskor.",
            "{label} = {value} is outside the required {min}..{max}; respondent not scored.",
            "The respondent fails an eligibility rule (e.g. age); rejected.",
        ),
        IssueType(
            "missing_eligibility_column",
            ERROR,
            "Kolom {label} ({item}) tidak ditemukan; syarat tidak dapat diperiksa, semua responden tidak diskor. Kolom yang mirip: {close}.",
            "Column {label} ({item}) not found; eligibility cannot be checked, no respondent is scored. Closest headers: {close}.",
            "The column an eligibility rule needs is absent; every row rejected.",
        ),
        IssueType(
            "unknown_form",
            ERROR,
            "Isian formulir '{value}' tidak dikenali; pilihan: {close}. Responden tidak diskor.",
            "Form '{value}' is not recognised; choices: {close}. Respondent not scored.",
            "The form column holds a value that names no form; rejected.",
        ),
        IssueType(
            "duplicate_id",
            WARNING,
            "ID '{value}' muncul lebih dari sekali (baris {close}).",
            "Id '{value}' appears more than once (rows {close}).",
            "The same respondent id on several rows.",
        ),
        IssueType(
            "missing_id",
            WARNING,
            "ID responden kosong.",
            "Respondent id is empty.",
            "An empty id cell.",
        ),
        IssueType(
            "domain_not_computed",
            WARNING,
            "Domain {item} tidak dihitung: {value} butir dijawab, minimal {min} (aturan {rule}).",
            "Domain {item} not computed: {value} items answered, at least {min} needed (rule {rule}).",
            "Too few answered items for a domain; that domain's score is empty.",
        ),
        IssueType(
            "index_incomplete",
            WARNING,
            "Indeks responden tidak dihitung karena domain {value} kosong.",
            "The respondent's index is not computed because domain(s) {value} are empty.",
            "A domain that the index needs is empty for this respondent.",
        ),
        IssueType(
            "sample_too_small",
            WARNING,
            "Jumlah responden terskor {value} kurang dari sampel minimal Krejcie-Morgan {min} untuk populasi {max}.",
            "{value} scored respondents is below the Krejcie-Morgan minimum sample {min} for a population of {max}.",
            "Fewer scored respondents than the Krejcie-Morgan sample size for the given population.",
        ),
        IssueType(
            "unmatched",
            WARNING,
            "Responden '{value}' hanya ada di gelombang {item}; tidak dipasangkan.",
            "Respondent '{value}' is only in wave {item}; not paired.",
            "Pre/post: the respondent is present in one wave only.",
        ),
        IssueType(
            "rejected_in_other_wave",
            WARNING,
            "Responden '{value}' diskor di satu gelombang tetapi ditolak di gelombang {item}.",
            "Respondent '{value}' is scored in one wave but rejected in wave {item}.",
            "Pre/post: scored in one wave, rejected in the other.",
        ),
        IssueType(
            "extra_item_column",
            WARNING,
            "Kolom {value} tampak seperti butir tetapi bukan butir {item}, jadi diabaikan.{close}",
            "Column(s) {value} look like items but are not items of {item}, so they are ignored.{close}",
            "Columns shaped like items beyond the instrument's last item (U10..U14 for ikm); "
            "a better-fitting built-in instrument is named when there is one.",
        ),
        IssueType(
            "summary_row",
            WARNING,
            "Baris ringkasan ('{value}'), bukan responden: tidak diskor dan tidak dihitung dalam n.",
            "Summary row ('{value}'), not a respondent: not scored and not counted in n.",
            "A recap sheet's RATA-RATA / JUMLAH / NRR / IKM row, or a row of sums or averages "
            "where answer codes are expected; excluded before scoring.",
        ),
        IssueType(
            "repeated_header",
            WARNING,
            "Baris ini mengulang judul kolom ({value}), bukan responden: tidak diskor dan tidak dihitung dalam n.",
            "This row repeats the column headers ({value}), not a respondent: not scored and not counted in n.",
            "A header row inside the data (two files pasted together); excluded before scoring.",
        ),
        IssueType(
            "blank_row",
            INFO,
            "Baris kosong: dilewati, tidak dihitung dalam n.",
            "Blank row: skipped, not counted in n.",
            "A fully blank row between data rows; excluded before scoring.",
        ),
    ]
}

ISSUE_COLUMNS = ["row", "respondent_id", "column", "item", "code", "severity", "value", "message"]


def message(code: str, lang: str = "id", **values: object) -> str:
    t = CATALOGUE[code]
    text = t.en if check_lang(lang) == "en" else t.id
    fill = {k: values.get(k, "") for k in ("item", "value", "min", "max", "rule", "label", "close")}
    return text.format(**fill)


class IssueLog:
    """Collects issues as column blocks, so thousands of issues cost no Python loop per row."""

    def __init__(self, lang: str = "id"):
        self.lang = check_lang(lang)
        self._blocks: list[pd.DataFrame] = []

    def add(
        self,
        code: str,
        positions: Any,
        *,
        column: str = "",
        item: str = "",
        values: Any = None,
        messages: Any = None,
        **fmt: Any,
    ) -> None:
        """Record ``code`` for the data rows at ``positions`` (0-based positions).

        ``values`` is an array of the offending values (one per position) or None.
        ``fmt`` holds message fields that are the same for every row.
        """
        positions = np.asarray(positions, dtype="int64").reshape(-1)
        if positions.size == 0:
            return
        t = CATALOGUE[code]
        if messages is not None:
            vals = pd.Series(np.asarray(values, dtype="object")).astype(str)
            msg = pd.Series(list(messages), dtype="object")
        elif values is None:
            vals = pd.Series([fmt.get("value", "")] * positions.size, dtype="object")
            msg = pd.Series(
                [message(code, self.lang, item=item, **fmt)] * positions.size, dtype="object"
            )
        else:
            vals = pd.Series(np.asarray(values, dtype="object")).astype(str)
            # one message per distinct value, mapped back
            uniq = pd.unique(vals)
            texts = {u: message(code, self.lang, item=item, **{**fmt, "value": u}) for u in uniq}
            msg = vals.map(texts)
        self._blocks.append(
            pd.DataFrame(
                {
                    "_pos": positions,
                    "column": column,
                    "item": item,
                    "code": code,
                    "severity": t.severity,
                    "value": vals.to_numpy(),
                    "message": msg.to_numpy(),
                }
            )
        )

    def add_general(self, code: str, *, column: str = "", item: str = "", **fmt: Any) -> None:
        """An issue about the file as a whole (no row)."""
        t = CATALOGUE[code]
        self._blocks.append(
            pd.DataFrame(
                {
                    "_pos": [-1],
                    "column": [column],
                    "item": [item],
                    "code": [code],
                    "severity": [t.severity],
                    "value": [str(fmt.get("value", ""))],
                    "message": [message(code, self.lang, item=item, **fmt)],
                }
            )
        )

    def add_rows(self, code: str, rows: Any, values: Any = None, **fmt: Any) -> None:
        """Issues for rows that are not in the scored data (excluded before scoring),
        given by their spreadsheet row numbers."""
        rows = np.asarray(rows, dtype="int64").reshape(-1)
        if rows.size == 0:
            return
        t = CATALOGUE[code]
        vals = [
            "" if v is None else str(v)
            for v in (values if values is not None else [""] * rows.size)
        ]
        self._blocks.append(
            pd.DataFrame(
                {
                    "_pos": np.full(rows.size, -2, dtype="int64"),
                    "_row": rows,
                    "column": "",
                    "item": "",
                    "code": code,
                    "severity": t.severity,
                    "value": vals,
                    "message": [message(code, self.lang, value=v, **fmt) for v in vals],
                }
            )
        )

    def frame(self, row_numbers: np.ndarray, respondent_ids: np.ndarray) -> pd.DataFrame:
        if not self._blocks:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS}).astype(
                {"row": "Int64"}
            )
        df = pd.concat(self._blocks, ignore_index=True)
        pos = df.pop("_pos").to_numpy()
        given = df.pop("_row").to_numpy() if "_row" in df else np.full(pos.size, np.nan)
        has = pos >= 0
        rows = np.full(pos.size, -1, dtype="int64")
        rows[has] = row_numbers[pos[has]]
        excluded = pos == -2
        rows[excluded] = given[excluded].astype("int64")
        has = has | excluded
        ids = np.full(pos.size, None, dtype="object")
        ids[pos >= 0] = respondent_ids[pos[pos >= 0]]
        df.insert(0, "row", pd.array(np.where(has, rows, 0), dtype="Int64"))
        df.loc[~has, "row"] = pd.NA
        df.insert(1, "respondent_id", ids)
        # stable order: file-level issues first, then by row
        order = np.lexsort((np.arange(len(df)), np.where(has, rows, -1)))
        return df.iloc[order].reset_index(drop=True)[ISSUE_COLUMNS]


def catalogue_frame(lang: str = "id") -> pd.DataFrame:
    """The catalogue as a table (for documentation and ``indeks validate --codes``)."""
    lang = check_lang(lang)
    return pd.DataFrame(
        [
            {
                "code": t.code,
                "severity": t.severity,
                "meaning": t.meaning,
                "message": tr({"id": t.id, "en": t.en}, lang),
            }
            for t in CATALOGUE.values()
        ]
    )
