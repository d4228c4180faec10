"""The local web page: a thin shell over :func:`indeks.score` and :func:`indeks.compare`.

Routes
------
``GET  /``                              choose an instrument, upload one file or pre + post
``POST /score``                         read the upload, score (or compare), redirect to the result
``GET  /result/{token}?page=N``         the result (respondents / pairs paged, 50 per page)
``GET  /result/{token}/chart.png``      the chart, rendered from memory
``GET  /result/{token}/download.xlsx``  every table (same writer as ``indeks score -o x.xlsx``)
``GET  /result/{token}/download.csv``   the respondents table (pairs for pre/post)
``GET  /static/...``                    CSS

Every page takes ``?lang=id`` (default) or ``?lang=en``. Uploads live in a
``TemporaryDirectory`` removed before the response is sent; results are kept only
in an in-memory LRU (:mod:`indeks.web.store`).
"""

from __future__ import annotations

import logging
import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from indeks.errors import CatalogueError, IndeksError
from indeks.i18n import LANGS, label_of
from indeks.numbers import format_half_up
from indeks.present import (
    category_text,
    compare_measures,
    domain_labels,
    is_missing,
    label,
    rule_text,
    sheet_arg,
    split_list,
)
from indeks.scoring.issues import ISSUE_COLUMNS
from indeks.scoring.options import ScoringOptions
from indeks.web import charts
from indeks.web.guard import LOCAL_HOSTS, AccessGuard, Busy, JobGate, log_internal
from indeks.web.store import EXPIRED_MEMORY, ResultStore
from indeks.web.texts import tr
from indeks.web.upload import (
    BadExtension,
    BadForm,
    UploadTimeout,
    UploadTooLarge,
    drain,
    read_upload,
)

if TYPE_CHECKING:  # imported when a job runs, not when the page starts
    from indeks.scoring.compare import CompareResult
    from indeks.scoring.result import ScoreResult

log = logging.getLogger("indeks.web")

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
ISSUE_LIMIT = 200
MAPPING_EXTENSIONS = (".csv", ".txt", ".tsv", ".json", ".toml", ".xlsx", ".xlsm")
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def _default_extensions() -> tuple[str, ...]:
    from indeks.io import SUPPORTED_EXTENSIONS

    return tuple(SUPPORTED_EXTENSIONS)


class WebError(IndeksError):
    """A message for the user, shown on the page with ``status``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Job:
    kind: str  # "score" | "compare"
    instrument: Any
    frames: list  # DataFrames read from the uploads (memory only)
    names: dict[str, str]  # field -> client file name (display only)
    options: ScoringOptions  # the job's scoring options (lang is chosen per page view)
    results: dict[str, Any] = field(default_factory=dict)  # lang -> result
    charts: dict[str, bytes | None] = field(default_factory=dict)
    # an own instrument ("Instrumen sendiri"): its check (examples) and, from a kisi-kisi,
    # the generated definition text and the importer's guesses
    check: Any = None
    definition_text: str | None = None
    guesses: list[str] = field(default_factory=list)


def _job_bytes(job: Job) -> int:
    """Memory held by a job: its uploaded frames and its results (deep, estimated once)."""
    total = 0
    frames = list(job.frames)
    for r in job.results.values():
        for name in ("respondents", "issues", "pairs", "summary"):
            df = getattr(r, name, None)
            if isinstance(df, pd.DataFrame):
                frames.append(df)
    for df in frames:
        try:
            total += int(df.memory_usage(deep=True).sum())
        except Exception:  # noqa: BLE001 - an estimate; never fail a job over it
            total += 0
    return total + sum(len(c or b"") for c in job.charts.values())


# ------------------------------------------------------------------ helpers
def _lang(value: str | None) -> str:
    value = (value or "id").strip().lower()
    return value if value in LANGS else "id"


_is_nan = is_missing


def cell(v, decimals: int | None = 2) -> str:
    """Display text of one value; floats half-up at ``decimals``."""
    if isinstance(v, (list, tuple, dict)):
        return str(v)
    if _is_nan(v):
        return ""
    if isinstance(v, bool):
        return "✓" if v else "–"
    if isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f"):
        f = float(v)
        if math.isinf(f):
            return str(f)
        if f.is_integer() and decimals is None:
            return str(int(f))
        return format_half_up(f, 2 if decimals is None else decimals)
    return str(v)


def _excluded(result, lang: str) -> list[str]:
    """Rows left out before scoring and ignored item-like columns, for the top of the page."""
    from indeks.present import excluded_lines

    waves = getattr(result, "waves", None)
    if waves:
        return [f"{w}: {line}" for w, r in waves.items() for line in excluded_lines(r.issues, lang)]
    return excluded_lines(getattr(result, "issues", None), lang)


def _table(
    df: pd.DataFrame,
    prec: dict[str, int],
    labels: dict[str, str] | None = None,
    int_cols: tuple[str, ...] = (),
) -> dict:
    labels = labels or {}
    cols = list(df.columns)
    numeric = [
        pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in cols
    ]
    rows = []
    for rec in df.itertuples(index=False, name=None):
        out = []
        for c, v in zip(cols, rec, strict=True):
            if c in int_cols or (
                isinstance(v, float)
                and c in ("row", "row_pre", "row_post", "n", "n_scored", "n_rejected")
            ):
                out.append("" if _is_nan(v) else str(int(v)))
            else:
                out.append(cell(v, prec.get(c, 2)))
        rows.append(out)
    return {
        "headers": [labels.get(c, c) for c in cols],
        "ids": cols,
        "numeric": numeric,
        "rows": rows,
    }


def _cat_text(row, c: str) -> str:
    return category_text(row.get(c), row.get(f"{c}_code"))


def _localise_message(text: str, files: dict) -> str:
    """Replace the server-chosen temp names in a library message by the client's file names."""
    for up in files.values():
        text = text.replace(str(up.path), up.client_name).replace(up.path.name, up.client_name)
    return text


