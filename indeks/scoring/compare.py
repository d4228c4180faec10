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
from typing import Unpack

import numpy as np
import pandas as pd

from indeks.errors import ScoringInputError
from indeks.i18n import label_of
from indeks.instruments import resolve_instrument
from indeks.instruments.model import Instrument, PrePost
from indeks.messages import message
from indeks.numbers import format_half_up
from indeks.present import label
from indeks.scoring.columns import find_id_column, norm_header
from indeks.scoring.engine import score
from indeks.scoring.ids import normalize_ids_arrow
from indeks.scoring.issues import ISSUE_COLUMNS, IssueLog
from indeks.scoring.meta import CompareMeta, stamp_frames
from indeks.scoring.options import OptionKeywords, ScoringOptions
from indeks.scoring.result import ScoreResult
from indeks.scoring.stats import STAT_KEYS, paired_statistics
from indeks.scoring.texts import default_text_dtype

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

_STAT_COLUMNS = [*STAT_KEYS, "note", "note_text"]


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
    meta: CompareMeta = field(default_factory=lambda: CompareMeta())

    @property
    def provisional_warning(self) -> str:
        return self.meta.get("provisional_warning", "")

    @property
    def n_pairs(self) -> int:
        return int(self.summary["n_pairs"].iloc[0])

    @property
    def pct_improved(self) -> float:
        return float(self.summary["pct_improved"].iloc[0])

    def header_labels(self, lang: str | None = None) -> dict[str, str]:
        """Display names of every column of every sheet (:mod:`indeks.display`)."""
        from indeks.display import labels_for

        cols = {str(c) for df in self.sheets().values() for c in df.columns}
        return labels_for(sorted(cols), lang or "id", self.instrument)

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
            frames = dict(zip(names, lst, strict=True))
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


