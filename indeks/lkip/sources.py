"""Where each realisation comes from, with its provenance.

``kind = "value"``: typed in.  ``kind = "ikpa"``: computed from the aspect table.
``kind = "instrument"``: scored from questionnaire files through the public library
API (``read_responses``, ``score``, ``compare``, ``resolve_instrument``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from indeks.errors import IndeksError
from indeks.i18n import catalogue, tr
from indeks.instruments import resolve_instrument
from indeks.io.responses import read_responses
from indeks.lkip.formulas import ikpa, ikpa_detail, ikpa_groups
from indeks.lkip.workspace import Indicator, Source, Workspace
from indeks.scoring.compare import compare
from indeks.scoring.engine import score


class SourceError(IndeksError, RuntimeError):
    """A realisation could not be computed (unreadable file, missing figure...).
    An :class:`~indeks.IndeksError`; also a ``RuntimeError`` as it always was."""


@dataclass
class Realisation:
    value: float | None  # unrounded figure
    kind: str
    provenance: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # scoring summaries behind the figure: label -> DataFrame (or list of dicts)
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # why value is None


MSG = catalogue("lkip/sources")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _package_version() -> str:
    from indeks._version import __version__

    return __version__


def realise(ind: Indicator, ws: Workspace, lang: str = "id") -> Realisation:
    """The realisation of one indicator (unrounded) with its provenance."""
    src = ind.source
    if src is None:  # pragma: no cover - load_workspace refuses this
        raise SourceError(f"indicator {ind.number}: no source")
    if src.kind == "value":
        r = Realisation(src.value, "value")
        r.provenance = {
            "kind": "value",
            "system": src.system,
            "note": src.note,
            "file": str(ind.origin.name if ind.origin else ws.path.name),
            "package_version": _package_version(),
            "time": _now(),
        }
        if src.value is None:
            r.reason = tr(MSG["no_value"], lang)
        return r
    if src.kind == "ikpa":
        aspects = [
            {"name": a.name, "value": a.value, "weight": a.weight, "group": a.group}
            for a in src.aspects
        ]
        r = Realisation(ikpa(aspects), "ikpa")
        r.details["ikpa_aspects"] = ikpa_detail(aspects)
        groups = ikpa_groups(aspects)
        if groups:
            r.details["ikpa_groups"] = groups
        r.provenance = {
            "kind": "ikpa",
            "formula": "sum(value x weight) / 100",
            "aspects": len(aspects),
            "file": str(ind.origin.name if ind.origin else ws.path.name),
            "note": src.note,
            "package_version": _package_version(),
            "time": _now(),
        }
        return r
    return realise_instrument(src, lang=lang)


def _read(path: Path, src: Source, lang: str):
    try:
        return read_responses(str(path), instrument=src.instrument, mapping=src.mapping)
    except (FileNotFoundError, IndeksError) as exc:
        raise SourceError(tr(MSG["read_failed"], lang, file=path.name, error=exc)) from exc


def _summary_row(summary) -> dict:
    """First row (overall) of a scoring summary as a plain dict."""
    row = summary.iloc[0]
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def _figure_from(summary, column: str, src: Source, file: Path, lang: str) -> float:
    if column not in summary.columns:
        raise SourceError(
            tr(
                MSG["figure_missing"],
                lang,
                column=column,
                instrument=src.instrument,
                file=file.name,
            )
        )
    value = summary.iloc[0][column]
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = math.nan
    if math.isnan(value):
        raise SourceError(tr(MSG["figure_nan"], lang, figure=column, instrument=src.instrument))
    return value


def realise_instrument(src: Source, lang: str = "id") -> Realisation:
    instrument_ref = src.instrument
    inst = resolve_instrument(instrument_ref)  # built-in id, alias or .toml file
    files = list(src.files)
    prov: dict[str, Any] = {
        "kind": "instrument",
        "instrument": inst.id,
        "instrument_version": str(inst.version),
        "figure": src.figure,
        "files": [{"name": p.name, "path": str(p), "sha256": sha256_file(p)} for p in files],
        "package_version": _package_version(),
        "time": _now(),
    }
    # a realisation rests on the definition's pre/post rules too (which wave is reported,
    # who counts as improved), so every provisional note of the instrument applies
    warning = str(inst.provisional_warning_for("compare", lang) or "")
    r = Realisation(None, "instrument", prov)
    if warning:
        prov["provisional_warning"] = warning
        labelled = warning.startswith(("SEMENTARA", "PROVISIONAL"))
        r.warnings.append(warning if labelled else tr(MSG["provisional"], lang, warning=warning))

    def scored(path: Path, label: str):
        df = _read(path, src, lang)
        s = score(inst, df, id_column=src.id_column, group_by=src.group_by)
        summary = s.summary
        r.details[label] = summary
        first = _summary_row(summary)
        prov.setdefault("scoring", {})[label] = {
            "file": path.name,
            "rows": int(len(df)),
            "n_scored": first.get("n_scored"),
            "n_rejected": first.get("n_rejected"),
        }
        if len(s.issues):
            prov["scoring"][label]["issues"] = int(len(s.issues))
        return df, summary

    fig = src.figure
    if fig in ("index", "index_converted"):
        _, summ = scored(files[0], "data")
        r.value = _figure_from(summ, fig, src, files[0], lang)
    elif fig == "post_index":
        if len(files) == 2:
            scored(files[0], "pre")
        _, summ = scored(files[-1], "post")
        r.value = _figure_from(summ, "index", src, files[-1], lang)
    elif fig == "pre_index":
        _, summ = scored(files[0], "pre")
        if len(files) == 2:
            scored(files[1], "post")
        r.value = _figure_from(summ, "index", src, files[0], lang)
    elif fig == "pct_improved":
        pre_df, _ = scored(files[0], "pre")
        post_df, _ = scored(files[1], "post")
        c = compare(inst, pre_df, post_df, id_column=src.id_column or "id")
        r.details["compare"] = c.summary
        row = _summary_row(c.summary)
        prov["compare"] = {
            k: row.get(k)
            for k in (
                "n_pairs",
                "n_unmatched_pre",
                "n_unmatched_post",
                "n_improved",
                "pct_improved",
            )
        }
        r.value = _figure_from(c.summary, "pct_improved", src, files[1], lang)
    else:  # pragma: no cover - validated on load
        raise SourceError(f"unknown figure {fig!r}")
    return r


__all__ = ["Realisation", "SourceError", "realise", "realise_instrument", "sha256_file"]
