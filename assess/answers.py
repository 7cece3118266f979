"""Provides answers files: reading, checking against a framework, and atomic, locked saving."""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import uuid
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import files, schema, yamlwrite
from .continuity import head_data, read_continuity, tail_data
from .errors import AssessError, Problem, problem
from .files import write_atomic  # noqa: F401  (callers import it from here)
from .limits import Pos, default_marking, long_texts, metadata_problems
from .model import CHOICE_TYPES, GRADES, Answer, Answers, Entity, Framework, Pin, Question, Source
from .model.grades import LEGACY_4X4, grade_list
from .numbers import decimal
from .yamlsafe import Located, NumberError, Path_, load_file, not_a_file, number, parse

FORMAT = "assess-answers/1"
METADATA_KEYS = ("title", "mission", "area", "period", "analyst", "marking", "created", "updated")
DEFAULT_MARKING = default_marking()
"""The handling marking of a new assessment in English when none is given (limits.MARKINGS: by language)."""
Data = dict[str, Any]
"""A mapping of an answers file as plain data: as read (once the schema let it through), or to be written."""


def now() -> str:
    """The current time, UTC, to the second, ISO 8601."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------- reading


def load_answers(path: str | Path) -> tuple[Answers, Located]:
    """Read an answers file and check its structure; raise AssessError naming file:line:col."""
    return from_located(load_file(path))


def answers_from_text(text: str, name: str = "<answers>") -> tuple[Answers, Located]:
    """Read answers given as YAML text."""
    return from_located(parse(text, name))


def from_located(located: Located) -> tuple[Answers, Located]:
    """Answers from YAML already parsed with positions, checked against the answers schema (raises AssessError)."""
    if not isinstance(located.data, dict):
        raise AssessError([problem(located.file, (1, 1), "E010", found=schema.describe(located.data))])
    # a text over its limit (written by hand) is read as it is: check() reports it as W008
    problems = [p for p in schema.check(located, "answers.schema.json") if p.code != "E110"]
    if problems:
        raise AssessError(problems)
    d = located.data
    fw = d["framework"]
    pin = Pin(str(fw["id"]), str(fw["version"]), fw.get("hash"), fw.get("path"))
    answers = Answers(
        framework=pin,
        metadata={k: str(v) for k, v in d["metadata"].items()},
        id=str(d.get("id", "")),
        language=str(d.get("language", "")),
        answers={k: _answer(v) for k, v in (d.get("answers") or {}).items()},
        entities={
            sec: [
                Entity(str(e["id"]), e["name"], {k: _answer(v) for k, v in (e.get("answers") or {}).items()})
                for e in blocks
            ]
            for sec, blocks in (d.get("entities") or {}).items()
        },
        position=d.get("position"),
        **read_continuity(d, _answer),
    )
    return answers, located


def _value(v: object) -> object:
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        f = Fraction(v)
        return int(f) if f.denominator == 1 else f
    if isinstance(v, list):
        return [_value(x) for x in v]
    return v


def _answer(v: Data) -> Answer:
    return Answer(
        value=_value(v.get("value")),
        na=bool(v.get("na", False)),
        confidence=_value(v.get("confidence")),
        sources=[
            Source(s["ref"], s.get("reliability"), None if s.get("credibility") is None else str(s["credibility"]))
            for s in v.get("sources") or ()
        ],
        note=v.get("note", "") or "",
        at=str(v.get("at", "") or ""),
        carried=bool(v.get("carried", False)),
    )


# ---------------------------------------------------------------------------- checking


def check(fw: Framework, answers: Answers, located: Located | None = None) -> list[Problem]:
    """Check answers against their framework: values, ranges, grades, blocks. Errors and warnings. A 4x4 source
    reliability 'D', as earlier versions wrote it, is read as X here (W018)."""
    name = located.file if located else "<answers>"

    def pos(path: Path_, key: bool = False) -> tuple[int, int] | None:
        return located.pos(path, key) if located else None

    out: list[Problem] = metadata_problems(answers.metadata, name, pos)
    if answers.framework.id != fw.id:
        out.append(problem(name, pos(("framework", "id")), "E301", found=answers.framework.id, expected=fw.id))
        return out
    if answers.framework.version != fw.version:
        out.append(
            problem(
                name,
                pos(("framework", "version")),
                "W001",
                found=answers.framework.version,
                fid=fw.id,
                found_hash=(answers.framework.hash or "none")[:15],
                expected=fw.version,
            )
        )
    elif answers.framework.hash and answers.framework.hash != fw.hash:
        out.append(
            problem(name, pos(("framework", "hash")), "W005", found=answers.framework.hash[:15], expected=fw.hash[:15])
        )
    repeats = {s.id for s in fw.all_sections.values() if s.repeat}
    for qid, a in answers.answers.items():
        q = fw.questions.get(qid)
        if q is None or q.type is None:
            out.append(problem(name, pos(("answers", qid), key=True), "W002", qid=qid))
        elif fw.all_sections[q.section].within:
            out.append(problem(name, pos(("answers", qid), key=True), "W002", qid=qid))
        else:
            out += check_answer(fw, q, a, lambda p, k=False, _q=qid: pos(("answers", _q) + p, k), name)
    seen: dict[str, str] = {}  # block id -> its section: ids are unique across the file (positions name them)
    for sec, blocks in answers.entities.items():
        if sec not in repeats:
            out.append(
                problem(
                    name,
                    pos(("entities", sec), key=True),
                    "E310",
                    section=sec,
                    known=", ".join(sorted(repeats)) or "none",
                )
            )
            continue
        rep = fw.all_sections[sec].repeat
        assert rep is not None  # sec is in repeats
        if rep.max is not None and len(blocks) > rep.max:
            out.append(
                problem(
                    name,
                    pos(("entities", sec)),
                    "E328",
                    where=f"entities.{sec}",
                    count=len(blocks),
                    limit=rep.max,
                )
            )
        for i, e in enumerate(blocks):
            if e.id in seen:
                out.append(problem(name, pos(("entities", sec, i, "id")), "E309", section=seen[e.id], entity=e.id))
            seen.setdefault(e.id, sec)
            for qid, a in e.answers.items():
                q = fw.questions.get(qid)
                base = ("entities", sec, i, "answers", qid)
                if q is None or fw.all_sections[q.section].within != sec:
                    out.append(problem(name, pos(base, key=True), "W002", qid=qid))
                else:
                    out += check_answer(fw, q, a, lambda p, k=False, _b=base: pos(_b + p, k), name)
    for path, length, limit in long_texts(answers):
        out.append(problem(name, pos(path), "W008", where=schema.where(path), length=length, limit=limit))
    return out


def check_answer(fw: Framework, q: Question, a: Answer, pos: Pos, name: str) -> list[Problem]:
    """Problems with one answer: a value its question cannot take, bad grades, bad confidence."""
    out = []
    v = a.value
    if a.na and not q.allow_na:
        out.append(problem(name, pos(("na",)), "E306", qid=q.id))
    if v is not None and not a.na:
        vpos = pos(("value",))
        if q.type in CHOICE_TYPES:

            def not_an_option(x: object) -> Problem:  # the list of options is built only when a value is wrong
                allowed = ", ".join(_show(o.value) for o in q.options)
                return problem(name, vpos, "E302", qid=q.id, value=_show(x), allowed=allowed)

            if q.type == "multiple":
                if not isinstance(v, list):
                    out.append(problem(name, vpos, "E315", qid=q.id))
                else:
                    out += [not_an_option(x) for x in v if q.option(x) is None]
                    if q.max_choices and len(v) > q.max_choices:
                        out.append(problem(name, vpos, "E316", qid=q.id, count=len(v), limit=q.max_choices))
            elif isinstance(v, bool) or q.option(v) is None:
                out.append(not_an_option(v))
        elif q.type == "number":
            if isinstance(v, bool) or not isinstance(v, (int, Fraction)):
                if v == "unknown":
                    out.append(problem(name, vpos, "E317", qid=q.id, qtype=q.type))
                else:
                    out.append(problem(name, vpos, "E305", qid=q.id, expected="a number", found=schema.describe(v)))
            elif (q.min is not None and v < q.min) or (q.max is not None and v > q.max):
                lo = "" if q.min is None else _show(q.min)
                hi = "" if q.max is None else _show(q.max)
                out.append(problem(name, vpos, "E303", qid=q.id, value=_show(v), lo=lo, hi=hi))
        elif q.type == "date":
            try:
                _dt.date.fromisoformat(str(v))
            except ValueError:
                out.append(problem(name, vpos, "E304", qid=q.id, value=v))
        elif q.type == "text" and not isinstance(v, str):
            out.append(problem(name, vpos, "E305", qid=q.id, expected="text", found=schema.describe(v)))
    if a.confidence is not None and fw.confidence_scale is not None:
        if not any(o.value == a.confidence for o in fw.confidence_scale.options):
            allowed = ", ".join(str(o.value) for o in fw.confidence_scale.options)
            out.append(
                problem(name, pos(("confidence",)), "E308", qid=q.id, value=_show(a.confidence), allowed=allowed)
            )
    rel, cred = GRADES[fw.grading]
    for i, src in enumerate(a.sources):
        if fw.grading == "4x4" and (src.reliability or "").upper() in LEGACY_4X4:
            # written by an earlier assess, whose 4x4 letters ran A-D: read as Europol's X, and said so
            src.reliability = LEGACY_4X4[(src.reliability or "").upper()]
            out.append(problem(name, pos(("sources", i, "reliability")), "W018", qid=q.id))
        for kind, value, grades in (("reliability", src.reliability, rel), ("credibility", src.credibility, cred)):
            if value is not None and (len(value) != 1 or value.upper() not in grades):
                bad = {"qid": q.id, "kind": kind, "value": value, "system": fw.grading, "allowed": grade_list(grades)}
                out.append(problem(name, pos(("sources", i, kind)), "E307", **bad))
    return out


def _show(v: object) -> str:
    return decimal(v) if isinstance(v, Fraction) else str(v)


# ---------------------------------------------------------------------------- writing


def answer_data(a: Answer) -> Data:
    """An answer as the answers file writes it: only the fields it has, in the file's order."""
    out: Data = {}
    if a.na:
        out["na"] = True
    if a.value is not None and not a.na:
        out["value"] = a.value
    if a.confidence is not None:
        out["confidence"] = a.confidence
    if a.sources:
        out["sources"] = [
            {
                k: v
                for k, v in (("ref", s.ref), ("reliability", s.reliability), ("credibility", _cred(s.credibility)))
                if v is not None
            }
            for s in a.sources
        ]
    if a.note:
        out["note"] = a.note
    if a.at:
        out["at"] = a.at
    if a.carried:
        out["carried"] = True
    return out


