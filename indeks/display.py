"""Display names (Bahasa Indonesia / English) of every column an output shows.

One table for the HTML report, the Word document, the XLSX writer and the web page:
generic columns (counts, index, categories, pre/post comparison, IKPA aspects) and the
columns derived from an instrument's domains (``physical``, ``physical_raw``,
``physical_category``, ``pct_improved_physical``, ``mean_change_physical``...), named with
the domain's label.  :func:`display_name` returns ``None`` for a column it does not know,
so a test can fail on any shown column without a display name
(:func:`missing_display_names`).
"""

from __future__ import annotations

from collections.abc import Iterable

from indeks.i18n import check_lang, label_of, tr

# column -> (Bahasa Indonesia, English)
COLUMNS: dict[str, tuple[str, str]] = {
    # respondents and summaries
    "respondent_id": ("ID responden", "Respondent id"),
    "row": ("Baris", "Row"),
    "row_pre": ("Baris pre-test", "Pre-test row"),
    "row_post": ("Baris post-test", "Post-test row"),
    "status": ("Status", "Status"),
    "reason": ("Alasan ditolak", "Reason rejected"),
    "n": ("Jumlah baris", "Rows"),
    "n_scored": ("Diskor", "Scored"),
    "n_rejected": ("Ditolak", "Rejected"),
    "index": ("Indeks", "Index"),
    "index_converted": ("Nilai konversi", "Converted value"),
    "category": ("Kategori", "Category"),
    "category_code": ("Kode kategori", "Category code"),
    "category_converted": ("Kategori (konversi)", "Category (converted)"),
    "category_converted_code": ("Kode kategori (konversi)", "Category code (converted)"),
    "form": ("Formulir", "Form"),
    "unit": ("Unit", "Unit"),
    "population": ("Populasi", "Population"),
    "sample_required": ("Sampel minimal (Krejcie-Morgan)", "Minimum sample (Krejcie-Morgan)"),
    "sample_adequate": ("Sampel cukup", "Sample adequate"),
    "column": ("Kolom", "Column"),
    "item": ("Butir", "Item"),
    "code": ("Kode masalah", "Issue code"),
    "severity": ("Tingkat", "Severity"),
    "value": ("Nilai", "Value"),
    "message": ("Pesan", "Message"),
    "matched_by": ("Cara dicocokkan", "Matched by"),
    "confidence": ("Keyakinan", "Confidence"),
    "similarity": ("Kemiripan", "Similarity"),
    "closest": ("Kolom yang mirip", "Closest headers"),
    "domain": ("Domain", "Domain"),
    "label": ("Nama", "Label"),
    "value_rounded": ("Nilai (dibulatkan)", "Value (rounded)"),
    # pre / post comparison
    "n_pairs": ("Pasangan pre/post", "Pre/post pairs"),
    "n_unmatched_pre": ("Pre-test tanpa pasangan", "Pre-test without a pair"),
    "n_unmatched_post": ("Post-test tanpa pasangan", "Post-test without a pair"),
    "n_rejected_pre": ("Ditolak (pre-test)", "Rejected (pre-test)"),
    "n_rejected_post": ("Ditolak (post-test)", "Rejected (post-test)"),
    "n_rejected_in_other_wave": ("Ditolak di gelombang lain", "Rejected in the other wave"),
    "n_duplicate": ("ID ganda", "Duplicate ids"),
    "n_missing_id": ("Tanpa ID", "Without an id"),
    "headline_rule": ("Aturan ukuran utama", "Headline rule"),
    "n_evaluable": ("Pasangan yang dapat dinilai", "Evaluable pairs"),
    "n_improved": ("Membaik", "Improved"),
    "pct_improved": ("Persentase membaik (%)", "Improved (%)"),
    "share_text": ("Yang membaik", "Share improved"),
    "mean_change_headline": ("Rata-rata perubahan ukuran utama", "Mean change, headline"),
    "headline_t_p": ("p uji-t berpasangan", "Paired t-test p"),
    "headline_wilcoxon_p": ("p uji Wilcoxon", "Wilcoxon test p"),
    "headline_test_note": ("Catatan uji", "Test note"),
    # pre / post pairs, unmatched rows and paired statistics
    "id_normalized": ("ID (dinormalkan)", "Id (normalised)"),
    "wave": ("Gelombang", "Wave"),
    "detail": ("Rincian", "Detail"),
    "paired": ("Berpasangan", "Paired"),
    "improved": ("Membaik", "Improved"),
    "headline": ("Ukuran utama", "Headline"),
    "score": ("Skor", "Score"),
    "mean_pre": ("Rata-rata pre-test", "Mean, pre-test"),
    "mean_post": ("Rata-rata post-test", "Mean, post-test"),
    "mean_change": ("Rata-rata perubahan", "Mean change"),
    "sd_change": ("SD perubahan", "SD of the change"),
    "ci_low": ("Batas bawah IK 95%", "95% CI, lower"),
    "ci_high": ("Batas atas IK 95%", "95% CI, upper"),
    "t": ("t", "t"),
    "t_df": ("db uji-t", "t-test df"),
    "t_p": ("p uji-t", "t-test p"),
    "wilcoxon_stat": ("Statistik Wilcoxon", "Wilcoxon statistic"),
    "wilcoxon_p": ("p uji Wilcoxon", "Wilcoxon p"),
    "wilcoxon_method": ("Metode Wilcoxon", "Wilcoxon method"),
    "cohens_dz": ("Cohen's dz", "Cohen's dz"),
    "wilcoxon_r": ("r Wilcoxon", "Wilcoxon r"),
    "note": ("Catatan", "Note"),
    "note_text": ("Catatan", "Note"),
    # aspect tables (IKPA of an LKIP: the LKIP tables name them Aspek / Nilai akhir)
    "name": ("Nama", "Name"),
    "group": ("Kelompok", "Group"),
    "weight": ("Bobot", "Weight"),
    "key": ("Kelompok", "Group"),
    # what stands in the place of a measure when a table is turned (measures as rows)
    "measure": ("Ukuran", "Measure"),
}

