"""Internal consistency of one domain: Cronbach's alpha, McDonald's omega, item table.

Pure and vectorised; knows nothing about instruments.  The input is a DataFrame
whose columns are the items of **one** domain and whose rows are respondents.  Items
must already be reverse-keyed by the caller (``min + max - x`` on the declared
scale): alpha and omega of un-reversed negatively keyed items are meaningless (low
or negative).

Everything is computed from the items' covariance matrix ``C`` (ddof=1):

* ``missing="listwise"`` (default): rows with any missing item are dropped first;
  ``C`` is the ordinary covariance matrix of the complete rows.  This equals
  ``pingouin.cronbach_alpha(..., nan_policy="listwise")`` and
  ``psych::alpha(use="complete.obs")``.
* ``missing="pairwise"``: ``C = DataFrame.cov()``, each entry from the rows where
  both items are present (pairwise deletion), as
  ``pingouin.cronbach_alpha(..., nan_policy="pairwise")`` and
  ``psych::alpha(use="pairwise")`` do.  ``C`` need not be positive semi-definite,
  and no single ``n`` underlies it: ``n_used`` is the number of rows with at least
  one item answered, and the Feldt interval uses the *smallest* pairwise count of
  complete observations (``n_ci``), which is conservative (wider interval).

Messages in ``note_text`` are Indonesian by default, English with ``lang="en"``.
"""

from __future__ import annotations

import math
import warnings
from typing import Unpack

import numpy as np
import pandas as pd

from indeks.i18n import catalogue, check_lang, label_of, tr
from indeks.scoring.meta import ReliabilityMeta, stamp_frames


def _scipy_stats():
    """scipy.stats, imported on first use (it is slow to import and most jobs never need it)."""
    from scipy import stats

    return stats


def _scipy_optimize():
    from scipy import optimize

    return optimize


__all__ = ["cronbach_alpha", "reliability_table", "omega_total", "NOTES"]

MISSING = ("listwise", "pairwise")

#: Machine codes of ``note`` and their human texts.
NOTES = catalogue("scoring/reliability_notes")

_ITEM_COLUMNS = ["item", "n", "mean", "sd", "corrected_item_total_r", "alpha_if_deleted"]


# --------------------------------------------------------------------------- helpers


def _check_missing(missing: str) -> str:
    if missing not in MISSING:
        raise ValueError(f"missing must be one of {MISSING}, got {missing!r}")
    return missing


