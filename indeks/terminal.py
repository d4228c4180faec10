"""Results printed in a terminal with rich: the tables of ``indeks score``, ``compare``,
``lkip build`` and ``lkip check``, shared by the command line and ``indeks demo``.

Labels and number formats come from :mod:`indeks.present`; every string is printed
literally (``markup=False``), so a value from the data such as ``[red]`` can neither
raise nor restyle the output.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from indeks.display import display_name
from indeks.i18n import label_of
from indeks.present import (
    category_text,
    compare_measures,
    domain_labels,
    format_number,
    format_p,
    label,
)

console = Console(highlight=False, markup=False)
err_console = Console(stderr=True, highlight=False, markup=False)

DISPLAY_CUT = 120  # characters of a data value shown in a terminal (files keep the full value)


def cut(value, limit: int = DISPLAY_CUT) -> str:
    """A value for the terminal: line breaks and control characters shown as one symbol each,
    cut to ``limit`` characters with an ellipsis (the full value stays in the output files)."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text.translate(CONTROL_SYMBOLS)


CONTROL_SYMBOLS = {c: " " if c == 9 else "\u21b5" for c in [*range(0, 32), 127]}


def show_warning(text: str) -> None:
    if text:
        console.print(Panel(text, style="bold yellow", expand=False))


def _number_cell(value: Any, decimals: int) -> str:
    return format_number(value, decimals)


def _bold_number_cell(value: Any, decimals: int) -> Text:
    return Text(format_number(value, decimals), style="bold")


def summary_table(result, lang: str, title: str) -> Table:
    """Overall summary as a two-column table; with groups one row per group."""
    inst = result.instrument
    s = result.summary
    prec = result.precision()
    group_cols = [c for c in s.columns if c in set(result.columns.groups)]
    score_cols = [d.id for d in inst.domains if d.reported and d.id in s.columns]
    labels = domain_labels(inst, lang)
    if inst.index is not None:
        labels["index_converted"] = label("converted", lang)
    cats = [
        c
        for c in s.columns
        if (c == "category" or (c.startswith("category_") and not c.endswith("_code")))
        and c != "category_code"
    ]
    extra = [c for c in ("index", "index_converted") if c in s.columns]

    def cat_text(row, c):
        return cut(category_text(row[c], row.get(f"{c}_code")))

    def count_text(v):
        return str(int(v)) if v == v else ""

    # measures as rows, the overall value and each group as columns (readable in 80 columns)
    rows = [r for _, r in s.iterrows()]
    wide = len(rows) > 7
    measures: list[tuple[str, Any, Callable[[Any], Any] | None]] = [
        ("n", label("rows", lang), count_text),
        ("n_scored", label("scored", lang), count_text),
        ("n_rejected", label("rejected", lang), count_text),
    ]
    for c in score_cols:
        measures.append(
            (
                c,
                Text.assemble(cut(labels[c]), " ", (f"({c})", "dim")),
                partial(_number_cell, decimals=prec.get(c, 2)),
            )
        )
    for c in extra:
        measures.append(
            (
                c,
                Text(cut(labels.get(c, c)), style="bold"),
                partial(_bold_number_cell, decimals=prec.get(c, 2)),
            )
        )
    for c in cats:
        name = display_name(c, lang, inst) or c
        measures.append((c, Text(name, style="bold"), None))
    if wide:  # many groups: one row per group, columns per measure
        table = Table(title=title)
        for c in group_cols:
            table.add_column(c)
        for key, _, _ in measures:
            table.add_column(key, justify="right")
        for row in rows:
            cells = [cut(row[c]) for c in group_cols]
            cells += [
                cat_text(row, key) if fmt is None else fmt(row[key]) for key, _, fmt in measures
            ]
            table.add_row(*cells)
        return table
    table = Table(title=title, show_header=bool(group_cols))
    table.add_column(" / ".join(group_cols) if group_cols else label("measure", lang))
    for row in rows:
        head = (
            cut(" / ".join(str(row[c]) for c in group_cols)) if group_cols else label("value", lang)
        )
        table.add_column(head, justify="right")
    for key, name, fmt in measures:
        table.add_row(name, *[cat_text(row, key) if fmt is None else fmt(row[key]) for row in rows])
    return table


def issues_table(issues, lang: str, limit: int = 20) -> None:
    if issues is None or len(issues) == 0:
        console.print(label("no_issues", lang))
        return
    counts = issues.groupby(["code", "severity"]).size().reset_index(name="n")
    t = Table(title=label("issues_title", lang))
    for head in (_head("code", lang), _head("severity", lang)):
        t.add_column(head)
    t.add_column(label("issue_count", lang))
    for _, r in counts.iterrows():
        t.add_row(r["code"], label(f"severity_{r['severity']}", lang), str(r["n"]))
    console.print(t)
    d = Table(show_header=True)
    for c in ("row", "column", "code", "value", "message"):
        d.add_column(_head(c, lang), overflow="fold")
    many = "file" in issues.columns
    for _, r in issues.head(limit).iterrows():
        where = "" if _no_row(r["row"]) else str(r["row"])
        d.add_row(
            f"{r['file']}:{where}" if many else where,
            cut(r["column"] or "", 40),
            r["code"],
            cut(r["value"] or "", 40),
            cut(r["message"], 240),
        )
    console.print(d)
    if len(issues) > limit:
        console.print(label("more_issues", lang, n=len(issues) - limit))


