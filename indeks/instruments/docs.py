"""Documentation pages generated from instrument definitions (Markdown or HTML).

``indeks instruments show ID --format md|html`` prints one page per instrument: items
with their texts, domains, keys, scales with their labels, scoring rules, category
tables, conversion, sources, provisional notes and worked examples.  The pages of the
built-in instruments are kept in ``docs/instruments/``; regenerate them with
``python -m indeks.instruments.docs docs/instruments`` (a test checks they are current).
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from indeks.i18n import catalogue, check_lang, label_of, tr
from indeks.instruments.model import Instrument
from indeks.numbers import fraction_value

_T = catalogue("instruments/docs")


def _t(key: str, lang: str, **kw: Any) -> str:
    return tr(_T[key], lang, **kw)


def _num(f: Fraction | float | None) -> str:
    if f is None:
        return ""
    value = fraction_value(f) if isinstance(f, Fraction) else f
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass
class _Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)


def _sections(inst: Instrument, lang: str) -> tuple[str, list[str], list[_Section]]:
    intro = [f"`{inst.id}` {inst.version}, status **{inst.status}**"]
    if inst.description:
        intro.append(inst.description)
    if inst.aliases:
        intro.append(_t("also_found", lang, aliases=", ".join(f"`{a}`" for a in inst.aliases)))
    out: list[_Section] = []
    if inst.is_provisional:
        s = _Section(_t("prov_rules", lang), [_t("provisional", lang)])
        s.tables.append(
            (
                ["key", _t("note", lang)],
                [[f"`{n.key}`", n.note] for n in inst.provisional],
            )
        )
        out.append(s)
    if inst.sources:
        out.append(_Section(_t("sources", lang), [f"- {x}" for x in inst.sources]))
    # scales
    s = _Section(_t("scales", lang))
    for sc in inst.scales.values():
        rows = [
            [str(code), " / ".join(sc.labels.get(code, ()))] for code in range(sc.min, sc.max + 1)
        ]
        extra = []
        if sc.missing_codes:
            codes = ", ".join(f"{m:g}" for m in sc.missing_codes)
            extra.append(_t("missing_codes", lang, codes=codes))
        if sc.missing_labels:
            texts = ", ".join(f"`{m}`" for m in sc.missing_labels)
            extra.append(_t("missing_texts", lang, texts=texts))
        s.paragraphs.append(
            f"**{sc.id}**: {sc.min}..{sc.max}" + ("; " + "; ".join(extra) if extra else "")
        )
        s.tables.append(([_t("code", lang), _t("answers", lang)], rows))
    out.append(s)
    # domains
    s = _Section(_t("domains", lang))
    rows = []
    for d in inst.domains:
        rev = [i for i in d.items if inst.item(i).reverse]
        rows.append(
            [
                f"`{d.id}`",
                label_of(d, lang),
                d.method,
                ", ".join(d.items),
                ", ".join(rev),
                ", ".join(f"{k} {v}" for k, v in d.min_answered.items()),
                d.transform_text(_num),
                str(d.precision),
            ]
        )
    words = ("method", "item_ids", "reverse_keyed", "min_answered", "transform", "decimals")
    s.tables.append((["id", "label", *(_t(w, lang) for w in words)], rows))
    s.paragraphs.append(_t("reverse_rule", lang))
    out.append(s)
    # index
    if inst.index is not None:
        ix = inst.index
        s = _Section(
            _t("index", lang),
            [f"**{label_of(ix, lang)}**: `{ix.method}`, {ix.precision} " + _t("decimals", lang)],
        )
        if ix.method == "weighted_mean":
            s.paragraphs.append(_t("weighted_formula", lang, total=_num(ix.weights_sum)))
            s.tables.append(
                (
                    ["domain", _t("weight", lang)],
                    [[f"`{k}`", _num(v)] for k, v in ix.weights.items()],
                )
            )
        else:
            domains = ", ".join(f"`{k}`" for k in ix.weights)
            s.paragraphs.append(_t("index_domains", lang, domains=domains))
        if inst.conversion is not None:
            c = inst.conversion
            s.paragraphs.append(
                f"index_converted = index x {_num(c.multiply)}"
                + (f" + {_num(c.add)}" if c.add else "")
                + f", {c.precision} "
                + _t("decimals", lang)
            )
        s.paragraphs.append(_t("aggregation", lang, method=inst.aggregation.method))
        out.append(s)
    # categories
    if inst.categories:
        s = _Section(_t("categories", lang))
        for t in inst.categories:
            s.paragraphs.append(
                f"**{t.label or t.name or 'category'}** "
                + _t("category_on", lang, on=t.on, precision=t.precision)
                + (_t("also_for", lang, domains=", ".join(t.domains)) if t.domains else "")
            )
            rows = []
            for i, b in enumerate(t.bands):
                hi = (
                    _num(b.max)
                    if b.max is not None
                    else (f"< {_num(t.bands[i + 1].min)}" if i + 1 < len(t.bands) else "")
                )
                rows.append([b.code, label_of(b, lang), _num(b.min), hi])
            s.tables.append(([_t("code", lang), "label", "min", "max"], rows))
        out.append(s)
    # missing data, eligibility, forms, prepost
    s = _Section(_t("missing", lang))
    for r in inst.missing_rules:
        default = _t("default", lang) if r == inst.missing_rules[0] else ""
        least = _t("rule_min", lang, n=inst.assessment_min_answered.get(r, 1))
        s.paragraphs.append(f"**{r}**{default}: {inst.missing_rule_notes.get(r, '')} ({least})")
    for k, rule in enumerate(inst.transform_rules):  # --transform NAME
        default = _t("default", lang) if k == 0 else ""
        s.paragraphs.append(f"`--transform` **{rule.name}**{default}: {rule.note}")
    out.append(s)
    if inst.eligibility:
        s = _Section(_t("eligibility", lang))
        for e in inst.eligibility:
            lo = "" if e.min is None else f"{e.min:g}"
            hi = "" if e.max is None else f"{e.max:g}"
            s.paragraphs.append(f"`{e.column}` ({label_of(e, lang)}): {lo}..{hi}")
        out.append(s)
    if len(inst.forms) > 1:
        s = _Section(_t("forms", lang))
        s.tables.append(
            (
                ["id", "label", _t("form_values", lang)],
                [
                    [f"`{f.id}`", label_of(f, lang), ", ".join(f.values)]
                    for f in inst.forms.values()
                ],
            )
        )
        out.append(s)
    if inst.prepost is not None:
        p = inst.prepost
        s = _Section(_t("prepost", lang))
        s.paragraphs.append(
            f"score `{p.score}`; domains {', '.join(p.domains)}; improved = {'strictly greater' if p.strict else 'greater or equal'}; reported `{p.reported}`"
        )
        out.append(s)
    # items
    s = _Section(_t("items", lang))
    if any(it.placeholder for it in inst.items):
        s.paragraphs.append(_t("placeholder", lang))
    rows = []
    for n, it in enumerate(inst.items, start=1):
        text = label_of(it, lang, "text")
        rows.append(
            [
                str(n),
                f"`{it.id}`",
                it.domain or "",
                _t("yes", lang) if it.reverse else "",
                it.label,
                text,
                ", ".join(it.aliases[:4]),
            ]
            + ([it.form] if len(inst.forms) > 1 else [])
        )
    head = [
        "no",
        "id",
        "domain",
        _t("reverse", lang),
        "label",
        _t("text", lang),
        _t("column_names", lang),
    ]
    s.tables.append((head + (["form"] if len(inst.forms) > 1 else []), rows))
    out.append(s)
    # examples
    if inst.examples:
        s = _Section(_t("examples", lang))
        rows = []
        for ex in inst.examples:
            answers = ", ".join(
                f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}"
                for k, v in ex.answers.items()
            )
            if ex.fill is not None:
                answers = (answers + "; " if answers else "") + _t("others", lang, fill=ex.fill)
            extra = []
            if ex.form:
                extra.append(f"form {ex.form}")
            if ex.missing_rule:
                extra.append(f"rule {ex.missing_rule}")
            extra += [f"{k} = {v}" for k, v in ex.fields.items()]
            expect = ", ".join(
                f"{k} = {_num(v) if isinstance(v, Fraction) else ('(empty)' if v is None else v)}"
                for k, v in ex.expect.items()
            )
            rows.append(
                [
                    ex.name,
                    ex.note,
                    answers + (" (" + "; ".join(extra) + ")" if extra else ""),
                    expect,
                ]
            )
        s.tables.append(
            (
                [_t(w, lang) for w in ("example", "how", "answers", "expected")],
                rows,
            )
        )
        out.append(s)
    return inst.name, intro, out


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(inst: Instrument, lang: str = "id") -> str:
    title, intro, sections = _sections(inst, lang)
    lines = [
        f"# {title}",
        "",
        *[p + "\n" for p in intro],
        f"_{_t('generated', lang, id=inst.id, fmt='md')}_",
        "",
    ]
    for s in sections:
        lines += [f"## {s.title}", ""]
        for p in s.paragraphs:
            lines += [p, ""]
        for head, rows in s.tables:
            lines.append("| " + " | ".join(head) + " |")
            lines.append("|" + "---|" * len(head))
            for r in rows:
                lines.append("| " + " | ".join(_md_cell(c) for c in r) + " |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _inline(text: str) -> str:
    """Escape, then the two Markdown marks used in the sections: `code` and **bold**."""
    import re

    t = html.escape(text)
    t = re.sub(r"`([^`]+)`", r"<code>\1</code>", t)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", t)


def render_html(inst: Instrument, lang: str = "id") -> str:
    title, intro, sections = _sections(inst, lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{check_lang(lang)}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
        "table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}"
        "th{background:#eef3f8}code{background:#f4f4f4;padding:0 .2rem}.gen{color:#666;font-style:italic}</style>",
        "</head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    out += [f"<p>{_inline(p)}</p>" for p in intro]
    out.append(f'<p class="gen">{_inline(_t("generated", lang, id=inst.id, fmt="html"))}</p>')
    for s in sections:
        out.append(f"<h2>{html.escape(s.title)}</h2>")
        bullets = [p for p in s.paragraphs if p.startswith("- ")]
        if bullets:
            out.append("<ul>" + "".join(f"<li>{_inline(p[2:])}</li>" for p in bullets) + "</ul>")
        out += [f"<p>{_inline(p)}</p>" for p in s.paragraphs if not p.startswith("- ")]
        for head, rows in s.tables:
            out.append(
                "<table><thead><tr>"
                + "".join(f"<th>{html.escape(h)}</th>" for h in head)
                + "</tr></thead><tbody>"
            )
            for r in rows:
                out.append("<tr>" + "".join(f"<td>{_inline(str(c))}</td>" for c in r) + "</tr>")
            out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(inst: Instrument, fmt: str, lang: str = "id") -> str:
    if fmt == "md":
        return render_markdown(inst, lang)
    if fmt == "html":
        return render_html(inst, lang)
    raise ValueError(f"format {fmt!r}: use md or html")


def builtin_pages() -> dict[str, str]:
    """File name -> content of every page in ``docs/instruments/``."""
    from indeks.instruments import get_instrument, list_instruments

    pages: dict[str, str] = {}
    index = [
        "# Built-in instruments",
        "",
        "Generated from `indeks/instruments/definitions/` by "
        "`python -m indeks.instruments.docs docs/instruments`; do not edit by hand.",
        "",
        "| id | name | status | items | page |",
        "|---|---|---|---|---|",
    ]
    for iid in list_instruments():
        inst = get_instrument(iid)
        pages[f"{iid}.md"] = render_markdown(inst, "id")
        index.append(
            f"| `{iid}` | {_md_cell(inst.name)} | {inst.status} | {len(inst.items)} | [{iid}.md]({iid}.md) |"
        )
    pages["README.md"] = "\n".join(index) + "\n"
    return pages


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "docs/instruments")
    target.mkdir(parents=True, exist_ok=True)
    pages = builtin_pages()
    for name, text in pages.items():
        (target / name).write_text(text, encoding="utf-8")
    for old in target.glob("*.md"):
        if old.name not in pages:
            old.unlink()
    print(f"{len(pages)} pages written to {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
