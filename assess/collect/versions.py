"""Provides headquarters across framework versions: older assessments' answers migrated (assess.migrate) to the
newest version collected, so questions compare wherever a declared migration maps them; which mapped and which
could not, in words; the mapped questions' answers side by side. Scores stay as each report's version made them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..diff import diff, text
from ..errors import AssessError, Problem, problem
from ..expressions import compile_expression
from ..i18n import N_, domain
from ..migrate import chain, migrate, migrated_question_ids
from ..model import Answer, Answers, Framework, Question
from ..model.migration import map_value, version_key
from ..paths import releases
from ..prose import unwrap
from .comparison import Assessment, MappedQuestion
from .frameworks import BUNDLED, FrameworkFiles, framework_info
from .store import Store
from .verify import Refusal, answers_of

_, _ngettext, _pgettext = domain("hq")

SHOWN = 12
"""Questions named in a note; the rest are counted."""
KINDS = {"renamed": N_("renamed"), "remapped": N_("values remapped"), "split": N_("split"), "merged": N_("merged")}
"""A declared move in words (in English: translated where shown)."""


@dataclass
class Across:
    """What migrating older versions' answers to the newest version collected gives a comparison."""

    target: str = ""
    """The version answers were migrated to ('' when none was: one version, or no migration or file at hand)."""
    mapped_ids: set[str] = field(default_factory=set)
    """Question ids, old and new, that a declared migration maps: compared though they changed."""
    declared: list[str] = field(default_factory=list)
    """Each mapping in words: 'vendor_screening ← vendor_checks (renamed, 1.1.0)'."""
    unmapped: list[str] = field(default_factory=list)
    """Each older question no migration maps, in words, with why."""
    unmapped_ids: set[str] = field(default_factory=set)
    """The ids of those questions."""
    carried: set[str] = field(default_factory=set)
    """Question ids changed (an option rescored, say) whose answers migrating keeps as they are: compared."""
    newest: str = ""
    """The newest version among the assessments."""
    unlinked: list[str] = field(default_factory=list)
    """Older versions no declared migration links to the newest."""
    missing: str = ""
    """The newest version, when its framework file is not at hand (so no migration could be read)."""
    rows: list[MappedQuestion] = field(default_factory=list)
    """The questions mapped by declaration, each mission's answer side by side."""
    labels: list[str] = field(default_factory=list)
    """The columns of rows: each mission's latest assessment, after its latest on each older version."""
    kept: int = 0
    """Answers of the latest assessments that their migration kept aside (not compared)."""
    warnings: list[Problem] = field(default_factory=list)
    """W504-W506: what the one comparing must know."""


def newest_framework(
    store: Store, group: list[Assessment], target: Assessment, fw: Framework | None
) -> Framework | None:
    """The framework file of the target assessment's version: where collect read it, the bundled one, an earlier
    release assess ships (frameworks/previous/), or one beside a report of that version; None when none is."""
    if fw is not None and fw.hash == target.hash:
        return fw
    fid, version = target.framework_id, target.version
    candidates = [Path(p) for p in store.framework_paths([target.hash]).values()]
    candidates += [BUNDLED / f"{fid}.yaml"]
    candidates += releases(fid, version, BUNDLED)
    folders: dict[str, Path] = {}  # each folder once, in the order the group gives them (100,000 sources, few folders)
    for a in group:
        if a.hash == target.hash and a.source:
            head, name = os.path.split(a.source)
            exact = name not in ("", ".", "..")  # else let Path say what the parent is
            key = head if exact else a.source
            if key not in folders:
                folders[key] = Path(head or ".") if exact else Path(a.source).parent
    for folder in dict.fromkeys(folders.values()):
        candidates += [folder / f"{fid}-{version}.yaml", folder / f"{fid}.yaml"]
    return FrameworkFiles().by_hash(list(dict.fromkeys(candidates)), target.hash)


