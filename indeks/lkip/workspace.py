"""The LKIP workspace file (TOML): what a unit agreed (PK), where each realisation
comes from, what a published report printed, and the budget.

The format is documented in ``indeks/lkip/WORKSPACE.md``.  :func:`load_workspace`
reads and validates a file and raises :class:`WorkspaceError` listing every problem
as ``<file>: <key>: <message>``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from indeks.errors import IndeksError
from indeks.i18n import check_lang
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


class WorkspaceError(IndeksError):
    """Every problem found in a workspace, one ``<file>: <key>: <message>`` per line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


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
        raise ValueError(f"not a number: {raw!r}")
    if isinstance(raw, int):
        return Printed(float(raw), str(raw), 0)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(f"not a finite number: {raw!r}")
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
            raise ValueError(f"not a number: {raw!r}")
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        elif s.count(".") > 1:
            s = s.replace(".", "")
        try:
            value = float(s)
        except ValueError:
            raise ValueError(f"not a number: {raw!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {raw[:40]!r}")
        decimals = len(s.split(".")[1]) if "." in s else 0
        return Printed(value, text, decimals)
    raise ValueError(f"not a number: {raw!r}")


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
    warnings: list[str] = field(default_factory=list)

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

    def check(self, where: str, p: str, problems: list[str]) -> None:
        if self.allow_outside:
            return
        try:
            real = Path(p).resolve()  # follows symbolic links: a link out of the folder counts
        except (OSError, RuntimeError):
            real = Path(p)
        if not real.is_relative_to(self.root):
            problems.append(
                f"{where}: {p} is outside the workspace folder {self.root}; copy the file into "
                "that folder, or pass --allow-outside (allow_outside=True) if you trust this "
                "workspace"
            )


def _check_numbers(fname: str, data, problems: list[str], key: str = "") -> None:
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
            problems.append(f"{fname}: {key}: {data} is not a finite number")
        elif abs(data) > limit:
            shown = f"{data:.3g}" if isinstance(data, float) else f"{len(str(abs(data)))}-digit"
            problems.append(
                f"{fname}: {key}: the number {shown} is larger than {limit:g} "
                "(raise with the environment variable INDEKS_MAX_NUMBER)"
            )


def _read_raw(
    path: Path, problems: list[str], seen: tuple[Path, ...] = (), scope: _Scope | None = None
) -> dict:
    """One file, its ``extends`` chain merged below it; paths made absolute; each
    indicator / sasaran / budget key tagged with the file that set it."""
    from indeks.limits import check_regular_file

    path = path.resolve()
    scope = scope or _Scope(path.parent)
    if path in seen:
        problems.append(
            f"{path.name}: extends: circular extends ({' -> '.join(p.name for p in seen + (path,))})"
        )
        return {}
    try:
        st = check_regular_file(path, "en")  # never a device or FIFO (/dev/zero reads forever)
        if st.st_size > MAX_WORKSPACE_BYTES:
            problems.append(
                f"{path.name}: {st.st_size} bytes; a workspace file is at most "
                f"{MAX_WORKSPACE_BYTES // 1024 // 1024} MB"
            )
            return {}
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        problems.append(f"{path}: file not found")
        return {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path.name}: TOML syntax error: {exc}")
        return {}
    except (OSError, ValueError) as exc:  # not a regular file, unreadable, not UTF-8
        problems.append(f"{path.name}: cannot be read: {exc}")
        return {}
    n_before = len(problems)
    _check_numbers(path.name, data, problems)
    if len(problems) > n_before:
        return {}  # numbers that cannot be computed with: report them, nothing else
    _check_keys(path.name, data, problems)
    # absolute paths for files named in this file
    for ind in data.get("indicators", []) or []:
        if isinstance(ind, dict):
            src = ind.get("source")
            if isinstance(src, dict):
                where = f"{path.name}: indicator {ind.get('number', '?')}.source"
                if isinstance(src.get("files"), str):
                    src["files"] = [src["files"]]
                if isinstance(src.get("files"), list):
                    src["files"] = [
                        _rel(path.parent, f) if isinstance(f, str) else f for f in src["files"]
                    ]
                    for f in src["files"]:
                        if isinstance(f, str):
                            scope.check(f"{where}.files", f, problems)
                if isinstance(src.get("mapping"), str):
                    src["mapping"] = _rel(path.parent, src["mapping"])
                    scope.check(f"{where}.mapping", src["mapping"], problems)
                inst = src.get("instrument")
                if isinstance(inst, str) and inst.endswith(".toml"):
                    src["instrument"] = _rel(path.parent, inst)
                    scope.check(f"{where}.instrument", src["instrument"], problems)
            ind["__origin__"] = {k: path for k in ind}
    if isinstance(data.get("budget"), dict):
        data["budget"]["__origin__"] = path
    data["__files__"] = [path]
    data["__origin_top__"] = {k: path for k in data}
    ext = data.pop("extends", None)
    if ext is None:
        return data
    if not isinstance(ext, str):
        problems.append(f"{path.name}: extends: must be a file name (string)")
        return data
    target = _rel(path.parent, ext)
    n_before = len(problems)
    scope.check(f"{path.name}: extends", target, problems)
    if len(problems) > n_before:
        return data
    base = _read_raw(Path(target), problems, seen + (path,), scope)
    if not base:
        return data
    return _merge(base, data)