def _cred(c: str | None) -> str | int | None:
    """A credibility grade as written back: '6' as the number 6, through the bounded reader ('²' stays text)."""
    if isinstance(c, str) and c.isascii() and c.isdigit():
        try:
            return int(number(c))  # ASCII digits: a whole number
        except NumberError:
            return c
    return c


def _head(answers: Answers) -> Data:
    """The file's keys before the answers, as plain data, in order."""
    f = answers.framework
    pin = {"id": f.id, "version": f.version} | {k: v for k, v in (("hash", f.hash), ("path", f.path)) if v}
    data: Data = {"format": FORMAT}
    if answers.id:  # a file started before ids has none: writing "" would make it one the reader refuses
        data["id"] = answers.id
    data |= {"framework": pin} | ({"language": answers.language} if answers.language else {})
    data |= {"metadata": {k: answers.metadata[k] for k in METADATA_KEYS if answers.metadata.get(k)}}
    data["metadata"].update({k: v for k, v in answers.metadata.items() if k not in METADATA_KEYS and v})
    data.update(head_data(answers))
    if answers.position:
        data["position"] = answers.position
    return data


def to_data(answers: Answers) -> Data:
    """Answers as plain data, in the file's key order."""
    data = _head(answers)
    data["answers"] = {k: answer_data(a) for k, a in answers.answers.items()}
    if answers.entities:
        data["entities"] = {
            sec: [
                {"id": e.id, "name": e.name, "answers": {k: answer_data(a) for k, a in e.answers.items()}}
                for e in blocks
            ]
            for sec, blocks in answers.entities.items()
        }
    data.update(tail_data(answers, answer_data))
    return data