def _head(column: str, lang: str) -> str:
    """A table header: the column's display name in ``lang``."""
    return display_name(column, lang) or column


def _no_row(v) -> bool:
    """A file-level issue has no row (NA; iterrows may turn it into NaN)."""
    return v is None or v != v or str(v) in ("<NA>", "nan")


def print_columns_used(match, lang: str) -> None:
    """The id column chosen, and every column matched by its question text."""
    idc = match.id_column if match.id_column is not None else label("no_id_column_used", lang)
    console.print(f"{label('id_column', lang)}: {idc}")
    if match.similarity:
        close = {i: v for i, v in match.similarity.items() if v < 1}
        key = "by_text" if close else "by_text_exact"
        console.print(label(key, lang, n=len(match.similarity)))
        for item, sim in close.items():
            col = match.items[item]
            col = col if len(col) <= 70 else col[:67] + "..."
            console.print(f"  {item} = '{col}' ({label('similarity', lang)} {sim:.2f})")


def print_excluded(issues, lang: str) -> None:
    """At the top: the rows left out before scoring and ignored item-like columns."""
    from indeks.present import excluded_lines

    for line in excluded_lines(issues, lang):
        console.print(Text(line, style="yellow"))


def print_score(result, input: Path, lang: str, issue_limit: int = 10) -> None:
    show_warning(result.provisional_warning)
    print_excluded(result.issues, lang)
    title = f"{label_of(result.instrument, lang, 'name')} - {input.name}"
    console.print(summary_table(result, lang, title))
    print_columns_used(result.columns, lang)
    user_labels = result.meta.get("user_labels") or []
    if user_labels:
        shown = ", ".join(f"{u['item']}: '{u['text']}' = {u['code']}" for u in user_labels[:12])
        more = f" (+{len(user_labels) - 12})" if len(user_labels) > 12 else ""
        console.print(f"{label('user_labels', lang)}: {shown}{more}")
    inst = result.instrument
    if len(inst.domains) > 1 and any(c.domains for c in inst.categories) and result.n_scored > 0:
        dt = result.domain_table(lang)
        t = Table(title=label("per_domain", lang))
        for c in ("domain", "label", "value", "category"):
            t.add_column(_head(c, lang))
        for _, r in dt.iterrows():
            t.add_row(
                r["domain"],
                r["label"],
                format_number(r["value"], 2),
                category_text(r.get("category"), r.get("category_code")),
            )
        console.print(t)
    issues_table(result.issues, lang, limit=issue_limit)


def print_compare(result, pre: Path, post: Path, lang: str) -> None:
    inst = result.instrument
    show_warning(result.provisional_warning)
    for res in (result.waves or {}).values():
        print_excluded(res.issues, lang)
    id_cols = result.meta.get("id_columns") or {}
    if id_cols:
        shown = ", ".join(f"{w} '{c}'" for w, c in id_cols.items())
        console.print(f"{label('id_column', lang)}: {shown}")
    s = result.summary
    labels = domain_labels(inst, lang)
    labels["headline"] = label("headline_score", lang)
    labels.setdefault("index", label("index", lang))
    group_cols = [c for c in (result.meta.get("group_by") or []) if c in s.columns]
    t = Table(
        title=f"{label_of(inst, lang, 'name')}: pre/post ({pre.name} -> {post.name})",
        show_header=bool(group_cols),
    )
    t.add_column(label("measure", lang))
    rows = s if group_cols else s.head(1)
    for _, r in rows.iterrows():
        t.add_column(
            " / ".join(str(r[g]) for g in group_cols) if group_cols else label("value", lang),
            justify="right",
        )
    for col, name in compare_measures(s.columns, labels, lang):
        cells = []
        for _, r in rows.iterrows():
            v = r[col]
            cells.append(format_number(v, 2) if isinstance(v, float) else str(v))
        t.add_row(Text(name, style="bold") if col == "share_text" else name, *cells)
    console.print(t)
    st = result.stats
    if st is not None and len(st):
        t2 = Table(title=label("paired_tests", lang))
        heads = [
            ("score", label("score", lang)),
            ("n", "n"),
            ("mean_change", label("change", lang)),
            ("ci", "95% CI"),
            ("t_p", "p (t)"),
            ("wilcoxon_p", "p (Wilcoxon)"),
            ("cohens_dz", "dz"),
            ("note", ""),
        ]
        for key, h in heads:
            t2.add_column(
                h, justify="left" if key == "score" else "right", no_wrap=key in ("ci", "score")
            )
        for _, r in st.iterrows():
            sc = str(r.get("score", ""))
            cells = [
                sc,
                str(r.get("n", "")),
                format_number(r.get("mean_change"), 2),
                f"{format_number(r.get('ci_low'), 2)} .. {format_number(r.get('ci_high'), 2)}",
                format_p(r.get("t_p")),
                format_p(r.get("wilcoxon_p")),
                format_number(r.get("cohens_dz"), 2),
                str(r.get("note_text") or r.get("note") or ""),
            ]
            t2.add_row(*cells)
        console.print(t2)
    un = result.unmatched
    if un is not None and len(un):
        t3 = Table(title=f"{label('not_paired', lang)} ({len(un)})")
        show = [c for c in un.columns if c in ("respondent_id", "wave", "row", "reason")] or list(
            un.columns[:4]
        )
        for c in show:
            t3.add_column(str(c))
        for _, r in un.head(20).iterrows():
            t3.add_row(*[str(r[c]) for c in show])
        console.print(t3)