def _merge(base: dict, top: dict) -> dict:
    """``top`` over ``base``: top-level keys replace; ``indicators`` merge by
    ``number`` and ``sasaran`` by ``id`` key by key (each key given replaces the
    base's value wholesale: a ``reported`` or ``source`` table is replaced, not
    merged); ``budget`` merges key by key."""
    out = dict(base)
    for key, value in top.items():
        if key == "indicators" and isinstance(value, list):
            merged = [dict(i) for i in base.get("indicators", [])]
            by_no = {i.get("number"): i for i in merged}
            for ind in value:
                tgt = by_no.get(ind.get("number")) if isinstance(ind, dict) else None
                if tgt is None:
                    merged.append(ind)
                    continue
                origin = dict(tgt.get("__origin__", {}))
                origin.update(ind.get("__origin__", {}))
                tgt.update(ind)
                tgt["__origin__"] = origin
            out[key] = merged
        elif key == "sasaran" and isinstance(value, list):
            merged = [dict(s) for s in base.get("sasaran", [])]
            by_id = {s.get("id"): s for s in merged}
            for s in value:
                tgt = by_id.get(s.get("id")) if isinstance(s, dict) else None
                if tgt is None:
                    merged.append(s)
                else:
                    tgt.update(s)
            out[key] = merged
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


