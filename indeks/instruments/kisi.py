"""Kisi-kisi (questionnaire blueprint) <-> instrument definition.

:func:`read_kisi` reads the blueprint table Indonesian questionnaires come with
(dimensi/aspek/variabel, indikator, nomor butir, pernyataan, sifat +/-, bobot) from an
XLSX or CSV file, in the shapes people use: headers in Indonesian or English, a title
above the header, dimension cells merged over several rows, item numbers written
``"1"``, ``"1, 2, 3"`` or ``"1-5"``, direction as a column (``+``/``-``, positif/negatif,
favorable/unfavorable) or as two number columns (Favorable | Unfavorable).

:func:`definition_from_kisi` turns it into the text of a definition file: items and
domains from the kisi-kisi, scales and scoring rules from a base definition.  Every
guess is returned (and written into the file as a TOML comment); anything that cannot
be read is a :class:`KisiError` naming the cell.

:func:`write_kisi` writes any definition back as a kisi-kisi workbook a reviewer who
does not read TOML can check: items, dimensions, keys, weights, scales, category table,
rules and provisional notes.  Reading that workbook back with the same base gives the
same definition.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from indeks.errors import FileError
from indeks.i18n import catalogue, check_lang
from indeks.instruments.model import Instrument
from indeks.numbers import fraction_value

# what the importer says, in Bahasa Indonesia (default) and English
KISI_MESSAGES = catalogue("instruments/kisi")


def kisi_message(key: str, lang: str | None = None, **values: Any) -> str:
    """Entry ``key`` in ``lang``; a value that is itself an error or a :class:`Note` with a
    ``text(lang)`` (the loader's problems with a built definition, a word of another entry)
    is rendered in the same language."""
    from indeks.errors import IndeksError
    from indeks.i18n import tr

    vals = {k: v.text(lang) if isinstance(v, IndeksError | Note) else v for k, v in values.items()}
    return tr(KISI_MESSAGES[key], lang, **vals)


@dataclass(frozen=True)
class Note:
    """A guess of the importer, shown in either language."""

    key: str
    values: tuple[tuple[str, Any], ...]

    def text(self, lang: str | None = None) -> str:
        return kisi_message(self.key, lang, **dict(self.values))

    def __str__(self) -> str:
        return self.text("en")


# column-name patterns given to an imported definition whose base declares none
DEFAULT_ALIAS_PATTERNS = (
    "p{n}",
    "p{n:02d}",
    "q{n}",
    "q{n:02d}",
    "b{n}",
    "butir{n}",
    "butir_{n}",
    "item{n}",
    "no{n}",
    "{n}",
)


def _note(key: str, **values: Any) -> Note:
    return Note(key, tuple(values.items()))


class KisiError(FileError):
    """A kisi-kisi that cannot be read; the message names the file and the cell.

    ``str()`` is Bahasa Indonesia; ``text("en")`` English."""

    def __init__(self, key: str, path: Any = None, **values: Any):
        self.key = key
        self.values = {"path": path, **values}
        super().__init__(kisi_message(key, "id", **self.values), path)

    def text(self, lang: str | None = None) -> str:
        return kisi_message(self.key, lang, **self.values)


# ----------------------------------------------------------------------------- headers
def _norm(text: Any) -> str:
    t = str(text or "").replace("\u00a0", " ").strip().lower()
    t = re.sub(r"[\s_.:/]+", " ", t)
    return t.strip()


# role -> header texts (normalised); checked in order, exact first, then "starts with"
_HEADERS: dict[str, tuple[str, ...]] = {
    "item_id": ("id butir", "item id", "id item", "kode butir"),
    "domain_id": ("id dimensi", "domain id", "id domain", "kode dimensi"),
    "label": ("label", "label butir", "item label", "nama butir"),
    "form": ("formulir", "form", "responden"),
    "dimension": (
        "dimensi",
        "aspek",
        "variabel",
        "sub variabel",
        "subvariabel",
        "komponen",
        "faktor",
        "dimension",
        "aspect",
        "variable",
        "domain",
        "factor",
        "construct",
    ),
    "indicator": ("indikator", "indicator", "indikator perilaku", "sub dimensi", "sub aspek"),
    "number": (
        "nomor butir",
        "no butir",
        "nomor item",
        "no item",
        "nomor soal",
        "no soal",
        "nomor pernyataan",
        "no pernyataan",
        "item number",
        "item no",
        "no",
        "nomor",
        "number",
        "item",
        "butir",
    ),
    "text": (
        "pernyataan",
        "pertanyaan",
        "butir pernyataan",
        "bunyi butir",
        "teks butir",
        "statement",
        "question",
        "item text",
        "text",
        "butir",
        "item",
    ),
    "direction": (
        "sifat",
        "arah",
        "sifat butir",
        "arah butir",
        "kunci",
        "direction",
        "keying",
        "key",
        "polarity",
        "+ -",
        "+/-",
        "(+)/(-)",
    ),
    "positive": ("favorable", "favourable", "positif", "positive", "(+)", "+", "fav", "f"),
    "negative": (
        "unfavorable",
        "unfavourable",
        "negatif",
        "negative",
        "(-)",
        "-",
        "unfav",
        "uf",
    ),
    "weight": ("bobot", "weight", "bobot dimensi", "bobot (%)", "weight (%)", "bobot %"),
    "ignore": ("jumlah", "jumlah butir", "total", "jml", "keterangan", "ket", "catatan", "%"),
}

_POSITIVE = {
    "+",
    "(+)",
    "positif",
    "positive",
    "favorable",
    "favourable",
    "fav",
    "f",
    "p",
    "pos",
    "plus",
}
_NEGATIVE = {
    "-",
    "(-)",
    "\u2212",
    "(\u2212)",
    "negatif",
    "negative",
    "unfavorable",
    "unfavourable",
    "unfav",
    "uf",
    "n",
    "neg",
    "minus",
}


def _role(header: str) -> str | None:
    h = _norm(header)
    h = re.sub(r"\s+", " ", h)
    if not h:
        return None
    for role, names in _HEADERS.items():
        if h in names or h in {_norm(n) for n in names}:
            return role
    if re.search(r"\(\+\)|\+", h) and re.search(r"\(-\)|(^|\s)-($|\s)", h):
        return "direction"  # "(+)/(-)", "+ / -"
    # "Favorable (+)", "Nomor Butir Favorable", "Pernyataan (Indonesia)", "Bobot (%)" ...
    if re.search(r"\bunfav|\bnegatif|\bnegative|\(-\)|\(\u2212\)", h):
        return "negative"
    if re.search(r"\bfav|\bpositif|\bpositive|\(\+\)", h):
        return "positive"
    for role in ("item_id", "domain_id", "weight", "indicator", "dimension", "direction", "text"):
        for n in _HEADERS[role]:
            if len(n) > 3 and h.startswith(n):
                return role
    if h.startswith(("no ", "nomor ", "nomer ")):
        return "number"
    return None


# ----------------------------------------------------------------------------- cells
@dataclass
class _Sheet:
    name: str
    rows: list[list[Any]]  # values, merged cells filled from their top-left cell
    merged: set[tuple[int, int]]  # (row, col) that got their value from a merged range
    is_csv: bool = False

    def cell(self, r: int, c: int) -> str:
        """A1-style name of a cell (0-based row and column)."""
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(c + 1)}{r + 1}"


def _read_sheets(path: Path, sheet: str | None, lang: str = "id") -> list[_Sheet]:
    from indeks.limits import check_file_size, check_regular_file, check_xlsx

    st = check_regular_file(path, lang)  # no devices, FIFOs, /dev/zero behind a link
    check_file_size(path, st.st_size, lang)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
            delim = dialect.delimiter
        except csv.Error:
            delim = ","
        table: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delim)]
        return [_Sheet(path.name, table, set(), is_csv=True)]
    if suffix not in (".xlsx", ".xlsm"):
        raise KisiError("not_kisi_type", path, ext=suffix or "-")
    import warnings

    from openpyxl import load_workbook

    check_xlsx(path, lang)  # zip-bomb checks before the workbook is unpacked
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, data_only=True)
    except Exception as exc:  # zip/XML errors of a damaged workbook
        raise KisiError("unreadable_xlsx", path, error=type(exc).__name__) from None
    out = []
    names = wb.sheetnames
    if sheet is not None:
        if sheet not in names:
            raise KisiError("no_sheet", path, sheet=sheet, sheets=", ".join(names))
        names = [sheet]
    for name in names:
        ws = wb[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        merged: set[tuple[int, int]] = set()
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) == (rng.min_row, rng.min_col):
                        continue
                    while len(rows) < r:
                        rows.append([])
                    row = rows[r - 1]
                    while len(row) < c:
                        row.append(None)
                    row[c - 1] = top
                    merged.add((r - 1, c - 1))
        out.append(_Sheet(name, rows, merged))
    return out


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


# ----------------------------------------------------------------------------- model
@dataclass
class KisiItem:
    number: int
    text: str
    dimension: str
    indicator: str = ""
    reverse: bool = False
    item_id: str = ""
    domain_id: str = ""
    label: str = ""
    form: str = ""
    cell: str = ""  # where the item number was read


@dataclass
class Kisi:
    """A kisi-kisi as read: items in number order, dimensions in order of appearance."""

    path: str
    items: list[KisiItem]
    dimensions: list[str]
    weights: dict[str, Fraction]  # dimension -> bobot (may be empty)
    domain_ids: dict[str, str]  # dimension -> domain id
    guesses: list[Note] = field(default_factory=list)


def _numbers(value: Any, where: str, path: str) -> list[int]:
    """Item numbers of a cell: 5, "5", "1, 2, 3", "1-5", "1 s.d. 5", "1-3, 7"."""
    if _blank(value):
        return []
    if isinstance(value, bool):
        raise KisiError("not_number", path, cell=where, value=repr(value))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise KisiError("not_whole", path, cell=where, value=repr(value))
        if not 0 < value < 100000:
            raise KisiError("number_range", path, cell=where, value=repr(value))
        return [int(value)]
    text = str(value).strip()
    text = re.sub(r"\s*(s\.?\s*d\.?|sampai|to|hingga|\u2013|\u2014)\s*", "-", text, flags=re.I)
    out: list[int] = []
    for part in re.split(r"[,;/]|\s+dan\s+|\s+and\s+|\s+", text):
        part = part.strip().rstrip(".")
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b or b - a > 1000:
                raise KisiError("bad_range", path, cell=where, text=text, part=part)
            out.extend(range(a, b + 1))
        elif re.fullmatch(r"\d+", part):
            out.append(int(part))
        elif re.fullmatch(r"\d+\.0+", part):
            out.append(int(float(part)))
        else:
            raise KisiError("bad_numbers", path, cell=where, text=text)
    if any(n <= 0 for n in out):
        raise KisiError("numbers_from_1", path, cell=where)
    return out


def _direction(value: Any, where: str, path: str) -> bool | None:
    if _blank(value):
        return None
    t = _norm(value).replace(" ", "")
    if t in {_norm(x).replace(" ", "") for x in _POSITIVE}:
        return False
    if t in {_norm(x).replace(" ", "") for x in _NEGATIVE}:
        return True
    # "Positif (+)", "Negatif (-)", "Unfavorable (UF)": one direction named, not both
    neg = re.search(r"unfav|negati|\(-\)|\(\u2212\)", t)
    pos = re.search(r"(?<!un)fav|positi|\(\+\)", t)
    if neg and not pos:
        return True
    if pos and not neg:
        return False
    raise KisiError("bad_direction", path, cell=where, value=str(value))


def _weight(value: Any, where: str, path: str) -> Fraction | None:
    if _blank(value):
        return None
    from indeks.numbers import to_fraction

    text = value
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip().replace(",", ".")
    try:
        w = to_fraction(text)
    except (ValueError, ZeroDivisionError, TypeError):
        raise KisiError("bad_weight", path, cell=where, value=str(value)) from None
    if w < 0 or w >= 10**9:
        raise KisiError("weight_range", path, cell=where, value=str(value))
    return w


def slug(text: str, prefix: str = "d") -> str:
    """A definition id from a label: lower case ASCII letters, digits and '_'."""
    import unicodedata

    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = re.sub(r"\(.*?\)", " ", t)  # "Regulasi Diri (Self Regulation)" -> "regulasi_diri"
    t = re.sub(r"[^a-z0-9]+", "_", t.lower()).strip("_")
    t = re.sub(r"^[0-9_]+", "", t)
    t = t[:40].rstrip("_")
    return t or prefix


def _find_header(sheet: _Sheet) -> tuple[int, dict[int, str]] | None:
    best = None
    for r, row in enumerate(sheet.rows[:30]):
        roles: dict[int, str] = {}
        for c, v in enumerate(row):
            if isinstance(v, str) and (role := _role(v)):
                roles[c] = role
        found = set(roles.values())
        useful = ("number" in found or "positive" in found) and (
            "dimension" in found or "domain_id" in found
        )
        if useful and (best is None or len(roles) > len(best[1])):
            best = (r, roles)
    return best


def _resolve_roles(
    roles: dict[int, str], sheet: _Sheet, hr: int, guesses: list[Note]
) -> dict[str, int]:
    """One column per role; "butir"/"item" is the number column when it holds numbers."""
    out: dict[str, int] = {}
    for c, role in roles.items():
        if role == "ignore":
            continue
        header = _norm(sheet.rows[hr][c])
        if role in ("number", "text") and header.startswith(("butir", "item")):
            vals = [
                row[c]
                for row in sheet.rows[hr + 1 : hr + 40]
                if c < len(row) and not _blank(row[c])
            ]
            numeric = sum(bool(re.fullmatch(r"[\d\s,;\-]+", str(v).strip())) for v in vals)
            role = "number" if vals and numeric >= len(vals) / 2 else "text"
            if role == "number" and "number" in out:
                if _norm(sheet.rows[hr][out["number"]]) in ("no", "nomor"):
                    del out["number"]  # "No" was the row counter
                else:
                    role = "text"
            guesses.append(
                _note(
                    "g_column",
                    header=sheet.rows[hr][c],
                    cell=sheet.cell(hr, c),
                    what=_note("what_numbers" if role == "number" else "what_statements"),
                )
            )
        if role == "number" and "number" in out:
            # "No" (row counter) followed by "Nomor butir": the later, more specific one wins
            if _norm(sheet.rows[hr][out["number"]]) in ("no", "nomor"):
                out["number"] = c
            continue
        if role in out:
            continue
        out[role] = c
    return out


def read_kisi(path: str | Path, sheet: str | None = None, lang: str = "id") -> Kisi:
    """Read a kisi-kisi table from an XLSX or CSV file (``lang``: of limit messages)."""
    p = Path(path)
    name = str(p)
    if not p.is_file():
        raise KisiError("not_found" if not p.exists() else "not_regular", p)
    sheets = _read_sheets(p, sheet, lang)
    found = None
    for sh in sheets:
        h = _find_header(sh)
        if h is not None:
            found = (sh, *h)
            break
    if found is None:
        raise KisiError("no_table", p)
    sh, hr, roles0 = found
    guesses: list[Note] = []
    cols = _resolve_roles(roles0, sh, hr, guesses)
    if "number" not in cols and "positive" not in cols:
        raise KisiError("no_number_column", p, sheet=sh.name, row=hr + 1)
    has_split = "positive" in cols or "negative" in cols
    items: dict[int, KisiItem] = {}
    dims: list[str] = []
    weights: dict[str, Fraction] = {}
    weight_cell: dict[str, str] = {}
    domain_ids: dict[str, str] = {}
    current_dim = ""
    current_ind = ""
    filled_blank = 0
    dcol = cols.get("dimension", cols.get("domain_id"))

    def get(row: list[Any], role: str) -> Any:
        c = cols.get(role)
        if c is None or c >= len(row):
            return None
        return row[c]

    texts_from_list: dict[int, str] = {}
    for r in range(hr + 1, len(sh.rows)):
        row = sh.rows[r]
        if all(_blank(v) for v in row):
            continue
        dim_v = get(row, "dimension")
        if _blank(dim_v) and "dimension" not in cols:
            dim_v = get(row, "domain_id")
        num_cells: list[tuple[Any, bool | None, int]] = []
        if "number" in cols:
            num_cells.append((get(row, "number"), None, cols["number"]))
        if "positive" in cols:
            num_cells.append((get(row, "positive"), False, cols["positive"]))
        if "negative" in cols:
            num_cells.append((get(row, "negative"), True, cols["negative"]))
        first = str(next((v for v in row if not _blank(v)), "")).strip().lower()
        if first.startswith(("jumlah", "total", "jml")):
            continue  # a totals row
        if all(_blank(v) for v, _, _ in num_cells):
            if not _blank(dim_v):
                current_dim = str(dim_v).strip()  # a dimension heading row
                continue
            if _blank(get(row, "text")):
                continue  # a note or an empty indicator row
            raise KisiError(
                "statement_without_number",
                p,
                cell=sh.cell(r, cols.get("number", cols.get("positive", 0))),
                text=str(get(row, "text"))[:40],
            )
        if _blank(dim_v):
            if not current_dim:
                raise KisiError("no_dimension", p, cell=sh.cell(r, dcol if dcol is not None else 0))
            if dcol is not None and (r, dcol) not in sh.merged:
                filled_blank += 1
        else:
            current_dim = str(dim_v).strip()
        ind_v = get(row, "indicator")
        if not _blank(ind_v):
            current_ind = str(ind_v).strip()
        elif "indicator" in cols and (r, cols["indicator"]) not in sh.merged and _blank(dim_v):
            pass  # keep the indicator from above
        else:
            current_ind = "" if _blank(ind_v) and not _blank(dim_v) else current_ind
        dim = current_dim
        if dim not in dims:
            dims.append(dim)
        did = get(row, "domain_id")
        if not _blank(did):
            did = str(did).strip()
            if domain_ids.get(dim, did) != did:
                raise KisiError("two_ids", p, cell=sh.cell(r, cols["domain_id"]), dim=dim)
            domain_ids[dim] = did
        w = _weight(get(row, "weight"), sh.cell(r, cols.get("weight", 0)), name)
        if w is not None:
            if dim in weights and weights[dim] != w:
                raise KisiError(
                    "two_weights",
                    p,
                    cell=sh.cell(r, cols["weight"]),
                    w=w,
                    dim=dim,
                    other=weight_cell[dim],
                    w2=weights[dim],
                )
            weights[dim] = w
            weight_cell.setdefault(dim, sh.cell(r, cols["weight"]))
        text_v = get(row, "text")
        text = "" if _blank(text_v) else str(text_v).strip()
        dir_v = get(row, "direction")
        row_dir = _direction(dir_v, sh.cell(r, cols.get("direction", 0)), name)
        all_numbers: list[tuple[int, bool | None, str]] = []
        for v, rev, c in num_cells:
            for n in _numbers(v, sh.cell(r, c), name):
                all_numbers.append((n, rev, sh.cell(r, c)))
        if len(all_numbers) > 1 and text:
            raise KisiError(
                "one_statement_many",
                p,
                cell=sh.cell(r, cols["text"]),
                numbers=", ".join(str(n) for n, _, _ in all_numbers),
            )
        for n, rev, where in all_numbers:
            if n in items:
                raise KisiError("number_twice", p, cell=where, n=n, other=items[n].cell)
            reverse = rev if rev is not None else row_dir
            if reverse is None:
                reverse = False
                if not has_split:
                    guesses.append(_note("g_no_direction", n=n, cell=where))
            iid = get(row, "item_id")
            items[n] = KisiItem(
                number=n,
                text=text,
                dimension=dim,
                indicator=current_ind,
                reverse=bool(reverse),
                item_id="" if _blank(iid) or len(all_numbers) > 1 else str(iid).strip(),
                label="" if _blank(get(row, "label")) else str(get(row, "label")).strip(),
                form="" if _blank(get(row, "form")) else str(get(row, "form")).strip(),
                cell=where,
            )
    if not items:
        raise KisiError("no_items", p, sheet=sh.name, row=hr + 1)
    # statements listed in another table (No | Pernyataan) when the kisi has none
    if "text" not in cols:
        for other in sheets:
            if other is sh:
                continue
            texts_from_list.update(_statement_list(other, name))
        for n, t in texts_from_list.items():
            if n in items:
                items[n].text = t
        if texts_from_list:
            guesses.append(_note("g_statement_list", n=len(texts_from_list)))
    if filled_blank:
        guesses.append(_note("g_blank_dimension", n=filled_blank))
    nums = sorted(items)
    missing = sorted(set(range(1, nums[-1] + 1)) - set(nums))
    if missing:
        guesses.append(_note("g_missing_numbers", numbers=_ranges_text(missing), n=len(nums)))
    return Kisi(name, [items[n] for n in nums], dims, weights, domain_ids, guesses)


def _statement_list(sheet: _Sheet, path: str) -> dict[int, str]:
    for r, row in enumerate(sheet.rows[:30]):
        roles = {c: _role(v) for c, v in enumerate(row) if isinstance(v, str)}
        num = [c for c, ro in roles.items() if ro == "number"]
        txt = [c for c, ro in roles.items() if ro == "text" and c not in num]
        if num and txt and "dimension" not in roles.values():
            out = {}
            for rr in range(r + 1, len(sheet.rows)):
                row2 = sheet.rows[rr]
                v = row2[num[0]] if num[0] < len(row2) else None
                t = row2[txt[0]] if txt[0] < len(row2) else None
                if _blank(v) or _blank(t):
                    continue
                ns = _numbers(v, sheet.cell(rr, num[0]), path)
                if len(ns) == 1:
                    out[ns[0]] = str(t).strip()
            return out
    return {}


def _ranges_text(nums: list[int]) -> str:
    parts = []
    start = prev = nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


# ----------------------------------------------------------------------------- to TOML
def _base_raw(base: str | Path | Instrument) -> tuple[dict[str, Any], Instrument]:
    from indeks.instruments import resolve_instrument

    inst = resolve_instrument(base)
    raw = tomllib.loads(Path(inst.path).read_text(encoding="utf-8-sig"))
    return raw, inst


def _short_label(text: str, n: int) -> str:
    if not text:
        return f"Butir {n}"
    t = " ".join(text.split())
    return t if len(t) <= 60 else t[:57].rstrip() + "..."


def definition_from_kisi(
    kisi: Kisi,
    base: str | Path | Instrument,
    *,
    instrument_id: str | None = None,
    name: str | None = None,
    lang: str = "id",
) -> tuple[str, list[str]]:
    """Text of a definition file built from ``kisi`` with the rules of ``base``.

    Returns the TOML text and the list of guesses in ``lang`` (also written into the text
    as comments).  The text is checked with the loader before it is returned.
    """
    raw, binst = _base_raw(base)
    guesses = list(kisi.guesses)
    base_raw_items = (
        {it["id"]: it for it in raw["items"]} if isinstance(raw.get("items"), list) else {}
    )
    base_domains = {d["id"]: d for d in raw["domains"]}
    template = raw["domains"][0]
    defaults = raw.get("item_defaults", {})
    default_scale = defaults.get("scale") or binst.items[0].scale
    width = max(2, len(str(kisi.items[-1].number)))

    # domains
    dom_id: dict[str, str] = {}
    used: set[str] = set()
    for dim in kisi.dimensions:
        did = kisi.domain_ids.get(dim) or slug(dim)
        if not kisi.domain_ids.get(dim):
            guesses.append(_note("g_domain_id", dim=dim, id=did))
        base_did = did
        k = 2
        while did in used or did in ("index", "index_converted", "category", "status", "reason"):
            did = f"{base_did}_{k}"
            k += 1
        used.add(did)
        dom_id[dim] = did

    # items
    items_out: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    no_form: list[int] = []
    for ki in kisi.items:
        iid = ki.item_id or f"b{ki.number:0{width}d}"
        if iid in seen_ids:
            raise KisiError("id_twice", kisi.path, cell=ki.cell, id=iid)
        seen_ids.add(iid)
        entry: dict[str, Any] = {"id": iid}
        b = base_raw_items.get(iid, {})
        m = re.search(r"(\d+)$", iid)
        if not (m and int(m.group(1)) == ki.number):
            entry["number"] = ki.number
        entry["label"] = (
            ki.label
            or (b.get("label") if b and not ki.text else None)
            or _short_label(ki.text, ki.number)
        )
        if ki.text:
            entry["text"] = ki.text
        entry["domain"] = dom_id[ki.dimension]
        if ki.reverse:
            entry["reverse"] = True
        for key in ("scale", "labels", "aliases", "text_en", "texts", "placeholder"):
            if key in b:
                entry[key] = b[key]
        if "scale" not in entry and default_scale != defaults.get("scale"):
            entry["scale"] = default_scale
        form = ki.form or b.get("form")
        if len(binst.forms) > 1:
            if not form:
                form = next(iter(binst.forms))
                no_form.append(ki.number)
            if form not in binst.forms:
                # a form label ("Orang tua") instead of its id
                for f in binst.forms.values():
                    if _norm(form) in {
                        _norm(f.label),
                        _norm(f.label_en),
                        *(_norm(v) for v in f.values),
                    }:
                        form = f.id
                        break
                else:
                    raise KisiError(
                        "unknown_form",
                        kisi.path,
                        cell=ki.cell,
                        form=ki.form,
                        base=binst.id,
                        forms=", ".join(binst.forms),
                    )
            entry["form"] = form
        if ki.indicator:
            entry["_indicator"] = ki.indicator
        items_out.append(entry)

    if no_form:
        guesses.append(
            _note("g_no_form", numbers=_ranges_text(no_form), form=next(iter(binst.forms)))
        )

    # domain tables
    domains_out = []
    for dim in kisi.dimensions:
        did = dom_id[dim]
        members = [e for e in items_out if e["domain"] == did]
        if did in base_domains:
            d = dict(base_domains[did])
            d["label"] = dim
        else:
            d = {k: v for k, v in template.items() if k not in ("id", "label", "label_en")}
            d = {"id": did, "label": dim, "label_en": dim, **d}
            n_t = len(binst.domain(template["id"]).items)
            mins = template.get("min_answered", 1)
            new: int | dict[str, int]
            if isinstance(mins, int):
                new = _scaled_min(mins, n_t, len(members))
            else:
                new = {r: _scaled_min(v, n_t, len(members)) for r, v in mins.items()}
            d["min_answered"] = new
            guesses.append(
                _note(
                    "g_domain_rules",
                    dim=dim,
                    method=template.get("method"),
                    min=new,
                    base_domain=template["id"],
                    n_base=n_t,
                    n=len(members),
                )
            )
        domains_out.append(d)

    # index
    index = dict(raw["index"]) if "index" in raw else None
    dids = [dom_id[d] for d in kisi.dimensions]
    if index is not None:
        if kisi.weights:
            missing_w = [d for d in kisi.dimensions if d not in kisi.weights]
            if missing_w:
                raise KisiError("some_weights", kisi.path, dims=", ".join(map(repr, missing_w)))
            ws = {dom_id[d]: kisi.weights[d] for d in kisi.dimensions}
            if index.get("method") != "weighted_mean":
                guesses.append(_note("g_weighted", method=index.get("method")))
                index = {k: v for k, v in index.items() if k != "domains"}
                index["method"] = "weighted_mean"
            base_w = raw["index"].get("weights", {})
            index["weights"] = {
                d: base_w[d]
                if d in base_w and binst.index and binst.index.weights.get(d) == w
                else fraction_value(w)
                for d, w in ws.items()
            }
            total = sum(ws.values(), Fraction(0))
            declared = binst.index.weights_sum if binst.index else None
            index["weights_sum"] = (
                raw["index"]["weights_sum"]
                if declared is not None and declared == total
                else fraction_value(total)
            )
        elif index.get("method") == "weighted_mean":
            base_w = index.get("weights", {})
            if all(d in base_w for d in dids) and set(base_w) == set(dids):
                pass
            else:
                index["weights"] = {d: 1 for d in dids}
                index["weights_sum"] = len(dids)
                guesses.append(_note("g_equal_weights"))
        else:
            index["domains"] = dids
    # categories and prepost follow the new domain ids
    categories = []
    raw_cats = raw.get("categories", [])
    for t in [raw_cats] if isinstance(raw_cats, dict) else raw_cats:
        t = dict(t)
        if t.get("on") not in ("index", "index_converted") and t.get("on") not in dids:
            raise KisiError("category_domain", kisi.path, on=t.get("on"))
        if "domains" in t:
            t["domains"] = [d for d in t["domains"] if d in dids] or (
                dids if set(t["domains"]) == set(base_domains) else []
            )
            if not t["domains"]:
                del t["domains"]
        categories.append(t)
    prepost = dict(raw["prepost"]) if "prepost" in raw else None
    if prepost is not None:
        if "domains" in prepost:
            kept = [d for d in prepost["domains"] if d in dids]
            prepost["domains"] = kept or dids
        if (
            prepost.get("score") not in ("index", "mean_of_domains")
            and prepost.get("score") not in dids
        ):
            prepost["score"] = "index" if index is not None else "mean_of_domains"
            guesses.append(_note("g_prepost", score=prepost["score"]))

    iid = instrument_id or f"{binst.id}-kisi"
    doc: dict[str, Any] = {
        "id": iid,
        "name": name or f"{binst.name} ({Path(kisi.path).name})",
        "version": "1",
        "status": raw.get("status", "provisional"),
        "description": (
            f"Items and dimensions from the kisi-kisi {Path(kisi.path).name}; scales and scoring rules "
            f"from {binst.id} {binst.version}."
        ),
        "sources": [f"kisi-kisi {Path(kisi.path).name}", *binst.sources],
    }
    if "alias_patterns" in raw:
        doc["alias_patterns"] = raw["alias_patterns"]
    elif any(not ki.item_id for ki in kisi.items):
        # ids made here (b01...) name no column of the officer's export, which usually
        # heads the answers by item number (P1, Q01, Butir 1, 1.)
        doc["alias_patterns"] = list(DEFAULT_ALIAS_PATTERNS)
        guesses.append(_note("g_alias_patterns", patterns=", ".join(DEFAULT_ALIAS_PATTERNS)))
    provisional = [p for p in raw.get("provisional", []) if p.get("key") != "items"]
    missing = _missing_for(raw, binst, len(items_out), guesses)
    raw = {**raw, "missing": missing} if missing is not None else raw
    if doc["status"] == "provisional" and not provisional:
        doc["status"] = "official"
    text = _emit(
        doc,
        items_out,
        provisional,
        raw,
        domains_out,
        index,
        categories,
        prepost,
        [g.text(lang) for g in guesses],
        kisi,
        binst,
        lang,
    )
    from indeks.instruments.loader import DefinitionError, parse_definition_text

    try:
        parse_definition_text(text, f"<{iid}>")
    except DefinitionError as exc:
        raise KisiError(
            "invalid_result",
            kisi.path,
            base=binst.id,
            problems=exc,
        ) from None
    return text, [g.text(lang) for g in guesses]


def _missing_for(
    raw: dict[str, Any], binst: Instrument, n_items: int, guesses: list[Note]
) -> dict[str, Any] | None:
    """The base's [missing] with assessment minimums fitted to the new number of items."""
    if "missing" not in raw:
        return None
    miss: dict[str, Any] = json.loads(json.dumps(raw["missing"]))
    n_base = len(binst.items)
    for name, rule in miss.get("rules", {}).items():
        m = rule.get("assessment_min_answered")
        if not isinstance(m, int) or m <= 1:
            continue
        new = n_items if m >= n_base else _scaled_min(m, n_base, n_items)
        if new != m:
            rule["assessment_min_answered"] = new
            guesses.append(_note("g_missing_rule", rule=name, n=new, m=m, n_base=n_base))
    return miss


def _scaled_min(m: int, n_template: int, n_new: int) -> int:
    if m <= 0:
        return 0
    return max(1, min(n_new, math.ceil(m * n_new / max(1, n_template))))


# minimal TOML writer for the definition subset (comments need hand-written output)
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Fraction):
        return _value(fraction_value(v))
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v).__name__)


