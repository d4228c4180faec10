"""A user's own answer labels (``--labels FILE``): the user's statement, never a guess.

Some forms word the answers differently from the definition (an IKM questionnaire
answered on a Setuju scale: "Sangat setuju" ... "Tidak setuju"). Instead of
guessing, indeks accepts a small file in which the user states which text means
which code, for one item or for every item (``*``):

CSV (``item,text,code``; a header row is allowed; ``,`` ``;`` or tab)::

    item,text,code
    *,Sangat tidak setuju,1
    *,Tidak setuju,2
    *,Setuju,3
    *,Sangat setuju,4
    u4,Gratis sekali,4

TOML::

    [labels."*"]
    "Sangat setuju" = 4
    [labels.u4]
    "Gratis sekali" = 4

A statement for one item wins over a ``*`` statement, and both win over the
definition's own wording of the same text. Every code must lie on the item's
declared scale; an unknown item, a code off the scale, or the same text given two
codes is an error naming the file and the line. The statements are listed in the
result (``ScoreResult.meta["user_labels"]``, the ``info`` sheet) so a reader sees
which answers were read by the user's statement.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import replace
from pathlib import Path

from indeks.errors import ScoringInputError
from indeks.instruments.model import Instrument
from indeks.scoring.coerce import norm_label

__all__ = ["load_labels", "with_user_labels", "labels_table"]

Statement = tuple[str, str, int, str]  # item ("*" for all), text, code, where (file:line)


def _fail(where: str, id_text: str, en_text: str) -> ScoringInputError:
    return ScoringInputError(texts={"id": f"{where}: {id_text}", "en": f"{where}: {en_text}"})


def _code(value, where: str) -> int:
    try:
        f = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise _fail(
            where,
            f"kode '{value}' bukan bilangan bulat",
            f"code '{value}' is not a whole number",
        ) from None
    if f != int(f):
        raise _fail(
            where, f"kode '{value}' bukan bilangan bulat", f"code '{value}' is not a whole number"
        )
    return int(f)


def load_labels(path: str | Path) -> list[Statement]:
    """Read a labels file (``.csv``/``.txt``/``.tsv`` or ``.toml``) into statements."""
    p = Path(path)
    name = p.name
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        why = exc.strerror or exc
        raise _fail(
            name,
            f"berkas label tidak dapat dibaca ({why})",
            f"the labels file cannot be read ({why})",
        ) from None
    except UnicodeDecodeError:
        raise _fail(
            name, "berkas label harus teks UTF-8", "the labels file must be UTF-8 text"
        ) from None
    out: list[Statement] = []
    if p.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _fail(name, f"TOML tidak sah ({exc})", f"not valid TOML ({exc})") from None
        table = data.get("labels", data)
        if not isinstance(table, dict):
            raise _fail(name, "[labels] harus berupa tabel", "[labels] must be a table")
        for item, texts in table.items():
            if not isinstance(texts, dict):
                raise _fail(
                    f"{name}: labels.{item}",
                    'harus berupa tabel "teks" = kode',
                    'must be a table of "text" = code',
                )
            for t, code in texts.items():
                where = f"{name}: labels.{item}.{t}"
                out.append((str(item).strip().lower(), str(t), _code(code, where), where))
        return out
    if p.suffix.lower() not in (".csv", ".txt", ".tsv"):
        raise _fail(
            name, "berkas label harus .csv atau .toml", "the labels file must be .csv or .toml"
        )
    first = text.splitlines()[0] if text.strip() else ""
    delim = max([",", ";", "\t"], key=first.count) if first else ","
    for lineno, row in enumerate(csv.reader(io.StringIO(text), delimiter=delim), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if lineno == 1 and [c.lower() for c in cells[:3]] in (
            ["item", "text", "code"],
            ["butir", "teks", "kode"],
        ):
            continue
        where = f"{name}, baris/line {lineno}"
        if len(cells) < 3 or not cells[0] or not cells[1]:
            raise _fail(
                where,
                "setiap baris berisi: butir (atau *), teks jawaban, kode",
                "every line holds: item (or *), answer text, code",
            )
        out.append((cells[0].lower(), cells[1], _code(cells[2], where), where))
    if not out:
        raise _fail(name, "berkas label kosong", "the labels file is empty")
    return out


def _statements(labels) -> list[Statement]:
    if labels is None:
        return []
    if isinstance(labels, (str, Path)):
        return load_labels(labels)
    if isinstance(labels, dict):  # {item: {text: code}}
        return [
            (str(i).strip().lower(), str(t), _code(c, f"labels[{i!r}][{t!r}]"), f"labels[{i!r}]")
            for i, texts in labels.items()
            for t, c in texts.items()
        ]
    out = []
    for k, row in enumerate(labels):  # (item, text, code) triples
        item, t, c = row
        out.append((str(item).strip().lower(), str(t), _code(c, f"labels[{k}]"), f"labels[{k}]"))
    return out


def with_user_labels(inst: Instrument, labels) -> tuple[Instrument, list[Statement]]:
    """``inst`` whose items also accept the user's answer labels, and the statements.

    ``labels``: a file path, ``{item: {text: code}}``, or ``(item, text, code)`` triples;
    ``None`` leaves the instrument unchanged."""
    stmts = _statements(labels)
    if not stmts:
        return inst, []
    items = {it.id: it for it in inst.items}
    per_item: dict[str, dict[str, tuple[int, str]]] = {i: {} for i in items}
    # "*" first so a statement for one item wins
    for item, text, code, where in sorted(stmts, key=lambda s: s[0] != "*"):
        targets = list(items) if item == "*" else [item]
        if item != "*" and item not in items:
            raise _fail(
                where,
                f"butir '{item}' tidak ada di {inst.id} (butir: {', '.join(list(items)[:12])}...)",
                f"item '{item}' is not an item of {inst.id}",
            )
        key = norm_label(text)
        for t in targets:
            sc = inst.scales[items[t].scale]
            if not sc.min <= code <= sc.max:
                raise _fail(
                    where,
                    f"kode {code} di luar skala {sc.min}..{sc.max} butir {t}",
                    f"code {code} is outside the scale {sc.min}..{sc.max} of item {t}",
                )
            prev = per_item[t].get(key)
            if prev is not None and prev[0] != code and (item != "*") == (prev[1] != "*"):
                raise _fail(
                    where,
                    f"teks '{text}' sudah diberi kode {prev[0]} untuk butir {t}",
                    f"text '{text}' was already given code {prev[0]} for item {t}",
                )
            per_item[t][key] = (code, item)
    new_items = []
    for it in inst.items:
        extra = per_item[it.id]
        if not extra:
            new_items.append(it)
            continue
        new_items.append(replace(it, user_labels=tuple((t, c) for t, (c, _) in extra.items())))
    return replace(inst, items=tuple(new_items)), stmts


def labels_table(stmts: list[Statement]) -> list[dict]:
    """The statements as rows (item, text, code) for reports."""
    return [{"item": i, "text": t, "code": c} for i, t, c, _ in stmts]
