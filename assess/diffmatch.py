"""Provides what a framework diff matches before it compares: the moves the new version's migrations declare from
the old one, the ids they rename (so that a condition, a scope or an axis naming a renamed id the new way is the
same), and the order of options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .expression_syntax import tokens
from .model import Framework, Migration, Option, Repeat, Table, TableEntry, ValueMap
from .numbers import decimal


def text(value: object) -> str:
    """A model value as the diff shows it: numbers exact, lists joined, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return decimal(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(text(v) for v in value)
    if isinstance(value, Repeat):
        return f"one block per {value.label}"
    if isinstance(value, Table):
        return "a table: " + ", ".join(e.id for e in value.columns or value.rows)
    return str(value)


_HOW = ("remapped", "renamed", "split", "merged")  # composed over a chain, the later wins


@dataclass
class Declared:
    """What the new version's migrations declare from the old version, composed over the chain."""

    back: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """New question id -> the old ids its answer comes from."""
    how: dict[str, str] = field(default_factory=dict)
    """New question id -> renamed, split, merged or remapped."""
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    """New question id -> {old value: new value}."""
    scales: dict[str, dict[str, str]] = field(default_factory=dict)
    """Scale id -> {old value: new value} for every question using it."""
    sections: dict[str, str] = field(default_factory=dict)
    """New section id -> old section id."""
    removed: dict[str, str] = field(default_factory=dict)
    """Old question id -> why it was removed."""
    renames: dict[str, str] = field(default_factory=dict)
    """Old id -> new id of each question and section renamed, both there in their own version."""


def _compose(maps: dict[str, str], pairs: Sequence[ValueMap]) -> dict[str, str]:
    """Value maps over two steps: {first version's value: last version's value}."""
    step_map = {text(v.old): text(v.new) for v in pairs}
    composed = {k: step_map.get(v, v) for k, v in maps.items()}
    for k, v in step_map.items():
        if k not in maps.values():
            composed.setdefault(k, v)
    return composed


def declared(old: Framework, new: Framework) -> Declared:
    """Walk the new version's migrations from the old version's to its own."""
    found = Declared()
    entries = list(getattr(new, "migrations", ()))
    start = next((i for i, m in enumerate(entries) if m.from_version == old.version), None)
    if start is None:
        return found
    for step in entries[start:]:
        for qm in step.questions:
            own = tuple(qm.sources) or (qm.id,)
            sources = tuple(dict.fromkeys(o for s in own for o in found.back.get(s, (s,))))
            found.how[qm.id] = max([qm.kind, *(found.how[s] for s in own if s in found.how)], key=_HOW.index)
            found.back[qm.id] = sources
            composed = _compose(found.values.get(own[0], {}), qm.values)
            if composed:
                found.values[qm.id] = composed
        for scm in getattr(step, "scales", ()):  # a scale's values remapped for every question using it
            found.scales[scm.id] = _compose(found.scales.get(scm.id, {}), scm.values)
        for sm in step.sections:
            found.sections[sm.id] = found.sections.get(sm.renamed_from, sm.renamed_from)
        for r in step.removed:
            for o in found.back.get(r.id, (r.id,)):
                found.removed[o] = r.reason
    for qid, sources in found.back.items():
        src = sources[0] if len(sources) == 1 and found.how.get(qid) in ("renamed", "remapped") else qid
        if src != qid and src in old.questions and qid in new.questions and src not in new.questions:  # not a copy
            found.renames[src] = qid
    for sid, src in found.sections.items():
        if src != sid and src in old.all_sections and sid in new.all_sections:
            found.renames[src] = sid
    return found


# ---------------------------------------------------------------------------- the same, once renamed

EXPRESSIONS = frozenset({"when", "expr", "show_if"})
"""The fields holding a condition or a formula: the same when their tokens are, renamed ids read the new way."""

IDS = frozenset({"section", "scope", "rank_by", "x", "y"})
"""The fields holding one question's or section's id."""

_NOT_IDS = frozenset({"dot", "pipe"})  # a name after these is an attribute or a filter, not an id


def expression(source: str, renames: Mapping[str, str]) -> object:
    """An expression's tokens with each renamed id read the new way (a filter's, a test's or an attribute's name
    is left as it is); the source itself when it does not read as tokens."""
    found, trouble = tokens(source)
    if trouble is not None:
        return source
    out: list[tuple[str, object]] = []
    for i, t in enumerate(found):
        before = [p.value if p.type == "name" else p.type for p in found[max(0, i - 2) : i]]
        test = before[-1:] == ["is"] or before == ["is", "not"]
        if t.type == "name" and isinstance(t.value, str) and not test and not _NOT_IDS & set(before[-1:]):
            out.append(("name", renames.get(t.value, t.value)))
        else:
            out.append((t.type, t.value))
    return tuple(out)


def _table(table: Table, renames: Mapping[str, str]) -> Table:
    """The table with the ids its columns and rows show read the new way."""

    def entries(es: Sequence[TableEntry]) -> tuple[TableEntry, ...]:
        return tuple(replace(e, id=renames.get(e.id, e.id)) for e in es)

    return replace(table, columns=entries(table.columns), rows=entries(table.rows))


def same(name: str, old: object, new: object, renames: Mapping[str, str]) -> bool:
    """Whether a field's old value is its new one once the declared renames are read the new way (and, for a
    condition or formula, once its spacing and quotes are set aside)."""
    if name in EXPRESSIONS and isinstance(old, str) and isinstance(new, str):
        return expression(old, renames) == expression(new, {})
    if name in IDS and isinstance(old, str):
        return renames.get(old, old) == new
    if name == "table" and isinstance(old, Table):
        return _table(old, renames) == new
    return False


def reordered(old: Sequence[Option], new: Sequence[Option], values: Mapping[str, str]) -> tuple[str, str] | None:
    """The values in both versions (old ones remapped) in the old order and in the new, when the orders differ."""
    after = [text(o.value) for o in new]
    before = [v for v in (values.get(text(o.value), text(o.value)) for o in old) if v in after]
    after = [v for v in after if v in before]
    return None if before == after else (", ".join(before), ", ".join(after))


def moves(step: Migration) -> tuple[tuple[object, ...], ...]:
    """What a migration entry declares of answers (its questions, sections, removals and scales remapped), wherever
    it is written."""
    parts = (step.questions, step.sections, step.removed, getattr(step, "scales", ()))
    return tuple(tuple(replace(x, path=()) for x in part) for part in parts)
