"""The LKIP workspace file (TOML): what a unit agreed (PK), where each realisation
comes from, what a published report printed, and the budget.

The format is documented in ``indeks/lkip/WORKSPACE.md``.  :func:`load_workspace`
reads and validates a file and raises :class:`WorkspaceError` listing every problem
as ``<file>: <key>: <message>``, in Bahasa Indonesia or English (catalogue
``indeks/locale/lkip/workspace.toml``).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from indeks.errors import IndeksError
from indeks.i18n import LANGS, catalogue, check_lang, tr
from indeks.instruments import UnknownInstrumentError, get_instrument, list_instruments
from indeks.lkip.formulas import CATEGORY_PRESETS, POLARITIES, ikpa_weight_total

KNOWN_UNITS = ("Indeks", "%", "Orang", "Lembaga", "Unit")
SOURCE_KINDS = ("value", "ikpa", "instrument")
FIGURES = ("post_index", "pre_index", "index", "index_converted", "pct_improved")
# how many input files each figure takes
FIGURE_FILES = {
    "post_index": (1, 2),  # the post-test file is the last one
    "pre_index": (1, 2),  # the pre-test file is the first one
    "index": (1,),
    "index_converted": (1,),
    "pct_improved": (2,),  # pre, post
}

TOP_KEYS = {
    "extends",
    "unit",
    "year",
    "lang",
    "title",
    "cap",
    "capaian_precision",
    "category_preset",
    "category_bands",
    "sasaran",
    "indicators",
    "budget",
    "note",
}
SASARAN_KEYS = {"id", "name", "weight", "note"}
INDICATOR_KEYS = {
    "number",
    "sasaran",
    "name",
    "unit",
    "target",
    "polarity",
    "cap",
    "weight",
    "precision",
    "source",
    "reported",
    "history",
    "note",
}
SOURCE_KEYS = {
    "value": {"kind", "value", "note", "system"},
    "ikpa": {"kind", "aspects", "note"},
    "instrument": {
        "kind",
        "instrument",
        "files",
        "figure",
        "id_column",
        "group_by",
        "mapping",
        "note",
    },
}
ASPECT_KEYS = {"name", "value", "weight", "group", "reported_score"}
HISTORY_KEYS = {"year", "target", "realisasi", "capaian", "note"}
BUDGET_KEYS = {"pagu", "realisasi", "awal", "adjustments", "reported", "note"}
BUDGET_REPORTED_KEYS = {"sisa", "pct_realisasi", "pct_sisa", "realisasi", "pagu", "note"}
ADJUSTMENT_KEYS = {"label", "amount", "result", "note"}
BAND_KEYS = {"min", "label", "decimals"}
REPORTED_KEY = re.compile(r"^(target|realisasi|capaian|status)(_[a-z0-9_]+)?$")


MSG = catalogue("lkip/workspace")


@dataclass(frozen=True)
class _Either:
    """Whole numbers joined by "or" in the message's language ("1 atau 2", "1 or 2")."""

    options: tuple[int, ...]

    def text(self, lang: str | None = None) -> str:
        return f" {tr(MSG['or'], lang)} ".join(str(n) for n in self.options)


@dataclass(frozen=True)
class Problem:
    """One problem of a workspace: the file, the key (``indicators[3].target``), and the
    catalogue entry with its values, so it can be shown in either language."""

    file: str
    key: str
    code: str
    values: dict[str, object] = field(default_factory=dict, compare=False)

    def text(self, lang: str | None = None) -> str:
        """``<file>: <key>: <message>`` in ``lang`` (Bahasa Indonesia by default)."""
        values = {k: v.text(lang) if isinstance(v, _Either) else v for k, v in self.values.items()}
        message = tr(MSG[self.code], lang, **values)
        return f"{self.file}: {self.key}: {message}" if self.key else f"{self.file}: {message}"

    def __str__(self) -> str:
        return self.text("en")


def _problem(file: str, key: str, code: str, /, **values: object) -> Problem:
    return Problem(file, key, code, values)