class _Written:
    """The written lines of each answer of one mapping (the file's answers, or a block's), in its order,
    so that a save writes again only the answers that changed (see Store.save)."""

    def __init__(self, indent: str):
        self.indent = indent
        self.text: dict[str, str] = {}

    def update(self, answers: dict[str, Answer], changed: set[str] | None) -> yamlwrite.Raw:
        if changed is not None:
            for k in changed:
                a = answers.get(k)
                if a is None:
                    self.text.pop(k, None)
                else:  # a new key goes last, as in answers; a known one keeps its place
                    self.text[k] = yamlwrite.entry(k, answer_data(a), self.indent)
        if changed is None or len(self.text) != len(answers):
            self.text = {k: yamlwrite.entry(k, answer_data(a), self.indent) for k, a in answers.items()}
        return yamlwrite.Raw("\n".join(self.text.values()))


def dumps(answers: Answers) -> str:
    """Answers as YAML text: readable, diffable, stable key order."""
    return yamlwrite.dumps(to_data(answers))


_TOP, _BLOCK = "  ", "        "  # where the file's answers and a block's answers sit (see to_data)


def lock_path(path: str | Path) -> Path:
    """The lock file of an answers file: .NAME.lock beside the file (beside its target, for a symbolic link)."""
    p = files.target(path)
    return p.with_name(f".{p.name}.lock")


