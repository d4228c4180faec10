"""Texts of the web pages: Bahasa Indonesia first, English on ``?lang=en``."""

from __future__ import annotations

from indeks.i18n import tr as i18n_tr

T: dict[str, dict[str, str]] = {
    "chart_overall": {"id": "Nilai keseluruhan: {value}", "en": "Overall value: {value}"},
    "chart_respondents": {"id": "Jumlah responden", "en": "Respondents"},
    "chart_distribution": {
        "id": "Sebaran nilai per responden",
        "en": "Distribution of respondents' values",
    },
    "chart_score": {"id": "Skor", "en": "Score"},
    "chart_domain_distribution": {
        "id": "Sebaran skor domain per responden",
        "en": "Distribution of domain scores",
    },
    "chart_mean_of_pairs": {"id": "Rata-rata pasangan (n = {n})", "en": "Mean of pairs (n = {n})"},
    "chart_pre_post": {"id": "Pre dan post per domain", "en": "Pre and post per domain"},
    "title": {"id": "indeks: skor kuesioner BNN", "en": "indeks: BNN questionnaire scores"},
    "tagline_short": {"id": "skor kuesioner BNN", "en": "BNN questionnaire scores"},
    "status_scored": {"id": "diskor", "en": "scored"},
    "status_rejected": {"id": "ditolak", "en": "rejected"},
    "tagline": {
        "id": "Unggah ekspor Google Forms, Excel atau SPSS; lihat indeks, kategori dan masalah data. Semua diproses di komputer ini.",
        "en": "Upload a Google Forms, Excel or SPSS export; see the index, category and data problems. Everything is processed on this computer.",
    },
    "switch": {"id": "English", "en": "Bahasa Indonesia"},
    "home": {"id": "Unggah berkas lain", "en": "Upload another file"},
    "step_instrument": {"id": "1. Pilih instrumen", "en": "1. Choose the instrument"},
    "step_files": {"id": "2. Pilih berkas", "en": "2. Choose the file(s)"},
    "step_options": {
        "id": "3. Pilihan (boleh dikosongkan)",
        "en": "3. Options (may be left empty)",
    },
    "items": {"id": "butir", "en": "items"},
    "official": {"id": "resmi", "en": "official"},
    "provisional": {"id": "sementara", "en": "provisional"},
    "provisional_rules": {
        "id": "Aturan sementara (PROVISIONAL): {n}",
        "en": "PROVISIONAL rules: {n}",
    },
    "mode_single": {"id": "Satu berkas", "en": "One file"},
    "mode_prepost": {
        "id": "Pre-test dan post-test (dua berkas)",
        "en": "Pre-test and post-test (two files)",
    },
    "file_data": {"id": "Berkas jawaban", "en": "Answers file"},
    "file_pre": {"id": "Berkas pre-test (awal)", "en": "Pre-test file (before)"},
    "file_post": {"id": "Berkas post-test (akhir)", "en": "Post-test file (after)"},
    "file_mapping": {
        "id": "Berkas pemetaan kolom (opsional)",
        "en": "Column mapping file (optional)",
    },
    "file_mapping_help": {
        "id": "Dua kolom: butir (mis. u1) dan tajuk kolom di berkas jawaban. Perlu bila tajuk berupa teks pertanyaan, seperti ekspor Google Forms.",
        "en": "Two columns: item (e.g. u1) and the column header in the answers file. Needed when headers are question texts, as in Google Forms exports.",
    },
    "types": {
        "id": "Jenis berkas: {ext}. Ukuran maksimal {mb} MB per berkas.",
        "en": "File types: {ext}. At most {mb} MB per file.",
    },
    "sheet": {
        "id": "Lembar Excel (nama atau nomor, mulai 0)",
        "en": "Excel sheet (name or number, from 0)",
    },
    "id_column": {"id": "Kolom ID responden", "en": "Respondent id column"},
    "id_column_help": {
        "id": "Untuk pre/post: kolom yang sama di kedua berkas. Kosong: dikenali dari definisi (mis. id_klien).",
        "en": "For pre/post: the same column in both files. Empty: recognised from the definition (e.g. id_klien).",
    },
    "group_column": {
        "id": "Kolom kelompok (mis. unit; boleh beberapa, dipisah koma)",
        "en": "Group column (e.g. unit; several separated by commas)",
    },
    "language": {"id": "Bahasa hasil", "en": "Language of results"},
    "submit": {"id": "Hitung", "en": "Score"},
    "privacy": {
        "id": "Berkas tidak disimpan: dihapus segera setelah dihitung; hasil disimpan sementara di memori (30 menit) untuk halaman dan unduhan.",
        "en": "Files are not kept: they are deleted right after scoring; results stay in memory for 30 minutes for paging and downloads.",
    },
    # result
    "result_title": {"id": "Hasil: {name}", "en": "Results: {name}"},
    "source": {"id": "Berkas", "en": "File"},
    "mapping_used": {"id": "pemetaan", "en": "mapping"},
    "rows_line": {
        "id": "{n} baris: {scored} diskor, {rejected} ditolak",
        "en": "{n} rows: {scored} scored, {rejected} rejected",
    },
    "index_converted": {"id": "Nilai konversi", "en": "Converted value"},
    "category": {"id": "Kategori", "en": "Category"},
    "mutu": {"id": "mutu", "en": "grade"},
    "domains_title": {
        "id": "Nilai per unsur/domain (terendah dulu)",
        "en": "Value per element/domain (lowest first)",
    },
    "groups_title": {"id": "Per kelompok", "en": "By group"},
    "chart_title": {"id": "Grafik", "en": "Chart"},
    "chart_alt_score": {
        "id": "Grafik sebaran nilai responden",
        "en": "Chart of the distribution of respondents' values",
    },
    "chart_alt_compare": {
        "id": "Grafik rata-rata pre dan post per domain",
        "en": "Chart of mean pre and post per domain",
    },
    "issues_title": {"id": "Masalah dalam data ({n})", "en": "Problems in the data ({n})"},
    "no_issues": {"id": "Tidak ada masalah dalam data.", "en": "No problems in the data."},
    "issues_more": {
        "id": "Ditampilkan {shown} dari {n} masalah; semuanya ada di unduhan XLSX (lembar masalah).",
        "en": "Showing {shown} of {n} problems; all of them are in the XLSX download (issues sheet).",
    },
    "issues_counts": {"id": "Menurut kode", "en": "By code"},
    "respondents_title": {"id": "Responden", "en": "Respondents"},
    "pairs_title": {"id": "Pasangan pre/post", "en": "Pre/post pairs"},
    "page_of": {
        "id": "Halaman {page} dari {pages} (baris {first}-{last} dari {n})",
        "en": "Page {page} of {pages} (rows {first}-{last} of {n})",
    },
    "prev": {"id": "‹ Sebelumnya", "en": "‹ Previous"},
    "next": {"id": "Berikutnya ›", "en": "Next ›"},
    "downloads": {"id": "Unduh hasil", "en": "Download results"},
    "dl_xlsx": {"id": "Semua tabel (Excel .xlsx)", "en": "All tables (Excel .xlsx)"},
    "large_result": {
        "id": "Hasil besar ({rows} baris): berkas Excel disiapkan setelah tombol diklik, sekitar {seconds} detik. Tunggu sampai unduhan dimulai; CSV lebih cepat.",
        "en": "Large result ({rows} rows): the Excel file is prepared after you click, about {seconds} seconds. Wait until the download starts; CSV is quicker.",
    },
    "preparing": {
        "id": "Berkas Excel sedang disiapkan (sekitar {seconds} detik)... unduhan akan mulai sendiri.",
        "en": "The Excel file is being prepared (about {seconds} seconds)... the download starts by itself.",
    },
    "preparing_csv": {
        "id": "Berkas CSV sedang disiapkan... unduhan akan mulai sendiri.",
        "en": "The CSV file is being prepared... the download starts by itself.",
    },
    "dl_csv_resp": {"id": "Tabel responden (.csv)", "en": "Respondents table (.csv)"},
    "dl_csv_pairs": {"id": "Tabel pasangan (.csv)", "en": "Pairs table (.csv)"},
    "columns_title": {"id": "Kolom yang dipakai", "en": "Columns used"},
    "columns_wave": {"id": "Kolom yang dipakai ({wave})", "en": "Columns used ({wave})"},
    "ignored": {"id": "Kolom yang diabaikan", "en": "Columns ignored"},
    "none": {"id": "tidak ada", "en": "none"},
    "name": {"id": "Nama", "en": "Name"},
    "item": {"id": "Butir", "en": "Item"},
    "col_in_file": {"id": "Kolom di berkas", "en": "Column in the file"},
    "matched_by": {"id": "Cara dicocokkan", "en": "Matched by"},
    # compare
    "compare_title": {"id": "Pre/post: {pre} → {post}", "en": "Pre/post: {pre} → {post}"},
    "improved": {"id": "Membaik (aturan utama)", "en": "Improved (headline rule)"},
    "pairs": {"id": "Pasangan", "en": "Pairs"},
    "headline_rule": {"id": "Aturan utama: {rule}", "en": "Headline rule: {rule}"},
    "measures_title": {"id": "Ringkasan pre/post", "en": "Pre/post summary"},
    "measure": {"id": "Ukuran", "en": "Measure"},
    "value": {"id": "Nilai", "en": "Value"},
    "only_pre": {"id": "Hanya di pre", "en": "Only in pre"},
    "only_post": {"id": "Hanya di post", "en": "Only in post"},
    "rejected_pre": {"id": "Ditolak di pre", "en": "Rejected in pre"},
    "rejected_post": {"id": "Ditolak di post", "en": "Rejected in post"},
    "duplicate_ids": {"id": "ID ganda", "en": "Duplicate ids"},
    "pct_improved_of": {"id": "% membaik: {label}", "en": "% improved: {label}"},
    "mean_change_of": {"id": "Rata-rata perubahan: {label}", "en": "Mean change: {label}"},
    "stats_title": {"id": "Uji statistik berpasangan", "en": "Paired tests"},
    "unmatched_title": {
        "id": "Tidak berpasangan / dikeluarkan ({n})",
        "en": "Not paired / excluded ({n})",
    },
    # errors
    "error_title": {"id": "Tidak dapat diproses", "en": "Cannot be processed"},
    "back": {"id": "Kembali ke halaman unggah", "en": "Back to the upload page"},
    "too_large": {
        "id": "Berkas '{name}' lebih besar dari batas {mb} MB. Kecilkan berkas (mis. simpan sebagai CSV, atau bagi per unit) lalu unggah kembali.",
        "en": "File '{name}' is larger than the limit of {mb} MB. Make it smaller (e.g. save it as CSV, or split it by unit) and upload it again.",
    },
    "too_large_noname": {
        "id": "Unggahan lebih besar dari batas {mb} MB per berkas. Kecilkan berkas (mis. simpan sebagai CSV, atau bagi per unit) lalu unggah kembali.",
        "en": "The upload is larger than the limit of {mb} MB per file. Make the file smaller (e.g. save it as CSV, or split it by unit) and upload it again.",
    },
    "bad_mapping_ext": {
        "id": "Berkas pemetaan '{name}' berjenis '{ext}', yang tidak didukung. Jenis yang didukung: {supported}.",
        "en": "Mapping file '{name}' has type '{ext}', which is not supported. Supported types: {supported}.",
    },
    "no_file": {
        "id": "Belum ada berkas yang dipilih. Pilih berkas jawaban (atau berkas pre-test dan post-test) lalu tekan Hitung.",
        "en": "No file was chosen. Choose the answers file (or the pre-test and post-test files) and press Score.",
    },
    "no_prepost": {
        "id": "Untuk pre/post pilih dua berkas: pre-test (awal) dan post-test (akhir).",
        "en": "For pre/post choose two files: the pre-test (before) and the post-test (after).",
    },
    "no_instrument": {
        "id": "Pilih instrumen terlebih dulu (mis. IKM atau WHOQOL-BREF).",
        "en": "Choose the instrument first (e.g. IKM or WHOQOL-BREF).",
    },
    "unknown_instrument": {
        "id": "Instrumen '{name}' tidak dikenal. Instrumen bawaan: {known}.",
        "en": "Unknown instrument '{name}'. Built-in instruments: {known}.",
    },
    "bad_form": {
        "id": "Permintaan ini bukan unggahan formulir yang sah. Buka halaman unggah dan kirim ulang.",
        "en": "This request is not a valid form upload. Open the upload page and send it again.",
    },
    "expired": {
        "id": "Hasil ini sudah kedaluwarsa: hasil disimpan {minutes} menit sejak terakhir dibuka, dan hilang bila server dimulai ulang. Unggah berkasnya lagi.",
        "en": "This result has expired: results are kept for {minutes} minutes after they were last opened, and are lost when the server restarts. Upload the file again.",
    },
    "expired_memory": {
        "id": "Hasil ini sudah dihapus lebih awal karena memori server untuk hasil penuh (banyak unggahan besar). Unggah berkasnya lagi.",
        "en": "This result was removed early because the server's memory for results was full (many large uploads). Upload the file again.",
    },
    "busy": {
        "id": "Server sedang sibuk: semua tempat antre terisi ({n} pekerjaan menunggu). Coba lagi dalam 15 detik.",
        "en": "The server is busy: every waiting place is taken ({n} jobs waiting). Try again in 15 seconds.",
    },
    "upload_timeout": {
        "id": "Unggahan terhenti (tidak ada data selama {s} detik). Periksa koneksi dan kirim ulang.",
        "en": "The upload stalled (no data for {s} seconds). Check the connection and send it again.",
    },
    "not_found": {"id": "Halaman tidak ditemukan.", "en": "Page not found."},
    "internal": {
        "id": "Kesalahan internal: ini kesalahan program, bukan kesalahan data Anda. Mohon laporkan (jalankan 'indeks score' di baris perintah untuk rinciannya).",
        "en": "Internal error: this is a bug, not a problem with your data. Please report it (run 'indeks score' on the command line for details).",
    },
    "no_compare": {
        "id": "Perbandingan pre/post belum tersedia di versi ini; hitung tiap berkas sendiri-sendiri.",
        "en": "The pre/post comparison is not available in this version; score each file on its own.",
    },
    # own instrument ("Instrumen sendiri"): a definition file or a kisi-kisi
    "own_name": {"id": "Instrumen sendiri", "en": "Your own instrument"},
    "own_meta": {
        "id": "berkas definisi .toml, atau kisi-kisi .xlsx/.csv dengan aturan dari instrumen dasar",
        "en": "a .toml definition file, or a kisi-kisi .xlsx/.csv with the rules of a base instrument",
    },
    "definition_file": {
        "id": "Berkas definisi (.toml) atau kisi-kisi (.xlsx, .csv)",
        "en": "Definition file (.toml) or kisi-kisi (.xlsx, .csv)",
    },
    "base_label": {
        "id": "Instrumen dasar untuk kisi-kisi (skala, aturan skor, kategori)",
        "en": "Base instrument for a kisi-kisi (scales, scoring rules, categories)",
    },
    "no_definition": {
        "id": "Untuk 'Instrumen sendiri', pilih berkas definisi (.toml) atau kisi-kisi (.xlsx, .csv).",
        "en": "For 'Your own instrument', choose a definition file (.toml) or a kisi-kisi (.xlsx, .csv).",
    },
    "no_base": {
        "id": "Untuk kisi-kisi, pilih instrumen dasar yang memberi skala dan aturan skor ({known}).",
        "en": "For a kisi-kisi, choose the base instrument that gives the scales and scoring rules ({known}).",
    },
    "bad_definition_ext": {
        "id": "Berkas '{name}' ({ext}) bukan definisi atau kisi-kisi; yang diterima: {supported}.",
        "en": "The file '{name}' ({ext}) is not a definition or kisi-kisi; accepted: {supported}.",
    },
    "definition_check_failed": {
        "id": "Definisi belum dapat dipakai: contohnya tidak cocok dengan aturannya, atau tidak dapat diskor.",
        "en": "The definition cannot be used yet: its examples do not match its rules, or it cannot be scored.",
    },
    "example_differs": {
        "id": "contoh '{example}', {value}: diharapkan {expected}, hasil {got}",
        "en": "example '{example}', {value}: expected {expected}, got {got}",
    },
    "check_title": {"id": "Pemeriksaan definisi", "en": "Definition check"},
    "check_examples_ok": {
        "id": "{n} contoh [[examples]] cocok dengan aturan definisi.",
        "en": "{n} [[examples]] match the definition's rules.",
    },
    "check_no_examples": {
        "id": "Definisi ini belum punya contoh [[examples]]: hasil di bawah belum diperiksa dengan contoh hitungan tangan.",
        "en": "This definition has no [[examples]] yet: the results below are not confirmed by hand-computed cases.",
    },
    "check_guesses": {
        "id": "Tebakan saat membaca kisi-kisi (periksa satu per satu):",
        "en": "Guesses made while reading the kisi-kisi (check each):",
    },
    "dl_definition": {"id": "Unduh definisi (.toml)", "en": "Download the definition (.toml)"},
}


def tr(key: str, lang: str, **values) -> str:
    """The text of ``T[key]`` in ``lang``."""
    return i18n_tr(T[key], lang, **values)
