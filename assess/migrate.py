"""Provides the migration of answers to a newer version of their framework, by the steps it declares: pure, and
never dropping an answer (what cannot move is kept aside in the file, with the reason)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from fractions import Fraction

from .answers import check_answer, now
from .errors import AssessError, Problem, problem
from .model import Answer, Answers, Entity, Event, Framework, KeptAside, Migration, Pin, Question, QuestionMove
from .model.migration import first_step, map_value, version_key
from .numbers import decimal


@dataclass
class Move:
    """One thing a migration did: an answer renamed, split, merged or remapped, blocks moved, or an answer kept
    aside."""

    step: str
    """The step it was done in: '1.1.0 → 2.0.0'."""
    kind: str
    """renamed, split, merged, remapped, section or 'kept aside'."""
    old: str
    """The id it had (a question's, or a section's)."""
    new: str
    """The id it has now ('' when kept aside)."""
    detail: str = ""
    """Where and how: the block, the values changed, the reason it was kept aside."""

    def __str__(self) -> str:
        if self.kind == "kept aside":
            return f"{self.old} kept aside: {self.detail}"
        return f"{self.old} → {self.new} ({self.kind}{'; ' + self.detail if self.detail else ''})"


@dataclass
class Migrated:
    """Answers migrated, and what was done to them."""

    answers: Answers
    """The answers on the new version: re-pinned, kept-aside answers added, the migration in their history."""
    moves: list[Move]
    """What moved, in the order done."""
    kept_aside: list[KeptAside]
    """The answers this migration kept aside (those kept aside before are in answers.kept_aside too)."""
    unchanged: int
    """How many answers stayed as they were, id and value."""
    steps: list[str]
    """The steps applied: ['1.0.0 → 1.1.0', '1.1.0 → 2.0.0']; [] when the answers were on the version already."""

    @property
    def moved(self) -> int:
        """How many answers now in the file a declaration changed (their id or value)."""
        return _count(self.answers) - self.unchanged


@dataclass
class _Held:
    """An answer on its way through the steps: what it is now, and what it was in the file."""

    answer: Answer
    origin: str
    """Its question id in the file."""
    original: Answer
    """The answer as the file held it."""


@dataclass
class _Scope:
    """Top-level answers, or one block's: where kept-aside answers and ambiguities are said to be."""

    held: dict[str, _Held]
    section: str = ""
    """The block's repeatable section id in the file ('' at the top level)."""
    entity: str = ""
    name: str = ""

    def where(self, qid: str) -> str:
        """How messages name an answer of this scope."""
        return f"'{qid}' in block '{self.entity}' ({self.name}) of {self.section}" if self.entity else f"'{qid}'"


@dataclass
class _Run:
    """One migration under way: what it did, kept aside and found ambiguous."""

    version: str
    name: str
    moves: list[Move] = field(default_factory=list)
    kept: list[KeptAside] = field(default_factory=list)
    ambiguous: list[Problem] = field(default_factory=list)
    unchanged: int = 0

    def keep(self, scope: _Scope, held: _Held, reason: str, step: str) -> None:
        """Keep an answer aside with the reason, and say so."""
        aside = KeptAside(held.origin, copy.deepcopy(held.original), reason, self.version)
        aside.section, aside.entity, aside.name = scope.section, scope.entity, scope.name
        self.kept.append(aside)
        self.moves.append(Move(step, "kept aside", held.origin, "", _in(scope) + reason))


def chain(fw: Framework, version: str) -> list[Migration]:
    """The declared steps from version to the framework's version, in order; [] when equal; E701 when none."""
    return _chain(fw, version, fw.path or fw.id)


def _chain(fw: Framework, version: str, name: str) -> list[Migration]:
    start = first_step(fw.migrations, version) if version != fw.version else len(fw.migrations)
    # nothing says how any earlier version's answers move; a patch need not say it (the version policy: a patch
    # changes text only, a translation say), so answers of an earlier patch of the same minor version are re-pinned
    undeclared = not fw.migrations and version.split(".")[:2] != fw.version.split(".")[:2]
    if start is None or undeclared or version_key(version) > version_key(fw.version):
        declared = ", ".join(m.step for m in fw.migrations) or "no migrations"
        fields = {"fid": fw.id, "found": version, "version": fw.version, "steps": declared}
        raise AssessError([problem(name, None, "E701", **fields)])
    return list(fw.migrations[start:])


