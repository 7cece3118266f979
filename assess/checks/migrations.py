"""Provides the checks of declared migrations: the chain of versions (E246), what each step names in this version
(E247, E248), old ids and values claimed twice (E249), merges (E250); and, given the previous version, what the
first step names there (E251) and the questions it would leave behind (W023)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from fractions import Fraction

from ..errors import Problem, problem
from ..model import CHOICE_TYPES, Framework, Migration, Question, QuestionMove, ValueMap, version_key
from ..model.migration import first_step, map_value
from ..numbers import decimal
from ..schema import where
from ..yamlsafe import Located
from .context import Context, Spec, Where

SOURCE_KEYS = ("renamed_from", "split_from", "merged_from")
"""The keys that say where a question's answer comes from; a declaration has at most one."""


def check_declaration(cx: Context, spec: Spec, path: Where) -> None:
    """A question's declaration: one source key at most, take only with merged_from, a merge of two or more (E250)."""
    named = [k for k in SOURCE_KEYS if k in spec]
    if len(named) > 1:
        why = f"{' and '.join(named)} each say where the answer comes from: keep one"
        cx.flag(path, "E250", at=(named[1],), at_key=True, why=why)
    if "take" in spec and "merged_from" not in spec:
        why = "take chooses among merged answers: remove it, or list the questions merged under merged_from"
        cx.flag(path, "E250", at=("take",), at_key=True, why=why)
    merged = spec.get("merged_from")
    if merged is not None and len(set(merged)) < 2:
        why = "merged_from names one question; a merge takes two or more (for one, write renamed_from)"
        cx.flag(path, "E250", at=("merged_from",), why=why)


def check_chain(cx: Context, migrations: tuple[Migration, ...], version: str) -> None:
    """Each step goes to a later version, from the version the one before goes to; the last to this version or an
    earlier one (E246: the releases after it moved no answer)."""
    for i, m in enumerate(migrations):
        if version_key(m.from_version) >= version_key(m.to_version):
            why = f"this step goes from {m.from_version} to {m.to_version}, not to a later version"
            cx.flag(m.path, "E246", at=("to",), why=why, version=version)
        if i and version_key(m.from_version) < version_key(migrations[i - 1].to_version):
            before = migrations[i - 1].to_version
            why = f"this step starts from {m.from_version}, before {before}, where the one before goes"
            cx.flag(m.path, "E246", at=("from",), why=why, version=version)
    if migrations and version_key(migrations[-1].to_version) > version_key(version):
        last = migrations[-1]
        why = f"the last step goes to {last.to_version}, after this file's version"
        cx.flag(last.path, "E246", at=("to",), why=why, version=version)


def check_step(cx: Context, m: Migration, last: bool, version: str) -> None:
    """An old id or value claimed twice (E249); for the last step, its keys are ids of this version (E247) and its
    values' targets answers its questions can take (E248)."""
    claimed: dict[str, tuple[str, Where]] = {}  # old id -> how it was first claimed, and where
    staying = m.staying(cx.questions) if last else set()  # still asked: each question naming it takes a copy

    def claim(old: str, how: str, at: Where) -> None:
        first = claimed.get(old)
        if first is None or (old in staying and how != "removed"):
            claimed[old] = (how, at)
            return
        if how == first[0] == "split_from":
            return  # each question split from one old id takes a copy of its answer
        line = cx.loc.pos(first[1])[0]
        if how == first[0] == "renamed_from":
            what = f"'{old}' is renamed already"
            fix = "to copy one answer to several questions, write split_from in each"
        else:
            what, fix = f"'{old}' is named already", "an old question goes one way: renamed, split, merged or removed"
        cx.add(at, "E249", where=where(at), what=what, first=line, fix=fix)

    for q in m.questions:
        for key, sub, old in _source_paths(q):
            claim(old, key, q.path + sub)
        _check_pairs(cx, q.values, q.path)
    for sm in m.scales:
        _check_pairs(cx, sm.values, sm.path)
    for r in m.removed:
        claim(r.id, "removed", r.path + ("id",))
    renamed: dict[str, Where] = {}
    for s in m.sections:
        if s.renamed_from in renamed:
            at = s.path + ("renamed_from",)
            what, fix = f"section '{s.renamed_from}' is renamed already", "a section's blocks move to one section"
            cx.add(at, "E249", where=where(at), what=what, first=cx.loc.pos(renamed[s.renamed_from])[0], fix=fix)
        renamed.setdefault(s.renamed_from, s.path + ("renamed_from",))
    if last:
        _check_targets(cx, m, version)


def _check_pairs(cx: Context, values: tuple[ValueMap, ...], path: Where) -> None:
    """An old value mapped twice in one values list (E249)."""
    seen: dict[object, int] = {}
    for i, vm in enumerate(values):
        value = (type(vm.old) is str, vm.old)  # 5 and '5' are different values
        if value in seen:
            at = path + ("values", i, "from")
            first = cx.loc.pos(path + ("values", seen[value], "from"))[0]
            what, fix = f"value {_show(vm.old)} is mapped already", "map each old value once"
            cx.add(at, "E249", where=where(at), what=what, first=first, fix=fix)
        seen.setdefault(value, i)


