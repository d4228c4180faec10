"""Audit a report file (DOCX, TXT or PDF) directly: find the printed figures and the
claims about the history by themselves, attribute them to indicators, and compare
them with the recomputation of a workspace.

What is read:

* **tables** whose rows name an indicator (columns target, realisasi, capaian / %,
  status, year), tables of one indicator's history (a year column, in that
  indicator's section), a column headed with the section indicator's name (e.g.
  "Nilai Kinerja" in the NKA section), the status groups of the executive summary
  (the paragraph before a table says "melebihi / sesuai / di bawah target"), and the
  budget table (pagu, realisasi, sisa, %);
* **sentences** that mention an indicator (by name, by an acronym the report or the
  workspace gives, or inside the indicator's section) with figures: "target ... 77
  indeks", "tercapai 75,446 indeks", "103,73%" (a capaian), "dari 77 indeks menjadi
  75 indeks", "meningkat dari capaian 2022 sebesar 6,428 indeks" (a difference);
  budget sentences with rupiah amounts and their percentages;
* **claims** about the history in sentences: "(tidak) mencapai / melampaui target"
  over a year, a list or a range of years, "meningkat / menurun / tidak mengalami
  perubahan" between years.

A figure whose role (target, realisasi, capaian) a keyword gives is compared and
flagged when it disagrees; a figure without a keyword is attributed only when it
equals the target or the realisasi of its year, and is listed as not attributable
otherwise: nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from indeks.errors import IndeksError
from indeks.i18n import catalogue, check_lang, decimal_comma, tr
from indeks.lkip.check import capaian_hint
from indeks.lkip.compute import Computation, IndicatorResult
from indeks.lkip.formulas import status as status_of
from indeks.numbers import format_half_up

# --------------------------------------------------------------------------- reading


class ReportError(IndeksError):
    """The report file cannot be read."""


@dataclass
class Block:
    """A paragraph or a table of the report, in reading order."""

    kind: str  # "paragraph" | "table"
    number: int  # 1-based, per kind
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    page: int | None = None


MSG = catalogue("lkip/report")


def _tr(key: str, lang: str, **kw) -> str:
    return tr(MSG[key], lang, **kw)


def read_report(path: str | Path, lang: str = "id") -> list[Block]:
    """Paragraphs and tables of a .docx, .txt or .pdf file, in reading order."""
    path = Path(path)
    if not path.exists():
        raise ReportError(_tr("not_found", lang, file=path))
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            blocks = _read_docx(path)
        elif suffix in (".txt", ".text", ".md"):
            blocks = read_text(path.read_text(encoding="utf-8", errors="replace"))
        elif suffix == ".pdf":
            blocks = _read_pdf(path)
        else:
            raise ReportError(_tr("unsupported", lang, file=path.name))
    except ReportError:
        raise
    except Exception as exc:  # a damaged file: one message, no traceback
        raise ReportError(_tr("unreadable", lang, file=path.name, error=exc)) from None
    if not any(b.text.strip() or b.rows for b in blocks):
        raise ReportError(_tr("no_text", lang, file=path.name))
    return blocks


_SEPARATOR = re.compile(r"^[\s\-=_|]+$")


def read_text(text: str, page: int | None = None, start: tuple[int, int] = (0, 0)) -> list[Block]:
    """Blocks of plain text: tab-separated lines are table rows (consecutive rows make a
    table), other lines are joined into paragraphs at blank lines and bullets."""
    blocks: list[Block] = []
    np_, nt = start
    para: list[str] = []
    table: list[list[str]] = []

    def flush_para():
        nonlocal np_
        if para:
            np_ += 1
            blocks.append(Block("paragraph", np_, " ".join(para), page=page))
            para.clear()

    def flush_table():
        nonlocal nt
        if table:
            nt += 1
            blocks.append(Block("table", nt, rows=[list(r) for r in table], page=page))
            table.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        if "\t" in line and line.strip():
            if _SEPARATOR.match(line.replace("\t", " ")):
                continue
            flush_para()
            table.append([c.strip() for c in line.split("\t")])
            continue
        flush_table()
        s = line.strip()
        if not s or _SEPARATOR.match(s):
            flush_para()
            continue
        if re.match(r"^([-•✚+*]|[a-z]\.|\d+\.)\s", s) and para:
            flush_para()
        para.append(s)
    flush_para()
    flush_table()
    return blocks


def _read_docx(path: Path) -> list[Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    blocks: list[Block] = []
    np_ = nt = 0
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(el, doc).text.strip()
            if text:
                np_ += 1
                blocks.append(Block("paragraph", np_, text))
        elif tag == "tbl":
            nt += 1
            rows = []
            for row in Table(el, doc).rows:
                cells = []
                prev = None
                for c in row.cells:
                    # merged cells repeat: keep the first occurrence only
                    cells.append("" if c._tc is prev else c.text.strip())
                    prev = c._tc
                rows.append(cells)
            blocks.append(Block("table", nt, rows=rows))
    return blocks


def _read_pdf(path: Path) -> list[Block]:
    """Text of each page in layout mode (pypdf); aligned columns become table rows."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    blocks: list[Block] = []
    np_ = nt = 0
    for i, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text(extraction_mode="layout") or ""
        except Exception:  # older layouts: plain extraction
            text = page.extract_text() or ""
        bs = read_text(layout_tables(text), page=i, start=(np_, nt))
        for b in bs:
            if b.kind == "paragraph":
                np_ = b.number
            else:
                nt = b.number
        blocks.extend(bs)
    return blocks


_GAP = re.compile(r"\S(?:\S| (?! ))*")  # a cell: text without a run of 2+ spaces


def _cells(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _GAP.finditer(line)]