class Store:
    """An open answers file: holds its lock while open, saves atomically, removes the lock file on close.

    new: the file is being created (create()), so a folder that cannot take it is E325, not E320. An existing
    file that is read-only for its owner is refused (E324) rather than replaced; on opening, the temporary files
    interrupted saves left beside it are removed (the lock says no save of it is under way)."""

    def __init__(self, path: str | Path, new: bool = False):
        from filelock import FileLock, Timeout  # only sessions that edit lock: score, report and collect never do

        self.path = Path(path)
        self._top = _Written(_TOP)  # the lines last written for each answer, kept for the next save
        self._blocks: dict[tuple[str, str], _Written] = {}  # the same for each block, by (section, block id)
        if not new and files.read_only(self.path):
            raise AssessError([problem(str(path), None, "E324", path=path)])
        lock = lock_path(self.path)
        self._lock_file = lock
        created = False
        try:
            # created here, not by filelock, so that a folder that cannot take it says why (filelock reports a
            # missing one as a lock held by another session)
            if not os.path.lexists(lock):
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                os.close(os.open(lock, flags, 0o666))
                created = True
            self._lock = FileLock(str(lock), timeout=0)
            self._lock.acquire()
        except Timeout:
            raise AssessError([problem(str(path), None, "E312", path=path)]) from None
        except OSError as exc:  # the folder cannot take the lock file: nor could it take a save
            if created:
                _unlink(lock)
            reason = exc.strerror or str(exc)
            if new:
                folder = lock.parent if str(lock.parent) else Path(".")
                raise AssessError([problem(str(path), None, "E325", folder=folder, reason=reason)]) from None
            raise AssessError([problem(str(path), None, "E320", reason=reason)]) from None
        files.remove_leftovers(self.path)

    def save(self, answers: Answers, changed: Iterable[tuple[str | None, str]] | None = None) -> None:
        """Save atomically; on failure the previous file is unchanged and E314 says why.

        changed: the (entity, question) of each answer changed since the last save, when the caller knows
        (none: only the header changed); the other answers are written from the lines kept at that save, so
        a change costs about the same however many answers there are. None (the default) writes them all."""
        answers.metadata["updated"] = now()
        scopes: dict[str | None, set[str]] | None = None
        if changed is not None:
            scopes = {}
            for entity, qid in changed:
                scopes.setdefault(entity, set()).add(qid)
        else:
            self._blocks = {}
        data = _head(answers)
        data["answers"] = self._top.update(answers.answers, None if scopes is None else scopes.get(None, set()))
        if answers.entities:
            data["entities"] = {
                sec: [{"id": e.id, "name": e.name, "answers": self._block(sec, e, scopes)} for e in blocks]
                for sec, blocks in answers.entities.items()
            }
        data.update(tail_data(answers, answer_data))
        if files.read_only(self.path):  # made read-only while open: left as its owner set it
            raise AssessError([problem(str(self.path), None, "E324", path=self.path)])
        try:
            files.write_atomic(self.path, yamlwrite.dumps(data))
        except OSError as exc:
            self._blocks = {}
            self._top = _Written(_TOP)
            raise AssessError([problem(str(self.path), None, "E314", reason=exc.strerror or str(exc))]) from None

    def _block(self, sec: str, e: Entity, scopes: dict[str | None, set[str]] | None) -> yamlwrite.Raw:
        written = self._blocks.get((sec, e.id))
        if written is None:
            written = self._blocks[(sec, e.id)] = _Written(_BLOCK)
            return written.update(e.answers, None)
        return written.update(e.answers, None if scopes is None else scopes.get(e.id, set()))

    def close(self) -> None:
        """Release the lock and remove its file (removed while still held: a session that opened the same lock
        file meanwhile finds it unlinked, and filelock then takes a fresh one)."""
        if self._lock.is_locked:
            _unlink(self._lock_file)
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def new_answers(
    fw: Framework, metadata: dict[str, str], framework_path: str | None = None, language: str = ""
) -> Answers:
    """A fresh assessment of a framework, with a new id, the framework pinned and the language it is written in.
    Without a marking it gets its language's default one; an empty one is kept empty, for create() to refuse (E322)."""
    meta = {k: v for k, v in metadata.items() if v}
    meta.setdefault("title", fw.title)
    if "marking" not in metadata:
        meta["marking"] = default_marking(language)
    elif not (metadata["marking"] or "").strip():
        meta["marking"] = ""
    meta["created"] = meta["updated"] = now()
    pin, ident = Pin(fw.id, fw.version, fw.hash, framework_path), str(uuid.uuid4())
    return Answers(framework=pin, metadata=meta, id=ident, language=language)