def _safe_stem(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,10}$", "", name or "")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")[:60]
    return stem or "hasil"


# ------------------------------------------------------------------ the library calls
def _read_frames(files, sheet, lang):
    from indeks.io import read_table

    out = {}
    for key, up in files.items():
        df = read_table(up.path, sheet=sheet_arg(sheet), lang=lang)
        df.attrs["source"] = up.client_name
        df.attrs.pop("source_path", None)
        out[key] = df
    return out


def _run(job: Job, lang: str) -> ScoreResult | CompareResult:
    if lang in job.results:
        return job.results[lang]
    opts = job.options
    result: ScoreResult | CompareResult
    if job.kind == "score":
        from indeks.scoring.engine import score

        result = score(job.instrument, job.frames[0], options=opts.replace(lang=lang))
        result.meta["source"] = job.names.get("data", "")
        chart = charts.score_chart(result, lang)
    else:
        try:
            from indeks.scoring.compare import compare
        except ImportError:  # an install without the comparison module: say so on the page
            raise WebError(501, tr("no_compare", lang)) from None
        result = compare(
            job.instrument, job.frames[0], job.frames[1], options=opts.replace(lang=lang)
        )
        result.meta["source"] = f"{job.names.get('pre', '')} -> {job.names.get('post', '')}"
        chart = charts.compare_chart(result, lang)
    job.results[lang] = result
    job.charts[lang] = chart
    return result


OWN = "own"  # the instrument choice "Instrumen sendiri": a definition file or a kisi-kisi
DEFINITION_EXTENSIONS = (".toml", ".xlsx", ".csv")


def _own_instrument(upload, lang: str):
    """The uploaded definition (.toml) or kisi-kisi (.xlsx/.csv, with the chosen base),
    checked: every problem of the file, then its [[examples]]."""
    from indeks.instruments import get_instrument, list_instruments
    from indeks.instruments.examples import check_instrument
    from indeks.instruments.loader import parse_definition_text

    up = upload.files.get("definition")
    if up is None:
        raise WebError(400, tr("no_definition", lang))
    text = None
    guesses: list[str] = []
    if up.client_name.lower().endswith(".toml"):
        inst = parse_definition_text(Path(up.path).read_bytes(), up.client_name)
    else:
        from indeks.instruments.kisi import definition_from_kisi, read_kisi

        base_id = (upload.fields.get("base") or "").strip()
        if base_id not in list_instruments():
            raise WebError(400, tr("no_base", lang, known=", ".join(list_instruments())))
        kisi = read_kisi(up.path)
        kisi.path = up.client_name  # messages name the user's file, not the temporary copy
        stem = Path(up.client_name).stem
        text, guesses = definition_from_kisi(
            kisi,
            get_instrument(base_id),
            instrument_id=_safe_stem(stem).lower() or "kisi",
            lang=lang,
        )
        inst = parse_definition_text(text, Path(up.client_name).with_suffix(".toml").name)
    report = check_instrument(inst)
    if not report.ok:
        lines = report.problem_texts(lang) + [
            tr(
                "example_differs",
                lang,
                example=o.example,
                value=o.key,
                expected=o.expected,
                got=o.got,
            )
            for o in report.failures
        ]
        raise WebError(422, tr("definition_check_failed", lang) + "\n" + "\n".join(lines))
    return inst, report, text, guesses


