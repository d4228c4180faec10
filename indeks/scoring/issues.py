"""The catalogue of issue codes: stable codes, severity and messages (id / en).

The codes, their severity and texts live in ``indeks/locale/issues.toml``. Every problem found in a user's data becomes one row of ``ScoreResult.issues`` with
one of these codes.  Codes never change meaning; new codes may be added.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from indeks.i18n import DEFAULT_LANG, CatalogueFileError, check_lang, load_catalogue, tr
from indeks.scoring.texts import default_text_dtype, text_from_codes

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


_SENTINEL = "\x00\x01value\x01\x00"


def _value_messages(
    code: str, lang: str, item: str, fmt: dict[str, Any], values: list[str]
) -> list[str]:
    """``message(code, lang, item=item, **fmt, value=v)`` for each text ``v``: when the
    message shows the value as it is (``{value}``), it is written once with a marker in
    its place and each message is the value put where the marker is."""
    if len(values) < 16:
        return [message(code, lang, item=item, **{**fmt, "value": v}) for v in values]
    texts = CATALOGUE[code].texts
    template = texts.get(check_lang(lang)) or texts[DEFAULT_LANG]
    fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(template) if f]
    plain = [f for f, spec, conv in fields if f == "value" and not spec and conv in (None, "s")]
    if len(plain) != sum(f.split(".")[0].split("[")[0] == "value" for f, _, _ in fields):
        return [message(code, lang, item=item, **{**fmt, "value": v}) for v in values]
    marked = message(code, lang, item=item, **{**fmt, "value": _SENTINEL})
    if marked.count(_SENTINEL) != len(plain):
        return [message(code, lang, item=item, **{**fmt, "value": v}) for v in values]
    pieces = marked.split(_SENTINEL)
    return [
        v.join(pieces) if type(v) is str else message(code, lang, item=item, **{**fmt, "value": v})
        for v in values
    ]


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


@dataclass
class _Texts:
    """Text per row as codes into a list of texts (``codes`` None: one text for every row)."""

    codes: np.ndarray | None
    texts: list[str]


@dataclass
class _Block:
    """One ``add`` call: positions, four texts shared by its rows, value and message."""

    pos: np.ndarray  # int64: 0-based data row; -1 about the file; -2 a row given in ``rows``
    rows: np.ndarray | None  # spreadsheet rows of the -2 positions
    shared: tuple[str, str, str, str]  # column, item, code, severity
    value: _Texts
    message: _Texts


_SHARED = ("column", "item", "code", "severity")


def _plain_text(*values: Any) -> bool:
    return all(type(v) is str for v in values)


class IssueLog:
    """Collects issues as column blocks, so thousands of issues cost no Python loop per row.

    A block keeps its row positions and its texts as codes into a few distinct texts; the
    issues table is built once, in :meth:`frame`.  A block with other cells than plain
    texts (a column named by a number, say) is kept as the table it makes, and the table
    of every block is then built as pandas builds it from such cells.
    """

    def __init__(self, lang: str = "id"):
        self.lang = check_lang(lang)
        self._blocks: list[_Block | pd.DataFrame] = []

    def _append(
        self,
        pos: np.ndarray,
        rows: np.ndarray | None,
        shared: tuple[Any, Any, Any, Any],
        value: _Texts | np.ndarray,
        msg: _Texts | np.ndarray,
    ) -> None:
        if (
            _plain_text(*shared)
            and isinstance(value, _Texts)
            and isinstance(msg, _Texts)
            and _plain_text(*value.texts, *msg.texts)
        ):
            self._blocks.append(_Block(pos, rows, shared, value, msg))
            return
        self._blocks.append(_block_frame(pos, rows, shared, value, msg))

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
        shared = (column, item, code, t.severity)
        vals: _Texts | np.ndarray
        msg: _Texts | np.ndarray
        if messages is not None:
            sv = pd.Series(np.asarray(values, dtype="object")).astype(str)
            mlist = list(messages)
            if sv.hasnans or not _plain_text(*mlist):
                vals, msg = sv.to_numpy(), np.asarray(mlist + [None], dtype=object)[:-1]
            else:
                vals, msg = _factorized(sv), _Texts(np.arange(len(mlist)), mlist)
        elif values is None:
            one = fmt.get("value", "")
            text = message(code, self.lang, item=item, **fmt)
            vals = (
                _Texts(None, [one])
                if _plain_text(one)
                else np.full(positions.size, one, dtype=object)
            )
            msg = _Texts(None, [text])
        else:
            distinct = _distinct_texts(values)
            if distinct is not None:  # whole numbers or texts: one message per distinct value
                codes, uniq = distinct
            else:
                sv = pd.Series(np.asarray(values, dtype="object")).astype(str)
                if sv.hasnans:  # missing values stay missing (as pandas gives them)
                    uniq_ = pd.unique(sv)
                    text_of = {
                        u: message(code, self.lang, item=item, **{**fmt, "value": u}) for u in uniq_
                    }
                    self._append(positions, None, shared, sv.to_numpy(), sv.map(text_of).to_numpy())
                    return
                codes, uniq_index = pd.factorize(sv)
                uniq = [str(u) for u in uniq_index]
            # one message per distinct value
            texts = _value_messages(code, self.lang, item, fmt, uniq)
            vals, msg = _Texts(codes, uniq), _Texts(codes, texts)
        self._append(positions, None, shared, vals, msg)

    def add_general(self, code: str, *, column: str = "", item: str = "", **fmt: Any) -> None:
        """An issue about the file as a whole (no row)."""
        t = CATALOGUE[code]
        self._append(
            np.full(1, -1, dtype="int64"),
            None,
            (column, item, code, t.severity),
            _Texts(None, [str(fmt.get("value", ""))]),
            _Texts(None, [message(code, self.lang, item=item, **fmt)]),
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
        every = np.arange(len(vals))
        self._append(
            np.full(rows.size, -2, dtype="int64"),
            rows,
            ("", "", code, t.severity),
            _Texts(every, vals),
            _Texts(every, [message(code, self.lang, value=v, **fmt) for v in vals]),
        )

    def frame(self, row_numbers: np.ndarray, respondent_ids: Any) -> pd.DataFrame:
        """The issues table; ``respondent_ids``: an array of the rows' ids, or anything
        that gives them for an array of positions (``respondent_ids[positions]``)."""
        if not self._blocks:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS}).astype(
                {"row": "Int64"}
            )
        if any(isinstance(b, pd.DataFrame) for b in self._blocks):
            return _frame_of_tables(
                [b if isinstance(b, pd.DataFrame) else _table(b) for b in self._blocks],
                row_numbers,
                respondent_ids,
            )
        blocks = [b for b in self._blocks if isinstance(b, _Block)]
        sizes = np.array([b.pos.size for b in blocks], dtype="int64")
        pos = np.concatenate([b.pos for b in blocks])
        has = pos >= 0
        rows = np.full(pos.size, -1, dtype="int64")
        rows[has] = row_numbers[pos[has]]
        excluded = pos == -2
        if excluded.any():
            rows[excluded] = np.concatenate([b.rows for b in blocks if b.rows is not None])
        # stable order: file-level issues first, then by row
        known = has | excluded
        key = np.where(known, rows, -1)
        order = None if bool((key[1:] >= key[:-1]).all()) else np.argsort(key, kind="stable")

        def arrange(a: np.ndarray) -> np.ndarray:
            return a if order is None else a[order]

        key, pos, known = arrange(key), arrange(pos), arrange(known)
        out: dict[str, Any] = {"row": pd.arrays.IntegerArray(key, ~known)}
        ids = np.full(pos.size, None, dtype="object")
        at = np.flatnonzero(pos >= 0)
        ids[at] = respondent_ids[pos[at]]
        out["respondent_id"] = ids
        text_dtype = default_text_dtype()
        for i, name in enumerate(_SHARED):
            texts, first = _distinct([b.shared[i] for b in blocks])
            out[name] = text_from_codes(texts, arrange(np.repeat(first, sizes)), text_dtype)
        for name in ("value", "message"):
            parts = [getattr(b, name) for b in blocks]
            texts, start = [], 0
            codes = []
            for part, size in zip(parts, sizes, strict=True):
                c = np.zeros(size, dtype="int32") if part.codes is None else part.codes
                codes.append(np.add(c, start, dtype="int32"))
                texts.extend(part.texts)
                start += len(part.texts)
            out[name] = text_from_codes(texts, arrange(np.concatenate(codes)), text_dtype)
        return pd.DataFrame(out, columns=ISSUE_COLUMNS, copy=False)


def _distinct(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """(the distinct texts, the position of each text among them)."""
    index: dict[str, int] = {}
    codes = [index.setdefault(t, len(index)) for t in texts]
    return list(index), np.array(codes, dtype="int32")


def _factorized(sv: pd.Series) -> _Texts:
    codes, uniq = pd.factorize(sv)
    return _Texts(codes, [str(u) for u in uniq])


def _cells(part: _Texts | np.ndarray) -> Any:
    if not isinstance(part, _Texts):
        return part
    if part.codes is None:
        return part.texts[0]
    return np.asarray(part.texts, dtype=object)[part.codes]


def _block_frame(
    pos: np.ndarray,
    rows: np.ndarray | None,
    shared: tuple[Any, Any, Any, Any],
    value: _Texts | np.ndarray,
    msg: _Texts | np.ndarray,
) -> pd.DataFrame:
    """The table of one block as pandas makes it of its cells."""
    cols: dict[str, Any] = {"_pos": pos}
    if rows is not None:
        cols["_row"] = rows
    for name, v in zip(_SHARED, shared, strict=True):
        cols[name] = v
    cols["value"] = _cells(value)
    cols["message"] = _cells(msg)
    if pos.size == 1 and pos[0] == -1:  # a file-level issue: one row of scalars
        return pd.DataFrame({k: [v] if np.ndim(v) == 0 else v for k, v in cols.items()})
    return pd.DataFrame(cols)


def _table(b: _Block) -> pd.DataFrame:
    return _block_frame(b.pos, b.rows, b.shared, b.value, b.message)


def _frame_of_tables(
    tables: list[pd.DataFrame], row_numbers: np.ndarray, respondent_ids: Any
) -> pd.DataFrame:
    """The issues table of blocks kept as tables."""
    df = pd.concat(tables, ignore_index=True)
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