@dataclass
class Shared:
    """What the versions of one framework among the assessments share: questions, and scores that compare."""

    per: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """Framework hash -> question id -> its signature (None when only a report was seen)."""
    options_compared: bool = True
    """Whether every version's framework file was at hand, so options were compared too, not only ids."""
    changed: set[str] = field(default_factory=set)
    """Question ids not in every version, or whose type, options or range differ."""
    added: dict[str, str] = field(default_factory=dict)
    """Of those, each id absent from older versions and in every one from some version on -> that version."""
    common: int = 0
    """Questions every version has unchanged."""
    comparable: dict[str, set[str]] = field(default_factory=dict)
    """Framework hash -> the score ids of that version that compare with the newest version's."""
    frameworks: dict[str, Framework | None] = field(default_factory=dict)
    """Framework hash -> its framework file, where one is at hand."""
    deps: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Framework hash -> score id -> the questions it depends on."""
    pairs: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    """(older hash, newer hash) -> the score ids that compare between the two versions (computed when asked)."""

    def together(self, hashes: set[str], sid: str) -> bool:
        """Whether a score compares across assessments on these versions: always on one version, else when each
        version's compares with the newest's."""
        return len(hashes) < 2 or all(sid in self.comparable.get(h, ()) for h in hashes)

    def between(self, old: str, new: str, sid: str, ids: list[str]) -> bool:
        """Whether a score compares between two versions (by hash), as assess.diff between their files says."""
        if old == new or (sid in self.comparable.get(old, ()) and sid in self.comparable.get(new, ())):
            return True
        if (old, new) not in self.pairs:
            self.pairs[old, new] = _comparable(self, old, new, ids)
        return sid in self.pairs[old, new]


def shared(store: Store, group: list[Assessment], ids: list[str], target: Assessment, fw: Framework | None) -> Shared:
    """The questions the versions of group share, and per version the scores (of ids) that compare with the target
    version's: by assess.diff between the two framework files, no change to what a score depends on that alters
    it (a 'scores' change, or a scored question added or removed); without both files, equal questions."""
    hashes = sorted({a.hash for a in group})
    out = Shared(per={h: {} for h in hashes})
    if len(hashes) == 1:
        out.common, out.comparable = len(store.framework_questions(hashes)), {hashes[0]: set(ids)}
        return out
    from_file = {h: False for h in hashes}
    for r in store.framework_questions(hashes):
        out.per[r["framework_hash"]][r["question_id"]] = r["signature"]
        from_file[r["framework_hash"]] = bool(r["from_file"])
    deps = store.framework_scores(hashes)
    one = {a.hash: a for a in group}
    for h in hashes:
        out.frameworks[h] = found = newest_framework(store, group, one[h], fw)
        if found is not None and not from_file[h]:  # a report's questions, without options: read its file
            info = framework_info(found)
            out.per[h] = {q.question_id: q.signature for q in info.questions}
            deps[h], from_file[h] = info.scores, True
    out.options_compared = all(from_file.values())
    every = set().union(*out.per.values())
    for q in every:
        sigs = [out.per[h].get(q) for h in hashes]
        if any(q not in out.per[h] for h in hashes) or (None not in sigs and len(set(sigs)) > 1):
            out.changed.add(q)
    ordered = sorted(hashes, key=lambda h: version_key(one[h].version))
    for q in out.changed:
        at = next(i for i, h in enumerate(ordered) if q in out.per[h])
        if at and all(q in out.per[h] for h in ordered[at:]):
            out.added[q] = one[ordered[at]].version
    out.common = len(every) - len(out.changed)
    out.deps = deps
    for h in hashes:
        out.comparable[h] = set(ids) if h == target.hash else _comparable(out, h, target.hash, ids)
    return out


def _comparable(sh: Shared, h: str, t: str, ids: list[str]) -> set[str]:
    """The score ids (of ids) of version h that compare with version t's: by assess.diff between their files, else
    by equal dependencies on questions that did not change."""
    mine, theirs = sh.deps.get(h, {}), sh.deps.get(t, {})
    old, new = sorted((sh.frameworks.get(h), sh.frameworks.get(t)), key=lambda f: version_key(f.version) if f else ())
    both = [s for s in ids if s in mine and s in theirs]
    if old is not None and new is not None:
        touched, derived = _touched(old, new)
        return {s for s in both if s not in derived and not (touched & {*mine[s], *theirs[s]})}
    return {s for s in both if set(mine[s]) == set(theirs[s]) and not (set(mine[s]) & sh.changed)}


def _touched(old: Framework, new: Framework) -> tuple[set[str], set[str]]:
    """The questions whose score meaning changed from old to new (assess.diff: a 'scores' change on them, their
    section or their scale, a scored question added or removed, a remapped option scoring differently), and the
    derived scores whose own formula changed (or a derived score they use); every question when the framework's
    scoring changed."""
    d = diff(old, new)
    touched: set[str] = set()
    derived: set[str] = set()
    for c in d.changes:
        if c.kind == "framework" and c.effect == "scores" and c.field != "headline":
            return set(old.questions) | set(new.questions), set()
        if c.kind == "question" and c.change in ("added", "removed"):
            q = (new if c.change == "added" else old).questions.get(c.id)
            if q is not None and q.scored and q.range is not None:
                touched.add(c.id)
        elif c.kind == "option" and c.field == "value" and c.migrated:
            before, after = old.questions.get(c.where), new.questions.get(c.where)
            o = next((o for o in before.options if text(o.value) == c.old), None) if before else None
            n = next((o for o in after.options if text(o.value) == c.new), None) if after else None
            if o is None or n is None or (o.score, o.unknown) != (n.score, n.unknown):
                touched.add(c.where)
        elif c.effect != "scores" or c.kind == "heatmap":
            continue
        elif c.kind == "question":
            touched.add(c.id)
        elif c.kind == "option":
            touched |= {c.where, *d.questions.get(f"scale:{c.where}", ())}
        elif c.kind == "section":
            touched |= set(d.questions.get(f"section:{c.id}", ()))
        elif c.kind == "derived":
            derived.add(c.id)
        elif c.kind == "rating" and c.change != "added":
            return set(old.questions) | set(new.questions), set()
    back = {c.id: c.old for c in d.changes if c.kind == "question" and c.change == "renamed"}
    for qid, q in new.questions.items():  # a type, scale, range or options that give other scores
        was = old.questions.get(back.get(qid, qid))
        if was is not None and (was.range, was.type) != (q.range, q.type):
            touched.add(qid)
    uses = {x.id: set(compile_expression(x.expr).names) for x in new.derived}
    while True:
        more = {x for x, names in uses.items() if names & derived} - derived
        if not more:
            return touched - {""}, derived
        derived |= more


def across(
    store: Store,
    group: list[Assessment],
    columns: list[Assessment],
    labels: list[str],
    per: dict[str, dict[str, str | None]],
    target: Assessment,
    fw: Framework | None,
    files: dict[str, Framework | None] | None = None,
) -> Across:
    """Older versions' questions mapped to the target's version by its declared migrations, and the answers of
    the questions mapped side by side: each mission's latest assessment (columns, labels), after its latest on
    each older version (each older answers file migrated)."""
    out = Across(newest=target.version)
    newest = newest_framework(store, group, target, fw)
    older = sorted({a.version: a.hash for a in group if a.hash != target.hash}.items())
    where = str(store.path)
    if newest is None:
        out.missing = target.version
        fields = {"framework": target.framework_id, "version": target.version, "hash": target.hash}
        out.warnings.append(problem(where, None, "W505", **fields))
        return out
    sources: dict[str, dict[str, tuple[str, ...]]] = {}  # new id -> older version -> old ids
    kinds: dict[str, dict[str, list[str]]] = {}
    lost: dict[str, dict[str, list[str]]] = {}  # question -> why its answers could not move -> versions
    for version, h in older:
        try:
            steps = chain(newest, version)
        except AssessError:
            out.unlinked.append(version)
            continue
        declared = _declared(newest, steps)
        ids = migrated_question_ids(newest, version)
        for q, how in declared.items():
            old = tuple(ids.get(q, ())) or how[1]
            sources.setdefault(q, {})[version] = old
            kinds.setdefault(q, {})[version] = how[0]
            out.mapped_ids |= {q, *old}
        reasons = {r.id: r.reason for step in steps for r in step.removed}
        claimed = {i for q in declared for i in sources[q][version]}
        mine, theirs, old_fw = per.get(h, {}), per.get(target.hash, {}), (files or {}).get(h)
        for qid, sig in mine.items():
            if qid in claimed:
                continue
            if qid not in theirs:
                why = reasons.get(qid) or _("not in version {version}, and no migration declares where it went").format(
                    version=target.version
                )
                lost.setdefault(qid, {}).setdefault(why, []).append(version)
            elif sig is not None and theirs[qid] is not None and sig != theirs[qid]:
                if old_fw is not None and _carries(old_fw, newest, qid, steps):
                    out.carried.add(qid)
                    continue
                why = _("changed, and migrating keeps its answers aside (no migration declares how they move)")
                lost.setdefault(qid, {}).setdefault(why, []).append(version)
    out.unmapped = [f"{q} ({'; '.join(', '.join(v) + ': ' + w for w, v in whys.items())})" for q, whys in lost.items()]
    out.unmapped_ids = set(lost)
    out.carried -= out.unmapped_ids
    if out.unlinked:
        fields = {"framework": target.framework_id, "old": ", ".join(out.unlinked), "new": target.version}
        out.warnings.append(problem(where, None, "W504", **fields))
    if not sources:
        return out
    out.target = target.version
    for q in (q for q in newest.questions if q in sources):
        parts = [f"{_how(kinds[q][v], old, q)} ({v})" for v, old in sources[q].items()]
        out.declared += [
            f"{q}{'' if old == (q,) else ' ← ' + ', '.join(old)} ({_words(kinds[q][v])}, {v})"
            for v, old in sources[q].items()
        ]
        out.rows.append(MappedQuestion(q, unwrap(newest.questions[q].text), "; ".join(parts), []))
    shown, out.labels = _columns(group, columns, labels)
    answers = _answers(store, shown, newest, out, {a.seq for a in columns})
    for row in out.rows:
        row.cells = [_shown(newest, newest.questions[row.id], a) for a in answers]
    return out


def _carries(old: Framework, new: Framework, qid: str, steps: list) -> bool:
    """Whether migrating keeps every answer to a question that keeps its id (its values mapped by the steps' scale
    pairs): the same type, asked in the same place, each old option a new one, the old range within the new."""
    a, b = old.questions.get(qid), new.questions.get(qid)
    if a is None or b is None or a.type != b.type:
        return False
    at = [f.all_sections[q.section].within if q.section in f.all_sections else None for f, q in ((old, a), (new, b))]
    values: list[object] = [o.value for o in a.options]
    for step in steps:
        values = [map_value(step.scale_values(b.scale), v) for v in values]
    low = b.min is None or (a.min is not None and a.min >= b.min)
    high = b.max is None or (a.max is not None and a.max <= b.max)
    return at[0] == at[1] and low and high and all(v in [o.value for o in b.options] for v in values)


def _declared(fw: Framework, steps) -> dict[str, tuple[list[str], tuple[str, ...]]]:
    """New question id -> (the kinds of move declared for it over the steps, its old ids), for the questions some
    step declares a move of."""
    out: dict[str, tuple[list[str], tuple[str, ...]]] = {}
    for q in fw.questions:
        ids, found = [q], []
        for step in reversed(steps):
            moves = {m.id: m for m in step.questions}
            nxt: list[str] = []
            for i in ids:
                if i in moves:
                    m = moves[i]
                    found += [KINDS.get(m.kind, m.kind)] + (
                        ["values remapped"] if m.values and m.kind != "remapped" else []
                    )
                    nxt += [s for s in moves[i].sources if s not in nxt]
                elif i not in nxt:
                    nxt.append(i)
            ids = nxt
        if found:
            out[q] = (list(reversed(found)), tuple(ids))
    return out


def _columns(
    group: list[Assessment], columns: list[Assessment], labels: list[str]
) -> tuple[list[Assessment], list[str]]:
    """Each mission's latest assessment, after its latest on each older version than that one's ('UNMIRT ·
    2026-H1'), so a mission's answers before and after a change of version stand side by side."""
    shown: list[Assessment] = []
    names: list[str] = []
    for a, label in zip(columns, labels, strict=True):
        earlier: dict[str, Assessment] = {}
        for b in group:
            if (b.mission, b.area) == (a.mission, a.area) and b.version != a.version:
                if b.version not in earlier or b.order > earlier[b.version].order:
                    earlier[b.version] = b
        mine = sorted(earlier.values(), key=lambda b: b.order) + [a]
        shown += mine
        names += [f"{label} · {b.period or b.version}" for b in mine] if len(mine) > 1 else [label]
    return shown, names


def _words(kinds: list[str]) -> str:
    """The kinds of move declared, in words: 'renamed, values remapped'."""
    moves = [k for k in dict.fromkeys(kinds) if k != "values remapped"]
    return ", ".join(_(k) for k in moves + (["values remapped"] if "values remapped" in kinds else []))


def _how(kinds: list[str], old: tuple[str, ...], q: str) -> str:
    """How a question maps from one older version: 'renamed from vendor_checks, values remapped'."""
    moves = [_(k) for k in dict.fromkeys(kinds) if k != "values remapped"]
    text = ", ".join(moves)
    if old != (q,):
        text = _("{moves} from {old}").format(moves=text, old=", ".join(old))
    if "values remapped" in kinds:
        text += ", " + _("values remapped") if moves else _("values remapped")
    return text


def _answers(
    store: Store, columns: list[Assessment], newest: Framework, out: Across, latest: set[int]
) -> list[Answers | None]:
    """Each column's answers on the newest version: its answers file, migrated when on an older version; None
    when the store holds no answers file of it or its version is not linked (W506 when migrating failed). Counts
    the answers migrating kept aside of the latest assessments (seqs)."""
    files = store.answer_files([a.seq for a in columns])
    found: list[Answers | None] = []
    for a in columns:
        data = files.get(a.seq)
        if data is None or a.version in out.unlinked:
            found.append(None)
            continue
        try:
            answers = answers_of({"answers": data}, newest, a.source)
            if a.hash != newest.hash:
                moved = migrate(answers, newest)
                answers = moved.answers
                out.kept += len(moved.kept_aside) if a.seq in latest else 0
        except (AssessError, Refusal) as exc:
            detail = exc.problems[0].message if isinstance(exc, AssessError) else exc.detail
            fields = {"id": a.id, "mission": a.mission, "period": a.period, "old": a.version, "new": newest.version}
            out.warnings.append(problem(a.source, None, "W506", **fields, detail=detail))
            found.append(None)
            continue
        found.append(answers)
    return found


def _shown(fw: Framework, q: Question, answers: Answers | None) -> str:
    """A question's answer as the newest version reads it; a block question's answer block by block."""
    if answers is None:
        return "—"
    section = fw.all_sections.get(q.section)
    within = section.within if section is not None else None
    if within:
        blocks = answers.entities.get(within) or []
        shown = [f"{unwrap(e.name)}: {_value(q, e.answers.get(q.id))}" for e in blocks if q.id in e.answers]
        return "; ".join(shown) or "—"
    return _value(q, answers.answers.get(q.id))


def _value(q: Question, a: Answer | None) -> str:
    if a is None or not a.is_answered:
        return "—"
    if a.na:
        return _("n/a")
    labels = {o.value: unwrap(o.label) for o in q.options}
    values = a.value if isinstance(a.value, list) else [a.value]
    return ", ".join(labels.get(v, str(v)) if not isinstance(v, list) else str(v) for v in values)  # type: ignore[arg-type]