def _id_column_for(
    inst: Instrument, df: pd.DataFrame, id_column: str | None, wave: str, lang: str = "id"
) -> str:
    if id_column is not None:
        found = _find_header(df, id_column)
        # an explicit name that is absent: score() gives the clear error
        return found if found is not None else id_column
    # named like an id (never KoboToolbox's _id/_uuid/_index, never a row counter)
    found = find_id_column([str(c) for c in df.columns], inst.id_aliases)
    if found is not None:
        return found
    heads = ", ".join(str(c) for c in list(df.columns)[:8]) or message("none", lang)
    looked_for = ", ".join(([id_column] if id_column else []) + list(inst.id_aliases))
    raise ScoringInputError(
        message("no_id_column", lang, wave=wave, looked_for=looked_for, columns=heads)
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
    with np.errstate(invalid="ignore"):
        diff = post - pre
        # tol = _REL_TOL * max(1, |pre|, |post|), in place (the same operations in the
        # same order, so the same bits, with two temporaries instead of five)
        tol = np.abs(pre)
        np.maximum(tol, np.abs(post), out=tol)
        np.maximum(tol, 1.0, out=tol)
        tol *= _REL_TOL
        if not strict:
            np.negative(tol, out=tol)
        up = (diff > tol if strict else diff >= tol).astype("float64")
    up[np.isnan(pre) | np.isnan(post)] = np.nan
    return up


def _as_boolean(x: np.ndarray) -> pd.arrays.BooleanArray:
    """1.0 -> True, 0.0 -> False, NaN -> NA (a nullable boolean array)."""
    return pd.arrays.BooleanArray(x == 1.0, np.isnan(x))


def _pct(num: int, den: int) -> float:
    return 100.0 * num / den if den else float("nan")


def _share_text(num: int, den: int, lang: str) -> str:
    word = label("of", lang)
    pct = format_half_up(_pct(num, den), 2) if den else "-"
    return f"{num} {word} {den} = {pct}%" if den else f"{num} {word} {den} = -"


# ---------------------------------------------------------------------------------
# named steps: plan -> score waves -> rows (integer id keys) -> classify -> pairs
#              -> stats -> unmatched -> summary -> issues
@dataclass(frozen=True)
class _Plan:
    """Step 1: what is compared and how (from the definition and the options)."""

    inst: Instrument
    opts: ScoringOptions
    names: list[str]
    rule: str  # headline rule
    min_n: int
    groups: list[str]
    strict: bool
    share_domains: list[str]
    pp: PrePost

    @property
    def lang(self) -> str:
        return self.opts.lang


def _plan(inst: Instrument, names, opts: ScoringOptions, headline, min_pairs) -> _Plan:
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
    return _Plan(
        inst,
        opts,
        list(names),
        rule,
        min_n,
        list(opts.group_by),
        bool(pp.strict),
        list(pp.domains),
        pp,
    )


@dataclass
class _Waves:
    """Step 2: every wave scored with the same definition and options."""

    results: dict[str, ScoreResult]
    id_cols: dict[str, str]
    group_found: dict[str, list[str]]
    score_cols: list[str]
    has_category: bool
    has_form: bool


def _score_waves(plan: _Plan, frames: dict[str, pd.DataFrame], score_fn=None) -> _Waves:
    """``score_fn(name, wave_options)``, when given, scores wave ``name`` (the Dask
    compare scores files; ``frames`` then only carry the headers)."""
    inst, names = plan.inst, plan.names
    id_column = plan.opts.id_column
    results: dict[str, ScoreResult] = {}
    id_cols: dict[str, str] = {}
    group_found: dict[str, list[str]] = {}
    for name in names:
        df = frames[name]
        idc = _id_column_for(inst, df, id_column, name, plan.opts.lang)
        present = [g for g in plan.groups if _find_header(df, g) is not None]
        wave_opts = plan.opts.for_wave(name, names).replace(id_column=idc, group_by=tuple(present))
        res = score(inst, df, options=wave_opts) if score_fn is None else score_fn(name, wave_opts)
        if res.columns.id_column is None:
            raise ScoringInputError(
                message(
                    "no_id_column",
                    plan.opts.lang,
                    wave=name,
                    looked_for=idc,
                    columns=", ".join(str(c) for c in list(df.columns)[:8]),
                )
            )
        results[name] = res
        id_cols[name] = res.columns.id_column
        group_found[name] = present
    for g in plan.groups:
        if not any(g in group_found[n] for n in names):
            raise ScoringInputError(message("group_in_no_wave", plan.opts.lang, group=g))
    first = results[names[0]].respondents
    score_cols = [d.id for d in inst.domains] + [
        c for c in ("index", "index_converted") if c in first.columns
    ]
    return _Waves(
        results,
        id_cols,
        group_found,
        score_cols,
        "category" in first.columns,
        "form" in first.columns,
    )


@dataclass
class _Rows:
    """Step 3: every row of every wave as flat arrays; ``key`` is an integer code of
    the normalised id (and form), -1 when the id is empty."""

    wave: np.ndarray  # int64 wave position
    pos: np.ndarray  # position within its wave
    key: np.ndarray  # int64, -1 missing
    n_keys: int
    scored: np.ndarray  # bool
    id_norm: list  # per wave: pyarrow string array of normalised ids
    starts: np.ndarray  # offset of each wave in the flat arrays

    def id_norm_column(self, g: np.ndarray):
        """:meth:`take_id_norm` as the column a frame makes of it (text in Arrow)."""
        import pyarrow as pa

        dtype = default_text_dtype()
        if len(g) and isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            arr = pa.chunked_array(self.id_norm, type=pa.string()).take(pa.array(g))
            if arr.null_count < len(g):  # (all missing: an object column)
                return pd.array(arr.cast(pa.large_string()), dtype=dtype)
        return self.take_id_norm(g)

    def take_id_norm(self, g: np.ndarray) -> np.ndarray:
        """Normalised ids (object array, None when empty) of flat rows ``g``."""
        import pyarrow as pa

        if not len(g):
            return np.empty(0, dtype=object)
        arr = pa.chunked_array(self.id_norm, type=pa.string())
        return np.asarray(arr.take(pa.array(g)).to_numpy(zero_copy_only=False), dtype=object)


def _rows(plan: _Plan, waves: _Waves) -> _Rows:
    import pyarrow as pa

    wave_l, pos_l, scored_l, norm_l, form_l = [], [], [], [], []
    for i, name in enumerate(plan.names):
        r = waves.results[name].respondents
        n = len(r)
        wave_l.append(np.full(n, i, dtype="int64"))
        pos_l.append(np.arange(n, dtype="int64"))
        scored_l.append((r["status"] == "scored").to_numpy(dtype=bool))
        norm_l.append(normalize_ids_arrow(r["respondent_id"]))
        if waves.has_form:
            form_l.append(r["form"].to_numpy(dtype=object))
    norm = pa.chunked_array(norm_l, type=pa.string())
    if len(norm):  # one integer code per distinct normalised id, over the union of waves
        idx = norm.combine_chunks().dictionary_encode().indices
        key = np.asarray(idx.fill_null(-1).to_numpy(zero_copy_only=False), dtype="int64")
    else:
        key = np.zeros(0, dtype="int64")
    if waves.has_form and len(key):
        fcode = pd.factorize(np.concatenate(form_l), use_na_sentinel=False)[0].astype("int64")
        combined = np.where(key >= 0, key * (int(fcode.max()) + 1) + fcode, -1)
        key = np.where(key >= 0, pd.factorize(combined)[0], -1)
    n_keys = int(key.max()) + 1 if len(key) else 0
    lens = [len(w) for w in wave_l]
    return _Rows(
        np.concatenate(wave_l) if wave_l else np.zeros(0, "int64"),
        np.concatenate(pos_l) if pos_l else np.zeros(0, "int64"),
        key,
        n_keys,
        np.concatenate(scored_l) if scored_l else np.zeros(0, bool),
        norm_l,
        np.concatenate([[0], np.cumsum(lens)]).astype("int64"),
    )


@dataclass
class _Classified:
    """Step 4: who is paired, and why every other row is not."""

    missing: np.ndarray
    dup: np.ndarray
    usable: np.ndarray
    paired: np.ndarray  # bool per row: its key is paired
    listed: np.ndarray  # the flat rows that have a reason (all but paired usable rows)
    reason: np.ndarray  # object per listed row
    detail: np.ndarray  # object per listed row
    first: np.ndarray  # per key: first usable wave
    last: np.ndarray  # per key: last usable wave
    gidx: np.ndarray  # (W, n_keys): flat row of the key's usable row in each wave, -1


def _wave_names_where(hit_by_wave: list[np.ndarray], wave: np.ndarray, names) -> np.ndarray:
    """For each row, the names of the *other* waves where ``hit_by_wave[j]`` is True."""
    out = np.full(len(wave), "", dtype=object)
    for j, name in enumerate(names):  # a loop over waves, vectorised over rows
        hit = hit_by_wave[j] & (wave != j)
        out = np.where(hit, np.where(out == "", name, out + ", " + name), out)
    return out


def _classify(plan: _Plan, waves: _Waves, rows: _Rows, dup=None, pair_rows=None) -> _Classified:
    """``dup`` (bool per flat row) and ``pair_rows`` ((W, n) flat rows of each pair),
    when given, come from elsewhere (the Dask compare joins the waves on a cluster);
    everything else is derived here the same way."""
    W, K = len(plan.names), rows.n_keys
    key, wave, scored = rows.key, rows.wave, rows.scored
    missing = key < 0
    kk = np.where(missing, 0, key)
    slot = kk * W + wave
    if dup is None:
        per_slot = np.bincount(slot[~missing], minlength=K * W)
        dup = (per_slot[slot] > 1) & ~missing
    usable = scored & ~dup & ~missing

    def keys_where(mask: np.ndarray) -> np.ndarray:
        """(W, K) bool: the key has a row with ``mask`` in wave j."""
        m = np.zeros((W, K), dtype=bool)
        m[wave[mask], key[mask]] = True
        return m

    use_k = keys_where(usable)
    present_k = keys_where(~missing)
    rej_k = keys_where(~missing & ~scored)
    dup_k = keys_where(dup)
    if pair_rows is None:
        paired_key = use_k.sum(axis=0) >= 2
    else:
        paired_key = np.zeros(K, dtype=bool)
        paired_key[key[pair_rows[0]]] = True
    first = np.argmax(use_k, axis=0)
    last = W - 1 - np.argmax(use_k[::-1], axis=0)
    present_elsewhere = (present_k.sum(axis=0) >= 2)[kk] & ~missing
    is_paired = paired_key[kk] & ~missing
    rejected_somewhere = np.asarray(rej_k.any(axis=0))[kk] & ~missing

    # the first condition that holds names the reason (as numpy.select), by integer codes
    conditions = [missing, dup, ~present_elsewhere, ~scored, is_paired, rejected_somewhere]
    texts = np.array(
        [
            "missing_id",
            "duplicate_id",
            "unmatched",
            "rejected",
            "",
            "rejected_in_other_wave",
            "duplicate_in_other_wave",
        ],
        dtype=object,
    )
    rcode = np.full(len(key), len(conditions), dtype="int8")
    for i in range(len(conditions) - 1, -1, -1):
        rcode[conditions[i]] = i
    # texts only for the rows that are listed (unmatched table, issues): not for the
    # paired usable rows, which are most rows
    listed = np.flatnonzero(rcode != 4)
    lcode = rcode[listed]
    reason = texts[lcode]
    detail = np.full(len(listed), "", dtype=object)
    at = np.flatnonzero(lcode == 3)  # rejected
    if at.size:
        sel = listed[at]
        for i, name in enumerate(plan.names):  # the engine's reason of each rejected row
            mine = wave[sel] == i
            if mine.any():
                eng = waves.results[name].respondents["reason"]
                detail[at[mine]] = eng.astype(str).to_numpy(dtype=object)[rows.pos[sel[mine]]]
    for code, hits in ((5, rej_k), (6, dup_k)):  # rejected / duplicate in another wave
        at = np.flatnonzero(lcode == code)
        if at.size:
            sel = listed[at]
            detail[at] = _wave_names_where(
                [hits[j][key[sel]] for j in range(W)], wave[sel], plan.names
            )
    sel = np.flatnonzero(dup)
    if sel.size:  # the rows of each duplicated id in its wave, "12, 40"
        row_no = np.concatenate(
            [waves.results[n].respondents["row"].to_numpy(dtype="int64") for n in plan.names]
        )
        order = sel[np.argsort(slot[sel], kind="stable")]
        s_sorted = slot[order]
        cut = np.flatnonzero(np.r_[True, s_sorted[1:] != s_sorted[:-1]])
        ends = np.r_[cut[1:], len(order)]
        txt = row_no[order].astype(str)
        joined = {int(s_sorted[a]): ", ".join(txt[a:b]) for a, b in zip(cut, ends, strict=True)}
        detail[np.searchsorted(listed, sel)] = [joined[int(s)] for s in slot[sel]]
    gidx = np.full((W, K), -1, dtype="int64")
    if pair_rows is None:
        u = np.flatnonzero(usable)
        gidx[wave[u], key[u]] = u
    else:  # only the joined pairs (unpaired usable rows never reach _pairs)
        for j in range(W):
            gidx[j, key[pair_rows[j]]] = pair_rows[j]
    return _Classified(missing, dup, usable, is_paired, listed, reason, detail, first, last, gidx)


@dataclass
class _Changes:
    """Step 5b: first and last usable scores of every pair, and who improved."""

    pre_v: dict[str, np.ndarray]
    post_v: dict[str, np.ndarray]
    imp: dict[str, np.ndarray]
    imp_all: np.ndarray
    imp_any: np.ndarray
    imp_head: np.ndarray
    h_pre: np.ndarray
    h_post: np.ndarray
    head_score: str | None


def _row_mean(cols: list[np.ndarray], n: int) -> np.ndarray:
    """``np.column_stack(cols).mean(axis=1)`` bit for bit without the (n, k) copy: for
    fewer than 8 columns numpy adds a row's values one by one from 0.0, then divides
    once, which is what this does; 8 or more are summed pairwise by numpy itself."""
    if len(cols) >= 8 or not n:
        return np.column_stack(cols).mean(axis=1) if n else np.zeros(0)
    acc = np.zeros(n, dtype="float64")
    for c in cols:
        acc += c
    acc /= len(cols)
    return acc


def _flat(waves: _Waves, names, col: str, dtype) -> np.ndarray:
    """One respondents column of every wave, concatenated (object NaN where absent)."""
    parts = []
    for name in names:
        r = waves.results[name].respondents
        if col in r.columns:
            parts.append(
                r[col].to_numpy(dtype=dtype)
                if dtype is not object
                else r[col].astype(object).to_numpy()
            )
        else:
            parts.append(np.full(len(r), np.nan, dtype=object))
    if len(parts) == 1:  # one wave: its column as it is (callers gather from it, never write)
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _flat_take(waves: _Waves, names, col: str, g: np.ndarray):
    """``_flat(waves, names, col, object)[g]``: text columns (Arrow) taken in Arrow, as the
    text column a frame makes of those values; other columns through Python objects."""
    cols = [waves.results[name].respondents[col] for name in names]
    dtypes = {c.dtype for c in cols}
    if len(dtypes) == 1:
        dtype = next(iter(dtypes))
        if (
            isinstance(dtype, pd.StringDtype)
            and dtype.storage == "pyarrow"
            and dtype == (default_text_dtype())
        ):
            import pyarrow as pa

            chunks: list = []
            for c in cols:
                arr = pa.array(c.array)
                parts = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
                chunks.extend(x.cast(pa.large_string()) for x in parts)
            whole = pa.chunked_array(chunks, type=pa.large_string())
            taken = whole.take(pa.array(g))
            if len(g) and taken.null_count < len(g):  # (all missing: an object column)
                return pd.array(taken, dtype=dtype)
    return _flat(waves, names, col, object)[g]


def _pairs(plan: _Plan, waves: _Waves, rows: _Rows, cls: _Classified):
    inst, names, groups = plan.inst, plan.names, plan.groups
    W = len(names)
    keys = np.flatnonzero(cls.gidx.max(axis=0) >= 0) if rows.n_keys else np.zeros(0, "int64")
    keys = keys[(cls.gidx[:, keys] >= 0).sum(axis=0) >= 2]
    fi_all, la_all = cls.first[keys], cls.last[keys]
    base = cls.gidx[fi_all, keys]
    order = np.lexsort((rows.pos[base], fi_all))  # first wave, then position in it
    keys, base, fi, la = keys[order], base[order], fi_all[order], la_all[order]
    n_p = len(keys)
    ar = np.arange(n_p)
    G = cls.gidx[:, keys]  # (W, n_p) flat rows, -1 where not usable in that wave
    has = G >= 0
    Gs = np.where(has, G, 0)

    every_wave = [bool(h.all()) for h in has]
    first_is_0 = bool((fi == 0).all())
    last_is_end = bool((la == W - 1).all())

    # each pair's row in each wave's own respondents (0 where the wave has none)
    local = [np.maximum(Gs[i] - rows.starts[i], 0) for i in range(W)]

    def per_wave(col: str, dtype) -> list[np.ndarray]:
        out = []
        for i in range(W):  # each wave's own column at its rows (no flat copy of all waves)
            arr = _flat(waves, names[i : i + 1], col, dtype)
            v = arr[local[i]] if len(arr) else np.zeros(n_p, dtype=dtype)
            if dtype is object:
                if not (every_wave[i] and len(arr)):
                    v = np.where(has[i], v, np.nan)
            elif not (every_wave[i] and len(arr) and v.dtype == np.float64):
                v = np.where(has[i], v, np.nan).astype("float64", copy=False)
            out.append(v)
        return out

    def first_last(vals: list[np.ndarray]):
        if n_p and first_is_0 and last_is_end and len({v.dtype for v in vals}) == 1:
            return vals[0], vals[-1]  # every pair from the first to the last wave
        M = (
            np.column_stack(vals)
            if n_p
            else np.zeros((0, W), dtype=vals[0].dtype if vals else float)
        )
        return M[ar, fi], M[ar, la]

    out: dict[str, object] = {
        "respondent_id": _flat_take(waves, names, "respondent_id", base)
        if n_p
        else np.empty(0, dtype=object),
        "id_normalized": rows.id_norm_column(base),
    }
    if waves.has_form:
        out["form"] = _flat(waves, names, "form", object)[base] if n_p else np.empty(0, object)
    for g in groups:
        vals = []
        for i, name in enumerate(names):
            headers = dict(
                zip(waves.group_found[name], waves.results[name].columns.groups, strict=False)
            )
            r = waves.results[name].respondents
            if g in headers:
                col = r[headers[g]].to_numpy(dtype=object)
                v = np.where(has[i], col[rows.pos[Gs[i]]] if len(col) else np.nan, np.nan)
            else:
                v = np.full(n_p, np.nan, dtype=object)
            vals.append(np.asarray(v, dtype=object))
        out[g] = first_last(vals)[1]  # from the post (last usable) wave
    if W > 2:
        nm = np.asarray(names, dtype=object)
        out["wave_first"] = nm[fi]
        out["wave_last"] = nm[la]
    row_flat = _flat(waves, names, "row", "int64")
    for i, name in enumerate(names):
        r = row_flat[Gs[i]] if len(row_flat) else np.zeros(n_p, "int64")
        col = pd.Series(r) if has[i].all() else pd.Series(np.where(has[i], r, np.nan))
        out[f"row_{name}"] = col.astype("Int64").to_numpy()
    per_wave_cols = waves.score_cols + (["category"] if waves.has_category else [])
    values: dict[str, list[np.ndarray]] = {}
    for c in per_wave_cols:
        values[c] = per_wave(c, object if c == "category" else "float64")
        for i, name in enumerate(names):
            out[f"{c}_{name}"] = values[c][i]
    pre_v, post_v = {}, {}
    for c in waves.score_cols:
        pre_v[c], post_v[c] = first_last(values[c])
    dom_ids = [d.id for d in inst.domains]
    for c in dom_ids + (["index"] if "index" in waves.score_cols else []):
        out[f"change_{c}"] = post_v[c] - pre_v[c]
    share = plan.share_domains
    if share:
        pre_v["mean_of_domains"] = _row_mean([pre_v[d] for d in share], n_p)
        post_v["mean_of_domains"] = _row_mean([post_v[d] for d in share], n_p)
    imp = {d: _improved(pre_v[d], post_v[d], plan.strict) for d in share}
    if share and n_p:
        # over the shared domains, one domain at a time (no (pairs, domains) copy):
        # complete = no counted domain missing and at least one counted; all = every
        # counted domain improved; any = some counted domain improved.  Multi-form
        # instruments: only the domains of the respondent's own form count
        if waves.has_form:
            forms_of = {d: {inst.item(i).form for i in inst.domain(d).items} for d in share}
            pf = np.asarray(out["form"])
        missing = np.zeros(n_p, dtype=bool)
        counted = np.zeros(n_p, dtype=bool)
        all_up = np.ones(n_p, dtype=bool)
        any_up = np.zeros(n_p, dtype=bool)
        for d in share:
            up = imp[d] == 1.0
            if waves.has_form:
                a = np.isin(pf, list(forms_of[d]))
                missing |= np.isnan(imp[d]) & a
                counted |= a
                all_up &= up | ~a
                any_up |= up & a
            else:
                missing |= np.isnan(imp[d])
                counted[:] = True
                all_up &= up
                any_up |= up
        complete = ~missing & counted
        imp_all = np.where(complete, all_up.astype(float), np.nan)
        imp_any = np.where(complete, any_up.astype(float), np.nan)
    else:
        imp_all = imp_any = np.full(n_p, np.nan)
    rule = plan.rule
    if rule in ("all_domains", "any_domain"):
        h_pre = h_post = np.full(n_p, np.nan)
        imp_head = imp_all if rule == "all_domains" else imp_any
        head_score = None
    else:
        head_score = rule
        h_pre, h_post = pre_v[rule], post_v[rule]
        imp_head = _improved(h_pre, h_post, plan.strict)
    out["headline_pre"] = h_pre
    out["headline_post"] = h_post
    out["change_headline"] = h_post - h_pre
    out["improved"] = _as_boolean(imp_head)
    for d in share:
        out[f"improved_{d}"] = _as_boolean(imp[d])
    out["improved_all_domains"] = _as_boolean(imp_all)
    out["improved_any_domain"] = _as_boolean(imp_any)
    # the table takes the columns as they are (no 2-D copy of ~30 columns); an array under
    # two names (a wave's score and the headline) is copied, so the columns stay apart
    seen: set[int] = set()
    for k, col in out.items():
        if isinstance(col, np.ndarray):
            if id(col) in seen:
                out[k] = col.copy()
            seen.add(id(col))
    pairs_df = pd.DataFrame(out, index=range(n_p), copy=False)
    ch = _Changes(pre_v, post_v, imp, imp_all, imp_any, imp_head, h_pre, h_post, head_score)
    return pairs_df, ch


class _StatsCache:
    """paired_statistics of one score over all pairs, computed once (the stats table and
    the overall summary row both need the headline's)."""

    def __init__(self, plan: _Plan):
        self.plan = plan
        self.done: dict[str, dict] = {}

    def get(self, a: np.ndarray, b: np.ndarray, name: str | None = None) -> dict:
        if name is not None and name in self.done:
            return self.done[name]
        p = self.plan
        st = paired_statistics(a, b, min_n=p.min_n, confidence=p.opts.confidence, lang=p.lang)
        if name is not None:
            self.done[name] = st
        return st


def _stats(plan: _Plan, waves: _Waves, ch: _Changes, cache: _StatsCache) -> pd.DataFrame:
    inst, lang = plan.inst, plan.lang
    labels = {d.id: label_of(d, lang) for d in inst.domains}
    if inst.index is not None:
        labels["index"] = label_of(inst.index, lang)
    labels["mean_of_domains"] = label(
        "mean_of_domains", lang, domains=", ".join(plan.share_domains)
    )
    todo = (
        [d.id for d in inst.domains]
        + (["index"] if "index" in waves.score_cols else [])
        + (["mean_of_domains"] if plan.rule == "mean_of_domains" else [])
    )
    rows = []
    for s in todo:
        st = cache.get(ch.pre_v[s], ch.post_v[s], name=s)
        rows.append(
            {
                "score": s,
                "label": labels.get(s, s),
                "headline": s == ch.head_score,
                **{k: st[k] for k in _STAT_COLUMNS},
            }
        )
    return pd.DataFrame(rows, columns=["score", "label", "headline"] + _STAT_COLUMNS)


def _unmatched(plan: _Plan, waves: _Waves, rows: _Rows, cls: _Classified) -> pd.DataFrame:
    names = plan.names
    g = cls.listed
    out: dict[str, object] = {
        "respondent_id": _flat_take(waves, names, "respondent_id", g),
        "id_normalized": rows.id_norm_column(g),
        "wave": np.asarray(names, dtype=object)[rows.wave[g]],
        "row": _flat(waves, names, "row", "int64")[g],
        "status": np.where(rows.scored[g], "scored", "rejected").astype(object),
        "reason": cls.reason,
        "detail": cls.detail,
        "paired": cls.paired[g],
    }
    if waves.has_form:
        out["form"] = _flat(waves, names, "form", object)[g]
    for gc in plan.groups:
        parts = []
        for name in names:
            headers = dict(
                zip(waves.group_found[name], waves.results[name].columns.groups, strict=False)
            )
            r = waves.results[name].respondents
            parts.append(
                r[headers[gc]].to_numpy(dtype=object)
                if gc in headers
                else np.full(len(r), np.nan, dtype=object)
            )
        out[gc] = np.concatenate(parts)[g]
    return pd.DataFrame(out, index=range(len(g)))


def _summary(
    plan: _Plan,
    waves: _Waves,
    pairs_df: pd.DataFrame,
    unmatched_df: pd.DataFrame,
    ch: _Changes,
    cache: _StatsCache,
) -> pd.DataFrame:
    names, groups, lang = plan.names, plan.groups, plan.lang
    dom_ids = [d.id for d in plan.inst.domains]
    n_p = len(pairs_df)
    u_wave = unmatched_df["wave"].to_numpy(dtype=object)
    u_reason = unmatched_df["reason"].to_numpy(dtype=object)

    def summary_row(pmask: np.ndarray, umask: np.ndarray, overall: bool) -> dict:
        w, rs = u_wave[umask], u_reason[umask]
        row: dict[str, object] = {"n_pairs": int(pmask.sum())}
        for name in names:
            row[f"n_unmatched_{name}"] = int(((w == name) & (rs == "unmatched")).sum())
        for name in names:
            row[f"n_rejected_{name}"] = int(((w == name) & (rs == "rejected")).sum())
        row["n_rejected_in_other_wave"] = int((rs == "rejected_in_other_wave").sum())
        row["n_duplicate"] = int((rs == "duplicate_id").sum())
        row["n_missing_id"] = int((rs == "missing_id").sum())
        row["headline_rule"] = plan.rule
        h = ch.imp_head[pmask]
        n_eval = int((~np.isnan(h)).sum())
        n_imp = int((h == 1.0).sum())
        row["n_evaluable"] = n_eval
        row["n_improved"] = n_imp
        row["pct_improved"] = _pct(n_imp, n_eval)
        row["share_text"] = _share_text(n_imp, n_eval, lang)
        for d in plan.share_domains:
            x = ch.imp[d][pmask]
            row[f"n_improved_{d}"] = int((x == 1.0).sum())
            row[f"pct_improved_{d}"] = _pct(int((x == 1.0).sum()), int((~np.isnan(x)).sum()))
        for nm_, arr in (("all_domains", ch.imp_all), ("any_domain", ch.imp_any)):
            x = arr[pmask]
            row[f"n_improved_{nm_}"] = int((x == 1.0).sum())
            row[f"pct_improved_{nm_}"] = _pct(int((x == 1.0).sum()), int((~np.isnan(x)).sum()))
        with np.errstate(invalid="ignore"):
            for c in dom_ids + (["index"] if "index" in waves.score_cols else []):
                chg = (ch.post_v[c] - ch.pre_v[c])[pmask]
                row[f"mean_change_{c}"] = (
                    float(np.nanmean(chg)) if np.any(~np.isnan(chg)) else float("nan")
                )
            chg = (ch.h_post - ch.h_pre)[pmask]
            row["mean_change_headline"] = (
                float(np.nanmean(chg)) if np.any(~np.isnan(chg)) else float("nan")
            )
        if ch.head_score is not None:
            st = cache.get(
                ch.h_pre[pmask], ch.h_post[pmask], name=ch.head_score if overall else None
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

    rows = [summary_row(np.ones(n_p, bool), np.ones(len(unmatched_df), bool), True)]
    if groups:
        all_label = label("all", lang)
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
            rows.append({**dict(zip(groups, combo, strict=True)), **summary_row(pm, um, False)})
    return pd.DataFrame(rows)


class _ObjectsAt:
    """``column.to_numpy(dtype=object)[positions]`` for the positions asked (the issue
    rows), without turning the whole column into Python objects."""

    def __init__(self, column: pd.Series):
        self.column = column

    def __getitem__(self, positions: np.ndarray) -> np.ndarray:
        return self.column.iloc[positions].to_numpy(dtype=object)


def _issues(plan: _Plan, waves: _Waves, rows: _Rows, cls: _Classified) -> pd.DataFrame:
    blocks = []
    for i, name in enumerate(plan.names):
        res = waves.results[name]
        resp = res.respondents
        at = np.flatnonzero(rows.wave[cls.listed] == i)
        sel = cls.listed[at]
        log = IssueLog(plan.lang)
        col = waves.id_cols[name]
        pos = rows.pos[sel]  # the wave's rows (flat rows sel)
        rid = resp["respondent_id"].iloc[pos].astype(object).to_numpy()
        ids_i = pd.Series(rid, dtype=object).astype(str).to_numpy(dtype=object)
        rsn = cls.reason[at]
        det = cls.detail[at]
        m = rsn == "unmatched"
        if m.any():
            log.add("unmatched", pos[m], column=col, item=name, values=ids_i[m])
        m = rsn == "rejected_in_other_wave"
        for d_ in pd.unique(det[m]):
            mm = m & (det == d_)
            log.add("rejected_in_other_wave", pos[mm], column=col, item=d_, values=ids_i[mm])
        m = rsn == "duplicate_id"
        for d_ in pd.unique(det[m]):
            mm = m & (det == d_)
            log.add("duplicate_id", pos[mm], column=col, values=ids_i[mm], close=d_)
        own = res.issues
        own = own[own["code"] != "duplicate_id"]  # replaced by the normalised-id check above
        mine = log.frame(resp["row"].to_numpy(dtype="int64"), _ObjectsAt(resp["respondent_id"]))
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
    return pd.concat(blocks, ignore_index=True)[["wave"] + ISSUE_COLUMNS]


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
    min_pairs: int | None = None,
    engine: str = "pandas",
    scheduler=None,
    chunk_rows: int | None = None,
    **kwargs: Unpack[OptionKeywords],
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
    engine, scheduler, chunk_rows:
        ``engine="dask"``: ``pre`` and ``post`` are files, folders or globs, each wave
        is scored on the Dask cluster at ``scheduler`` (an address or a
        ``distributed.Client``; None starts a LocalCluster) in partitions of
        ``chunk_rows`` rows, and the waves are paired by a Dask merge (a shuffle) on
        the normalised id (:mod:`indeks.scoring.compare_dask`).  Same result.

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
    opts = ScoringOptions.merged(options, id_column=id_column, group_by=group_by, **kwargs)
    if engine == "dask":
        if waves is not None:
            raise TypeError("engine='dask' compares two waves: give pre and post")
        from indeks.scoring.compare_dask import compare_dask

        return compare_dask(
            instrument,
            pre,
            post,
            scheduler=scheduler,
            options=opts,
            chunk_rows=chunk_rows,
            headline=headline,
            min_pairs=min_pairs,
        )
    if engine != "pandas":
        raise ValueError(f"engine must be 'pandas' or 'dask', not {engine!r}")
    inst = resolve_instrument(instrument)
    frames = _wave_frames(pre, post, waves)
    plan = _plan(inst, frames, opts, headline, min_pairs)
    scored = _score_waves(plan, frames)
    rows = _rows(plan, scored)
    return _finish(plan, scored, rows, _classify(plan, scored, rows))


def _finish(plan: _Plan, scored: _Waves, rows: _Rows, cls: _Classified) -> CompareResult:
    """Steps 5-9, shared by the in-memory and the Dask compare."""
    inst, opts = plan.inst, plan.opts
    pairs_df, ch = _pairs(plan, scored, rows, cls)
    cache = _StatsCache(plan)
    stats_df = _stats(plan, scored, ch, cache)
    unmatched_df = _unmatched(plan, scored, rows, cls)
    summary_df = _summary(plan, scored, pairs_df, unmatched_df, ch, cache)
    issues_df = _issues(plan, scored, rows, cls)

    lang = plan.lang
    names = plan.names
    warning = inst.provisional_warning_for("compare", lang)
    meta: CompareMeta = {
        "instrument": inst.id,
        "instrument_name": label_of(inst, lang, "name"),
        "instrument_version": inst.version,
        "waves": names,
        "id_columns": scored.id_cols,
        "headline_rule": plan.rule,
        "headline_rule_default": plan.pp.score,
        "strict": plan.strict,
        "share_domains": plan.share_domains,
        "min_pairs_for_tests": plan.min_n,
        "confidence": opts.confidence,
        "missing_rule": scored.results[names[0]].meta.get("missing_rule"),
        "group_by": plan.groups,
        "group_source": "post wave (last usable wave of each respondent)",
        "provisional_warning": warning,
        "lang": lang,
    }
    stamp_frames((pairs_df, unmatched_df, summary_df, stats_df, issues_df), inst, warning)
    return CompareResult(
        inst, pairs_df, unmatched_df, summary_df, stats_df, issues_df, scored.results, meta
    )
