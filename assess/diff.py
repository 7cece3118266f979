"""Provides the structural diff of two versions of a framework: each change with its effect and the version bump
it needs by the version policy, the bump a version number declares, and the changes that touch one assessment."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from .diffmatch import Declared, declared, moves, reordered, same, text
from .errors import AssessError, problem
from .model import Answers, Framework, Option, Question, Rating, Repeat, Section

Kind = Literal[
    "framework", "scale", "section", "question", "option", "derived", "rating", "rule", "heatmap", "migration"
]
ChangeType = Literal["added", "removed", "renamed", "moved", "changed"]
Effect = Literal["answers", "scores", "findings", "text"]
Bump = Literal["major", "minor", "patch"]

KINDS: tuple[Kind, ...] = get_args(Kind)
"""The kinds of change, in the order a diff lists them."""

BUMPS = ("none", "patch", "minor", "major")
"""Version bumps, smallest first ('none': the version is unchanged)."""

SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")
"""A semantic version x.y.z, with an optional pre-release and build."""


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions of a framework."""

    kind: Kind
    """What changed: a question, an option, a section, …"""
    id: str
    """Its id in the new version (the old one's when removed); an option's is 'owner/value'."""
    change: ChangeType
    """added, removed, renamed, moved (to another section or parent) or changed."""
    field: str = ""
    """The field that changed (changed), or what a removal or addition declares."""
    old: str = ""
    """The old value as text (renamed: the old id; moved: the old section; added as a copy: the ids copied from)."""
    new: str = ""
    """The new value as text."""
    effect: Effect = "text"
    """What it does to an assessment: its answers, its scores, its findings, or only the text it shows."""
    bump: Bump = "patch"
    """The version bump the change needs, by the version policy."""
    migrated: bool = False
    """Declared in the new version's migrations: answers move by it."""
    where: str = ""
    """Its owner: a question's section, an option's question or scale, a section's parent."""


@dataclass
class Diff:
    """The changes from one version of a framework to another."""

    old_id: str
    """The old version's framework id."""
    old_version: str
    """The old version number."""
    new_id: str
    """The new version's framework id."""
    new_version: str
    """The new version number."""
    changes: list[Change] = field(default_factory=list)
    """Every change, by kind (KINDS order), then in document order."""
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """'section:ID' and 'scale:ID' -> the question ids inside that section or using that scale, in either version."""

    def required(self) -> str:
        """The largest bump the changes need: 'major', 'minor', 'patch', or 'none' when nothing changed."""
        return max((c.bump for c in self.changes), key=BUMPS.index, default="none")

    def declared(self) -> str:
        """The bump the version numbers declare (see version_bump)."""
        return version_bump(self.old_version, self.new_version)


def version_bump(old: str, new: str) -> str:
    """The bump from old to new: 'major', 'minor', 'patch', 'none' (same) or 'downgrade'. Versions that are not
    x.y.z are compared as text: any other text counts as a major bump, a smaller one as a downgrade."""
    a, b = SEMVER.fullmatch(old), SEMVER.fullmatch(new)
    if a is None or b is None:
        return "none" if old == new else ("downgrade" if new < old else "major")
    x, y = tuple(int(a.group(i)) for i in (1, 2, 3)), tuple(int(b.group(i)) for i in (1, 2, 3))
    if y < x:
        return "downgrade"
    if y == x:
        # a pre-release comes before its release (2.0.0-rc1 < 2.0.0)
        pa, pb = a.group(4) or "~", b.group(4) or "~"
        return "none" if pa == pb else ("downgrade" if pb < pa else "patch")
    return "major" if y[0] > x[0] else "minor" if y[1] > x[1] else "patch"


# ---------------------------------------------------------------------------- comparing


def _spec(text: str) -> tuple[tuple[str, Effect, Bump], ...]:
    """'a b:text/patch; c:scores/major' -> ((a, text, patch), (b, text, patch), (c, scores, major))."""
    found: list[Any] = []
    for part in text.split(";"):
        names, _, how = part.partition(":")
        effect, _, bump = how.partition("/")
        found += [(name, effect, bump) for name in names.split()]
    return tuple(found)


