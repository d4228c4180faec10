"""Match a data frame's column headers to an instrument's items and special columns.

Headers are compared after normalisation: the part after the last ``/`` (KoboToolbox
group prefixes such as ``group_x/q1``), lower case, without spaces and the characters
``_ - . : ( ) #``; so ``Q1``, ``q_1``, ``1.`` and ``group_a/Q1`` all reach the same key.
A user mapping (item id -> exact column header) comes first; then ids and aliases;
then the items' standard question texts (Google Forms exports carry the question as
the header): header and text are compared after :func:`norm_text` (case, leading
numbering such as ``1.``, ``U1.``, ``P1 -``, punctuation and spacing), and a close
but not identical header is accepted only when its similarity is at least
:data:`TEXT_SIMILARITY`; the column report always shows the similarity.

The respondent id column is the one named by the user, else the first header named
like an id (the definition's id names, then ``id``, ``no_rm``, ``nik``, ``kode``,
``id_klien``..., also behind KoboToolbox group prefixes). KoboToolbox's own columns
(``_id``, ``_uuid``, ``_index``, any header starting with ``_``) and row counters
(``No``, ``Nomor``, ``No. urut``) are never chosen unless named with ``--id``.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indeks.errors import ScoringInputError
from indeks.instruments.model import Instrument

_STRIP = re.compile(r"[\s_\-.:()#'\"\[\]]+")

#: A header that is not exactly (after :func:`norm_text`) an item's question text is
#: matched to it only when difflib's similarity ratio is at least this.
TEXT_SIMILARITY = 0.85

#: Generic names of a respondent id column, tried after the definition's own id names.
GENERIC_ID_NAMES = (
    "id",
    "id_responden",
    "respondent_id",
    "id_klien",
    "kode_klien",
    "kode_responden",
    "no_rm",
    "norm",
    "no_rekam_medis",
    "nik",
    "kode",
)
#: Row counters: never an automatic id column (pass ``--id`` to use one).
ROW_COUNTER_NAMES = frozenset(
    {"no", "nomor", "nourut", "nomorurut", "urut", "noresponden", "index", "row", "baris"}
)

_NUMBERING = re.compile(
    r"^\s*(?:no\s*\.?\s*)?(?:[a-z]{1,6}\s*[-_]?\s*)?\d{1,3}[a-z]?(?:\s*[.):\-\u2013\u2014]+\s*|\s+)"
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
# a header's own numbering: "1. ...", "U1 -", "P 3)", "No. 4:", "5 ..." (lower case)
_LEADING_NUMBER = re.compile(
    r"^\s*(?:no\s*\.?\s*)?(?:[a-z]{1,6}\s*[-_]?\s*)?(\d{1,3})(?:\s*[.):\-\u2013\u2014]|\s)"
)


def norm_text(text: object) -> str:
    """A question text or header for comparison: lower case, accents folded, leading
    numbering (``1.``, ``U1.``, ``P1 -``, ``No. 3)``) removed, punctuation as spaces,
    single spaces."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    t = _NUMBERING.sub("", t, count=1)
    return _NON_WORD.sub(" ", t).strip()


def norm_header(header: object) -> str:
    text = str(header).strip()
    if "/" in text:
        text = text.rsplit("/", 1)[1]
    return _STRIP.sub("", text.lower())


