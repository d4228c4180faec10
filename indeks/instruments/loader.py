"""Read and validate instrument definition files (TOML).

Every problem is reported as a :class:`DefinitionError` naming the file, the offending
key (``domains[2].min_answered``) and, where it can be found, the line; never a KeyError
from deep inside.  The loader collects all problems of a file in one pass: a file with
five mistakes is reported with five lines.  The full format is documented in
``indeks/instruments/FORMAT.md``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from indeks.errors import IndeksError
from indeks.i18n import tr
from indeks.instruments.loader_messages import LOADER_MESSAGES
from indeks.instruments.model import (
    Aggregation,
    Band,
    CategoryTable,
    Conversion,
    Domain,
    Eligibility,
    Example,
    Form,
    IndexSpec,
    Instrument,
    Item,
    PrePost,
    ProvisionalNote,
    Scale,
    Transform,
    TransformRule,
)
from indeks.numbers import to_fraction

DOMAIN_METHODS = ("mean", "sum", "percent_of_max", "percent_of_points")
INDEX_METHODS = ("weighted_mean", "mean", "percent_of_points")
AGGREGATIONS = ("mean_of_respondents", "pool_item_means", "pool_points")
PREPOST_REPORTED = ("post_group_index", "pct_improved")

#: numbers in a definition must be smaller than this in magnitude
MAX_MAGNITUDE = Fraction(10**15)
#: decimals a score or a category table may declare
MAX_PRECISION = 10
#: largest definition file read (bytes)
MAX_FILE_BYTES = 5_000_000
#: scale codes are whole numbers within +-MAX_CODE
MAX_CODE = 1_000_000


class Msg:
    """A loader message: entry ``key`` of :data:`LOADER_MESSAGES` with its values.

    ``str()`` is English (what :class:`Problem` and ``str(DefinitionError)`` show);
    :meth:`text` renders either language.  A value that has its own ``text(lang)`` (a
    :class:`Msg` such as a kind of value or a hint, an error) is rendered in the same
    language.
    """

    __slots__ = ("key", "values")

    def __init__(self, key: str, **values: Any):
        if key not in LOADER_MESSAGES:
            raise KeyError(f"no loader message {key!r}")
        self.key = key
        self.values = values

    def text(self, lang: str | None = None) -> str:
        vals = {k: _in_lang(v, lang) for k, v in self.values.items()}
        return tr(LOADER_MESSAGES[self.key], lang, **vals)

    def __str__(self) -> str:
        return self.text("en")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, str(self)) == (other.key, str(other))

    def __hash__(self) -> int:
        return hash((self.key, str(self)))


def _in_lang(value: Any, lang: str | None) -> Any:
    """A value with its own ``text(lang)`` (a :class:`Msg`, an error) rendered in ``lang``."""
    text = getattr(value, "text", None)
    return text(lang) if callable(text) else value


@dataclass(frozen=True)
class Problem:
    """One problem in a definition file.

    ``message`` is English; ``msg`` (when known) renders it in either language."""

    path: str
    key: str
    message: str
    line: int | None = None
    msg: Msg | None = field(default=None, compare=False)

    def text(self, lang: str | None = None) -> str:
        """The problem as one line, ``file:line: key: message``, in ``lang``."""
        message = self.msg.text(lang) if self.msg is not None else self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.key}: {message}" if self.key else f"{where}: {message}"

    def __str__(self) -> str:
        return self.text("en")


class DefinitionError(IndeksError):
    """A definition file that cannot be used.

    ``problems`` lists every problem found (file, key, line where known, message);
    ``path``, ``key`` and ``message`` are those of the first.  ``str()`` is one line per
    problem in English; :meth:`text` gives them in Bahasa Indonesia or English.
    """

    def __init__(
        self,
        path: str,
        key: str = "",
        message: str | Msg = "",
        line: int | None = None,
        problems: list[Problem] | None = None,
    ):
        if not problems:
            msg = message if isinstance(message, Msg) else None
            problems = [Problem(path, key, str(message), line, msg)]
        self.problems = list(problems)
        first = self.problems[0]
        self.path = first.path
        self.key = first.key
        self.message = first.message
        self.line = first.line
        super().__init__("\n".join(str(p) for p in self.problems))

    def text(self, lang: str | None = None) -> str:
        """One line per problem in ``lang`` (Bahasa Indonesia by default); ``str()`` is
        English."""
        return "\n".join(p.text(lang) for p in self.problems)


_TOP_KEYS = {
    "id",
    "name",
    "name_en",
    "version",
    "status",
    "description",
    "sources",
    "aliases",
    "provisional",
    "scales",
    "label_sets",
    "forms",
    "items",
    "item_defaults",
    "alias_patterns",
    "domains",
    "index",
    "conversion",
    "categories",
    "aggregation",
    "eligibility",
    "prepost",
    "missing",
    "transforms",
    "columns",
    "sample_size",
    "examples",
}

T = TypeVar("T")
K = TypeVar("K")


class _Skip(Exception):
    """A section could not be parsed; its problems are already recorded."""


class _Ctx:
    def __init__(self, path: str, text: str | None = None):
        self.path = path
        self.problems: list[Problem] = []
        # domains whose items (or which themselves) could not be read: checks that count
        # their members or need their range are skipped instead of reporting false problems
        self.incomplete_domains: set[str] = set()
        self._locator = _Locator(text) if text else None

    def problem(self, key: str, message: str | Msg) -> Problem:
        line = self._locator.line(key) if self._locator else None
        msg = message if isinstance(message, Msg) else None
        return Problem(self.path, key, str(message), line, msg)

    def fail(self, key: str, message: str | Msg) -> DefinitionError:
        return DefinitionError(self.path, problems=[self.problem(key, message)])

    def note(self, key: str, message: str | Msg) -> None:
        """Record a problem and carry on."""
        self.problems.append(self.problem(key, message))

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Record a DefinitionError raised inside and carry on after the block."""
        try:
            yield
        except DefinitionError as exc:
            self.problems.extend(exc.problems)

    def each_table(
        self,
        raw: Any,
        name: str,
        allowed: set[str],
        required: tuple[str, ...],
        parse: Callable[[str, dict[str, Any]], T],
        named: bool = False,
    ) -> list[T]:
        """``parse(key, table)`` of each table of the list ``[[name]]`` whose keys are
        ``allowed`` (``required`` present), key ``name[i]`` (``name[i] (its name)`` with
        ``named``). A problem in one table is recorded and the next one is still read."""
        out: list[T] = []
        for i, table in enumerate(self.list_(raw, name, Msg("what_tables", name=name))):
            k = f"{name}[{i}]"
            if named and isinstance(table, dict) and isinstance(table.get("name"), str):
                k = f"{k} ({table['name']})"
            with self.guard():
                self.keys(table, allowed, k, required=required)
                out.append(parse(k, table))
        return out

    def all_or_skip(
        self, entries: Iterable[tuple[K, Any]], parse: Callable[[K, Any], T]
    ) -> dict[K, T]:
        """``parse(key, value)`` of every entry; a problem is recorded and the next entry
        still read. Raises :class:`_Skip` at the end when any failed (the section is then
        incomplete and checks that need all of it are skipped)."""
        out: dict[K, T] = {}
        failed = False
        for key, value in entries:
            try:
                out[key] = parse(key, value)
            except DefinitionError as exc:
                self.problems.extend(exc.problems)
                failed = True
        if failed:
            raise _Skip()
        return out

    def keys(self, table: Any, allowed: set[str], key: str, required: tuple[str, ...] = ()) -> None:
        if not isinstance(table, dict):
            raise self.fail(key, Msg("must_be_table", table=_kind(table)))
        for k in table:
            if k not in allowed:
                close = _closest(k, allowed)
                hint = Msg("did_you_mean", close=close) if close else ""
                self.note(
                    _join(key, k),
                    Msg("unknown_key", hint=hint, allowed=", ".join(sorted(allowed))),
                )
        missing = [k for k in required if k not in table]
        if missing:
            if len(missing) > 1:
                for k in missing[1:]:
                    self.note(_join(key, k), Msg("required_key_missing"))
            raise self.fail(_join(key, missing[0]), Msg("required_key_missing"))

    def num(self, value: Any, key: str) -> Fraction:
        try:
            f = to_fraction(value)
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            raise self.fail(key, Msg("not_a_number", value=_show(value))) from None
        if abs(f) >= MAX_MAGNITUDE:
            raise self.fail(key, Msg("number_too_large", value=_show(value)))
        if f != 0 and abs(f) < Fraction(1, 10**15):
            raise self.fail(key, Msg("number_too_small", value=_show(value)))
        return f

    def int_(self, value: Any, key: str, lo: int | None = None, hi: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, Msg("must_be_whole", value=_show(value)))
        if abs(value) >= MAX_MAGNITUDE:
            raise self.fail(key, Msg("number_too_large", value=value))
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self.fail(key, Msg("not_between", value=value, lo=lo, hi=hi))
        return value

    def precision(self, value: Any, key: str) -> int:
        """Decimals 0..10; a wrong value is recorded and 2 used, so checking goes on."""
        try:
            return self.int_(value, key, 0, MAX_PRECISION)
        except DefinitionError as exc:
            self.problems.extend(exc.problems)
            return 2

    def bool_(self, value: Any, key: str) -> bool:
        """true or false; anything else is recorded (checking goes on with false)."""
        if not isinstance(value, bool):
            hint = Msg("hint_true_false") if isinstance(value, str) else ""
            self.note(key, Msg("must_be_bool", value=_show(value), hint=hint))
            return False
        return value

    def str_(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, Msg("must_be_text", value=_show(value)))
        return value

    def text(self, table: dict[str, Any], name: str, key: str, default: str = "") -> str:
        """The optional text ``name`` of ``table`` (``default`` when absent) at ``key.name``."""
        return self.str_(table.get(name, default), f"{key}.{name}")

    def choice(self, value: Any, key: str, options: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in options:
            raise self.fail(key, Msg("use_one_of", value=_show(value), options=", ".join(options)))
        return value

    def strs(self, value: Any, key: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, Msg("must_be_texts", value=_show(value)))
        return tuple(value)

    def list_(self, value: Any, key: str, what: str | Msg) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(key, Msg("must_be_list_of", what=what, value=_kind(value)))
        return value


def _kind(value: Any) -> str | Msg:
    """What kind of value this is ("a table", "text"...), in either language."""
    if isinstance(value, bool):
        return Msg("kind_bool")
    if isinstance(value, dict):
        return Msg("kind_table")
    if isinstance(value, list):
        return Msg("kind_list")
    if isinstance(value, str):
        return Msg("kind_text")
    if isinstance(value, (int, float)):
        return Msg("kind_number")
    return type(value).__name__


def _show(value: Any) -> str | Msg:
    """A short readable form of a value for messages."""
    if isinstance(value, (dict, list)):
        return _kind(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _closest(word: str, options: set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.75)
    return found[0] if found else None


_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------------------------
class _Locator:
    """Find the line of a key such as ``domains[1] (d2).method`` in the TOML text.

    A best effort: tables and arrays of tables are found by their headers, items by
    their ``id = "..."``; when nothing is found the problem has no line.
    """

    _PART = re.compile(r"([^.\[\s(]+)(?:\[(\d+)\])?(?: \(([^)]*)\))?")

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def _find(self, pattern: re.Pattern[str], start: int, end: int, nth: int = 0) -> int | None:
        seen = 0
        for i in range(start, end):
            if pattern.search(self.lines[i]):
                if seen == nth:
                    return i
                seen += 1
        return None

    def _block_end(self, start: int) -> int:
        for i in range(start + 1, len(self.lines)):
            if self.lines[i].lstrip().startswith("["):
                return i
        return len(self.lines)

    def line(self, key: str) -> int | None:
        if not key or not self.lines:
            return None
        parts = []
        for m in self._PART.finditer(key):
            parts.append((m.group(1), m.group(2), m.group(3)))
        found: int | None = None
        start, end = 0, len(self.lines)
        prefix = ""
        i = 0
        while i < len(parts):
            name, idx, ident = parts[i]
            dotted = _join(prefix, name)
            esc = re.escape(dotted)
            if idx is not None:
                header = self._find(
                    re.compile(rf"^\s*\[\[\s*{esc}\s*\]\]"), 0, len(self.lines), int(idx)
                )
                if header is not None:
                    found, start, end = header, header, self._block_end(header)
                elif ident:
                    at = self._find(
                        re.compile(rf"\{{\s*id\s*=\s*[\"']{re.escape(ident)}[\"']"), start, end
                    )
                    if at is None:
                        return found
                    found, start, end = at, at, at + 1
                else:
                    at = self._find(re.compile(rf"^\s*{esc}\s*="), start, end)
                    return at if at is not None else found
                prefix = ""
            else:
                header = self._find(re.compile(rf"^\s*\[\s*{esc}\s*\]"), 0, len(self.lines))
                if header is not None:
                    found, start, end = header, header, self._block_end(header)
                    prefix = ""
                else:
                    at = self._find(re.compile(rf"(^|[{{,\s]){re.escape(name)}\s*="), start, end)
                    if at is not None:
                        found, start, end = at, at, at + 1
                        prefix = ""
                    else:
                        prefix = dotted
            i += 1
        return None if found is None else found + 1


# ---------------------------------------------------------------------------------
def load_instrument(path: str | Path) -> Instrument:
    """Load and validate a definition file."""
    p = Path(path)
    name = str(p)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".csv", ".ods"):
        raise DefinitionError(
            name,
            "",
            Msg("kisi_not_definition", file=p.name, stem=p.stem),
        )
    try:
        if p.exists() and not p.is_file():
            raise DefinitionError(name, "", Msg("not_regular_file"))
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DefinitionError(
                name,
                "",
                Msg("file_too_large", size=size, limit=MAX_FILE_BYTES),
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise DefinitionError(name, "", Msg("cannot_read", reason=exc.strerror or exc)) from None
    return parse_definition_text(raw, name)


def parse_definition_text(raw: bytes | str, path: str = "<definition>") -> Instrument:
    """Parse and validate the bytes (or text) of a definition file."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")  # a BOM (Windows Notepad) is accepted
        except UnicodeDecodeError as exc:
            raise DefinitionError(
                path,
                "",
                Msg("not_utf8", byte=exc.start),
            ) from None
    else:
        text = raw.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = None
        m = re.search(r"line (\d+)", str(exc))
        if m:
            line = int(m.group(1))
        raise DefinitionError(path, "", Msg("not_toml", exc=exc), line=line) from None
    except RecursionError:
        raise DefinitionError(path, "", Msg("nested_too_deep")) from None
    return parse_definition(data, path, text=text)


def parse_definition(
    data: dict[str, Any], path: str = "<definition>", text: str | None = None
) -> Instrument:
    """Validate a parsed definition; every problem found is reported in one error."""
    c = _Ctx(path, text)
    try:
        inst = _parse(c, data)
    except DefinitionError as exc:
        c.problems.extend(exc.problems)
        inst = None
    except _Skip:
        inst = None
    if c.problems or inst is None:
        invalid = Msg("invalid_definition")
        # keep file order where lines are known, unknown lines last, stable otherwise
        probs = list(dict.fromkeys(c.problems))
        raise DefinitionError(
            path, problems=probs or [Problem(path, "", str(invalid), msg=invalid)]
        )
    return inst


def _get(c: _Ctx, fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
    """Run one section parser; on failure record its problems and return ``default``."""
    try:
        return fn(c, *args)
    except DefinitionError as exc:
        c.problems.extend(exc.problems)
        return default
    except _Skip:
        return default


def _parse(c: _Ctx, data: Any) -> Instrument:
    c.keys(
        data,
        _TOP_KEYS,
        "",
        required=("id", "name", "version", "status", "scales", "items", "domains"),
    )
    iid = _get(c, lambda c: _parse_id(c, data["id"]))
    name = _get(c, lambda c: c.str_(data["name"], "name"))
    name_en = _get(c, lambda c: c.str_(data.get("name_en", ""), "name_en"), default="")
    version = _get(c, lambda c: _parse_version(c, data["version"]))
    status = _get(c, lambda c: c.choice(data["status"], "status", ("official", "provisional")))
    description = _get(c, lambda c: c.str_(data.get("description", ""), "description"), default="")
    sources = _get(c, lambda c: c.strs(data.get("sources", []), "sources"), default=())
    aliases = _get(c, lambda c: c.strs(data.get("aliases", []), "aliases"), default=())

    provisional = _get(c, _parse_provisional, data.get("provisional", []))
    if status == "provisional" and provisional == ():
        c.note(
            "provisional",
            Msg("provisional_needs_notes"),
        )

    missing = _get(c, _parse_missing, data.get("missing", {}))
    missing_rules, rule_notes, assess_min = missing if missing else (("default",), {}, {})
    transform_rules = _get(c, _parse_transforms, data.get("transforms", {}), default=())
    label_sets = _get(c, _parse_label_sets, data.get("label_sets", {}), default={})
    scales = _get(c, _parse_scales, data["scales"])
    forms = _get(c, _parse_forms, data.get("forms", {}), missing_rules)
    domain_tables = data["domains"]
    declared_domains: list[str] = []
    if not isinstance(domain_tables, list) or not domain_tables:
        c.note("domains", Msg("domains_not_list"))
        domain_tables = []
    for i, d in enumerate(domain_tables):
        if isinstance(d, dict) and isinstance(d.get("id"), str):
            if d["id"] in declared_domains:
                c.note(f"domains[{i}] ({d['id']}).id", Msg("duplicate_domain_declared", id=d["id"]))
            else:
                declared_domains.append(d["id"])
    items = None
    if scales is not None and forms is not None:
        items = _get(c, _parse_items, data, scales, forms, label_sets, set(declared_domains))
    if items is None:
        # the rest depends on the items: check what can be checked on its own, then stop
        for i, d in enumerate(domain_tables):
            with c.guard():
                c.keys(d, _DOMAIN_KEYS, f"domains[{i}]", required=("id", "label", "method"))
        raise _Skip()
    domains = _get(c, _parse_domains, domain_tables, items, scales, missing_rules)
    if domains is None:
        raise _Skip()
    index = _get(c, _parse_index, data.get("index"), domains, items, scales)
    if index is None and data.get("index") is not None:
        raise _Skip()
    conversion = _get(c, _parse_conversion, data.get("conversion"))
    if conversion is None and data.get("conversion") is not None:
        raise _Skip()
    if conversion is not None and index is None:
        c.note("conversion", Msg("conversion_needs_index"))
    ranges = _ranges(domains, index, conversion, items, scales)
    for score, (lo, hi) in ranges.items():
        if max(abs(lo), abs(hi)) >= MAX_MAGNITUDE:
            c.note(
                _range_key(score),
                Msg(
                    "score_too_large",
                    score=score,
                    reach=float(hi if abs(hi) > abs(lo) else lo),
                ),
            )
    categories = _get(c, _parse_categories, data.get("categories", []), ranges, default=())
    aggregation = _get(c, _parse_aggregation, data.get("aggregation", {}), index)
    eligibility = _get(c, _parse_eligibility, data.get("eligibility", []), default=())
    prepost = _get(c, _parse_prepost, data.get("prepost"), domains, index)
    cols = data.get("columns", {})
    col_vals: dict[str, tuple[str, ...]] = {}
    with c.guard():
        c.keys(cols, {"id", "form", "unit", "groups"}, "columns")
        for ck in ("id", "form", "unit", "groups"):
            if ck in cols:
                with c.guard():
                    vals = c.strs(cols[ck], f"columns.{ck}")
                    if not vals and ck != "groups":
                        raise c.fail(f"columns.{ck}", Msg("name_a_column"))
                    col_vals[ck] = vals
    form_col = col_vals.get("form")
    unit_col = col_vals.get("unit")
    if len(forms) > 1 and not form_col and "form" not in cols:
        c.note(
            "columns.form",
            Msg("forms_need_column"),
        )
    sample = data.get("sample_size", {})
    krejcie = False
    with c.guard():
        c.keys(sample, {"krejcie_morgan"}, "sample_size")
        krejcie = c.bool_(sample.get("krejcie_morgan", False), "sample_size.krejcie_morgan")

    for n_key, n in assess_min.items():
        total = len(items)
        if n > total:
            c.note(
                f"missing.rules.{n_key}.assessment_min_answered",
                Msg("min_answered_above_items", n=n, total=total),
            )
    examples = _get(
        c,
        _parse_examples,
        data.get("examples", []),
        items,
        domains,
        index,
        conversion,
        categories,
        forms,
        missing_rules,
        default=(),
    )
    if c.problems or None in (iid, name, version, status, aggregation):
        raise _Skip()
    if index is None and data.get("prepost") is not None and prepost is None:
        raise _Skip()

    return Instrument(
        id=iid,
        name=name,
        name_en=name_en,
        version=version,
        status=status,
        description=description,
        sources=sources,
        provisional=provisional,
        scales=scales,
        forms=forms,
        items=items,
        domains=domains,
        index=index,
        conversion=conversion,
        categories=categories,
        aggregation=aggregation,
        eligibility=eligibility,
        prepost=prepost,
        missing_rules=missing_rules,
        missing_rule_notes=rule_notes,
        assessment_min_answered=assess_min,
        id_aliases=col_vals.get("id", ("id",)),
        form_column=form_col[0] if form_col else None,
        form_aliases=form_col or (),
        unit_column=unit_col[0] if unit_col else None,
        unit_aliases=unit_col or (),
        group_columns=col_vals.get("groups", ()),
        krejcie_morgan=krejcie,
        aliases=aliases,
        path=c.path,
        examples=examples,
        transform_rules=transform_rules or (),
    )


def _range_key(score: str) -> str:
    if score == "index":
        return "index"
    if score == "index_converted":
        return "conversion.multiply"
    return f"domains ({score})"


def _parse_id(c: _Ctx, value: Any) -> str:
    iid = c.str_(value, "id")
    if not re.match(r"^[a-z0-9][a-z0-9_.-]*$", iid) or len(iid) > 64:
        raise c.fail("id", Msg("bad_instrument_id", item=iid))
    return iid


def _parse_version(c: _Ctx, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise c.fail("version", Msg("bad_version", value=_show(value)))
    return str(value)


def _parse_provisional(c: _Ctx, raw: Any) -> tuple[ProvisionalNote, ...]:
    def one(k: str, p: dict[str, Any]) -> ProvisionalNote:
        return ProvisionalNote(c.str_(p["key"], k + ".key"), c.str_(p["note"], k + ".note"))

    return tuple(c.each_table(raw, "provisional", {"key", "note"}, ("key", "note"), one))


def _default_first(c: _Ctx, raw: dict[str, Any], rules: dict[str, Any], key: str) -> list[str]:
    """The names of the rules of ``[key]``, the default one (``key.default``, else the
    first declared) first."""
    default = raw.get("default", next(iter(rules)))
    if not isinstance(default, str) or default not in rules:
        raise c.fail(
            f"{key}.default",
            Msg("default_not_a_rule", default=_show(default), declared=", ".join(rules)),
        )
    return [default] + [r for r in rules if r != default]


def _parse_missing(c: _Ctx, raw: Any) -> tuple[tuple[str, ...], dict[str, str], dict[str, int]]:
    c.keys(raw, {"default", "rules"}, "missing")
    rules = raw.get("rules", {"default": {"assessment_min_answered": 1}})
    if not isinstance(rules, dict):
        raise c.fail("missing.rules", Msg("missing_rules_not_table", rules=_kind(rules)))
    if not rules:
        raise c.fail("missing.rules", Msg("no_missing_rule"))
    names = _default_first(c, raw, rules, "missing")
    notes, mins = {}, {}
    for r in names:
        k = f"missing.rules.{r}"
        c.keys(rules[r], {"note", "assessment_min_answered"}, k)
        notes[r] = c.str_(rules[r].get("note", ""), k + ".note")
        mins[r] = c.int_(
            rules[r].get("assessment_min_answered", 1), k + ".assessment_min_answered", 0
        )
    return tuple(names), notes, mins


def _parse_transforms(c: _Ctx, raw: Any) -> tuple[TransformRule, ...]:
    """``[transforms]``: named ways of applying the domain transforms (default first)."""
    if not raw:
        return ()
    c.keys(raw, {"default", "rules"}, "transforms")
    rules = raw.get("rules", {})
    if not isinstance(rules, dict) or not rules:
        raise c.fail("transforms.rules", Msg("no_transform_rule"))
    out = []
    for r in _default_first(c, raw, rules, "transforms"):
        k = f"transforms.rules.{r}"
        if not isinstance(rules[r], dict):
            raise c.fail(k, Msg("must_be_table", table=_kind(rules[r])))
        c.keys(rules[r], {"note", "round_input", "round_output"}, k)
        rin = rules[r].get("round_input")
        rout = rules[r].get("round_output")
        out.append(
            TransformRule(
                r,
                c.str_(rules[r].get("note", ""), k + ".note"),
                None if rin is None else c.int_(rin, k + ".round_input", 0, 10),
                None if rout is None else c.int_(rout, k + ".round_output", 0, 10),
            )
        )
    return tuple(out)


def _parse_labels(c: _Ctx, raw: Any, key: str) -> dict[int, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise c.fail(key, Msg("labels_not_table", raw=_kind(raw)))
    out = {}
    for code, texts in raw.items():
        try:
            icode = int(code)
        except ValueError:
            raise c.fail(f"{key}.{code}", Msg("code_not_whole")) from None
        if abs(icode) > MAX_CODE:
            raise c.fail(f"{key}.{code}", Msg("code_too_large", limit=MAX_CODE))
        out[icode] = c.strs(texts, f"{key}.{code}")
    _unique_labels(c, [(key, out)], key)
    return out


def _unique_labels(
    c: _Ctx, sources: list[tuple[str, dict[int, tuple[str, ...]]]], key: str
) -> None:
    """The same answer text (as matched: ignoring case, spaces, hyphens) may mean one code only."""
    from indeks.scoring.coerce import norm_label

    seen: dict[str, tuple[int, str]] = {}
    for where, labels in sources:
        for code, texts in labels.items():
            for t in texts:
                n = norm_label(t)
                if n in seen and seen[n][0] != code:
                    raise c.fail(
                        key,
                        Msg(
                            "answer_text_two_codes",
                            text=t,
                            first_code=seen[n][0],
                            first_where=seen[n][1],
                            code=code,
                            where=where,
                        ),
                    )
                seen.setdefault(n, (code, where))


def _parse_label_sets(c: _Ctx, raw: Any) -> dict[str, dict[int, tuple[str, ...]]]:
    if not isinstance(raw, dict):
        raise c.fail("label_sets", Msg("label_sets_not_table", raw=_kind(raw)))
    out = {}
    for name, v in raw.items():
        with c.guard():
            out[name] = _parse_labels(c, v, f"label_sets.{name}")
    return out


def _parse_scales(c: _Ctx, raw: Any) -> dict[str, Scale]:
    if not isinstance(raw, dict) or not raw:
        raise c.fail("scales", Msg("no_scale"))
    return c.all_or_skip(raw.items(), lambda sid, s: _parse_scale(c, sid, s))


def _parse_scale(c: _Ctx, sid: str, s: Any) -> Scale:
    from indeks.scoring.coerce import norm_label

    k = f"scales.{sid}"
    c.keys(
        s,
        {"min", "max", "labels", "missing_codes", "missing_labels"},
        k,
        required=("min", "max"),
    )
    lo = c.int_(s["min"], k + ".min", -MAX_CODE, MAX_CODE)
    hi = c.int_(s["max"], k + ".max", -MAX_CODE, MAX_CODE)
    if lo >= hi:
        raise c.fail(k, Msg("scale_min_max", lo=lo, hi=hi))
    labels = _parse_labels(c, s.get("labels", {}), k + ".labels")
    for code in labels:
        if not lo <= code <= hi:
            raise c.fail(f"{k}.labels.{code}", Msg("code_outside_scale", code=code, lo=lo, hi=hi))
    mcodes = []
    for j, m in enumerate(
        c.list_(s.get("missing_codes", []), k + ".missing_codes", Msg("what_numbers"))
    ):
        v = c.num(m, f"{k}.missing_codes[{j}]")
        if lo <= v <= hi:
            raise c.fail(
                f"{k}.missing_codes[{j}]", Msg("missing_code_in_scale", code=m, lo=lo, hi=hi)
            )
        mcodes.append(float(v))
    mlabels = c.strs(s.get("missing_labels", []), k + ".missing_labels")
    answer_texts = {norm_label(t): code for code, texts in labels.items() for t in texts}
    for t in mlabels:
        if norm_label(t) in answer_texts:
            raise c.fail(
                k + ".missing_labels",
                Msg("missing_label_is_answer", text=t, code=answer_texts[norm_label(t)]),
            )
    return Scale(sid, lo, hi, labels, tuple(mcodes), mlabels)


def _rule_mins(c: _Ctx, raw: Any, key: str, rules: tuple[str, ...]) -> dict[str, int]:
    if isinstance(raw, int) and not isinstance(raw, bool):
        c.int_(raw, key, 0)
        return {r: raw for r in rules}
    if not isinstance(raw, dict):
        raise c.fail(key, Msg("bad_rule_minimum", raw=_show(raw)))
    out = {}
    for r, v in raw.items():
        if r not in rules:
            raise c.fail(f"{key}.{r}", Msg("unknown_missing_rule", declared=", ".join(rules)))
        out[r] = c.int_(v, f"{key}.{r}", 0)
    for r in rules:
        if r not in out:
            raise c.fail(key, Msg("no_rule_minimum", rule=r))
    return out


def _parse_forms(c: _Ctx, raw: Any, rules: tuple[str, ...]) -> dict[str, Form]:
    if isinstance(raw, dict) and not raw:
        return {"main": Form("main", "", "", (), {r: 0 for r in rules})}
    if not isinstance(raw, dict):
        raise c.fail("forms", Msg("forms_not_table", raw=_kind(raw)))

    def one(fid: str, f: Any) -> Form:
        k = f"forms.{fid}"
        c.keys(f, {"label", "label_en", "values", "min_answered"}, k, required=("label", "values"))
        label = c.str_(f["label"], k + ".label")
        return Form(
            fid,
            label,
            c.text(f, "label_en", k, label),
            c.strs(f["values"], k + ".values"),
            _rule_mins(c, f.get("min_answered", 0), k + ".min_answered", rules),
        )

    return c.all_or_skip(raw.items(), one)


_ITEM_KEYS = {
    "id",
    "label",
    "text",
    "text_en",
    "texts",
    "scale",
    "domain",
    "form",
    "reverse",
    "aliases",
    "labels",
    "number",
    "placeholder",
}

# alias_patterns: literal text with {n} (the item number) or {n:0Wd} (zero-padded to W digits)
_PLACEHOLDER = re.compile(r"\{n(?::0([1-9])d)?\}")
MAX_PATTERNS = 50
MAX_PATTERN_LENGTH = 100


def parse_alias_pattern(pattern: str) -> list[str | int]:
    """Split an alias pattern into literal texts and placeholders.

    A placeholder is returned as its width (0 for ``{n}``, W for ``{n:0Wd}``).  Any other
    brace raises ValueError: the pattern language has exactly these two placeholders,
    and user text is never passed to Python's ``str.format``.
    """
    parts: list[str | int] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(pattern):
        lit = pattern[pos : m.start()]
        if "{" in lit or "}" in lit:
            raise ValueError(lit)
        if lit:
            parts.append(lit)
        parts.append(int(m.group(1) or 0))
        pos = m.end()
    lit = pattern[pos:]
    if "{" in lit or "}" in lit:
        raise ValueError(lit)
    if lit:
        parts.append(lit)
    if not any(isinstance(p, int) for p in parts):
        raise ValueError("no placeholder")
    return parts


def expand_alias_pattern(parts: list[str | int], number: int) -> str:
    out = []
    for p in parts:
        if isinstance(p, int):
            out.append(str(number).zfill(p) if p else str(number))
        else:
            out.append(p)
    return "".join(out)


def _parse_patterns(c: _Ctx, raw: Any) -> list[list[str | int]]:
    patterns = c.strs(raw, "alias_patterns")
    if len(patterns) > MAX_PATTERNS:
        raise c.fail("alias_patterns", Msg("too_many_patterns", limit=MAX_PATTERNS))
    out = []
    for j, pat in enumerate(patterns):
        if len(pat) > MAX_PATTERN_LENGTH:
            c.note(
                f"alias_patterns[{j}]",
                Msg("pattern_too_long", limit=MAX_PATTERN_LENGTH),
            )
            continue
        try:
            out.append(parse_alias_pattern(pat))
        except ValueError:
            c.note(
                f"alias_patterns[{j}]",
                Msg("bad_pattern", pattern=pat),
            )
    return out


def _parse_items(
    c: _Ctx,
    data: dict[str, Any],
    scales: dict[str, Scale],
    forms: dict[str, Form],
    label_sets: dict[str, dict[int, tuple[str, ...]]],
    domain_ids: set[str],
) -> tuple[Item, ...]:
    raw = data["items"]
    if not isinstance(raw, list) or not raw:
        raise c.fail("items", Msg("items_not_list"))
    defaults = data.get("item_defaults", {})
    c.keys(
        defaults,
        _ITEM_KEYS - {"id", "label", "text", "text_en", "texts", "number", "aliases"},
        "item_defaults",
    )
    defaults = {k: v for k, v in defaults.items() if k in _ITEM_KEYS}
    patterns = _get(c, _parse_patterns, data.get("alias_patterns", []), default=[])
    seen: set[str] = set()
    seen_alias: dict[str, str] = {}
    out = []
    failed = False
    for i, it0 in enumerate(raw):
        try:
            item = _parse_item(
                c, i, it0, defaults, patterns, scales, forms, label_sets, domain_ids, seen
            )
        except DefinitionError as exc:
            c.problems.extend(exc.problems)
            failed = True
            dom = {**defaults, **it0}.get("domain") if isinstance(it0, dict) else None
            c.incomplete_domains.add(dom if isinstance(dom, str) else "*")
            continue
        k = f"items[{i}] ({item.id})"
        for a in (item.id, *item.aliases):
            key = a.strip().lower()
            if key in seen_alias and seen_alias[key] != item.id:
                c.note(k + ".aliases", Msg("alias_taken", column=a, item=seen_alias[key]))
                failed = True
            seen_alias.setdefault(key, item.id)
        out.append(item)
    if not out or failed and "*" in c.incomplete_domains:
        raise _Skip()
    return tuple(out)


def _parse_item(
    c: _Ctx,
    i: int,
    it0: Any,
    defaults: dict[str, Any],
    patterns: list[list[str | int]],
    scales: dict[str, Scale],
    forms: dict[str, Form],
    label_sets: dict[str, dict[int, tuple[str, ...]]],
    domain_ids: set[str],
    seen: set[str],
) -> Item:
    k = f"items[{i}]"
    if not isinstance(it0, dict):
        raise c.fail(k, Msg("item_not_table", value=_kind(it0)))
    if isinstance(it0.get("id"), str):
        k = f"items[{i}] ({it0['id']})"
    c.keys(it0, _ITEM_KEYS, k, required=("id",))
    it = {**defaults, **it0}
    iid = c.str_(it["id"], k + ".id")
    if not _ID_RE.match(iid):
        raise c.fail(k + ".id", Msg("bad_item_id"))
    if iid in seen:
        raise c.fail(k + ".id", Msg("duplicate_item", item=iid))
    seen.add(iid)
    reverse = c.bool_(it.get("reverse", False), k + ".reverse")
    placeholder = c.bool_(it.get("placeholder", False), k + ".placeholder")
    if "scale" not in it:
        if reverse:
            raise c.fail(
                k + ".reverse",
                Msg("reverse_needs_scale"),
            )
        raise c.fail(k + ".scale", Msg("item_needs_scale"))
    sid = c.str_(it["scale"], k + ".scale")
    if sid not in scales:
        what = Msg("reverse_needs_declared_scale") if reverse else ""
        raise c.fail(
            k + ".scale", Msg("unknown_scale", what=what, sid=sid, declared=", ".join(scales))
        )
    dom = it.get("domain")
    if not dom:
        raise c.fail(
            k + ".domain",
            Msg("item_in_no_domain"),
        )
    dom = c.str_(dom, k + ".domain")
    if dom not in domain_ids:
        raise c.fail(
            k + ".domain",
            Msg("undeclared_domain", domain=dom, declared=", ".join(sorted(domain_ids))),
        )
    form_raw = it.get("form", "main" if "main" in forms else None)
    form = None if form_raw is None else c.str_(form_raw, k + ".form")
    if form is None or form not in forms:
        raise c.fail(k + ".form", Msg("unknown_form", form=form, declared=", ".join(forms)))
    lab = it.get("labels", {})
    if isinstance(lab, str):
        lab = [lab]
    if isinstance(lab, list):
        labels: dict[int, tuple[str, ...]] = {}
        for name in lab:
            if not isinstance(name, str) or name not in label_sets:
                raise c.fail(
                    k + ".labels",
                    Msg(
                        "unknown_label_set",
                        name=_show(name),
                        declared=", ".join(label_sets) or Msg("none"),
                    ),
                )
            for code, texts in label_sets[name].items():
                labels[code] = labels.get(code, ()) + texts
    else:
        labels = _parse_labels(c, lab, k + ".labels")
    sc = scales[sid]
    for code in labels:
        if not sc.min <= code <= sc.max:
            raise c.fail(
                f"{k}.labels",
                Msg("item_code_outside_scale", code=code, scale_min=sc.min, scale_max=sc.max),
            )
    _unique_labels(c, [(f"scale {sid}", sc.labels), ("the item's labels", labels)], k + ".labels")
    number = it.get("number")
    if number is None:
        m = re.search(r"(\d+)$", iid)
        number = int(m.group(1)) if m and len(m.group(1)) <= 9 else None
    else:
        number = c.int_(number, k + ".number", 0, 10**9 - 1)
    aliases = list(c.strs(it.get("aliases", []), k + ".aliases"))
    if number is not None:
        for parts in patterns:
            aliases.append(expand_alias_pattern(parts, number))
    return Item(
        id=iid,
        label=c.text(it, "label", k, iid),
        scale=sid,
        domain=dom,
        form=form,
        reverse=reverse,
        aliases=tuple(dict.fromkeys(aliases)),
        labels=labels,
        text=c.text(it, "text", k),
        placeholder=placeholder,
        text_en=c.text(it, "text_en", k),
        texts=tuple(c.strs(it.get("texts", []), k + ".texts")),
        number=number if it.get("number") is not None else None,
    )


_DOMAIN_KEYS = {
    "id",
    "label",
    "label_en",
    "method",
    "min_answered",
    "raw_multiply",
    "transform",
    "precision",
    "reported",
}


def _parse_domains(
    c: _Ctx, raw: Any, items: tuple[Item, ...], scales: dict[str, Scale], rules: tuple[str, ...]
) -> tuple[Domain, ...]:
    out = []
    seen: set[str] = set()
    for i, d in enumerate(raw):
        if isinstance(d, dict) and isinstance(d.get("id"), str) and d["id"] in seen:
            continue  # a duplicate id, reported above
        try:
            out.append(_parse_domain(c, i, d, items, scales, rules, seen))
        except (DefinitionError, _Skip) as exc:
            if isinstance(exc, DefinitionError):
                c.problems.extend(exc.problems)
            if isinstance(d, dict) and isinstance(d.get("id"), str):
                c.incomplete_domains.add(d["id"])
    if not out:
        raise _Skip()
    return tuple(out)


def _parse_domain(
    c: _Ctx,
    i: int,
    d: Any,
    items: tuple[Item, ...],
    scales: dict[str, Scale],
    rules: tuple[str, ...],
    seen: set[str],
) -> Domain:
    k = f"domains[{i}]"
    if isinstance(d, dict) and isinstance(d.get("id"), str):
        k = f"domains[{i}] ({d['id']})"
    c.keys(d, _DOMAIN_KEYS, k, required=("id", "label", "method"))
    did = c.str_(d["id"], k + ".id")
    if not _ID_RE.match(did):
        raise c.fail(k + ".id", Msg("bad_domain_id"))
    if did in seen:
        raise c.fail(k + ".id", Msg("duplicate_domain", domain=did))
    if did in ("index", "index_converted", "category", "status", "reason", "respondent_id"):
        raise c.fail(k + ".id", Msg("reserved_name", domain=did))
    seen.add(did)
    method = c.choice(d["method"], k + ".method", DOMAIN_METHODS)
    members = tuple(it.id for it in items if it.domain == did)
    complete = did not in c.incomplete_domains
    if not members:
        if not complete:
            raise _Skip()
        raise c.fail(k, Msg("domain_no_items", domain=did))
    mins = _rule_mins(c, d.get("min_answered", 1), k + ".min_answered", rules)
    for r, n in mins.items():
        if not 0 <= n <= len(members) and complete:
            raise c.fail(
                f"{k}.min_answered.{r}",
                Msg("domain_min_answered", n=n, items=len(members)),
            )
    if method == "percent_of_max":
        by_id = {it.id: it for it in items}
        used = {by_id[m].scale for m in members}
        if len({(scales[s].min, scales[s].max) for s in used}) > 1:
            raise c.fail(k + ".method", Msg("percent_of_max_one_scale"))
    if method == "percent_of_points":
        by_id = {it.id: it for it in items}
        for m in members:
            sc = scales[by_id[m].scale]
            if sc.min < 0:
                raise c.fail(
                    k + ".method",
                    Msg("percent_of_points_scale", scale=sc.id, scale_min=sc.min),
                )
    transform = None
    if "transform" in d:
        t = d["transform"]
        c.keys(t, {"add", "multiply"}, k + ".transform")
        transform = Transform(
            c.num(t.get("add", 0), k + ".transform.add"),
            c.num(t.get("multiply", 1), k + ".transform.multiply"),
        )
        if transform.multiply == 0:
            raise c.fail(k + ".transform.multiply", Msg("multiply_zero"))
    raw_multiply = c.num(d.get("raw_multiply", 1), k + ".raw_multiply")
    if raw_multiply == 0:
        raise c.fail(k + ".raw_multiply", Msg("raw_multiply_zero"))
    label = c.str_(d["label"], k + ".label")
    return Domain(
        id=did,
        label=label,
        label_en=c.text(d, "label_en", k, label),
        method=method,
        items=members,
        min_answered=mins,
        raw_multiply=raw_multiply,
        transform=transform,
        precision=c.precision(d.get("precision", 2), k + ".precision"),
        reported=c.bool_(d.get("reported", True), k + ".reported"),
    )


def _parse_index(
    c: _Ctx,
    raw: Any,
    domains: tuple[Domain, ...],
    items: tuple[Item, ...],
    scales: dict[str, Scale],
) -> IndexSpec | None:
    if raw is None:
        return None
    k = "index"
    c.keys(
        raw,
        {"method", "weights", "weights_sum", "precision", "label", "label_en", "domains"},
        k,
        required=("method",),
    )
    method = c.choice(raw["method"], k + ".method", INDEX_METHODS)
    dom_ids = [d.id for d in domains]
    weights: dict[str, Fraction] = {}
    declared: Fraction | None
    if method == "weighted_mean":
        w = raw.get("weights")
        if not isinstance(w, dict) or not w:
            raise c.fail(k + ".weights", Msg("weights_not_table"))
        for did, v in w.items():
            if did in c.incomplete_domains:
                weights[did] = c.num(v, f"{k}.weights.{did}")
                continue
            if did not in dom_ids:
                raise c.fail(
                    f"{k}.weights.{did}",
                    Msg("weight_unknown_domain", declared=", ".join(dom_ids)),
                )
            weights[did] = c.num(v, f"{k}.weights.{did}")
            if weights[did] < 0:
                raise c.fail(f"{k}.weights.{did}", Msg("weight_negative"))
        if "weights_sum" not in raw:
            raise c.fail(k + ".weights_sum", Msg("weights_sum_missing"))
        declared = c.num(raw["weights_sum"], k + ".weights_sum")
        total = sum(weights.values(), Fraction(0))
        if total == 0:
            raise c.fail(k + ".weights", Msg("weights_all_zero"))
        if total != declared:
            raise c.fail(
                k + ".weights",
                Msg(
                    "weights_sum_differs",
                    total=_frac_text(total),
                    declared_sum=_frac_text(declared),
                ),
            )
    else:
        ds = c.strs(raw.get("domains", dom_ids), k + ".domains")
        if not ds:
            raise c.fail(k + ".domains", Msg("index_no_domain"))
        for did in ds:
            if did not in dom_ids and did not in c.incomplete_domains:
                raise c.fail(
                    f"{k}.domains",
                    Msg("index_unknown_domain", domain=did, declared=", ".join(dom_ids)),
                )
        weights = {did: Fraction(1) for did in ds}
        declared = None
        if method == "percent_of_points":
            for it in items:
                if it.domain in weights and scales[it.scale].min < 0:
                    raise c.fail(
                        k + ".method",
                        Msg("percent_of_points_item", item=it.id),
                    )
    return IndexSpec(
        method=method,
        weights=weights,
        weights_sum=declared,
        precision=c.precision(raw.get("precision", 2), k + ".precision"),
        label=c.text(raw, "label", k, "Indeks"),
        label_en=c.text(raw, "label_en", k, "Index"),
    )


def _frac_text(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f} (= {float(f):.6g})"


def _parse_conversion(c: _Ctx, raw: Any) -> Conversion | None:
    if raw is None:
        return None
    c.keys(raw, {"multiply", "add", "precision"}, "conversion")
    conv = Conversion(
        c.num(raw.get("multiply", 1), "conversion.multiply"),
        c.num(raw.get("add", 0), "conversion.add"),
        c.precision(raw.get("precision", 2), "conversion.precision"),
    )
    if conv.multiply == 0:
        raise c.fail("conversion.multiply", Msg("conversion_zero"))
    return conv


def _ranges(
    domains: tuple[Domain, ...],
    index: IndexSpec | None,
    conversion: Conversion | None,
    items: tuple[Item, ...],
    scales: dict[str, Scale],
) -> dict[str, tuple[Fraction, Fraction]]:
    """Theoretical range of every score the definition produces."""
    by_id = {it.id: it for it in items}
    out: dict[str, tuple[Fraction, Fraction]] = {}
    for d in domains:
        sc = [scales[by_id[i].scale] for i in d.items]
        if d.method == "mean":
            lo, hi = Fraction(min(s.min for s in sc)), Fraction(max(s.max for s in sc))
        elif d.method == "sum":
            lo, hi = Fraction(sum(s.min for s in sc)), Fraction(sum(s.max for s in sc))
        elif d.method == "percent_of_max":
            lo, hi = Fraction(0), Fraction(100)
        else:  # percent_of_points
            lo = Fraction(100) * min(Fraction(s.min, s.max) for s in sc)
            hi = Fraction(100)
        a, b = lo * d.raw_multiply, hi * d.raw_multiply
        lo, hi = min(a, b), max(a, b)
        if d.transform is not None:
            a, b = (
                (lo + d.transform.add) * d.transform.multiply,
                (hi + d.transform.add) * d.transform.multiply,
            )
            lo, hi = min(a, b), max(a, b)
        out[d.id] = (lo, hi)
    if index is not None and all(d in out for d in index.weights):
        if index.method == "percent_of_points":
            sc = [scales[it.scale] for it in items if it.domain in index.weights]
            out["index"] = (Fraction(100) * min(Fraction(s.min, s.max) for s in sc), Fraction(100))
        else:
            total = sum(index.weights.values(), Fraction(0))
            lo = sum((w * out[d][0] for d, w in index.weights.items()), Fraction(0)) / total
            hi = sum((w * out[d][1] for d, w in index.weights.items()), Fraction(0)) / total
            out["index"] = (lo, hi)
        if conversion is not None:
            a = out["index"][0] * conversion.multiply + conversion.add
            b = out["index"][1] * conversion.multiply + conversion.add
            out["index_converted"] = (min(a, b), max(a, b))
    return out


def _parse_categories(
    c: _Ctx, raw: Any, ranges: dict[str, tuple[Fraction, Fraction]]
) -> tuple[CategoryTable, ...]:
    if isinstance(raw, dict):
        raw = [raw]
    raw = c.list_(raw, "categories", Msg("what_tables", name="categories"))
    names: set[str] = set()
    tables = c.all_or_skip(
        enumerate(raw), lambda t_i, t: _parse_category_table(c, t_i, t, ranges, names)
    )
    return tuple(tables.values())


def _parse_category_table(
    c: _Ctx, t_i: int, t: Any, ranges: dict[str, tuple[Fraction, Fraction]], names: set[str]
) -> CategoryTable:
    k = f"categories[{t_i}]"
    c.keys(
        t,
        {"name", "on", "precision", "bands", "label", "domains"},
        k,
        required=("on", "precision", "bands"),
    )
    name = c.text(t, "name", k, "" if t_i == 0 else f"t{t_i}")
    if name in names:
        raise c.fail(k + ".name", Msg("duplicate_category_table", name=name))
    names.add(name)
    on = c.str_(t["on"], k + ".on")
    lenient = bool(c.incomplete_domains) and on not in ranges
    if on not in ranges and not lenient:
        raise c.fail(k + ".on", Msg("not_a_score", on=on, scores=", ".join(ranges)))
    prec = c.precision(t["precision"], k + ".precision")
    step = Fraction(1, 10**prec)
    lo_r, hi_r = ranges[on] if not lenient else (None, None)
    bands = []
    if not isinstance(t["bands"], list) or not t["bands"]:
        raise c.fail(k + ".bands", Msg("bands_not_list"))
    codes: set[str] = set()
    for b_i, b in enumerate(t["bands"]):
        bk = f"{k}.bands[{b_i}]"
        c.keys(b, {"code", "label", "label_en", "min", "max"}, bk, required=("label", "min"))
        label = c.str_(b["label"], bk + ".label")
        code = b.get("code", label)
        if isinstance(code, bool) or not isinstance(code, (str, int)):
            raise c.fail(bk + ".code", Msg("band_code_not_text", code=_show(code)))
        code = str(code)
        if code in codes:
            raise c.fail(bk + ".code", Msg("duplicate_band_code", code=code))
        codes.add(code)
        bmin = c.num(b["min"], bk + ".min")
        bmax = c.num(b["max"], bk + ".max") if "max" in b else None
        for which, v in (("min", bmin), ("max", bmax)):
            if v is None:
                continue
            if v * 10**prec != int(v * 10**prec):
                raise c.fail(
                    f"{bk}.{which}",
                    Msg("threshold_decimals", threshold=float(v), prec=prec),
                )
            if lo_r is not None and hi_r is not None and not lo_r <= v <= hi_r:
                raise c.fail(
                    f"{bk}.{which}",
                    Msg(
                        "threshold_outside",
                        threshold=float(v),
                        on=on,
                        score_low=float(lo_r),
                        score_high=float(hi_r),
                    ),
                )
        if bmax is not None and bmax < bmin:
            raise c.fail(bk, Msg("band_max_below_min", band_max=float(bmax), band_min=float(bmin)))
        bands.append(Band(code, label, c.text(b, "label_en", bk, label), bmin, bmax))
    for prev, (b_i, nxt) in zip(bands[:-1], enumerate(bands[1:], start=1), strict=True):
        bk = f"{k}.bands[{b_i}]"
        if nxt.min <= prev.min:
            raise c.fail(bk + ".min", Msg("bands_order"))
        if prev.max is not None:
            expected = prev.max + step
            if nxt.min > expected:
                raise c.fail(
                    bk + ".min",
                    Msg(
                        "bands_gap",
                        prev_max=float(prev.max),
                        next_min=float(nxt.min),
                        prec=prec,
                    ),
                )
            if nxt.min < expected:
                raise c.fail(
                    bk + ".min",
                    Msg(
                        "bands_overlap",
                        next_min=float(nxt.min),
                        prev_max=float(prev.max),
                    ),
                )
    if lo_r is None:
        pass
    elif bands[0].min > lo_r:
        raise c.fail(
            f"{k}.bands[0].min",
            Msg("bands_low_gap", first_min=float(bands[0].min), score_low=float(lo_r)),
        )
    last = bands[-1]
    if hi_r is not None and last.max is not None and last.max < hi_r:
        raise c.fail(
            f"{k}.bands[{len(bands) - 1}].max",
            Msg("bands_high_gap", last_max=float(last.max), score_high=float(hi_r)),
        )
    also = c.strs(t.get("domains", []), k + ".domains")
    for d in also:
        if d in c.incomplete_domains or lenient:
            continue
        if d not in ranges or d in ("index", "index_converted"):
            raise c.fail(k + ".domains", Msg("unknown_domain", domain=d))
        if ranges[d] != ranges[on]:
            raise c.fail(
                k + ".domains",
                Msg(
                    "domain_range_differs",
                    domain=d,
                    domain_low=float(ranges[d][0]),
                    domain_high=float(ranges[d][1]),
                    score_low=float(ranges[on][0]),
                    score_high=float(ranges[on][1]),
                ),
            )
    return CategoryTable(name, on, prec, tuple(bands), c.text(t, "label", k), also)


def _parse_aggregation(c: _Ctx, raw: Any, index: IndexSpec | None) -> Aggregation:
    c.keys(raw, {"method"}, "aggregation")
    m = c.choice(raw.get("method", "mean_of_respondents"), "aggregation.method", AGGREGATIONS)
    return Aggregation(m)


def _parse_eligibility(c: _Ctx, raw: Any) -> tuple[Eligibility, ...]:
    def one(k: str, e: dict[str, Any]) -> Eligibility:
        lo = float(c.num(e["min"], k + ".min")) if "min" in e else None
        hi = float(c.num(e["max"], k + ".max")) if "max" in e else None
        if lo is None and hi is None:
            raise c.fail(k, Msg("give_min_max"))
        if lo is not None and hi is not None and lo > hi:
            raise c.fail(k, Msg("min_above_max", lo=lo, hi=hi))
        column = c.str_(e["column"], k + ".column")
        label = c.text(e, "label", k, column)
        return Eligibility(
            c.str_(e["id"], k + ".id"),
            column,
            c.strs(e.get("aliases", []), k + ".aliases"),
            lo,
            hi,
            label,
            c.text(e, "label_en", k, label),
        )

    allowed = {"id", "column", "aliases", "min", "max", "label", "label_en"}
    return tuple(c.each_table(raw, "eligibility", allowed, ("id", "column"), one))


def _parse_prepost(
    c: _Ctx, raw: Any, domains: tuple[Domain, ...], index: IndexSpec | None
) -> PrePost | None:
    if raw is None:
        return None
    k = "prepost"
    c.keys(
        raw,
        {"score", "domains", "strict", "reported", "min_pairs_for_tests"},
        k,
        required=("score",),
    )
    dom_ids = [d.id for d in domains]
    score = c.str_(raw["score"], k + ".score")
    if score == "index" and index is None:
        raise c.fail(k + ".score", Msg("prepost_no_index"))
    if score not in ("index", "mean_of_domains") and score not in dom_ids:
        raise c.fail(k + ".score", Msg("prepost_bad_score", score=score))
    ds = c.strs(raw.get("domains", [d.id for d in domains if d.reported]), k + ".domains")
    for d in ds:
        if d not in dom_ids:
            raise c.fail(k + ".domains", Msg("unknown_domain", domain=d))
    if score == "mean_of_domains" and not ds:
        raise c.fail(k + ".domains", Msg("prepost_no_domain"))
    reported = c.choice(raw.get("reported", "post_group_index"), k + ".reported", PREPOST_REPORTED)
    return PrePost(
        score,
        ds,
        c.bool_(raw.get("strict", True), k + ".strict"),
        reported,
        c.int_(raw.get("min_pairs_for_tests", 5), k + ".min_pairs_for_tests", 1, 10**6),
    )


# ---------------------------------------------------------------------------------
_EXAMPLE_KEYS = {"name", "note", "answers", "fill", "form", "fields", "missing_rule", "expect"}


def _parse_examples(
    c: _Ctx,
    raw: Any,
    items: tuple[Item, ...],
    domains: tuple[Domain, ...],
    index: IndexSpec | None,
    conversion: Conversion | None,
    categories: tuple[CategoryTable, ...],
    forms: dict[str, Form],
    rules: tuple[str, ...],
) -> tuple[Example, ...]:
    item_ids = {it.id for it in items}
    scores = {d.id for d in domains} | {f"{d.id}_raw" for d in domains if d.transform}
    if index is not None:
        scores.add("index")
    if conversion is not None:
        scores.add("index_converted")
    cat_keys = {"category" if not t.name else f"category_{t.name}" for t in categories}
    allowed_expect = scores | cat_keys | {"status", "reason"}
    names: set[str] = set()

    def one(k: str, e: dict[str, Any]) -> Example:
        name = c.str_(e["name"], k + ".name")
        if name in names:
            raise c.fail(k + ".name", Msg("duplicate_example", name=name))
        names.add(name)
        form = None
        if "form" in e:
            form = c.str_(e["form"], k + ".form")
            if form not in forms:
                raise c.fail(k + ".form", Msg("unknown_form", form=form, declared=", ".join(forms)))
        rule = None
        if "missing_rule" in e:
            rule = c.str_(e["missing_rule"], k + ".missing_rule")
            if rule not in rules:
                raise c.fail(
                    k + ".missing_rule",
                    Msg("example_unknown_rule", rule=rule, declared=", ".join(rules)),
                )
        answers_raw = e.get("answers", {})
        if not isinstance(answers_raw, dict):
            raise c.fail(k + ".answers", Msg("answers_not_table", value=_kind(answers_raw)))
        answers: dict[str, int | float | str] = {}
        for item_id, v in answers_raw.items():
            if item_id not in item_ids:
                raise c.fail(f"{k}.answers.{item_id}", Msg("unknown_item"))
            answers[item_id] = _example_value(c, v, f"{k}.answers.{item_id}")
        fill = None
        if "fill" in e:
            fill = _example_value(c, e["fill"], k + ".fill")
        fields_raw = e.get("fields", {})
        if not isinstance(fields_raw, dict):
            raise c.fail(k + ".fields", Msg("fields_not_table", value=_kind(fields_raw)))
        fields = {
            str(col): _example_value(c, v, f"{k}.fields.{col}") for col, v in fields_raw.items()
        }
        expect_raw = e["expect"]
        if not isinstance(expect_raw, dict) or not expect_raw:
            raise c.fail(k + ".expect", Msg("expect_not_table"))
        expect: dict[str, Fraction | str | None] = {}
        for sk, v in expect_raw.items():
            ek = f"{k}.expect.{sk}"
            if sk not in allowed_expect:
                close = _closest(sk, allowed_expect)
                hint = Msg("did_you_mean", close=close) if close else ""
                raise c.fail(
                    ek,
                    Msg(
                        "not_a_result",
                        hint=hint,
                        allowed=", ".join(sorted(allowed_expect)),
                    ),
                )
            if sk in scores:
                if v == "":
                    expect[sk] = None  # expected empty
                else:
                    expect[sk] = c.num(v, ek)
            else:
                expect[sk] = c.str_(v, ek)
        if not answers and fill is None:
            raise c.fail(k + ".answers", Msg("example_no_answers"))
        return Example(
            name=name,
            note=c.text(e, "note", k),
            answers=answers,
            fill=fill,
            form=form,
            fields=fields,
            missing_rule=rule,
            expect=expect,
        )

    return tuple(c.each_table(raw, "examples", _EXAMPLE_KEYS, ("name", "expect"), one, named=True))


def _example_value(c: _Ctx, v: Any, key: str) -> int | float | str:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise c.fail(key, Msg("example_value", value=_show(v)))
    if isinstance(v, (int, float)):
        c.num(v, key)
    return v