FIELDS = {
    "scale": _spec("title description:text/patch"),
    "section": _spec(
        "title description guidance table:text/patch; aggregate normalize direction weight rating scored show_if:"
        "scores/major"
    ),
    "question": _spec(
        "type scale:answers/major; weight scored show_if multiple_score:scores/major; required evidence "
        "justification confidence:answers/minor; text guidance unit collectors:text/patch"
    ),
    "option": _spec("score unknown:scores/major; label description short:text/patch"),
    "derived": _spec("expr range rating direction:scores/major; title description:text/patch"),
    "rule": _spec(
        "when priority scope addressee recommendations see_also conflicts_with section source:findings/minor; "
        "finding action reference:text/patch"
    ),
    "heatmap": _spec("section x y rating:scores/minor; title:text/patch"),
    "rating": _spec("title:text/patch"),
}
"""The fields compared of each kind, with the effect and the bump of a change to each (the version policy)."""

ENDS: dict[str, tuple[tuple[Effect, Bump], tuple[Effect, Bump], str]] = {
    "scale": (("answers", "minor"), ("answers", "major"), "title"),
    "derived": (("scores", "minor"), ("scores", "major"), "expr"),
    "rating": (("scores", "minor"), ("scores", "major"), "title"),
    "rule": (("findings", "minor"), ("findings", "minor"), "when"),
    "heatmap": (("scores", "minor"), ("scores", "minor"), "title"),
}
"""Of each kind matched by id: the effect and bump of one added, of one removed, and the field shown for it."""