def _source_paths(q: QuestionMove) -> list[tuple[str, Where, str]]:
    """Each old id a declaration names: the key naming it, where (under the declaration's path), and the id."""
    if q.kind == "merged":
        return [("merged_from", ("merged_from", i), s) for i, s in enumerate(q.sources)]
    if q.kind == "remapped":
        return [("remapped", (), q.sources[0])]
    key = "renamed_from" if q.kind == "renamed" else "split_from"
    return [(key, (key,), q.sources[0])]


def _check_targets(cx: Context, m: Migration, version: str) -> None:
    """The last step's keys name questions and repeatable sections of this version (E247), its value targets are
    answers the question can take (E248); a source that stays a question of its own is copied, not moved (W024)."""
    staying = m.staying(cx.questions)
    for q in m.questions:
        new = cx.questions.get(q.id)
        if new is None:
            hint = _hint(q.id, list(cx.questions))
            cx.flag(m.path + ("questions",), "E247", at=(q.id,), at_key=True, name=q.id, kind="question",
                    version=version, hint=hint)  # fmt: skip
            continue
        for i, vm in enumerate(q.values):
            why = _cannot_take(new, vm.new)
            if why:
                cx.flag(q.path + ("values", i, "to"), "E248", value=_show(vm.new), qid=q.id, why=why)
        for kind, sub, old in _source_paths(q):
            if old in staying:
                cx.flag(q.path + sub, "W024", source=old, qid=q.id, kind=kind.replace("_from", ""))
    for sm in m.scales:
        scale = cx.scales.get(sm.id)
        if scale is None:
            cx.flag(m.path + ("scales",), "E247", at=(sm.id,), at_key=True, name=sm.id, kind="scale",
                    version=version, hint=_hint(sm.id, list(cx.scales)))  # fmt: skip
            continue
        allowed = [o.value for o in scale.options]
        for i, vm in enumerate(sm.values):
            if vm.new not in allowed or isinstance(vm.new, bool):
                cx.flag(sm.path + ("values", i, "to"), "E707", value=_show(vm.new), scale=sm.id,
                        allowed=", ".join(_plain(v) for v in allowed))  # fmt: skip
    repeats = [sid for sid, s in cx.sections.items() if s.repeat]
    for s in m.sections:
        if s.id not in repeats:
            cx.flag(m.path + ("sections",), "E247", at=(s.id,), at_key=True, name=s.id, kind="repeatable section",
                    version=version, hint=_hint(s.id, repeats))  # fmt: skip


def _cannot_take(q: Question, value: object) -> str:
    """Why a question cannot take a value as its answer ('' when it can)."""
    if q.type in CHOICE_TYPES:
        if q.option(value) is None or isinstance(value, bool):
            return "it is not one of its options; use one of: " + ", ".join(_plain(o.value) for o in q.options)
    elif q.type == "number":
        if not isinstance(value, (int, Fraction)):
            return "it is a number question"
        if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
            lo = "" if q.min is None else decimal(q.min)
            hi = "" if q.max is None else decimal(q.max)
            return f"it is outside the question's range {lo}..{hi}"
    elif not isinstance(value, str):
        return f"it is a {q.type} question"
    return ""


def check_previous(fw: Framework, previous: Framework, located: Located | None, name: str) -> list[Problem]:
    """What the first step from the previous version names there (E251: ids, values, sections) and the previous
    version's questions that no step names and this version does not have (W023), located in the framework file;
    E246 when no step starts from the previous version."""

    def at(path: Where, key: bool = False) -> tuple[int, int] | None:
        return located.pos(path, key) if located else None

    if previous.id != fw.id:
        fields = {"pid": previous.id, "pversion": previous.version, "fid": fw.id}
        return [problem(name, None, "E706", **fields)]
    start = first_step(fw.migrations, previous.version)
    if start is None or version_key(previous.version) > version_key(fw.version):
        declared = ", ".join(m.step for m in fw.migrations) or "no migrations"
        why = f"no step starts from {previous.id} {previous.version}, the previous version given (declared: {declared})"
        return [problem(name, at(("migrations",), True), "E246", where="migrations", why=why, version=fw.version)]
    steps = list(fw.migrations[start:])  # none: the releases since the last step moved no answer
    out: list[Problem] = []
    known = {"version": previous.version, "previous": previous.path or previous.id}
    if steps:
        _first_step(steps[0], previous, out, lambda path, key=False: at(path, key), name, known)
    first_at: Where = steps[0].path + ("from",) if steps else ("version",)
    for qid in previous.questions:
        if not _lands(qid, steps, fw):
            out.append(problem(name, at(first_at), "W023", where=where(first_at[:-1] or first_at), qid=qid, **known))
    data = located.data if located else None
    for path, value, old_name in _gone(fw, previous, steps, data):
        gone = {"value": f"'{_plain(value)}'", "old": old_name, "version": fw.version}
        out.append(problem(name, at(path, True) if path else None, "W025", where=where(path), **gone))
    return out