@dataclass
class ColumnMatch:
    """Which column became which item, and what was left over."""

    items: dict[str, str] = field(default_factory=dict)  # item id -> column header
    missing: dict[str, list[str]] = field(default_factory=dict)  # item id -> closest headers
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # item id -> candidate headers
    id_column: str | None = None
    form_column: str | None = None
    unit_column: str | None = None
    eligibility: dict[str, str] = field(default_factory=dict)  # rule id -> column
    eligibility_missing: dict[str, list[str]] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # item id -> "mapping" | "id" | "alias" | "question_text"
    how: dict[str, str] = field(default_factory=dict)
    # item id -> similarity of the header to the item's question text (question_text only)
    similarity: dict[str, float] = field(default_factory=dict)
    id_how: str = ""  # "option" (named by the user) | "name" (found by its name) | ""
    # ignored headers that look like items of this instrument beyond its last item (U10..)
    item_like: list[str] = field(default_factory=list)
    # a built-in instrument that matches more of the headers as items, with its count
    better_instrument: tuple[str, int] | None = None
    # columns named like the definition's group columns ([columns] groups) that were not
    # asked for with --group: copied to the respondents table, not used for grouping
    declared_groups: list[str] = field(default_factory=list)

    def report(self) -> pd.DataFrame:
        """One row per item: item, column, how it was matched (or why not)."""
        rows = []
        for item, col in self.items.items():
            how = self.how.get(item, "")
            row = {"item": item, "column": col, "matched_by": how}
            if item in self.similarity:
                row["similarity"] = f"{self.similarity[item]:.2f}"
            rows.append(row)
        for item, close in self.missing.items():
            rows.append(
                {"item": item, "column": "", "matched_by": "missing", "closest": ", ".join(close)}
            )
        for item, cands in self.ambiguous.items():
            rows.append({"item": item, "column": " | ".join(cands), "matched_by": "ambiguous"})
        for c in self.ignored:
            rows.append({"item": "", "column": c, "matched_by": "ignored"})
        df = pd.DataFrame(
            rows, columns=["item", "column", "matched_by", "similarity", "closest"], dtype=object
        )
        return df.where(df.notna(), "")


MAX_MAPPING_BYTES = 10 * 1024 * 1024


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a mapping file: item id -> column header.

    Accepted: ``.csv`` (two columns: item, column; a header row is allowed), ``.json``
    (an object), ``.toml`` (a table, optionally under ``[columns]``), ``.xlsx`` (first
    two columns of the first sheet).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        from indeks import limits

        # a regular file of sensible size (never /dev/zero or a FIFO; no zip bomb)
        st = limits.check_regular_file(p, "en")
        if st.st_size > MAX_MAPPING_BYTES:
            raise ValueError(f"{st.st_size} bytes; a mapping file is at most 10 MB")
        if suffix in (".xlsx", ".xlsm"):
            limits.check_xlsx(p, "en")
        if suffix == ".json":
            data = json.loads(p.read_text(encoding="utf-8-sig"))
        elif suffix == ".toml":
            data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
            data = data.get("columns", data)
        elif suffix in (".csv", ".txt", ".tsv"):
            text = p.read_text(encoding="utf-8-sig")
            import csv
            import io

            first = text.splitlines()[0] if text.strip() else ""
            delim = max([",", ";", "\t"], key=first.count) if first else ","
            data = {}
            for r in csv.reader(io.StringIO(text), delimiter=delim):
                if len(r) >= 2 and r[0].strip() and r[1].strip():  # an empty column: no mapping
                    data[r[0].strip()] = r[1].strip()
        elif suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(p, header=None, dtype=str)
            data = {
                str(a).strip(): str(b).strip()
                for a, b in zip(df.iloc[:, 0], df.iloc[:, 1], strict=True)
                if isinstance(a, str)
            }
        else:
            raise ScoringInputError(
                texts={
                    "id": f"{p.name}: berkas pemetaan kolom harus .csv, .json, .toml atau .xlsx",
                    "en": f"{p.name}: the mapping file must be .csv, .json, .toml or .xlsx",
                }
            )
    except ScoringInputError:
        raise
    except Exception as exc:  # any unreadable mapping file is one clear message
        raise ScoringInputError(
            texts={
                "id": f"{p.name}: berkas pemetaan kolom tidak dapat dibaca ({exc})",
                "en": f"{p.name}: the mapping file cannot be read ({exc})",
            }
        ) from None
    if not isinstance(data, dict):
        raise ScoringInputError(
            texts={
                "id": f"{p.name}: pemetaan harus berisi id butir -> judul kolom",
                "en": f"{p.name}: the mapping must map item ids to column headers",
            }
        )
    out = {str(k).strip().lower(): str(v) for k, v in data.items()}
    for k in ("item", "butir", "item_id"):
        out.pop(k, None)  # a header row
    return out