def _build_job(upload, lang: str, extensions) -> Job:
    from indeks.instruments import UnknownInstrumentError, get_instrument, list_instruments

    f = upload.fields
    inst_id = (f.get("instrument") or "").strip()
    if not inst_id:
        raise WebError(400, tr("no_instrument", lang))
    own = None
    if inst_id == OWN:
        own = _own_instrument(upload, lang)
        inst = own[0]
    else:
        try:
            inst = get_instrument(inst_id)
        except UnknownInstrumentError:
            raise WebError(
                400,
                tr("unknown_instrument", lang, name=inst_id, known=", ".join(list_instruments())),
            ) from None
    mode = f.get("mode") or (
        "prepost" if "pre" in upload.files or "post" in upload.files else "single"
    )
    if mode == "prepost":
        if "pre" not in upload.files or "post" not in upload.files:
            raise WebError(400, tr("no_prepost", lang))
        keys = ["pre", "post"]
    else:
        if "data" not in upload.files:
            raise WebError(400, tr("no_file", lang))
        keys = ["data"]
    sheet = (f.get("sheet") or "").strip() or None
    mapping = None
    if "mapping" in upload.files:
        from indeks.scoring.columns import load_mapping

        mapping = load_mapping(upload.files["mapping"].path)
    frames = _read_frames({k: upload.files[k] for k in keys}, sheet, lang)
    names = {k: up.client_name for k, up in upload.files.items()}
    options = ScoringOptions(
        id_column=(f.get("id_column") or "").strip() or None,
        group_by=tuple(split_list(f.get("group"))),
        mapping=mapping,
    )
    job = Job(
        kind="compare" if mode == "prepost" else "score",
        instrument=inst,
        frames=[frames[k] for k in keys],
        names=names,
        options=options,
    )
    if own is not None:
        job.check, job.definition_text, job.guesses = own[1], own[2], own[3]
    _run(job, lang)  # score now, so that every data problem is reported on the upload
    return job


# ------------------------------------------------------------------ page contexts
def _own_context(job: Job, lang: str) -> dict | None:
    """The check of an own instrument for the result page (examples, guesses)."""
    if job.check is None:
        return None
    by_example: dict[str, list] = {}
    for o in job.check.outcomes:
        by_example.setdefault(o.example, []).append(o)
    rows = [
        [name, ", ".join(f"{o.key} = {o.got}" for o in outs), "OK"]
        for name, outs in by_example.items()
    ]
    return {
        "n_examples": len(by_example),
        "examples": {
            "headers": [tr("own_example", lang), tr("own_values_checked", lang), ""],
            "numeric": [False, False, False],
            "rows": rows,
        }
        if rows
        else None,
        "guesses": job.guesses,
        "has_definition": job.definition_text is not None,
    }


def _score_context(result, lang: str, page: int) -> dict:
    inst = result.instrument
    s = result.summary
    prec = result.precision()
    labels = result.header_labels(lang)
    group_cols = [c for c in s.columns if c in set(result.columns.groups)]
    overall = s.iloc[0]
    big: list[dict[str, Any]] = []
    if inst.index is not None and "index" in s.columns:
        big.append(
            {
                "label": label_of(inst.index, lang),
                "value": cell(overall["index"], prec.get("index", 2)),
                "id": "index",
            }
        )
        if "index_converted" in s.columns:
            big.append(
                {
                    "label": tr("index_converted", lang),
                    "value": cell(overall["index_converted"], prec.get("index_converted", 2)),
                    "id": "index_converted",
                }
            )
    else:  # no index (WHOQOL-BREF): the domain scores, transformed (0..100) ones first, single items smaller
        doms = [d for d in inst.domains if d.reported and d.id in s.columns]
        has_tf = any(d.transform is not None for d in doms)
        doms.sort(key=lambda d: has_tf and d.transform is None)
        for d in doms:
            big.append(
                {
                    "label": label_of(d, lang),
                    "value": cell(overall[d.id], prec.get(d.id, 2)),
                    "id": d.id,
                    "minor": has_tf and d.transform is None,
                }
            )
    cats = []
    for c in s.columns:
        if (
            c == "category" or (c.startswith("category_") and not c.endswith("_code"))
        ) and c != "category_code":
            text = _cat_text(overall, c)
            if text:
                name = tr("category", lang) + (
                    "" if c == "category" else f" ({labels.get(c, c[9:])})"
                )
                if c != "category":
                    name = labels.get(c, c)
                cats.append(
                    {
                        "label": name,
                        "code": cell(overall.get(f"{c}_code")),
                        "text": cell(overall[c]),
                        "id": c,
                    }
                )
    domains = None
    if inst.index is not None and len(inst.domains) > 1:
        dt = result.domain_table(lang)
        domains = []
        for _, r in dt.iterrows():
            domains.append(
                {
                    "id": r["domain"],
                    "label": r["label"],
                    "value": cell(r["value"], prec.get(r["domain"], 2)),
                    "category": _cat_text(r, "category") if "category" in dt.columns else "",
                }
            )
    groups = None
    if group_cols:
        score_cols = [d.id for d in inst.domains if d.reported and d.id in s.columns]
        shown = (
            group_cols
            + ["n", "n_scored", "n_rejected"]
            + (score_cols if len(score_cols) <= 6 else [])
            + [c for c in ("index", "index_converted", "category") if c in s.columns]
        )
        groups = _table(s[shown], prec, labels)
    resp = result.respondents
    return {
        "kind": "score",
        "big": big,
        "cats": cats,
        "counts": {"n": len(resp), "scored": result.n_scored, "rejected": result.n_rejected},
        "domains": domains,
        "groups": groups,
        "paged": _paged(resp, page, prec, labels, lang),
        **_issues_context(result.issues, prec, labels),
        "columns": [_columns_context(result.columns.report())],
    }