def _table(name: str, d: dict[str, Any], out: list[str], array: bool = False) -> None:
    out.append(f"[[{name}]]" if array else f"[{name}]")
    subs = []
    for k, v in d.items():
        if isinstance(v, dict) and not array and k not in ("weights", "transform", "min_answered"):
            subs.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            out.append(f"{_key(k)} = [")
            out.extend(f"  {_value(x)}," for x in v)
            out.append("]")
        else:
            out.append(f"{_key(k)} = {_value(v)}")
    for k, v in subs:
        _table(f"{name}.{_key(k)}", v, out)


def _emit(
    doc: dict[str, Any],
    items: list[dict[str, Any]],
    provisional: list[dict[str, Any]],
    raw: dict[str, Any],
    domains: list[dict[str, Any]],
    index: dict[str, Any] | None,
    categories: list[dict[str, Any]],
    prepost: dict[str, Any] | None,
    guesses: list[str],
    kisi: Kisi,
    binst: Instrument,
    lang: str,
) -> str:
    def comment(key: str, **kw: Any) -> list[str]:
        return [f"# {line}" for line in kisi_message(key, lang, **kw).split("\n")]

    out = [f"# {doc['name']}"]
    out += comment("c_made", file=Path(kisi.path).name)
    out += comment("c_parts", base=binst.id, version=binst.version)
    if guesses:
        out.append("#")
        out += comment("c_guesses")
        out.extend(f"#   - {' '.join(g.split())}" for g in guesses)
    out.append("")
    for k, v in doc.items():
        if k == "sources":
            out.append("sources = [")
            out.extend(f"  {_value(s)}," for s in v)
            out.append("]")
        else:
            out.append(f"{k} = {_value(v)}")
    out.append("")
    out.append("items = [")
    current = None
    for e in items:
        ind = e.pop("_indicator", "")
        if ind and ind != current:
            out.append(f"  # indikator: {' '.join(ind.split())}")
            current = ind
        out.append(f"  {_value(e)},")
    out.append("]")
    out.append("")
    for p in provisional:
        _table("provisional", p, out, array=True)

    def tables(name: str, *values: Any, array: bool = False) -> None:
        """Each of ``values`` as table ``name`` after a blank line (``[[name]]`` with array)."""
        for v in values:
            out.append("")
            _table(name, v, out, array=array)

    for key in (
        "columns",
        "missing",
        "scales",
        "label_sets",
        "item_defaults",
        "forms",
        "sample_size",
    ):
        if key in raw:
            if key in ("scales", "label_sets", "forms"):
                for sub, v in raw[key].items():
                    tables(f"{key}.{_key(sub)}", v)
            else:
                tables(key, raw[key])
    tables("eligibility", *raw.get("eligibility", []), array=True)
    tables("domains", *domains, array=True)
    if index is not None:
        tables("index", index)
    for key in ("conversion", "aggregation"):
        if key in raw:
            tables(key, raw[key])
    tables("categories", *categories, array=True)
    if prepost is not None:
        tables("prepost", prepost)
    out.append("")
    out += comment("c_examples")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- export
