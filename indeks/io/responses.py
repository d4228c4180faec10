"""``indeks.read_responses``: read an export and (optionally) apply a column mapping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indeks.io.readers import read_table


def read_responses(
    path, instrument=None, mapping=None, sheet=None, lang: str = "id"
) -> pd.DataFrame:
    """Read a questionnaire export as it is (CSV, XLSX, SAV, DTA, Parquet, JSON lines).

    ``mapping`` (item id -> column header, or a mapping file) renames the mapped columns
    to their item ids, so question-text headers from Google Forms become ``q1``...
    With ``instrument`` the columns are checked: a file in which no item column is
    recognised raises :class:`indeks.ScoringInputError` naming the file.
    The index holds the spreadsheet row of every data row (index name ``"source_row"``),
    and survives slicing, filtering and concatenation.
    """
    df = read_table(path, sheet=sheet, lang=lang)
    attrs = dict(df.attrs)
    if mapping is not None:
        from indeks.scoring.columns import load_mapping

        m = (
            load_mapping(mapping)
            if isinstance(mapping, (str, Path))
            else {str(k).lower(): v for k, v in mapping.items()}
        )
        rename = {v: k for k, v in m.items() if v in df.columns}
        df = df.rename(columns=rename)
        df.attrs.update(attrs)
    if instrument is not None:
        from indeks.errors import ScoringInputError
        from indeks.instruments import resolve_instrument
        from indeks.scoring.columns import match_columns

        inst = resolve_instrument(instrument)
        match = match_columns(inst, df.columns)
        if not match.items:
            from indeks.messages import message

            heads = ", ".join(map(str, list(df.columns)[:8])) or message("none", lang)
            raise ScoringInputError(
                message(
                    "no_item_column_file",
                    lang,
                    file=Path(path).name,
                    instrument=inst.id,
                    columns=heads,
                )
            )
    return df