class _Out:
    """The changes found so far."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.renames: dict[str, str] = {}  # old id -> new id of the questions and sections a migration renames

    def add(self, kind: Kind, id: str, change: ChangeType, effect: Effect, bump: Bump, **more: Any) -> None:
        self.changes.append(Change(kind, id, change, effect=effect, bump=bump, **more))

    def field(
        self, kind: Kind, id: str, name: str, old: object, new: object, how: tuple[Effect, Bump], **more: Any
    ) -> None:
        """Add a 'changed' change when old and new differ, and not only by the ids the migrations rename."""
        if old != new and not same(name, old, new, self.renames):
            self.add(kind, id, "changed", *how, field=name, old=text(old), new=text(new), **more)

    def fields(self, kind: Kind, id: str, old: object, new: object, **more: Any) -> None:
        """Compare the FIELDS of the kind."""
        for name, effect, bump in FIELDS[kind]:
            self.field(kind, id, name, getattr(old, name), getattr(new, name), (effect, bump), **more)

    def by_id(
        self, kind: Kind, old: Iterable[Any], new: Iterable[Any], more: Callable[[Any, Any], None] | None = None
    ) -> None:
        """Things of a kind matched by id: added, removed (ENDS), and FIELDS (and more) of those in both."""
        added, removed, show = ENDS[kind]
        before, after = {x.id: x for x in old}, {x.id: x for x in new}
        for i, n in after.items():
            o = before.get(i)
            if o is None:
                self.add(kind, i, "added", *added, new=text(getattr(n, show)))
                continue
            self.fields(kind, i, o, n)
            if more:
                more(o, n)
        for i, o in before.items():
            if i not in after:
                self.add(kind, i, "removed", *removed, old=text(getattr(o, show)))


def _narrowed(old_lo: object, old_hi: object, new_lo: object, new_hi: object) -> bool:
    """Whether [new_lo, new_hi] leaves out numbers [old_lo, old_hi] allowed (None: no bound)."""
    lo = new_lo is not None and (old_lo is None or new_lo > old_lo)  # type: ignore[operator]
    hi = new_hi is not None and (old_hi is None or new_hi < old_hi)  # type: ignore[operator]
    return bool(lo or hi)


def _options(
    out: _Out, owner: str, old: Sequence[Option], new: Sequence[Option], values: Mapping[str, str], where: str = ""
) -> None:
    """Options by value: removed (or remapped by a migration), added, their scores and texts, and their order (a
    scale's when where is '', else the question's in section where)."""
    by_old, by_new = {o.value: o for o in old}, {o.value: o for o in new}
    remapped: set[str] = set()
    for value, o in by_old.items():
        v, oid = text(value), f"{owner}/{text(value)}"
        n = by_new.get(value)
        if n is not None:
            out.fields("option", oid, o, n, where=owner)
        elif v in values:
            remapped.add(values[v])
            out.changes.append(Change("option", oid, "changed", "value", v, values[v], "answers", "major", True, owner))
        else:
            out.add("option", oid, "removed", "answers", "major", old=o.label, where=owner)
    for value, n in by_new.items():
        if value not in by_old and text(value) not in remapped:
            out.add("option", f"{owner}/{text(value)}", "added", "answers", "minor", new=n.label, where=owner)
    order = reordered(old, new, values)
    if order:  # no score depends on it: the order they are shown in (see the README's version policy)
        kind: Kind = "question" if where else "scale"
        out.add(
            kind, owner, "changed", "text", "patch", field="options reordered", old=order[0], new=order[1], where=where
        )


def _repeat(out: _Out, sid: str, o: Repeat | None, n: Repeat | None, where: str) -> None:
    """What makes a section repeatable: added or removed, its label, bounds, ranking and aggregate."""
    if o is None or n is None:
        out.field("section", sid, "repeat", o, n, ("answers", "major"), where=where)
        return
    fewer: Bump = "major" if n.max is not None and (o.max is None or n.max < o.max) else "minor"
    out.field("section", sid, "repeat label", o.label, n.label, ("text", "patch"), where=where)
    out.field("section", sid, "repeat min/max", (o.min, o.max), (n.min, n.max), ("answers", fewer), where=where)
    out.field("section", sid, "rank_by", o.rank_by, n.rank_by, ("scores", "minor"), where=where)
    out.field("section", sid, "repeat aggregate", o.aggregate, n.aggregate, ("scores", "major"), where=where)


def _sections(out: _Out, old: Framework, new: Framework, d: Declared) -> None:
    renamed = {n: o for n, o in d.sections.items() if n != o and o in old.all_sections and n in new.all_sections}
    claimed = set(renamed.values())
    for sid, s in new.all_sections.items():
        where = s.parent or ""
        oid = renamed.get(sid, "" if sid in claimed else sid)  # an old id renamed away is another section
        o = old.all_sections.get(oid) if oid else None
        if o is None:
            out.add("section", sid, "added", "answers", "minor", new=s.title, where=where)
            continue
        if sid in renamed:
            out.add("section", sid, "renamed", "answers", "major", old=oid, new=sid, migrated=True, where=where)
        if (d.sections.get(s.parent, s.parent) if s.parent else None) != o.parent:
            moved = Change("section", sid, "moved", "", o.parent or "", s.parent or "", "scores", "major", where=where)
            out.changes.append(moved)
        out.fields("section", sid, o, s, where=where)
        _repeat(out, sid, o.repeat, s.repeat, where)
    for sid, o in old.all_sections.items():
        if sid not in new.all_sections and sid not in claimed:
            out.add("section", sid, "removed", "answers", "major", old=o.title, where=o.parent or "")


def _question(out: _Out, o: Question, q: Question, d: Declared) -> None:
    """The fields of a question in both versions."""
    qid, where, values = q.id, q.section, d.values.get(q.id, {})
    if d.sections.get(q.section, q.section) != o.section:
        out.add("question", qid, "moved", "scores", "major", old=o.section, new=q.section, where=where)
    out.fields("question", qid, o, q, where=where)
    fewer: Bump = "major" if _narrowed(o.min, o.max, q.min, q.max) else "minor"
    bounds = ((o.min, o.max), (q.min, q.max))
    out.field("question", qid, "min/max", *bounds, ("answers", fewer), where=where, migrated=bool(values))
    wider = (q.max_choices or 10**9) >= (o.max_choices or 10**9)
    for name, old, new, bump in (
        ("integer", o.integer, q.integer, "major" if q.integer else "minor"),
        ("max_choices", o.max_choices, q.max_choices, "minor" if wider else "major"),
        ("allow_na", o.allow_na, q.allow_na, "minor" if q.allow_na else "major"),
    ):
        out.field("question", qid, name, old, new, ("answers", bump), where=where)  # type: ignore[arg-type]
    if not (o.scale and o.scale == q.scale):  # a shared scale's options are compared once, as the scale's
        _options(out, qid, o.options, q.options, values, where)
    elif values:  # answers on a shared scale remapped
        pairs = (", ".join(values), ", ".join(values.values()))
        out.changes.append(Change("question", qid, "changed", "values", *pairs, "answers", "major", True, where))


def _questions(out: _Out, old: Framework, new: Framework, d: Declared) -> None:
    renamed: set[str] = set()
    parted: set[str] = set()  # old ids split or merged into new questions
    for qid, q in new.questions.items():
        sources, how = d.back.get(qid, ()), d.how.get(qid, "")
        src = sources[0] if len(sources) == 1 and how in ("renamed", "remapped") else None
        if sources and qid not in old.questions and all(s in old.questions and s in new.questions for s in sources):
            copied = ", ".join(sources)  # every source is still there: its answers are copied, not moved
            more = {"field": f"its answers copied from {copied}", "old": copied, "migrated": True}
            out.add("question", qid, "added", "answers", "minor", new=q.text, where=q.section, **more)
        elif src and src != qid and src in old.questions:
            renamed.add(src)
            out.add("question", qid, "renamed", "answers", "major", old=src, new=qid, migrated=True, where=q.section)
            _question(out, old.questions[src], q, d)
        elif qid in old.questions and (qid in sources or how not in ("split", "merged")):
            _question(out, old.questions[qid], q, d)
        elif how in ("split", "merged"):
            parted.update(sources)
            what = f"{how} from " + ", ".join(sources)
            out.changes.append(Change("question", qid, "added", what, "", q.text, "answers", "major", True, q.section))
        else:
            out.add("question", qid, "added", "answers", "minor", new=q.text, where=q.section)
    for qid, o in old.questions.items():
        if qid in new.questions or (qid in renamed and qid not in parted):
            continue
        if qid in parted:
            into = [n for n, s in d.back.items() if qid in s and n in new.questions]
            what = f"{d.how.get(into[0], 'split')} into " + ", ".join(into)
            out.changes.append(
                Change("question", qid, "removed", what, o.text, "", "answers", "major", True, o.section)
            )
        else:
            reason = d.removed.get(qid)
            what = f"kept aside: {reason}" if reason else ""
            out.add(
                "question",
                qid,
                "removed",
                "answers",
                "major",
                field=what,
                old=o.text,
                migrated=bool(what),
                where=o.section,
            )


def _bands(out: _Out, o: Rating, n: Rating) -> None:
    """A rating's bands: bounds (the meaning of a score), else labels, colours and descriptions (text)."""

    def bounds(r: Rating) -> str:
        return ", ".join(f"{b.label} {text(b.min)}–{text(b.max)}" for b in r.bands)

    if [(b.min, b.max) for b in o.bands] != [(b.min, b.max) for b in n.bands]:
        out.add("rating", n.id, "changed", "scores", "major", field="bands", old=bounds(o), new=bounds(n))
        return
    for ob, nb in zip(o.bands, n.bands, strict=True):
        for name in ("label", "colour", "description"):
            band = f"band {text(nb.min)}–{text(nb.max)} {name}"
            out.field("rating", n.id, band, getattr(ob, name), getattr(nb, name), ("text", "patch"))


