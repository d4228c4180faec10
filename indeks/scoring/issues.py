"""The catalogue of issue codes: stable codes, severity and messages (id / en).

The codes, their severity and texts live in ``indeks/locale/issues.toml``. Every problem found in a user's data becomes one row of ``ScoreResult.issues`` with
one of these codes.  Codes never change meaning; new codes may be added.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from indeks.i18n import CatalogueFileError, check_lang, load_catalogue, tr

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

    @property
    def texts(self) -> dict[str, str]:
        """The message in each language, for :func:`indeks.i18n.tr`."""
        return {"id": self.id, "en": self.en}


class _Catalogue(Mapping[str, IssueType]):
    """The issue codes (file ``indeks/locale/issues.toml``), read on first use."""

    @staticmethod
    def _types() -> dict[str, IssueType]:
        return _issue_types()

    def __getitem__(self, code: str) -> IssueType:
        return self._types()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._types())

    def __len__(self) -> int:
        return len(self._types())

    def __contains__(self, code: object) -> bool:
        return code in self._types()


@functools.cache
def _issue_types() -> dict[str, IssueType]:
    out = {}
    for code, e in load_catalogue("issues").items():
        if e.get("severity") not in (ERROR, WARNING, INFO) or "meaning" not in e:
            raise CatalogueFileError(f"indeks/locale/issues.toml [{code}]: severity and meaning")
        out[code] = IssueType(code, e["severity"], e["id"], e["en"], e["meaning"])
    return out


CATALOGUE: Mapping[str, IssueType] = _Catalogue()

ISSUE_COLUMNS = ["row", "respondent_id", "column", "item", "code", "severity", "value", "message"]


def message(code: str, lang: str = "id", **values: object) -> str:
    fill = {k: values.get(k, "") for k in ("item", "value", "min", "max", "rule", "label", "close")}
    return tr(CATALOGUE[code].texts, lang, **fill)


def _distinct_texts(values: Any) -> tuple[np.ndarray, list[str]] | None:
    """(code of each value, text of each distinct value) for an array of whole numbers,
    booleans or texts, or a Categorical (the texts ``str`` gives); None for anything else."""
    if isinstance(values, pd.Categorical) and not (values.codes < 0).any():
        return values.codes, [str(c) for c in values.categories]
    arr = np.asarray(values)
    if arr.dtype.kind in "iub":
        uniq, codes = np.unique(arr, return_inverse=True)
        return codes.reshape(-1), [str(u) for u in uniq.astype(object)]
    if arr.dtype == object and pd.api.types.infer_dtype(arr, skipna=False) == "string":
        codes, uniq = pd.factorize(arr)
        return codes, [str(u) for u in uniq]
    return None


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
            distinct = _distinct_texts(values)
            if distinct is not None:  # whole numbers or texts: one message per distinct value
                codes, uniq = distinct
                texts = [message(code, self.lang, item=item, **{**fmt, "value": u}) for u in uniq]
                vals = pd.Series(np.asarray(uniq, dtype=object)[codes], dtype=object)
                msg = pd.Series(np.asarray(texts, dtype=object)[codes], dtype=object)
            else:
                vals = pd.Series(np.asarray(values, dtype="object")).astype(str)
                # one message per distinct value, mapped back
                uniq = pd.unique(vals)
                text_of = {
                    u: message(code, self.lang, item=item, **{**fmt, "value": u}) for u in uniq
                }
                msg = vals.map(text_of)
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
                "message": tr(t.texts, lang),
            }
            for t in CATALOGUE.values()
        ]
    )