# rows per second the XLSX writer manages on a 2-core machine (benchmarks/bench_cli.py)
_XLSX_ROWS_PER_S = 10_000
_LARGE_ROWS = 50_000


def _large_result(result) -> dict | None:
    """Rows and an estimate of the seconds the XLSX download takes to prepare, for
    results large enough that a user would otherwise wait without a word."""
    rows = sum(len(df) for df in result.sheets().values())
    if rows < _LARGE_ROWS:
        return None
    return {
        "rows": f"{rows:,}".replace(",", "."),
        "seconds": max(5, round(rows / _XLSX_ROWS_PER_S)),
    }


def _columns_context(rep: pd.DataFrame, title: str | None = None) -> dict:
    used = rep[rep["matched_by"] != "ignored"]
    ignored = rep.loc[rep["matched_by"] == "ignored", "column"].tolist()
    return {
        "title": title,
        "rows": [(r["item"], r["column"], r["matched_by"]) for _, r in used.iterrows()],
        "ignored": ignored,
    }


def _issues_context(issues: pd.DataFrame | None, prec, labels) -> dict:
    if issues is None or len(issues) == 0:
        return {"issues": None, "issues_n": 0, "issue_counts": []}
    counts = issues.groupby(["code", "severity"]).size().reset_index(name="n")
    keep = [c for c in ("wave", *ISSUE_COLUMNS) if c in issues.columns]
    return {
        "issues": _table(issues[keep].head(ISSUE_LIMIT), prec, labels, int_cols=("row",)),
        "issues_n": len(issues),
        "issue_counts": [(r["code"], r["severity"], int(r["n"])) for _, r in counts.iterrows()],
    }


def _paged(df: pd.DataFrame, page: int, prec, labels, lang: str = "id") -> dict:
    n = len(df)
    pages = max(1, math.ceil(n / PAGE_SIZE))
    page = min(max(1, page), pages)
    first = (page - 1) * PAGE_SIZE
    part = df.iloc[first : first + PAGE_SIZE]
    if "status" in part.columns:  # display text only; downloads keep the stable values
        part = part.assign(
            status=part["status"].map(
                lambda v: tr(f"status_{v}", lang) if v in ("scored", "rejected") else v
            )
        )
    return {
        "table": _table(part, prec, labels),
        "page": page,
        "pages": pages,
        "n": n,
        "first": first + 1 if n else 0,
        "last": first + len(part),
    }


def _rule_text(inst, rule, lang: str, dlabels: dict) -> str:
    if rule is None:
        return ""
    return rule_text(rule, lang, dlabels)