def _closest(name: str, headers: list[str], n: int = 3) -> list[str]:
    keyed = {norm_header(h): h for h in headers}
    found = difflib.get_close_matches(norm_header(name), list(keyed), n=n, cutoff=0.5)
    return [keyed[f] for f in found]


def _find_special(headers, normed, aliases) -> str | None:
    wanted = [norm_header(a) for a in aliases]
    for w in wanted:
        for h, n in zip(headers, normed, strict=True):
            if n == w:
                return h
    return None


def _is_kobo_meta(header: str) -> bool:
    """KoboToolbox's own columns (``_id``, ``_uuid``, ``_index``, ``group/_x``)."""
    return str(header).strip().rsplit("/", 1)[-1].startswith("_")


def find_id_column(headers: list[str], aliases) -> str | None:
    """The first header named like an id: the definition's names, then the generic ones;
    never a KoboToolbox column or a row counter."""
    usable = [h for h in headers if not _is_kobo_meta(h)]
    normed = [norm_header(h) for h in usable]
    names = [a for a in (*aliases, *GENERIC_ID_NAMES) if norm_header(a) not in ROW_COUNTER_NAMES]
    return _find_special(usable, normed, names)


def _text_matches(
    inst: Instrument, headers: list[str], todo: list[str]
) -> dict[str, tuple[str, float]]:
    """Item id -> (header, similarity) for items whose question text a header carries.

    An exact match after :func:`norm_text` has similarity 1.0; otherwise the best
    pairs at or above :data:`TEXT_SIMILARITY`, each header and item used once."""
    texts = {it.id: [norm_text(t) for t in it.question_texts] for it in inst.items if it.id in todo}
    texts = {k: [t for t in v if t] for k, v in texts.items()}
    if not any(texts.values()) or not headers:
        return {}
    hn = {h: norm_text(h) for h in headers}
    pairs = []
    for iid, ts in texts.items():
        for h, n in hn.items():
            if not n:
                continue
            best = 0.0
            for t in ts:
                if n == t:
                    best = 1.0
                    break
                sm = difflib.SequenceMatcher(None, n, t, autojunk=False)
                if sm.real_quick_ratio() < TEXT_SIMILARITY or sm.quick_ratio() < TEXT_SIMILARITY:
                    continue
                best = max(best, sm.ratio())
            if best >= TEXT_SIMILARITY:
                pairs.append((best, iid, h))
    pairs.sort(key=lambda p: (-p[0], todo.index(p[1])))
    out: dict[str, tuple[str, float]] = {}
    taken: set[str] = set()
    for sim, iid, h in pairs:
        if iid in out or h in taken:
            continue
        out[iid] = (h, sim)
        taken.add(h)
    return out


def _item_like(inst: Instrument, headers: list[str]) -> list[str]:
    """Headers shaped like this instrument's item names but numbered beyond its items
    (``U10`` for a 9-unsur IKM, ``Q27`` for WHOQOL-BREF)."""
    prefixes: set[str] = set()
    numbers: set[int] = set()
    for it in inst.items:
        m = re.match(r"^([a-z]+)_?(\d+)$", it.id)
        if not m:
            continue
        prefixes.add(m.group(1))
        numbers.add(int(m.group(2)))
        for a in it.aliases:
            ma = re.match(r"^([a-z]+)[_\-]?0*(\d+)$", a.strip().lower())
            if ma and int(ma.group(2)) == int(m.group(2)):
                prefixes.add(ma.group(1))
    if not prefixes:
        return []
    pat = re.compile(r"^(" + "|".join(sorted(map(re.escape, prefixes))) + r")0*(\d+)$")
    out = []
    for h in headers:
        m = pat.match(norm_header(h))
        if m and int(m.group(2)) not in numbers:
            out.append(h)
    return out