def create_problems(path: str | Path, answers: Answers) -> list[Problem]:
    """Why a new answers file cannot be created at path: the path (E311 a file is there, E327 something else
    is, E326 no such folder) or the metadata (E322 no marking, E323 not a period, E321 a text too long)."""
    path = Path(path)
    name = str(path)
    real = files.target(path)
    if real.exists():
        if not real.is_file():
            kind = not_a_file(os.stat(real).st_mode)
            return [problem(name, None, "E327", path=path, kind=kind)]
        return [problem(name, None, "E311", path=path)]
    folder = real.parent if str(real.parent) else Path(".")
    if not folder.is_dir():
        return [problem(name, None, "E326", folder=folder)]
    out = metadata_problems(answers.metadata, name)
    for where, length, limit in long_texts(answers):
        out.append(problem(name, None, "E321", where=schema.where(where), length=length, limit=limit))
    return out


def create(path: str | Path, answers: Answers) -> None:
    """Write a new answers file; refuse to overwrite an existing one, to create a folder, or to write metadata
    that score and report would refuse (see create_problems)."""
    path = Path(path)
    problems = create_problems(path, answers)
    if problems:
        raise AssessError(problems)
    with Store(path, new=True) as store:
        if files.target(path).exists():
            raise AssessError([problem(str(path), None, "E311", path=path)])
        store.save(answers)
