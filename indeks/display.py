"""Display names (Bahasa Indonesia / English) of every column an output shows.

One table for the HTML report, the Word document, the XLSX writer and the web page:
generic columns (counts, index, categories, pre/post comparison, IKPA aspects) and the
columns derived from an instrument's domains (``physical``, ``physical_raw``,
``physical_category``, ``pct_improved_physical``, ``mean_change_physical``...), named with
the domain's label.  :func:`display_name` returns ``None`` for a column it does not know,
so a test can fail on any shown column without a display name
(:func:`missing_display_names`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from indeks.i18n import catalogue, check_lang, label_of, tr

if TYPE_CHECKING:
    from indeks.instruments.model import Instrument

# column -> {"id": ..., "en": ...} (indeks/locale/display/columns.toml)
COLUMNS = catalogue("display/columns")

# columns derived from a domain id: prefix + id + suffix, named with the domain's {label}
# (indeks/locale/display/derived.toml, tried in file order)
DERIVED = catalogue("display/derived")

# the pseudo-domains of a pre/post comparison (indeks/locale/display/special_domains.toml)
SPECIAL_DOMAINS = catalogue("display/special_domains")


def derived_columns(domain: str) -> list[str]:
    """Every column derived from ``domain`` (``physical_raw``, ``pct_improved_physical``...)."""
    return [f"{e['prefix']}{domain}{e['suffix']}" for e in DERIVED.values()]


def _domain_labels(inst: Instrument | None, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if inst is not None:
        for d in getattr(inst, "domains", []) or []:
            out[d.id] = label_of(d, lang)
        if getattr(inst, "index", None) is not None:
            out.setdefault("index", label_of(inst.index, lang))
    for k, entry in SPECIAL_DOMAINS.items():
        out[k] = tr(entry, lang)
    return out


def display_name(
    column: object, lang: str | None = None, instrument: Instrument | None = None
) -> str | None:
    """The display name of ``column`` in ``lang``, or ``None`` when there is none."""
    lang = check_lang(lang)
    col = str(column)
    domains = _domain_labels(instrument, lang)
    if col in domains and col not in SPECIAL_DOMAINS and col != "index":
        return f"{domains[col]} ({col})"
    if col in COLUMNS:
        if col == "index" and "index" in domains:
            return domains["index"]
        return tr(COLUMNS[col], lang)
    for entry in DERIVED.values():
        prefix, suffix = entry["prefix"], entry["suffix"]
        if col.startswith(prefix) and col.endswith(suffix):
            d = col[len(prefix) : len(col) - len(suffix)] if suffix else col[len(prefix) :]
            if d in domains:
                return tr(entry, lang, label=domains[d])
    return None


def display_names(
    columns: Iterable[object], lang: str | None = None, instrument: Instrument | None = None
) -> list[str]:
    """Display names of ``columns``; a column without one keeps its id."""
    return [display_name(c, lang, instrument) or str(c) for c in columns]


def labels_for(
    columns: Iterable[object], lang: str | None = None, instrument: Instrument | None = None
) -> dict[str, str]:
    """``{column: display name}`` for the columns that have one (to rename headers)."""
    out = {}
    for c in columns:
        name = display_name(c, lang, instrument)
        if name is not None:
            out[str(c)] = name
    return out


def missing_display_names(
    columns: Iterable[object], instrument: Instrument | None = None
) -> list[str]:
    """The columns without a display name in either language."""
    return [
        str(c)
        for c in columns
        if display_name(c, "id", instrument) is None or display_name(c, "en", instrument) is None
    ]


__all__ = [
    "COLUMNS",
    "derived_columns",
    "display_name",
    "display_names",
    "labels_for",
    "missing_display_names",
]
