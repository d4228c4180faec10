"""Messages of the definition loader (:mod:`indeks.instruments.loader`), in Bahasa
Indonesia and English.

Every entry is ``{"id": ..., "en": ...}`` with ``{placeholders}``; a problem in a definition
file is shown as ``file:line: key: message`` in the language asked for (``str()`` of a
:class:`~indeks.instruments.loader.DefinitionError` is English).
"""

from __future__ import annotations

LOADER_MESSAGES: dict[str, dict[str, str]] = {
    # ---- kinds of values and hints used inside other messages
    "kind_bool": {
        "id": "true/false",
        "en": "true/false",
    },
    "kind_table": {
        "id": "sebuah tabel",
        "en": "a table",
    },
    "kind_list": {
        "id": "sebuah daftar",
        "en": "a list",
    },
    "kind_text": {
        "id": "teks",
        "en": "text",
    },
    "kind_number": {
        "id": "sebuah angka",
        "en": "a number",
    },
    "none": {
        "id": "tidak ada",
        "en": "none",
    },
    "what_tables": {
        "id": "tabel [[{name}]]",
        "en": "[[{name}]] tables",
    },
    "what_numbers": {
        "id": "angka",
        "en": "numbers",
    },
    "did_you_mean": {
        "id": " (maksud Anda '{close}'?)",
        "en": " (did you mean '{close}'?)",
    },
    "hint_true_false": {
        "id": " (tulis true atau false tanpa tanda kutip)",
        "en": " (write true or false without quotes)",
    },
    "reverse_needs_declared_scale": {
        "id": "butir berskor terbalik (reverse) memerlukan skala yang dideklarasikan; ",
        "en": "a reverse-keyed item needs a declared scale; ",
    },
    # ---- the file itself
    "kisi_not_definition": {
        "id": "definisi instrumen berupa berkas .toml; untuk membuatnya dari kisi-kisi ini jalankan 'indeks instruments new --from {p_name} --base ID -o {p_stem}.toml'",
        "en": "a definition is a .toml file; to make one from this kisi-kisi run 'indeks instruments new --from {p_name} --base ID -o {p_stem}.toml'",
    },
    "not_regular_file": {
        "id": "bukan berkas biasa",
        "en": "not a regular file",
    },
    "file_too_large": {
        "id": "ukuran berkas {size:,} byte; berkas definisi paling besar {max_file_bytes:,} byte",
        "en": "the file is {size:,} bytes; a definition may have at most {max_file_bytes:,}",
    },
    "cannot_read": {
        "id": "berkas tidak dapat dibaca ({exc_strerror_or_exc})",
        "en": "cannot read the file ({exc_strerror_or_exc})",
    },
    "not_utf8": {
        "id": "bukan berkas teks UTF-8 (byte ke-{exc_start}); simpan ulang sebagai UTF-8 di penyunting teks Anda",
        "en": "not a UTF-8 text file (byte {exc_start}); save it as UTF-8 in your editor",
    },
    "not_toml": {
        "id": "bukan TOML yang sah: {exc}",
        "en": "not valid TOML: {exc}",
    },
    "nested_too_deep": {
        "id": "daftar atau tabel bersarang terlalu dalam",
        "en": "lists or tables nested too deeply",
    },
    "invalid_definition": {
        "id": "definisi tidak sah",
        "en": "invalid definition",
    },
    # ---- keys and basic values
    "must_be_table": {
        "id": "harus berupa tabel, bukan {table}",
        "en": "must be a table, got {table}",
    },
    "unknown_key": {
        "id": "kunci tidak dikenal{hint}; kunci yang boleh: {list_sorted_allowed}",
        "en": "unknown key{hint}; allowed: {list_sorted_allowed}",
    },
    "required_key_missing": {
        "id": "kunci wajib ini tidak ada",
        "en": "required key is missing",
    },
    "not_a_number": {
        "id": 'bukan angka: {value} (tulis misalnya 4, 0.25 atau "1/9")',
        "en": 'not a number: {value} (write e.g. 4, 0.25 or "1/9")',
    },
    "number_too_large": {
        "id": "{value} terlalu besar (angka harus di bawah 10^15)",
        "en": "{value} is too large (numbers must be below 10^15)",
    },
    "number_too_small": {
        "id": "{value} terlalu kecil (paling banyak 15 desimal)",
        "en": "{value} is too small (use at most 15 decimals)",
    },
    "must_be_whole": {
        "id": "harus bilangan bulat, bukan {value}",
        "en": "must be a whole number, got {value}",
    },
    "not_between": {
        "id": "{value} tidak berada antara {lo} dan {hi}",
        "en": "{value} is not between {lo} and {hi}",
    },
    "must_be_bool": {
        "id": "harus true atau false, bukan {value}{hint}",
        "en": "must be true or false, got {value}{hint}",
    },
    "must_be_text": {
        "id": "harus berupa teks, bukan {value}",
        "en": "must be text, got {value}",
    },
    "use_one_of": {
        "id": "{value}: gunakan salah satu dari {list_options}",
        "en": "{value}: use one of {list_options}",
    },
    "must_be_texts": {
        "id": "harus berupa daftar teks, bukan {value}",
        "en": "must be a list of texts, got {value}",
    },
    "must_be_list_of": {
        "id": "harus berupa daftar {what}, bukan {value}",
        "en": "must be a list of {what}, got {value}",
    },
    # ---- top level
    "bad_instrument_id": {
        "id": "{iid!r}: gunakan huruf kecil, angka, '-', '_' atau '.' (paling banyak 64 karakter)",
        "en": "{iid!r}: use lower-case letters, digits, '-', '_' or '.' (at most 64)",
    },
    "bad_version": {
        "id": 'harus berupa teks seperti "2024", bukan {value}',
        "en": 'must be text such as "2024", got {value}',
    },
    "provisional_needs_notes": {
        "id": "instrumen berstatus sementara (provisional) harus mencantumkan aturan-aturan sementaranya, masing-masing dengan catatan",
        "en": "a provisional instrument must list its provisional rules with a note each",
    },
    "domains_not_list": {
        "id": "harus berupa daftar tabel [[domains]] yang tidak kosong",
        "en": "must be a non-empty list of [[domains]] tables",
    },
    "duplicate_domain_declared": {
        "id": "id domain {d_id!r} dipakai lebih dari sekali",
        "en": "duplicate domain id {d_id!r}",
    },
    "conversion_needs_index": {
        "id": "[conversion] memerlukan [index] yang akan dikonversi",
        "en": "a [conversion] needs an [index] to convert",
    },
    "score_too_large": {
        "id": "skor {score!r} dapat mencapai {float_hi_if_abs_hi_a:g}; skor harus tetap di bawah 10^15 (periksa multiply dan raw_multiply)",
        "en": "the score {score!r} can reach {float_hi_if_abs_hi_a:g}; scores must stay below 10^15 (check multiply and raw_multiply)",
    },
    "name_a_column": {
        "id": "harus menyebut paling sedikit satu kolom",
        "en": "must name at least one column",
    },
    "forms_need_column": {
        "id": "instrumen dengan beberapa formulir harus menyebut kolom formulir dan nama-nama lainnya",
        "en": "an instrument with several forms must name the form column and its aliases",
    },
    "min_answered_above_items": {
        "id": "{n} lebih banyak daripada {total} butir yang ada",
        "en": "{n} is more than the {total} items",
    },
    # ---- missing-data rules and transforms
    "missing_rules_not_table": {
        "id": "harus berupa tabel [missing.rules.NAMA], bukan {rules}",
        "en": "must be a table of [missing.rules.NAME], got {rules}",
    },
    "no_missing_rule": {
        "id": "deklarasikan paling sedikit satu aturan data hilang",
        "en": "declare at least one missing-data rule",
    },
    "default_not_a_rule": {
        "id": "{default} bukan salah satu aturan: {list_rules}",
        "en": "{default} is not one of the rules: {list_rules}",
    },
    "no_transform_rule": {
        "id": "deklarasikan paling sedikit satu tabel [transforms.rules.NAMA]",
        "en": "declare at least one [transforms.rules.NAME] table",
    },
    "bad_rule_minimum": {
        "id": "harus bilangan bulat atau tabel aturan = angka, bukan {raw}",
        "en": "must be a whole number or a table rule = number, got {raw}",
    },
    "unknown_missing_rule": {
        "id": "aturan data hilang tidak dikenal; yang dideklarasikan: {list_rules}",
        "en": "unknown missing-data rule; declared: {list_rules}",
    },
    "no_rule_minimum": {
        "id": "tidak ada batas minimum untuk aturan data hilang {r!r}",
        "en": "no minimum given for the missing-data rule {r!r}",
    },
    # ---- scales, labels, forms
    "labels_not_table": {
        "id": "harus berupa tabel kode = [teks jawaban], bukan {raw}",
        "en": "must be a table of code = [answer texts], got {raw}",
    },
    "code_not_whole": {
        "id": "kode jawaban harus bilangan bulat",
        "en": "answer codes must be whole numbers",
    },
    "code_too_large": {
        "id": "kode jawaban harus berada dalam +-{max_code}",
        "en": "answer codes must be within +-{max_code}",
    },
    "answer_text_two_codes": {
        "id": "teks jawaban {t!r} berarti kode {seen_n_0} ({seen_n_1}) dan juga kode {code} ({where}); satu teks jawaban hanya boleh berarti satu kode",
        "en": "the answer text {t!r} means code {seen_n_0} ({seen_n_1}) and code {code} ({where}); an answer text must mean one code",
    },
    "label_sets_not_table": {
        "id": "harus berupa tabel kumpulan label yang bernama, bukan {raw}",
        "en": "must be a table of named label sets, got {raw}",
    },
    "no_scale": {
        "id": "deklarasikan paling sedikit satu skala, misalnya [scales.likert4] min = 1, max = 4",
        "en": "declare at least one scale, e.g. [scales.likert4] min = 1, max = 4",
    },
    "scale_min_max": {
        "id": "min ({lo}) harus lebih kecil daripada max ({hi})",
        "en": "min ({lo}) must be below max ({hi})",
    },
    "code_outside_scale": {
        "id": "kode {code} berada di luar skala {lo}..{hi}",
        "en": "code {code} is outside the scale {lo}..{hi}",
    },
    "item_code_outside_scale": {
        "id": "kode {code} berada di luar skala {sc_min}..{sc_max}",
        "en": "code {code} is outside the scale {sc_min}..{sc_max}",
    },
    "missing_code_in_scale": {
        "id": "kode data hilang {m} berada di dalam skala {lo}..{hi}",
        "en": "missing code {m} lies inside the scale {lo}..{hi}",
    },
    "missing_label_is_answer": {
        "id": "{t!r} juga merupakan teks jawaban untuk kode {answer_texts_norm_la}",
        "en": "{t!r} is also the answer text of code {answer_texts_norm_la}",
    },
    "forms_not_table": {
        "id": "harus berupa tabel [forms.ID], bukan {raw}",
        "en": "must be a table of [forms.ID], got {raw}",
    },
    # ---- items
    "too_many_patterns": {
        "id": "paling banyak {max_patterns} pola",
        "en": "at most {max_patterns} patterns",
    },
    "pattern_too_long": {
        "id": "lebih panjang dari {max_pattern_length} karakter",
        "en": "longer than {max_pattern_length} characters",
    },
    "bad_pattern": {
        "id": '{pat!r}: pola adalah teks dengan {{n}} (nomor butir) atau {{n:02d}} (diisi nol sampai 2 digit; 1-9 digit boleh), misalnya "q{{n:02d}}"; tanpa kurung kurawal lain',
        "en": '{pat!r}: a pattern is text with {{n}} (the item number) or {{n:02d}} (zero-padded to 2 digits; 1-9 digits allowed), e.g. "q{{n:02d}}"; no other braces',
    },
    "items_not_list": {
        "id": "harus berupa daftar butir yang tidak kosong",
        "en": "must be a non-empty list of items",
    },
    "alias_taken": {
        "id": "nama kolom {a!r} sudah menjadi nama butir {seen_alias_key!r}",
        "en": "column name {a!r} already names item {seen_alias_key!r}",
    },
    "item_not_table": {
        "id": "harus berupa tabel {{ id = ..., domain = ... }}, bukan {it0}",
        "en": "must be a table {{ id = ..., domain = ... }}, got {it0}",
    },
    "bad_item_id": {
        "id": "id butir memakai huruf kecil, angka dan '_' serta diawali huruf",
        "en": "item ids use lower-case letters, digits and '_' and start with a letter",
    },
    "duplicate_item": {
        "id": "id butir {iid!r} dipakai lebih dari sekali",
        "en": "duplicate item id {iid!r}",
    },
    "reverse_needs_scale": {
        "id": "butir berskor terbalik (reverse) memerlukan skala (pembalikan memakai min dan max yang dideklarasikan)",
        "en": "a reverse-keyed item needs a scale (reversal uses the declared min and max)",
    },
    "item_needs_scale": {
        "id": "setiap butir memerlukan skala",
        "en": "every item needs a scale",
    },
    "unknown_scale": {
        "id": "{what}skala {sid!r} tidak dikenal; yang dideklarasikan: {list_scales}",
        "en": "{what}unknown scale {sid!r}; declared: {list_scales}",
    },
    "item_in_no_domain": {
        "id": "butir ini tidak masuk domain mana pun (setiap butir harus termasuk dalam domain yang dideklarasikan)",
        "en": "the item is in no domain (every item must belong to a declared domain)",
    },
    "undeclared_domain": {
        "id": "domain {dom!r} tidak dideklarasikan; yang dideklarasikan: {list_sorted_domain_i}",
        "en": "undeclared domain {dom!r}; declared: {list_sorted_domain_i}",
    },
    "unknown_form": {
        "id": "formulir {form!r} tidak dikenal; yang dideklarasikan: {list_forms}",
        "en": "unknown form {form!r}; declared: {list_forms}",
    },
    "unknown_label_set": {
        "id": "kumpulan label {name} tidak dikenal; yang dideklarasikan: {declared}",
        "en": "unknown label set {name}; declared: {declared}",
    },
    # ---- domains
    "bad_domain_id": {
        "id": "id domain memakai huruf kecil, angka dan '_'",
        "en": "domain ids use lower-case letters, digits and '_'",
    },
    "duplicate_domain": {
        "id": "id domain {did!r} dipakai lebih dari sekali",
        "en": "duplicate domain id {did!r}",
    },
    "reserved_name": {
        "id": "{did!r} adalah nama kolom yang sudah dipakai program",
        "en": "{did!r} is a reserved column name",
    },
    "domain_no_items": {
        "id": "domain {did!r} tidak memiliki butir",
        "en": "domain {did!r} has no items",
    },
    "domain_min_answered": {
        "id": "{n} tidak berada antara 0 dan jumlah butir domain ini ({len_members})",
        "en": "{n} is not between 0 and the domain's {len_members} items",
    },
    "percent_of_max_one_scale": {
        "id": "percent_of_max memerlukan semua butir domain pada satu skala yang sama",
        "en": "percent_of_max needs all items of the domain on one scale",
    },
    "percent_of_points_scale": {
        "id": "percent_of_points memerlukan skala yang dimulai dari 0 atau lebih; {sc_id} dimulai dari {sc_min}",
        "en": "percent_of_points needs scales that start at 0 or above; {sc_id} starts at {sc_min}",
    },
    "multiply_zero": {
        "id": "tidak boleh 0 (semua skor akan sama)",
        "en": "must not be 0 (every score would be equal)",
    },
    "raw_multiply_zero": {
        "id": "tidak boleh 0 (semua skor akan menjadi 0)",
        "en": "must not be 0 (every score would be 0)",
    },
    # ---- index and conversion
    "weights_not_table": {
        "id": "weighted_mean memerlukan tabel domain = bobot",
        "en": "weighted_mean needs a table domain = weight",
    },
    "weight_unknown_domain": {
        "id": "domain tidak dikenal; yang dideklarasikan: {list_dom_ids}",
        "en": "unknown domain; declared: {list_dom_ids}",
    },
    "weight_negative": {
        "id": "bobot tidak boleh negatif",
        "en": "weights must not be negative",
    },
    "weights_sum_missing": {
        "id": "deklarasikan jumlah yang harus dicapai bobot (misalnya 1 atau 25)",
        "en": "declare the sum the weights must have (e.g. 1 or 25)",
    },
    "weights_all_zero": {
        "id": "semua bobot bernilai 0; paling sedikit satu harus di atas 0",
        "en": "the weights are all 0; at least one must be above 0",
    },
    "weights_sum_differs": {
        "id": "jumlah bobot {frac_text_total}, bukan weights_sum yang dideklarasikan {frac_text_declared}",
        "en": "the weights sum to {frac_text_total}, not to the declared weights_sum {frac_text_declared}",
    },
    "index_no_domain": {
        "id": "sebutkan paling sedikit satu domain",
        "en": "name at least one domain",
    },
    "index_unknown_domain": {
        "id": "domain {did!r} tidak dikenal; yang dideklarasikan: {list_dom_ids}",
        "en": "unknown domain {did!r}; declared: {list_dom_ids}",
    },
    "percent_of_points_item": {
        "id": "percent_of_points memerlukan skala yang dimulai dari 0 atau lebih (butir {it_id})",
        "en": "percent_of_points needs scales that start at 0 or above (item {it_id})",
    },
    "conversion_zero": {
        "id": "tidak boleh 0 (semua nilai konversi akan sama)",
        "en": "must not be 0 (every converted value would be equal)",
    },
    # ---- categories
    "duplicate_category_table": {
        "id": "nama tabel kategori {name!r} dipakai lebih dari sekali",
        "en": "duplicate category table name {name!r}",
    },
    "not_a_score": {
        "id": "{on!r} bukan skor instrumen ini; skor yang ada: {list_ranges}",
        "en": "{on!r} is not a score of this instrument; scores: {list_ranges}",
    },
    "bands_not_list": {
        "id": "harus berupa daftar rentang kategori yang tidak kosong",
        "en": "must be a non-empty list of bands",
    },
    "band_code_not_text": {
        "id": "harus berupa teks, bukan {code}",
        "en": "must be text, got {code}",
    },
    "duplicate_band_code": {
        "id": "kode kategori {code!r} dipakai lebih dari sekali",
        "en": "duplicate band code {code!r}",
    },
    "threshold_decimals": {
        "id": "{float_v} memiliki desimal lebih banyak daripada presisi tabel ({prec})",
        "en": "{float_v} has more decimals than the table's precision ({prec})",
    },
    "threshold_outside": {
        "id": "batas {float_v} berada di luar rentang {on!r} ({float_lo_r:g}..{float_hi_r:g})",
        "en": "threshold {float_v} is outside the range of {on!r} ({float_lo_r:g}..{float_hi_r:g})",
    },
    "band_max_below_min": {
        "id": "max {float_bmax} lebih kecil daripada min {float_bmin}",
        "en": "max {float_bmax} is below min {float_bmin}",
    },
    "bands_order": {
        "id": "rentang kategori harus diurutkan dari kecil ke besar",
        "en": "bands must be listed in increasing order",
    },
    "bands_gap": {
        "id": "ada celah antara {float_prev_max} dan {float_nxt_min} pada presisi {prec}",
        "en": "gap between {float_prev_max} and {float_nxt_min} at precision {prec}",
    },
    "bands_overlap": {
        "id": "tumpang tindih: {float_nxt_min} tidak di atas max kategori sebelumnya {float_prev_max}",
        "en": "overlap: {float_nxt_min} is not above the previous band's max {float_prev_max}",
    },
    "bands_low_gap": {
        "id": "kategori terendah dimulai dari {float_bands_0_min}, di atas skor terendah yang mungkin {float_lo_r:g}: ada celah",
        "en": "the lowest band starts at {float_bands_0_min}, above the lowest possible score {float_lo_r:g}: a gap",
    },
    "bands_high_gap": {
        "id": "kategori tertinggi berakhir di {float_last_max}, di bawah skor tertinggi yang mungkin {float_hi_r:g}: ada celah",
        "en": "the highest band ends at {float_last_max}, below the highest possible score {float_hi_r:g}: a gap",
    },
    "unknown_domain": {
        "id": "domain {d!r} tidak dikenal",
        "en": "unknown domain {d!r}",
    },
    "domain_range_differs": {
        "id": "domain {d!r} memiliki rentang {float_ranges_d_0:g}..{float_ranges_d_1:g}, bukan {float_lo_r:g}..{float_hi_r:g} seperti tabel ini",
        "en": "domain {d!r} has range {float_ranges_d_0:g}..{float_ranges_d_1:g}, not the table's {float_lo_r:g}..{float_hi_r:g}",
    },
    # ---- eligibility, pre/post, examples
    "give_min_max": {
        "id": "isi min, max, atau keduanya",
        "en": "give min, max or both",
    },
    "min_above_max": {
        "id": "min {lo:g} lebih besar daripada max {hi:g}",
        "en": "min {lo:g} is above max {hi:g}",
    },
    "prepost_no_index": {
        "id": "'index', padahal instrumen ini tidak mendeklarasikan [index]",
        "en": "'index' but the instrument declares no [index]",
    },
    "prepost_bad_score": {
        "id": "{score!r}: gunakan 'index', 'mean_of_domains' atau id domain",
        "en": "{score!r}: use 'index', 'mean_of_domains' or a domain id",
    },
    "prepost_no_domain": {
        "id": "mean_of_domains memerlukan paling sedikit satu domain",
        "en": "mean_of_domains needs at least one domain",
    },
    "duplicate_example": {
        "id": "nama contoh {name!r} dipakai lebih dari sekali",
        "en": "duplicate example name {name!r}",
    },
    "example_unknown_rule": {
        "id": "aturan {rule!r} tidak dikenal; yang dideklarasikan: {list_rules}",
        "en": "unknown rule {rule!r}; declared: {list_rules}",
    },
    "answers_not_table": {
        "id": "harus berupa tabel butir = jawaban, bukan {answers_raw}",
        "en": "must be a table item = answer, got {answers_raw}",
    },
    "unknown_item": {
        "id": "butir tidak dikenal",
        "en": "unknown item",
    },
    "fields_not_table": {
        "id": "harus berupa tabel kolom = nilai, bukan {fields_raw}",
        "en": "must be a table column = value, got {fields_raw}",
    },
    "expect_not_table": {
        "id": "harus berupa tabel skor = nilai yang diharapkan",
        "en": "must be a table score = expected value",
    },
    "not_a_result": {
        "id": "bukan hasil instrumen ini{hint}; gunakan salah satu dari {list_sorted_allowed_}",
        "en": "not a result of this instrument{hint}; use one of {list_sorted_allowed_}",
    },
    "example_no_answers": {
        "id": "isi answers (butir = jawaban) atau fill",
        "en": "give answers (item = answer) or fill",
    },
    "example_value": {
        "id": "harus berupa angka atau teks, bukan {v}",
        "en": "must be a number or a text, got {v}",
    },
    # ---- indeks instruments check: scoring the definition
    "smoke_fails": {
        "id": "menskor responden yang menjawab setiap butir dengan kode {name} (aturan {rule}) gagal: {error}",
        "en": "scoring a respondent who answers every item with the {name} code (rule {rule}) fails: {error}",
    },
    "example_unscorable": {
        "id": "contoh {name!r} tidak dapat diskor: {error}",
        "en": "example {name!r} cannot be scored: {error}",
    },
}

__all__ = ["LOADER_MESSAGES"]
