"""Write a scoring, comparison or reliability result to a file, by extension.

The one place that turns a result object into output files, so the CLI, the demo and
the web page write the same thing: spreadsheets (.xlsx) get readable headers
("Kesehatan fisik (physical)"), machine formats (.csv, .json, .sav, .parquet) keep
the stable column ids (README, "Python API").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indeks.i18n import catalogue, label_of
from indeks.io.writers import write_table_outputs


def write_result(
    result,
    path,
    lang: str = "id",
    protect=None,
    source: str | None = None,
    progress=None,
    csv_style: str = "plain",
) -> list[Path]:
    """Write ``result.sheets()`` atomically to ``path``; returns the files written.

    ``progress(rows_written, rows_total)`` is called while rows are written;
    ``csv_style="id"`` writes CSV with ``;`` and decimal commas (Indonesian Excel)."""
    sheets = result.sheets()
    meta = dict(getattr(result, "meta", {}) or {})
    if source:
        meta["source"] = source
    precision = result.precision() if hasattr(result, "precision") else {}
    inst = getattr(result, "instrument", None)
    variable_labels = None
    if inst is not None:
        variable_labels = {d.id: label_of(d, lang) for d in inst.domains}
        if inst.index is not None:
            variable_labels["index"] = label_of(inst.index, lang)
    value_labels = None
    if Path(path).suffix.lower() == ".sav" and "respondents" in sheets:
        sheets, value_labels = _spss_codes(sheets)
    if Path(path).suffix.lower() == ".xlsx":
        sheets = _localise_values(sheets, lang)
    if Path(path).suffix.lower() == ".xlsx" and hasattr(result, "header_labels"):
        labels = result.header_labels(lang)
        sheets = {
            k: _each(v, lambda df, t=labels: df.rename(columns=lambda c: t.get(c, c)))
            for k, v in sheets.items()
        }
        precision = {labels.get(c, c): p for c, p in precision.items()}
    meta["precision"] = precision
    return write_table_outputs(
        path,
        sheets,
        meta=meta,
        lang=lang,
        variable_labels=variable_labels,
        value_labels=value_labels,
        protect=protect,
        progress=progress,
        csv_style=csv_style,
    )


#: status and severity as an officer reads them in the workbook (CSV/JSON/Parquet keep the
#: stable English codes that programs read)
VALUE_LABELS = {
    "status": catalogue("io/status_values"),
    "severity": catalogue("io/severity_values"),
}


def _each(table, fn):
    """``fn`` applied to a frame, or to every part of a spooled table as it is read."""
    return fn(table) if isinstance(table, pd.DataFrame) else table.pipe(fn)


def _localise_values(sheets: dict, lang: str) -> dict:
    out = {}
    for key, df in sheets.items():
        cols = [c for c in VALUE_LABELS if c in df.columns]
        if cols:
            tables = {c: {k: v.get(lang, k) for k, v in VALUE_LABELS[c].items()} for c in cols}
            df = _each(df, lambda d, t=tables: _relabel(d, t))
        out[key] = df
    return out


def _relabel(df: pd.DataFrame, tables: dict) -> pd.DataFrame:
    """Codes shown as words; a categorical column is relabelled once per category."""
    df = df.copy(deep=False)
    for c, table in tables.items():
        col = df[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            new = [table.get(v, v) for v in col.cat.categories]
            if len(set(new)) == len(new):
                df[c] = col.cat.rename_categories(new)
                continue
        df[c] = col.astype(object).map(lambda v, t=table: t.get(v, v))
    return df


def _spss_codes(sheets: dict) -> tuple[dict, dict]:
    """SPSS keeps categories as numeric codes with value labels: status and category
    columns of the respondents table become 1..k with their labels."""
    resp = sheets["respondents"].copy()
    labels: dict[str, dict[float, str]] = {}
    for col in resp.columns:
        if isinstance(resp[col].dtype, pd.CategoricalDtype) and (
            col == "status" or col.startswith("category")
        ):
            cats = list(resp[col].cat.categories)
            codes = resp[col].cat.codes.astype("float64")
            resp[col] = codes.where(codes >= 0) + 1
            labels[col] = {float(i + 1): str(c) for i, c in enumerate(cats)}
    return dict(sheets, respondents=resp), labels
