"""Read and validate instrument definition files (TOML).

Every problem is reported as a :class:`DefinitionError` naming the file and the
offending key (``domains[2].min_answered``), never a KeyError from deep inside.
The full format is documented in ``indeks/instruments/FORMAT.md``.
"""

from __future__ import annotations

import re
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any

from indeks.errors import IndeksError
from indeks.instruments.model import (
    Aggregation,
    Band,
    CategoryTable,
    Conversion,
    Domain,
    Eligibility,
    Form,
    IndexSpec,
    Instrument,
    Item,
    PrePost,
    ProvisionalNote,
    Scale,
    Transform,
)
from indeks.numbers import to_fraction

DOMAIN_METHODS = ("mean", "sum", "percent_of_max", "percent_of_points")
INDEX_METHODS = ("weighted_mean", "mean", "percent_of_points")
AGGREGATIONS = ("mean_of_respondents", "pool_item_means", "pool_points")
PREPOST_REPORTED = ("post_group_index", "pct_improved")


class DefinitionError(IndeksError):
    """A definition file that cannot be used; ``str()`` names file and key."""

    def __init__(self, path: str, key: str, message: str):
        self.path = path
        self.key = key
        self.message = message
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {message}")


_TOP_KEYS = {
    "id",
    "name",
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
    "columns",
    "sample_size",
}


