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
        "id": "definisi instrumen berupa berkas .toml; untuk membuatnya dari kisi-kisi ini jalankan 'indeks instruments new --from {file} --base ID -o {stem}.toml'",
        "en": "a definition is a .toml file; to make one from this kisi-kisi run 'indeks instruments new --from {file} --base ID -o {stem}.toml'",
    },
    "not_regular_file": {
        "id": "bukan berkas biasa",
        "en": "not a regular file",
    },
    "file_too_large": {
        "id": "ukuran berkas {size:,} byte; berkas definisi paling besar {limit:,} byte",
        "en": "the file is {size:,} bytes; a definition may have at most {limit:,}",
    },
    "cannot_read": {
        "id": "berkas tidak dapat dibaca ({reason})",
        "en": "cannot read the file ({reason})",
    },
    "not_utf8": {
        "id": "bukan berkas teks UTF-8 (byte ke-{byte}); simpan ulang sebagai UTF-8 di penyunting teks Anda",
        "en": "not a UTF-8 text file (byte {byte}); save it as UTF-8 in your editor",
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
        "id": "kunci tidak dikenal{hint}; kunci yang boleh: {allowed}",
        "en": "unknown key{hint}; allowed: {allowed}",
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
        "id": "{value}: gunakan salah satu dari {options}",
        "en": "{value}: use one of {options}",
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
        "id": "{item!r}: gunakan huruf kecil, angka, '-', '_' atau '.' (paling banyak 64 karakter)",
        "en": "{item!r}: use lower-case letters, digits, '-', '_' or '.' (at most 64)",
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
        "id": "id domain {id!r} dipakai lebih dari sekali",
        "en": "duplicate domain id {id!r}",
    },
    "conversion_needs_index": {
        "id": "[conversion] memerlukan [index] yang akan dikonversi",
        "en": "a [conversion] needs an [index] to convert",
    },
    "score_too_large": {
        "id": "skor {score!r} dapat mencapai {reach:g}; skor harus tetap di bawah 10^15 (periksa multiply dan raw_multiply)",
        "en": "the score {score!r} can reach {reach:g}; scores must stay below 10^15 (check multiply and raw_multiply)",
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
        "id": "{default} bukan salah satu aturan: {declared}",
        "en": "{default} is not one of the rules: {declared}",
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
        "id": "aturan data hilang tidak dikenal; yang dideklarasikan: {declared}",
        "en": "unknown missing-data rule; declared: {declared}",
    },
    "no_rule_minimum": {
        "id": "tidak ada batas minimum untuk aturan data hilang {rule!r}",
        "en": "no minimum given for the missing-data rule {rule!r}",
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
        "id": "kode jawaban harus berada dalam +-{limit}",
        "en": "answer codes must be within +-{limit}",
    },
    "answer_text_two_codes": {
        "id": "teks jawaban {text!r} berarti kode {first_code} ({first_where}) dan juga kode {code} ({where}); satu teks jawaban hanya boleh berarti satu kode",
        "en": "the answer text {text!r} means code {first_code} ({first_where}) and code {code} ({where}); an answer text must mean one code",
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
        "id": "kode {code} berada di luar skala {scale_min}..{scale_max}",
        "en": "code {code} is outside the scale {scale_min}..{scale_max}",
    },
    "missing_code_in_scale": {
        "id": "kode data hilang {code} berada di dalam skala {lo}..{hi}",
        "en": "missing code {code} lies inside the scale {lo}..{hi}",
    },
    "missing_label_is_answer": {
        "id": "{text!r} juga merupakan teks jawaban untuk kode {code}",
        "en": "{text!r} is also the answer text of code {code}",
    },
    "forms_not_table": {
        "id": "harus berupa tabel [forms.ID], bukan {raw}",
        "en": "must be a table of [forms.ID], got {raw}",
    },
    # ---- items
    "too_many_patterns": {
        "id": "paling banyak {limit} pola",
        "en": "at most {limit} patterns",
    },
    "pattern_too_long": {
        "id": "lebih panjang dari {limit} karakter",
        "en": "longer than {limit} characters",
    },
    "bad_pattern": {
        "id": '{pattern!r}: pola adalah teks dengan {{n}} (nomor butir) atau {{n:02d}} (diisi nol sampai 2 digit; 1-9 digit boleh), misalnya "q{{n:02d}}"; tanpa kurung kurawal lain',
        "en": '{pattern!r}: a pattern is text with {{n}} (the item number) or {{n:02d}} (zero-padded to 2 digits; 1-9 digits allowed), e.g. "q{{n:02d}}"; no other braces',
    },
    "items_not_list": {
        "id": "harus berupa daftar butir yang tidak kosong",
        "en": "must be a non-empty list of items",
    },
    "alias_taken": {
        "id": "nama kolom {column!r} sudah menjadi nama butir {item!r}",
        "en": "column name {column!r} already names item {item!r}",
    },
    "item_not_table": {
        "id": "harus berupa tabel {{ id = ..., domain = ... }}, bukan {value}",
        "en": "must be a table {{ id = ..., domain = ... }}, got {value}",
    },
    "bad_item_id": {
        "id": "id butir memakai huruf kecil, angka dan '_' serta diawali huruf",
        "en": "item ids use lower-case letters, digits and '_' and start with a letter",
    },
    "duplicate_item": {
        "id": "id butir {item!r} dipakai lebih dari sekali",
        "en": "duplicate item id {item!r}",
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
        "id": "{what}skala {sid!r} tidak dikenal; yang dideklarasikan: {declared}",
        "en": "{what}unknown scale {sid!r}; declared: {declared}",
    },
    "item_in_no_domain": {
        "id": "butir ini tidak masuk domain mana pun (setiap butir harus termasuk dalam domain yang dideklarasikan)",
        "en": "the item is in no domain (every item must belong to a declared domain)",
    },
    "undeclared_domain": {
        "id": "domain {domain!r} tidak dideklarasikan; yang dideklarasikan: {declared}",
        "en": "undeclared domain {domain!r}; declared: {declared}",
    },
    "unknown_form": {
        "id": "formulir {form!r} tidak dikenal; yang dideklarasikan: {declared}",
        "en": "unknown form {form!r}; declared: {declared}",
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
        "id": "id domain {domain!r} dipakai lebih dari sekali",
        "en": "duplicate domain id {domain!r}",
    },
    "reserved_name": {
        "id": "{domain!r} adalah nama kolom yang dicadangkan program; pilih id lain",
        "en": "{domain!r} is a reserved column name",
    },
    "domain_no_items": {
        "id": "domain {domain!r} tidak memiliki butir",
        "en": "domain {domain!r} has no items",
    },
    "domain_min_answered": {
        "id": "{n} tidak berada antara 0 dan jumlah butir domain ini ({items})",
        "en": "{n} is not between 0 and the domain's {items} items",
    },
    "percent_of_max_one_scale": {
        "id": "percent_of_max memerlukan semua butir domain pada satu skala yang sama",
        "en": "percent_of_max needs all items of the domain on one scale",
    },
    "percent_of_points_scale": {
        "id": "percent_of_points memerlukan skala yang dimulai dari 0 atau lebih; {scale} dimulai dari {scale_min}",
        "en": "percent_of_points needs scales that start at 0 or above; {scale} starts at {scale_min}",
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
        "id": "domain tidak dikenal; yang dideklarasikan: {declared}",
        "en": "unknown domain; declared: {declared}",
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
        "id": "jumlah bobot {total}, bukan weights_sum yang dideklarasikan {declared_sum}",
        "en": "the weights sum to {total}, not to the declared weights_sum {declared_sum}",
    },
    "index_no_domain": {
        "id": "sebutkan paling sedikit satu domain",
        "en": "name at least one domain",
    },
    "index_unknown_domain": {
        "id": "domain {domain!r} tidak dikenal; yang dideklarasikan: {declared}",
        "en": "unknown domain {domain!r}; declared: {declared}",
    },
    "percent_of_points_item": {
        "id": "percent_of_points memerlukan skala yang dimulai dari 0 atau lebih (butir {item})",
        "en": "percent_of_points needs scales that start at 0 or above (item {item})",
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
        "id": "{on!r} bukan skor instrumen ini; skor yang ada: {scores}",
        "en": "{on!r} is not a score of this instrument; scores: {scores}",
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
        "id": "{threshold} memiliki desimal lebih banyak daripada presisi tabel ({prec})",
        "en": "{threshold} has more decimals than the table's precision ({prec})",
    },
    "threshold_outside": {
        "id": "batas {threshold} berada di luar rentang {on!r} ({score_low:g}..{score_high:g})",
        "en": "threshold {threshold} is outside the range of {on!r} ({score_low:g}..{score_high:g})",
    },
    "band_max_below_min": {
        "id": "max {band_max} lebih kecil daripada min {band_min}",
        "en": "max {band_max} is below min {band_min}",
    },
    "bands_order": {
        "id": "rentang kategori harus diurutkan dari kecil ke besar",
        "en": "bands must be listed in increasing order",
    },
    "bands_gap": {
        "id": "ada celah antara {prev_max} dan {next_min} pada presisi {prec}",
        "en": "gap between {prev_max} and {next_min} at precision {prec}",
    },
    "bands_overlap": {
        "id": "tumpang tindih: {next_min} tidak di atas max kategori sebelumnya {prev_max}",
        "en": "overlap: {next_min} is not above the previous band's max {prev_max}",
    },
    "bands_low_gap": {
        "id": "kategori terendah dimulai dari {first_min}, di atas skor terendah yang mungkin {score_low:g}: ada celah",
        "en": "the lowest band starts at {first_min}, above the lowest possible score {score_low:g}: a gap",
    },
    "bands_high_gap": {
        "id": "kategori tertinggi berakhir di {last_max}, di bawah skor tertinggi yang mungkin {score_high:g}: ada celah",
        "en": "the highest band ends at {last_max}, below the highest possible score {score_high:g}: a gap",
    },
    "unknown_domain": {
        "id": "domain {domain!r} tidak dikenal",
        "en": "unknown domain {domain!r}",
    },
    "domain_range_differs": {
        "id": "rentang domain {domain!r} adalah {domain_low:g}..{domain_high:g}, tidak sama dengan rentang tabel ini {score_low:g}..{score_high:g}",
        "en": "domain {domain!r} has range {domain_low:g}..{domain_high:g}, not the table's {score_low:g}..{score_high:g}",
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
        "id": "aturan {rule!r} tidak dikenal; yang dideklarasikan: {declared}",
        "en": "unknown rule {rule!r}; declared: {declared}",
    },
    "answers_not_table": {
        "id": "harus berupa tabel butir = jawaban, bukan {value}",
        "en": "must be a table item = answer, got {value}",
    },
    "unknown_item": {
        "id": "butir tidak dikenal",
        "en": "unknown item",
    },
    "fields_not_table": {
        "id": "harus berupa tabel kolom = nilai, bukan {value}",
        "en": "must be a table column = value, got {value}",
    },
    "expect_not_table": {
        "id": "harus berupa tabel skor = nilai yang diharapkan",
        "en": "must be a table score = expected value",
    },
    "not_a_result": {
        "id": "bukan hasil instrumen ini{hint}; gunakan salah satu dari {allowed}",
        "en": "not a result of this instrument{hint}; use one of {allowed}",
    },
    "example_no_answers": {
        "id": "isi answers (butir = jawaban) atau fill",
        "en": "give answers (item = answer) or fill",
    },
    "example_value": {
        "id": "harus berupa angka atau teks, bukan {value}",
        "en": "must be a number or a text, got {value}",
    },
    # ---- indeks instruments check: scoring the definition
    "smoke_fails": {
        "id": "responden yang menjawab setiap butir dengan kode {name} (aturan {rule}) tidak dapat diskor: {error}",
        "en": "scoring a respondent who answers every item with the {name} code (rule {rule}) fails: {error}",
    },
    "example_unscorable": {
        "id": "contoh {name!r} tidak dapat diskor: {error}",
        "en": "example {name!r} cannot be scored: {error}",
    },
}

__all__ = ["LOADER_MESSAGES"]
