"""Paired pre/post statistics for one score measured twice on the same respondents.

This module is pure and vectorised: it takes two equal-length numeric arrays (the
score at the first and at the last measurement, one entry per matched respondent)
and knows nothing about instruments.  The comparison layer decides *which* score
(a domain, the index, ...) is passed in.

Conventions
-----------
* The change is always ``post - pre``: a positive change is an increase.
* Pairs in which either value is missing (NaN, ``None``, ``pd.NA``) or not finite
  are dropped *listwise*; ``n`` is the number of complete pairs actually used.
* Nothing here raises or warns on degenerate data (too few pairs, no change at all,
  every respondent changing by the same amount).  Undefined statistics are NaN and
  the reason is given in ``note`` (a machine code) and ``note_text`` (human text,
  Indonesian by default, English with ``lang="en"``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from indeks.i18n import catalogue, check_lang, tr


def _scipy_stats():
    """scipy.stats, imported on first use (it is slow to import and most jobs never need it)."""
    from scipy import stats

    return stats


__all__ = ["paired_statistics", "share_improved", "NOTES"]

#: Machine codes of ``note`` and their human texts.
NOTES = catalogue("scoring/stats_notes")

# The Wilcoxon exact null distribution is used up to this many pairs (same limit
# as scipy's method="auto").
_EXACT_MAX_N = 50

# the keys of every paired_statistics() result, in table order
STAT_KEYS = (
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
)


def _as_pairs(pre, post) -> tuple[np.ndarray, np.ndarray]:
    """Two 1-D float arrays of equal length, missing/non-finite values as NaN."""
    a = _to_float(pre)
    b = _to_float(post)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError("pre and post must be one-dimensional")
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"pre and post must have the same length (got {a.shape[0]} and {b.shape[0]})"
        )
    return a, b


def _to_float(values) -> np.ndarray:
    """Float copy of ``values``; None / pd.NA / non-finite become NaN."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        arr = np.array(values, dtype="float64", ndmin=1)  # writable copy
    else:
        if isinstance(values, (pd.Series, pd.Index)):
            ser = pd.Series(values)
        else:
            obj = np.asarray(values, dtype=object)
            if obj.ndim != 1:
                raise ValueError("pre and post must be one-dimensional")
            ser = pd.Series(obj)
        arr = pd.to_numeric(ser, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
        arr = np.array(arr, dtype="float64", ndmin=1)  # writable copy
    arr[~np.isfinite(arr)] = np.nan
    return arr


def _complete(pre, post) -> tuple[np.ndarray, np.ndarray]:
    a, b = _as_pairs(pre, post)
    keep = ~(np.isnan(a) | np.isnan(b))
    return a[keep], b[keep]


def _tie_groups(x: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the distinct values of ``x`` in ascending order, how many rows hold each, how many
    of those are ``positive``): ``numpy.unique(x, return_counts=True)`` and the bincount of
    ``positive`` by value, from a hash of the values (a few distinct scores among many
    pairs: no sort of every row)."""
    codes, uniq = pd.factorize(x)
    cnt = np.bincount(codes, minlength=uniq.size)
    pos = np.bincount(codes, weights=positive, minlength=uniq.size)
    order = np.argsort(uniq, kind="stable")
    return np.asarray(uniq)[order], cnt[order], pos[order]


def _nan_result(n: int, wilcoxon_method: str = "") -> dict:
    out: dict = {k: math.nan for k in STAT_KEYS}
    out["n"] = int(n)
    out["wilcoxon_method"] = wilcoxon_method
    return out


def paired_statistics(
    pre,
    post,
    min_n: int = 5,
    confidence: float = 0.95,
    lang: str = "id",
) -> dict:
    """Descriptive statistics, tests and effect sizes of a paired pre/post change.

    Parameters
    ----------
    pre, post:
        Equal-length array-likes (list, numpy array, pandas Series) of the score at
        the first and the last measurement; element ``i`` of both belongs to the same
        respondent.  Pairs with a missing or non-finite value on either side are
        dropped listwise.
    min_n:
        Minimum number of complete pairs.  Below it every statistic is NaN and
        ``note == "too_few_pairs"``.
    confidence:
        Confidence level of the interval of the mean change, strictly between 0 and 1.
    lang:
        ``"id"`` (default) or ``"en"``: language of ``note_text``.

    Returns
    -------
    dict with the keys

    ``n``
        number of complete pairs used (int).
    ``mean_pre``, ``mean_post``
        means of the two measurements over the complete pairs.
    ``mean_change``, ``sd_change``
        mean and sample standard deviation (ddof=1) of ``post - pre``.
    ``ci_low``, ``ci_high``
        t-based confidence interval of the mean change:
        ``mean_change -/+ t.ppf((1+confidence)/2, n-1) * sd_change / sqrt(n)``.
        When ``sd_change == 0`` the interval is the single point ``mean_change``.
    ``t``, ``t_df``, ``t_p``
        paired t-test, ``scipy.stats.ttest_rel(post, pre)`` (two-sided), so ``t``
        has the sign of the mean change; ``t_df = n - 1``.  NaN when
        ``sd_change == 0`` (scipy would return ``inf``/``0`` or NaN with a warning).
    ``wilcoxon_stat``, ``wilcoxon_p``, ``wilcoxon_method``
        Wilcoxon signed-rank test, ``scipy.stats.wilcoxon(post, pre, method=...)``
        with scipy's defaults otherwise (``zero_method="wilcox"``: zero differences
        are dropped; no continuity correction; two-sided).  The statistic is scipy's
        two-sided statistic ``min(R+, R-)``.  The method is chosen here, with the
        same rule as scipy's ``method="auto"`` for its exact/normal decision, and
        passed explicitly so the report says what was used:
        ``"exact"`` (exact null distribution) when ``n <= 50`` and there are no
        zero differences and no tied absolute differences; ``"approx"`` (normal
        approximation, scipy ``method="asymptotic"``, with tie correction of the
        variance) otherwise.  scipy's permutation branch of ``"auto"`` (ties and
        n <= 13) is deliberately not used.  ``""`` when the test was not run.
    ``cohens_dz``
        ``mean_change / sd_change`` (standardised mean of the differences).
    ``wilcoxon_r``
        effect size ``r = Z / sqrt(n)`` (Rosenthal 1991; Fritz, Morris & Richler
        2012), with ``n`` the number of complete pairs (zero-difference pairs
        included).  ``Z`` is the standard-normal deviate of the test:

        * method ``"approx"``: ``Z = (R+ - n'(n'+1)/4) / se`` with the tie-corrected
          ``se`` over the ``n'`` non-zero differences, i.e. scipy's ``zstatistic``
          taken with its sign restored;
        * method ``"exact"``: ``Z = norm.isf(p / 2)`` from the exact two-sided
          p-value, so ``|Z|`` is the normal deviate with the same p-value.

        In both cases ``Z`` carries the sign of the direction of the change as the
        test sees it, ``sign(R+ - R-)`` (positive: the ranks favour ``post > pre``).
        ``r`` lies in ``[-1, 1]``.
    ``note``, ``note_text``
        ``""`` when everything could be computed; otherwise a code (several are
        joined by ``","``) from :data:`NOTES` and its human text:
        ``"too_few_pairs"`` (``n < min_n``: everything is NaN, ``n`` is still
        reported), ``"no_change"`` (every difference is zero: t-test, Wilcoxon,
        ``cohens_dz`` and ``wilcoxon_r`` are NaN; means and the point CI are
        reported), ``"constant_change"`` (every difference equals the same non-zero
        value: t-test and ``cohens_dz`` are NaN; Wilcoxon is reported).

    Floats are plain Python floats; no warnings escape.
    """
    lang = check_lang(lang)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    if min_n < 2:
        raise ValueError(f"min_n must be at least 2, got {min_n!r}")

    a, b = _complete(pre, post)
    n = int(a.shape[0])

    if n < min_n:
        out = _nan_result(n)
        out["note"] = "too_few_pairs"
        out["note_text"] = tr(NOTES["too_few_pairs"], lang, n=n, min_n=min_n)
        return out

    notes: list[str] = []
    d = b - a

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)

        mean_pre = float(np.mean(a))
        mean_post = float(np.mean(b))
        mean_change = float(np.mean(d))
        sd_change = float(np.std(d, ddof=1))
        # Every difference equal (up to float noise relative to the data's
        # magnitude, e.g. 0.3 - 0.1 vs 0.4 - 0.2): the sd is treated as exactly 0.
        scale = max(1.0, float(np.max(np.abs(a))), float(np.max(np.abs(b))))
        constant = bool(np.ptp(d) <= 1e-12 * scale)
        if constant:
            sd_change = 0.0

        t_df = n - 1
        half = (
            float(_scipy_stats().t.ppf((1.0 + confidence) / 2.0, t_df)) * sd_change / math.sqrt(n)
        )
        ci_low, ci_high = mean_change - half, mean_change + half

        if constant:
            t = t_p = dz = math.nan
            notes.append("no_change" if not np.any(d) else "constant_change")
        else:
            res = _scipy_stats().ttest_rel(b, a)
            t, t_p = float(res.statistic), float(res.pvalue)
            dz = mean_change / sd_change

        w_stat = w_p = w_r = math.nan
        w_method = ""
        nz = d[d != 0]
        if nz.size > 0:
            # one sort: distinct |differences|, their counts and average ranks
            u_abs, cnt, pos_u = _tie_groups(np.abs(nz), nz > 0)
            rank_u = np.cumsum(cnt) - (cnt - 1) / 2.0  # average rank of each tie group
            r_plus = float(np.dot(rank_u, pos_u))
            r_minus = float(np.dot(rank_u, cnt - pos_u))
            has_ties = u_abs.size < nz.size
            has_zeros = nz.size < n
            if n <= _EXACT_MAX_N and not has_ties and not has_zeros:
                w_method = "exact"
                res = _scipy_stats().wilcoxon(b, a, method="exact")
                w_p = float(res.pvalue)
                w_stat = float(res.statistic)
                z_abs = float(_scipy_stats().norm.isf(w_p / 2.0))
            else:
                # scipy.stats.wilcoxon(method="asymptotic", zero_method="wilcox",
                # correction=False), from the ranks above (scipy would sort twice more)
                w_method = "approx"
                m = float(nz.size)
                tie = float(np.sum(cnt.astype("float64") ** 3 - cnt))
                se = math.sqrt((m * (m + 1.0) * (2.0 * m + 1.0) - tie / 2.0) / 24.0)
                z = (r_plus - m * (m + 1.0) * 0.25) / se if se > 0 else math.nan
                z_abs = abs(z)
                w_p = min(1.0, 2.0 * float(_scipy_stats().norm.sf(z_abs)))
                w_stat = min(r_plus, r_minus)
            sign = float(np.sign(r_plus - r_minus))
            w_r = sign * z_abs / math.sqrt(n)

    out = {
        "n": n,
        "mean_pre": mean_pre,
        "mean_post": mean_post,
        "mean_change": mean_change,
        "sd_change": sd_change,
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "t": t,
        "t_df": t_df,
        "t_p": t_p,
        "wilcoxon_stat": w_stat,
        "wilcoxon_p": w_p,
        "wilcoxon_method": w_method,
        "cohens_dz": float(dz),
        "wilcoxon_r": float(w_r),
    }
    out["note"] = ",".join(notes)
    out["note_text"] = "; ".join(tr(NOTES[c], lang) for c in notes)
    return out


def share_improved(pre, post, strict: bool = True) -> tuple[int, int, float]:
    """Count respondents whose score went up.

    Parameters
    ----------
    pre, post:
        Equal-length array-likes; element ``i`` of both belongs to one respondent.
    strict:
        ``True`` (default): improved means ``post > pre`` -- a tie is *not* an
        improvement.  ``False``: ``post >= pre``.

    Returns
    -------
    ``(n_improved, n, pct)`` where ``n`` counts the pairs with both values present
    (missing or non-finite on either side: excluded from numerator and
    denominator), and ``pct = 100 * n_improved / n`` (unrounded float), NaN when
    ``n == 0``.
    """
    a, b = _complete(pre, post)
    n = int(a.shape[0])
    improved = int(np.count_nonzero(b > a if strict else b >= a))
    pct = 100.0 * improved / n if n else math.nan
    return improved, n, pct