def _as_float_frame(items: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(items, pd.DataFrame):
        raise TypeError("items must be a pandas DataFrame (columns = items, rows = respondents)")
    out = items.apply(pd.to_numeric, errors="raise").astype("float64")
    return out.where(np.isfinite(out))


def _prepare(items: pd.DataFrame, missing: str) -> tuple[pd.DataFrame, int, int]:
    """The frame to compute on, ``n_used`` and ``n_ci`` (n for the Feldt interval)."""
    data = _as_float_frame(items)
    if missing == "listwise":
        data = data.dropna(axis=0, how="any")
        return data, int(data.shape[0]), int(data.shape[0])
    data = data.dropna(axis=0, how="all")
    present = data.notna().to_numpy(dtype="float64")
    if data.shape[1] >= 2:
        pair_n = present.T @ present
        n_ci = int(pair_n[np.triu_indices_from(pair_n, k=1)].min())
    else:
        n_ci = int(data.shape[0])
    return data, int(data.shape[0]), n_ci


def _cov(data: pd.DataFrame, missing: str) -> np.ndarray:
    if missing == "listwise":
        return np.cov(data.to_numpy(), rowvar=False, ddof=1).reshape(data.shape[1], data.shape[1])
    return data.cov(min_periods=2).to_numpy()


def _alpha_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    total = c.sum()
    if k < 2 or not np.isfinite(total) or total <= 0:
        return math.nan
    return float(k / (k - 1) * (1.0 - np.trace(c) / total))


def _feldt_ci(alpha: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    """Feldt (1965) / Feldt, Woodruff & Salih (1987) interval of alpha.

    ``(1 - alpha_hat) / (1 - alpha)`` follows ``F(n-1, (n-1)(k-1))``; hence
    ``lower = 1 - (1 - alpha_hat) * F.ppf(1 - a/2, df1, df2)`` and
    ``upper = 1 - (1 - alpha_hat) * F.ppf(a/2, df1, df2)`` with ``a = 1 - confidence``.
    """
    if not np.isfinite(alpha) or n < 2 or k < 2:
        return math.nan, math.nan
    a = 1.0 - confidence
    df1 = n - 1
    df2 = df1 * (k - 1)
    lower = 1.0 - (1.0 - alpha) * _scipy_stats().f.ppf(1.0 - a / 2.0, df1, df2)
    upper = 1.0 - (1.0 - alpha) * _scipy_stats().f.ppf(a / 2.0, df1, df2)
    return float(lower), float(upper)


def _item_stats(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Corrected item-total r and alpha-if-deleted for every item, from ``C``.

    With ``s_i = sum_j C_ij`` (row sums) and ``S = sum_ij C_ij``:

    * ``cov(x_i, rest_i) = s_i - C_ii`` and ``var(rest_i) = S - 2 s_i + C_ii``, where
      ``rest_i`` is the sum of the other items, so
      ``r_i = (s_i - C_ii) / sqrt(C_ii * var(rest_i))`` -- exactly the Pearson
      correlation of the item with the rest-sum (listwise data);
    * alpha without item ``i`` uses ``k-1`` items, trace ``tr(C) - C_ii`` and total
      variance ``var(rest_i)``.
    """
    k = c.shape[0]
    diag = np.diag(c)
    rows = c.sum(axis=1)
    total = c.sum()
    var_rest = total - 2.0 * rows + diag
    with np.errstate(all="ignore"):
        r = (rows - diag) / np.sqrt(diag * var_rest)
        if k >= 3:
            a_del = (k - 1) / (k - 2) * (1.0 - (np.trace(c) - diag) / var_rest)
            a_del = np.where(var_rest > 0, a_del, np.nan)
        else:  # one item left: alpha undefined
            a_del = np.full(k, np.nan)
    r = np.where((diag > 0) & (var_rest > 0), r, np.nan)
    return r.astype("float64"), np.asarray(a_del, dtype="float64")


# --------------------------------------------------------------------------- omega


def _one_factor_ml(r: np.ndarray, lower: float = 0.005) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood one-factor model of a correlation matrix ``r``.

    The algorithm of R's ``factanal`` (Joreskog 1967; Lawley & Maxwell 1971): for
    given uniquenesses ``psi`` the best loadings are
    ``lambda = psi^{1/2} v sqrt(max(theta - 1, 0))`` with ``(theta, v)`` the largest
    eigenpair of ``psi^{-1/2} R psi^{-1/2}``; the ML discrepancy concentrated on
    ``psi`` is ``-sum_{j>=2} (log theta_j - theta_j) - 1 + p`` (up to constants)
    and is minimised over ``psi`` in ``[lower, 1]`` with L-BFGS-B and the analytic
    gradient.  Start: ``psi_0 = (1 - 0.5/p) / diag(R^{-1})``.

    Returns ``(loadings, uniquenesses)`` on the correlation scale; the loadings'
    sign is chosen so that their sum is non-negative.  Uniquenesses are reported
    as ``1 - loading^2`` (equal to the fitted ``psi`` at an interior optimum, where
    ML reproduces the unit diagonal; at a Heywood boundary ``psi = lower`` this keeps
    the model-implied item variances equal to the observed ones).  Checked against
    scikit-learn's ``FactorAnalysis`` (agreement ~1e-6) during development.
    """
    p = r.shape[0]

    def scaled(psi):
        s = 1.0 / np.sqrt(psi)
        return r * s[:, None] * s[None, :]

    def fun(psi):
        e = np.linalg.eigvalsh(scaled(psi))[::-1][1:]
        e = np.clip(e, 1e-300, None)
        return float(-(np.sum(np.log(e) - e) - 1 + p))

    def grad(psi):
        vals, vecs = np.linalg.eigh(scaled(psi))
        v = vecs[:, -1]
        load = np.sqrt(psi) * v * math.sqrt(max(vals[-1] - 1.0, 0.0))
        g = np.outer(load, load) + np.diag(psi) - r
        return np.diag(g) / psi**2

    try:
        start = (1.0 - 0.5 / p) / np.diag(np.linalg.inv(r))
    except np.linalg.LinAlgError:
        start = (1.0 - 0.5 / p) / np.diag(np.linalg.pinv(r))
    start = np.clip(np.where(np.isfinite(start), start, 0.5), lower, 1.0)
    res = _scipy_optimize().minimize(
        fun,
        start,
        jac=grad,
        method="L-BFGS-B",
        bounds=[(lower, 1.0)] * p,
        options={"maxiter": 1000},
    )
    psi = res.x
    vals, vecs = np.linalg.eigh(scaled(psi))
    load = np.sqrt(psi) * vecs[:, -1] * math.sqrt(max(vals[-1] - 1.0, 0.0))
    if load.sum() < 0:
        load = -load
    uniq = 1.0 - load**2  # = psi at the optimum (diag of the fitted R is 1)
    uniq = np.clip(uniq, 0.0, None)
    return load, uniq


def _omega_from_cov(c: np.ndarray) -> tuple[float, str]:
    k = c.shape[0]
    if k < 3:
        return math.nan, "omega_needs_3_items"
    diag = np.diag(c)
    if not np.all(np.isfinite(c)) or np.any(diag <= 0):
        return math.nan, "omega_not_estimable"
    sd = np.sqrt(diag)
    r = c / np.outer(sd, sd)
    r = (r + r.T) / 2.0
    np.fill_diagonal(r, 1.0)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            load_r, uniq_r = _one_factor_ml(r)
    except (np.linalg.LinAlgError, ValueError):
        return math.nan, "omega_not_estimable"
    # back to the covariance (raw item) scale: the ML solution is scale invariant
    load = load_r * sd
    uniq = uniq_r * diag
    common = load.sum() ** 2
    denom = common + uniq.sum()
    if not np.isfinite(denom) or denom <= 0:
        return math.nan, "omega_not_estimable"
    return float(common / denom), ""


def omega_total(items: pd.DataFrame, missing: str = "listwise") -> float:
    """McDonald's omega total of a one-factor model (NaN when not estimable).

    ``omega = (sum lambda_i)^2 / ((sum lambda_i)^2 + sum psi_i)`` with loadings
    ``lambda`` and uniquenesses ``psi`` of a maximum-likelihood one-factor model
    (see :func:`_one_factor_ml`), fitted to the item correlation matrix and
    rescaled to the covariance scale (``lambda_i * sd_i``, ``psi_i * var_i``), so
    omega is the model-implied reliability of the *unweighted sum of the raw items*
    -- the same composite that alpha describes.  The denominator is the
    model-implied variance of the sum (not the observed one; the two differ by the
    misfit of the model).  Needs at least 3 items.
    """
    data, n_used, _ = _prepare(items, _check_missing(missing))
    if data.shape[1] < 3 or n_used < 2:
        return math.nan
    return _omega_from_cov(_cov(data, missing))[0]


# --------------------------------------------------------------------------- public


def cronbach_alpha(items: pd.DataFrame, missing: str = "listwise") -> float:
    """Cronbach's alpha of the items (columns) over the respondents (rows).

    ``alpha = k/(k-1) * (1 - sum_i var(x_i) / var(sum_i x_i))`` with sample
    variances (ddof=1), computed as ``k/(k-1) * (1 - trace(C) / sum(C))`` from the
    covariance matrix ``C`` -- identical for complete data.  ``missing`` is
    ``"listwise"`` (drop rows with any missing item) or ``"pairwise"`` (pairwise
    covariances; see the module docstring).  Returns NaN (never raises) with fewer
    than 2 items, fewer than 2 usable rows, or a total score without variance.
    Alpha can be negative (e.g. un-reversed negatively keyed items).
    """
    data, n_used, _ = _prepare(items, _check_missing(missing))
    if data.shape[1] < 2 or n_used < 2:
        return math.nan
    with np.errstate(all="ignore"):
        return _alpha_from_cov(_cov(data, missing))


def reliability_table(
    items: pd.DataFrame,
    confidence: float = 0.95,
    missing: str = "listwise",
    lang: str = "id",
) -> dict:
    """Alpha with its Feldt interval, omega, and a per-item table for one domain.

    Parameters
    ----------
    items:
        Columns are the (reverse-keyed) items of one domain, rows are respondents.
    confidence:
        Level of the Feldt interval of alpha, strictly between 0 and 1.
    missing:
        ``"listwise"`` (default) or ``"pairwise"``; see the module docstring.
    lang:
        ``"id"`` (default) or ``"en"``: language of ``note_text``.

    Returns
    -------
    dict with

    ``n_used``
        rows the statistics are based on (listwise: complete rows; pairwise: rows
        with at least one item answered).
    ``n_ci``
        ``n`` used in the Feldt interval (listwise: ``n_used``; pairwise: the
        smallest number of rows in which a pair of items is jointly present).
    ``n_items``
        number of item columns ``k``.
    ``missing_handling``
        ``"listwise"`` or ``"pairwise"``.
    ``alpha``
        Cronbach's alpha (see :func:`cronbach_alpha`).
    ``alpha_ci_low``, ``alpha_ci_high``
        Feldt (1965) interval: with ``a = 1 - confidence``, ``df1 = n_ci - 1``,
        ``df2 = df1 (k - 1)``:
        ``1 - (1 - alpha) F.ppf(1 - a/2, df1, df2)`` and
        ``1 - (1 - alpha) F.ppf(a/2, df1, df2)``.  Same formula as pingouin.
    ``omega_total``
        McDonald's omega of a one-factor ML model (see :func:`omega_total`); NaN
        with fewer than 3 items or when the model cannot be fitted.
    ``items``
        DataFrame, one row per item in column order, columns ``item``, ``n``
        (answers used for the item's mean/sd), ``mean``, ``sd`` (ddof=1),
        ``corrected_item_total_r`` (Pearson r of the item with the sum of the
        *other* items), ``alpha_if_deleted`` (alpha of the other ``k-1`` items;
        NaN when ``k == 2``).  In listwise mode every figure comes from the complete
        rows; in pairwise mode mean/sd use every answer of the item and r /
        alpha-if-deleted come from the pairwise covariance matrix.
    ``note``, ``note_text``
        ``""`` when everything was computed, otherwise the codes of :data:`NOTES`
        joined by ``","`` and their texts joined by ``"; "``.  With fewer than 2
        items or 2 usable rows every statistic is NaN (``note`` ``"too_few_items"``
        or ``"too_few_rows"``) and nothing is raised.
    """
    lang = check_lang(lang)
    missing = _check_missing(missing)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")

    data, n_used, n_ci = _prepare(items, missing)
    k = int(data.shape[1])
    names = [str(c) for c in data.columns]
    notes: list[str] = []
    texts: list[str] = []

    def add(code: str, **values) -> None:
        notes.append(code)
        texts.append(tr(NOTES[code], lang, **values))

    out: dict = {
        "n_used": n_used,
        "n_ci": n_ci,
        "n_items": k,
        "missing_handling": missing,
        "alpha": math.nan,
        "alpha_ci_low": math.nan,
        "alpha_ci_high": math.nan,
        "omega_total": math.nan,
    }
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        table = pd.DataFrame(
            {
                "item": names,
                "n": data.notna().sum(axis=0).to_numpy(dtype="int64"),
                "mean": data.mean(axis=0).to_numpy(dtype="float64"),
                "sd": data.std(axis=0, ddof=1).to_numpy(dtype="float64"),
                "corrected_item_total_r": np.full(k, np.nan),
                "alpha_if_deleted": np.full(k, np.nan),
            },
            columns=_ITEM_COLUMNS,
        )

        if k < 2:
            add("too_few_items", k=k)
        elif n_used < 2 or n_ci < 2:
            add("too_few_rows", n=min(n_used, n_ci))
        else:
            c = _cov(data, missing)
            alpha = _alpha_from_cov(c)
            if math.isnan(alpha):
                add("zero_variance")
            else:
                out["alpha"] = alpha
                out["alpha_ci_low"], out["alpha_ci_high"] = _feldt_ci(alpha, n_ci, k, confidence)
            r, a_del = _item_stats(c)
            table["corrected_item_total_r"] = r
            table["alpha_if_deleted"] = a_del
            if np.any(np.diag(c) <= 0) and not math.isnan(alpha):
                add("constant_item")
            if not math.isnan(alpha):
                omega, code = _omega_from_cov(c)
                out["omega_total"] = omega
                if code and "constant_item" not in notes:
                    add(code)

    out["items"] = table
    out["note"] = ",".join(notes)
    out["note_text"] = "; ".join(texts)
    return out


# --------------------------------------------------------------------------- instrument API

from dataclasses import dataclass as _dataclass  # noqa: E402  (appended wrapper; module body above is instrument-free)
from dataclasses import field as _field  # noqa: E402

from indeks.scoring.options import OptionKeywords, ScoringOptions  # noqa: E402

__all__ += ["reliability", "ReliabilityResult"]

_DOMAIN_COLUMNS = [
    "domain",
    "label",
    "n_used",
    "n_ci",
    "n_items",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "omega_total",
    "missing_handling",
    "note",
    "note_text",
]
_ITEM_TABLE_COLUMNS = [
    "domain",
    "item",
    "reversed",
    "n",
    "mean",
    "sd",
    "corrected_item_total_r",
    "alpha_if_deleted",
]


@_dataclass
class ReliabilityResult:
    """What :func:`reliability` returns.

    ``domains``  one row per domain with at least 2 items: alpha (Feldt interval), omega.
    ``items``    one row per item of those domains: item-total r, alpha if deleted, mean, sd.
    ``issues``   the data problems found while reading the answers (as in ``score``).
    ``meta``     instrument, rows used, rejected rows, missing handling, confidence.
    """

    instrument: object
    domains: pd.DataFrame
    items: pd.DataFrame
    issues: pd.DataFrame
    meta: ReliabilityMeta = _field(default_factory=lambda: ReliabilityMeta())

    def sheets(self) -> dict[str, pd.DataFrame]:
        return {"domains": self.domains, "items": self.items, "issues": self.issues}


def reliability(
    instrument,
    data: pd.DataFrame,
    *,
    options: ScoringOptions | None = None,
    missing: str = "listwise",
    id_column: str | None = None,
    **kwargs: Unpack[OptionKeywords],
) -> ReliabilityResult:
    """Internal consistency of every domain of ``instrument`` (with >= 2 items) on ``data``.

    The items are read exactly as :func:`indeks.score` reads them
    (:func:`indeks.scoring.engine.keyed_items`): answers coerced to codes, invalid
    cells missing, ``pre_reversed`` items turned back, negatively keyed items
    **reverse-keyed on the declared scale**, and rows the assessment rules reject
    left out (all NaN).  Each domain's item columns then go through
    :func:`reliability_table` (``missing``: ``"listwise"`` or ``"pairwise"``).
    ``options`` is a :class:`indeks.ScoringOptions` (group, form and population
    options do not apply); keyword arguments that are not ``None`` replace its fields.
    """
    from indeks.scoring.engine import keyed_items

    opts = ScoringOptions.merged(options, id_column=id_column, **kwargs)
    lang, confidence = opts.lang, opts.confidence
    _check_missing(missing)
    X, prep = keyed_items(instrument, data, options=opts)
    inst = prep.inst
    dom_rows = []
    item_tables = []
    for d in inst.domains:  # a loop over domains; each table is vectorised
        if len(d.items) < 2:
            continue
        res = reliability_table(X[list(d.items)], confidence=confidence, missing=missing, lang=lang)
        dom_rows.append(
            {
                "domain": d.id,
                "label": label_of(d, lang),
                **{k: res[k] for k in _DOMAIN_COLUMNS if k in res},
            }
        )
        t = res["items"].copy()
        t.insert(0, "domain", d.id)
        t["reversed"] = [inst.item(i).reverse for i in t["item"]]
        item_tables.append(t)
    domains = pd.DataFrame(dom_rows, columns=_DOMAIN_COLUMNS)
    items = (
        pd.concat(item_tables, ignore_index=True)
        if item_tables
        else pd.DataFrame(columns=_ITEM_TABLE_COLUMNS)
    )[_ITEM_TABLE_COLUMNS]
    issues = prep.log.frame(prep.row_numbers, prep.ids)
    warning = inst.provisional_warning_for("score", lang)
    meta: ReliabilityMeta = {
        "instrument": inst.id,
        "instrument_version": inst.version,
        "n_rows": int(prep.n),
        "n_rejected": int(prep.rejected.sum()),
        "missing_handling": missing,
        "confidence": confidence,
        "missing_rule": prep.rule,
        "pre_reversed": list(prep.pre_reversed),
        "provisional_warning": warning,
        "lang": lang,
    }
    stamp_frames((domains, items, issues), inst, warning)
    return ReliabilityResult(inst, domains, items, issues, meta)