def layout_tables(text: str) -> str:
    """Turn column-aligned lines of a layout-mode PDF text into tab-separated rows.

    A block of lines with three or more cells separated by runs of spaces is a table;
    its first line gives the columns, each cell goes to the nearest column, and a
    line whose first column is empty continues the row above (wrapped cells)."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        cells = _cells(lines[i])
        if len(cells) < 3:
            out.append(lines[i].strip())
            i += 1
            continue
        cols = [((s + e) / 2, s) for s, e, _ in cells]
        rows: list[list[str]] = []
        while i < len(lines):
            cs = _cells(lines[i])
            if not cs:
                # one blank line between rows (a PDF's row spacing) when the table goes on
                nxt = _cells(lines[i + 1]) if i + 1 < len(lines) else []
                if len(nxt) >= 2 and abs(nxt[0][0] - cols[0][1]) <= 1:
                    i += 1
                    continue
                break
            if len(cs) < 2 and (not rows or cs[0][0] <= cols[0][1] + 1):
                break
            row = [""] * len(cols)
            for s, e, txt in cs:
                centre = (s + e) / 2
                j = min(range(len(cols)), key=lambda k: abs(cols[k][0] - centre))
                row[j] = (row[j] + " " + txt).strip()
            starts_row = bool(row[0]) and cs[0][0] <= cols[0][1] + 1
            if not rows or starts_row:
                rows.append(row)
            else:
                prev = rows[-1]
                for j, v in enumerate(row):
                    if v:
                        prev[j] = (prev[j] + " " + v).strip()
            i += 1
        for r in rows:
            out.append("\t".join(r))
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- words

_STOP = {
    "dan",
    "atau",
    "yang",
    "terhadap",
    "pada",
    "di",
    "dalam",
    "dengan",
    "untuk",
    "dari",
    "the",
    "of",
    "and",
    "bnn",
    "kota",
    "kabupaten",
}
_NORMAL = {"narkotika": "narkoba", "penyalahguna": "penyalah", "pecandu": "pecandu"}


def _words(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[a-zA-Z]+", text.lower()):
        w = _NORMAL.get(w, w)
        out.append(w)
    return out


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if w not in _STOP and len(w) > 1]


@dataclass
class _Ind:
    result: IndicatorResult
    words: set[str]
    aliases: set[str]
    unit_word: str  # "indeks", "%", "orang", ...

    @property
    def number(self) -> int:
        return self.result.number


def _name_score(ind: _Ind, text_words: list[str]) -> float:
    if not ind.words:
        return 0.0
    present = ind.words & set(text_words)
    return len(present) / len(ind.words)


def _best_match(cands, words: list[str], fwd: float, back: float):
    """The candidate (obj, word set) whose words best cover ``words`` and are covered
    by them (both at least the given shares), unique; else None."""
    ws = set(words)
    if not ws:
        return None
    scored = []
    for obj, cw in cands:
        if not cw:
            continue
        both = len(cw & ws)
        f, b = both / len(cw), both / len(ws)
        if f >= fwd and b >= back:
            scored.append((f + b, obj))
    scored.sort(key=lambda x: -x[0])
    if not scored or (len(scored) > 1 and scored[1][0] >= scored[0][0] - 1e-9):
        return None
    return scored[0][1]


def _best_in_cell(inds: list[_Ind], cell: str) -> _Ind | None:
    """The indicator a table cell names (most of its name's words), or None."""
    ws = _content(cell)
    if len(ws) < 2:
        return None
    scored = []
    for ind in inds:
        s = _name_score(ind, ws)
        # the cell's own words should mostly be the indicator's
        back = len(set(ws) & ind.words) / len(set(ws))
        scored.append((s + back, s, back, ind))
    scored.sort(key=lambda x: -x[0])
    total, s, back, ind = scored[0]
    if s < 0.6 or back < 0.6:
        return None
    if len(scored) > 1 and scored[1][0] >= total - 0.05:
        return None  # ambiguous
    return ind


# --------------------------------------------------------------------------- figures in text

_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:-|–|—|s\.?\s?d\.?|sampai(?:\s+dengan)?|hingga|to|until)\s*(?:tahun\s+)?((?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
_NUM = re.compile(
    r"(?<![\w/.,-])(Rp\.?\s?)?(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?)(,-)?(?![\w/]|[.,]\d)",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(r"^\s?(%|persen\b|indeks\b|index\b|orang\b|lembaga\b|unit\b|poin\b)", re.I)
_SPELLED = re.compile(r"^\s?\(\s?[a-z ]+\)", re.I)


@dataclass
class _Tok:
    kind: str  # "word" | "num" | "year" | "range"
    text: str
    pos: int
    value: Fraction | None = None
    decimals: int = 0
    unit: str = ""  # "%", "indeks", "rp", "orang", ...
    years: tuple[int, ...] = ()

    @property
    def number(self) -> Fraction:
        """The value of a "num" token (the only kind that has one)."""
        if self.value is None:
            raise ValueError(f"not a figure: {self.text!r}")
        return self.value


def _parse_number(text: str) -> tuple[Fraction, int]:
    s = text.strip()
    if s.count(",") > 1:  # 1,619,544,593: English thousands
        s = s.replace(",", "")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif s.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", s) and len(s) > 7:
        s = s.replace(".", "")
    dec = len(s.split(".")[1]) if "." in s else 0
    return Fraction(s), dec


def _tokens(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    spans: list[tuple[int, int, _Tok]] = []
    for m in _RANGE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b <= a + 30:
            spans.append(
                (
                    m.start(),
                    m.end(),
                    _Tok("range", m.group(0), m.start(), years=tuple(range(a, b + 1))),
                )
            )
    taken = [(s, e) for s, e, _ in spans]

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    for m in _NUM.finditer(text):
        if not free(m.start(), m.end()):
            continue
        rp, digits = m.group(1), m.group(2)
        after = text[m.end() :]
        unit = ""
        end = m.end()
        um = _UNIT_AFTER.match(after)
        if rp:
            unit = "rp"
        elif um:
            unit = um.group(1).lower()
            unit = "%" if unit in ("%", "persen") else unit
            end = m.end() + um.end()
        value, dec = _parse_number(digits)
        after_tahun = re.search(r"\b(tahun|year|ta\.?)\s*$", text[: m.start()], re.I)
        if (
            not rp
            and unit != "%"
            and dec == 0
            and 1900 <= value <= 2100
            and (not unit or after_tahun)
        ):
            spans.append((m.start(), m.end(), _Tok("year", digits, m.start(), years=(int(value),))))
            continue
        if not rp and not unit and _SPELLED.match(after):
            continue  # "2 (dua)": a count in words, not a figure
        spans.append(
            (m.start(), end, _Tok("num", text[m.start() : end], m.start(), value, dec, unit))
        )
    spans.sort(key=lambda x: x[0])
    pos = 0
    for s, e, tok in spans:
        for w in re.finditer(r"[A-Za-zÀ-ÿ]+", text[pos:s]):
            toks.append(_Tok("word", w.group(0).lower(), pos + w.start()))
        toks.append(tok)
        pos = e
    for w in re.finditer(r"[A-Za-zÀ-ÿ]+", text[pos:]):
        toks.append(_Tok("word", w.group(0).lower(), pos + w.start()))
    return toks


_ABBREV = re.compile(r"\b(rp|ta|no|nomor|dll|dsb|s\.d|mk|pb|tgl|jl|dr|ir|h)\.$", re.I)


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (not at "Rp.", "TA.", numbers or initials)."""
    out = []
    start = 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z“\"(])", text):
        head = text[start : m.end()]
        if _ABBREV.search(head) or re.search(r"\b[A-Z]\.$", head):
            continue
        out.append(head.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


# --------------------------------------------------------------------------- findings


@dataclass
class Finding:
    """One printed figure or claim compared with the recomputation."""

    indicator: int | None  # None: budget
    name: str
    what: str  # "capaian 2024 (%)", "target 2021", "klaim: mencapai target (2020-2024)"
    printed: str
    recomputed: str
    ok: bool
    location: str
    note: str = ""
    kind: str = "figure"  # figure | claim
    role: str = ""  # target | realisasi | capaian | status | diff | met | change | budget.*
    year: int | None = None


@dataclass
class ReportAudit:
    """The result of auditing a report file against a workspace."""

    source: Path
    format: str
    findings: list[Finding] = field(default_factory=list)
    unattributed: list[tuple[str, str]] = field(default_factory=list)  # (location, figure)
    unchecked: list[str] = field(default_factory=list)
    lang: str = "id"

    @property
    def disagreements(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]

    @property
    def figures_checked(self) -> int:
        return sum(1 for f in self.findings if f.kind == "figure")

    @property
    def claims_checked(self) -> int:
        return sum(1 for f in self.findings if f.kind == "claim")

    @property
    def ok(self) -> bool:
        return not self.disagreements


# --------------------------------------------------------------------------- the auditor

_TARGET_WORDS = {"target", "ditetapkan", "targeted"}
_REAL_WORDS = {
    "realisasi",
    "realisasinya",
    "terealisasi",
    "terelalisasi",
    "tercapai",
    "capaian",
    "pencapaian",
    "mencapai",
    "dicapai",
    "realised",
    "realisation",
}
_UP = {"naik", "meningkat", "kenaikan", "peningkatan", "bertambah", "rose", "increased"}
_DOWN = {"turun", "menurun", "penurunan", "berkurang", "fell", "decreased"}
_SAME_WORDS = {"perubahan", "tetap", "sama", "unchanged"}
_NEG = {"tidak", "belum", "not", "never", "tanpa"}
_BARE_BEFORE = {
    "sebesar",
    "adalah",
    "target",
    "realisasi",
    "tercapai",
    "terealisasi",
    "terelalisasi",
    "menjadi",
    "dari",
    "sebanyak",
    "of",
    "is",
    "was",
    "to",
}
_BARE_AFTER = {"atau", "dan", "dengan", "dari", "pada", "sedangkan", "yaitu", "or", "and", "in"}
_DIFF_BETWEEN = {"dari", "tahun", "capaian", "sebesar", "yaitu", "by", "from", "year", "sebanyak"}
_CLAUSE_SPLIT = re.compile(r";|\bsedangkan\b|\bnamun\b|\btetapi\b|\bbut\b|\bwhereas\b", re.I)
_STATUS_GROUPS = (
    (re.compile(r"melebihi target|above target", re.I), "melebihi target"),
    (re.compile(r"sesuai target|on target", re.I), "sesuai target"),
    (re.compile(r"di ?bawah target|below target", re.I), "di bawah target"),
)


def _fmt(value: float | Fraction, decimals: int, lang: str) -> str:
    return format_half_up(float(value), decimals, decimal_comma=decimal_comma(lang))


def _rp(value: float) -> str:
    return f"{abs(int(round(value))):,}".replace(",", ".")


class _Auditor:
    def __init__(self, comp: Computation, lang: str, source: Path, fmt: str):
        self.comp = comp
        self.ws = comp.workspace
        self.year = self.ws.year
        self.lang = lang
        self.out = ReportAudit(source, fmt, lang=lang)
        self.inds: list[_Ind] = []
        for r in comp.indicators:
            ind = r.indicator
            aliases = {a.lower() for a in re.findall(r"\(([A-Z][A-Za-z]{1,9})\)", ind.name)}
            src = ind.source
            if src is not None and src.kind == "instrument" and src.instrument:
                aliases.add(Path(src.instrument).stem.lower())
            unit = ind.unit.strip().lower()
            self.inds.append(
                _Ind(r, set(_content(re.sub(r"\(.*?\)", "", ind.name))), aliases, unit)
            )
        self.by_number = {i.number: i for i in self.inds}
        # sasaran headings
        self.sasaran = [(s, set(_content(s.name))) for s in self.ws.sasaran]
        self.context: list[_Ind] = []  # indicators of the current section
        self.status_group: str | None = None
        self.seen: set[tuple] = set()

    # ------------------------------------------------------------- values
    def series(self, ind: _Ind, year: int):
        for p in ind.result.series(self.year):
            if p.year == year:
                return p
        return None

    def value(self, ind: _Ind, role: str, year: int):
        p = self.series(ind, year)
        if p is None:
            return None
        return {"target": p.target, "realisasi": p.realisasi, "capaian": p.capaian}[role]

    def _hint(self, ind: _Ind, printed: Fraction, dec: int, year: int) -> str:
        cap = self.value(ind, "capaian", year)
        if cap is None:
            return ""
        return capaian_hint(
            cap,
            printed,
            dec,
            realisasi=self.value(ind, "realisasi", year),
            realisasi_decimals=ind.result.indicator.precision,
            other_years=[
                (p.year, p.capaian) for p in ind.result.series(self.year) if p.year != year
            ],
            lang=self.lang,
        )

    def figure(
        self, ind: _Ind, role: str, year: int, tok: _Tok, location: str, note: str = ""
    ) -> bool | None:
        """Compare one printed figure; None when there is nothing to compare with."""
        rec = self.value(ind, role, year)
        if rec is None:
            self.out.unchecked.append(
                f"{location}: IKK {ind.number} {_tr(role, self.lang, year=year)} = {tok.text}"
            )
            return None
        dec = tok.decimals
        ok = format_half_up(rec, dec) == format_half_up(float(tok.number), dec)
        if not ok and role == "capaian" and not note:
            note = self._hint(ind, tok.number, dec, year)
        shown = max(dec, 2 if role == "capaian" else dec)
        self.add(
            Finding(
                ind.number,
                ind.result.name,
                _tr(role, self.lang, year=year),
                tok.text.strip(),
                _fmt(rec, shown, self.lang),
                ok,
                location,
                note,
                "figure",
                role,
                year,
            )
        )
        return ok

    def add(self, f: Finding) -> None:
        key = (f.indicator, f.what, f.printed, f.location)
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.findings.append(f)

    def matches(self, ind: _Ind, role: str, year: int, tok: _Tok) -> bool:
        rec = self.value(ind, role, year)
        return rec is not None and format_half_up(rec, tok.decimals) == format_half_up(
            float(tok.number), tok.decimals
        )

    # ------------------------------------------------------------- context
    def heading(self, text: str) -> bool:
        """A section heading: a sasaran name (sets the indicators in context) or a
        chapter / part heading (clears it).  True when the block was a heading."""
        if len(text) > 300 or _NUM.search(
            re.sub(r"^\s*(?:IKK|Indikator)?\s*\d+\.|\b(19|20)\d{2}\b", "", text, flags=re.I)
        ):
            return False
        ws = _content(text)
        if not ws:
            return False
        sas = _best_match(self.sasaran, ws, 0.8, 0.6)
        if sas is not None:
            self.context = [i for i in self.inds if i.result.indicator.sasaran == sas.id]
            return True
        if re.match(r"^\s*(IKK|Indikator)\s*\d+", text, re.I):  # "IKK 3. Indeks ..."
            ind = _best_match([(i, i.words) for i in self.inds], ws, 0.8, 0.5)
            if ind is not None:
                self.context = [ind]
                return True
        letters = re.sub(r"[^A-Za-z]", "", text)
        if (
            len(text) < 90
            and letters
            and (letters.isupper() or re.match(r"^\s*(BAB|CHAPTER)\b", text, re.I))
        ):
            self.context = []
            return True
        return False

    def mentioned(self, toks: list[_Tok]) -> list[tuple[int, _Ind]]:
        """(token index, indicator) of every indicator the sentence names."""
        words = [(i, t.text) for i, t in enumerate(toks) if t.kind == "word"]
        out = []
        for ind in self.inds:
            hit = None
            for i, w in words:
                if w in ind.aliases:
                    hit = i
                    break
            if hit is None and ind.words:
                n = len(ind.words)
                span = n + 4
                normal = [(i, _NORMAL.get(w, w)) for i, w in words]
                for k in range(len(normal)):
                    window = {w for _, w in normal[k : k + span]}
                    if len(window & ind.words) / n >= 0.75 and normal[k][1] in ind.words:
                        hit = normal[k][0]
                        break
            if hit is not None:
                out.append((hit, ind))
        return sorted(out, key=lambda x: x[0])

    def learn_aliases(self, text: str) -> None:
        """ "Nilai Kinerja Anggaran (NKA)": NKA is an alias of that indicator."""
        for m in re.finditer(r"([A-Za-z][A-Za-z /]{6,120}?)\s*\(([A-Z][A-Za-z]{1,9})\)", text):
            words = _content(m.group(1))[-8:]
            scored = []
            for ind in self.inds:
                tail = set(words[-len(ind.words) :]) if ind.words else set()
                if ind.words and tail:
                    both = len(ind.words & tail)
                    scored.append((both / len(ind.words) + both / len(tail), ind))
            scored.sort(key=lambda x: -x[0])
            if scored and scored[0][0] >= 1.3 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
                scored[0][1].aliases.add(m.group(2).lower())

    # ------------------------------------------------------------- paragraphs
    def paragraph(self, b: Block) -> None:
        text = b.text
        self.learn_aliases(text)
        if self.heading(text):
            self.status_group = None
            return
        group = None
        for rx, st in _STATUS_GROUPS:
            if rx.search(text) and re.search(r"\bindikator|\bindicator|\bcapaian", text, re.I):
                group = st
        self.status_group = group if (group and len(text) < 400) else None
        running_year: int | None = None
        running_role: str | None = None
        for sent in sentences(text):
            running_year, running_role = self.sentence(b, sent, running_year, running_role)

    def loc_para(self, b: Block, sent: str, tok: _Tok | None = None) -> str:
        s = " ".join(sent.split())
        if len(s) > 150:
            at = s.find(tok.text.strip()) if tok is not None else -1
            lo = max(0, at - 90) if at >= 0 else 0
            s = ("…" if lo else "") + s[lo : lo + 150].strip() + "…"
        page = _tr("page", self.lang, n=b.page) if b.page else ""
        return page + _tr("para_loc", self.lang, p=b.number, excerpt=s)

    def sentence(self, b: Block, sent: str, running_year, running_role):
        toks = _tokens(sent)
        nums = [t for t in toks if t.kind == "num"]
        ments = self.mentioned(toks)
        if any(t.unit == "rp" for t in nums):
            self.budget_sentence(b, sent, toks)
            return running_year, running_role
        candidates = [ind for _, ind in ments] or list(self.context)
        if not candidates:
            return running_year, running_role
        # clauses
        clause_starts = [0] + [m.end() for m in _CLAUSE_SPLIT.finditer(sent)]
        for ci, cstart in enumerate(clause_starts):
            cend = clause_starts[ci + 1] if ci + 1 < len(clause_starts) else len(sent) + 1
            ctoks = [t for t in toks if cstart <= t.pos < cend]
            running_year, running_role = self.clause(
                b, sent, ctoks, candidates, running_year, running_role
            )
        return running_year, running_role

    def clause(
        self,
        b: Block,
        sent: str,
        toks: list[_Tok],
        candidates: list[_Ind],
        running_year: int | None,
        running_role: str | None,
    ) -> tuple[int | None, str | None]:
        ments = self.mentioned(toks)  # positions in this clause's tokens
        named = [ind for _, ind in ments]
        if not named and len(candidates) > 1:
            # several indicators in the section: a unit word in the clause narrows them
            units = {t.text for t in toks if t.kind == "word"} | {
                t.unit for t in toks if t.kind == "num"
            }
            narrowed = [c for c in candidates if c.unit_word in units]
            if narrowed:
                candidates = narrowed

        def is_comparison(i: int) -> bool:
            prev = [t.text for t in toks[max(0, i - 3) : i] if t.kind == "word"]
            return (
                prev[-1:] in (["dari"], ["from"], ["than"], ["ke"])
                or prev[-2:] in (["dari", "tahun"], ["dari", "capaian"], ["from", "year"])
                or prev[-3:] == ["dari", "capaian", "tahun"]
            )

        explicit: list[int] = []
        comparison: list[int] = []
        ranges: list[tuple[int, ...]] = []
        for i, t in enumerate(toks):
            if t.kind == "range":
                ranges.append(t.years)
            elif t.kind == "year":
                (comparison if is_comparison(i) else explicit).append(t.years[0])
        # ---- figures
        cur_year = running_year
        cur_role: str | None = None
        role_at = -100
        role_word = ""
        subject: str | None = None  # the role named first in the clause ("target ... menurun")
        last_change = -1
        pending_from: int | None = None
        for i, t in enumerate(toks):
            if t.kind == "year":
                if not is_comparison(i):
                    cur_year = t.years[0]
                else:
                    pending_from = t.years[0]
                continue
            if t.kind == "range":
                cur_year = None
                continue
            if t.kind == "word":
                w = t.text
                prevw = toks[i - 1].text if i > 0 and toks[i - 1].kind == "word" else ""
                nxt = toks[i + 1].text if i + 1 < len(toks) and toks[i + 1].kind == "word" else ""
                if w in _TARGET_WORDS:
                    cur_role = "realisasi" if prevw in ("capaian", "pencapaian") else "target"
                    role_at, role_word = i, w
                elif w in _REAL_WORDS and nxt != "target":
                    cur_role, role_at, role_word = "realisasi", i, w
                elif w in _UP or w in _DOWN:
                    last_change = i
                if subject is None and cur_role is not None:
                    subject = cur_role
                continue
            # a number
            prev_words = [x.text for x in toks[max(0, i - 3) : i] if x.kind == "word"]
            nextw = toks[i + 1].text if i + 1 < len(toks) and toks[i + 1].kind == "word" else ""
            if not t.unit and not t.decimals:
                # a bare whole number is a figure only right after a figure word
                if not prev_words or prev_words[-1] not in _BARE_BEFORE:
                    continue
                if nextw and nextw not in _BARE_AFTER:
                    continue
            after = [x for x in toks[i + 1 : i + 4]]
            after_year = None
            gap = sent[t.pos + len(t.text) : after[0].pos] if after else ""
            if re.search(r"[,;:.]", gap):
                after = []  # "86,60 indeks, pada tahun 2022 ...": the year starts a new part
            if (
                len(after) >= 3
                and after[0].text in ("pada", "in")
                and after[1].text in ("tahun", "year")
                and after[2].kind == "year"
            ):
                after_year = after[2].years[0]
            elif len(after) >= 2 and after[0].text == "in" and after[1].kind == "year":
                after_year = after[1].years[0]
            if after_year is not None:
                years = [after_year]
            elif cur_year is not None:
                years = [cur_year]
            else:
                before = [x for x in toks[:i] if x.kind == "range"]
                years = list(before[-1].years) if before else [running_year or self.year]
            loc = self.loc_para(b, sent, t)
            ind = self.pick(t, i, ments, candidates)
            if ind is None:
                if t.unit or t.decimals:
                    self.out.unattributed.append((loc, t.text.strip()))
                continue
            # "dari X menjadi Y": X belongs to the year compared with
            if prev_words[-1:] == ["dari"] and pending_from is not None:
                self.figure_or_list(ind, subject or "target", pending_from, t, loc)
                continue
            if prev_words[-1:] == ["menjadi"] and subject is not None:
                for y in years:
                    self.figure_or_list(ind, subject, y, t, loc)
                continue
            # a difference: "meningkat (dari capaian 2022) sebesar X"
            if (
                last_change >= 0
                and t.unit != "%"
                and all(
                    x.kind == "year" or (x.kind == "word" and x.text in _DIFF_BETWEEN)
                    for x in toks[last_change + 1 : i]
                )
            ):
                y1 = years[0]
                later = [x.years[0] for x in toks[i + 1 :] if x.kind == "year" and x.years[0] != y1]
                if pending_from is not None:
                    y0 = pending_from
                elif later:
                    y0 = later[0]  # "turun 0,01 indeks dari 0,51 indeks pada tahun 2022"
                else:
                    role_ = "target" if subject == "target" else "realisasi"
                    earlier = [
                        y
                        for y in ind_years([ind])
                        if y < y1 and self.value(ind, role_, y) is not None
                    ]
                    y0 = earlier[-1] if earlier else y1 - 1
                if self.diff(ind, y0, y1, t, loc, subject):
                    continue
            role: str | None
            scoped = cur_role if i - role_at <= 8 else None
            if t.unit == "%" and ind.unit_word != "%":
                role = "capaian"
            elif t.unit == "%":
                # an indicator in percent: "capaian ... X%" is the capaian, as is the
                # second of "X% atau (sebesar) Y%"
                prior = [x for x in toks[:i] if x.kind == "num" and x.unit == "%"]
                if (prior and "atau" in prev_words) or (scoped and role_word == "capaian"):
                    role = "capaian"
                else:
                    role = scoped
            else:
                role = scoped
            for y in years:
                if role is None:
                    # no keyword close by: attribute only to what it equals
                    roles = ("realisasi", "target") + (("capaian",) if t.unit == "%" else ())
                    hit = next((rl for rl in roles if self.matches(ind, rl, y, t)), None)
                    if hit is None:
                        self.out.unattributed.append((loc, t.text.strip()))
                    else:
                        self.figure(ind, hit, y, t, loc)
                else:
                    self.figure_or_list(ind, role, y, t, loc)
        # ---- claims
        self.claims(b, sent, toks, ments, candidates, explicit, comparison, ranges, running_year)
        if explicit:
            running_year = explicit[-1]
        return running_year, running_role

    def figure_or_list(self, ind, role, year, tok, loc):
        if self.value(ind, role, year) is None and self.series(ind, year) is None:
            self.out.unattributed.append((loc, tok.text))
            return
        self.figure(ind, role, year, tok, loc)

    def pick(self, t: _Tok, i, ments, candidates) -> _Ind | None:
        """The indicator a figure belongs to: by its unit word among the candidates,
        else the nearest indicator named before it, else the only candidate."""
        if t.unit and t.unit not in ("%", "rp"):
            same = [c for c in candidates if c.unit_word == t.unit]
            if len(same) == 1:
                return same[0]
            if not same and t.unit not in ("indeks", "index", "poin"):
                return None
        before = [ind for pos, ind in ments if pos < i]
        if before:
            return before[-1]
        if len(candidates) == 1:
            return candidates[0]
        return None

    def diff(self, ind, y0, y1, tok, loc, role) -> bool:
        role = "target" if role == "target" else "realisasi"
        a = self.value(ind, role, y1)
        b0 = self.value(ind, role, y0)
        if a is None or b0 is None:
            return False
        # a figure after "meningkat ... sebesar" that equals the year's own value is
        # that value, not a difference
        if self.matches(ind, role, y1, tok):
            self.figure(ind, role, y1, tok, loc)
            return True
        d = abs(Fraction(str(a)) - Fraction(str(b0)))
        dec = tok.decimals
        ok = format_half_up(float(d), dec) == format_half_up(float(tok.number), dec)
        self.add(
            Finding(
                ind.number,
                ind.result.name,
                _tr("diff", self.lang, what=role, y1=y1, y0=y0),
                tok.text.strip(),
                _fmt(d, max(dec, 2), self.lang),
                ok,
                loc,
                "",
                "figure",
                "diff",
                y1,
            )
        )
        return True

    # ------------------------------------------------------------- claims
    def claims(
        self,
        b: Block,
        sent: str,
        toks: list[_Tok],
        ments: list[tuple[int, _Ind]],
        candidates: list[_Ind],
        explicit: list[int],
        comparison: list[int],
        ranges: list[tuple[int, ...]],
        running_year: int | None,
    ) -> None:
        words = [t.text for t in toks if t.kind == "word"]
        # numbers stay in the text as "#": "target 66 indeks tercapai" is no claim
        text = " ".join(t.text if t.kind == "word" else "#" for t in toks)
        inds = [ind for _, ind in ments] or candidates
        if not inds:
            return
        # years the claim is about
        if explicit and ranges and len(explicit) > 1:
            years = explicit
        elif ranges:
            years = list(ranges[-1])
            if len(ranges) > 1:
                years = sorted({y for r in ranges for y in r})
        elif explicit:
            years = explicit
        else:
            years = [running_year or self.year]
        m = re.search(
            r"(?:(tidak|belum)\s+(?:pernah\s+)?)?(mencapai|melampaui|melebihi|memenuhi)\s+(?:\w+\s+){0,1}target",
            text,
        )
        m2 = re.search(r"target\s+(?:(tidak|belum)\s+(?:pernah\s+)?)?(?:selalu\s+)?tercapai", text)
        m3 = re.search(r"(?:(tidak|belum)\s+(?:pernah\s+)?)?tercapai\s+pada\s+tahun", text)
        m4 = re.search(r"target\s+was\s+(never\s+|not\s+)?met", text) or re.search(
            r"(not\s+)?met\s+in\b", text
        )
        kind = None
        neg = False
        if m:
            neg = bool(m.group(1))
            kind = "exceed" if m.group(2) in ("melampaui", "melebihi") and not neg else "met"
        elif m2:
            neg, kind = bool(m2.group(1)), "met"
        elif m3:
            neg, kind = bool(m3.group(1)), "met"
        elif m4 and "target" in " ".join(w.lower() for w in re.findall(r"[A-Za-z]+", sent)):
            neg, kind = bool(m4.group(1)), "met"
        if kind is not None:
            for ind in inds:
                self.met_claim(b, sent, ind, years, kind, neg)
        # change claims
        up = [i for i, w in enumerate(words) if w in _UP]
        down = [i for i, w in enumerate(words) if w in _DOWN]
        same = bool(
            re.search(
                r"(tidak|belum)\s+(terjadi|mengalami|ada)\s+perubahan|tetap sama|stayed the same|tidak mengalami penurunan maupun peningkatan|tidak mengalami peningkatan maupun penurunan|\bsama dengan tahun|\bequals that of",
                text,
            )
        )
        direction = None
        if same:
            direction = "same"
        elif up or down:
            first = min(up + down)
            negated = any(w in _NEG for w in words[max(0, first - 3) : first])
            if negated:
                direction = None
            else:
                direction = "up" if first in up else "down"
                if "pernah" in words[max(0, first - 3) : first]:
                    direction = None
        if direction is None:
            return
        # the years compared (each reading is a list of (earlier, later) pairs; the
        # claim holds when one reading holds)
        first_change = min(up + down) if (up or down) else None
        readings: list[list[tuple[int, int]]] = []
        listed = []
        for t in toks:
            if t.kind == "year" and t.years[0] in explicit and t.years[0] not in listed:
                listed.append(t.years[0])
        listed.sort()
        later_year = explicit[0] if explicit else running_year
        if comparison and later_year:
            readings.append([(comparison[0], later_year)])
        elif len(listed) >= 2 and not ranges:
            # "di Tahun 2023 dan Tahun 2024 mengalami kenaikan": 2023 -> 2024, or both
            # years compared with the year before them
            if first_change is not None:
                wpos = [k for k, t in enumerate(toks) if t.kind == "word"]
                cpos = wpos[first_change] if first_change < len(wpos) else len(toks)
                before = []
                for t in toks[:cpos]:
                    if t.kind == "year" and t.years[0] in listed and t.years[0] not in before:
                        before.append(t.years[0])
                if len(before) >= 2:
                    listed = sorted(before[-2:] if direction != "same" else before)
            readings.append(list(zip(listed, listed[1:], strict=False)))
            prior = [y for y in ind_years(inds) if y < listed[0]]
            if prior:
                readings.append([(max(prior), y) for y in listed])
        elif ranges and (
            {"setiap", "terus", "every", "selalu"} & set(words) or direction == "same"
        ):
            r = ranges[-1]
            readings.append(list(zip(r, r[1:], strict=False)))
        elif ("sejak" in words or "since" in words) and explicit:
            y0 = explicit[0]
            readings.append(
                list(zip(range(y0, self.year), range(y0 + 1, self.year + 1), strict=True))
            )
        elif (
            len(explicit) == 1 and direction != "same" and ({"sebelumnya", "previous"} & set(words))
        ):
            readings.append([(explicit[0] - 1, explicit[0])])
        if not readings:
            return
        # what changed: the target when "target" comes just before the verb
        cw = min(up + down) if (up or down) else len(words)
        subject = "realisasi"
        seg = [t for t in toks if t.kind in ("word", "num")]
        widx = [k for k, t in enumerate(seg) if t.kind == "word"]
        # position of the change word among seg
        change_pos = widx[cw] if cw < len(widx) else len(seg)
        for k in range(change_pos - 1, max(-1, change_pos - 14), -1):
            t = seg[k]
            if t.kind == "num":
                break
            if t.text == "target":
                prevw = seg[k - 1].text if k > 0 else ""
                if prevw not in ("capaian", "pencapaian"):
                    subject = "target"
                break
        if change_pos + 1 < len(seg) and seg[change_pos + 1].text == "target":
            subject = "target"
        for ind in inds:
            self.change_claim(b, sent, ind, readings, direction, subject)

    def met_claim(self, b, sent, ind, years, kind, neg):
        bad, unknown, vals = [], [], []
        for y in years:
            p = self.series(ind, y)
            if p is None or p.capaian is None:
                unknown.append(y)
                continue
            st = status_of(p.capaian)
            vals.append(f"{y}: {_fmt(p.capaian, 2, self.lang)}%")
            met = st != "di bawah target"
            exceed = st == "melebihi target"
            holds = (not met) if neg else (exceed if kind == "exceed" else met)
            if not holds:
                bad.append(y)
        if not vals:
            return
        label = "met_no" if neg else ("met_exceed" if kind == "exceed" else "met_yes")
        yrs = _years_text(years)
        note = ""
        if bad:
            note = _tr("claim_bad_years", self.lang, years=", ".join(map(str, bad)))
        if unknown:
            note = (note + "; " if note else "") + _tr(
                "claim_unknown", self.lang, years=", ".join(map(str, unknown))
            )
        what = _tr("met_claim", self.lang, text=_tr(label, self.lang), years=yrs)
        self.claim(b, sent, ind, what, _tr(label, self.lang), vals, not bad, note, "met", years[-1])

    def claim(
        self,
        b: Block,
        sent: str,
        ind: _Ind,
        what: str,
        claimed: str,
        vals: list[str],
        ok: bool,
        note: str,
        kind: str,
        year: int,
    ) -> None:
        """A finding on a claim of the text: what it claims and the values read for it."""
        where = self.loc_para(b, sent)
        facts = "; ".join(vals)
        self.add(
            Finding(
                ind.number,
                ind.result.name,
                what,
                claimed,
                facts,
                ok,
                where,
                note,
                "claim",
                kind,
                year,
            )
        )

    def change_claim(
        self,
        b: Block,
        sent: str,
        ind: _Ind,
        readings: list[list[tuple[int, int]]],
        direction: str,
        subject: str,
    ) -> None:
        want = {"up": 1, "down": -1, "same": 0}[direction]
        dec = max(ind.result.indicator.precision, 2)
        best = None
        unknown: list[str] = []
        for pairs in readings:
            bad, vals = [], []
            # years without the value are left out of the reading (with a note)
            for y0, y1 in pairs:
                a, c = self.value(ind, subject, y0), self.value(ind, subject, y1)
                if a is None or c is None:
                    unknown.append(f"{y0}-{y1}")
                    continue
                fa, fc = Fraction(format_half_up(a, 6)), Fraction(format_half_up(c, 6))
                sign = (fc > fa) - (fc < fa)
                vals.append(f"{y0}: {_fmt(a, dec, self.lang)} → {y1}: {_fmt(c, dec, self.lang)}")
                if sign != want:
                    bad.append(f"{y0}-{y1}")
            if not vals:
                continue
            if best is None or (bad == [] and best[0] != []):
                best = (bad, vals, pairs)
        if best is None:
            if unknown:
                self.out.unchecked.append(
                    f"{self.loc_para(b, sent)}: IKK {ind.number} "
                    + _tr("claim_unknown", self.lang, years=", ".join(sorted(set(unknown))))
                )
            return
        bad, vals, pairs = best
        years = sorted({y for p in pairs for y in p})
        note = _tr("claim_bad_years", self.lang, years=", ".join(bad)) if bad else ""
        claimed = _tr(direction, self.lang)
        what = _tr("change_claim", self.lang, what=subject, text=claimed, years=_years_text(years))
        self.claim(b, sent, ind, what, claimed, vals, not bad, note, "change", years[-1])

    # ------------------------------------------------------------- budget
    def budget_known(self) -> dict[str, float]:
        b = self.comp.budget
        spec = self.ws.budget
        if b is None or spec is None:
            return {}
        known = {"pagu": b.pagu, "realisasi": b.realisasi, "sisa": b.sisa}
        if spec.awal is not None:
            known["awal"] = spec.awal
            running = spec.awal
            for n, adj in enumerate(spec.adjustments, start=1):
                known[f"adj{n}_amount"] = abs(adj.amount)
                running += adj.amount
                known[f"adj{n}_result"] = running
        return known

    def budget_label(self, key: str) -> str:
        spec = self.ws.budget
        m = re.match(r"adj(\d+)_(amount|result)", key)
        if m and spec is not None:
            label = spec.adjustments[int(m.group(1)) - 1].label
            return _tr(f"b_adj_{m.group(2)}", self.lang, label=label)
        return _tr(f"b_{key}", self.lang)

    def budget_finding(self, key, tok, rec, ok, loc, note="", pct=False):
        self.add(
            Finding(
                None,
                _tr("budget", self.lang),
                self.budget_label(key),
                tok.text.strip(),
                _fmt(rec, max(tok.decimals, 2), self.lang) if pct else _rp(rec),
                ok,
                loc,
                note,
                "figure",
                f"budget.{key}",
            )
        )

    def budget_sentence(self, b: Block, sent: str, toks: list[_Tok]) -> None:
        known = self.budget_known()
        bud = self.comp.budget
        if not known or bud is None:
            return
        spec = self.ws.budget
        words = set(_content(sent))
        last_key = None
        pending: list[_Tok] = []
        used: dict[str, _Tok] = {}
        for t in toks:
            if t.kind != "num":
                continue
            loc = self.loc_para(b, sent, t)
            if t.unit == "rp":
                key = next((k for k, v in known.items() if _rp(v) == _rp(float(t.number))), None)
                if key is None:
                    pending.append(t)
                    last_key = None
                    continue
                used[key] = t
                self.budget_finding(key, t, known[key], True, loc)
                last_key = key
            elif t.unit == "%" and last_key in ("realisasi", "sisa"):
                pk = f"pct_{last_key}"
                rec = bud.pct_realisasi if last_key == "realisasi" else bud.pct_sisa
                if rec is None:
                    continue
                ok = format_half_up(rec, t.decimals) == format_half_up(float(t.number), t.decimals)
                self.budget_finding(pk, t, rec, ok, loc, pct=True)
                last_key = None
        # amounts that are no known figure: an adjustment named by its label
        for t in pending:
            loc = self.loc_para(b, sent, t)
            target_key = None
            step = 0  # the adjustment named, 1-based
            if spec is not None:
                for n, adj in enumerate(spec.adjustments, start=1):
                    lw = {
                        w
                        for w in _content(adj.label)
                        if len(w) > 3 and w not in ("anggaran", "belanja", "pagu")
                    }
                    if lw & words:
                        # the other role of this step
                        if f"adj{n}_amount" in used:
                            target_key = f"adj{n}_result"
                        elif f"adj{n}_result" in used:
                            target_key = f"adj{n}_amount"
                        else:
                            target_key = None
                        step = n
                        break
            if target_key is None:
                self.out.unattributed.append((loc, t.text))
                continue
            n = step
            prev = known["awal"] if n == 1 else known[f"adj{n - 1}_result"]
            amount = float(t.number) if target_key.endswith("amount") else known[f"adj{n}_amount"]
            result = known[f"adj{n}_result"] if target_key.endswith("amount") else float(t.number)
            printed_result = (
                float(used[f"adj{n}_result"].number) if f"adj{n}_result" in used else result
            )
            note = _tr(
                "b_chain",
                self.lang,
                a=_rp(prev),
                sign="-",
                b=_rp(amount),
                c=_rp(prev - amount),
            )
            if target_key.endswith("amount"):
                note += (
                    f" ≠ {_rp(printed_result)}" if _rp(prev - amount) != _rp(printed_result) else ""
                )
            self.budget_finding(
                target_key,
                t,
                known[target_key],
                _rp(known[target_key]) == _rp(float(t.number)),
                loc,
                note,
            )

    # ------------------------------------------------------------- tables
    def table(self, b: Block) -> None:
        rows = [r for r in b.rows if any(c.strip() for c in r)]
        if not rows:
            return
        if len(rows) == 1 and not re.search(r"\d[.,]\d", " ".join(rows[0])):
            if self.heading(" ".join(c for c in rows[0] if c)):
                return
        header = [c.lower() for c in rows[0]]
        cols: dict[int, str] = {}
        for j, h in enumerate(header):
            hw = set(_words(h))
            joined = re.sub(r"\s+", "", h)  # "REALISAS I": a header word wrapped in a PDF
            if _words(h)[:1] == ["target"] or joined == "target":  # not "Activity target"
                cols[j] = "target"
            elif (
                hw & {"realisasi", "realisation", "realised"} or joined.startswith("realisasi")
            ) and "rp" not in hw:
                cols[j] = "realisasi"
            elif "capaian" in hw or joined.startswith("capaian") or joined in ("%", "(%)"):
                cols[j] = "capaian"
            elif hw & {"status"}:
                cols[j] = "status"
            elif hw & {"tahun", "year"} and len(hw) <= 2:
                cols[j] = "year"
        # budget table
        if any("pagu" in h for h in header) and any("realisasi" in h for h in header):
            self.budget_table(b, rows)
            return
        # a column headed with the section indicator's name ("Nilai Kinerja")
        named_col = None
        if len(self.context) == 1:
            for hdr_row in rows[:2]:
                for j, h in enumerate(hdr_row):
                    hw = set(_content(h))
                    if len(hw) >= 2 and hw <= self.context[0].words and j not in cols:
                        named_col = j
        data = rows[1:]
        label_cols = [j for j in range(len(header)) if j not in cols]
        for ri, row in enumerate(data, start=2):
            ind = None
            for j in label_cols:
                if j < len(row):
                    ind = _best_in_cell(self.inds, row[j])
                    if ind is not None:
                        break
            year = self.year
            if ind is None and "year" in cols.values() and len(self.context) == 1:
                ind = self.context[0]
                yj = next(j for j, v in cols.items() if v == "year")
                ym = re.search(r"(19|20)\d{2}", row[yj] if yj < len(row) else "")
                if not ym:
                    continue
                year = int(ym.group(0))
            label = (ind.result.name if ind is not None else " ".join(c for c in row[:3] if c))[:60]
            if ind is None and "capaian" in cols.values():
                sas = self.sasaran_in_row(row, label_cols)
                if sas is not None:
                    j = next(j for j, v in cols.items() if v == "capaian")
                    tok = _cell_figure(row[j]) if j < len(row) else None
                    if tok is not None:
                        self.sasaran_capaian(
                            sas, tok, self.loc_table(b, ri, sas.name[:60], rows[0][j])
                        )
                    continue
            if ind is None:
                if named_col is not None and named_col < len(row):
                    tok = _cell_figure(row[named_col])
                    if tok is not None:
                        loc = self.loc_table(
                            b,
                            ri,
                            label,
                            rows[0][named_col] if named_col < len(rows[0]) else rows[1][named_col],
                        )
                        hdr = (
                            rows[1][named_col] if len(rows) > 1 and named_col < len(rows[1]) else ""
                        )
                        loc = self.loc_table(b, ri, label, hdr or str(named_col + 1))
                        self.figure(self.context[0], "realisasi", self.year, tok, loc)
                        continue
                if self.context or cols:
                    for j, c in enumerate(row):
                        tok = _cell_figure(c)
                        if tok is not None and j > 0 and (tok.decimals > 0 or tok.unit):
                            hdr = rows[0][j] if j < len(rows[0]) else str(j + 1)
                            self.out.unattributed.append((self.loc_table(b, ri, label, hdr), c))
                continue
            for j, role in cols.items():
                if j >= len(row) or not row[j].strip():
                    continue
                loc = self.loc_table(b, ri, label, rows[0][j])
                if role == "status":
                    self.status_cell(ind, year, row[j], loc)
                    continue
                if role == "year":
                    continue
                tok = _cell_figure(row[j])
                if tok is None:
                    continue
                self.figure(ind, role, year, tok, loc)
            if self.status_group and year == self.year:
                loc = self.loc_table(b, ri, label, None)
                self.status_cell(ind, year, self.status_group, loc)

    def sasaran_in_row(self, row: list[str], label_cols: list[int]):
        for j in label_cols:
            if j < len(row) and len(_content(row[j])) >= 2:
                sas = _best_match(self.sasaran, _content(row[j]), 0.8, 0.8)
                if sas is not None:
                    return sas
        return None

    def sasaran_capaian(self, sas, tok: _Tok, loc: str) -> None:
        res = next((x for x in self.comp.sasaran if x.id == sas.id), None)
        if res is None or res.capaian is None:
            return
        dec = tok.decimals
        self.add(
            Finding(
                None,
                sas.name,
                f"capaian sasaran {sas.id} {self.year} (%)",
                tok.text.strip(),
                _fmt(res.capaian, max(dec, 2), self.lang),
                format_half_up(res.capaian, dec) == format_half_up(float(tok.number), dec),
                loc,
                "",
                "figure",
                "sasaran",
                self.year,
            )
        )

    def status_cell(self, ind, year, text, loc):
        p = self.series(ind, year)
        if p is None or p.capaian is None:
            return
        want = status_of(p.capaian)
        norm = " ".join(text.lower().replace("dibawah", "di bawah").split())
        got = next((st for rx, st in _STATUS_GROUPS if rx.search(norm)), None)
        if got is None:
            return
        self.add(
            Finding(
                ind.number,
                ind.result.name,
                _tr("status", self.lang, year=year),
                text,
                want,
                got == want,
                loc,
                "",
                "figure",
                "status",
                year,
            )
        )

    def loc_table(self, b: Block, r: int, label: str, col: str | None) -> str:
        page = _tr("page", self.lang, n=b.page) if b.page else ""
        if col is None:  # the whole row
            return page + _tr("row_loc", self.lang, t=b.number, r=r, label=label)
        return page + _tr("table_loc", self.lang, t=b.number, r=r, label=label, col=col.strip())

    def budget_table(self, b: Block, rows) -> None:
        bud = self.comp.budget
        if bud is None:
            return

        def columns(cells: list[str]) -> dict[str, int]:
            idx: dict[str, int] = {}
            for j, h in enumerate(c.lower() for c in cells):
                if "%" in h or "persen" in h:
                    idx["pct_sisa" if ("sisa" in h or "unspent" in h) else "pct_realisasi"] = j
                elif "pagu" in h:
                    idx["pagu"] = j
                elif "realisasi" in h:
                    idx["realisasi"] = j
                elif "sisa" in h or "unspent" in h:
                    idx["sisa"] = j
            return idx

        idx = columns(rows[0])
        start = 1
        # a second header row may hold the names ("Pagu (Rp) | Realisasi (Rp) | Sisa | %")
        if len(rows) > 1 and any("pagu" in c.lower() for c in rows[1]):
            idx = columns(rows[1])
            start = 2
        for ri, row in enumerate(rows[start:], start=start + 1):
            label = " ".join(c for c in row[:2] if c)[:40]
            total = bool(re.search(r"jumlah|total", " ".join(row).lower()))
            vals = {}
            for key, j in idx.items():
                if j < len(row):
                    tok = _cell_figure(row[j], money=not key.startswith("pct"))
                    if tok is not None:
                        vals[key] = tok
            if total or ("pagu" in vals and _rp(float(vals["pagu"].number)) == _rp(bud.pagu)):
                for key, tok in vals.items():
                    rec = {
                        "pagu": bud.pagu,
                        "realisasi": bud.realisasi,
                        "sisa": bud.sisa,
                        "pct_realisasi": bud.pct_realisasi,
                        "pct_sisa": bud.pct_sisa,
                    }[key]
                    if rec is None:
                        continue
                    loc = self.loc_table(b, ri, label, rows[start - 1][idx[key]])
                    if key.startswith("pct"):
                        ok = format_half_up(rec, tok.decimals) == format_half_up(
                            float(tok.number), tok.decimals
                        )
                        self.budget_finding(key, tok, rec, ok, loc, pct=True)
                    else:
                        self.budget_finding(key, tok, rec, _rp(rec) == _rp(float(tok.number)), loc)


def _cell_figure(cell: str, money: bool = False) -> _Tok | None:
    """A table cell holding one figure ("81,34 Indeks", "107, 1 %", "1.621.270.000")."""
    s = cell.strip()
    if not s:
        return None
    m = re.fullmatch(
        r"(?:Rp\.?\s?)?([\d.,\s]*\d)\s*(%|persen|indeks|index|orang|lembaga|unit|fasilitas)?\s*(?:,-)?",
        s,
        re.IGNORECASE,
    )
    if not m:
        return None
    digits = re.sub(r"\s", "", m.group(1))
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", digits):
        return None
    try:
        if money:
            value, dec = Fraction(int(digits.replace(".", "").replace(",", ""))), 0
        else:
            value, dec = _parse_number(digits)
    except (ValueError, ZeroDivisionError):
        return None
    unit = (m.group(2) or "").lower()
    unit = "%" if unit in ("%", "persen") else unit
    return _Tok("num", s, 0, value, dec, unit)


def ind_years(inds: list[_Ind]) -> list[int]:
    """The years (with a realisasi or a target) of the indicators' history."""
    ys = set()
    for ind in inds:
        for p in ind.result.history:
            if p.realisasi is not None or p.target is not None:
                ys.add(p.year)
    return sorted(ys)


def _years_text(years: list[int]) -> str:
    ys = sorted(set(years))
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(map(str, ys))


# --------------------------------------------------------------------------- presentation

TEXT = catalogue("lkip/report_text")

HEADERS = catalogue("lkip/report_headers")


def summary_text(audit: ReportAudit) -> str:
    """One sentence: how many printed figures and claims were checked, from which file."""
    lang = audit.lang
    if not audit.findings:
        return tr(TEXT["none_found"], lang, file=audit.source.name, fmt=audit.format)
    return tr(
        TEXT["summary"],
        lang,
        file=audit.source.name,
        fmt=audit.format,
        n=audit.figures_checked,
        k=audit.claims_checked,
        bad=len(audit.disagreements),
    )


def format_report_table(
    audit: ReportAudit, only_disagreements: bool = True
) -> tuple[list[str], list[list[str]]]:
    """Headers and rows (IKK, what, printed, recomputed, location, note)."""
    lang = audit.lang
    headers = [
        tr(HEADERS[k], lang) for k in ("no", "what", "printed", "recomputed", "where", "note")
    ]
    rows = []
    for f in audit.findings:
        if only_disagreements and f.ok:
            continue
        rows.append(
            [
                "" if f.indicator is None else str(f.indicator),
                f.what if f.indicator is not None else f"{f.name}: {f.what}",
                f.printed,
                f.recomputed,
                f.location,
                f.note,
            ]
        )
    return headers, rows


# --------------------------------------------------------------------------- entry point


def audit_report(
    comp: Computation, path: str | Path, lang: str | None = None, blocks: list[Block] | None = None
) -> ReportAudit:
    """Find and audit every printed figure and history claim of a report file."""
    lang = check_lang(lang or comp.lang)
    path = Path(path)
    if blocks is None:
        blocks = read_report(path, lang)
    a = _Auditor(comp, lang, path, path.suffix.lower().lstrip("."))
    # aliases the report defines anywhere ("Nilai Kinerja Anggaran (NKA)")
    for b in blocks:
        if b.kind == "paragraph":
            a.learn_aliases(b.text)
    for b in blocks:
        if b.kind == "paragraph":
            a.paragraph(b)
        else:
            a.table(b)
            a.status_group = None
    return a.out


__all__ = [
    "TEXT",
    "format_report_table",
    "summary_text",
    "Block",
    "Finding",
    "ReportAudit",
    "ReportError",
    "audit_report",
    "read_report",
    "read_text",
    "sentences",
]
