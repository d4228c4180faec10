"""Match a data frame's column headers to an instrument's items and special columns.

Headers are compared after normalisation: the part after the last ``/`` (KoboToolbox
group prefixes such as ``group_x/q1``), lower case, without spaces and the characters
``_ - . : ( ) #``; so ``Q1``, ``q_1``, ``1.`` and ``group_a/Q1`` all reach the same key.
A user mapping (item id -> exact column header) comes first and covers exports whose
headers are the full question text (Google Forms).
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indeks.errors import ScoringInputError
from indeks.instruments.model import Instrument

_STRIP = re.compile(r"[\s_\-.:()#'\"\[\]]+")


def norm_header(header: object) -> str:
    text = str(header).strip()
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    return _STRIP.sub("", text.lower())


@dataclass
class ColumnMatch:
    """Which column became which item, and what was left over."""

    items: dict[str, str] = field(default_factory=dict)  # item id -> column header
    missing: dict[str, list[str]] = field(default_factory=dict)  # item id -> closest headers
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # item id -> candidate headers
    id_column: str | None = None
    form_column: str | None = None
    unit_column: str | None = None
    eligibility: dict[str, str] = field(default_factory=dict)  # rule id -> column
    eligibility_missing: dict[str, list[str]] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    how: dict[str, str] = field(default_factory=dict)  # item id -> "mapping" | "id" | "alias"

    def report(self) -> pd.DataFrame:
        """One row per item: item, column, how it was matched (or why not)."""
        rows = []
        for item, col in self.items.items():
            rows.append({"item": item, "column": col, "matched_by": self.how.get(item, "")})
        for item, close in self.missing.items():
            rows.append(
                {"item": item, "column": "", "matched_by": "missing", "closest": ", ".join(close)}
            )
        for item, cands in self.ambiguous.items():
            rows.append({"item": item, "column": " | ".join(cands), "matched_by": "ambiguous"})
        for c in self.ignored:
            rows.append({"item": "", "column": c, "matched_by": "ignored"})
        df = pd.DataFrame(rows, columns=["item", "column", "matched_by", "closest"], dtype=object)
        return df.where(df.notna(), "")


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a mapping file: item id -> column header.

    Accepted: ``.csv`` (two columns: item, column; a header row is allowed), ``.json``
    (an object), ``.toml`` (a table, optionally under ``[columns]``), ``.xlsx`` (first
    two columns of the first sheet).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(p.read_text(encoding="utf-8-sig"))
        elif suffix == ".toml":
            data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
            data = data.get("columns", data)
        elif suffix in (".csv", ".txt", ".tsv"):
            text = p.read_text(encoding="utf-8-sig")
            import csv
            import io

            first = text.splitlines()[0] if text.strip() else ""
            delim = max([",", ";", "\t"], key=first.count) if first else ","
            data = {}
            for r in csv.reader(io.StringIO(text), delimiter=delim):
                if len(r) >= 2 and r[0].strip():
                    data[r[0].strip()] = r[1].strip()
        elif suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(p, header=None, dtype=str)
            data = {
                str(a).strip(): str(b).strip()
                for a, b in zip(df.iloc[:, 0], df.iloc[:, 1])
                if isinstance(a, str)
            }
        else:
            raise ScoringInputError(
                f"{p.name}: the mapping file must be .csv, .json, .toml or .xlsx"
            )
    except ScoringInputError:
        raise
    except Exception as exc:  # any unreadable mapping file is one clear message
        raise ScoringInputError(f"{p.name}: the mapping file cannot be read ({exc})") from None
    if not isinstance(data, dict):
        raise ScoringInputError(f"{p.name}: the mapping must map item ids to column headers")
    out = {str(k).strip().lower(): str(v) for k, v in data.items()}
    for k in ("item", "butir", "item_id"):
        out.pop(k, None)  # a header row
    return out


def _closest(name: str, headers: list[str], n: int = 3) -> list[str]:
    keyed = {norm_header(h): h for h in headers}
    found = difflib.get_close_matches(norm_header(name), list(keyed), n=n, cutoff=0.5)
    return [keyed[f] for f in found]


def _find_special(headers, normed, aliases) -> str | None:
    wanted = [norm_header(a) for a in aliases]
    for w in wanted:
        for h, n in zip(headers, normed):
            if n == w:
                return h
    return None


def _require(headers, name: str, what: str) -> str:
    if name in headers:
        return name
    normed = {norm_header(h): h for h in headers}
    if norm_header(name) in normed:
        return normed[norm_header(name)]
    close = _closest(name, headers)
    hint = f" Kolom yang mirip / closest: {', '.join(close)}." if close else ""
    raise ScoringInputError(
        f"Kolom {what} '{name}' tidak ada di data / {what} column '{name}' not found.{hint}"
    )


def match_columns(
    inst: Instrument,
    columns,
    mapping: dict[str, str] | str | Path | None = None,
    id_column: str | None = None,
    group_by: list[str] | None = None,
    form_column: str | None = None,
    unit_column: str | None = None,
) -> ColumnMatch:
    headers = [str(c) for c in columns]
    normed = [norm_header(h) for h in headers]
    m = ColumnMatch()
    if isinstance(mapping, (str, Path)):
        mapping = load_mapping(mapping)
    mapping = {str(k).strip().lower(): v for k, v in (mapping or {}).items()}
    used: set[str] = set()

    item_ids = set(inst.item_ids)
    unknown = [k for k in mapping if k not in item_ids]
    if unknown and len(unknown) == len(mapping):
        raise ScoringInputError(
            f"Berkas pemetaan tidak menyebut butir {inst.id} / the mapping names no item of {inst.id}: {', '.join(unknown[:5])}"
        )
    for it in inst.items:
        if it.id in mapping:
            want = mapping[it.id]
            if want in headers:
                m.items[it.id] = want
            else:
                cand = [
                    h
                    for h in headers
                    if norm_header(h) == norm_header(want) or h.strip() == want.strip()
                ]
                if not cand:
                    m.missing[it.id] = _closest(want, headers)
                    continue
                m.items[it.id] = cand[0]
            m.how[it.id] = "mapping"
            used.add(m.items[it.id])
    # by id and aliases
    for it in inst.items:
        if it.id in m.items or it.id in m.missing:
            continue
        keys = [norm_header(it.id)] + [norm_header(a) for a in it.aliases]
        cands = []
        for key_i, key in enumerate(keys):
            hits = [h for h, n in zip(headers, normed) if n == key and h not in used]
            if hits:
                cands = hits
                how = "id" if key_i == 0 else "alias"
                break
        if len(cands) == 1:
            m.items[it.id] = cands[0]
            m.how[it.id] = how
            used.add(cands[0])
        elif len(cands) > 1:
            m.ambiguous[it.id] = cands
            used.update(cands)
        else:
            m.missing[it.id] = _closest(it.id, [h for h in headers if h not in used]) or _closest(
                it.label, [h for h in headers if h not in used]
            )

    # special columns
    if id_column:
        m.id_column = _require(headers, id_column, "ID")
    else:
        m.id_column = _find_special(
            [h for h in headers if h not in used],
            [norm_header(h) for h in headers if h not in used],
            inst.id_aliases,
        )
    if form_column:
        m.form_column = _require(headers, form_column, "form")
    elif inst.form_aliases:
        m.form_column = _find_special(headers, normed, inst.form_aliases)
    if unit_column:
        m.unit_column = _require(headers, unit_column, "unit")
    elif inst.unit_aliases:
        m.unit_column = _find_special(headers, normed, inst.unit_aliases)
    for rule in inst.eligibility:
        col = _find_special(headers, normed, (rule.column,) + rule.aliases)
        if col is None:
            m.eligibility_missing[rule.id] = _closest(rule.column, headers)
        else:
            m.eligibility[rule.id] = col
    for g in group_by or []:
        m.groups.append(_require(headers, g, "kelompok/group"))
    special = {m.id_column, m.form_column, m.unit_column, *m.eligibility.values(), *m.groups}
    m.ignored = [h for h in headers if h not in used and h not in special]
    return m
