"""Presentation helpers shared by the command line, the web page and the demo.

How a result is shown to a person, decided once: lists typed as ``a,b`` or repeated,
the Excel sheet argument, a category as ``label (code)``, numbers rounded half-up, p
values, and the labels of the result tables (:data:`LABELS`, Bahasa Indonesia and
English). Nothing here prints; :mod:`indeks.terminal` prints with rich, the web page
renders HTML.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from indeks.i18n import catalogue, label_of, tr

LABELS = catalogue("present")


def label(key: str, lang: str | None = None, **values: Any) -> str:
    """The text of :data:`LABELS` entry ``key`` in ``lang``."""
    return tr(LABELS[key], lang, **values)


def split_list(values: str | Iterable[str] | None) -> list[str]:
    """Names typed as ``"a, b"``, given as a repeated option (``["a", "b,c"]``) or both:
    one flat list, blanks dropped (``--group``, ``--pre-reversed``, web form fields)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in str(v).split(",") if x.strip())
    return out


def sheet_arg(sheet: str | int | None) -> str | int | None:
    """An Excel sheet as typed: digits are a 0-based position, anything else a name;
    empty means the first sheet."""
    if sheet is None or isinstance(sheet, int):
        return sheet
    sheet = sheet.strip()
    if not sheet:
        return None
    return int(sheet) if sheet.isdigit() else sheet


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA/NaT; never raises (lists and other objects are not missing)."""
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(value is pd.NA or pd.isna(value))
    except (TypeError, ValueError):
        return False


def category_text(label_text: Any, code: Any = None) -> str:
    """A category as ``label (code)``; the label alone when the code is missing or the same."""
    if is_missing(label_text):
        return ""
    text = str(label_text)
    if is_missing(code) or not str(code) or str(code) == text:
        return text
    return f"{text} ({code})"


def format_number(value: Any, decimals: int = 2) -> str:
    """A number rounded half-up at ``decimals`` (decimal point); "" for a missing value,
    the text itself for anything that is not a number."""
    if is_missing(value):
        return ""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isinf(f):
        return str(f)
    from indeks.numbers import format_half_up  # numpy: not on the path of `indeks --help`

    return format_half_up(f, decimals)


def excluded_lines(issues: Any, lang: str | None = None) -> list[str]:
    """What was left out, for the top of a result: the rows that are not respondents
    (recap-sheet summaries, repeated headers, blank rows) and ignored item-like columns."""
    if issues is None or not len(issues):
        return []
    parts = []
    for code in ("summary_row", "repeated_header", "blank_row"):
        picked = issues["code"] == code
        rows = issues.loc[picked, "row"].astype(str)
        if "file" in issues.columns:  # many files: file:row
            rows = issues.loc[picked, "file"].astype(str) + ":" + rows
        if len(rows):
            shown = ", ".join(rows.head(8))
            shown += ", ..." if len(rows) > 8 else ""
            parts.append(label(f"excluded_{code}", lang, n=len(rows), rows=shown))
    lines = [label("excluded_rows", lang, what="; ".join(parts))] if parts else []
    lines += [str(m) for m in issues.loc[issues["code"] == "extra_item_column", "message"]]
    return lines


def format_p(value: Any) -> str:
    """A p value: four decimals, ``<0.0001`` below that, "" when missing."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if math.isnan(v):
        return ""
    return "<0.0001" if 0 <= v < 0.0001 else format_number(v, 4)


def domain_labels(instrument: Any, lang: str | None = None) -> dict[str, str]:
    """Labels of the instrument's domains and index (and of the pre/post rules) in ``lang``."""
    out = {d.id: label_of(d, lang) for d in instrument.domains}
    if instrument.index is not None:
        out["index"] = label_of(instrument.index, lang)
    for key in ("all_domains", "any_domain", "headline"):
        out[key] = label(key, lang)
    return out


# the counts and the headline share of a pre/post summary: (column, label key)
_COMPARE_COUNTS = (
    ("n_pairs", "pairs"),
    ("n_unmatched_pre", "only_pre"),
    ("n_unmatched_post", "only_post"),
    ("n_rejected_pre", "rejected_pre"),
    ("n_rejected_post", "rejected_post"),
    ("n_duplicate", "duplicate_ids"),
    ("share_text", "improved_headline"),
)


def compare_measures(
    columns: Iterable[str], domain_names: Mapping[str, str], lang: str | None = None
) -> list[tuple[str, str]]:
    """(column, label) of the rows of a pre/post summary in display order: the counts and
    the headline share improved, then % improved and mean change of each domain (named by
    ``domain_names``, by its id where that has none); only the columns in ``columns``."""
    cols = list(columns)
    out = [(col, label(key, lang)) for col, key in _COMPARE_COUNTS]
    for prefix, key in (("pct_improved_", "pct_improved_of"), ("mean_change_", "mean_change_of")):
        for col in cols:
            if col.startswith(prefix):
                d = col[len(prefix) :]
                out.append((col, label(key, lang, what=domain_names.get(d, d))))
    return [(col, name) for col, name in out if col in cols]


def rule_text(rule: str, lang: str | None, labels: dict[str, str]) -> str:
    """What "improved" means under a headline rule, in words."""
    if f"rule_{rule}" in LABELS:
        return label(f"rule_{rule}", lang)
    if rule in labels:
        return label("rule_domain", lang, what=labels[rule])
    return str(rule)


__all__ = [
    "LABELS",
    "category_text",
    "domain_labels",
    "format_number",
    "format_p",
    "excluded_lines",
    "is_missing",
    "label",
    "rule_text",
    "sheet_arg",
    "split_list",
]