class _Ctx:
    def __init__(self, path: str):
        self.path = path

    def fail(self, key: str, message: str) -> DefinitionError:
        return DefinitionError(self.path, key, message)

    def keys(self, table: Any, allowed: set[str], key: str, required: tuple[str, ...] = ()):
        if not isinstance(table, dict):
            raise self.fail(key, f"must be a table, got {type(table).__name__}")
        for k in table:
            if k not in allowed:
                close = _closest(k, allowed)
                hint = f" (did you mean '{close}'?)" if close else ""
                raise self.fail(
                    _join(key, k), f"unknown key{hint}; allowed: {', '.join(sorted(allowed))}"
                )
        for k in required:
            if k not in table:
                raise self.fail(_join(key, k), "required key is missing")

    def num(self, value: Any, key: str) -> Fraction:
        try:
            return to_fraction(value)
        except (ValueError, ZeroDivisionError, TypeError):
            raise self.fail(key, f'not a number: {value!r} (write e.g. 4, 0.25 or "1/9")') from None

    def int_(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, got {value!r}")
        return value

    def str_(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, got {value!r}")
        return value

    def strs(self, value: Any, key: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of texts")
        return tuple(value)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _closest(word: str, options: set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return found[0] if found else None


_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------------------------
def load_instrument(path: str | Path) -> Instrument:
    """Load and validate a definition file."""
    p = Path(path)
    name = str(p)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DefinitionError(name, "", f"cannot read the file ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DefinitionError(name, "", "not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(name, "", f"not valid TOML: {exc}") from None
    return parse_definition(data, name)


def parse_definition(data: dict, path: str = "<definition>") -> Instrument:
    c = _Ctx(path)
    c.keys(
        data,
        _TOP_KEYS,
        "",
        required=("id", "name", "version", "status", "scales", "items", "domains"),
    )
    iid = c.str_(data["id"], "id")
    if not re.match(r"^[a-z0-9][a-z0-9_.-]*$", iid):
        raise c.fail("id", f"{iid!r}: use lower-case letters, digits, '-', '_' or '.'")
    status = c.str_(data["status"], "status")
    if status not in ("official", "provisional"):
        raise c.fail("status", f"{status!r}: must be 'official' or 'provisional'")

    provisional = _parse_provisional(c, data.get("provisional", []))
    if status == "provisional" and not provisional:
        raise c.fail(
            "provisional",
            "a provisional instrument must list its provisional rules with a note each",
        )

    missing_rules, rule_notes, assess_min = _parse_missing(c, data.get("missing", {}))
    label_sets = _parse_label_sets(c, data.get("label_sets", {}))
    scales = _parse_scales(c, data["scales"])
    forms = _parse_forms(c, data.get("forms", {}), missing_rules)
    domain_tables = data["domains"]
    if not isinstance(domain_tables, list) or not domain_tables:
        raise c.fail("domains", "must be a non-empty list of [[domains]] tables")
    declared_domains = []
    for i, d in enumerate(domain_tables):
        if isinstance(d, dict) and "id" in d:
            if d["id"] in declared_domains:
                raise c.fail(f"domains[{i}] ({d['id']}).id", f"duplicate domain id {d['id']!r}")
            declared_domains.append(d["id"])
    items = _parse_items(c, data, scales, forms, label_sets, set(declared_domains))
    domains = _parse_domains(c, domain_tables, items, scales, missing_rules)
    index = _parse_index(c, data.get("index"), domains, items)
    conversion = _parse_conversion(c, data.get("conversion"))
    ranges = _ranges(domains, index, conversion, items, scales)
    categories = _parse_categories(c, data.get("categories", []), ranges)
    aggregation = _parse_aggregation(c, data.get("aggregation", {}), index)
    eligibility = _parse_eligibility(c, data.get("eligibility", []))
    prepost = _parse_prepost(c, data.get("prepost"), domains, index)
    cols = data.get("columns", {})
    c.keys(cols, {"id", "form", "unit", "groups"}, "columns")
    form_col = cols.get("form")
    unit_col = cols.get("unit")
    if len(forms) > 1 and not form_col:
        raise c.fail(
            "columns.form",
            "an instrument with several forms must name the form column and its aliases",
        )
    sample = data.get("sample_size", {})
    c.keys(sample, {"krejcie_morgan"}, "sample_size")

    for n_key, n in assess_min.items():
        total = len(items)
        if n > total:
            raise c.fail(
                f"missing.rules.{n_key}.assessment_min_answered",
                f"{n} is more than the {total} items",
            )

    return Instrument(
        id=iid,
        name=c.str_(data["name"], "name"),
        version=str(data["version"]),
        status=status,
        description=c.str_(data.get("description", ""), "description"),
        sources=c.strs(data.get("sources", []), "sources"),
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
        id_aliases=c.strs(cols.get("id", ["id"]), "columns.id"),
        form_column=(c.strs(form_col, "columns.form")[0] if form_col else None),
        form_aliases=(c.strs(form_col, "columns.form") if form_col else ()),
        unit_column=(c.strs(unit_col, "columns.unit")[0] if unit_col else None),
        unit_aliases=(c.strs(unit_col, "columns.unit") if unit_col else ()),
        group_columns=c.strs(cols.get("groups", []), "columns.groups"),
        krejcie_morgan=bool(sample.get("krejcie_morgan", False)),
        aliases=c.strs(data.get("aliases", []), "aliases"),
        path=path,
    )


def _parse_provisional(c: _Ctx, raw) -> tuple[ProvisionalNote, ...]:
    if not isinstance(raw, list):
        raise c.fail("provisional", "must be a list of [[provisional]] tables")
    out = []
    for i, p in enumerate(raw):
        k = f"provisional[{i}]"
        c.keys(p, {"key", "note"}, k, required=("key", "note"))
        out.append(ProvisionalNote(c.str_(p["key"], k + ".key"), c.str_(p["note"], k + ".note")))
    return tuple(out)


def _parse_missing(c: _Ctx, raw) -> tuple[tuple[str, ...], dict[str, str], dict[str, int]]:
    c.keys(raw, {"default", "rules"}, "missing")
    rules = raw.get("rules", {"default": {"assessment_min_answered": 1}})
    c.keys(rules, set(rules) if isinstance(rules, dict) else set(), "missing.rules")
    if not rules:
        raise c.fail("missing.rules", "declare at least one missing-data rule")
    default = raw.get("default", next(iter(rules)))
    if default not in rules:
        raise c.fail("missing.default", f"{default!r} is not one of the rules: {', '.join(rules)}")
    names = [default] + [r for r in rules if r != default]
    notes, mins = {}, {}
    for r in names:
        k = f"missing.rules.{r}"
        c.keys(rules[r], {"note", "assessment_min_answered"}, k)
        notes[r] = c.str_(rules[r].get("note", ""), k + ".note")
        mins[r] = c.int_(rules[r].get("assessment_min_answered", 1), k + ".assessment_min_answered")
        if mins[r] < 0:
            raise c.fail(k + ".assessment_min_answered", "must not be negative")
    return tuple(names), notes, mins


def _parse_labels(c: _Ctx, raw, key: str) -> dict[int, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise c.fail(key, "must be a table of code = [answer texts]")
    out = {}
    for code, texts in raw.items():
        try:
            icode = int(code)
        except ValueError:
            raise c.fail(f"{key}.{code}", "answer codes must be whole numbers") from None
        out[icode] = c.strs(texts, f"{key}.{code}")
    return out


def _parse_label_sets(c: _Ctx, raw) -> dict[str, dict[int, tuple[str, ...]]]:
    if not isinstance(raw, dict):
        raise c.fail("label_sets", "must be a table of named label sets")
    return {name: _parse_labels(c, v, f"label_sets.{name}") for name, v in raw.items()}


def _parse_scales(c: _Ctx, raw) -> dict[str, Scale]:
    if not isinstance(raw, dict) or not raw:
        raise c.fail("scales", "declare at least one scale, e.g. [scales.likert4] min = 1, max = 4")
    out = {}
    for sid, s in raw.items():
        k = f"scales.{sid}"
        c.keys(
            s,
            {"min", "max", "labels", "missing_codes", "missing_labels"},
            k,
            required=("min", "max"),
        )
        lo, hi = c.int_(s["min"], k + ".min"), c.int_(s["max"], k + ".max")
        if lo >= hi:
            raise c.fail(k, f"min ({lo}) must be below max ({hi})")
        labels = _parse_labels(c, s.get("labels", {}), k + ".labels")
        for code in labels:
            if not lo <= code <= hi:
                raise c.fail(f"{k}.labels.{code}", f"code {code} is outside the scale {lo}..{hi}")
        mcodes = []
        for j, m in enumerate(s.get("missing_codes", [])):
            v = c.num(m, f"{k}.missing_codes[{j}]")
            if lo <= v <= hi:
                raise c.fail(
                    f"{k}.missing_codes[{j}]", f"missing code {m} lies inside the scale {lo}..{hi}"
                )
            mcodes.append(float(v))
        out[sid] = Scale(
            sid,
            lo,
            hi,
            labels,
            tuple(mcodes),
            c.strs(s.get("missing_labels", []), k + ".missing_labels"),
        )
    return out


def _rule_mins(c: _Ctx, raw, key: str, rules: tuple[str, ...]) -> dict[str, int]:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return {r: raw for r in rules}
    if not isinstance(raw, dict):
        raise c.fail(key, "must be a whole number or a table rule = number")
    out = {}
    for r, v in raw.items():
        if r not in rules:
            raise c.fail(f"{key}.{r}", f"unknown missing-data rule; declared: {', '.join(rules)}")
        out[r] = c.int_(v, f"{key}.{r}")
    for r in rules:
        if r not in out:
            raise c.fail(key, f"no minimum given for the missing-data rule {r!r}")
    return out


def _parse_forms(c: _Ctx, raw, rules) -> dict[str, Form]:
    if not raw:
        return {"main": Form("main", "", "", (), {r: 0 for r in rules})}
    c.keys(raw, set(raw), "forms")
    out = {}
    for fid, f in raw.items():
        k = f"forms.{fid}"
        c.keys(f, {"label", "label_en", "values", "min_answered"}, k, required=("label", "values"))
        out[fid] = Form(
            fid,
            c.str_(f["label"], k + ".label"),
            c.str_(f.get("label_en", f["label"]), k + ".label_en"),
            c.strs(f["values"], k + ".values"),
            _rule_mins(c, f.get("min_answered", 0), k + ".min_answered", rules),
        )
    return out


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


def _parse_items(
    c: _Ctx, data, scales, forms, label_sets, domain_ids: set[str]
) -> tuple[Item, ...]:
    raw = data["items"]
    if not isinstance(raw, list) or not raw:
        raise c.fail("items", "must be a non-empty list of items")
    defaults = data.get("item_defaults", {})
    c.keys(
        defaults,
        _ITEM_KEYS - {"id", "label", "text", "text_en", "texts", "number", "aliases"},
        "item_defaults",
    )
    patterns = c.strs(data.get("alias_patterns", []), "alias_patterns")
    seen: set[str] = set()
    seen_alias: dict[str, str] = {}
    out = []
    for i, it0 in enumerate(raw):
        k = f"items[{i}]"
        if not isinstance(it0, dict):
            raise c.fail(k, "must be a table")
        c.keys(it0, _ITEM_KEYS, k, required=("id",))
        it = {**defaults, **it0}
        iid = c.str_(it["id"], k + ".id")
        k = f"items[{i}] ({iid})"
        if not _ID_RE.match(iid):
            raise c.fail(
                k + ".id", "item ids use lower-case letters, digits and '_' and start with a letter"
            )
        if iid in seen:
            raise c.fail(k + ".id", f"duplicate item id {iid!r}")
        seen.add(iid)
        if "scale" not in it:
            if it.get("reverse"):
                raise c.fail(
                    k + ".reverse",
                    "a reverse-keyed item needs a scale (reversal uses the declared min and max)",
                )
            raise c.fail(k + ".scale", "every item needs a scale")
        sid = it["scale"]
        if sid not in scales:
            what = "a reverse-keyed item needs a declared scale; " if it.get("reverse") else ""
            raise c.fail(
                k + ".scale", f"{what}unknown scale {sid!r}; declared: {', '.join(scales)}"
            )
        dom = it.get("domain")
        if not dom:
            raise c.fail(
                k + ".domain",
                "the item is in no domain (every item must belong to a declared domain)",
            )
        if dom not in domain_ids:
            raise c.fail(
                k + ".domain",
                f"undeclared domain {dom!r}; declared: {', '.join(sorted(domain_ids))}",
            )
        form = it.get("form", "main" if "main" in forms else None)
        if form not in forms:
            raise c.fail(k + ".form", f"unknown form {form!r}; declared: {', '.join(forms)}")
        lab = it.get("labels", {})
        if isinstance(lab, str):
            if lab not in label_sets:
                raise c.fail(k + ".labels", f"unknown label set {lab!r}")
            labels = label_sets[lab]
        elif isinstance(lab, list):
            labels = {}
            for name in lab:
                if name not in label_sets:
                    raise c.fail(k + ".labels", f"unknown label set {name!r}")
                for code, texts in label_sets[name].items():
                    labels[code] = labels.get(code, ()) + texts
        else:
            labels = _parse_labels(c, lab, k + ".labels")
        sc = scales[sid]
        for code in labels:
            if not sc.min <= code <= sc.max:
                raise c.fail(f"{k}.labels", f"code {code} is outside the scale {sc.min}..{sc.max}")
        number = it.get("number")
        if number is None:
            m = re.search(r"(\d+)$", iid)
            number = int(m.group(1)) if m else None
        aliases = list(c.strs(it.get("aliases", []), k + ".aliases"))
        if number is not None:
            for pat in patterns:
                aliases.append(pat.format(n=number))
        for a in [iid] + aliases:
            key = a.strip().lower()
            if key in seen_alias and seen_alias[key] != iid:
                raise c.fail(
                    k + ".aliases", f"column name {a!r} already names item {seen_alias[key]!r}"
                )
            seen_alias[key] = iid
        out.append(
            Item(
                id=iid,
                label=c.str_(it.get("label", iid), k + ".label"),
                scale=sid,
                domain=dom,
                form=form,
                reverse=bool(it.get("reverse", False)),
                aliases=tuple(dict.fromkeys(aliases)),
                labels=labels,
                text=c.str_(it.get("text", ""), k + ".text"),
                placeholder=bool(it.get("placeholder", False)),
                text_en=c.str_(it.get("text_en", ""), k + ".text_en"),
                texts=tuple(c.strs(it.get("texts", []), k + ".texts")),
            )
        )
    return tuple(out)


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


def _parse_domains(c: _Ctx, raw, items, scales, rules) -> tuple[Domain, ...]:
    out = []
    seen = set()
    for i, d in enumerate(raw):
        k = f"domains[{i}]"
        c.keys(d, _DOMAIN_KEYS, k, required=("id", "label", "method"))
        did = c.str_(d["id"], k + ".id")
        k = f"domains[{i}] ({did})"
        if not _ID_RE.match(did):
            raise c.fail(k + ".id", "domain ids use lower-case letters, digits and '_'")
        if did in seen:
            raise c.fail(k + ".id", f"duplicate domain id {did!r}")
        if did in ("index", "index_converted", "category", "status", "reason", "respondent_id"):
            raise c.fail(k + ".id", f"{did!r} is a reserved column name")
        seen.add(did)
        method = d["method"]
        if method not in DOMAIN_METHODS:
            raise c.fail(k + ".method", f"{method!r}: use one of {', '.join(DOMAIN_METHODS)}")
        members = tuple(it.id for it in items if it.domain == did)
        if not members:
            raise c.fail(k, f"domain {did!r} has no items")
        mins = _rule_mins(c, d.get("min_answered", 1), k + ".min_answered", rules)
        for r, n in mins.items():
            if not 0 <= n <= len(members):
                raise c.fail(
                    f"{k}.min_answered.{r}",
                    f"{n} is not between 0 and the domain's {len(members)} items",
                )
        if method in ("mean", "percent_of_max"):
            used = {items[[x.id for x in items].index(m)].scale for m in members}
            if (
                method == "percent_of_max"
                and len({(scales[s].min, scales[s].max) for s in used}) > 1
            ):
                raise c.fail(
                    k + ".method", "percent_of_max needs all items of the domain on one scale"
                )
        transform = None
        if "transform" in d:
            t = d["transform"]
            c.keys(t, {"add", "multiply"}, k + ".transform")
            transform = Transform(
                c.num(t.get("add", 0), k + ".transform.add"),
                c.num(t.get("multiply", 1), k + ".transform.multiply"),
            )
        out.append(
            Domain(
                id=did,
                label=c.str_(d["label"], k + ".label"),
                label_en=c.str_(d.get("label_en", d["label"]), k + ".label_en"),
                method=method,
                items=members,
                min_answered=mins,
                raw_multiply=c.num(d.get("raw_multiply", 1), k + ".raw_multiply"),
                transform=transform,
                precision=c.int_(d.get("precision", 2), k + ".precision"),
                reported=bool(d.get("reported", True)),
            )
        )
    return tuple(out)


def _parse_index(c: _Ctx, raw, domains, items) -> IndexSpec | None:
    if raw is None:
        return None
    k = "index"
    c.keys(
        raw,
        {"method", "weights", "weights_sum", "precision", "label", "label_en", "domains"},
        k,
        required=("method",),
    )
    method = raw["method"]
    if method not in INDEX_METHODS:
        raise c.fail(k + ".method", f"{method!r}: use one of {', '.join(INDEX_METHODS)}")
    dom_ids = [d.id for d in domains]
    weights: dict[str, Fraction] = {}
    if method == "weighted_mean":
        w = raw.get("weights")
        if not isinstance(w, dict) or not w:
            raise c.fail(k + ".weights", "weighted_mean needs a table domain = weight")
        for did, v in w.items():
            if did not in dom_ids:
                raise c.fail(
                    f"{k}.weights.{did}", f"unknown domain; declared: {', '.join(dom_ids)}"
                )
            weights[did] = c.num(v, f"{k}.weights.{did}")
            if weights[did] < 0:
                raise c.fail(f"{k}.weights.{did}", "weights must not be negative")
        if "weights_sum" not in raw:
            raise c.fail(k + ".weights_sum", "declare the sum the weights must have (e.g. 1 or 25)")
        declared = c.num(raw["weights_sum"], k + ".weights_sum")
        total = sum(weights.values(), Fraction(0))
        if total != declared:
            raise c.fail(
                k + ".weights",
                f"the weights sum to {_frac_text(total)}, not to the declared weights_sum {_frac_text(declared)}",
            )
    else:
        ds = raw.get("domains", dom_ids)
        for did in ds:
            if did not in dom_ids:
                raise c.fail(f"{k}.domains", f"unknown domain {did!r}")
        weights = {did: Fraction(1) for did in ds}
        declared = None
    return IndexSpec(
        method=method,
        weights=weights,
        weights_sum=declared,
        precision=c.int_(raw.get("precision", 2), k + ".precision"),
        label=c.str_(raw.get("label", "Indeks"), k + ".label"),
        label_en=c.str_(raw.get("label_en", "Index"), k + ".label_en"),
    )


def _frac_text(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f} (= {float(f):.6g})"


def _parse_conversion(c: _Ctx, raw) -> Conversion | None:
    if raw is None:
        return None
    c.keys(raw, {"multiply", "add", "precision"}, "conversion")
    return Conversion(
        c.num(raw.get("multiply", 1), "conversion.multiply"),
        c.num(raw.get("add", 0), "conversion.add"),
        c.int_(raw.get("precision", 2), "conversion.precision"),
    )


def _ranges(domains, index, conversion, items, scales) -> dict[str, tuple[Fraction, Fraction]]:
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
        lo, hi = lo * d.raw_multiply, hi * d.raw_multiply
        if d.transform is not None:
            a, b = (
                (lo + d.transform.add) * d.transform.multiply,
                (hi + d.transform.add) * d.transform.multiply,
            )
            lo, hi = min(a, b), max(a, b)
        out[d.id] = (lo, hi)
    if index is not None:
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


def _parse_categories(c: _Ctx, raw, ranges) -> tuple[CategoryTable, ...]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise c.fail("categories", "must be a [[categories]] list")
    tables = []
    names = set()
    for t_i, t in enumerate(raw):
        k = f"categories[{t_i}]"
        c.keys(
            t,
            {"name", "on", "precision", "bands", "label", "domains"},
            k,
            required=("on", "precision", "bands"),
        )
        name = c.str_(t.get("name", "" if t_i == 0 else f"t{t_i}"), k + ".name")
        if name in names:
            raise c.fail(k + ".name", f"duplicate category table name {name!r}")
        names.add(name)
        on = c.str_(t["on"], k + ".on")
        if on not in ranges:
            raise c.fail(
                k + ".on", f"{on!r} is not a score of this instrument; scores: {', '.join(ranges)}"
            )
        prec = c.int_(t["precision"], k + ".precision")
        step = Fraction(1, 10**prec)
        lo_r, hi_r = ranges[on]
        bands = []
        if not isinstance(t["bands"], list) or not t["bands"]:
            raise c.fail(k + ".bands", "must be a non-empty list of bands")
        for b_i, b in enumerate(t["bands"]):
            bk = f"{k}.bands[{b_i}]"
            c.keys(b, {"code", "label", "label_en", "min", "max"}, bk, required=("label", "min"))
            bmin = c.num(b["min"], bk + ".min")
            bmax = c.num(b["max"], bk + ".max") if "max" in b else None
            for which, v in (("min", bmin), ("max", bmax)):
                if v is None:
                    continue
                if v * 10**prec != int(v * 10**prec):
                    raise c.fail(
                        f"{bk}.{which}",
                        f"{float(v)} has more decimals than the table's precision ({prec})",
                    )
                if not lo_r <= v <= hi_r:
                    raise c.fail(
                        f"{bk}.{which}",
                        f"threshold {float(v)} is outside the range of {on!r} ({float(lo_r):g}..{float(hi_r):g})",
                    )
            if bmax is not None and bmax < bmin:
                raise c.fail(bk, f"max {float(bmax)} is below min {float(bmin)}")
            bands.append(
                Band(
                    str(b.get("code", b["label"])),
                    b["label"],
                    b.get("label_en", b["label"]),
                    bmin,
                    bmax,
                )
            )
        for prev, (b_i, nxt) in zip(bands, enumerate(bands[1:], start=1)):
            bk = f"{k}.bands[{b_i}]"
            if nxt.min <= prev.min:
                raise c.fail(bk + ".min", "bands must be listed in increasing order")
            if prev.max is not None:
                expected = prev.max + step
                if nxt.min > expected:
                    raise c.fail(
                        bk + ".min",
                        f"gap between {float(prev.max)} and {float(nxt.min)} at precision {prec}",
                    )
                if nxt.min < expected:
                    raise c.fail(
                        bk + ".min",
                        f"overlap: {float(nxt.min)} is not above the previous band's max {float(prev.max)}",
                    )
        rounded_lo = lo_r  # the lowest band must start at or below the range's minimum
        if bands[0].min > rounded_lo:
            raise c.fail(
                f"{k}.bands[0].min",
                f"the lowest band starts at {float(bands[0].min)}, above the lowest possible score {float(lo_r):g}: a gap",
            )
        last = bands[-1]
        if last.max is not None and last.max < hi_r:
            raise c.fail(
                f"{k}.bands[{len(bands) - 1}].max",
                f"the highest band ends at {float(last.max)}, below the highest possible score {float(hi_r):g}: a gap",
            )
        also = c.strs(t.get("domains", []), k + ".domains")
        for d in also:
            if d not in ranges or d in ("index", "index_converted"):
                raise c.fail(k + ".domains", f"unknown domain {d!r}")
            if ranges[d] != ranges[on]:
                raise c.fail(
                    k + ".domains",
                    f"domain {d!r} has range {float(ranges[d][0]):g}..{float(ranges[d][1]):g}, not the table's {float(lo_r):g}..{float(hi_r):g}",
                )
        tables.append(
            CategoryTable(
                name, on, prec, tuple(bands), c.str_(t.get("label", ""), k + ".label"), also
            )
        )
    return tuple(tables)


def _parse_aggregation(c: _Ctx, raw, index) -> Aggregation:
    c.keys(raw, {"method"}, "aggregation")
    m = raw.get("method", "mean_of_respondents")
    if m not in AGGREGATIONS:
        raise c.fail("aggregation.method", f"{m!r}: use one of {', '.join(AGGREGATIONS)}")
    return Aggregation(m)


def _parse_eligibility(c: _Ctx, raw) -> tuple[Eligibility, ...]:
    if not isinstance(raw, list):
        raise c.fail("eligibility", "must be a [[eligibility]] list")
    out = []
    for i, e in enumerate(raw):
        k = f"eligibility[{i}]"
        c.keys(
            e,
            {"id", "column", "aliases", "min", "max", "label", "label_en"},
            k,
            required=("id", "column"),
        )
        lo = float(c.num(e["min"], k + ".min")) if "min" in e else None
        hi = float(c.num(e["max"], k + ".max")) if "max" in e else None
        if lo is None and hi is None:
            raise c.fail(k, "give min, max or both")
        if lo is not None and hi is not None and lo > hi:
            raise c.fail(k, f"min {lo:g} is above max {hi:g}")
        out.append(
            Eligibility(
                c.str_(e["id"], k + ".id"),
                c.str_(e["column"], k + ".column"),
                c.strs(e.get("aliases", []), k + ".aliases"),
                lo,
                hi,
                c.str_(e.get("label", e["column"]), k + ".label"),
                c.str_(e.get("label_en", e.get("label", e["column"])), k + ".label_en"),
            )
        )
    return tuple(out)


def _parse_prepost(c: _Ctx, raw, domains, index) -> PrePost | None:
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
        raise c.fail(k + ".score", "'index' but the instrument declares no [index]")
    if score not in ("index", "mean_of_domains") and score not in dom_ids:
        raise c.fail(k + ".score", f"{score!r}: use 'index', 'mean_of_domains' or a domain id")
    ds = c.strs(raw.get("domains", [d.id for d in domains if d.reported]), k + ".domains")
    for d in ds:
        if d not in dom_ids:
            raise c.fail(k + ".domains", f"unknown domain {d!r}")
    reported = raw.get("reported", "post_group_index")
    if reported not in PREPOST_REPORTED:
        raise c.fail(k + ".reported", f"{reported!r}: use one of {', '.join(PREPOST_REPORTED)}")
    return PrePost(
        score,
        ds,
        bool(raw.get("strict", True)),
        reported,
        c.int_(raw.get("min_pairs_for_tests", 5), k + ".min_pairs_for_tests"),
    )