def _words(key: str, lang: str) -> list[str]:
    """A header row of the exported workbook: entry ``key``, words separated by " | "."""
    return kisi_message(key, lang).split(" | ")


def _item_number(inst: Instrument, i: int) -> int:
    it = inst.items[i]
    if it.number is not None:
        return it.number
    return i + 1


def kisi_rows(inst: Instrument) -> list[list[Any]]:
    """The kisi-kisi table of a definition: one row per item, in the items' order."""
    rows = []
    weights = (
        inst.index.weights
        if inst.index is not None and inst.index.method == "weighted_mean"
        else {}
    )
    multi_form = len(inst.forms) > 1
    domain_ids = [d.id for d in inst.domains]

    def domain_id(i: int) -> str:
        did = inst.items[i].domain
        if did is None:  # the loader puts every item in a domain
            raise ValueError(f"item {inst.items[i].id} is in no domain")
        return did

    order = sorted(range(len(inst.items)), key=lambda i: domain_ids.index(domain_id(i)))
    for k, i in enumerate(order, start=1):
        it = inst.items[i]
        d = inst.domain(domain_id(i))
        w = weights.get(d.id)
        rows.append(
            [
                k,
                d.label,
                "",
                _item_number(inst, i),
                it.text,
                "negatif" if it.reverse else "positif",
                None
                if w is None
                else (int(w) if w.denominator == 1 else f"{w.numerator}/{w.denominator}"),
                it.id,
                d.id,
                it.label,
                it.form if multi_form else "",
            ]
        )
    return rows