# columns derived from a domain id ``{d}``; ``{label}`` is the domain's display name
DERIVED: list[tuple[str, str, tuple[str, str]]] = [
    # (prefix, suffix, (id template, en template))
    ("", "_raw", ("{label} (skor mentah)", "{label} (raw score)")),
    ("", "_category_code", ("{label}: kode kategori", "{label}: category code")),
    ("", "_category", ("{label}: kategori", "{label}: category")),
    ("n_improved_", "", ("Membaik: {label}", "Improved: {label}")),
    ("pct_improved_", "", ("Persentase membaik: {label} (%)", "Improved: {label} (%)")),
    ("mean_change_", "", ("Rata-rata perubahan: {label}", "Mean change: {label}")),
    ("", "_pre", ("{label} (pre-test)", "{label} (pre-test)")),
    ("", "_post", ("{label} (post-test)", "{label} (post-test)")),
    ("change_", "", ("Perubahan: {label}", "Change: {label}")),
    ("improved_", "", ("Membaik: {label}", "Improved: {label}")),
]

SPECIAL_DOMAINS = {
    "all_domains": ("semua domain", "all domains"),
    "any_domain": ("salah satu domain", "any domain"),
    "headline": ("ukuran utama", "headline"),
}


def _domain_labels(inst, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if inst is not None:
        for d in getattr(inst, "domains", []) or []:
            out[d.id] = label_of(d, lang)
        if getattr(inst, "index", None) is not None:
            out.setdefault("index", label_of(inst.index, lang))
    for k, (i, e) in SPECIAL_DOMAINS.items():
        out[k] = tr({"id": i, "en": e}, lang)
    return out


def display_name(column: str, lang: str | None = None, instrument=None) -> str | None:
    """The display name of ``column`` in ``lang``, or ``None`` when there is none."""
    lang = check_lang(lang)
    col = str(column)
    domains = _domain_labels(instrument, lang)
    if col in domains and col not in SPECIAL_DOMAINS and col != "index":
        return f"{domains[col]} ({col})"
    if col in COLUMNS:
        if col == "index" and "index" in domains:
            return domains["index"]
        i, e = COLUMNS[col]
        return tr({"id": i, "en": e}, lang)
    for prefix, suffix, (ti, te) in DERIVED:
        if col.startswith(prefix) and col.endswith(suffix):
            d = col[len(prefix) : len(col) - len(suffix)] if suffix else col[len(prefix) :]
            if d in domains:
                return tr({"id": ti, "en": te}, lang, label=domains[d])
    return None


def display_names(columns: Iterable, lang: str | None = None, instrument=None) -> list[str]:
    """Display names of ``columns``; a column without one keeps its id."""
    return [display_name(c, lang, instrument) or str(c) for c in columns]


def labels_for(columns: Iterable, lang: str | None = None, instrument=None) -> dict[str, str]:
    """``{column: display name}`` for the columns that have one (to rename headers)."""
    out = {}
    for c in columns:
        name = display_name(c, lang, instrument)
        if name is not None:
            out[str(c)] = name
    return out


def missing_display_names(columns: Iterable, instrument=None) -> list[str]:
    """The columns without a display name in either language."""
    return [
        str(c)
        for c in columns
        if display_name(c, "id", instrument) is None or display_name(c, "en", instrument) is None
    ]


__all__ = ["COLUMNS", "display_name", "display_names", "labels_for", "missing_display_names"]
