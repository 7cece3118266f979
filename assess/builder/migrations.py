"""Provides the building of a framework's declared migrations (its `migrations` block), checked on the way."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..checks import migrations as checks
from ..checks.context import Context, F, Spec, Where
from ..model import Migration, QuestionMove, Removal, SectionMove, ValueMap
from ..model.migration import MoveKind, ScaleMove


def build_migrations(cx: Context, version: str) -> tuple[Migration, ...]:
    """The migrations of the framework being built, each step and the chain checked (E246-E250)."""
    out = tuple(_migration(cx, m, ("migrations", i)) for i, m in enumerate(cx.data.get("migrations", [])))
    checks.check_chain(cx, out, version)
    for i, m in enumerate(out):
        checks.check_step(cx, m, last=i == len(out) - 1, version=version)
    return out


def _migration(cx: Context, spec: Spec, path: Where) -> Migration:
    questions = tuple(_question(cx, qid, q, path + ("questions", qid)) for qid, q in spec.get("questions", {}).items())
    sections = tuple(
        SectionMove(sid, s["renamed_from"], path + ("sections", sid)) for sid, s in spec.get("sections", {}).items()
    )
    removed = tuple(Removal(r["id"], r["reason"], path + ("removed", i)) for i, r in enumerate(spec.get("removed", [])))
    scales = tuple(ScaleMove(sid, _values(sc), path + ("scales", sid)) for sid, sc in spec.get("scales", {}).items())
    return Migration(spec["from"], spec["to"], questions, sections, removed, spec.get("note", ""), path, scales)


def _question(cx: Context, qid: str, spec: Spec, path: Where) -> QuestionMove:
    checks.check_declaration(cx, spec, path)
    kind: MoveKind = "remapped"
    sources: tuple[str, ...] = (qid,)
    if "renamed_from" in spec:
        kind, sources = "renamed", (spec["renamed_from"],)
    elif "split_from" in spec:
        kind, sources = "split", (spec["split_from"],)
    elif "merged_from" in spec:
        kind, sources = "merged", tuple(spec["merged_from"])
    return QuestionMove(qid, kind, sources, _values(spec), spec.get("take"), path)


def _values(spec: Spec) -> tuple[ValueMap, ...]:
    """A declaration's value pairs, old to new."""
    return tuple(ValueMap(_value(v["from"]), _value(v["to"])) for v in spec.get("values", []))


def _value(v: object) -> str | int | Fraction:
    """A value as options hold it: a whole number as an int, another number as a Fraction, text as it is."""
    if isinstance(v, (int, Decimal, Fraction)) and not isinstance(v, bool):
        f = F(v)
        return int(f) if f.denominator == 1 else f
    return str(v)