def print_capaian(result, lang: str) -> None:
    """The capaian table, fitted to a terminal: the sasaran column is left to the files,
    long notes (provisional warnings) become a mark with the text once below."""
    from indeks.lkip import format_capaian_table

    headers, rows = format_capaian_table(result, lang)
    keep = [i for i, h in enumerate(headers) if not h.lower().startswith("sasaran")]
    t = Table(title=label("capaian_title", lang), show_lines=False)
    notes: list[str] = []
    note_col = next((i for i in keep if headers[i].lower().startswith(("catatan", "note"))), None)
    widths = {i: max([len(str(r[i])) for r in rows] + [1]) for i in keep}
    ind_col = next((i for i in keep if "ndikator" in headers[i]), None)
    # what the other columns need at least (numbers whole, texts folded to 10), with borders
    others = sum(
        3 if i == note_col else widths[i] if widths[i] <= 6 else min(widths[i], 10)
        for i in keep
        if i != ind_col
    )
    room = console.width - others - 3 * len(keep) - 1
    for i in keep:
        h = headers[i]
        widest = widths[i]
        if i == ind_col:
            # the one column that gives way: cut with an ellipsis, never below 14
            t.add_column(h, overflow="ellipsis", max_width=max(14, min(30, room)), no_wrap=True)
        elif i == note_col:
            t.add_column("", no_wrap=True, min_width=3)  # "[1]": the note itself is below
        elif widest <= 4:  # the number column: never shrunk to nothing
            t.add_column(h, no_wrap=True, min_width=widest)
        else:
            # numbers with units and statuses wrap inside their cell instead of vanishing
            t.add_column(
                h, justify="right" if i > 2 else "left", overflow="fold", min_width=min(widest, 8)
            )
    for r in rows:
        cells = []
        for i in keep:
            v = str(r[i])
            if i == note_col and len(v) > 14:
                if v not in notes:
                    notes.append(v)
                v = f"[{notes.index(v) + 1}]"
            cells.append(v)
        t.add_row(*cells)
    console.print(t)
    for k, n in enumerate(notes, start=1):
        console.print(
            f"[{k}] {n}", style="yellow" if ("SEMENTARA" in n or "PROVISIONAL" in n) else None
        )


def print_check(result, lang: str) -> None:
    from indeks.lkip import format_check_table

    if result.checked == 0:
        # never "all agree" when nothing was compared
        console.print(label("check_none", lang), style="yellow")
    elif result.ok:
        console.print(label("check_all_ok", lang, n=result.checked), style="green")
    else:
        console.print(label("check_some_bad", lang, n=result.checked, k=len(result.issues)))
        headers, rows = format_check_table(result, lang)
        t = Table(title=label("check_disagree", lang), style="red")
        for h in headers:
            t.add_column(h, overflow="fold")
        for r in rows:
            t.add_row(*[str(c) for c in r])
        console.print(t)
    for u in getattr(result, "unchecked", []) or []:
        console.print(f"  - {u}")


def print_report_audit(audit) -> None:
    """What ``lkip check --report`` found in a report file: how many figures and claims
    were checked from which file, the disagreements with their location, the figures
    that could not be attributed, and what could not be checked."""
    from indeks.i18n import tr
    from indeks.lkip.report import TEXT, format_report_table, summary_text

    lang = audit.lang
    console.print(summary_text(audit), style="red" if audit.disagreements else None)
    headers, rows = format_report_table(audit)
    if rows:
        t = Table(title=label("report_disagree", lang), style="red")
        for h in headers:
            t.add_column(h, overflow="fold")
        for r in rows:
            t.add_row(*[cut(c, 400) for c in r])
        console.print(t)
    if audit.unattributed:
        console.print(tr(TEXT["unattributed"], lang, n=len(audit.unattributed)))
        for where, figure in audit.unattributed:
            console.print(f"  - {cut(figure)}  ({cut(where, 400)})")
    if audit.unchecked:
        console.print(tr(TEXT["unchecked"], lang, n=len(audit.unchecked)))
        for u in audit.unchecked:
            console.print(f"  - {cut(u, 400)}")


__all__ = [
    "console",
    "cut",
    "err_console",
    "issues_table",
    "print_capaian",
    "print_check",
    "print_columns_used",
    "print_compare",
    "print_report_audit",
    "print_score",
    "show_warning",
    "summary_table",
]