def migrated_question_ids(fw: Framework, version: str) -> dict[str, tuple[str, ...]]:
    """Each question of the framework's version that a declaration makes from answers of `version`, by id: the ids
    on `version` its answer comes from (over the whole chain). Questions that keep their id undeclared are left out."""
    origins: dict[str, tuple[str, ...]] = {}  # id at the current step -> ids on `version`
    declared: set[str] = set()
    for step in chain(fw, version):
        now_: dict[str, tuple[str, ...]] = {}
        claimed = step.claimed() - step.staying(fw.questions)
        for q in step.questions:
            now_[q.id] = tuple(o for s in q.sources for o in origins.get(s, (s,)))
            declared.add(q.id)
        for old, came in origins.items():
            if old not in claimed and old not in now_:
                now_[old] = came
        origins = now_
        declared = {d for d in declared if d in origins}
    return {qid: origins[qid] for qid in fw.questions if qid in declared}


def migrate(answers: Answers, fw: Framework, framework_path: str | None = None, name: str = "<answers>") -> Migrated:
    """The answers moved to the framework's version by its declared steps, re-pinned (framework_path: the pin's
    path, relative to the answers file; None for a bundled framework). Raises AssessError: E704 answers of another
    framework, E701 no chain of steps, E702 every ambiguous case (name: the answers file, for messages)."""
    if answers.framework.id != fw.id:
        raise AssessError([problem(name, None, "E704", found=answers.framework.id, expected=fw.id)])
    steps = _chain(fw, answers.framework.version, name)
    if not steps and answers.framework.version == fw.version:
        return Migrated(answers, [], [], _count(answers), [])
    run = _Run(answers.framework.version, name)
    top = _Scope(_holding(answers.answers))
    blocks: dict[str, list[tuple[Entity, _Scope]]] = {
        sec: [(e, _Scope(_holding(e.answers), sec, e.id, e.name)) for e in es] for sec, es in answers.entities.items()
    }
    for step in steps:
        blocks = _move_sections(step, blocks, run)
        for scope in [top] + [s for es in blocks.values() for _, s in es]:
            scope.held = _apply(step, scope, run, fw)
    if run.ambiguous:
        raise AssessError(run.ambiguous)
    final = steps[-1].step if steps else f"{answers.framework.version} → {fw.version}"  # a re-pin: no step
    out = copy.deepcopy(answers)
    out.answers = _settle(fw, top, None, run, final)
    out.entities = {}
    for sec, es in blocks.items():
        if sec not in fw.all_sections or fw.all_sections[sec].repeat is None:
            for _, scope in es:
                for held in scope.held.values():
                    run.keep(scope, held, f"section '{sec}' is no longer in {fw.version}", final)
            continue
        out.entities[sec] = [Entity(e.id, e.name, _settle(fw, s, sec, run, final)) for e, s in es]
    out.kept_aside = list(out.kept_aside) + run.kept
    out.framework = Pin(fw.id, fw.version, fw.hash, framework_path)
    out.position = _position(answers.position, steps, fw)
    result = Migrated(out, run.moves, run.kept, run.unchanged, [s.step for s in steps] or [final])
    several = len(steps) > 1
    details = [(f"{m.step}: " if several else "") + str(m) for m in run.moves]
    summary = f"{fw.id} {answers.framework.version} → {fw.version}: " + (
        "nothing to move, re-pinned"
        if not run.moves
        else f"{result.moved} answer{'s' * (result.moved != 1)} moved, {len(run.kept)} kept aside"
    )
    out.history = list(out.history) + [Event(now(), "migrated", summary, details)]
    return result


def _holding(answers: dict[str, Answer]) -> dict[str, _Held]:
    return {qid: _Held(copy.deepcopy(a), qid, a) for qid, a in answers.items()}


def _count(answers: Answers) -> int:
    return len(answers.answers) + sum(len(e.answers) for es in answers.entities.values() for e in es)


def _block(scope: _Scope) -> str:
    return f"in block '{scope.entity}' ({scope.name}) of {scope.section}" if scope.entity else ""


def _in(scope: _Scope) -> str:
    return _block(scope) + ": " if scope.entity else ""


