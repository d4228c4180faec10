"""Why nothing came out: the message for a score with 0 respondents scored and a
comparison with 0 pairs.

Both are a failed job for the command line (exit status 1), never a quiet "0": the
message says what was found, so the user can fix the file or the options
(the ids of each wave; the answer texts that were not recognised, with their counts,
and the answer labels the definition accepts). The texts are in
``indeks/locale/scoring/explain.toml``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from indeks.i18n import catalogue, check_lang

if TYPE_CHECKING:
    from indeks.instruments.model import Instrument
    from indeks.scoring.compare import CompareResult
    from indeks.scoring.result import ScoreResult

__all__ = ["nothing_scored_message", "no_pairs_message"]

_M = catalogue("scoring/explain")


def _accepted_labels(inst: Instrument, items: list[str], limit: int = 12) -> list[str]:
    """Canonical answer texts (first wording per code) the definition accepts for ``items``."""
    out: list[str] = []
    for iid in items or [it.id for it in inst.items[:1]]:
        try:
            it = inst.item(iid)
        except KeyError:
            continue
        sc = inst.scales[it.scale]
        for source in (sc.labels, it.labels):
            for code in sorted(source):
                t = f"{source[code][0]} = {code}"
                if t not in out:
                    out.append(t)
        if len(out) >= limit:
            break
    return out[:limit]


def nothing_scored_message(result: ScoreResult, lang: str = "id") -> str:
    """The explanation for a :class:`~indeks.scoring.result.ScoreResult` with no
    respondent scored (empty string when someone was scored)."""
    lang = check_lang(lang)
    r = result.respondents
    n = len(r)
    if n and int((r["status"] == "scored").sum()):
        return ""
    iss = result.issues
    src = result.meta.get("source") or ""
    head = f"{src}: " if src else ""
    streamed = result.meta.get("streamed")
    if streamed and not n:  # scored in parts: the respondents were written, not kept
        s = result.summary
        rows, scored = int(s["n"].iloc[0]), int(s["n_scored"].iloc[0])
        if scored or not rows:
            return ""
        errors = iss.loc[iss["severity"] == "error", "code"].value_counts()
        parts = [_M.text("none_scored", lang, n=rows)]
        if len(errors):
            whole = streamed.get("issues", 0) <= len(iss)  # else only the first were kept
            txt = ", ".join(f"{k} {v}" if whole else str(k) for k, v in errors.items())
            parts.append(_M.text("reasons", lang, reasons=txt))
        return head + " ".join(parts)
    if n == 0:
        excl = int(iss["code"].isin(["summary_row", "repeated_header", "blank_row"]).sum())
        excluded = _M.text("no_rows_excluded", lang, n=excl) if excl else ""
        return head + _M.text("no_rows", lang, excluded=excluded)
    parts = [_M.text("none_scored", lang, n=n)]
    reasons = r["reason"].astype(str).str.split(";").explode().loc[lambda s: s != ""].value_counts()
    if len(reasons):
        txt = ", ".join(f"{k} {v}" for k, v in reasons.items())
        parts.append(_M.text("reasons", lang, reasons=txt))
    unk = iss[iss["code"] == "unknown_label"]
    if len(unk):
        counts = unk["value"].astype(str).value_counts()
        shown = ", ".join(f"'{v}' ({c}x)" for v, c in counts.head(8).items())
        more = len(counts) - 8
        tail = _M.text("more_values", lang, n=more) if more > 0 else ""
        items = list(dict.fromkeys(unk["item"].astype(str)))[:1]
        acc = "; ".join(_accepted_labels(result.instrument, items))
        parts.append(
            _M.text(
                "unknown_answers",
                lang,
                shown=shown,
                more=tail,
                item=items[0] if items else "",
                accepted=acc,
            )
        )
    miss = iss[iss["code"] == "missing_item_column"]
    if len(miss) and len(miss) == len(result.instrument.items):
        parts.append(_M.text("no_item_column", lang))
    return head + " ".join(parts)


def _examples(values: Any, k: int = 5) -> str:
    vals = [str(v) for v in pd.Series(values).dropna().astype(str).unique()[:k]]
    return ", ".join(f"'{v}'" for v in vals) or "-"


def no_pairs_message(result: CompareResult, lang: str = "id") -> str:
    """The explanation for a :class:`~indeks.scoring.compare.CompareResult` with no
    pair (empty string when there are pairs)."""
    lang = check_lang(lang)
    if len(result.pairs):
        return ""
    id_cols = result.meta.get("id_columns", {})
    lines = []
    for name, res in result.waves.items():
        r = res.respondents
        col = id_cols.get(name) or res.columns.id_column or "-"
        scored = int((r["status"] == "scored").sum())
        ids = _examples(r["respondent_id"])
        lines.append(
            _M.text("wave", lang, name=name, rows=len(r), scored=scored, column=col, ids=ids)
        )
    return _M.text("no_pairs", lang, waves="; ".join(lines))