def _check_keys(fname: str, data: dict, problems: list[str]) -> None:
    """Unknown keys, per file, so the message names the file that has them."""
    for k in data:
        if k not in TOP_KEYS:
            problems.append(f"{fname}: {k}: unknown key (allowed: {', '.join(sorted(TOP_KEYS))})")
    for n, s in enumerate(data.get("sasaran", []) or []):
        if isinstance(s, dict):
            for k in s:
                if k not in SASARAN_KEYS:
                    problems.append(f"{fname}: sasaran[{s.get('id', n + 1)}].{k}: unknown key")
    for n, ind in enumerate(data.get("indicators", []) or []):
        if not isinstance(ind, dict):
            continue
        where = f"indicators[{ind.get('number', '#' + str(n + 1))}]"
        for k in ind:
            if k not in INDICATOR_KEYS:
                problems.append(
                    f"{fname}: {where}.{k}: unknown key (allowed: {', '.join(sorted(INDICATOR_KEYS))})"
                )
        src = ind.get("source")
        if isinstance(src, dict) and src.get("kind") in SOURCE_KEYS:
            for k in src:
                if k not in SOURCE_KEYS[src["kind"]]:
                    problems.append(
                        f"{fname}: {where}.source.{k}: unknown key for kind = {src['kind']!r} "
                        f"(allowed: {', '.join(sorted(SOURCE_KEYS[src['kind']]))})"
                    )
            for a_n, a in enumerate(src.get("aspects", []) or []):
                if isinstance(a, dict):
                    for k in a:
                        if k not in ASPECT_KEYS:
                            problems.append(
                                f"{fname}: {where}.source.aspects[{a_n + 1}].{k}: unknown key"
                            )
        rep = ind.get("reported")
        if isinstance(rep, dict):
            for k in rep:
                if k not in ("note", "groups") and not REPORTED_KEY.match(k):
                    problems.append(
                        f"{fname}: {where}.reported.{k}: unknown key (use target, realisasi, capaian, "
                        f"status, optionally with a suffix such as capaian_summary; or note, groups)"
                    )
        for h_n, h in enumerate(ind.get("history", []) or []):
            if isinstance(h, dict):
                for k in h:
                    if k not in HISTORY_KEYS:
                        problems.append(
                            f"{fname}: {where}.history[{h.get('year', h_n + 1)}].{k}: unknown key"
                        )
    b = data.get("budget")
    if isinstance(b, dict):
        for k in b:
            if k not in BUDGET_KEYS:
                problems.append(
                    f"{fname}: budget.{k}: unknown key (allowed: {', '.join(sorted(BUDGET_KEYS))})"
                )
        if isinstance(b.get("reported"), dict):
            for k in b["reported"]:
                if k not in BUDGET_REPORTED_KEYS:
                    problems.append(f"{fname}: budget.reported.{k}: unknown key")
        for a_n, a in enumerate(b.get("adjustments", []) or []):
            if isinstance(a, dict):
                for k in a:
                    if k not in ADJUSTMENT_KEYS:
                        problems.append(f"{fname}: budget.adjustments[{a_n + 1}].{k}: unknown key")
    for b_n, band in enumerate(data.get("category_bands", []) or []):
        if isinstance(band, dict):
            for k in band:
                if k not in BAND_KEYS:
                    problems.append(f"{fname}: category_bands[{b_n + 1}].{k}: unknown key")


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
    problems: list[str] = []
    data = _read_raw(path, problems, scope=_Scope(path.resolve().parent, allow_outside))
    if not data:
        raise WorkspaceError(problems or [f"{path}: empty workspace"])
    top_origin: dict[str, Path] = data.get("__origin_top__", {})

    def fn(key: str) -> str:
        return top_origin.get(key, path.resolve()).name

    ws = Workspace(
        path=path.resolve(), unit="", year=0, files=data.get("__files__", [path.resolve()])
    )

    # --- unit-level keys
    unit = data.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        problems.append(f'{fn("unit")}: unit: required (the unit\'s name, e.g. "BNN Kota ...")')
    else:
        ws.unit = unit.strip()
    if not isinstance(data.get("year"), int) or isinstance(data.get("year"), bool):
        problems.append(f"{fn('year')}: year: required, a whole number (e.g. 2024)")
    else:
        ws.year = data["year"]
    try:
        ws.lang = check_lang(data.get("lang", "id"))
    except ValueError as exc:
        problems.append(f"{fn('lang')}: lang: {exc}")
    ws.title = str(data.get("title", "") or "")
    ws.note = str(data.get("note", "") or "")
    if "cap" in data:
        if not _num(data["cap"]) or data["cap"] <= 0:
            problems.append(f"{fn('cap')}: cap: must be a positive number (percent), e.g. 120")
        else:
            ws.cap = float(data["cap"])
    if "capaian_precision" in data:
        if (
            not isinstance(data["capaian_precision"], int)
            or not 0 <= data["capaian_precision"] <= 6
        ):
            problems.append(f"{fn('capaian_precision')}: capaian_precision: a whole number 0..6")
        else:
            ws.capaian_precision = data["capaian_precision"]
    if "category_preset" in data:
        cp = data["category_preset"]
        if cp not in CATEGORY_PRESETS and cp != "none":
            problems.append(
                f"{fn('category_preset')}: category_preset: unknown preset {cp!r} "
                f"(known: {', '.join(CATEGORY_PRESETS)}, none)"
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
            problems.append(
                f"{fn('category_bands')}: category_bands: a list of {{min = number, label = text}}"
            )
        else:
            ws.category_bands = bands

    # --- sasaran
    seen_s: set[str] = set()
    for n, s in enumerate(data.get("sasaran", []) or []):
        where = f"sasaran[{n + 1}]"
        if not isinstance(s, dict):
            problems.append(f"{fn('sasaran')}: {where}: must be a table ([[sasaran]])")
            continue
        sid = s.get("id")
        if not isinstance(sid, str) or not sid:
            problems.append(f"{fn('sasaran')}: {where}.id: required (text)")
            continue
        if sid in seen_s:
            problems.append(f"{fn('sasaran')}: sasaran[{sid}].id: duplicate id")
        seen_s.add(sid)
        if not isinstance(s.get("name"), str) or not s["name"].strip():
            problems.append(f"{fn('sasaran')}: sasaran[{sid}].name: required")
        w = s.get("weight")
        if w is not None and not _num(w):
            problems.append(f"{fn('sasaran')}: sasaran[{sid}].weight: must be a number")
        ws.sasaran.append(
            Sasaran(
                sid, str(s.get("name", "")), float(w) if _num(w) else None, str(s.get("note", ""))
            )
        )
    if not ws.sasaran:
        problems.append(
            f"{fn('sasaran')}: sasaran: at least one [[sasaran]] with id and name is required"
        )

    # --- indicators
    inds = data.get("indicators", []) or []
    if not inds:
        problems.append(f"{fn('indicators')}: indicators: at least one [[indicators]] is required")
    seen_n: set[int] = set()
    for n, raw in enumerate(inds):
        if not isinstance(raw, dict):
            problems.append(
                f"{fn('indicators')}: indicators[#{n + 1}]: must be a table ([[indicators]])"
            )
            continue
        origin: dict[str, Path] = raw.get("__origin__", {})

        def f(key: str, _o=origin) -> str:
            return _o.get(key, _o.get("number", path.resolve())).name

        number = raw.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            problems.append(f"{f('number')}: indicators[#{n + 1}].number: required, a whole number")
            continue
        where = f"indicators[{number}]"
        if number in seen_n:
            problems.append(f"{f('number')}: {where}.number: duplicate indicator number")
        seen_n.add(number)
        sid = raw.get("sasaran")
        if not isinstance(sid, str) or sid not in seen_s:
            problems.append(
                f"{f('sasaran')}: {where}.sasaran: {'required' if sid is None else 'unknown sasaran id ' + repr(sid)}"
                f" (ids: {', '.join(sorted(seen_s))})"
            )
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{f('name')}: {where}.name: required")
        unit = raw.get("unit", "")
        if not isinstance(unit, str) or not unit.strip():
            problems.append(f"{f('unit')}: {where}.unit: required (e.g. {', '.join(KNOWN_UNITS)})")
        elif unit not in KNOWN_UNITS:
            ws.warnings.append(
                f"{f('unit')}: {where}.unit: {unit!r} is not one of {', '.join(KNOWN_UNITS)}"
            )
        target = raw.get("target")
        if "target" not in raw:
            problems.append(f"{f('number')}: {where}.target: missing (the PK target of the year)")
            target = None
        elif not _num(target):
            problems.append(f"{f('target')}: {where}.target: must be a number")
            target = None
        polarity = raw.get("polarity", "higher")
        if polarity not in POLARITIES:
            problems.append(
                f"{f('polarity')}: {where}.polarity: {polarity!r}; use 'higher' or 'lower'"
            )
        cap = raw.get("cap")
        if cap is not None and (not _num(cap) or cap <= 0):
            problems.append(f"{f('cap')}: {where}.cap: must be a positive number (percent)")
            cap = None
        weight = raw.get("weight", 1)
        if not _num(weight) or weight < 0:
            problems.append(f"{f('weight')}: {where}.weight: must be a number >= 0")
            weight = 1
        precision = raw.get("precision", 2)
        if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= 6:
            problems.append(
                f"{f('precision')}: {where}.precision: a whole number 0..6 (decimals of the realisasi)"
            )
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
            problems.append(
                f"{f('number')}: {where}.source: missing ([indicators.source] with kind = value/ikpa/instrument)"
            )
        elif not isinstance(src, dict):
            problems.append(f"{f('source')}: {where}.source: must be a table")
        else:
            ind.source = _source(src, f"{f('source')}: {where}.source", problems, check_files)
        # reported
        rep = raw.get("reported", {}) or {}
        if not isinstance(rep, dict):
            problems.append(f"{f('reported')}: {where}.reported: must be a table")
            rep = {}
        for k, v in rep.items():
            if k == "note" or not REPORTED_KEY.match(k):
                continue
            if k.startswith("status"):
                if not isinstance(v, str):
                    problems.append(
                        f'{f("reported")}: {where}.reported.{k}: must be text, e.g. "melebihi target"'
                    )
                    continue
                ind.reported[k] = Printed(v.strip(), v, 0)
                continue
            try:
                ind.reported[k] = parse_printed(v)
            except ValueError as exc:
                problems.append(f"{f('reported')}: {where}.reported.{k}: {exc}")
        groups = rep.get("groups")
        if groups is not None:
            if not isinstance(groups, dict):
                problems.append(
                    f"{f('reported')}: {where}.reported.groups: must be a table group -> printed value"
                )
            else:
                for g, v in groups.items():
                    try:
                        ind.reported_groups[g] = parse_printed(v)
                    except ValueError as exc:
                        problems.append(f"{f('reported')}: {where}.reported.groups.{g}: {exc}")
        # history
        hist = raw.get("history", []) or []
        if not isinstance(hist, list):
            problems.append(
                f"{f('history')}: {where}.history: must be a list of {{year, target, realisasi}}"
            )
            hist = []
        years: set[int] = set()
        for h_n, h in enumerate(hist):
            hw = f"{f('history')}: {where}.history[{h_n + 1}]"
            if not isinstance(h, dict):
                problems.append(
                    f"{hw}: must be a table {{year = ..., target = ..., realisasi = ...}}"
                )
                continue
            y = h.get("year")
            if not isinstance(y, int) or isinstance(y, bool):
                problems.append(f"{hw}.year: required, a whole number")
                continue
            if ws.year and y >= ws.year:
                problems.append(f"{hw}.year: {y} is not before the workspace year {ws.year}")
            if y in years:
                problems.append(f"{hw}.year: duplicate year {y}")
            years.add(y)
            entry = HistoryEntry(y, note=str(h.get("note", "") or ""))
            for k in ("target", "realisasi"):
                if k in h:
                    if not _num(h[k]):
                        problems.append(f"{hw}.{k}: must be a number")
                    else:
                        setattr(entry, k, float(h[k]))
            if "capaian" in h:
                try:
                    entry.capaian = parse_printed(h["capaian"])
                except ValueError as exc:
                    problems.append(f"{hw}.capaian: {exc}")
            ind.history.append(entry)
        ind.history.sort(key=lambda e: e.year)
        ws.indicators.append(ind)
    ws.indicators.sort(key=lambda i: i.number)

    # --- budget
    b = data.get("budget")
    if b is not None:
        bf = b.get("__origin__", path.resolve()).name if isinstance(b, dict) else fn("budget")
        if not isinstance(b, dict):
            problems.append(f"{bf}: budget: must be a table [budget]")
        else:
            ok = True
            for k in ("pagu", "realisasi"):
                if k not in b:
                    problems.append(f"{bf}: budget.{k}: missing")
                    ok = False
                elif not _num(b[k]) or b[k] < 0:
                    problems.append(f"{bf}: budget.{k}: must be an amount in rupiah (number >= 0)")
                    ok = False
            if ok:
                spec = BudgetSpec(
                    float(b["pagu"]), float(b["realisasi"]), note=str(b.get("note", "") or "")
                )
                if "awal" in b:
                    if _num(b["awal"]):
                        spec.awal = float(b["awal"])
                    else:
                        problems.append(f"{bf}: budget.awal: must be an amount")
                for a_n, a in enumerate(b.get("adjustments", []) or []):
                    aw = f"{bf}: budget.adjustments[{a_n + 1}]"
                    if not isinstance(a, dict) or not _num(a.get("amount")):
                        problems.append(f"{aw}.amount: required, an amount (negative for a cut)")
                        continue
                    adj = Adjustment(
                        str(a.get("label", "")),
                        float(a["amount"]),
                        note=str(a.get("note", "") or ""),
                    )
                    if "result" in a:
                        try:
                            adj.result = parse_printed(a["result"])
                        except ValueError as exc:
                            problems.append(f"{aw}.result: {exc}")
                    spec.adjustments.append(adj)
                if spec.adjustments and spec.awal is None:
                    problems.append(
                        f"{bf}: budget.awal: required when budget.adjustments are given"
                    )
                for k, v in (b.get("reported", {}) or {}).items():
                    if k == "note" or k not in BUDGET_REPORTED_KEYS:
                        continue
                    try:
                        spec.reported[k] = parse_printed(v)
                    except ValueError as exc:
                        problems.append(f"{bf}: budget.reported.{k}: {exc}")
                ws.budget = spec

    if problems:
        raise WorkspaceError(problems)
    return ws


def _source(src: dict, where: str, problems: list[str], check_files: bool) -> Source | None:
    kind = src.get("kind")
    if kind not in SOURCE_KINDS:
        problems.append(
            f"{where}.kind: unknown source kind {kind!r} (use {', '.join(SOURCE_KINDS)})"
        )
        return None
    s = Source(kind=kind, note=str(src.get("note", "") or ""))
    if kind == "value":
        v = src.get("value")
        if v is None:
            s.value = None  # realisasi not known yet: no capaian, a message
        elif not _num(v):
            problems.append(f"{where}.value: must be a number (the realisasi)")
        else:
            s.value = float(v)
        s.system = str(src.get("system", "") or "")
    elif kind == "ikpa":
        aspects = src.get("aspects")
        if not isinstance(aspects, list) or not aspects:
            problems.append(
                f"{where}.aspects: required for kind = 'ikpa': a list of {{name, value, weight}}"
            )
            return s
        for a_n, a in enumerate(aspects):
            aw = f"{where}.aspects[{a_n + 1}]"
            if not isinstance(a, dict) or not _num(a.get("value")) or not _num(a.get("weight")):
                problems.append(f"{aw}: needs name, value (number) and weight (number)")
                continue
            asp = Aspect(
                str(a.get("name", f"#{a_n + 1}")),
                float(a["value"]),
                float(a["weight"]),
                str(a.get("group", "") or ""),
            )
            if "reported_score" in a:
                try:
                    asp.reported_score = parse_printed(a["reported_score"])
                except ValueError as exc:
                    problems.append(f"{aw}.reported_score: {exc}")
            s.aspects.append(asp)
        if s.aspects:
            total = ikpa_weight_total([{"value": a.value, "weight": a.weight} for a in s.aspects])
            if total != 100:
                problems.append(f"{where}.aspects: weights sum to {float(total):g}, not 100")
    else:
        inst = src.get("instrument")
        if not isinstance(inst, str) or not inst:
            problems.append(
                f"{where}.instrument: required for kind = 'instrument' (one of {', '.join(list_instruments())})"
            )
        elif not inst.endswith(".toml"):
            try:
                get_instrument(inst)  # built-in id or alias ("skm", "ikm-rehab", "ikm2004")
            except UnknownInstrumentError:
                problems.append(
                    f"{where}.instrument: unknown instrument {inst!r} (built-in: {', '.join(list_instruments())}; "
                    "or a definition file ending in .toml)"
                )
        s.instrument = str(inst or "")
        figure = src.get("figure")
        if figure not in FIGURES:
            problems.append(f"{where}.figure: {figure!r}; use one of {', '.join(FIGURES)}")
        s.figure = str(figure or "")
        files = src.get("files")
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not files or not all(isinstance(x, str) for x in files):
            problems.append(
                f"{where}.files: required: a list of questionnaire files relative to the workspace"
            )
            files = []
        s.files = [Path(x) for x in files]
        if s.figure in FIGURE_FILES and files and len(files) not in FIGURE_FILES[s.figure]:
            n_ok = " or ".join(str(k) for k in FIGURE_FILES[s.figure])
            problems.append(
                f"{where}.files: figure {s.figure!r} takes {n_ok} file(s) (pre, post), got {len(files)}"
            )
        if check_files:
            for p in s.files:
                if not p.exists():
                    problems.append(f"{where}.files: file not found: {p}")
        if s.instrument.endswith(".toml") and check_files and not Path(s.instrument).exists():
            problems.append(f"{where}.instrument: definition file not found: {s.instrument}")
        s.id_column = src.get("id_column")
        if s.id_column is not None and not isinstance(s.id_column, str):
            problems.append(f"{where}.id_column: must be a column name")
        s.group_by = src.get("group_by")
        if s.group_by is not None and not isinstance(s.group_by, (str, list)):
            problems.append(f"{where}.group_by: a column name or a list of column names")
        mapping = src.get("mapping")
        if mapping is not None:
            if isinstance(mapping, str):
                if check_files and not Path(mapping).exists():
                    problems.append(f"{where}.mapping: file not found: {mapping}")
            elif not isinstance(mapping, dict):
                problems.append(
                    f"{where}.mapping: a mapping file name or a table column -> item id"
                )
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