def _better_instrument(
    inst: Instrument, headers: list[str], n_items: int
) -> tuple[str, int] | None:
    """A built-in instrument that recognises more of ``headers`` as items."""
    from indeks.instruments import get_instrument, list_instruments

    best = None
    for other_id in list_instruments():
        if other_id == inst.id:
            continue
        other = get_instrument(other_id)
        m = match_columns(other, headers, suggest=False)
        if len(m.items) > n_items and (best is None or len(m.items) > best[1]):
            best = (other.id, len(m.items))
    return best


def _require(headers, name: str, what: str) -> str:
    if name in headers:
        return name
    normed = {norm_header(h): h for h in headers}
    if norm_header(name) in normed:
        return normed[norm_header(name)]
    close = _closest(name, headers)
    hint = f" Kolom yang mirip / closest: {', '.join(close)}." if close else ""
    raise ScoringInputError(
        f"Kolom {what} '{name}' tidak ada di data / {what} column '{name}' not found.{hint}"
    )


def match_columns(
    inst: Instrument,
    columns,
    mapping: dict[str, str] | str | Path | None = None,
    id_column: str | None = None,
    group_by: list[str] | None = None,
    form_column: str | None = None,
    unit_column: str | None = None,
    suggest: bool = True,
) -> ColumnMatch:
    headers = [str(c) for c in columns]
    normed = [norm_header(h) for h in headers]
    m = ColumnMatch()
    if isinstance(mapping, (str, Path)):
        mapping = load_mapping(mapping)
    mapping = {str(k).strip().lower(): v for k, v in (mapping or {}).items()}
    used: set[str] = set()

    item_ids = set(inst.item_ids)
    unknown = [k for k in mapping if k not in item_ids]
    if unknown and len(unknown) == len(mapping):
        raise ScoringInputError(
            f"Berkas pemetaan tidak menyebut butir {inst.id} / the mapping names no item of {inst.id}: {', '.join(unknown[:5])}"
        )
    for it in inst.items:
        if it.id in mapping:
            want = mapping[it.id]
            if want in headers:
                m.items[it.id] = want
            else:
                cand = [
                    h
                    for h in headers
                    if norm_header(h) == norm_header(want) or h.strip() == want.strip()
                ]
                if not cand:
                    m.missing[it.id] = _closest(want, headers)
                    continue
                m.items[it.id] = cand[0]
            m.how[it.id] = "mapping"
            used.add(m.items[it.id])
    # by id and aliases
    for it in inst.items:
        if it.id in m.items or it.id in m.missing:
            continue
        keys = [norm_header(it.id)] + [norm_header(a) for a in it.aliases]
        cands = []
        for key_i, key in enumerate(keys):
            hits = [h for h, n in zip(headers, normed, strict=True) if n == key and h not in used]
            if hits:
                cands = hits
                how = "id" if key_i == 0 else "alias"
                break
        if len(cands) == 1:
            m.items[it.id] = cands[0]
            m.how[it.id] = how
            used.add(cands[0])
        elif len(cands) > 1:
            m.ambiguous[it.id] = cands
            used.update(cands)
        else:
            m.missing[it.id] = _closest(it.id, [h for h in headers if h not in used]) or _closest(
                it.label, [h for h in headers if h not in used]
            )

    # by the items' standard question texts
    if m.missing:
        found = _text_matches(inst, [h for h in headers if h not in used], list(m.missing))
        for iid in [i for i in inst.item_ids if i in found]:
            h, sim = found[iid]
            del m.missing[iid]
            m.items[iid] = h
            m.how[iid] = "question_text"
            m.similarity[iid] = round(sim, 2)
            used.add(h)
        m.items = {i: m.items[i] for i in inst.item_ids if i in m.items}

    # special columns
    if id_column:
        m.id_column = _require(headers, id_column, "ID")
        m.id_how = "option"
    else:
        m.id_column = find_id_column([h for h in headers if h not in used], inst.id_aliases)
        m.id_how = "name" if m.id_column is not None else ""
    if form_column:
        m.form_column = _require(headers, form_column, "form")
    elif inst.form_aliases:
        m.form_column = _find_special(headers, normed, inst.form_aliases)
    if unit_column:
        m.unit_column = _require(headers, unit_column, "unit")
    elif inst.unit_aliases:
        m.unit_column = _find_special(headers, normed, inst.unit_aliases)
    for rule in inst.eligibility:
        col = _find_special(headers, normed, (rule.column,) + rule.aliases)
        if col is None:
            m.eligibility_missing[rule.id] = _closest(rule.column, headers)
        else:
            m.eligibility[rule.id] = col
    for g in group_by or []:
        m.groups.append(_require(headers, g, "kelompok/group"))
    special = {m.id_column, m.form_column, m.unit_column, *m.eligibility.values(), *m.groups}
    m.ignored = [h for h in headers if h not in used and h not in special]
    wanted = {norm_header(g) for g in inst.group_columns}
    m.declared_groups = [h for h in m.ignored if norm_header(h) in wanted]
    if suggest:
        m.item_like = _item_like(inst, m.ignored)
        if m.item_like or m.missing:
            m.better_instrument = _better_instrument(inst, headers, len(m.items))
    return m