def write_kisi(inst: Instrument, path: str | Path, lang: str = "id") -> Path:
    """Write ``inst`` as a kisi-kisi workbook (.xlsx) or its main table as .csv."""
    target = Path(path)
    lang = check_lang(lang)
    head = _words("x_head", lang)
    rows = kisi_rows(inst)
    if target.suffix.lower() == ".csv":
        text_buf = io.StringIO()
        w = csv.writer(text_buf)
        w.writerow(head)
        for values in rows:
            w.writerow(["" if v is None else v for v in values])
        _atomic_write(target, text_buf.getvalue().encode("utf-8-sig"))
        return target
    if target.suffix.lower() != ".xlsx":
        raise KisiError("write_type", target)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Kisi-kisi"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    _put(ws, 1, 1, kisi_message("x_title", lang, name=inst.name), bold)
    status = inst.status + (" (PROVISIONAL)" if inst.is_provisional else "")
    _put(ws, 2, 1, f"{inst.id} {inst.version}, status {status}")
    hr = 4
    for c, h in enumerate(head, start=1):
        _put(ws, hr, c, h, bold, fill)
    for r, row in enumerate(rows, start=hr + 1):
        for c, v in enumerate(row, start=1):
            _put(ws, r, c, v)
    # merge the dimension (and weight) cells of consecutive rows, as kisi-kisi are drawn
    start = hr + 1
    for r in range(hr + 1, hr + 2 + len(rows)):
        at_end = r == hr + 1 + len(rows)
        if at_end or rows[r - hr - 1][8] != rows[start - hr - 1][8]:
            if r - 1 > start:
                for col in (2, 7, 9):
                    ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
                    ws.cell(start, col).alignment = Alignment(vertical="top", wrap_text=True)
            start = r
    for letter, width in zip("ABCDEFGHIJK", (5, 28, 18, 9, 60, 9, 10, 12, 18, 30, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(hr + 1, 1)
    r = hr + len(rows) + 2
    for k, key in enumerate(("x_reviewed_by", "x_date", "x_signature")):
        _put(ws, r + k, 1, kisi_message(key, lang), bold)

    _scales_sheet(wb, inst, bold, fill, lang)
    _rules_sheet(wb, inst, bold, fill, lang)
    _categories_sheet(wb, inst, bold, fill, lang)
    if inst.provisional:
        sh = _sheet(wb, "x_provisional", lang, bold, fill)
        for r, n in enumerate(inst.provisional, start=2):
            _put(sh, r, 1, n.key)
            _put(sh, r, 2, n.note)
            sh.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
        sh.column_dimensions["A"].width = 22
        sh.column_dimensions["B"].width = 100
    out = io.BytesIO()
    wb.save(out)
    _atomic_write(target, out.getvalue())
    return target


def _put(ws: Any, r: int, c: int, v: Any, font: Any = None, fill: Any = None) -> None:
    cell = ws.cell(r, c)
    if isinstance(v, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        v = ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)
        cell.value = v
        cell.data_type = "s"  # text, never a formula, even when it starts with "="
    else:
        cell.value = v
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill


def _sheet(wb: Any, key: str, lang: str, bold: Any, fill: Any) -> Any:
    """A new sheet named by entry ``<key>_sheet`` with the header row ``<key>_head``."""
    sh = wb.create_sheet(kisi_message(f"{key}_sheet", lang))
    for c, h in enumerate(_words(f"{key}_head", lang), 1):
        _put(sh, 1, c, h, bold, fill)
    return sh


def _scales_sheet(wb: Any, inst: Instrument, bold: Any, fill: Any, lang: str) -> None:
    sh = _sheet(wb, "x_scales", lang, bold, fill)
    r = 2
    for s in inst.scales.values():
        first = True
        for code in range(s.min, s.max + 1):
            _put(sh, r, 1, s.id if first else "")
            _put(sh, r, 2, s.min if first else None)
            _put(sh, r, 3, s.max if first else None)
            _put(sh, r, 4, code)
            _put(sh, r, 5, " / ".join(s.labels.get(code, ())))
            _put(sh, r, 6, ", ".join(f"{m:g}" for m in s.missing_codes) if first else "")
            first = False
            r += 1
    for col, w in zip("ABCDEF", (14, 6, 6, 8, 60, 18), strict=True):
        sh.column_dimensions[col].width = w


def _rules_sheet(wb: Any, inst: Instrument, bold: Any, fill: Any, lang: str) -> None:
    sh = _sheet(wb, "x_rules", lang, bold, fill)
    weights = inst.index.weights if inst.index is not None else {}
    for r, d in enumerate(inst.domains, start=2):
        w = weights.get(d.id)
        vals = (
            d.label,
            d.id,
            d.method,
            len(d.items),
            ", ".join(f"{k}: {v}" for k, v in d.min_answered.items()),
            d.transform_text(),
            d.precision,
            "" if w is None else str(w),
        )
        for c, v in enumerate(vals, 1):
            _put(sh, r, c, v)
    r = len(inst.domains) + 3
    lines = []
    if inst.index is not None:
        lines.append(
            ("index", f"{inst.index.method}; {inst.index.label}; precision {inst.index.precision}")
        )
        if inst.index.weights_sum is not None:
            lines.append(("weights_sum", str(inst.index.weights_sum)))
    if inst.conversion is not None:
        lines.append(
            (
                "conversion",
                f"index x {inst.conversion.multiply} + {inst.conversion.add}; precision {inst.conversion.precision}",
            )
        )
    lines.append(("aggregation", inst.aggregation.method))
    for rule in inst.missing_rules:
        lines.append((f"missing: {rule}", inst.missing_rule_notes.get(rule, "")))
    for e in inst.eligibility:
        lines.append(
            (
                f"eligibility: {e.column}",
                f"{e.min if e.min is not None else ''}..{e.max if e.max is not None else ''}",
            )
        )
    for k, v in lines:
        _put(sh, r, 1, k, bold)
        _put(sh, r, 2, v)
        r += 1
    for letter, width in zip("ABCDEFGH", (34, 22, 18, 8, 22, 26, 10, 10), strict=True):
        sh.column_dimensions[letter].width = width


def _categories_sheet(wb: Any, inst: Instrument, bold: Any, fill: Any, lang: str) -> None:
    sh = _sheet(wb, "x_categories", lang, bold, fill)
    r = 2
    for t in inst.categories:
        for b in t.bands:
            vals = (
                t.name or "utama",
                t.on,
                t.precision,
                b.code,
                b.label,
                b.label_en,
                float(b.min),
                None if b.max is None else float(b.max),
            )
            for c, v in enumerate(vals, 1):
                _put(sh, r, c, v)
            r += 1
    for col, w in zip("ABCDEFGH", (12, 16, 10, 8, 22, 22, 10, 10), strict=True):
        sh.column_dimensions[col].width = w


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file (mkstemp makes it 0600)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_definition(text: str, path: str | Path) -> Path:
    target = Path(path)
    _atomic_write(target, text.encode("utf-8"))
    return target
