"""Presentation helpers shared by the command line, the web page and the demo.

How a result is shown to a person, decided once: lists typed as ``a,b`` or repeated,
the Excel sheet argument, a category as ``label (code)``, numbers rounded half-up, p
values, and the labels of the result tables (:data:`LABELS`, Bahasa Indonesia and
English). Nothing here prints; :mod:`indeks.terminal` prints with rich, the web page
renders HTML.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from indeks.i18n import label_of, tr

LABELS: dict[str, dict[str, str]] = {
    # summary of a scoring
    "rows": {"id": "Jumlah baris", "en": "Rows"},
    "scored": {"id": "Diskor", "en": "Scored"},
    "rejected": {"id": "Ditolak", "en": "Rejected"},
    "category": {"id": "Kategori", "en": "Category"},
    "converted": {"id": "Nilai konversi", "en": "Converted value"},
    "measure": {"id": "ukuran", "en": "measure"},
    "value": {"id": "nilai", "en": "value"},
    "all": {"id": "(semua)", "en": "(all)"},
    "per_domain": {
        "id": "Nilai per unsur/domain (terendah dulu)",
        "en": "Value per element/domain (lowest first)",
    },
    # command line
    "rows_short": {"id": "Baris", "en": "Rows"},
    "scored_lower": {"id": "diskor", "en": "scored"},
    "rejected_lower": {"id": "ditolak", "en": "rejected"},
    "issues_title": {"id": "Masalah dalam data", "en": "Problems in the data"},
    "no_issues": {"id": "Tidak ada masalah dalam data.", "en": "No problems in the data."},
    "more_issues": {
        "id": "... dan {n} masalah lain (lihat berkas keluaran atau 'indeks validate').",
        "en": "... and {n} more problems (see the output file or 'indeks validate').",
    },
    "written": {"id": "Hasil ditulis ke", "en": "Results written to"},
    "issues_word": {"id": "masalah", "en": "issues"},
    "suggest_note": {
        "id": "Diterima tanpa pemetaan: id, alias, atau teks pertanyaan dengan kemiripan >= "
        "{similarity}. Baris 'guess' ({guesses}) di bawah batas itu: periksa; {empty} butir "
        "tanpa kolom. Sunting berkasnya, lalu: indeks score {id} {name} --map BERKAS",
        "en": "Accepted without a map: id, alias, or question text with similarity >= "
        "{similarity}. 'guess' rows ({guesses}) are below that: check them; {empty} item(s) "
        "have no column. Edit the file, then: indeks score {id} {name} --map FILE",
    },
    "files_word": {"id": "berkas", "en": "files"},
    "results_word": {"id": "hasil", "en": "results"},
    "columns_used": {"id": "Kolom yang dipakai", "en": "Columns used"},
    "columns_ignored": {"id": "Kolom yang diabaikan", "en": "Columns ignored"},
    "id_column": {"id": "Kolom ID responden", "en": "Respondent id column"},
    "no_id_column_used": {
        "id": "tidak ada (nomor urut baris dipakai; pilih kolom dengan --id)",
        "en": "none (row order used; choose a column with --id)",
    },
    "by_text": {
        "id": "{n} kolom dicocokkan lewat teks pertanyaan baku; yang mirip tetapi tidak sama persis:",
        "en": "{n} columns matched by the standard question text; close but not identical:",
    },
    "by_text_exact": {
        "id": "{n} kolom dicocokkan lewat teks pertanyaan baku.",
        "en": "{n} columns matched by the standard question text.",
    },
    "similarity": {"id": "kemiripan", "en": "similarity"},
    "excluded_rows": {
        "id": "Tidak dihitung sebagai responden: {what}.",
        "en": "Not counted as respondents: {what}.",
    },
    "excluded_summary_row": {
        "id": "{n} baris ringkasan (baris {rows})",
        "en": "{n} summary row(s) (rows {rows})",
    },
    "excluded_repeated_header": {
        "id": "{n} baris judul berulang (baris {rows})",
        "en": "{n} repeated header row(s) (rows {rows})",
    },
    "excluded_blank_row": {
        "id": "{n} baris kosong (baris {rows})",
        "en": "{n} blank row(s) (rows {rows})",
    },
    "user_labels": {
        "id": "Label jawaban menurut pernyataan Anda (--labels)",
        "en": "Answer labels as you stated them (--labels)",
    },
    # pre/post
    "pairs": {"id": "Pasangan", "en": "Pairs"},
    "only_pre": {"id": "Hanya di pre", "en": "Only in pre"},
    "only_post": {"id": "Hanya di post", "en": "Only in post"},
    "rejected_pre": {"id": "Ditolak di pre", "en": "Rejected in pre"},
    "rejected_post": {"id": "Ditolak di post", "en": "Rejected in post"},
    "duplicate_ids": {"id": "ID ganda", "en": "Duplicate ids"},
    "improved_headline": {"id": "Membaik (aturan utama)", "en": "Improved (headline rule)"},
    "pct_improved_of": {"id": "% membaik: {what}", "en": "% improved: {what}"},
    "mean_change_of": {"id": "Rata-rata perubahan: {what}", "en": "Mean change: {what}"},
    "all_domains": {"id": "semua domain", "en": "all domains"},
    "any_domain": {"id": "minimal satu domain", "en": "at least one domain"},
    "headline": {"id": "aturan utama", "en": "headline rule"},
    "headline_score": {"id": "skor aturan utama", "en": "headline score"},
    "index": {"id": "indeks", "en": "index"},
    "paired_tests": {"id": "Uji statistik berpasangan", "en": "Paired tests"},
    "score": {"id": "skor", "en": "score"},
    "change": {"id": "perubahan", "en": "change"},
    "not_paired": {"id": "Tidak berpasangan / dikeluarkan", "en": "Not paired / excluded"},
    "rule_mean_of_domains": {
        "id": "rata-rata skor domain naik",
        "en": "the mean of the domain scores rose",
    },
    "rule_index": {"id": "indeks naik", "en": "the index rose"},
    "rule_all_domains": {"id": "semua domain naik", "en": "every domain rose"},
    "rule_any_domain": {"id": "minimal satu domain naik", "en": "at least one domain rose"},
    "rule_domain": {"id": "{what} naik", "en": "{what} rose"},
    "of": {"id": "dari", "en": "of"},
    "mean_of_domains": {"id": "Rerata domain: {domains}", "en": "Mean of domains: {domains}"},
    # result headers
    "raw_score_header": {"id": "{label}, skor mentah ({id})", "en": "{label}, raw score ({id})"},
    "category_header": {"id": "{label}: kategori", "en": "{label}: category"},
    "code_header": {"id": "{label}: kode", "en": "{label}: code"},
    # instruments
    "builtin_instruments": {"id": "Instrumen bawaan", "en": "Built-in instruments"},
    "has_provisional": {
        "id": "* = punya aturan sementara (provisional)",
        "en": "* = has provisional rules",
    },
    "provisional_rules": {"id": "Aturan sementara (PROVISIONAL)", "en": "PROVISIONAL rules"},
    "source": {"id": "sumber", "en": "source"},
    "categories": {
        "id": "Kategori ({on}, {precision} desimal)",
        "en": "Categories ({on}, {precision} decimals)",
    },
    "items": {"id": "Butir", "en": "Items"},
    "yes": {"id": "ya", "en": "yes"},
    "check_ok": {
        "id": "{file}: {id} {version}, {items} butir, {domains} domain, {examples} contoh cocok",
        "en": "{file}: {id} {version}, {items} items, {domains} domains, {examples} examples match",
    },
    "check_ok_no_examples": {
        "id": "{file}: {id} {version}, {items} butir, {domains} domain",
        "en": "{file}: {id} {version}, {items} items, {domains} domains",
    },
    "examples": {"id": "Contoh", "en": "Examples"},
    "ex_example": {"id": "contoh", "en": "example"},
    "ex_value": {"id": "nilai", "en": "value"},
    "ex_expected": {"id": "diharapkan", "en": "expected"},
    "ex_got": {"id": "hasil", "en": "got"},
    "ex_n_values": {"id": "{n} nilai", "en": "{n} values"},
    "ex_differs": {"id": "BEDA", "en": "DIFFERS"},
    "ex_mismatch": {
        "id": "{file}: {k} dari {n} contoh tidak cocok: {names}",
        "en": "{file}: {k} of {n} examples do not match: {names}",
    },
    "ex_unscorable": {
        "id": "{file}: definisi terbaca tetapi tidak dapat dipakai untuk menskor",
        "en": "{file}: the definition loads but cannot be scored",
    },
    "ex_none": {
        "id": "  belum ada [[examples]]: tambahkan contoh terbaik, terburuk dan umum (lihat FORMAT.md)",
        "en": "  no [[examples]]: add a best, a worst and a typical case (see FORMAT.md)",
    },
    "check_provisional": {
        "id": "  aturan sementara: {keys}",
        "en": "  provisional rules: {keys}",
    },
    # kisi-kisi (indeks instruments new / kisi)
    "kisi_toml_only": {
        "id": "{file}: definisi ditulis sebagai berkas .toml",
        "en": "{file}: the definition is written as a .toml file",
    },
    "kisi_new_ok": {
        "id": "{file}: {items} butir, {dims} dimensi, {rev} butir negatif (dibalik)",
        "en": "{file}: {items} items, {dims} dimensions, {rev} reverse-keyed",
    },
    "kisi_dimensions": {"id": "Dimensi", "en": "Dimensions"},
    "kisi_reverse": {"id": "negatif (dibalik)", "en": "reverse-keyed"},
    "kisi_guesses": {
        "id": "Tebakan (juga ditulis sebagai komentar di berkas; periksa satu per satu):",
        "en": "Guesses (also written as comments in the file; check each):",
    },
    "kisi_next": {
        "id": "Berikutnya: indeks instruments check {file}",
        "en": "Next: indeks instruments check {file}",
    },
    "kisi_written": {
        "id": "{file}: kisi-kisi {id} {version}, {items} butir",
        "en": "{file}: blueprint of {id} {version}, {items} items",
    },
    # progress, reliability
    "reading": {"id": "membaca", "en": "reading"},
    "scoring": {"id": "menskor", "en": "scoring"},
    "reading_file": {"id": "membaca {name}", "en": "reading {name}"},
    "scoring_rows": {"id": "menskor {n} baris", "en": "scoring {n} rows"},
    "writing": {"id": "menulis {name}", "en": "writing {name}"},
    "reliability": {
        "id": "Reliabilitas: {name} ({missing})",
        "en": "Reliability: {name} ({missing})",
    },
    # lkip
    "capaian_title": {"id": "Capaian Indikator Kinerja", "en": "Indicator capaian"},
    "check_all_ok": {
        "id": "{n} angka tercetak dari tabel `reported` workspace diperiksa; semuanya sesuai hasil hitung ulang.",
        "en": "{n} printed figures from the workspace's `reported` tables checked; every one agrees with the recomputation.",
    },
    "check_none": {
        "id": "Tidak ada angka tercetak yang diperiksa: workspace tidak berisi tabel `reported`. Gunakan --report LAPORAN.docx untuk memeriksa berkas laporan.",
        "en": "No printed figure was checked: the workspace has no `reported` tables. Use --report REPORT.docx to audit a report file.",
    },
    "check_some_bad": {
        "id": "{n} angka tercetak dari tabel `reported` workspace diperiksa; {k} tidak sesuai:",
        "en": "{n} printed figures from the workspace's `reported` tables checked; {k} disagree:",
    },
    "report_disagree": {
        "id": "Angka dan klaim laporan yang tidak sesuai",
        "en": "Printed figures and claims that disagree",
    },
    "check_disagree": {
        "id": "Angka laporan yang tidak sesuai",
        "en": "Reported figures that disagree",
    },
    "build_disagree": {
        "id": "{n} angka laporan tidak sesuai hitung ulang; lihat 'indeks lkip check'.",
        "en": "{n} reported figures disagree with the recomputation; see 'indeks lkip check'.",
    },
    # demo
    "demo_files": {"id": "Berkas hasil demo ({folder}):", "en": "Demo output files ({folder}):"},
}


def label(key: str, lang: str | None = None, **values: Any) -> str:
    """The text of :data:`LABELS` entry ``key`` in ``lang``."""
    return tr(LABELS[key], lang, **values)


def split_list(values: str | Iterable[str] | None) -> list[str]:
    """Names typed as ``"a, b"``, given as a repeated option (``["a", "b,c"]``) or both:
    one flat list, blanks dropped (``--group``, ``--pre-reversed``, web form fields)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in str(v).split(",") if x.strip())
    return out