def suggest_mapping(inst: Instrument, columns) -> pd.DataFrame:
    """A mapping file's rows, prefilled with the best guess per item, for the user to check.

    Columns: ``item``, ``column`` (the header; empty when nothing is close),
    ``confidence`` (1.00 for a match by id, alias or exact question text; the
    similarity otherwise), ``matched_by`` (``id``, ``alias``, ``question_text``, or
    ``guess`` for a header below :data:`TEXT_SIMILARITY` that the user must confirm,
    ``number`` for a header numbered like the item (``"5. ..."`` for item 5) with one
    header per number; each header is guessed for one item at most),
    ``question`` (the item's standard question text, or its label)."""
    headers = [str(c) for c in columns]
    m = match_columns(inst, headers, suggest=False)
    used = set(m.items.values())
    open_items = [it for it in inst.items if it.id not in m.items]
    free = [h for h in headers if h not in used]
    texts = {
        it.id: [norm_text(t) for t in (*it.question_texts, it.label) if t] for it in inst.items
    }

    def similarity(item_id: str, header: str) -> float:
        n = norm_text(header)
        return (
            max(
                (
                    difflib.SequenceMatcher(None, n, t, autojunk=False).ratio()
                    for t in texts[item_id]
                ),
                default=0.0,
            )
            if n
            else 0.0
        )

    guess: dict[str, tuple[str, float, str]] = {}  # item -> (header, confidence, how)
    # 1. numbered headers ("1. ...", "U1 -", "No. 3)"), one per number: item n <- header n
    numbered: dict[int, list[str]] = {}
    for h in free:
        hit = _LEADING_NUMBER.match(h.lower())
        if hit:
            numbered.setdefault(int(hit.group(1)), []).append(h)
    for pos, it in enumerate(inst.items, start=1):
        cands = numbered.get(it.number if it.number is not None else pos, [])
        if it in open_items and len(cands) == 1:
            guess[it.id] = (cands[0], round(similarity(it.id, cands[0]), 2), "number")
    # 2. the closest question text, each header given to one item only (best pairs first)
    taken = {h for h, _, _ in guess.values()}
    pairs = sorted(
        (
            (similarity(it.id, h), k, h, it.id)
            for k, it in enumerate(open_items)
            if it.id not in guess
            for h in free
            if h not in taken
        ),
        key=lambda p: (-p[0], p[1]),
    )
    for r, _, h, item_id in pairs:
        if r < 0.5:
            break
        if item_id not in guess and h not in taken:
            guess[item_id] = (h, round(r, 2), "guess")
            taken.add(h)
    rows = []
    for it in inst.items:
        question = it.text or it.text_en or it.label
        if it.id in m.items:
            how = m.how.get(it.id, "")
            conf = m.similarity.get(it.id, 1.0)
            rows.append((it.id, m.items[it.id], conf, how, question))
        elif it.id in guess:
            h, conf, how = guess[it.id]
            rows.append((it.id, h, conf, how, question))
        else:
            rows.append((it.id, "", 0.0, "", question))
    return pd.DataFrame(rows, columns=["item", "column", "confidence", "matched_by", "question"])