def _move_sections(
    step: Migration, blocks: dict[str, list[tuple[Entity, _Scope]]], run: _Run
) -> dict[str, list[tuple[Entity, _Scope]]]:
    """The blocks under their section's id after a step: renamed sections' blocks moved, ids kept."""
    renamed = {s.renamed_from: s.id for s in step.sections}
    out: dict[str, list[tuple[Entity, _Scope]]] = {}
    for sec, es in blocks.items():
        new = renamed.get(sec, sec)
        if new != sec and es:
            count = f"{len(es)} block{'s' * (len(es) != 1)}, ids kept"
            run.moves.append(Move(step.step, "section", sec, new, count))
        out.setdefault(new, []).extend(es)
    return out


def _apply(step: Migration, scope: _Scope, run: _Run, fw: Framework) -> dict[str, _Held]:
    """A scope's answers after one step: declared questions made from their sources, removed ones kept aside, the
    others kept under their id."""
    held = scope.held
    out: dict[str, _Held] = {}
    consumed: set[str] = set()
    staying = step.staying(fw.questions)  # sources still asked: their answers are copied, not moved
    for q in step.questions:
        present = [(s, held[s]) for s in q.sources if s in held]
        consumed.update(s for s, _ in present if s not in staying)
        if not present:
            continue
        chosen = _choose(q, present, scope, step, run, fw) if q.kind == "merged" else present[0]
        if chosen is None:
            continue
        src, h = chosen
        answer = copy.deepcopy(h.answer)
        if not answer.na and answer.value is not None:
            _check_targets(q, answer.value, scope, step, run)
            answer.value = q.value(answer.value, step.scale_values(_scale(fw, q.id)))
        out[q.id] = _Held(answer, h.origin, h.original)
        changed = f"{_show(h.answer.value)} → {_show(answer.value)}" if answer.value != h.answer.value else ""
        if src in staying:
            changed = f"copied, '{src}' keeps its answer" + ("; " + changed if changed else "")
        if src != q.id or changed:
            run.moves.append(Move(step.step, q.kind, src, q.id, _block(scope) + _join(scope, changed)))
        if q.kind == "merged":
            for other, oh in present:
                if other != src and other not in staying:
                    why = f"merged into '{q.id}' in {step.to_version}, which took the answer to '{src}'"
                    run.keep(scope, oh, why, step.step)
    for r in step.removed:
        if r.id in held and r.id not in consumed:
            consumed.add(r.id)
            run.keep(scope, held[r.id], f"removed in {step.to_version}: {r.reason}", step.step)
    made = {q.id: q.sources for q in step.questions if q.id not in q.sources}  # ids that now mean another question
    for qid, h in held.items():
        if qid in consumed:
            continue
        if qid in made:
            came = ", ".join(f"'{s}'" for s in made[qid])
            why = f"in {step.to_version}, '{qid}' is made from {came}; this answer to the earlier '{qid}' cannot stay"
            run.keep(scope, h, why, step.step)
        else:
            out[qid] = _rescaled(step, scope, qid, h, run, fw)
    return out


def _rescaled(step: Migration, scope: _Scope, qid: str, h: _Held, run: _Run, fw: Framework) -> _Held:
    """An answer that keeps its id, its value remapped by the step's pairs for its question's scale (if any)."""
    pairs = step.scale_values(_scale(fw, qid))
    if not pairs or h.answer.na or h.answer.value is None:
        return h
    value = map_value(pairs, h.answer.value)
    if value == h.answer.value:
        return h
    answer = copy.deepcopy(h.answer)
    answer.value = value
    changed = f"{_show(h.answer.value)} → {_show(value)}, by scale '{_scale(fw, qid)}'"
    run.moves.append(Move(step.step, "remapped", qid, qid, _block(scope) + _join(scope, changed)))
    return _Held(answer, h.origin, h.original)


def _scale(fw: Framework, qid: str) -> str | None:
    q = fw.questions.get(qid)
    return q.scale if q is not None else None


def _join(scope: _Scope, changed: str) -> str:
    return ("; " if scope.entity and changed else "") + changed


def _check_targets(q: QuestionMove, value: object, scope: _Scope, step: Migration, run: _Run) -> None:
    """An answer holding a value the step maps to two different values is ambiguous (E702)."""
    for v in value if isinstance(value, list) else [value]:
        targets = {(type(m.new) is str, m.new) for m in q.values if m.old == v and not isinstance(v, bool)}
        if len(targets) > 1:
            shown = " and ".join(sorted(_show(t) for _, t in targets))
            why = f"step {step.step} maps {_show(v)} of '{q.id}' to both {shown}"
            run.ambiguous.append(_ambiguous(run, scope, q.id, why, "map each old value once in the framework"))


