"""The message catalogue: what the library, the command line and the web page say to a
user when something cannot be done, in Bahasa Indonesia (default) and English.

Every entry is ``{"id": ..., "en": ...}`` with ``{placeholders}``; :func:`message` picks
the language. Domain catalogues follow the same shape and sit next to their subject:
issue codes (:mod:`indeks.scoring.issues`), file reading (:mod:`indeks.io.read_common`),
shared labels of results (:mod:`indeks.present`), web page texts
(:mod:`indeks.web.texts`) and LKIP report texts (:mod:`indeks.lkip.tables`).
No message is written inline as ``"Indonesian / English"`` or chosen with
``if lang == "id"``.
"""

from __future__ import annotations

from indeks.i18n import tr

MESSAGES: dict[str, dict[str, str]] = {
    # ---- command line frame
    "cannot_process": {"id": "Tidak dapat diproses:", "en": "Cannot be processed:"},
    "internal_error": {"id": "Kesalahan internal:", "en": "Internal error:"},
    "internal_error_hint": {
        "id": "{error}\nIni kesalahan program, bukan kesalahan data Anda; mohon laporkan "
        "(jalankan ulang dengan INDEKS_DEBUG=1 untuk rinciannya).",
        "en": "{error}\nThis is a bug, not a problem with your data; please report it "
        "(INDEKS_DEBUG=1 shows details).",
    },
    "aborted": {"id": "Dibatalkan.", "en": "Aborted."},
    "output_type": {
        "id": "Tidak dapat menulis '{path}': jenis berkas '{ext}' tidak didukung; gunakan {supported}.",
        "en": "Cannot write '{path}': file type '{ext}' is not supported; use one of {supported}.",
    },
    "output_folder": {
        "id": "Tidak dapat menulis '{path}': folder '{folder}' tidak ada.",
        "en": "Cannot write '{path}': folder '{folder}' does not exist.",
    },
    "in_memory_only": {
        "id": "{option} hanya untuk satu berkas yang diskor di memori.",
        "en": "{option} works on one file scored in memory.",
    },
    "engine_choice": {
        "id": "--engine harus salah satu dari {engines}.",
        "en": "--engine must be one of {engines}.",
    },
    "keep_columns_missing": {
        "id": "Kolom untuk --keep tidak ada: {columns}.",
        "en": "--keep columns not in the data: {columns}.",
    },
    "mapping_csv_only": {
        "id": "Berkas pemetaan ditulis sebagai .csv: {name}",
        "en": "The mapping file is written as .csv: {name}",
    },
    "output_is_input": {
        "id": "{name}: keluaran sama dengan berkas masukan",
        "en": "{name}: the output is the input file",
    },
    "network_warning": {
        "id": "PERINGATAN: halaman terbuka untuk jaringan ({host}); dilindungi kata sandi akses.",
        "en": "WARNING: the page is reachable from the network ({host}); protected by the "
        "access token.",
    },
    "token_required": {
        "id": "Halaman akan terbuka untuk jaringan ({host}); tetapkan kata sandi akses dengan "
        "--token atau variabel lingkungan INDEKS_TOKEN.",
        "en": "The page would be reachable from the network ({host}); set an access token "
        "with --token or the INDEKS_TOKEN environment variable.",
    },
    "pseudonym_key_short": {
        "id": "Kunci pseudonim minimal 8 karakter.",
        "en": "The pseudonym key needs at least 8 characters.",
    },
    "token_short": {
        "id": "Kata sandi akses minimal 8 karakter.",
        "en": "The access token needs at least 8 characters.",
    },
    "serve_open": {
        "id": "indeks: buka {url}  (Ctrl+C untuk berhenti)",
        "en": "indeks: open {url}  (Ctrl+C to stop)",
    },
    # ---- instruments and scoring input
    "unknown_instrument": {
        "id": "instrumen {name!r} tidak dikenal; instrumen bawaan: {known}",
        "en": "unknown instrument {name!r}; built-in: {known}",
    },
    "no_item_column": {
        "id": "Tidak ada kolom butir {instrument} yang dikenali. Kolom di data: {columns}. "
        "Nama kolom yang diharapkan misalnya: {expected}; gunakan --map untuk tajuk berupa "
        "teks pertanyaan.",
        "en": "No item column of {instrument} was recognised. Columns in the data: {columns}. "
        "Expected names are e.g. {expected}; use --map for question-text headers.",
    },
    "other_sheets": {
        "id": " Data dibaca dari lembar '{sheet}'; lembar yang ada: {sheets}; pilih lembar data dengan --sheet NAMA.",
        "en": " The data was read from sheet '{sheet}'; the workbook's sheets are: {sheets}; choose the data sheet with --sheet NAME.",
    },
    "no_item_column_file": {
        "id": "{file}: tidak ada kolom butir {instrument} yang dikenali (kolom: {columns}). "
        "Gunakan berkas pemetaan (--map).",
        "en": "{file}: no item column of {instrument} was recognised (columns: {columns}). "
        "Use a mapping file (--map).",
    },
    "no_form_column": {
        "id": "{instrument} punya beberapa formulir ({forms}) tetapi kolom formulir tidak "
        "ditemukan (nama yang dicari: {aliases}).",
        "en": "{instrument} has several forms ({forms}) but no form column was found "
        "(names looked for: {aliases}).",
    },
    "no_id_column": {
        "id": "Gelombang {wave}: kolom ID responden tidak ditemukan (dicari: {looked_for}); "
        "perbandingan pre/post memerlukan ID untuk memasangkan responden. Kolom di data: "
        "{columns}. Gunakan --id.",
        "en": "Wave {wave}: no respondent id column found (looked for: {looked_for}); "
        "pre/post comparison needs an id to pair respondents. Columns in the data: "
        "{columns}. Use --id.",
    },
    "group_in_no_wave": {
        "id": "Kolom kelompok '{group}' tidak ada di gelombang mana pun.",
        "en": "Group column '{group}' is in no wave.",
    },
    "none": {"id": "(tidak ada)", "en": "(none)"},
    "provisional_rules": {
        "id": "SEMENTARA (PROVISIONAL): {id} {version} memakai aturan sementara ({keys}); "
        "lihat 'indeks instruments show {ref}'.",
        "en": "PROVISIONAL: {id} {version} uses provisional rules ({keys}); "
        "see 'indeks instruments show {ref}'.",
    },
    "better_instrument": {
        "id": "Instrumen bawaan yang lebih cocok: {id} ({n} kolom butir dikenali).",
        "en": "Better-fitting built-in instrument: {id} ({n} item columns recognised).",
    },
    "sample_missing": {
        "id": "Data contoh tidak ditemukan; pasang ulang paket indeks.",
        "en": "Sample data not found; reinstall the indeks package.",
    },
}


def message(key: str, lang: str | None = None, **values: object) -> str:
    """The text of catalogue entry ``key`` in ``lang`` (default Bahasa Indonesia)."""
    return tr(MESSAGES[key], lang, **values)


__all__ = ["MESSAGES", "message"]