def sheet_arg(sheet: str | int | None) -> str | int | None:
    """An Excel sheet as typed: digits are a 0-based position, anything else a name;
    empty means the first sheet."""
    if sheet is None or isinstance(sheet, int):
        return sheet
    sheet = sheet.strip()
    if not sheet:
        return None
    return int(sheet) if sheet.isdigit() else sheet


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA/NaT; never raises (lists and other objects are not missing)."""
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(value is pd.NA or pd.isna(value))
    except (TypeError, ValueError):
        return False


def category_text(label_text: Any, code: Any = None) -> str:
    """A category as ``label (code)``; the label alone when the code is missing or the same."""
    if is_missing(label_text):
        return ""
    text = str(label_text)
    if is_missing(code) or not str(code) or str(code) == text:
        return text
    return f"{text} ({code})"


def format_number(value: Any, decimals: int = 2) -> str:
    """A number rounded half-up at ``decimals`` (decimal point); "" for a missing value,
    the text itself for anything that is not a number."""
    if is_missing(value):
        return ""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isinf(f):
        return str(f)
    from indeks.numbers import format_half_up  # numpy: not on the path of `indeks --help`

    return format_half_up(f, decimals)


def excluded_lines(issues: Any, lang: str | None = None) -> list[str]:
    """What was left out, for the top of a result: the rows that are not respondents
    (recap-sheet summaries, repeated headers, blank rows) and ignored item-like columns."""
    if issues is None or not len(issues):
        return []
    parts = []
    for code in ("summary_row", "repeated_header", "blank_row"):
        rows = issues.loc[issues["code"] == code, "row"]
        if len(rows):
            shown = ", ".join(str(r) for r in rows.head(8))
            shown += ", ..." if len(rows) > 8 else ""
            parts.append(label(f"excluded_{code}", lang, n=len(rows), rows=shown))
    lines = [label("excluded_rows", lang, what="; ".join(parts))] if parts else []
    lines += [str(m) for m in issues.loc[issues["code"] == "extra_item_column", "message"]]
    return lines


def format_p(value: Any) -> str:
    """A p value: four decimals, ``<0.0001`` below that, "" when missing."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if math.isnan(v):
        return ""
    return "<0.0001" if 0 <= v < 0.0001 else format_number(v, 4)


def domain_labels(instrument: Any, lang: str | None = None) -> dict[str, str]:
    """Labels of the instrument's domains and index (and of the pre/post rules) in ``lang``."""
    out = {d.id: label_of(d, lang) for d in instrument.domains}
    if instrument.index is not None:
        out["index"] = label_of(instrument.index, lang)
    for key in ("all_domains", "any_domain", "headline"):
        out[key] = label(key, lang)
    return out


def rule_text(rule: str, lang: str | None, labels: dict[str, str]) -> str:
    """What "improved" means under a headline rule, in words."""
    if f"rule_{rule}" in LABELS:
        return label(f"rule_{rule}", lang)
    if rule in labels:
        return label("rule_domain", lang, what=labels[rule])
    return str(rule)


__all__ = [
    "LABELS",
    "category_text",
    "domain_labels",
    "format_number",
    "format_p",
    "excluded_lines",
    "is_missing",
    "label",
    "rule_text",
    "sheet_arg",
    "split_list",
]