class WorkspaceError(IndeksError):
    """Every problem found in a workspace, one ``<file>: <key>: <message>`` per line.

    ``str()`` is English; :meth:`text` gives Bahasa Indonesia (default) or English."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def text(self, lang: str | None = None) -> str:
        return "\n".join(p.text(lang) for p in self.problems)


class PrintedError(ValueError):
    """A printed figure that is not a (finite) number; ``code`` is its catalogue entry."""

    def __init__(self, code: str, value: object):
        self.code, self.value = code, value
        super().__init__(tr(MSG[code], "en", value=value))


# --------------------------------------------------------------------------- reported numbers


@dataclass(frozen=True)
class Printed:
    """A figure as a report printed it: its value and how many decimals it showed."""

    value: float | str
    text: str
    decimals: int

    @property
    def is_number(self) -> bool:
        return not isinstance(self.value, str)


_NUM_CLEAN = re.compile(r"[\s%]|^rp\.?", re.IGNORECASE)


def parse_printed(raw: object) -> Printed:
    """Read a printed figure: a TOML number, or a string copied from the report.

    Strings keep the printed decimals: ``"147,00"`` (Indonesian decimal comma),
    ``"147.00"``, ``"107, 1 %"``, ``"Rp.1.725.407"`` (dots as thousand separators when
    there are several or a comma is present).  A number's decimals are those of its
    shortest form (``147.00`` written as a TOML float reads as ``147.0``: 1 decimal; write
    it as a string to keep both zeros).
    """
    if isinstance(raw, bool):
        raise PrintedError("not_a_number", repr(raw))
    if isinstance(raw, int):
        return Printed(float(raw), str(raw), 0)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise PrintedError("not_a_finite_number", repr(raw))
        text = repr(raw)
        decimals = 0 if "e" in text else len(text.split(".")[1]) if "." in text else 0
        if text.endswith(".0"):
            decimals = 1
        return Printed(raw, text, decimals)
    if isinstance(raw, str):
        text = raw
        s = _NUM_CLEAN.sub("", raw.strip())
        s = s.replace(",-", "").rstrip("-")
        if not s:
            raise PrintedError("not_a_number", repr(raw))
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        elif s.count(".") > 1:
            s = s.replace(".", "")
        try:
            value = float(s)
        except ValueError:
            raise PrintedError("not_a_number", repr(raw)) from None
        if not math.isfinite(value):
            raise PrintedError("not_a_finite_number", repr(raw[:40]))
        decimals = len(s.split(".")[1]) if "." in s else 0
        return Printed(value, text, decimals)
    raise PrintedError("not_a_number", repr(raw))


# --------------------------------------------------------------------------- model


@dataclass
class Sasaran:
    id: str
    name: str
    weight: float | None = None
    note: str = ""


@dataclass
class Aspect:
    name: str
    value: float
    weight: float
    group: str = ""
    reported_score: Printed | None = None


@dataclass
class Source:
    kind: str
    value: float | None = None
    system: str = ""
    aspects: list[Aspect] = field(default_factory=list)
    instrument: str = ""
    files: list[Path] = field(default_factory=list)
    figure: str = ""
    id_column: str | None = None
    group_by: list[str] | str | None = None
    mapping: Any = None
    note: str = ""


@dataclass
class HistoryEntry:
    year: int
    target: float | None = None
    realisasi: float | None = None
    capaian: Printed | None = None
    note: str = ""


@dataclass
class Indicator:
    number: int
    sasaran: str
    name: str
    unit: str
    target: float | None
    polarity: str = "higher"
    cap: float | None = None
    weight: float = 1.0
    precision: int = 2
    source: Source | None = None
    reported: dict[str, Printed] = field(default_factory=dict)
    reported_groups: dict[str, Printed] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    note: str = ""
    origin: Path | None = None


@dataclass
class Adjustment:
    label: str
    amount: float
    result: Printed | None = None
    note: str = ""


@dataclass
class BudgetSpec:
    pagu: float
    realisasi: float
    awal: float | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    reported: dict[str, Printed] = field(default_factory=dict)
    note: str = ""


@dataclass
class Workspace:
    path: Path
    unit: str
    year: int
    lang: str = "id"
    title: str = ""
    cap: float | None = None
    capaian_precision: int = 2
    category_preset: str | None = None
    category_bands: list[dict] | None = None
    sasaran: list[Sasaran] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    budget: BudgetSpec | None = None
    note: str = ""
    files: list[Path] = field(default_factory=list)  # this file and the ones it extends
    warnings: list[Problem] = field(default_factory=list)  # shown, not fatal

    @property
    def dir(self) -> Path:
        return self.path.parent

    def sasaran_by_id(self, sid: str) -> Sasaran | None:
        return next((s for s in self.sasaran if s.id == sid), None)

    def indicator(self, number: int) -> Indicator:
        return next(i for i in self.indicators if i.number == number)

    def effective_cap(self, ind: Indicator) -> float | None:
        return ind.cap if ind.cap is not None else self.cap


# --------------------------------------------------------------------------- loading


def _rel(base: Path, p: str) -> str:
    q = Path(p)
    return str(q if q.is_absolute() else (base / q))


MAX_WORKSPACE_BYTES = 5 * 1024 * 1024  # a workspace file is a few kB; larger is not one


@dataclass
class _Scope:
    """Where the files a workspace names may be: inside ``root`` unless ``allow_outside``."""

    root: Path
    allow_outside: bool = False

    def check(self, file: str, key: str, p: str, problems: list[Problem]) -> None:
        if self.allow_outside:
            return
        try:
            real = Path(p).resolve()  # follows symbolic links: a link out of the folder counts
        except (OSError, RuntimeError):
            real = Path(p)
        if not real.is_relative_to(self.root):
            problems.append(_problem(file, key, "outside", path=p, root=self.root))


def _check_numbers(fname: str, data: object, problems: list[Problem], key: str = "") -> None:
    """Every number in the file finite and within the magnitude limit (INDEKS_MAX_NUMBER)."""
    from indeks.limits import current

    if isinstance(data, dict):
        for k, v in data.items():
            _check_numbers(fname, v, problems, f"{key}.{k}" if key else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _check_numbers(fname, v, problems, f"{key}[{i + 1}]")
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        limit = current().max_number
        if isinstance(data, float) and not math.isfinite(data):
            problems.append(_problem(fname, key, "not_finite", value=data))
        elif isinstance(data, float) and abs(data) > limit:
            problems.append(
                _problem(fname, key, "too_large", value=f"{data:.3g}", limit=f"{limit:g}")
            )
        elif abs(data) > limit:
            digits = len(str(abs(data)))
            problems.append(
                _problem(fname, key, "too_many_digits", digits=digits, limit=f"{limit:g}")
            )


def _read_raw(
    path: Path, problems: list[Problem], seen: tuple[Path, ...] = (), scope: _Scope | None = None
) -> dict:
    """One file, its ``extends`` chain merged below it; paths made absolute; each
    indicator / sasaran / budget key tagged with the file that set it."""
    from indeks.io.read_common import InputError
    from indeks.limits import check_regular_file

    path = path.resolve()
    scope = scope or _Scope(path.parent)
    if path in seen:
        chain = " -> ".join(p.name for p in seen + (path,))
        problems.append(_problem(path.name, "extends", "circular", chain=chain))
        return {}
    try:
        st = check_regular_file(path, "en")  # never a device or FIFO (/dev/zero reads forever)
        if st.st_size > MAX_WORKSPACE_BYTES:
            mb = MAX_WORKSPACE_BYTES // 1024 // 1024
            problems.append(_problem(path.name, "", "too_big", size=st.st_size, mb=mb))
            return {}
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        problems.append(_problem(str(path), "", "file_missing"))
        return {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(_problem(path.name, "", "toml_syntax", detail=exc))
        return {}
    except InputError:  # a device, FIFO or socket
        problems.append(_problem(path.name, "", "not_regular"))
        return {}
    except (OSError, ValueError) as exc:  # unreadable, not UTF-8
        problems.append(_problem(path.name, "", "unreadable", detail=exc))
        return {}
    n_before = len(problems)
    _check_numbers(path.name, data, problems)
    if len(problems) > n_before:
        return {}  # numbers that cannot be computed with: report them, nothing else
    _check_keys(path.name, data, problems)
    # absolute paths for files named in this file
    for ind in _list(data, "indicators"):
        if isinstance(ind, dict):
            src = ind.get("source")
            if isinstance(src, dict):
                where = f"indicator {ind.get('number', '?')}.source"
                if isinstance(src.get("files"), str):
                    src["files"] = [src["files"]]
                if isinstance(src.get("files"), list):
                    src["files"] = [
                        _rel(path.parent, f) if isinstance(f, str) else f for f in src["files"]
                    ]
                    for f in src["files"]:
                        if isinstance(f, str):
                            scope.check(path.name, f"{where}.files", f, problems)
                if isinstance(src.get("mapping"), str):
                    src["mapping"] = _rel(path.parent, src["mapping"])
                    scope.check(path.name, f"{where}.mapping", src["mapping"], problems)
                inst = src.get("instrument")
                if isinstance(inst, str) and inst.endswith(".toml"):
                    src["instrument"] = _rel(path.parent, inst)
                    scope.check(path.name, f"{where}.instrument", src["instrument"], problems)
            ind["__origin__"] = {k: path for k in ind}
    if isinstance(data.get("budget"), dict):
        data["budget"]["__origin__"] = path
    data["__files__"] = [path]
    data["__origin_top__"] = {k: path for k in data}
    ext = data.pop("extends", None)
    if ext is None:
        return data
    if not isinstance(ext, str):
        problems.append(_problem(path.name, "extends", "extends_text"))
        return data
    target = _rel(path.parent, ext)
    n_before = len(problems)
    scope.check(path.name, "extends", target, problems)
    if len(problems) > n_before:
        return data
    base = _read_raw(Path(target), problems, seen + (path,), scope)
    if not base:
        return data
    return _merge(base, data)


def _merge_tables(base: list, top: list, key: str) -> list:
    """The tables of ``top`` over those of ``base`` with the same ``key`` (indicator
    ``number``, sasaran ``id``), key by key; the others appended.  The ``__origin__`` maps
    (which file set each key) merge the same way."""
    merged = [dict(t) if isinstance(t, dict) else t for t in base]
    by_key = {t.get(key): t for t in merged if isinstance(t, dict)}
    for table in top:
        tgt = by_key.get(table.get(key)) if isinstance(table, dict) else None
        if tgt is None:
            merged.append(table)
            continue
        origin = {**tgt.get("__origin__", {}), **table.get("__origin__", {})}
        tgt.update(table)
        if origin:
            tgt["__origin__"] = origin
    return merged


def _merge(base: dict, top: dict) -> dict:
    """``top`` over ``base``: top-level keys replace; ``indicators`` merge by
    ``number`` and ``sasaran`` by ``id`` key by key (each key given replaces the
    base's value wholesale: a ``reported`` or ``source`` table is replaced, not
    merged); ``budget`` merges key by key."""
    out = dict(base)
    for key, value in top.items():
        if key in ("indicators", "sasaran") and isinstance(value, list):
            by = "number" if key == "indicators" else "id"
            below = base.get(key)
            out[key] = _merge_tables(below if isinstance(below, list) else [], value, by)
        elif key == "budget" and isinstance(value, dict) and isinstance(base.get("budget"), dict):
            b = dict(base["budget"])
            b.update(value)
            out[key] = b
        elif key == "__files__":
            out[key] = list(value) + list(base.get("__files__", []))
        elif key == "__origin_top__":
            o = dict(base.get("__origin_top__", {}))
            o.update(value)
            out[key] = o
        else:
            out[key] = value
    return out


def _unknown_keys(
    fname: str,
    where: str,
    table: object,
    allowed: Collection[str],
    problems: list[Problem],
    code: str = "unknown_key",
    **values: object,
) -> None:
    """A problem for each key of ``table`` (when it is a table) that is not ``allowed``."""
    if not isinstance(table, dict):
        return
    for k in table:
        if k not in allowed:
            key = f"{where}.{k}" if where else str(k)
            problems.append(
                _problem(fname, key, code, allowed=", ".join(sorted(allowed)), **values)
            )


def _check_keys(fname: str, data: dict, problems: list[Problem]) -> None:
    """Unknown keys, per file, so the message names the file that has them."""
    _unknown_keys(fname, "", data, TOP_KEYS, problems, "unknown_key_allowed")
    for key in ("sasaran", "indicators"):
        if key in data and not isinstance(data[key], list):
            problems.append(_problem(fname, key, "list_of_tables", table=f"[[{key}]]"))
    budget = data.get("budget")
    if isinstance(budget, dict) and not isinstance(budget.get("adjustments", []), list):
        table = "[[budget.adjustments]]"
        problems.append(_problem(fname, "budget.adjustments", "list_of_tables", table=table))
    for n, s in enumerate(_list(data, "sasaran")):
        if isinstance(s, dict):
            _unknown_keys(fname, f"sasaran[{s.get('id', n + 1)}]", s, SASARAN_KEYS, problems)
    for n, ind in enumerate(_list(data, "indicators")):
        if not isinstance(ind, dict):
            continue
        where = f"indicators[{ind.get('number', '#' + str(n + 1))}]"
        _unknown_keys(fname, where, ind, INDICATOR_KEYS, problems, "unknown_key_allowed")
        src = ind.get("source")
        if isinstance(src, dict) and src.get("kind") in SOURCE_KEYS:
            kind = src["kind"]
            _unknown_keys(
                fname,
                f"{where}.source",
                src,
                SOURCE_KEYS[kind],
                problems,
                "unknown_source_key",
                kind=repr(kind),
            )
            for a_n, a in enumerate(_list(src, "aspects")):
                _unknown_keys(fname, f"{where}.source.aspects[{a_n + 1}]", a, ASPECT_KEYS, problems)
        rep = ind.get("reported")
        if isinstance(rep, dict):
            known = {k for k in rep if k in ("note", "groups") or REPORTED_KEY.match(k)}
            _unknown_keys(fname, f"{where}.reported", rep, known, problems, "unknown_reported_key")
        for h_n, h in enumerate(_list(ind, "history")):
            if isinstance(h, dict):
                hwhere = f"{where}.history[{h.get('year', h_n + 1)}]"
                _unknown_keys(fname, hwhere, h, HISTORY_KEYS, problems)
    b = data.get("budget")
    if isinstance(b, dict):
        _unknown_keys(fname, "budget", b, BUDGET_KEYS, problems, "unknown_key_allowed")
        _unknown_keys(fname, "budget.reported", b.get("reported"), BUDGET_REPORTED_KEYS, problems)
        for a_n, a in enumerate(_list(b, "adjustments")):
            _unknown_keys(fname, f"budget.adjustments[{a_n + 1}]", a, ADJUSTMENT_KEYS, problems)
    for b_n, band in enumerate(_list(data, "category_bands")):
        _unknown_keys(fname, f"category_bands[{b_n + 1}]", band, BAND_KEYS, problems)


def _list(table: dict, key: str) -> list:
    """``table[key]`` when it is a list (a wrong type is reported by the checks), else []."""
    value = table.get(key)
    return value if isinstance(value, list) else []


def _num(v: object) -> TypeGuard[int | float]:
    return (
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        and (not isinstance(v, float) or math.isfinite(v))
    )


def load_workspace(
    path: str | Path, check_files: bool = True, allow_outside: bool = False
) -> Workspace:
    """Read and validate a workspace file; raise :class:`WorkspaceError` with every
    problem (``<file>: <key>: <message>``).  ``check_files=False`` skips the check that
    the questionnaire files of instrument sources exist.

    Every file the workspace names (``extends``, ``files``, ``mapping``, an instrument
    ``.toml``) must lie inside the folder of the workspace file (subfolders included,
    symbolic links resolved), so a workspace received from someone else cannot pull
    other files from this computer into a report; ``allow_outside=True`` lifts the rule
    for a workspace you trust. Numbers must be finite and at most ``INDEKS_MAX_NUMBER``
    (1e15) in size."""
    path = Path(path)
    problems: list[Problem] = []
    data = _read_raw(path, problems, scope=_Scope(path.resolve().parent, allow_outside))
    if not data:
        raise WorkspaceError(problems or [_problem(str(path), "", "empty")])
    top_origin: dict[str, Path] = data.get("__origin_top__", {})

    def fn(key: str) -> str:
        return top_origin.get(key, path.resolve()).name

    ws = Workspace(
        path=path.resolve(), unit="", year=0, files=data.get("__files__", [path.resolve()])
    )

    # --- unit-level keys
    unit = data.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        problems.append(_problem(fn("unit"), "unit", "unit_required"))
    else:
        ws.unit = unit.strip()
    if not isinstance(data.get("year"), int) or isinstance(data.get("year"), bool):
        problems.append(_problem(fn("year"), "year", "year_required"))
    else:
        ws.year = data["year"]
    try:
        ws.lang = check_lang(data.get("lang", "id"))
    except (ValueError, AttributeError):
        value = repr(data.get("lang"))
        problems.append(
            _problem(fn("lang"), "lang", "lang_unknown", value=value, langs=", ".join(LANGS))
        )
    ws.title = str(data.get("title", "") or "")
    ws.note = str(data.get("note", "") or "")
    if "cap" in data:
        if not _num(data["cap"]) or data["cap"] <= 0:
            problems.append(_problem(fn("cap"), "cap", "cap"))
        else:
            ws.cap = float(data["cap"])
    if "capaian_precision" in data:
        if (
            not isinstance(data["capaian_precision"], int)
            or not 0 <= data["capaian_precision"] <= 6
        ):
            problems.append(
                _problem(fn("capaian_precision"), "capaian_precision", "capaian_precision")
            )
        else:
            ws.capaian_precision = data["capaian_precision"]
    if "category_preset" in data:
        cp = data["category_preset"]
        if cp not in CATEGORY_PRESETS and cp != "none":
            known = ", ".join(CATEGORY_PRESETS)
            problems.append(
                _problem(
                    fn("category_preset"),
                    "category_preset",
                    "preset_unknown",
                    preset=repr(cp),
                    known=known,
                )
            )
        else:
            ws.category_preset = None if cp == "none" else cp
    if "category_bands" in data:
        bands = data["category_bands"]
        if (
            not isinstance(bands, list)
            or not bands
            or not all(
                isinstance(b, dict) and _num(b.get("min")) and isinstance(b.get("label"), str)
                for b in bands
            )
        ):
            problems.append(_problem(fn("category_bands"), "category_bands", "bands"))
        else:
            ws.category_bands = bands

    # --- sasaran
    seen_s: set[str] = set()
    for n, s in enumerate(_list(data, "sasaran")):
        where = f"sasaran[{n + 1}]"
        if not isinstance(s, dict):
            problems.append(_problem(fn("sasaran"), where, "sasaran_table"))
            continue
        sid = s.get("id")
        if not isinstance(sid, str) or not sid:
            problems.append(_problem(fn("sasaran"), f"{where}.id", "id_required"))
            continue
        if sid in seen_s:
            problems.append(_problem(fn("sasaran"), f"sasaran[{sid}].id", "duplicate_id"))
        seen_s.add(sid)
        if not isinstance(s.get("name"), str) or not s["name"].strip():
            problems.append(_problem(fn("sasaran"), f"sasaran[{sid}].name", "required"))
        w = s.get("weight")
        if w is not None and not _num(w):
            problems.append(_problem(fn("sasaran"), f"sasaran[{sid}].weight", "number"))
        ws.sasaran.append(
            Sasaran(
                sid, str(s.get("name", "")), float(w) if _num(w) else None, str(s.get("note", ""))
            )
        )
    if not ws.sasaran and isinstance(data.get("sasaran", []), list):
        problems.append(_problem(fn("sasaran"), "sasaran", "sasaran_none"))

    # --- indicators
    inds = _list(data, "indicators")
    if not inds and isinstance(data.get("indicators", []), list):  # else: not a list, said
        problems.append(_problem(fn("indicators"), "indicators", "indicators_none"))
    seen_n: set[int] = set()
    for n, raw in enumerate(inds):
        if not isinstance(raw, dict):
            problems.append(_problem(fn("indicators"), f"indicators[#{n + 1}]", "indicator_table"))
            continue
        origin: dict[str, Path] = raw.get("__origin__", {})

        def f(key: str, _o=origin) -> str:
            return _o.get(key, _o.get("number", path.resolve())).name

        number = raw.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            problems.append(_problem(f("number"), f"indicators[#{n + 1}].number", "whole_number"))
            continue
        where = f"indicators[{number}]"
        if number in seen_n:
            problems.append(_problem(f("number"), f"{where}.number", "duplicate_number"))
        seen_n.add(number)
        sid = raw.get("sasaran")
        if not isinstance(sid, str) or sid not in seen_s:
            ids = ", ".join(sorted(seen_s))
            problems.append(
                _problem(f("sasaran"), f"{where}.sasaran", "sasaran_ref_required", ids=ids)
                if sid is None
                else _problem(
                    f("sasaran"),
                    f"{where}.sasaran",
                    "sasaran_ref_unknown",
                    value=repr(sid),
                    ids=ids,
                )
            )
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(_problem(f("name"), f"{where}.name", "required"))
        unit = raw.get("unit", "")
        if not isinstance(unit, str) or not unit.strip():
            units = ", ".join(KNOWN_UNITS)
            problems.append(
                _problem(f("unit"), f"{where}.unit", "unit_required_indicator", units=units)
            )
        elif unit not in KNOWN_UNITS:
            units = ", ".join(KNOWN_UNITS)
            ws.warnings.append(
                _problem(f("unit"), f"{where}.unit", "unit_unusual", unit=repr(unit), units=units)
            )
        target = raw.get("target")
        if "target" not in raw:
            problems.append(_problem(f("number"), f"{where}.target", "target_missing"))
            target = None
        elif not _num(target):
            problems.append(_problem(f("target"), f"{where}.target", "number"))
            target = None
        polarity = raw.get("polarity", "higher")
        if polarity not in POLARITIES:
            problems.append(
                _problem(f("polarity"), f"{where}.polarity", "polarity", value=repr(polarity))
            )
        cap = raw.get("cap")
        if cap is not None and (not _num(cap) or cap <= 0):
            problems.append(_problem(f("cap"), f"{where}.cap", "cap_indicator"))
            cap = None
        weight = raw.get("weight", 1)
        if not _num(weight) or weight < 0:
            problems.append(_problem(f("weight"), f"{where}.weight", "weight"))
            weight = 1
        precision = raw.get("precision", 2)
        if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= 6:
            problems.append(_problem(f("precision"), f"{where}.precision", "precision"))
            precision = 2
        ind = Indicator(
            number=number,
            sasaran=sid if isinstance(sid, str) else "",
            name=str(name or ""),
            unit=str(unit or ""),
            target=float(target) if target is not None else None,
            polarity=polarity if polarity in POLARITIES else "higher",
            cap=float(cap) if cap is not None else None,
            weight=float(weight),
            precision=precision,
            note=str(raw.get("note", "") or ""),
            origin=origin.get("number"),
        )
        # source
        src = raw.get("source")
        if src is None:
            problems.append(_problem(f("number"), f"{where}.source", "source_missing"))
        elif not isinstance(src, dict):
            problems.append(_problem(f("source"), f"{where}.source", "table"))
        else:
            ind.source = _source(src, f("source"), f"{where}.source", problems, check_files)
        # reported
        rep = raw.get("reported", {}) or {}
        if not isinstance(rep, dict):
            problems.append(_problem(f("reported"), f"{where}.reported", "table"))
            rep = {}
        for k, v in rep.items():
            if k == "note" or not REPORTED_KEY.match(k):
                continue
            if k.startswith("status"):
                if not isinstance(v, str):
                    problems.append(_problem(f("reported"), f"{where}.reported.{k}", "status_text"))
                    continue
                ind.reported[k] = Printed(v.strip(), v, 0)
                continue
            printed = _read_printed(v, f("reported"), f"{where}.reported.{k}", problems)
            if printed is not None:
                ind.reported[k] = printed
        groups = rep.get("groups")
        if groups is not None:
            if not isinstance(groups, dict):
                problems.append(_problem(f("reported"), f"{where}.reported.groups", "groups_table"))
            else:
                for g, v in groups.items():
                    key = f"{where}.reported.groups.{g}"
                    printed = _read_printed(v, f("reported"), key, problems)
                    if printed is not None:
                        ind.reported_groups[g] = printed
        # history
        hist = raw.get("history", []) or []
        if not isinstance(hist, list):
            problems.append(_problem(f("history"), f"{where}.history", "history_list"))
            hist = []
        years: set[int] = set()
        for h_n, h in enumerate(hist):
            hfile, hw = f("history"), f"{where}.history[{h_n + 1}]"
            if not isinstance(h, dict):
                problems.append(_problem(hfile, hw, "history_table"))
                continue
            y = h.get("year")
            if not isinstance(y, int) or isinstance(y, bool):
                problems.append(_problem(hfile, f"{hw}.year", "whole_number"))
                continue
            if ws.year and y >= ws.year:
                problems.append(
                    _problem(hfile, f"{hw}.year", "year_not_before", year=y, ws_year=ws.year)
                )
            if y in years:
                problems.append(_problem(hfile, f"{hw}.year", "duplicate_year", year=y))
            years.add(y)
            entry = HistoryEntry(y, note=str(h.get("note", "") or ""))
            for k in ("target", "realisasi"):
                if k in h:
                    if not _num(h[k]):
                        problems.append(_problem(hfile, f"{hw}.{k}", "number"))
                    else:
                        setattr(entry, k, float(h[k]))
            if "capaian" in h:
                entry.capaian = _read_printed(h["capaian"], hfile, f"{hw}.capaian", problems)
            ind.history.append(entry)
        ind.history.sort(key=lambda e: e.year)
        ws.indicators.append(ind)
    ws.indicators.sort(key=lambda i: i.number)

    # --- budget
    b = data.get("budget")
    if b is not None:
        bf = b.get("__origin__", path.resolve()).name if isinstance(b, dict) else fn("budget")
        if not isinstance(b, dict):
            problems.append(_problem(bf, "budget", "budget_table"))
        else:
            ok = True
            for k in ("pagu", "realisasi"):
                if k not in b:
                    problems.append(_problem(bf, f"budget.{k}", "missing"))
                    ok = False
                elif not _num(b[k]) or b[k] < 0:
                    problems.append(_problem(bf, f"budget.{k}", "amount_rupiah"))
                    ok = False
            if ok:
                spec = BudgetSpec(
                    float(b["pagu"]), float(b["realisasi"]), note=str(b.get("note", "") or "")
                )
                if "awal" in b:
                    if _num(b["awal"]):
                        spec.awal = float(b["awal"])
                    else:
                        problems.append(_problem(bf, "budget.awal", "amount"))
                for a_n, a in enumerate(_list(b, "adjustments")):
                    aw = f"budget.adjustments[{a_n + 1}]"
                    if not isinstance(a, dict) or not _num(a.get("amount")):
                        problems.append(_problem(bf, f"{aw}.amount", "adjustment_amount"))
                        continue
                    adj = Adjustment(
                        str(a.get("label", "")),
                        float(a["amount"]),
                        note=str(a.get("note", "") or ""),
                    )
                    if "result" in a:
                        adj.result = _read_printed(a["result"], bf, f"{aw}.result", problems)
                    spec.adjustments.append(adj)
                if spec.adjustments and spec.awal is None:
                    problems.append(_problem(bf, "budget.awal", "awal_required"))
                for k, v in (b.get("reported", {}) or {}).items():
                    if k == "note" or k not in BUDGET_REPORTED_KEYS:
                        continue
                    printed = _read_printed(v, bf, f"budget.reported.{k}", problems)
                    if printed is not None:
                        spec.reported[k] = printed
                ws.budget = spec

    if problems:
        raise WorkspaceError(problems)
    return ws


def _read_printed(raw: object, file: str, key: str, problems: list[Problem]) -> Printed | None:
    """``raw`` read as a printed figure (:func:`parse_printed`), or None and a problem."""
    try:
        return parse_printed(raw)
    except PrintedError as exc:
        problems.append(_problem(file, key, exc.code, value=exc.value))
        return None


def _source(
    src: dict, file: str, where: str, problems: list[Problem], check_files: bool
) -> Source | None:
    def problem(key: str, code: str, /, **values: object) -> None:
        problems.append(_problem(file, f"{where}.{key}" if key else where, code, **values))

    kind = src.get("kind")
    if kind not in SOURCE_KINDS:
        problem("kind", "kind_unknown", kind=repr(kind), kinds=", ".join(SOURCE_KINDS))
        return None
    s = Source(kind=kind, note=str(src.get("note", "") or ""))
    if kind == "value":
        v = src.get("value")
        if v is None:
            s.value = None  # realisasi not known yet: no capaian, a message
        elif not _num(v):
            problem("value", "value_number")
        else:
            s.value = float(v)
        s.system = str(src.get("system", "") or "")
    elif kind == "ikpa":
        aspects = src.get("aspects")
        if not isinstance(aspects, list) or not aspects:
            problem("aspects", "aspects_required")
            return s
        for a_n, a in enumerate(aspects):
            aw = f"aspects[{a_n + 1}]"
            if not isinstance(a, dict) or not _num(a.get("value")) or not _num(a.get("weight")):
                problem(aw, "aspect_fields")
                continue
            asp = Aspect(
                str(a.get("name", f"#{a_n + 1}")),
                float(a["value"]),
                float(a["weight"]),
                str(a.get("group", "") or ""),
            )
            if "reported_score" in a:
                key = f"{where}.{aw}.reported_score"
                asp.reported_score = _read_printed(a["reported_score"], file, key, problems)
            s.aspects.append(asp)
        if s.aspects:
            total = ikpa_weight_total([{"value": a.value, "weight": a.weight} for a in s.aspects])
            if total != 100:
                problem("aspects", "weights_sum", total=f"{float(total):g}")
    else:
        inst = src.get("instrument")
        if not isinstance(inst, str) or not inst:
            problem("instrument", "instrument_required", ids=", ".join(list_instruments()))
        elif not inst.endswith(".toml"):
            try:
                get_instrument(inst)  # built-in id or alias ("skm", "ikm-rehab", "ikm2004")
            except UnknownInstrumentError:
                ids = ", ".join(list_instruments())
                problem("instrument", "instrument_unknown", value=repr(inst), ids=ids)
        s.instrument = str(inst or "")
        figure = src.get("figure")
        if figure not in FIGURES:
            problem("figure", "figure", value=repr(figure), figures=", ".join(FIGURES))
        s.figure = str(figure or "")
        files = src.get("files")
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not files or not all(isinstance(x, str) for x in files):
            problem("files", "files_required")
            files = []
        s.files = [Path(x) for x in files]
        if s.figure in FIGURE_FILES and files and len(files) not in FIGURE_FILES[s.figure]:
            counts = _Either(FIGURE_FILES[s.figure])
            problem("files", "files_count", figure=repr(s.figure), counts=counts, n=len(files))
        if check_files:
            for p in s.files:
                if not p.exists():
                    problem("files", "file_not_found", file=p)
        if s.instrument.endswith(".toml") and check_files and not Path(s.instrument).exists():
            problem("instrument", "definition_not_found", file=s.instrument)
        s.id_column = src.get("id_column")
        if s.id_column is not None and not isinstance(s.id_column, str):
            problem("id_column", "column_name")
        s.group_by = src.get("group_by")
        if s.group_by is not None and not isinstance(s.group_by, (str, list)):
            problem("group_by", "group_by")
        mapping = src.get("mapping")
        if mapping is not None:
            if isinstance(mapping, str):
                if check_files and not Path(mapping).exists():
                    problem("mapping", "file_not_found", file=mapping)
            elif not isinstance(mapping, dict):
                problem("mapping", "mapping")
        s.mapping = mapping
    return s


__all__ = [
    "Indicator",
    "Printed",
    "Workspace",
    "WorkspaceError",
    "load_workspace",
    "parse_printed",
]