def _compare_context(result, lang: str, page: int) -> dict:
    inst = result.instrument
    s = result.summary
    first_wave = next(iter(result.waves.values()), None) if getattr(result, "waves", None) else None
    prec = first_wave.precision() if first_wave is not None else {}
    dlabels = domain_labels(inst, lang)
    labels = result.header_labels(lang)  # display names of every column shown (indeks.display)
    group_cols = [c for c in (result.meta.get("group_by") or []) if c in s.columns]
    rows = s if group_cols else s.head(1)
    overall = s.iloc[0]
    mtable: dict[str, list[Any]] = {
        "headers": [tr("measure", lang)]
        + (
            [" / ".join(str(r[g]) for g in group_cols) for _, r in rows.iterrows()]
            if group_cols
            else [tr("value", lang)]
        ),
        "rows": [],
    }
    for col, name in compare_measures(s.columns, dlabels, lang):
        mtable["rows"].append(
            [name]
            + [
                cell(r[col], 2) if isinstance(r[col], float) else cell(r[col])
                for _, r in rows.iterrows()
            ]
        )
    stats = None
    st = result.stats
    if st is not None and len(st):
        show = [
            c
            for c in (
                "score",
                "n",
                "mean_change",
                "ci_low",
                "ci_high",
                "t_p",
                "wilcoxon_p",
                "cohens_dz",
                "note",
            )
            if c in st.columns
        ]
        p4 = {c: 4 for c in show if c.endswith("_p")}
        shown = st[show]
        if "score" in shown.columns:  # domain ids as the people reading the page name them
            names = {**dlabels, str(result.meta.get("headline_rule")): dlabels["headline"]}
            shown = shown.assign(score=shown["score"].map(lambda v: names.get(v, v)))
        stats = _table(shown, p4, labels, int_cols=("n",))
        from indeks.present import format_p

        for k, row in enumerate(stats["rows"]):
            for i, c in enumerate(show):
                if c.endswith("_p"):  # as the command line prints it: 4 decimals, <0.0001
                    row[i] = format_p(st[c].iloc[k])
    un = result.unmatched
    unmatched = None
    if un is not None and len(un):
        unmatched = {
            "n": len(un),
            "table": _table(
                un.head(ISSUE_LIMIT),
                {},
                labels,
                int_cols=tuple(c for c in un.columns if c.startswith("row")),
            ),
        }
    pct = overall.get("pct_improved")
    pair_prec = {}
    for k, p in prec.items():
        pair_prec.update({f"{k}_pre": p, f"{k}_post": p, f"change_{k}": p})
    columns = [
        _columns_context(w.columns.report(), tr("columns_wave", lang, wave=name))
        for name, w in (result.waves or {}).items()
    ]
    return {
        "kind": "compare",
        "headline": {
            "share_text": cell(overall.get("share_text")),
            "pct": cell(pct, 2),
            "n_pairs": cell(overall.get("n_pairs")),
            "rule": cell(result.meta.get("headline_rule")),
            "rule_text": _rule_text(inst, result.meta.get("headline_rule"), lang, dlabels),
        },
        "measures": mtable,
        "stats": stats,
        "unmatched": unmatched,
        "paged": _paged(result.pairs, page, pair_prec, labels, lang),
        **_issues_context(result.issues, {}, labels),
        "columns": columns,
    }