def _framework(out: _Out, old: Framework, new: Framework) -> None:
    """The framework's own fields: scoring policy and defaults (major), grading, thresholds, texts."""
    levels = [tuple(o.value for o in s.options) if s else () for s in (old.confidence_scale, new.confidence_scale)]
    pairs: list[tuple[str, object, object, tuple[Effect, Bump]]] = [
        *(
            (f"policy {k}", getattr(old.policy, k), getattr(new.policy, k), ("scores", "major"))
            for k in ("unanswered", "not_applicable", "unknown")
        ),
        *(
            (k, getattr(old, k), getattr(new, k), ("scores", "major"))
            for k in ("precision", "headline", "cutoff", "direction", "rating")
        ),
        ("grading", old.grading, new.grading, ("answers", "major")),
        ("confidence levels", levels[0], levels[1], ("answers", "major")),
        ("confidence low", old.confidence_low, new.confidence_low, ("findings", "minor")),
        ("collection min_weight", old.collection_min_weight, new.collection_min_weight, ("findings", "minor")),
        *((k, getattr(old, k), getattr(new, k), ("text", "patch")) for k in ("title", "description", "authors")),
        ("languages", old.languages, new.languages, ("text", "patch")),
    ]
    for name, o, n, how in pairs:
        out.field("framework", new.id, name, o, n, how)
    for lang in dict.fromkeys([*old.translated, *new.translated]):  # a translation is text only: a patch
        o_, n_ = old.translated.get(lang), new.translated.get(lang)
        if o_ != n_:
            count = [f"{x[0]} of {x[1]} texts" if x else "none" for x in (o_, n_)]
            same_count = o_ and n_ and o_[0] == n_[0]
            out.add(
                "framework",
                new.id,
                "changed",
                "text",
                "patch",
                field=f"translations {lang}",
                old=count[0],
                new=count[1] + (", changed" if same_count else ""),
            )
    for name in ("changelog", "references"):
        o, n = getattr(old, name), getattr(new, name)
        if o != n:
            counts = (f"{len(o)} entries", f"{len(n)} entries" + (", changed" if len(o) == len(n) else ""))
            out.changes.append(Change("framework", new.id, "changed", name, *counts))


