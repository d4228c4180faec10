"""Pre/post (and multi-wave) comparison of the same respondents.

``compare(instrument, pre, post, id_column="id")`` scores every wave with the one
engine (:func:`indeks.scoring.engine.score`, same definition and options), pairs the
respondents by their *normalised* id (:func:`indeks.scoring.ids.normalize_ids`:
``"007"``, ``7``, ``7.0`` and ``" 7 "`` are one respondent, so are ``"K007"`` and
``"k007"``) and reports who improved.  Nothing here knows which instrument it is
comparing: the headline rule, the domains of the per-domain shares, strictness and
the minimum number of pairs for tests all come from the definition's ``[prepost]``
section.

Who is paired
-------------
A row of a wave is *usable* when it has an id, its id occurs only once in that wave
and the engine scored it.  A respondent is paired when it is usable in at least two
waves; the comparison is between the first and the last wave in which it is usable
(with two waves: pre and post).  Every other row is listed in ``unmatched`` with a
reason, and is excluded from every denominator:

``missing_id``               the id cell is empty;
``duplicate_id``             the (normalised) id occurs more than once in that wave;
``unmatched``                the id occurs in no other wave;
``rejected``                 the engine rejected this row (``detail``: the engine's reason);
``rejected_in_other_wave``   scored here, but rejected in the other wave(s) (``detail``: which);
``duplicate_in_other_wave``  scored here, but duplicated in the other wave(s).

With three or more waves a rejected or duplicated row in a middle wave is listed too
(column ``paired`` is True: the respondent is still compared, first with last usable).

Groups
------
``group_by`` columns are taken from the **post** wave (the last wave in which the
respondent is usable): a client who moved from one unit to another is counted where
they ended.  Unpaired rows are counted in the group of their own wave.

Ties and floating point
-----------------------
"Improved" is ``post > pre`` when the definition is strict (a tie is not an
improvement), ``post >= pre`` otherwise.  Differences smaller than ``1e-9`` relative
to the scores are float noise and count as ties (mean of four domain scores computed
from different answers can differ in the last bit while being mathematically equal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indeks.errors import ScoringInputError
from indeks.instruments import resolve_instrument
from indeks.instruments.model import Instrument, PrePost
from indeks.numbers import format_half_up
from indeks.scoring.columns import norm_header
from indeks.scoring.engine import score
from indeks.scoring.ids import normalize_ids
from indeks.scoring.issues import ISSUE_COLUMNS, IssueLog
from indeks.scoring.options import ScoringOptions
from indeks.scoring.result import ScoreResult
from indeks.scoring.stats import paired_statistics

__all__ = ["compare", "CompareResult", "HEADLINE_RULES", "REASONS"]

#: Rules accepted by ``headline=`` besides a domain id.
HEADLINE_RULES = ("mean_of_domains", "index", "all_domains", "any_domain")

#: Reasons in ``CompareResult.unmatched``, in order of precedence.
REASONS = (
    "missing_id",
    "duplicate_id",
    "unmatched",
    "rejected",
    "rejected_in_other_wave",
    "duplicate_in_other_wave",
)

_REL_TOL = 1e-9

_STAT_COLUMNS = [
    "n",
    "mean_pre",
    "mean_post",
    "mean_change",
    "sd_change",
    "ci_low",
    "ci_high",
    "t",
    "t_df",
    "t_p",
    "wilcoxon_stat",
    "wilcoxon_p",
    "wilcoxon_method",
    "cohens_dz",
    "wilcoxon_r",
    "note",
    "note_text",
]


@dataclass
class CompareResult:
    """What :func:`compare` returns.

    ``pairs``      one row per paired respondent (see :func:`compare`).
    ``unmatched``  every row of every wave that is not part of a pair, with the reason.
    ``summary``    one row overall, then one per group when ``group_by`` was given.
    ``stats``      paired tests and effect sizes, one row per score.
    ``issues``     compare issues plus every wave's scoring issues (column ``wave``).
    ``waves``      each wave's :class:`ScoreResult`, by wave name.
    ``meta``       instrument, waves, headline rule, provisional warning, ...
    """

    instrument: Instrument
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    summary: pd.DataFrame
    stats: pd.DataFrame
    issues: pd.DataFrame
    waves: dict[str, ScoreResult]
    meta: dict = field(default_factory=dict)

    @property
    def provisional_warning(self) -> str:
        return self.meta.get("provisional_warning", "")

    @property
    def n_pairs(self) -> int:
        return int(self.summary["n_pairs"].iloc[0])

    @property
    def pct_improved(self) -> float:
        return float(self.summary["pct_improved"].iloc[0])

    def sheets(self) -> dict[str, pd.DataFrame]:
        return {
            "summary": self.summary,
            "pairs": self.pairs,
            "unmatched": self.unmatched,
            "stats": self.stats,
            "issues": self.issues,
        }


# ---------------------------------------------------------------------------------
# inputs
def _wave_frames(pre, post, waves) -> dict[str, pd.DataFrame]:
    if waves is not None:
        if pre is not None or post is not None:
            raise TypeError("give either pre and post, or waves=, not both")
        if isinstance(waves, dict):
            frames = {str(k): v for k, v in waves.items()}
        else:
            lst = list(waves)
            names = ["pre", "post"] if len(lst) == 2 else [f"w{i}" for i in range(1, len(lst) + 1)]
            frames = dict(zip(names, lst))
    else:
        if pre is None or post is None:
            raise TypeError("compare needs pre and post (or waves=[...])")
        frames = {"pre": pre, "post": post}
    if len(frames) < 2:
        raise ValueError("compare needs at least two waves")
    for name, df in frames.items():
        if not isinstance(df, pd.DataFrame):
            raise TypeError(
                f"wave {name!r} must be a pandas DataFrame (use indeks.read_responses for files)"
            )
    return frames


def _find_header(df: pd.DataFrame, name: str) -> str | None:
    headers = [str(c) for c in df.columns]
    if name in headers:
        return name
    want = norm_header(name)
    for h in headers:
        if norm_header(h) == want:
            return h
    return None


def _id_column_for(inst: Instrument, df: pd.DataFrame, id_column: str | None, wave: str) -> str:
    if id_column is not None:
        found = _find_header(df, id_column)
        if found is not None:
            return found
        if id_column != "id":  # an explicit name that is absent: score() gives the clear error
            return id_column
    for alias in inst.id_aliases:  # the default "id" is absent: the definition's id aliases
        found = _find_header(df, alias)
        if found is not None:
            return found
    heads = ", ".join(str(c) for c in list(df.columns)[:8]) or "(none)"
    raise ScoringInputError(
        f"Gelombang {wave}: kolom ID responden tidak ditemukan (dicari: {id_column or ''} {', '.join(inst.id_aliases)}); "
        f"perbandingan pre/post memerlukan ID untuk memasangkan responden. Kolom di data: {heads}. / "
        f"Wave {wave}: no respondent id column found; pre/post comparison needs an id to pair respondents (use --id)."
    )


def _prepost(inst: Instrument) -> PrePost:
    if inst.prepost is not None:
        return inst.prepost
    return PrePost(
        score="index" if inst.index is not None else "mean_of_domains",
        domains=tuple(d.id for d in inst.domains if d.reported),
    )


# ---------------------------------------------------------------------------------
# arithmetic
def _improved(pre: np.ndarray, post: np.ndarray, strict: bool) -> np.ndarray:
    """float array: 1.0 improved, 0.0 not, NaN when either value is missing."""
    pre = np.asarray(pre, dtype="float64")
    post = np.asarray(post, dtype="float64")
    valid = ~(np.isnan(pre) | np.isnan(post))
    with np.errstate(invalid="ignore"):
        diff = post - pre
        tol = _REL_TOL * np.maximum(1.0, np.maximum(np.abs(pre), np.abs(post)))
        up = diff > tol if strict else diff >= -tol
    return np.where(valid, up.astype("float64"), np.nan)


def _as_boolean(x: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.array(np.where(np.isnan(x), None, x == 1.0), dtype="boolean")


def _pct(num: int, den: int) -> float:
    return 100.0 * num / den if den else float("nan")


def _share_text(num: int, den: int, lang: str) -> str:
    word = "dari" if lang == "id" else "of"
    pct = format_half_up(_pct(num, den), 2) if den else "-"
    return f"{num} {word} {den} = {pct}%" if den else f"{num} {word} {den} = -"


# ---------------------------------------------------------------------------------
def compare(
    instrument,
    pre: pd.DataFrame | None = None,
    post: pd.DataFrame | None = None,
    id_column: str | None = None,
    *,
    options: ScoringOptions | None = None,
    waves=None,
    group_by=None,
    headline: str | None = None,
    missing_rule: str | None = None,
    pre_reversed=None,
    mapping=None,
    min_pairs: int | None = None,
    confidence: float | None = None,
    lang: str | None = None,
) -> CompareResult:
    """Compare the same respondents measured two (or more) times.

    Parameters
    ----------
    instrument:
        An id (``"whoqol-bref"``), a definition path or an :class:`Instrument`.
    pre, post:
        DataFrames of raw answers, as for :func:`indeks.score`.
    options:
        A :class:`indeks.ScoringOptions` used for every wave; the keyword arguments
        below, when not ``None``, replace the same option.
    id_column:
        The id column (same name in every wave).  By default ``"id"``, falling back
        to the definition's id aliases (e.g. ``id_klien``) when no column ``id`` exists.
    waves:
        Instead of pre/post: a list of DataFrames (two: named ``pre``/``post``; three
        or more: ``w1``..``wN``) or a dict ``{name: DataFrame}`` in time order.  Each
        respondent's first usable wave is compared with their last.
    group_by:
        Column(s) for group summaries, taken from the post (last usable) wave.
    headline:
        Override the definition's headline rule: ``"mean_of_domains"``, ``"index"``,
        a domain id, ``"all_domains"`` or ``"any_domain"`` (over ``prepost.domains``).
    missing_rule, pre_reversed, mapping:
        As for :func:`indeks.score`; ``pre_reversed`` and ``mapping`` may be dicts
        keyed by wave name when the waves come from differently printed forms.
    min_pairs:
        Minimum pairs for tests (default: the definition's ``prepost.min_pairs_for_tests``).
    confidence:
        Level of the confidence interval of the mean change.
    lang:
        ``"id"`` (default) or ``"en"``.

    Returns
    -------
    :class:`CompareResult`.  ``pairs`` columns: ``respondent_id`` (as written in the
    first usable wave), ``id_normalized``, group columns, ``wave_first``/``wave_last``,
    ``row_<wave>``, ``<score>_<wave>`` for every domain, ``index``,
    ``index_converted`` and ``category`` (where the instrument has them),
    ``change_<domain>``, ``change_index``, ``headline_pre``, ``headline_post``,
    ``change_headline`` (NaN for the all/any-domain rules, which have no single
    score), ``improved``, ``improved_<domain>`` (for ``prepost.domains``),
    ``improved_all_domains``, ``improved_any_domain`` (nullable booleans: NA when a
    score is missing in a wave; such pairs leave that share's denominator; for
    instruments with several forms only the domains of the respondent's form count).
    """
    opts = ScoringOptions.merged(
        options,
        id_column=id_column,
        group_by=group_by,
        missing_rule=missing_rule,
        pre_reversed=pre_reversed,
        mapping=mapping,
        confidence=confidence,
        lang=lang,
    )
    inst = resolve_instrument(instrument)
    lang = opts.lang
    confidence = opts.confidence
    id_column = opts.id_column or "id"
    frames = _wave_frames(pre, post, waves)
    names = list(frames)
    W = len(names)
    pp = _prepost(inst)
    dom_ids = [d.id for d in inst.domains]
    rule = headline or pp.score
    if rule not in HEADLINE_RULES and rule not in dom_ids:
        raise ValueError(
            f"unknown headline rule {rule!r}; use one of {', '.join(HEADLINE_RULES)} or a domain id ({', '.join(dom_ids)})"
        )
    if rule == "index" and inst.index is None:
        raise ValueError(f"headline 'index' but {inst.id} has no index")
    min_n = int(min_pairs if min_pairs is not None else pp.min_pairs_for_tests)
    groups = list(opts.group_by)
    strict = bool(pp.strict)
    share_domains = list(pp.domains)

    # -- score every wave with the same definition and options ----------------------
    results: dict[str, ScoreResult] = {}
    id_cols: dict[str, str] = {}
    group_found: dict[str, list[str]] = {}
    for name in names:
        df = frames[name]
        idc = _id_column_for(inst, df, id_column, name)
        present = [g for g in groups if _find_header(df, g) is not None]
        wave_opts = opts.for_wave(name, names).replace(id_column=idc, group_by=tuple(present))
        res = score(inst, df, options=wave_opts)
        if res.columns.id_column is None:
            raise ScoringInputError(f"Wave {name}: no id column; compare needs one.")
        results[name] = res
        id_cols[name] = res.columns.id_column
        group_found[name] = present
    for g in groups:
        if not any(g in group_found[n] for n in names):
            raise ScoringInputError(
                f"Kolom kelompok '{g}' tidak ada di gelombang mana pun / group column '{g}' is in no wave."
            )

    first_res = results[names[0]]
    score_cols = [c for c in dom_ids]
    for c in ("index", "index_converted"):
        if c in first_res.respondents.columns:
            score_cols.append(c)
    has_category = "category" in first_res.respondents.columns
    has_form = "form" in first_res.respondents.columns

    # -- one long frame of every row of every wave ----------------------------------
    parts = []
    for i, name in enumerate(names):
        r = results[name].respondents
        res = results[name]
        idn = normalize_ids(r["respondent_id"])
        key = idn.copy()
        part = {
            "_wave": np.full(len(r), i, dtype="int64"),
            "_pos": np.arange(len(r), dtype="int64"),
            "respondent_id": r["respondent_id"].to_numpy(dtype=object),
            "id_normalized": idn,
            "row": r["row"].to_numpy(dtype="int64"),
            "status": r["status"].astype(str).to_numpy(dtype=object),
            "_engine_reason": r["reason"].astype(str).to_numpy(dtype=object),
        }
        if has_form:
            form = r["form"].astype(object).to_numpy()
            key = np.where(
                pd.isna(idn),
                None,
                pd.Series(idn, dtype=object).astype(str).to_numpy(object)
                + "\x00"
                + pd.Series(form, dtype=object).astype(str).to_numpy(object),
            )
            part["form"] = form
        part["_key"] = key
        headers = dict(zip(group_found[name], res.columns.groups))
        for g in groups:
            part[g] = (
                r[headers[g]].to_numpy(dtype=object)
                if g in headers
                else np.full(len(r), np.nan, dtype=object)
            )
        for c in score_cols:
            part[c] = r[c].to_numpy(dtype="float64")
        if has_category:
            part["category"] = r["category"].astype(object).to_numpy()
        parts.append(pd.DataFrame(part))
    L = pd.concat(parts, ignore_index=True)
    L["_key"] = L["_key"].astype(object).where(L["_key"].notna(), None)

    missing = L["_key"].isna().to_numpy()
    dup = (L.duplicated(["_wave", "_key"], keep=False).to_numpy()) & ~missing
    scored = (L["status"] == "scored").to_numpy()
    usable = scored & ~dup & ~missing

    U = L[usable]
    span = U.groupby("_key", sort=False)["_wave"].agg(["min", "max", "size"])
    paired_keys = span.index[span["size"] >= 2]
    n_waves_present = L[~missing].groupby("_key", sort=False)["_wave"].nunique()
    present_elsewhere = L["_key"].map(n_waves_present).fillna(0).to_numpy() >= 2
    is_paired_key = L["_key"].isin(paired_keys).to_numpy() & ~missing
    rejected_keys = set(L.loc[~missing & ~scored, "_key"])
    key_rejected_somewhere = L["_key"].isin(rejected_keys).to_numpy() & ~missing

    reason = np.select(
        [missing, dup, ~present_elsewhere, ~scored, is_paired_key, key_rejected_somewhere],
        ["missing_id", "duplicate_id", "unmatched", "rejected", "", "rejected_in_other_wave"],
        default="duplicate_in_other_wave",
    ).astype(object)
    detail = np.full(len(L), "", dtype=object)
    detail = np.where(reason == "rejected", L["_engine_reason"].to_numpy(dtype=object), detail)
    other_waves = np.full(len(L), "", dtype=object)
    for j, name in enumerate(names):  # a loop over waves, vectorised over rows
        keys_j = set(L.loc[(L["_wave"] == j).to_numpy() & ~missing & ~scored, "_key"])
        hit = L["_key"].isin(keys_j).to_numpy() & (L["_wave"].to_numpy() != j)
        other_waves = np.where(
            hit, np.where(other_waves == "", name, other_waves + ", " + name), other_waves
        )
    detail = np.where(reason == "rejected_in_other_wave", other_waves, detail)
    if dup.any():
        rows_text = (
            L[dup].groupby(["_wave", "_key"])["row"].transform(lambda s: ", ".join(map(str, s)))
        )
        dd = np.full(len(L), "", dtype=object)
        dd[np.flatnonzero(dup)] = rows_text.to_numpy(dtype=object)
        detail = np.where(reason == "duplicate_id", dd, detail)
        dup_waves = np.full(len(L), "", dtype=object)
        for j, name in enumerate(names):
            keys_j = set(L.loc[(L["_wave"] == j).to_numpy() & dup, "_key"])
            hit = L["_key"].isin(keys_j).to_numpy() & (L["_wave"].to_numpy() != j)
            dup_waves = np.where(
                hit, np.where(dup_waves == "", name, dup_waves + ", " + name), dup_waves
            )
        detail = np.where(reason == "duplicate_in_other_wave", dup_waves, detail)
    L["reason"] = reason
    L["detail"] = detail
    L["paired"] = is_paired_key
    L["wave"] = np.asarray(names, dtype=object)[L["_wave"].to_numpy()]

    # -- pairs ------------------------------------------------------------------------
    Up = L[usable & is_paired_key]
    base = Up.sort_values(["_wave", "_pos"], kind="stable").drop_duplicates("_key")
    keep = ["_key", "respondent_id", "id_normalized"] + (["form"] if has_form else [])
    pairs = base[keep].reset_index(drop=True)
    pairs["_first"] = pairs["_key"].map(span["min"]).to_numpy(dtype="int64")
    pairs["_last"] = pairs["_key"].map(span["max"]).to_numpy(dtype="int64")
    per_wave_cols = score_cols + (["category"] if has_category else [])
    for i, name in enumerate(names):
        wi = Up[Up["_wave"] == i][["_key", "row"] + groups + per_wave_cols]
        wi = wi.rename(columns={c: f"{c}__{i}" for c in ["row"] + groups + per_wave_cols})
        pairs = pairs.merge(wi, on="_key", how="left", validate="one_to_one")
    n_p = len(pairs)
    ar = np.arange(n_p)
    fi, la = pairs["_first"].to_numpy(), pairs["_last"].to_numpy()

    def first_last(col: str, dtype="float64"):
        M = (
            np.column_stack([pairs[f"{col}__{i}"].to_numpy(dtype=dtype) for i in range(W)])
            if n_p
            else np.zeros((0, W), dtype=dtype)
        )
        return M[ar, fi], M[ar, la]

    out: dict[str, object] = {
        "respondent_id": pairs["respondent_id"].to_numpy(dtype=object),
        "id_normalized": pairs["id_normalized"].to_numpy(dtype=object),
    }
    if has_form:
        out["form"] = pairs["form"].to_numpy(dtype=object)
    for g in groups:
        out[g] = first_last(g, dtype=object)[1]  # from the post (last usable) wave
    if W > 2:
        nm = np.asarray(names, dtype=object)
        out["wave_first"] = nm[fi]
        out["wave_last"] = nm[la]
    for i, name in enumerate(names):
        out[f"row_{name}"] = pairs[f"row__{i}"].astype("Int64").to_numpy()
    for c in per_wave_cols:
        for i, name in enumerate(names):
            out[f"{c}_{name}"] = pairs[f"{c}__{i}"].to_numpy()
    pre_v, post_v = {}, {}
    for c in score_cols:
        pre_v[c], post_v[c] = first_last(c)
    for c in dom_ids + (["index"] if "index" in score_cols else []):
        out[f"change_{c}"] = post_v[c] - pre_v[c]
    if share_domains:
        pre_v["mean_of_domains"] = (
            np.column_stack([pre_v[d] for d in share_domains]).mean(axis=1) if n_p else np.zeros(0)
        )
        post_v["mean_of_domains"] = (
            np.column_stack([post_v[d] for d in share_domains]).mean(axis=1) if n_p else np.zeros(0)
        )

    imp = {d: _improved(pre_v[d], post_v[d], strict) for d in share_domains}
    if share_domains and n_p:
        S = np.column_stack([imp[d] for d in share_domains])
        # multi-form instruments: only the domains of the respondent's own form count
        if has_form:
            forms_of = {d: {inst.item(i).form for i in inst.domain(d).items} for d in share_domains}
            pf = out["form"]
            A = np.column_stack([np.isin(pf, list(forms_of[d])) for d in share_domains])
        else:
            A = np.ones_like(S, dtype=bool)
        complete = ~(np.isnan(S) & A).any(axis=1) & A.any(axis=1)
        imp_all = np.where(complete, ((S == 1.0) | ~A).all(axis=1).astype(float), np.nan)
        imp_any = np.where(complete, ((S == 1.0) & A).any(axis=1).astype(float), np.nan)
    else:
        imp_all = imp_any = np.full(n_p, np.nan)
    if rule in ("all_domains", "any_domain"):
        h_pre = h_post = np.full(n_p, np.nan)
        imp_head = imp_all if rule == "all_domains" else imp_any
        head_score = None
    else:
        head_score = rule
        h_pre, h_post = pre_v[rule], post_v[rule]
        imp_head = _improved(h_pre, h_post, strict)
    out["headline_pre"] = h_pre
    out["headline_post"] = h_post
    out["change_headline"] = h_post - h_pre
    out["improved"] = _as_boolean(imp_head)
    for d in share_domains:
        out[f"improved_{d}"] = _as_boolean(imp[d])
    out["improved_all_domains"] = _as_boolean(imp_all)
    out["improved_any_domain"] = _as_boolean(imp_any)
    pairs_df = pd.DataFrame(out, index=range(n_p))

    # -- stats --------------------------------------------------------------------------
    def stats_rows(mask: np.ndarray | None) -> pd.DataFrame:
        rows = []
        labels = {d.id: (d.label if lang == "id" else d.label_en) for d in inst.domains}
        if inst.index is not None:
            labels["index"] = inst.index.label if lang == "id" else inst.index.label_en
        labels["mean_of_domains"] = (
            "Rerata domain: " if lang == "id" else "Mean of domains: "
        ) + ", ".join(share_domains)
        todo = (
            dom_ids
            + (["index"] if "index" in score_cols else [])
            + (["mean_of_domains"] if rule == "mean_of_domains" else [])
        )
        for s in todo:
            a, b = pre_v[s], post_v[s]
            if mask is not None:
                a, b = a[mask], b[mask]
            st = paired_statistics(a, b, min_n=min_n, confidence=confidence, lang=lang)
            rows.append(
                {
                    "score": s,
                    "label": labels.get(s, s),
                    "headline": s == head_score,
                    **{k: st[k] for k in _STAT_COLUMNS},
                }
            )
        return pd.DataFrame(rows, columns=["score", "label", "headline"] + _STAT_COLUMNS)

    stats_df = stats_rows(None)

    # -- unmatched ------------------------------------------------------------------------
    listed = L[L["reason"] != ""]
    ucols = (
        ["respondent_id", "id_normalized", "wave", "row", "status", "reason", "detail", "paired"]
        + (["form"] if has_form else [])
        + groups
    )
    unmatched_df = listed[ucols].reset_index(drop=True)

    # -- summary ---------------------------------------------------------------------------
    def summary_row(pmask: np.ndarray, umask: np.ndarray) -> dict:
        sub = unmatched_df[umask]
        row: dict[str, object] = {"n_pairs": int(pmask.sum())}
        for name in names:
            row[f"n_unmatched_{name}"] = int(
                ((sub["wave"] == name) & (sub["reason"] == "unmatched")).sum()
            )
        for name in names:
            row[f"n_rejected_{name}"] = int(
                ((sub["wave"] == name) & (sub["reason"] == "rejected")).sum()
            )
        row["n_rejected_in_other_wave"] = int((sub["reason"] == "rejected_in_other_wave").sum())
        row["n_duplicate"] = int((sub["reason"] == "duplicate_id").sum())
        row["n_missing_id"] = int((sub["reason"] == "missing_id").sum())
        row["headline_rule"] = rule
        h = imp_head[pmask]
        n_eval = int((~np.isnan(h)).sum())
        n_imp = int((h == 1.0).sum())
        row["n_evaluable"] = n_eval
        row["n_improved"] = n_imp
        row["pct_improved"] = _pct(n_imp, n_eval)
        row["share_text"] = _share_text(n_imp, n_eval, lang)
        for d in share_domains:
            x = imp[d][pmask]
            row[f"n_improved_{d}"] = int((x == 1.0).sum())
            row[f"pct_improved_{d}"] = _pct(int((x == 1.0).sum()), int((~np.isnan(x)).sum()))
        for nm_, arr in (("all_domains", imp_all), ("any_domain", imp_any)):
            x = arr[pmask]
            row[f"n_improved_{nm_}"] = int((x == 1.0).sum())
            row[f"pct_improved_{nm_}"] = _pct(int((x == 1.0).sum()), int((~np.isnan(x)).sum()))
        with np.errstate(invalid="ignore"):
            for c in dom_ids + (["index"] if "index" in score_cols else []):
                ch = (post_v[c] - pre_v[c])[pmask]
                row[f"mean_change_{c}"] = (
                    float(np.nanmean(ch)) if np.any(~np.isnan(ch)) else float("nan")
                )
            ch = (h_post - h_pre)[pmask]
            row["mean_change_headline"] = (
                float(np.nanmean(ch)) if np.any(~np.isnan(ch)) else float("nan")
            )
        if head_score is not None:
            st = paired_statistics(
                h_pre[pmask], h_post[pmask], min_n=min_n, confidence=confidence, lang=lang
            )
            row["headline_t_p"], row["headline_wilcoxon_p"], row["headline_test_note"] = (
                st["t_p"],
                st["wilcoxon_p"],
                st["note"],
            )
        else:
            row["headline_t_p"] = row["headline_wilcoxon_p"] = float("nan")
            row["headline_test_note"] = ""
        return row

    rows = [summary_row(np.ones(n_p, bool), np.ones(len(unmatched_df), bool))]
    if groups:
        all_label = "(semua)" if lang == "id" else "(all)"
        rows[0] = {**{g: all_label for g in groups}, **rows[0]}
        gp = pairs_df[groups].astype(object)
        gu = unmatched_df[groups].astype(object)
        combos = pd.concat([gp, gu], ignore_index=True).drop_duplicates()
        combos = combos.sort_values(groups, kind="stable", na_position="last")
        pk_ = pd.MultiIndex.from_frame(gp.where(gp.notna(), "\x00nan")) if n_p else None
        uk_ = pd.MultiIndex.from_frame(gu.where(gu.notna(), "\x00nan")) if len(gu) else None
        for combo in combos.itertuples(index=False):  # a loop over groups, not respondents
            val = tuple("\x00nan" if pd.isna(v) else v for v in combo)
            pm = np.asarray(pk_.isin([val])) if pk_ is not None else np.zeros(0, bool)
            um = np.asarray(uk_.isin([val])) if uk_ is not None else np.zeros(0, bool)
            rows.append({**dict(zip(groups, combo)), **summary_row(pm, um)})
    summary_df = pd.DataFrame(rows)

    # -- issues --------------------------------------------------------------------------
    blocks = []
    for i, name in enumerate(names):
        res = results[name]
        Li = L[L["_wave"] == i]
        log = IssueLog(lang)
        col = id_cols[name]
        pos = Li["_pos"].to_numpy()
        ids_i = Li["respondent_id"].astype(str).to_numpy()
        rsn = Li["reason"].to_numpy()
        det = Li["detail"].to_numpy()
        m = rsn == "unmatched"
        if m.any():
            log.add("unmatched", pos[m], column=col, item=name, values=ids_i[m])
        for code in ("rejected_in_other_wave",):
            m = rsn == code
            for d_ in pd.unique(det[m]):
                mm = m & (det == d_)
                log.add(code, pos[mm], column=col, item=d_, values=ids_i[mm])
        m = rsn == "duplicate_id"
        for d_ in pd.unique(det[m]):
            mm = m & (det == d_)
            log.add("duplicate_id", pos[mm], column=col, values=ids_i[mm], close=d_)
        own = res.issues
        own = own[own["code"] != "duplicate_id"]  # replaced by the normalised-id check above
        resp = res.respondents
        mine = log.frame(
            resp["row"].to_numpy(dtype="int64"), resp["respondent_id"].to_numpy(dtype=object)
        )
        both = (
            pd.concat([x for x in (own, mine) if len(x)], ignore_index=True)
            if (len(own) or len(mine))
            else own
        )
        if len(both):
            both = both.sort_values("row", kind="stable", na_position="first")
        both = both.reset_index(drop=True)
        both.insert(0, "wave", name)
        blocks.append(both)
    issues_df = pd.concat(blocks, ignore_index=True)[["wave"] + ISSUE_COLUMNS]

    warning = inst.provisional_warning_for("compare", lang)
    meta = {
        "instrument": inst.id,
        "instrument_name": inst.name,
        "instrument_version": inst.version,
        "waves": names,
        "id_columns": id_cols,
        "headline_rule": rule,
        "headline_rule_default": pp.score,
        "strict": strict,
        "share_domains": share_domains,
        "min_pairs_for_tests": min_n,
        "confidence": confidence,
        "missing_rule": results[names[0]].meta.get("missing_rule"),
        "group_by": groups,
        "group_source": "post wave (last usable wave of each respondent)",
        "provisional_warning": warning,
        "lang": lang,
    }
    for df in (pairs_df, unmatched_df, summary_df, stats_df, issues_df):
        df.attrs.clear()
        df.attrs.update(
            {
                "provisional_warning": warning,
                "instrument": inst.id,
                "instrument_version": inst.version,
            }
        )
    return CompareResult(
        inst, pairs_df, unmatched_df, summary_df, stats_df, issues_df, results, meta
    )