# ------------------------------------------------------------------ the app
def create_app(
    max_upload_mb: float = 20,
    allowed_extensions: tuple[str, ...] | None = None,
    upload_dir: str | Path | None = None,
    result_ttl: float = 1800.0,
    result_memory_mb: float = 512.0,
    max_jobs: int = 2,
    max_waiting: int = 64,
    body_timeout: float = 30.0,
    allowed_hosts: tuple[str, ...] | None = None,
    access_token: str | None = None,
) -> Starlette:
    """The Starlette app.

    ``max_upload_mb``: limit per uploaded file, enforced while the body is read.
    ``allowed_extensions``: data file suffixes accepted (default: those of
    :data:`indeks.io.SUPPORTED_EXTENSIONS`). ``upload_dir``: parent of the
    per-request temporary directories (default: the system temp dir).
    ``result_ttl``: seconds a result is kept after it was last opened (30 minutes);
    ``result_memory_mb``: memory all kept results may use together (the least recently
    opened are dropped first beyond it). ``max_jobs`` scoring jobs run at once,
    ``max_waiting`` more wait ("antre"); others get 503 with Retry-After.
    ``body_timeout``: seconds an upload may stall between two pieces of its body.
    ``allowed_hosts``: names accepted in the Host header (default: localhost,
    127.0.0.1, ::1; ``"*"`` accepts any). ``access_token``: when set, the browser
    asks for it (HTTP Basic authentication, any user name).
    """
    extensions = tuple(e.lower() for e in (allowed_extensions or _default_extensions()))
    max_file = int(max_upload_mb * 1024 * 1024)
    max_total = 3 * max_file + 1024 * 1024
    store = ResultStore(
        ttl=result_ttl, max_bytes=int(result_memory_mb * 1024 * 1024), sizeof=_job_bytes
    )
    gate = JobGate(max_jobs=max_jobs, max_waiting=max_waiting)
    minutes = f"{result_ttl / 60:g}"

    async def in_slot(fn, *args):
        gate.enter()  # raises Busy at once when every slot and waiting place is taken
        return await gate.run(fn, *args)

    def busy_page(request: Request, lang: str, exc: Busy) -> HTMLResponse:
        resp = error_page(request, lang, 503, tr("busy", lang, n=exc.waiting))
        resp.headers["Retry-After"] = "15"
        return resp

    def gone_page(request: Request, lang: str) -> HTMLResponse:
        why = store.why_gone(request.path_params.get("token", ""))
        key = "expired_memory" if why == EXPIRED_MEMORY else "expired"
        return error_page(request, lang, 410 if why else 404, tr(key, lang, minutes=minutes))

    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    mb_text = f"{max_upload_mb:g}"

    def render(request: Request, name: str, lang: str, status: int = 200, **ctx) -> HTMLResponse:
        def url(path: str, **params) -> str:
            params.setdefault("lang", lang)
            params = {k: v for k, v in params.items() if v is not None}
            return path + ("?" + urlencode(params) if params else "")

        other = next(x for x in LANGS if x != lang)
        here = dict(request.query_params)
        here["lang"] = other
        switch = request.url.path + "?" + urlencode(here)
        if request.method != "GET":
            switch = "/?lang=" + other
        html = env.get_template(name).render(
            t=lambda k, **kw: tr(k, lang, **kw), lang=lang, url=url, switch_url=switch, **ctx
        )
        resp = HTMLResponse(html, status_code=status)
        resp.headers["Cache-Control"] = "no-store"
        return resp

    def error_page(request: Request, lang: str, status: int, message: str) -> HTMLResponse:
        return render(request, "error.html", lang, status=status, message=message)

    def instruments_context(lang: str) -> list[dict]:
        from indeks.instruments import get_instrument, list_instruments

        out = []
        for iid in list_instruments():
            inst = get_instrument(iid)
            out.append(
                {
                    "id": inst.id,
                    "name": label_of(inst, lang, "name"),
                    "version": inst.version,
                    "status": inst.status,
                    "n_items": len(inst.items),
                    "description": inst.description,
                    "notes": [(n.key, n.note) for n in inst.provisional],
                }
            )
        return out

    async def home(request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"))
        return render(
            request,
            "home.html",
            lang,
            instruments=instruments_context(lang),
            extensions=", ".join(extensions),
            mapping_extensions=",".join(MAPPING_EXTENSIONS),
            accept=",".join(extensions),
            mb=mb_text,
            selected=request.query_params.get("instrument", ""),
        )

    async def do_score(request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"))
        allowed = {
            "data": extensions,
            "pre": extensions,
            "post": extensions,
            "mapping": MAPPING_EXTENSIONS,
            "definition": DEFINITION_EXTENSIONS,
        }
        progress: dict = {}
        with tempfile.TemporaryDirectory(prefix="indeks-web-", dir=upload_dir) as tmp:
            try:
                upload = await read_upload(
                    request, Path(tmp), max_file, max_total, allowed, progress, body_timeout
                )
                lang = _lang(upload.fields.get("lang") or lang)
                job = await in_slot(_build_job, upload, lang, extensions)
            except Busy as exc:
                return busy_page(request, lang, exc)
            except UploadTimeout:
                return error_page(
                    request, lang, 408, tr("upload_timeout", lang, s=f"{body_timeout:g}")
                )
            except UploadTooLarge as exc:
                await drain(request, 4 * max_total, progress)
                msg = (
                    tr("too_large", lang, name=exc.client_name, mb=mb_text)
                    if exc.client_name
                    else tr("too_large_noname", lang, mb=mb_text)
                )
                return error_page(request, lang, 413, msg)
            except BadExtension as exc:
                await drain(request, 4 * max_total, progress)
                key = {
                    DEFINITION_EXTENSIONS: "bad_definition_ext",
                    MAPPING_EXTENSIONS: "bad_mapping_ext",
                }.get(exc.allowed)
                if key is not None:
                    msg = tr(
                        key,
                        lang,
                        name=exc.client_name,
                        ext=exc.suffix or "-",
                        supported=", ".join(exc.allowed),
                    )
                else:
                    from indeks.io.readers import unsupported_type_message

                    msg = unsupported_type_message(
                        exc.client_name, exc.suffix, lang, supported=exc.allowed
                    )
                return error_page(request, lang, 415, msg)
            except BadForm:
                return error_page(request, lang, 400, tr("bad_form", lang))
            except WebError as exc:
                return error_page(request, lang, exc.status, exc.message)
            except Exception as exc:  # noqa: BLE001 - sorted below
                from indeks.instruments import UnknownInstrumentError

                files = upload.files if "upload" in locals() else {}
                text = exc.text(lang) if isinstance(exc, IndeksError) else str(exc)
                if isinstance(exc, UnknownInstrumentError):
                    return error_page(request, lang, 400, _localise_message(text, files))
                if isinstance(exc, (IndeksError, ValueError, OSError)):
                    return error_page(request, lang, 422, _localise_message(text, files))
                log_internal(log, "scoring an upload", exc)
                return error_page(request, lang, 500, tr("internal", lang))
        token = await run_in_threadpool(store.put, job)  # sizing a large job takes a moment
        return RedirectResponse(f"/result/{token}?" + urlencode({"lang": lang}), status_code=303)

    def _job(request: Request) -> Job | None:
        return store.get(request.path_params["token"])

    async def result_page(request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"))
        job = _job(request)
        if job is None:
            return gone_page(request, lang)
        try:
            page = int(request.query_params.get("page", "1"))
        except ValueError:
            page = 1
        try:
            result = await (
                run_in_threadpool(_run, job, lang)
                if lang in job.results
                else in_slot(_run, job, lang)
            )
            ctx = (
                _score_context(result, lang, page)
                if job.kind == "score"
                else _compare_context(result, lang, page)
            )
        except Busy as exc:
            return busy_page(request, lang, exc)
        except WebError as exc:
            return error_page(request, lang, exc.status, exc.message)
        except Exception as exc:  # noqa: BLE001
            log_internal(log, "showing a result", exc)
            return error_page(request, lang, 500, tr("internal", lang))
        token = request.path_params["token"]
        inst = job.instrument
        return render(
            request,
            "result.html",
            lang,
            token=token,
            inst={"id": inst.id, "name": label_of(inst, lang, "name"), "version": inst.version},
            own=_own_context(job, lang),
            names=job.names,
            warning=result.provisional_warning,
            excluded=_excluded(result, lang),
            has_chart=bool(job.charts.get(lang)),
            base=f"/result/{token}",
            large=_large_result(result),
            **ctx,
        )

    async def chart(request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"))
        job = _job(request)
        if job is None:
            return Response(status_code=404)
        try:
            await (
                run_in_threadpool(_run, job, lang)
                if lang in job.results
                else in_slot(_run, job, lang)
            )
        except Exception:  # noqa: BLE001 - the page itself shows the message
            return Response(status_code=404)
        png = job.charts.get(lang)
        if not png:
            return Response(status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    def _write(job: Job, lang: str, ext: str) -> bytes:
        from indeks.io import write_table_outputs
        from indeks.io.results import write_result
        from indeks.scoring.result import ScoreResult

        result = _run(job, lang)
        with tempfile.TemporaryDirectory(prefix="indeks-web-out-", dir=upload_dir) as tmp:
            target = Path(tmp) / f"hasil{ext}"
            if ext == ".xlsx":
                write_result(result, target, lang=lang, source=result.meta.get("source"))
            else:
                tables = (
                    {"respondents": result.respondents}
                    if isinstance(result, ScoreResult)
                    else {"pairs": result.pairs}
                )
                write_table_outputs(
                    target,
                    tables,
                    meta={},
                    lang=lang,
                )
            return target.read_bytes()

    async def definition_file(request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"))
        job = _job(request)
        if job is None:
            return gone_page(request, lang)
        if job.definition_text is None:
            return error_page(request, lang, 404, tr("not_found", lang))
        name = f"{_safe_stem(job.instrument.id)}.toml"
        return Response(
            job.definition_text.encode("utf-8"),
            media_type="application/toml; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def download(request: Request) -> Response:
        lang = _lang(request.query_params.get("lang"))
        job = _job(request)
        if job is None:
            return gone_page(request, lang)
        ext = "." + request.path_params["ext"]
        if ext not in (".xlsx", ".csv"):
            return error_page(request, lang, 404, tr("not_found", lang))
        try:
            data = await in_slot(_write, job, lang, ext)
        except Busy as exc:
            return busy_page(request, lang, exc)
        except WebError as exc:
            return error_page(request, lang, exc.status, exc.message)
        except Exception as exc:  # noqa: BLE001
            from indeks.errors import IndeksError

            if isinstance(exc, IndeksError):
                return error_page(request, lang, 422, str(exc))
            log_internal(log, "writing a download", exc)
            return error_page(request, lang, 500, tr("internal", lang))
        base = job.names.get("data") or job.names.get("post") or "hasil"
        fname = f"{_safe_stem(base)}-{job.instrument.id}-{label('results_word', lang)}{ext}"
        media = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if ext == ".xlsx"
            else "text/csv; charset=utf-8"
        )
        return Response(
            data,
            media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="{fname}"',
                "Cache-Control": "no-store",
            },
        )

    async def not_found(request: Request, exc) -> Response:
        lang = _lang(request.query_params.get("lang"))
        status = getattr(exc, "status_code", 404)
        return error_page(
            request,
            lang,
            status,
            tr("not_found", lang) if status == 404 else str(getattr(exc, "detail", "")),
        )

    async def server_error(request: Request, exc) -> Response:
        lang = _lang(request.query_params.get("lang"))
        log_internal(log, "answering a request", exc)
        return HTMLResponse(
            f"<!doctype html><title>500</title><p>{tr('internal', lang)}</p>", status_code=500
        )

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/score", do_score, methods=["POST"]),
        Route("/result/{token}", result_page, methods=["GET"]),
        Route("/result/{token}/chart.png", chart, methods=["GET"]),
        Route("/result/{token}/download.{ext:str}", download, methods=["GET"]),
        Route("/result/{token}/definition.toml", definition_file, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                AccessGuard,
                allowed_hosts=LOCAL_HOSTS if allowed_hosts is None else allowed_hosts,
                token=access_token,
            ),
        ],
        exception_handlers={404: not_found, 405: not_found, 500: server_error},
    )
    app.state.store = store
    app.state.gate = gate
    app.state.max_upload_bytes = max_file
    return app


class SecurityHeaders:
    """Pure ASGI middleware: nosniff, a strict CSP without external sources, no framing."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"content-security-policy", b"x-content-type-options")
                ]
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"content-security-policy", CSP.encode()),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),  # Origin stays exact on our own POSTs
                ]
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AccessError(CatalogueError):
    """``indeks serve`` cannot start as asked (exit status 1, one message)."""


def _own_names() -> set[str]:
    """This machine's host name and addresses, for the Host allow-list of a network bind."""
    import socket

    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    for name in list(names):
        try:
            for info in socket.getaddrinfo(name, None):
                names.add(str(info[4][0]).lower())
        except OSError:
            pass
    return {n for n in names if n}


def serve_options(
    host: str = "127.0.0.1",
    token: str | None = None,
    allow_hosts: tuple[str, ...] = (),
) -> dict:
    """The access options for a bind address; a network bind without a token is refused."""
    import os

    token = token or os.environ.get("INDEKS_TOKEN") or None
    local = host in LOCAL_HOSTS
    if not local and not token:
        raise AccessError("token_required", host=host)
    if token is not None and len(token) < 8:
        raise AccessError("token_short")
    hosts = set(LOCAL_HOSTS) | {h.lower() for h in allow_hosts}
    if not local:
        hosts |= _own_names()
        if host not in ("0.0.0.0", "::"):
            hosts.add(host.lower())
    return {"allowed_hosts": tuple(sorted(hosts)), "access_token": token}


def _raise_fd_limit(want: int = 8192) -> int:
    """Raise the open-file limit towards ``want`` (idle connections each hold one)."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = want if hard == resource.RLIM_INFINITY else min(want, hard)
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        return int(soft) if soft != resource.RLIM_INFINITY else want
    except (ImportError, ValueError, OSError):  # pragma: no cover - Windows
        return 512


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    max_upload_mb: float = 20.0,
    token: str | None = None,
    allow_hosts: tuple[str, ...] = (),
    header_timeout: float = 20.0,
    lang: str = "id",
    **app_options,
) -> None:
    """Start the page with uvicorn (``indeks serve``).

    Connections: a request head must arrive within ``header_timeout`` seconds, an idle
    kept-alive connection is closed after 5 s, a request head may be at most 16 KiB;
    the number of open connections is bounded below the open-file limit (503 beyond).
    Uvicorn's access log is off (result links carry the token that opens a result).
    ``lang``: language of the lines printed on the console.
    """
    import uvicorn

    from indeks.messages import message
    from indeks.web.guard import deadline_protocol

    access = serve_options(host, token, allow_hosts)
    fds = _raise_fd_limit()
    if host not in LOCAL_HOSTS:
        print(message("network_warning", lang, host=host))
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(message("serve_open", lang, url=url))
    uvicorn.run(
        create_app(max_upload_mb=max_upload_mb, **access, **app_options),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        http=deadline_protocol(header_timeout),
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
        limit_concurrency=max(64, fds - 64),
        backlog=2048,
        lifespan="off",
    )