def _choose(
    q: QuestionMove, present: list[tuple[str, _Held]], scope: _Scope, step: Migration, run: _Run, fw: Framework
) -> tuple[str, _Held] | None:
    """The source answer a merge keeps: the one answered; where several are and differ, by take (None, and E702
    recorded, when there is no take)."""
    answered = [(s, h) for s, h in present if h.answer.is_answered]
    if len(answered) <= 1:
        return answered[0] if answered else present[0]
    mapped = [(h.answer.na, q.value(h.answer.value)) for _, h in answered]
    if all(m == mapped[0] for m in mapped):
        return answered[0]
    if q.take is None or q.take == "first":
        if q.take == "first":
            return answered[0]
        shown = ", ".join(f"{s} {_show('n/a' if na else v)}" for (s, _), (na, v) in zip(answered, mapped, strict=True))
        merged = ", ".join(q.sources)
        why = f"'{q.id}' merges {merged}, answered differently ({shown}), and step {step.step} declares no take"
        fix = "add take (max, min or first) to the merge in the framework, or make the answers agree first"
        run.ambiguous.append(_ambiguous(run, scope, q.id, why, fix))
        return None
    target = fw.questions.get(q.id)
    ranked = []
    for i, (na, v) in enumerate(mapped):
        rank = None if na else _rank(target, v)
        if rank is not None:
            ranked.append((rank, i))
    if not ranked:
        return answered[0]
    pick = max(ranked) if q.take == "max" else min(ranked)
    return answered[pick[1]]


def _rank(q: Question | None, value: object) -> tuple[Fraction, int] | None:
    """Where a value ranks for take max/min: its option's score (then the option's order), or the number itself."""
    if q is not None and q.options:
        for i, o in enumerate(q.options):
            if o.value == value and not isinstance(value, bool) and o.score is not None:
                return (o.score, i)
        return None
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return (Fraction(value), 0)
    return None


def _ambiguous(run: _Run, scope: _Scope, qid: str, why: str, fix: str) -> Problem:
    return problem(run.name, None, "E702", where=scope.where(qid), why=why, fix=fix)


def _settle(fw: Framework, scope: _Scope, section: str | None, run: _Run, step: str) -> dict[str, Answer]:
    """A scope's answers that land in the framework's version: each a question of it, in this scope, its answer
    valid there; the others kept aside, saying why."""
    out: dict[str, Answer] = {}
    for qid, h in scope.held.items():
        q = fw.questions.get(qid)
        within = fw.all_sections[q.section].within if q is not None else None
        was = f"'{qid}'" + (f" (answered as '{h.origin}')" if h.origin != qid else "")
        if q is None:
            run.keep(scope, h, f"{was} is no longer in {fw.version}", step)
        elif within != section:
            where = f"in each block of '{within}'" if within else "once, outside the blocks"
            run.keep(scope, h, f"in {fw.version}, {was} is asked {where}", step)
        else:
            errors = [p for p in check_answer(fw, q, h.answer, lambda _p, _k=False: None, run.name) if not p.is_warning]
            if errors:
                run.keep(scope, h, f"not valid in {fw.version}: " + "; ".join(p.message for p in errors), step)
            else:
                out[qid] = h.answer
                same = qid == h.origin and (h.answer.na, h.answer.value) == (h.original.na, h.original.value)
                run.unchanged += same
    order = {qid: i for i, qid in enumerate(fw.questions)}  # the framework's order, as a fresh file is written
    return dict(sorted(out.items(), key=lambda item: order[item[0]]))


def _position(position: str | None, steps: list[Migration], fw: Framework) -> str | None:
    """The question last visited, under its id in the new version ('block/question' keeps the block); None when
    it no longer is a question."""
    if not position:
        return position
    block, _, qid = position.rpartition("/")
    for step in steps:
        for q in step.questions:
            if qid in q.sources:
                qid = q.id
                break
    if qid not in fw.questions:
        return None
    return f"{block}/{qid}" if block else qid


def _show(v: object) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_show(x) for x in v) + "]"
    return decimal(v) if isinstance(v, Fraction) else str(v)
