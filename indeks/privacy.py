"""Clients' privacy: which input columns reach an output, and keyed pseudonyms for ids.

Outputs hold the respondent id, the item answers' scores and the declared group,
form, unit and eligibility columns only; every other column of the input (names,
phone numbers, NIK, addresses, free text) is left out. :func:`keep_columns` copies
columns the user asked for (``indeks score --keep COL,...``).

:func:`pseudonymise` replaces the respondent ids by keyed hashes (HMAC-SHA256 with the
user's key, 16 hex digits), before scoring. The same key gives the same pseudonym in
every file, so pre-test and post-test still pair; without the key a pseudonym cannot be
turned back into the id, nor can an id be checked against it.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from indeks.errors import IndeksError
from indeks.messages import message

PREFIX = "p-"
_DIGITS = 16


class PrivacyError(IndeksError):
    """A privacy option that cannot be honoured (e.g. a --keep column that does not exist)."""


def pseudonym(value, key: str) -> str:
    """The pseudonym of one id under ``key`` (hashed from its normalised pairing key, see
    :func:`indeks.scoring.ids.normalize_ids`)."""
    from indeks.scoring.ids import normalize_ids

    norm = normalize_ids([value])[0]
    mac = hmac.new(key.encode("utf-8"), str(norm).encode("utf-8"), hashlib.sha256)
    return PREFIX + mac.hexdigest()[:_DIGITS]


def pseudonymise(
    data: pd.DataFrame, key: str, id_column: str | None = None, instrument=None, mapping=None
) -> tuple[pd.DataFrame, str | None]:
    """A copy of ``data`` whose id column holds pseudonyms; returns (frame, id column).

    ``id_column``: the column (else found as scoring finds it, from ``instrument``'s
    id aliases). Empty ids stay empty (they are reported as ``missing_id``). Without an
    id column the frame is returned unchanged (respondents are then numbered by row)."""
    if not key or len(key) < 8:
        raise PrivacyError(message("pseudonym_key_short"))
    col = id_column
    if col is None and instrument is not None:
        from indeks.scoring.columns import match_columns

        try:
            col = match_columns(instrument, data.columns, mapping=mapping).id_column
        except Exception:  # noqa: BLE001 - scoring reports column problems itself
            col = None
    if col is None or col not in data.columns:
        return data, None
    from indeks.scoring.ids import normalize_ids

    # hashed from the pairing key ("007", 7, 7.0 and " 7 " are one respondent), so the
    # pseudonyms of two waves pair exactly as their ids would
    keys = normalize_ids(data[col])
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    hashed = np.array([pseudonym(u, key) for u in uniques] + [None], dtype=object)
    out = data.copy()
    out[col] = pd.Series(hashed[np.where(codes < 0, len(uniques), codes)], index=data.index)
    out.attrs = dict(data.attrs)
    return out, col


def keep_columns(result, data: pd.DataFrame, columns) -> None:
    """Copy the input ``columns`` into ``result.respondents`` (matched by row number)."""
    columns = [c for c in columns if c]
    if not columns:
        return
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise PrivacyError(message("keep_columns_missing", columns=", ".join(missing)))
    resp = result.respondents
    by_row = data.copy()
    by_row.index = pd.Index(by_row.index, name=None)
    by_row = by_row[~by_row.index.duplicated()]
    rows = resp["row"].to_numpy()
    for c in columns:
        name = c if c not in resp.columns else f"{c} (input)"
        resp[name] = by_row[c].reindex(rows).to_numpy()