_At = Callable[..., "tuple[int, int] | None"]
"""Where a path into the framework file is: (line, col), or None."""


def _first_step(
    first: Migration, previous: Framework, out: list[Problem], at: _At, name: str, known: dict[str, str]
) -> None:
    """What the first step names in the previous version that it does not have (E251), added to out."""

    def missing(path: Where, old: str, what: str, names: list[str], key: bool = False) -> None:
        hint = _hint(old, names)
        out.append(problem(name, at(path, key), "E251", where=where(path), name=old, what=what, hint=hint, **known))

    questions = list(previous.questions)
    for q in first.questions:
        for kind, sub, old in _source_paths(q):
            if old not in previous.questions:
                missing(q.path + sub, old, "a question", questions, key=kind == "remapped")
        olds = [previous.questions[s] for s in q.sources if s in previous.questions]
        for i, vm in enumerate(q.values):
            if olds and all(_cannot_take(o, vm.old) for o in olds):
                opts = [_plain(o.value) for o in olds[0].options]
                missing(q.path + ("values", i, "from"), _plain(vm.old), f"an answer to '{olds[0].id}'", opts)
    for sm in first.scales:
        old_scale = previous.scales.get(sm.id)
        if old_scale is None:
            continue  # a scale new in this version: its values come from the questions that use it
        held = [o.value for o in old_scale.options]
        for i, vm in enumerate(sm.values):
            if vm.old not in held or isinstance(vm.old, bool):
                missing(sm.path + ("values", i, "from"), _plain(vm.old), f"an option of scale '{sm.id}'",
                        [_plain(v) for v in held])  # fmt: skip
    for r in first.removed:
        if r.id not in previous.questions:
            missing(r.path + ("id",), r.id, "a question", questions)
    repeats = [sid for sid, s in previous.all_sections.items() if s.repeat]
    for s in first.sections:
        if s.renamed_from not in repeats:
            missing(s.path + ("renamed_from",), s.renamed_from, "a repeatable section", repeats)


def _gone(fw: Framework, previous: Framework, steps: list[Migration], data: object) -> list[tuple[Where, object, str]]:
    """Each option of the previous version that an answer could hold and no question of this version takes after the
    steps (no values pair maps it): where to say so (the new scale, else the new question), the value, and what held
    it in the previous version (its scale, else its question); once per scale and value."""
    out: list[tuple[Where, object, str]] = []
    said: set[tuple[str, str, bool, object]] = set()
    for qid, old in previous.questions.items():
        if old.type not in CHOICE_TYPES:
            continue
        for o in old.options:
            for new_id, value in _trace(qid, o.value, steps, fw):
                new = fw.questions.get(new_id)
                if new is None or new.type not in CHOICE_TYPES or new.option(value) is not None or value != o.value:
                    continue  # taken, or mapped to a value this version cannot take (E248 says so)
                old_name = f"scale '{old.scale}'" if old.scale else f"question '{qid}'"
                key = (old_name, new.scale or f"?{new_id}", type(value) is str, value)
                if key in said:
                    continue
                said.add(key)
                path: Where = ("scales", new.scale) if new.scale in fw.scales else _question_path(data, new_id)
                out.append((path, value, old_name))
    return out


def _trace(qid: str, value: object, steps: list[Migration], fw: Framework) -> list[tuple[str, object]]:
    """Where an answer holding value to question qid goes over the steps, as migrate moves it: (id, value) pairs."""
    current: list[tuple[str, object]] = [(qid, value)]
    for step in steps:
        staying = step.staying(fw.questions)
        claimed = step.claimed()
        made = {q.id for q in step.questions if q.id not in q.sources}
        nxt: list[tuple[str, object]] = []
        for i, v in current:
            for q in step.questions:
                if i in q.sources:
                    nxt.append((q.id, q.value(v, step.scale_values(_scale(fw, q.id)))))
            if (i not in claimed or i in staying) and i not in made:
                nxt.append((i, map_value(step.scale_values(_scale(fw, i)), v)))
        current = nxt
    return current


def _scale(fw: Framework, qid: str) -> str | None:
    q = fw.questions.get(qid)
    return q.scale if q is not None else None


def _question_path(data: object, qid: str, path: Where = ()) -> Where:
    """Where question qid is declared in the framework data (() when not found: in an included block)."""
    if isinstance(data, dict):
        if data.get("id") == qid and "type" in data:
            return path
        items: list[tuple[str | int, object]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return ()
    for k, v in items:
        if k == "migrations":
            continue
        found = _question_path(v, qid, path + (k,))
        if found:
            return found
    return ()


def _lands(qid: str, steps: list[Migration], fw: Framework) -> bool:
    """Whether an old question's answers go somewhere over the steps: a step names it, or its id is in this version."""
    for m in steps:
        if qid in m.claimed():
            return True
    return qid in fw.questions


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _plain(v: object) -> str:
    return decimal(v) if isinstance(v, Fraction) else str(v)


def _show(v: object) -> str:
    return decimal(v) if isinstance(v, Fraction) else repr(v) if isinstance(v, str) else str(v)