def _migrations(out: _Out, old: Framework, new: Framework) -> None:
    """Migration entries, matched by the version they start from: an entry that moves no answer, or whose only
    change is the version it goes to or its note, is text only (answers move as before)."""
    before = {m.from_version: m for m in getattr(old, "migrations", ())}
    after = {m.from_version: m for m in getattr(new, "migrations", ())}
    for k, m in after.items():
        o = before.get(k)
        if o is None and not any(moves(m)):
            out.add("migration", m.step, "added", "text", "patch", field="moves no answers", new=m.note)
        elif o is None:
            out.add("migration", m.step, "added", "answers", "minor", new=m.note)
        elif moves(o) != moves(m):
            out.add("migration", m.step, "changed", "answers", "minor")
        else:
            out.field("migration", m.step, "to", o.to_version, m.to_version, ("text", "patch"))
            out.field("migration", m.step, "note", o.note, m.note, ("text", "patch"))
    for k, o in before.items():
        if k not in after:
            out.add("migration", o.step, "removed", "answers", "minor")


def _uses(*fws: Framework) -> dict[str, tuple[str, ...]]:
    """'section:ID' and 'scale:ID' -> question ids inside or using it, over both versions."""
    found: dict[str, dict[str, None]] = {}
    for fw in fws:
        for q in fw.questions.values():
            if q.scale:
                found.setdefault(f"scale:{q.scale}", {})[q.id] = None
            sid: str | None = q.section
            while sid:
                found.setdefault(f"section:{sid}", {})[q.id] = None
                sec: Section | None = fw.all_sections.get(sid)
                sid = sec.parent if sec else None
    return {k: tuple(v) for k, v in found.items()}


def diff(old: Framework, new: Framework) -> Diff:
    """Every change from old to new, each with its effect and the bump it needs (see the README's version
    policy); AssessError E601 when they are not versions of one framework."""
    if old.id != new.id:
        name = new.path or "assess diff"
        raise AssessError([problem(name, None, "E601", old=old.id, new=new.id)])
    out, moves = _Out(), declared(old, new)
    out.renames = moves.renames
    _framework(out, old, new)
    out.by_id(
        "scale",
        old.scales.values(),
        new.scales.values(),
        lambda o, n: _options(out, n.id, o.options, n.options, moves.scales.get(n.id, {})),
    )
    _sections(out, old, new, moves)
    _questions(out, old, new, moves)
    out.by_id("derived", old.derived, new.derived)
    out.by_id("rating", old.ratings.values(), new.ratings.values(), lambda o, n: _bands(out, o, n))
    out.by_id("rule", old.rules, new.rules)
    out.by_id("heatmap", old.heatmaps, new.heatmaps)
    _migrations(out, old, new)
    changes = sorted(out.changes, key=lambda c: KINDS.index(c.kind))
    return Diff(old.id, old.version, new.id, new.version, changes, _uses(old, new))


def affecting(d: Diff, answers: Answers) -> list[Change]:
    """The changes that touch this assessment: its answered questions (in blocks too), the sections holding them,
    the scales they use, and every change of a score (derived scores, ratings, the framework's scoring)."""
    answered = set(answers.answers)
    sections = set(answers.entities)
    for blocks in answers.entities.values():
        for block in blocks:
            answered.update(block.answers)
    sections.update(k[8:] for k, qs in d.questions.items() if k.startswith("section:") and answered & set(qs))
    back = {
        c.id: c.old.split(", ")
        for c in d.changes
        if c.kind == "question" and (c.change == "renamed" or (c.change == "added" and c.migrated and c.old))
    }  # the old ids a question's answers come from: renamed, or copied from questions still there

    def question(qid: str) -> bool:
        return qid in answered or bool(answered.intersection(back.get(qid, ())))

    def touches(c: Change) -> bool:
        if c.kind in ("derived", "rating"):
            return True
        if c.kind == "framework":
            return c.effect in ("answers", "scores")
        if c.kind == "question":
            return question(c.id)
        if c.kind == "option":
            return question(c.where) or bool(answered & set(d.questions.get(f"scale:{c.where}", ())))
        if c.kind == "scale":
            return bool(answered & set(d.questions.get(f"scale:{c.id}", ())))
        if c.kind == "section":
            return c.id in sections or (c.change == "renamed" and c.old in sections)
        return False

    return [c for c in d.changes if touches(c)]
